import { beforeAll, describe, expect, it } from "vitest";
import { getCondition } from "../src/api/pod-util.js";
import { nodeAllocatable, podRequests } from "../src/api/resources.js";
import type { Deployment, Node, Pod } from "../src/api/types.js";
import type { RunOutcome } from "../src/run.js";
import { column, load, run, SCENARIOS } from "./helpers/scenario-tmp.js";

/**
 * scenarios/scale-up.yaml: 3 worker nodes x 4 CPU = 12 CPU allocatable. Deployment api: 4 replicas x 1 CPU, scaled
 * to 16 at 2m (120,000 ms). NodeResourcesFit admits a 1-CPU pod while requested + 1 <= 4 on a node, so
 * 12 CPU / 1 CPU per pod = 12 pods fit and 16 - 12 = 4 stay Pending with
 * "0/3 nodes are available: 3 Insufficient cpu." (every node rejected by the same filter, upstream message format
 * of FitError). At 10m (600,000 ms) the pool `burst` (2 x 8 CPU) is added: the NodeAdd cluster event moves the
 * unschedulable pods back to the active queue (no 5m wait), and 4 x 1 CPU fit easily in 16 CPU.
 */
const SCALE = 120_000;
const ADD = 600_000;
const MSG = "0/3 nodes are available: 3 Insufficient cpu.";

