/**
 * The resource quota controller (src/controllers/resourcequota/controller.ts; upstream
 * pkg/controller/resourcequota/resource_quota_controller.go and resource_quota_monitor.go): status.hard and
 * status.used kept exact on add, spec change, replenishment (deletes, pods turning terminal) and the resync period;
 * and, in a whole cluster, a Deployment held by a namespace's pods quota: FailedCreate with upstream's text, then
 * recovery at the ReplicaSet controller's own next retry once another Deployment's scale-down freed quota.
 * Times are virtual ms; the defaults have informer latency 0 and API request latency 0, so a controller's
 * reaction lands at the instant of its cause.
 */
import { describe, expect, it } from "vitest";
import { ControlPlane } from "../src/api/control-plane.js";
import { objectsInNamespace } from "../src/api/quota/namespace-index.js";
import type { ResourceQuota } from "../src/api/quota/types.js";
import { expectedQuotaUsed } from "../src/api/quota/usage.js";
import type { Deployment, KubeObject, Pod } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import { ResourceQuotaController } from "../src/controllers/resourcequota/controller.js";
import { Simulation } from "../src/engine/simulation.js";
import { resolveSettings } from "../src/settings.js";

const EPOCH = Date.UTC(2026, 0, 1);

const quota = (name: string, hard: Record<string, string>): ResourceQuota => ({ apiVersion: "v1", kind: "ResourceQuota", metadata: { name, namespace: "default" }, spec: { hard } });
const pod = (name: string, cpu = "100m"): Pod =>
  ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { containers: [{ name: "app", image: "nginx", resources: { requests: { cpu }, limits: { cpu } } }] }, status: {} }) as Pod;

/** The control plane with the quota controller alone; `writes` logs each status.used written (time, value). */
function controlPlane() {
  const sim = new Simulation(5);
  const cp = new ControlPlane(sim, resolveSettings({ disableAdmissionPlugins: ["ServiceAccount"] }), EPOCH);
  const controller = new ResourceQuotaController(cp);
  const writes: [number, Record<string, string> | undefined][] = [];
  cp.store.watch("ResourceQuota", (t, o) => {
    if (t !== "DELETED") writes.push([sim.now, (o as ResourceQuota).status?.used]);
  });
  const mk = (o: KubeObject) => {
    const r = cp.api.create(o);
    if (!r.ok) throw new Error(r.message);
    return r.object;
  };
  const used = (name: string) => cp.api.get<ResourceQuota>("ResourceQuota", "default", name)?.status?.used;
  /** What the invariant computes from the store: the namespace's objects, at the API clock. */
  const expected = (name: string) => expectedQuotaUsed(cp.api.get<ResourceQuota>("ResourceQuota", "default", name)!, (kind) => objectsInNamespace(cp.store, kind, "default"), cp.clock);
  return { sim, cp, controller, writes, mk, used, expected };
}

describe("status.used through creates, deletes, a terminal pod, a spec change and the resync", () => {
  const c = controlPlane();
  c.mk(pod("early", "250m"));
  c.sim.run(1000);
  // The pod created before the quota is counted by the controller's first sync (admission could not charge it).
  c.mk(quota("q", { pods: "10", "requests.cpu": "2", "count/pods": "20" }));
  c.sim.run(2000);
  const first = c.used("q");
  c.mk(pod("a"));
  c.mk(pod("b"));
  const charged = c.used("q");
  c.sim.run(3000);
  c.cp.api.delete("Pod", "default", "a");
  // The informer delivers the deletion in its own engine event at the same instant; the controller's write follows.
  c.sim.run(3000);
  const afterDelete = c.used("q");
  c.sim.run(4000);
  const b = c.cp.api.get<Pod>("Pod", "default", "b")!;
  c.cp.api.updateStatus({ ...b, status: { ...b.status, phase: "Succeeded" } });
  c.sim.run(4000);
  const afterTerminal = c.used("q");
  c.sim.run(5000);
  const q = c.cp.api.get<ResourceQuota>("ResourceQuota", "default", "q")!;
  c.cp.api.update({ ...q, spec: { hard: { ...q.spec!.hard, "count/configmaps": "5" } } });
  c.sim.run(5000);
  const afterSpec = c.cp.api.get<ResourceQuota>("ResourceQuota", "default", "q")!.status;
  c.sim.run(10_000);
  // A wrong usage written behind the controller's back (status writes are not watched for recalculation)...
  const cur = c.cp.api.get<ResourceQuota>("ResourceQuota", "default", "q")!;
  c.cp.api.updateStatus({ ...cur, status: { ...cur.status, used: { ...cur.status!.used, pods: "7" } } });
  c.sim.run(299_999);
  const beforeResync = c.used("q")?.pods;
  c.sim.run(300_000);

  it("fills hard and used on add, counting what existed before", () => {
    expect(first).toEqual({ pods: "1", "requests.cpu": "250m", "count/pods": "1" });
    expect(c.writes.find(([, u]) => u !== undefined)).toEqual([1000, { pods: "1", "requests.cpu": "250m", "count/pods": "1" }]);
  });

  it("is charged by admission at each create (250m + 100m + 100m = 450m)", () => {
    expect(charged).toEqual({ pods: "3", "requests.cpu": "450m", "count/pods": "3" });
  });

  it("is recomputed at once when a counted pod is deleted (replenishment)", () => {
    expect(afterDelete).toEqual({ pods: "2", "requests.cpu": "350m", "count/pods": "2" });
  });

  it("stops charging pods and compute for a Succeeded pod, while count/pods still counts it", () => {
    expect(afterTerminal).toEqual({ pods: "1", "requests.cpu": "250m", "count/pods": "2" });
  });

  it("takes a new hard resource into status at the spec change", () => {
    expect(afterSpec).toEqual({ hard: { pods: "10", "requests.cpu": "2", "count/pods": "20", "count/configmaps": "5" }, used: { pods: "1", "requests.cpu": "250m", "count/pods": "2", "count/configmaps": "0" } });
  });

  it("corrects a drifted usage at the next resync, at 300s (resourceQuotaSyncPeriod, from time 0)", () => {
    expect(beforeResync).toBe("7");
    expect(c.writes.at(-1)).toEqual([300_000, { pods: "1", "requests.cpu": "250m", "count/pods": "2", "count/configmaps": "0" }]);
    expect(c.used("q")).toEqual(c.expected("q"));
  });
});

