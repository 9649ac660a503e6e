import type { NodeLifecycleController } from "../src/controllers/node-lifecycle.js";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TAINT_UNREACHABLE } from "../src/api/taints.js";
import { getCondition } from "../src/api/pod-util.js";
import type { Node, Pod } from "../src/api/types.js";
import { TokenBucket } from "../src/api/token-bucket.js";
import { computeZoneState, zoneTaintRate, type ZoneState } from "../src/controllers/zone-state.js";
import type { RunOutcome } from "../src/run.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { column, load, run, SCENARIOS, removeScenarios, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

/**
 * Upstream ComputeZoneState (pkg/controller/nodelifecycle/node_lifecycle_controller.go):
 *   readyNodes == 0 && notReadyNodes > 0                                  -> FullDisruption
 *   notReadyNodes > 2 && notReady / (notReady + ready) >= 0.55 (threshold) -> PartialDisruption
 *   otherwise                                                             -> Normal
 */
describe("computeZoneState", () => {
  const T = DEFAULT_SETTINGS.unhealthyZoneThreshold; // 0.55
  const table: [ready: number, notReady: number, want: ZoneState, why: string][] = [
    [0, 1, "FullDisruption", "no ready node"],
    [0, 3, "FullDisruption", "no ready node"],
    [0, 100, "FullDisruption", "no ready node (not Partial, although 100 > 2 and 1.0 >= 0.55)"],
    [0, 0, "Normal", "an empty zone is not disrupted (notReady > 0 is required)"],
    [2, 3, "PartialDisruption", "3 > 2 and 3/5 = 0.6 >= 0.55"],
    [1, 3, "PartialDisruption", "3 > 2 and 3/4 = 0.75 >= 0.55"],
    [9, 11, "PartialDisruption", "11 > 2 and 11/20 = 0.55 exactly: >= holds"],
    [10, 11, "Normal", "11/21 = 0.524 < 0.55"],
    [1, 2, "Normal", "2/3 = 0.67 >= 0.55 but not more than 2 not ready"],
    [0 + 1, 1, "Normal", "1 not ready"],
    [3, 3, "Normal", "3/6 = 0.5 < 0.55"],
    [5, 0, "Normal", "all ready"],
    [1000, 3, "Normal", "3/1003 is tiny"],
  ];
  it.each(table)("%i ready, %i not ready -> %s (%s)", (ready, notReady, want) => {
    expect(computeZoneState(ready, notReady, T)).toBe(want);
  });

  it("uses the configured threshold", () => {
    // 3 of 10 not ready: 0.3 < 0.55 is Normal by default, Partial with --unhealthy-zone-threshold=0.3.
    expect(computeZoneState(7, 3, 0.55)).toBe("Normal");
    expect(computeZoneState(7, 3, 0.3)).toBe("PartialDisruption");
  });
});

/**
 * setLimiterInZone: Normal -> evictionLimiterQPS (--node-eviction-rate 0.1); FullDisruption -> HealthyQPSFunc, also
 * 0.1; PartialDisruption -> ReducedQPSFunc: --secondary-node-eviction-rate 0.01 if the zone has more than
 * --large-cluster-size-threshold (50) nodes, else 0 (stop tainting).
 */
describe("zoneTaintRate", () => {
  const s = DEFAULT_SETTINGS;
  it.each([
    ["Normal", 3, 0.1],
    ["Normal", 500, 0.1],
    ["FullDisruption", 3, 0.1],
    ["FullDisruption", 500, 0.1],
    ["PartialDisruption", 3, 0],
    ["PartialDisruption", 50, 0], // 50 is not more than 50
    ["PartialDisruption", 51, 0.01],
    ["PartialDisruption", 500, 0.01],
  ] as [ZoneState, number, number][])("%s zone of %i nodes -> %f taints/s", (state, size, want) => {
    expect(zoneTaintRate(state, size, s)).toBe(want);
  });

  it("follows the settings", () => {
    const custom = { ...s, nodeEvictionRate: 0.5, secondaryNodeEvictionRate: 0.05, largeClusterSizeThreshold: 10 };
    expect(zoneTaintRate("Normal", 5, custom)).toBe(0.5);
    expect(zoneTaintRate("FullDisruption", 5, custom)).toBe(0.5);
    expect(zoneTaintRate("PartialDisruption", 11, custom)).toBe(0.05);
    expect(zoneTaintRate("PartialDisruption", 10, custom)).toBe(0);
  });
});

/**
 * flowcontrol.NewTokenBucketRateLimiter(qps, burst 1) over golang.org/x/time/rate: starts full (1 token), refills
 * qps tokens per second. At 0.1 qps: one token every 1 / 0.1 = 10s.
 */
