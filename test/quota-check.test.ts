/**
 * The ResourceQuota admission check (src/api/quota/quota-check.ts) on tables a user would meet: the 11th pod of a
 * `pods: 10` quota, a CPU request over what is left, a request for nothing the quota limits. Expected texts follow
 * checkRequest's format and Quantity.String() printing.
 */
import { describe, expect, it } from "vitest";
import { mustParseQuantity } from "../src/api/quantity.js";
import { checkQuota, forbiddenMessage, prettyPrint, type ResourceList } from "../src/api/quota/quota-check.js";

const list = (o: Record<string, string>): ResourceList => new Map(Object.entries(o).map(([k, v]) => [k, mustParseQuantity(v)]));
const usedOf = (r: ReturnType<typeof checkQuota>) => (r.ok ? prettyPrint(r.used) : r.message);

describe("checkQuota (checkRequest)", () => {
  const quota = { name: "compute", hard: list({ pods: "10", "requests.cpu": "2", "requests.memory": "4Gi" }), used: list({ pods: "9", "requests.cpu": "1500m", "requests.memory": "3Gi" }) };

  it("admits a pod that fits and returns the new used: 9+1 pods, 1500m+250m cpu, 3Gi+512Mi memory", () => {
    const r = checkQuota(quota, list({ pods: "1", "requests.cpu": "250m", "requests.memory": "512Mi", "limits.cpu": "1" }));
    // limits.cpu is not limited by this quota: masked out. 3Gi + 512Mi = 3584Mi (3.5 x 1024).
    expect(usedOf(r)).toBe("pods=10,requests.cpu=1750m,requests.memory=3584Mi");
  });

  it("refuses what would pass a hard limit, naming only the exceeded resources", () => {
    // cpu: 1500m + 600m = 2100m > 2; memory 3Gi + 512Mi fits, so it is not named.
    const r = checkQuota(quota, list({ pods: "1", "requests.cpu": "600m", "requests.memory": "512Mi" }));
    expect(r).toEqual({ ok: false, message: "exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=1500m, limited: requests.cpu=2" });
  });

  it("the 11th pod of a pods: 10 quota", () => {
    const full = { name: "pod-count", hard: list({ pods: "10" }), used: list({ pods: "10" }) };
    const r = checkQuota(full, list({ pods: "1" }));
    expect(r.ok ? "" : forbiddenMessage("pods", "web-7d9c-xk2lp", r.message)).toBe('pods "web-7d9c-xk2lp" is forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=10, limited: pods=10');
  });

  it("passes a request for nothing the quota limits (and zero requests), leaving used as it was", () => {
    const r = checkQuota(quota, list({ configmaps: "1", "requests.cpu": "0" }));
    expect(r.ok && r.used === quota.used).toBe(true);
  });
});