describe("replenishment is de-duplicated per quota", () => {
  const c = controlPlane();
  c.mk(quota("q", { pods: "10" }));
  c.sim.run(1000);
  for (const n of ["a", "b", "c"]) c.mk(pod(n));
  c.sim.run(2000);
  const syncs = c.controller.stats.syncs;
  for (const n of ["a", "b", "c"]) c.cp.api.delete("Pod", "default", n);
  c.sim.run(2000);

  it("syncs once for three deletions delivered at the same instant, and ends at 0", () => {
    expect(c.controller.stats.syncs - syncs).toBe(1);
    expect(c.used("q")).toEqual({ pods: "0" });
  });
});

describe("a Deployment scaled beyond the namespace's pods quota", () => {
  // Quota pods 4; Deployments a and b with 2 replicas each fill it at 1s. At 10s a is scaled to 3: its ReplicaSet's
  // create is refused. At 70s b is scaled to 1: its pod stops and is removed at 71s (the kubelet's kill), the quota
  // controller recomputes pods=3 at once, and a's ReplicaSet gets the pod at its next retry.
  const cluster = new Cluster(1, resolveSettings({}), EPOCH, {});
  cluster.kubelets.addPool({ name: "n", count: 2, capacity: { cpu: "8", memory: "32Gi", pods: "110" }, labels: {}, taints: [], preloadedImages: ["nginx"] });
  const api = cluster.cp.api;
  const mk = (o: KubeObject) => {
    const r = api.create(o);
    if (!r.ok) throw new Error(r.message);
  };
  const dep = (name: string, replicas: number) =>
    ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: "default" }, spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: "nginx" }] } } } }) as Deployment;
  const scale = (name: string, replicas: number) => {
    const d = api.get<Deployment>("Deployment", "default", name)!;
    api.update({ ...d, spec: { ...d.spec, replicas } });
  };
  const quotaWrites: [number, string | undefined][] = [];
  cluster.cp.store.watch("ResourceQuota", (_, o) => quotaWrites.push([cluster.sim.now, (o as ResourceQuota).status?.used?.pods]));
  mk(quota("pods", { pods: "4" }));
  cluster.sim.run(1000);
  mk(dep("a", 2));
  mk(dep("b", 2));
  cluster.sim.run(10_000);
  scale("a", 3);
  cluster.sim.run(70_000);
  scale("b", 1);
  cluster.sim.run(300_000);
  const events = cluster.cp.events.records.filter((e) => e.involvedObject.name.startsWith("a-") && e.involvedObject.kind === "ReplicaSet");
  const failed = events.filter((e) => e.reason === "FailedCreate");
  const created = events.filter((e) => e.reason === "SuccessfulCreate");

  it("records FailedCreate with the ReplicaSet's generated pod name and upstream's quota text", () => {
    expect(failed[0]!.simTime).toBe(10_000);
    for (const e of failed) expect(e.message).toMatch(/^Error creating: pods "a-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=4, limited: pods=4$/);
  });

  it("retries on the ReplicaSet controller's 5ms-doubling backoff while the quota is full", () => {
    // Two syncs at 10s (the scale write and the ReplicaSet's status write) each requeue with the key's backoff:
    // +5ms (n=0) and +10ms (n=1), and the delaying queue keeps the earlier (10.005s). Each later refusal doubles
    // the wait (5ms x 2^n): 10.005s +20ms = 10.025s, +40ms = 10.065s, +80ms, ... 50.945s + 40.96s = 91.905s.
    expect(failed.map((e) => e.simTime)).toEqual([10_000, 10_000, 10_005, 10_025, 10_065, 10_145, 10_305, 10_625, 11_265, 12_545, 15_105, 20_225, 30_465, 50_945]);
  });

  it("frees the quota when b's pod is gone (71s), and a gets its pod at its next retry, 91.905s (50.945s + 40.96s)", () => {
    expect(quotaWrites.filter(([t]) => t > 10_000)).toEqual([
      [71_000, "3"],
      [91_905, "4"],
    ]);
    expect(created.map((e) => e.simTime)).toEqual([1000, 1000, 91_905]);
    expect(failed.every((e) => e.simTime < 71_000)).toBe(true);
  });
});