describe("TokenBucket", () => {
  it("at 0.1 qps accepts at t=0, then nothing until exactly 10s later", () => {
    const b = new TokenBucket(0.1, 1, 0);
    expect(b.tryAccept(0)).toBe(true);
    expect(b.tryAccept(0)).toBe(false);
    expect(b.tryAccept(5_000)).toBe(false);
    expect(b.tryAccept(9_999)).toBe(false);
    expect(b.tryAccept(10_000)).toBe(true);
    expect(b.tryAccept(10_000)).toBe(false);
  });

  it("polled every 100ms (nodeEvictionPeriod) accepts exactly at 0s, 10s, 20s, ...", () => {
    const b = new TokenBucket(0.1, 1, 0);
    const accepted: number[] = [];
    for (let t = 0; t <= 60_000; t += 100) if (b.tryAccept(t)) accepted.push(t);
    expect(accepted).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
  });

  it("holds at most burst (1) token after a long idle time", () => {
    const b = new TokenBucket(0.1, 1, 0);
    expect(b.tryAccept(0)).toBe(true);
    expect(b.tryAccept(600_000)).toBe(true); // 60 tokens' worth of time, but capped at 1
    expect(b.tryAccept(600_000)).toBe(false);
    expect(b.tryAccept(609_999)).toBe(false);
    expect(b.tryAccept(610_000)).toBe(true);
  });

  it("at the secondary rate 0.01 qps refills one token per 100s, and at 0 qps never accepts", () => {
    const b = new TokenBucket(0.01, 1, 0);
    const accepted: number[] = [];
    for (let t = 0; t <= 250_000; t += 100) if (b.tryAccept(t)) accepted.push(t);
    expect(accepted).toEqual([0, 100_000, 200_000]);
    const never = new TokenBucket(0, 1, 0);
    for (let t = 0; t <= 100_000; t += 1_000) expect(never.tryAccept(t)).toBe(false);
  });

  /**
   * x/time/rate's Allow only commits its state (last, tokens) when it grants a token, so the next grant comes at the
   * first call at or after lastGrant + 1/qps, however often it is asked. At 0.0006 qps that is 1 / 0.0006 =
   * 1666.67s after the grant at 0, i.e. at the first poll >= 1,666,667 ms.
   */
  it("grants tokens at times that do not depend on how often it is polled (0.0006 qps polled every 1ms)", () => {
    const b = new TokenBucket(0.0006, 1, 0);
    expect(b.tryAccept(0)).toBe(true);
    let next = -1;
    for (let t = 1; t <= 2_000_000; t++) {
      if (b.tryAccept(t)) {
        next = t;
        break;
      }
    }
    expect(next).toBe(1_666_667);
  });
});

/** Node lifecycle events a user sees for the three zone-a workers of node-failure.yaml. */
interface ZoneTrace {
  outcome: RunOutcome;
  noExecuteAdded: { node: string; at: number }[];
  noExecuteRemoved: { node: string; at: number }[];
  unknownAt: Map<string, number>;
  endNodes: Node[];
  endPods: Pod[];
  zones: [string, string][];
}

function simulateZone(file: string): ZoneTrace {
  const t: ZoneTrace = { outcome: undefined as unknown as RunOutcome, noExecuteAdded: [], noExecuteRemoved: [], unknownAt: new Map(), endNodes: [], endPods: [], zones: [] };
  const isNoExecute = (x: { key: string; effect: string }) => x.key === TAINT_UNREACHABLE && x.effect === "NoExecute";
  t.outcome = run(
    load(file),
    (cluster) => {
      cluster.cp.store.watch("Node", (_type, o, old) => {
        const n = o as Node;
        const name = n.metadata.name;
        const had = ((old as Node | undefined)?.spec.taints ?? []).some(isNoExecute);
        const has = (n.spec.taints ?? []).some(isNoExecute);
        if (!had && has) t.noExecuteAdded.push({ node: name, at: cluster.sim.now });
        if (had && !has) t.noExecuteRemoved.push({ node: name, at: cluster.sim.now });
        if (!t.unknownAt.has(name) && getCondition(n.status.conditions, "Ready")?.status === "Unknown") t.unknownAt.set(name, cluster.sim.now);
      });
    },
    (cluster) => {
      t.endNodes = [...cluster.cp.store.list<Node>("Node")];
      t.endPods = [...cluster.cp.store.list<Pod>("Pod")];
      t.zones = [...cluster.controller<NodeLifecycleController>("node-lifecycle-controller")!.zones];
    },
  );
  return t;
}

