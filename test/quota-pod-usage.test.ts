/**
 * What a pod counts against a ResourceQuota (src/api/quota/pod-usage.ts), from pods.go's rules: the usage list, the
 * "must specify" refusal and the scopes.
 */
import { describe, expect, it } from "vitest";
import { podQuotaConstraints, podMatchesScope, podQuotaUsage } from "../src/api/quota/pod-usage.js";
import { prettyPrint } from "../src/api/quota/quota-check.js";
import { pod } from "./fixtures/builders.js";

const parse = (t: string) => Date.parse(t);

describe("podQuotaUsage (PodUsageFunc)", () => {
  it("counts pods, count/pods and requests and limits under both names: 2 x 250m cpu, 128Mi + 64Mi memory", () => {
    const p = pod("web").requests({ cpu: "250m", memory: "128Mi" }).build();
    p.spec.containers.push({ name: "side", image: "x", resources: { requests: { cpu: "250m", memory: "64Mi" }, limits: { memory: "64Mi" } } });
    // cpu 500m; memory 192Mi (BinarySI, the first container's format); limits.memory 64Mi from the one that sets it.
    expect(prettyPrint(podQuotaUsage(p, 0, parse))).toBe("count/pods=1,cpu=500m,limits.memory=64Mi,memory=192Mi,pods=1,requests.cpu=500m,requests.memory=192Mi");
  });

  it("sums large requests exactly: 2 x 768Gi is 1536Gi", () => {
    const p = pod("big").requests({ memory: "768Gi" }).build();
    p.spec.containers.push({ name: "b", image: "x", resources: { requests: { memory: "768Gi" } } });
    expect(prettyPrint(podQuotaUsage(p, 0, parse))).toContain("requests.memory=1536Gi");
  });

  it("a finished pod counts only count/pods", () => {
    const p = pod("done").requests({ cpu: "1" }).build();
    p.status.phase = "Succeeded";
    expect(prettyPrint(podQuotaUsage(p, 0, parse))).toBe("count/pods=1");
  });

  it("a pod past its deletion grace period is not charged (a node is lost and it hangs Terminating)", () => {
    const p = pod("gone").requests({ cpu: "1" }).build();
    p.metadata.deletionTimestamp = "2026-01-01T00:00:00Z";
    p.metadata.deletionGracePeriodSeconds = 30;
    expect(prettyPrint(podQuotaUsage(p, Date.parse("2026-01-01T00:00:31Z"), parse))).toBe("count/pods=1");
    expect(prettyPrint(podQuotaUsage(p, Date.parse("2026-01-01T00:00:29Z"), parse))).toContain("pods=1,requests.cpu=1");
  });
});

describe("podQuotaConstraints (Constraints)", () => {
  it("names each missing resource with its containers, sorted", () => {
    const p = pod("web").requests({ cpu: "250m" }).build();
    p.spec.initContainers = [{ name: "init", image: "x" }];
    expect(podQuotaConstraints(p, ["requests.cpu", "limits.memory", "pods"])).toBe("must specify limits.memory for: c,init; requests.cpu for: init");
  });

  it("asks nothing when the quota limits no cpu or memory resource", () => {
    expect(podQuotaConstraints(pod("web").build(), ["pods", "count/pods", "requests.storage"])).toBeUndefined();
  });
});

describe("podMatchesScope", () => {
  it("Terminating is activeDeadlineSeconds >= 0; BestEffort is the QoS class; PriorityClass by operator", () => {
    const p = pod("web").build();
    expect(podMatchesScope(p, { scopeName: "NotTerminating" })).toBe(true);
    p.spec.activeDeadlineSeconds = 0;
    expect(podMatchesScope(p, { scopeName: "Terminating" })).toBe(true);
    expect(podMatchesScope(p, { scopeName: "BestEffort" })).toBe(true);
    expect(podMatchesScope(pod("b").requests({ cpu: "1" }).build(), { scopeName: "NotBestEffort" })).toBe(true);
    p.spec.priorityClassName = "high";
    expect(podMatchesScope(p, { scopeName: "PriorityClass", operator: "In", values: ["high"] })).toBe(true);
    expect(podMatchesScope(p, { scopeName: "PriorityClass", operator: "NotIn", values: ["high"] })).toBe(false);
    expect(podMatchesScope(p, { scopeName: "PriorityClass" })).toBe(true);
  });
});
