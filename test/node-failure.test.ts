import { beforeAll, describe, expect, it } from "vitest";
import { TAINT_UNREACHABLE } from "../src/api/taints.js";
import type { EventRecord } from "../src/api/events.js";
import { getCondition } from "../src/api/pod-util.js";
import type { Lease, Node, Pod } from "../src/api/types.js";
import { simulate, type RunOutcome } from "../src/run.js";
import { loadScenario } from "../src/scenario/load.js";

/**
 * The bundled node-failure scenario with upstream defaults: worker-1's kubelet stops at 5m (300,000 ms).
 * nodeMonitorGracePeriod 50s, nodeMonitorPeriod 5s, lease renew 10s (+ up to 4% jitter), default unreachable
 * toleration 300s, tainting pass every 100ms.
 */
const STOP = 300_000;

describe("scenarios/node-failure.yaml", () => {
  let outcome: RunOutcome;
  let lastRenew = -1;
  let unknownAt = -1;
  let taintedAt = -1;
  const boundAfter: { pod: string; node: string; at: number }[] = [];
  let endPods: Pod[] = [];

  beforeAll(() => {
    const loaded = loadScenario("scenarios/node-failure.yaml");
    if (!loaded.ok) throw new Error(loaded.errors.join("\n"));
    outcome = simulate(loaded.scenario, {
      observe: (cluster) => {
        const { store } = cluster.cp;
        store.watch("Lease", (_t, o) => {
          const l = o as Lease;
          if (l.metadata.name === "worker-1") lastRenew = cluster.sim.now;
        });
        store.watch("Node", (_t, o) => {
          const n = o as Node;
          if (n.metadata.name !== "worker-1") return;
          if (unknownAt < 0 && getCondition(n.status.conditions, "Ready")?.status === "Unknown") unknownAt = cluster.sim.now;
          if (taintedAt < 0 && n.spec.taints?.some((t) => t.key === TAINT_UNREACHABLE && t.effect === "NoExecute")) taintedAt = cluster.sim.now;
        });
        store.watch("Pod", (type, o, old) => {
          const p = o as Pod;
          if (type === "MODIFIED" && p.spec.nodeName && !(old as Pod).spec.nodeName) {
            boundAfter.push({ pod: p.metadata.name, node: p.spec.nodeName, at: cluster.sim.now });
          }
        });
        // The end state, read from the API at the last instant.
        const ctx = cluster.sim.register<null>("test/end", () => {
          endPods = [...cluster.cp.store.list<Pod>("Pod")];
        });
        ctx.scheduleAt(loaded.scenario.duration, null);
      },
    });
  });

  const events = (reason: string, filter: (e: EventRecord) => boolean = () => true) =>
    outcome.events.filter((e) => e.reason === reason && filter(e));

  it("stops renewing worker-1's lease when its kubelet stops", () => {
    // Renewals every 10s..10.4s, so the last one is within 10.4s before the stop and none after it.
    expect(lastRenew).toBeLessThanOrEqual(STOP);
    expect(STOP - lastRenew).toBeLessThan(10_400);
  });

  it("marks worker-1 Ready=Unknown more than 40s and at most 55s after the kubelet stops", () => {
    // Grace period 50s counted from the monitor pass that saw the last renewal (at most 5s after it),
    // detected by a pass every 5s: lastRenew + 50s <= unknownAt < lastRenew + 55s.
    expect(unknownAt - lastRenew).toBeGreaterThanOrEqual(50_000);
    expect(unknownAt - lastRenew).toBeLessThan(55_000);
    expect(unknownAt - STOP).toBeGreaterThan(40_000);
    expect(unknownAt - STOP).toBeLessThanOrEqual(55_000);
    expect(unknownAt % 5_000).toBe(0); // on the monitor grid
    const notReady = events("NodeNotReady", (e) => e.involvedObject.kind === "Node");
    expect(notReady.map((e) => [e.simTime, e.involvedObject.name])).toEqual([[unknownAt, "worker-1"]]);
  });

  it("taints worker-1 unreachable:NoExecute one monitor pass after Ready=Unknown, within 55s of the stop", () => {
    // Upstream processTaintBaseEviction sees the Ready condition observed before the pass's update, so the pass
    // that writes Unknown queues nothing; the next pass (5,000 ms later) queues the taint and the tainting pass
    // (every 100 ms) applies it: unknownAt + 5,000 <= taintedAt <= unknownAt + 5,100.
    expect(taintedAt - unknownAt).toBeGreaterThanOrEqual(5_000);
    expect(taintedAt - unknownAt).toBeLessThanOrEqual(5_100);
    // The bound: the taint is there more than 40s and at most 55s after the kubelet stops (seed 42:
    // last renewal seen by the 300,000 ms pass, Unknown at 350,000, taint at 355,000).
    expect(taintedAt - STOP).toBeGreaterThan(40_000);
    expect(taintedAt - STOP).toBeLessThanOrEqual(55_000);
  });

  it("evicts worker-1's pods 300s after the taint (the default toleration added by admission)", () => {
    const evictions = events("TaintManagerEviction", (e) => e.message.startsWith("Marking for deletion"));
    expect(evictions.length).toBeGreaterThan(0);
    for (const e of evictions) expect(e.simTime).toBe(taintedAt + 300_000);
    const onWorker1 = boundAfter.filter((b) => b.node === "worker-1" && b.at < STOP).map((b) => `default/${b.pod}`);
    expect(evictions.map((e) => e.message.replace("Marking for deletion Pod ", "")).sort()).toEqual(onWorker1.sort());
  });

  it("replaces the evicted pods on the healthy nodes, never on worker-1", () => {
    const evictedAt = taintedAt + 300_000;
    const replacements = boundAfter.filter((b) => b.at >= evictedAt);
    const evicted = events("TaintManagerEviction", (e) => e.message.startsWith("Marking")).length;
    expect(replacements.length).toBe(evicted);
    for (const r of replacements) expect(["worker-2", "worker-3"]).toContain(r.node);
    // Everything still bound to worker-1 at the end is terminating (the dead kubelet cannot confirm deletion).
    const stuck = endPods.filter((p) => p.spec.nodeName === "worker-1");
    for (const p of stuck) expect(p.metadata.deletionTimestamp).toBeDefined();
  });

  it("is back to 6 available replicas, and every expectation in the file holds", () => {
    expect(outcome.summary.availability["default/web"]).toMatchObject({ desiredReplicas: 6, availableReplicasAtEnd: 6 });
    // While worker-1's pods are marked not ready (Ready=Unknown until eviction) only 4 are available.
    expect(outcome.summary.availability["default/web"].minAvailableReplicas).toBe(4);
    expect(outcome.summary.expectations.every((e) => e.passed)).toBe(true);
    expect(outcome.passed).toBe(true);
  });

  it("never puts a node over its allocatable cpu, memory or pods", () => {
    const csv = outcome.metricsRows;
    const req = outcome.metricsHeader.indexOf("cpu_requested_cores");
    const alloc = outcome.metricsHeader.indexOf("cpu_allocatable_cores");
    for (const row of csv) expect(Number(row[req])).toBeLessThanOrEqual(Number(row[alloc]));
  });
});