/** node-failure.yaml (one zone, zone-a: worker-1..3, web 6 replicas) with every worker failing. */
function allFail(timeline: string): string {
  const base = readFileSync(`${SCENARIOS}/node-failure.yaml`, "utf8");
  const failure = "    - {at: 5m, action: nodeFailure, node: worker-1}\n";
  if (!base.includes(failure)) throw new Error("scenarios/node-failure.yaml changed: no nodeFailure line");
  // The file's own expectations (6 available at the end) cannot hold when every node is down: drop them.
  return writeScenario(base.replace(failure, timeline).replace(/  expect:\n(    - .*\n)+/, ""));
}

describe("every node of a single-zone cluster fails: master disruption mode", () => {
  /**
   * All 3 workers stop at 5m. Their leases were last renewed within 10.4s before, so they all pass the 50s grace
   * and go Ready=Unknown, and the zone has 0 ready of 3: FullDisruption. Every zone (the only one) is fully
   * disrupted, so the controller assumes the control plane is cut off, not the nodes dead: it stops tainting
   * (limiter qps 0) and removes NoExecute taints (markNodeAsReachable). Nothing is evicted.
   */
  let t: ZoneTrace;
  beforeAll(() => {
    t = simulateZone(
      allFail(
        "    - {at: 5m, action: nodeFailure, node: worker-1}\n    - {at: 5m, action: nodeFailure, node: worker-2}\n    - {at: 5m, action: nodeFailure, node: worker-3}\n",
      ),
    );
  });

  it("marks every node Ready=Unknown about 50s later, and the zone FullDisruption", () => {
    expect([...t.unknownAt.keys()].sort()).toEqual(["worker-1", "worker-2", "worker-3"]);
    for (const at of t.unknownAt.values()) {
      expect(at).toBeGreaterThan(300_000 + 40_000);
      expect(at).toBeLessThanOrEqual(300_000 + 55_000);
    }
    expect(t.zones).toEqual([[":\x00:zone-a", "FullDisruption"]]);
    for (const s of column(t.outcome, "nodes_not_ready").filter((x) => x.t >= 360)) expect(s.v).toBe(3);
  });

  it("leaves no NoExecute taint on any node and evicts no pod, even long after the 300s toleration", () => {
    const staying = t.endNodes.filter((n) => (n.spec.taints ?? []).some((x) => x.effect === "NoExecute"));
    expect(staying.map((n) => n.metadata.name)).toEqual([]);
    expect(t.outcome.events.filter((e) => e.reason === "TaintManagerEviction" && e.message.startsWith("Marking"))).toEqual([]);
    expect(t.outcome.summary.totals.evictions).toBe(0);
    // 15m - ~5m50s = over 9 minutes Unknown: more than 300s, so only the missing taint explains the missing evictions.
    expect(900_000 - Math.max(...t.unknownAt.values())).toBeGreaterThan(300_000);
    // The 6 pods are still there, not terminating, not replaced.
    const web = t.endPods.filter((p) => p.metadata.labels?.app === "web");
    expect(web).toHaveLength(6);
    for (const p of web) expect(p.metadata.deletionTimestamp).toBeUndefined();
    expect(t.outcome.summary.totals.podsCreated).toBe(6);
  });

  it("still marks the pods not ready and keeps the NoSchedule unreachable taint (only NoExecute is lifted)", () => {
    for (const p of t.endPods) expect(getCondition(p.status.conditions, "Ready")?.status).toBe("False");
    expect(t.outcome.summary.availability["default/web"].availableReplicasAtEnd).toBe(0);
    for (const n of t.endNodes) {
      expect((n.spec.taints ?? []).map((x) => `${x.key}:${x.effect}`)).toEqual([`${TAINT_UNREACHABLE}:NoSchedule`]);
    }
  });
});