describe("scenarios/scale-up.yaml", () => {
  let outcome: RunOutcome;
  const binds: { pod: string; node: string; at: number }[] = [];
  /** Per node: allocatable millicores, and the largest sum of bound pods' cpu requests ever seen. */
  const alloc = new Map<string, number>();
  const requested = new Map<string, number>();
  const peak = new Map<string, number>();
  const overcommits: string[] = [];
  let endPods: Pod[] = [];
  let endDeployment: Deployment | undefined;

  beforeAll(() => {
    const scenario = load(`${SCENARIOS}/scale-up.yaml`);
    outcome = run(
      scenario,
      (cluster) => {
        const { store } = cluster.cp;
        store.watch("Node", (_t, o) => {
          const n = o as Node;
          alloc.set(n.metadata.name, nodeAllocatable(n).cpuMilli);
        });
        const add = (node: string, milli: number) => {
          const sum = (requested.get(node) ?? 0) + milli;
          requested.set(node, sum);
          peak.set(node, Math.max(peak.get(node) ?? 0, sum));
          const a = alloc.get(node);
          if (a === undefined || sum > a) overcommits.push(`${cluster.sim.now}ms ${node}: ${sum}m requested > ${a}m allocatable`);
        };
        store.watch("Pod", (type, o, old) => {
          const p = o as Pod;
          const before = old as Pod | undefined;
          if (type === "MODIFIED" && p.spec.nodeName && !before?.spec.nodeName) {
            binds.push({ pod: p.metadata.name, node: p.spec.nodeName, at: cluster.sim.now });
            add(p.spec.nodeName, podRequests(p).cpuMilli);
          }
          if (type === "DELETED" && p.spec.nodeName) add(p.spec.nodeName, -podRequests(p).cpuMilli);
        });
      },
      (cluster) => {
        endPods = [...cluster.cp.store.list<Pod>("Pod")];
        endDeployment = cluster.cp.api.get<Deployment>("Deployment", "default", "api");
      },
    );
  });

  const failed = () => outcome.events.filter((e) => e.reason === "FailedScheduling");

  it("reports FailedScheduling '0/3 nodes are available: 3 Insufficient cpu.' for exactly 4 pods at 2m", () => {
    const atScale = failed().filter((e) => e.simTime === SCALE);
    // 16 replicas - 12 that fit = 4, one event per pod.
    expect(atScale).toHaveLength(4);
    expect(new Set(atScale.map((e) => e.involvedObject.name)).size).toBe(4);
    for (const e of atScale) {
      expect(e.type).toBe("Warning");
      expect(e.message).toBe(MSG);
      expect(e.involvedObject.kind).toBe("Pod");
    }
    // Before the scale-up nothing failed; every failure (retries included) is about those 4 pods and says the same.
    expect(failed().filter((e) => e.simTime < SCALE)).toEqual([]);
    const names = new Set(atScale.map((e) => e.involvedObject.name));
    for (const e of failed()) {
      expect(names.has(e.involvedObject.name)).toBe(true);
      expect(e.message).toBe(MSG);
    }
    // 4 initial binds + 12 - 4 = 8 at the scale-up; the other 4 wait.
    expect(binds.filter((b) => b.at < SCALE)).toHaveLength(4);
    expect(binds.filter((b) => b.at >= SCALE && b.at < ADD)).toHaveLength(8);
  });

  it("keeps those 4 pods Pending and unbound until the burst pool arrives at 10m", () => {
    const names = new Set(failed().filter((e) => e.simTime === SCALE).map((e) => e.involvedObject.name));
    for (const name of names) {
      const b = binds.find((x) => x.pod === name);
      expect(b, name).toBeDefined();
      expect(b!.at).toBeGreaterThanOrEqual(ADD);
    }
    // Every sample strictly between 2m and 10m (the sample at 2m itself is taken before the scale action).
    const pending = column(outcome, "pods_pending").filter((s) => s.t > 120 && s.t < 600);
    const unschedulable = column(outcome, "pods_unschedulable").filter((s) => s.t > 120 && s.t < 600);
    const unscheduled = column(outcome, "pods_unscheduled").filter((s) => s.t > 120 && s.t < 600);
    // 10s samples from 130s to 590s: 47 rows.
    expect(pending).toHaveLength(47);
    for (const s of pending) expect(s.v, `pods_pending at ${s.t}s`).toBe(4);
    for (const s of unschedulable) expect(s.v, `pods_unschedulable at ${s.t}s`).toBe(4);
    for (const s of unscheduled) expect(s.v, `pods_unscheduled at ${s.t}s`).toBe(4);
    // The 12 that fit are available throughout: 12 x 1 CPU = 12 CPU requested of 12.
    for (const s of column(outcome, "cpu_requested_cores").filter((x) => x.t > 130 && x.t < 600)) expect(s.v).toBe(12);
    for (const s of column(outcome, "deployment_available_replicas:default/api").filter((x) => x.t > 130 && x.t < 600)) expect(s.v).toBe(12);
    expect(outcome.summary.expectations[0]).toMatchObject({ actual: 12, passed: true });
  });

  it("binds them to burst-1 and burst-2 when they register, 10m + the 60s boot, moved by the node-added event (not the 5m unschedulable flush)", () => {
    // addNodes at 10m asks for the VMs; each boots for settings.nodeBootDuration (60s) before its kubelet registers.
    const REGISTERED = ADD + 60_000;
    const names = new Set(failed().filter((e) => e.simTime === SCALE).map((e) => e.involvedObject.name));
    const late = binds.filter((b) => names.has(b.pod));
    expect(late).toHaveLength(4);
    for (const b of late) {
      expect(["burst-1", "burst-2"]).toContain(b.node);
      // Backoff (at most 10s) ran out long ago, so the move is immediate: within one backoff flush (1s) of 10m.
      // Without the event the next unschedulable flush would have been >= 5m after their last attempt.
      expect(b.at).toBeGreaterThanOrEqual(REGISTERED);
      expect(b.at).toBeLessThan(REGISTERED + 1_000);
    }
    // Nothing else was bound at or after 10m.
    expect(binds.filter((b) => b.at >= ADD)).toHaveLength(4);
    // The samples from 11m10s on show nothing Pending (the image pull, 100Mi at 50Mi/s, and the start take 3s) or
    // unschedulable.
    for (const s of column(outcome, "pods_unschedulable").filter((x) => x.t >= 670)) expect(s.v).toBe(0);
    for (const s of column(outcome, "pods_pending").filter((x) => x.t >= 670)) expect(s.v).toBe(0);
  });

  it("never puts the sum of cpu requests on a node above its allocatable", () => {
    expect(overcommits).toEqual([]);
    // The workers are filled exactly: 4 x 1 CPU on each 4-CPU worker.
    for (const w of ["worker-1", "worker-2", "worker-3"]) expect(peak.get(w)).toBe(4_000);
    expect((peak.get("burst-1") ?? 0) + (peak.get("burst-2") ?? 0)).toBe(4_000);
    const req = outcome.metricsHeader.indexOf("cpu_requested_cores");
    const all = outcome.metricsHeader.indexOf("cpu_allocatable_cores");
    for (const row of outcome.metricsRows) expect(Number(row[req])).toBeLessThanOrEqual(Number(row[all]));
  });

  it("ends with 16 of 16 available, all pods Running and Ready", () => {
    expect(endDeployment?.status?.availableReplicas).toBe(16);
    expect(outcome.summary.availability["default/api"]).toMatchObject({ desiredReplicas: 16, availableReplicasAtEnd: 16 });
    const api = endPods.filter((p) => p.metadata.labels?.app === "api");
    expect(api).toHaveLength(16);
    for (const p of api) {
      expect(p.status.phase).toBe("Running");
      expect(getCondition(p.status.conditions, "Ready")?.status).toBe("True");
      expect(getCondition(p.status.conditions, "PodScheduled")?.status).toBe("True");
    }
    // 16 created, 16 scheduled; the 4 failed at 2m and again at each 5m-flush retry before 10m.
    expect(outcome.summary.totals.podsCreated).toBe(16);
    expect(outcome.summary.totals.podsScheduled).toBe(16);
    expect(outcome.passed).toBe(true);
  });
});