describe("the last nodes of a single zone fail 30s after the first: its taint is lifted on entering master disruption", () => {
  /**
   * worker-1 stops at 5m: Unknown at ~5m50s with 2 of 3 ready (Normal); the next monitor pass (5s later) observes
   * Unknown and queues the unreachable:NoExecute taint, applied by the next tainting pass (rate 0.1/s, full bucket). worker-2 and worker-3 stop at 5m30s: Unknown at ~6m20s, 0 of 3 ready ->
   * FullDisruption everywhere -> master disruption mode removes worker-1's taint before its pods' 300s run out.
   */
  let t: ZoneTrace;
  beforeAll(() => {
    t = simulateZone(
      allFail(
        "    - {at: 5m, action: nodeFailure, node: worker-1}\n    - {at: 5m30s, action: nodeFailure, node: worker-2}\n    - {at: 5m30s, action: nodeFailure, node: worker-3}\n",
      ),
    );
  });

  it("taints worker-1 first, then removes the taint when the whole zone is down", () => {
    expect(t.noExecuteAdded.map((a) => a.node)).toEqual(["worker-1"]);
    // One monitor period (5,000 ms) after Unknown, plus at most one tainting pass (100 ms).
    const delay = t.noExecuteAdded[0].at - t.unknownAt.get("worker-1")!;
    expect(delay).toBeGreaterThanOrEqual(5_000);
    expect(delay).toBeLessThanOrEqual(5_100);
    expect(t.noExecuteRemoved.map((r) => r.node)).toEqual(["worker-1"]);
    const lastUnknown = Math.max(t.unknownAt.get("worker-2")!, t.unknownAt.get("worker-3")!);
    expect(t.noExecuteRemoved[0].at).toBe(lastUnknown); // in the same monitor pass
    expect(t.noExecuteRemoved[0].at - t.noExecuteAdded[0].at).toBeLessThan(300_000);
  });

  it("cancels worker-1's pending evictions and evicts nothing", () => {
    const evictionEvents = t.outcome.events.filter((e) => e.reason === "TaintManagerEviction");
    expect(evictionEvents.length).toBeGreaterThan(0);
    for (const e of evictionEvents) {
      expect(e.message).toMatch(/^Cancelling deletion of Pod default\/web-/);
      expect(e.simTime).toBe(t.noExecuteRemoved[0].at);
    }
    expect(t.outcome.summary.totals.evictions).toBe(0);
    expect(t.endNodes.filter((n) => (n.spec.taints ?? []).some((x) => x.effect === "NoExecute"))).toEqual([]);
    expect(t.outcome.summary.totals.podsCreated).toBe(6);
  });
});

describe("a whole zone fails while another zone is healthy: no master disruption, tainting at 0.1/s", () => {
  /**
   * zone-a (worker-1..3) all fail at 5m; zone-b (spare-1) stays Ready. zone-a is FullDisruption but not every
   * zone is, so zone-a taints at HealthyQPSFunc = 0.1/s: one node per 10s (worker-1, then +10s, then +20s), and
   * each node's pods are evicted 300s after its taint. The 6 replacements fit on spare-1 (6 x 250m = 1.5 of 4 CPU).
   */
  let t: ZoneTrace;
  beforeAll(() => {
    t = simulateZone(
      writeScenario(`apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: zone-down}
spec:
  duration: 15m
  cluster:
    nodePools:
      - {name: worker, count: 3, capacity: {cpu: "4", memory: 16Gi}, labels: {topology.kubernetes.io/zone: zone-a}}
      - {name: spare, count: 1, capacity: {cpu: "4", memory: 16Gi}, labels: {topology.kubernetes.io/zone: zone-b}}
  workloads:
    - file: manifests/nginx.yaml
  timeline:
    - {at: 5m, action: nodeFailure, node: worker-1}
    - {at: 5m, action: nodeFailure, node: worker-2}
    - {at: 5m, action: nodeFailure, node: worker-3}
  expect:
    - {object: deployment/web, field: status.availableReplicas, "==": 6}
`),
    );
  });

  it("reports zone-a FullDisruption and zone-b Normal", () => {
    expect(t.zones).toEqual([
      [":\x00:zone-a", "FullDisruption"],
      [":\x00:zone-b", "Normal"],
    ]);
  });

  it("taints the three failed nodes 10s apart (rate 0.1/s) and never lifts the taints", () => {
    expect(t.noExecuteAdded.map((a) => a.node).sort()).toEqual(["worker-1", "worker-2", "worker-3"]);
    const times = t.noExecuteAdded.map((a) => a.at);
    expect(times[1] - times[0]).toBe(10_000);
    expect(times[2] - times[1]).toBe(10_000);
    expect(t.noExecuteRemoved).toEqual([]);
  });

  it("evicts each node's pods 300s after its taint and ends with 6 available on spare-1", () => {
    const marks = t.outcome.events.filter((e) => e.reason === "TaintManagerEviction" && e.message.startsWith("Marking"));
    const onZoneA = t.outcome.events.filter((e) => e.reason === "Scheduled" && e.simTime < 300_000 && /to worker-\d$/.test(e.message)).length;
    expect(marks).toHaveLength(onZoneA);
    const taintTimes = new Set(t.noExecuteAdded.map((a) => a.at + 300_000));
    for (const e of marks) expect(taintTimes.has(e.simTime)).toBe(true);
    const web = t.endPods.filter((p) => p.metadata.labels?.app === "web" && !p.metadata.deletionTimestamp);
    expect(web).toHaveLength(6);
    for (const p of web) expect(p.spec.nodeName).toBe("spare-1");
    expect(t.outcome.passed).toBe(true);
  });
});
