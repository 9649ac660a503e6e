/**
 * Node-side fault injection (issue 10, F1a): the FaultLog and faults.csv, the lease controller's retry schedule, and
 * the bundled scenarios zone-outage.yaml and network-partition.yaml, checked at the times a user would read off
 * `k8sim get` / events.jsonl, each derived from upstream's defaults: lease renewed every 10s (+ <= 4% jitter),
 * nodeMonitorGracePeriod 50s, nodeMonitorPeriod 5s, default unreachable toleration 300s, node-eviction-rate 0.1/s.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClock } from "../src/api/clock.js";
import { EventRecorder } from "../src/api/events.js";
import { getCondition } from "../src/api/pod-util.js";
import { TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE } from "../src/api/taints.js";
import type { Lease, Node, Pod } from "../src/api/types.js";
import { FAULT_COLUMNS, FaultLog, faultReason } from "../src/faults/fault-log.js";
import { leaseRetryAfter } from "../src/kubelet/lease-retry.js";
import { aggregate, podDeleteStatus, podsForDeletion } from "../src/faults/drain.js";
import type { RunOutcome } from "../src/run.js";
import { FAULT_CASES } from "./hostile/fault-cases.js";
import { runHostileCase } from "./hostile/run-case.js";
import { load, removeScenarios, run, SCENARIOS, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const isNoExecute = (t: { key: string; effect: string }) => t.key === TAINT_UNREACHABLE && t.effect === "NoExecute";

/** What a user reads off one run: per node, lease renewals, Ready=Unknown and Ready=True transitions, taints. */
interface Trace {
  outcome: RunOutcome;
  renewals: Map<string, number[]>;
  unknownAt: Map<string, number[]>;
  readyAgainAt: Map<string, number[]>;
  taintedAt: Map<string, number>;
  untaintedAt: Map<string, number>;
  unschedulableTaintAt: Map<string, number>;
  /** Pods (name -> node) bound before `boundBefore`, and the pods at the end. */
  bound: Map<string, { node: string; at: number; uid: string }>;
  endPods: Pod[];
  /** Pods that got DisruptionTarget=True with reason EvictionByEvictionAPI. */
  evictedByApi: Set<string>;
}

function trace(file: string): Trace {
  const t: Trace = { outcome: undefined as unknown as RunOutcome, renewals: new Map(), unknownAt: new Map(), readyAgainAt: new Map(), taintedAt: new Map(), untaintedAt: new Map(), unschedulableTaintAt: new Map(), bound: new Map(), endPods: [], evictedByApi: new Set() };
  const push = (m: Map<string, number[]>, k: string, v: number) => m.set(k, [...(m.get(k) ?? []), v]);
  t.outcome = run(
    load(file),
    (cluster) => {
      const now = () => cluster.sim.now;
      cluster.cp.store.watch("Lease", (_type, o) => push(t.renewals, (o as Lease).metadata.name, now()));
      cluster.cp.store.watch("Node", (_type, o, old) => {
        const n = o as Node;
        const name = n.metadata.name;
        const was = getCondition((old as Node | undefined)?.status.conditions, "Ready")?.status;
        const is = getCondition(n.status.conditions, "Ready")?.status;
        if (is === "Unknown" && was !== "Unknown") push(t.unknownAt, name, now());
        if (is === "True" && was === "Unknown") push(t.readyAgainAt, name, now());
        const had = ((old as Node | undefined)?.spec.taints ?? []).some(isNoExecute);
        const has = (n.spec.taints ?? []).some(isNoExecute);
        if (!had && has && !t.taintedAt.has(name)) t.taintedAt.set(name, now());
        if (had && !has && !t.untaintedAt.has(name)) t.untaintedAt.set(name, now());
        if ((n.spec.taints ?? []).some((x) => x.key === TAINT_UNSCHEDULABLE) && !t.unschedulableTaintAt.has(name)) t.unschedulableTaintAt.set(name, now());
      });
      cluster.cp.store.watch("Pod", (_type, o, old) => {
        const p = o as Pod;
        if (p.spec.nodeName && !(old as Pod | undefined)?.spec.nodeName) t.bound.set(p.metadata.name, { node: p.spec.nodeName, at: now(), uid: p.metadata.uid! });
        const dt = getCondition(p.status.conditions, "DisruptionTarget");
        if (dt?.status === "True" && dt.reason === "EvictionByEvictionAPI" && dt.message === "Eviction API: evicting") t.evictedByApi.add(p.metadata.name);
      });
    },
    (cluster) => {
      t.endPods = [...cluster.cp.store.list<Pod>("Pod")];
    },
  );
  return t;
}

/** The last lease renewal of `node` at or before `t`. */
const lastRenewalBefore = (tr: Trace, node: string, t: number) => Math.max(...(tr.renewals.get(node) ?? []).filter((x) => x <= t));

describe("leaseRetryAfter: backoffEnsureLease's sleeps 200ms, 400ms, ... capped at 7s", () => {
  // Attempts after a failure at 0: 200, 600 (200+400), 1400, 3000, 6200, 12600 (6200+6400), then +7000 each.
  it.each([
    [0, 1, 200, "the first retry 200ms after the failure"],
    [0, 200, 200, "an attempt exactly at the heal succeeds"],
    [0, 201, 600, "200 + 400"],
    [0, 5_000, 6_200, "200 + 400 + 800 + 1600 + 3200"],
    [0, 6_201, 12_600, "6200 + 6400 (the last doubling)"],
    [0, 12_601, 19_600, "12600 + 7000: capped"],
    [1_000, 171_000, 1_000 + 173_600, "from 12600 on every 7000: 12600 + 23 x 7000 = 173600 >= 170000"],
  ])("failed at %i, healed at %i -> retry at %i (%s)", (failedAt, healAt, want) => {
    expect(leaseRetryAfter(failedAt, healAt)).toBe(want);
  });
});

describe("FaultLog", () => {
  it("keeps a row per fault and records a Warning Event k8simFault<Action> from k8sim-fault-injector", () => {
    let now = 90_500;
    const clock = new ApiClock(Date.parse("2026-01-01T00:00:00Z"), () => now);
    const events = new EventRecorder(clock);
    const log = new FaultLog(events, clock);
    const node = { apiVersion: "v1", kind: "Node", metadata: { name: "zone-b-3", uid: "u1" } } as unknown as Node;
    log.record({ at: now, source: "timeline", action: "nodeFailure", target: "node/zone-b-3", detail: "until 15m" }, node);
    now = 120_000;
    log.record({ at: now, source: "chaos", action: "zoneOutage", target: "cluster", detail: "" });
    expect(faultReason("containerCrash")).toBe("k8simFaultContainerCrash");
    expect(events.records.map((e) => [e.simTime, e.type, e.reason, e.message, e.involvedObject.kind, e.involvedObject.name, e.source.component])).toEqual([
      [90_500, "Warning", "k8simFaultNodeFailure", "fault injected by timeline: nodeFailure node/zone-b-3 (until 15m)", "Node", "zone-b-3", "k8sim-fault-injector"],
      [120_000, "Warning", "k8simFaultZoneOutage", "fault injected by chaos: zoneOutage cluster", "Namespace", "kube-system", "k8sim-fault-injector"],
    ]);
    // time as metrics.csv writes it (whole seconds), elapsed seconds as virtual ms / 1000.
    expect([[...FAULT_COLUMNS], ...log.csvRows()]).toEqual([
      ["time", "elapsed_seconds", "source", "action", "target", "detail"],
      ["2026-01-01T00:01:30Z", 90.5, "timeline", "nodeFailure", "node/zone-b-3", "until 15m"],
      ["2026-01-01T00:02:00Z", 120, "chaos", "zoneOutage", "cluster", ""],
    ]);
  });
});

describe("scenarios/network-partition.yaml", () => {
  const CUT = 180_000; // 3m
  const HEAL_1 = 360_000; // worker-1 heals at 6m
  const HEAL_2 = 720_000; // worker-2 heals at 12m
  let t: Trace;
  beforeAll(() => {
    t = trace(`${SCENARIOS}/network-partition.yaml`);
  });

  it("renews no lease of a partitioned node inside its window", () => {
    for (const [node, heal] of [["worker-1", HEAL_1], ["worker-2", HEAL_2]] as const) {
      const inside = (t.renewals.get(node) ?? []).filter((x) => x > CUT && x < heal);
      expect(inside, node).toEqual([]);
    }
  });

  it("marks both nodes Ready=Unknown 50s after their last renewal (on the 5s monitor grid), taints them 10s apart", () => {
    for (const node of ["worker-1", "worker-2"]) {
      const last = lastRenewalBefore(t, node, CUT);
      // The last renewal is at most 10.4s before the cut; grace 50s, detected by a pass every 5s.
      expect(CUT - last).toBeLessThan(10_400);
      const unknown = t.unknownAt.get(node)![0]!;
      expect(unknown - last).toBeGreaterThanOrEqual(50_000);
      expect(unknown - last).toBeLessThan(55_000);
      expect(unknown % 5_000).toBe(0);
      // No taint before the monitor pass after Unknown (5s later).
      expect(t.taintedAt.get(node)! - unknown).toBeGreaterThanOrEqual(5_000);
    }
    expect([...t.unknownAt.keys()].sort()).toEqual(["worker-1", "worker-2"]);
    // The zone's tainter runs at node-eviction-rate 0.1/s (2 of 4 not ready is below the 0.55 threshold: Normal),
    // burst 1: the first node one monitor pass after it is Unknown (within a 100ms tainting pass), the second
    // 1 / 0.1 = 10s after the first.
    const [first, second] = ["worker-1", "worker-2"].map((n) => t.taintedAt.get(n)!).sort((a, b) => a - b);
    const firstUnknown = Math.min(...["worker-1", "worker-2"].map((n) => t.unknownAt.get(n)![0]!));
    expect(first! - firstUnknown).toBeGreaterThanOrEqual(5_000);
    expect(first! - firstUnknown).toBeLessThanOrEqual(5_100);
    expect(second! - first!).toBe(10_000);
  });

  it("renews worker-1's lease within 7s of the heal (the lease controller's capped back-off) and reports Ready within 10.4s", () => {
    const first = (t.renewals.get("worker-1") ?? []).find((x) => x >= HEAL_1)!;
    expect(first - HEAL_1).toBeLessThanOrEqual(7_000);
    const ready = t.readyAgainAt.get("worker-1")![0]!;
    // The status loop's next tick: nodeStatusUpdateFrequency 10s x (1 + 4% jitter).
    expect(ready - HEAL_1).toBeGreaterThan(0);
    expect(ready - HEAL_1).toBeLessThanOrEqual(10_400);
    // The taint goes at the monitor pass that sees Ready=True (every 5s).
    expect(t.untaintedAt.get("worker-1")! - ready).toBeLessThanOrEqual(5_100);
  });

  it("evicts nothing from worker-1 (healed before the 300s toleration ran out), its pods Running there again", () => {
    const evicted = t.outcome.events.filter((e) => e.reason === "TaintManagerEviction" && e.message.startsWith("Marking for deletion"));
    const onWorker1 = [...t.bound].filter(([, b]) => b.node === "worker-1" && b.at < CUT).map(([name]) => name);
    expect(onWorker1.length).toBeGreaterThan(0);
    for (const name of onWorker1) {
      expect(evicted.some((e) => e.message.endsWith(`/${name}`)), name).toBe(false);
      const end = t.endPods.find((p) => p.metadata.name === name);
      expect(end?.status.phase, name).toBe("Running");
      expect(getCondition(end?.status.conditions, "Ready")?.status, name).toBe("True");
    }
  });

  it("evicts worker-2's pods 300s after its taint, and its healed kubelet confirms their deletion", () => {
    const tainted = t.taintedAt.get("worker-2")!;
    const evicted = t.outcome.events.filter((e) => e.reason === "TaintManagerEviction" && e.message.startsWith("Marking for deletion"));
    const onWorker2 = [...t.bound].filter(([, b]) => b.node === "worker-2" && b.at < CUT).map(([name]) => `default/${name}`);
    expect(evicted.map((e) => e.message.replace("Marking for deletion Pod ", "")).sort()).toEqual(onWorker2.sort());
    for (const e of evicted) expect(e.simTime).toBe(tainted + 300_000);
    // Before the heal they stay Terminating (the kubelet cannot confirm); after it none is left.
    for (const name of onWorker2) expect(t.endPods.some((p) => `default/${p.metadata.name}` === name), name).toBe(false);
  });

  it("writes faults.csv rows for each partition and heal, and every expectation of the file holds", () => {
    expect(t.outcome.faultsRows.map((r) => [r[1], r[3], r[4], r[5]])).toEqual([
      [180, "networkPartition", "node/worker-1", "until 6m"],
      [180, "networkPartition", "node/worker-2", "until 12m"],
      [360, "networkPartitionHealed", "node/worker-1", ""],
      [720, "networkPartitionHealed", "node/worker-2", ""],
    ]);
    expect(t.outcome.summary.expectations.map((e) => e.passed)).toEqual([true, true, true, true]);
  });
});

describe("scenarios/zone-outage.yaml", () => {
  const OUTAGE = 300_000; // 5m
  const BACK = 900_000; // 15m
  let t: Trace;
  beforeAll(() => {
    t = trace(`${SCENARIOS}/zone-outage.yaml`);
  });
  const zoneB = Array.from({ length: 10 }, (_, i) => `zone-b-${i + 1}`);

  it("fails every zone-b node at 5m and only those", () => {
    expect([...t.unknownAt.keys()].sort()).toEqual([...zoneB].sort());
    const rows = t.outcome.faultsRows.filter((r) => r[3] === "zoneOutage");
    expect(rows.map((r) => r[4])).toEqual(zoneB.map((n) => `node/${n}`));
    for (const r of rows) expect([r[1], r[5]]).toEqual([300, "zone zone-b, until 15m"]);
  });

  it("taints zone-b's nodes one every 10s (node-eviction-rate 0.1/s, burst 1: 1 / 0.1 = 10s), 90s for all 10", () => {
    const times = zoneB.map((n) => t.taintedAt.get(n)!).sort((a, b) => a - b);
    // The zone is FullDisruption (no Ready node) while zone-a and zone-c are Normal: not master disruption, so the
    // primary rate applies; the tainting pass runs every 100ms, so each grant is exactly 10s after the previous one.
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(10_000);
    expect(times[9]! - times[0]!).toBe(90_000);
    // No node is tainted before it is Unknown: the first within a monitor pass and a tainting pass of the last
    // Unknown of the zone (Unknown 50..55s after the last renewal, which is at most 10.4s before 5m).
    expect(times[0]! - OUTAGE).toBeGreaterThan(40_000);
    expect(times[0]! - OUTAGE).toBeLessThanOrEqual(65_100);
  });

  it("evicts each node's pods 300s after its taint, so evictions come in the same 10s steps", () => {
    const evictions = t.outcome.events.filter((e) => e.reason === "TaintManagerEviction" && e.message.startsWith("Marking for deletion"));
    expect(evictions.length).toBe([...t.bound].filter(([, b]) => b.node.startsWith("zone-b-") && b.at < OUTAGE).length);
    const taintTimes = new Set(zoneB.map((n) => t.taintedAt.get(n)! + 300_000));
    for (const e of evictions) expect(taintTimes.has(e.simTime), String(e.simTime)).toBe(true);
  });

  it("brings zone-b back at 15m: its nodes Ready again, and web at 32 available", () => {
    for (const n of zoneB) {
      const ready = t.readyAgainAt.get(n)?.[0];
      expect(ready, n).toBeDefined();
      expect(ready! - BACK).toBeGreaterThanOrEqual(0);
      expect(ready! - BACK).toBeLessThan(10_400);
    }
    expect(t.outcome.summary.availability["default/web"]).toMatchObject({ desiredReplicas: 32, availableReplicasAtEnd: 32 });
    expect(t.outcome.summary.expectations.map((e) => e.passed)).toEqual([true, true, true]);
  });
});

describe("kubeletStop / kubeletStart and cordon / uncordon", () => {
  const yaml = (timeline: string) =>
    [
      "apiVersion: k8sim.dev/v1alpha1",
      "kind: Scenario",
      "metadata: {name: kubelet-stop}",
      "spec:",
      "  seed: 7",
      "  duration: 10m",
      "  cluster:",
      "    nodePools:",
      '      - {name: worker, count: 3, capacity: {cpu: "4", memory: 16Gi, pods: 110}, labels: {topology.kubernetes.io/zone: zone-a}}',
      "  workloads:",
      "    - file: manifests/nginx.yaml",
      "  timeline:",
      timeline,
      "",
    ].join("\n");

  it("keeps worker-1's pods (same uid) when the kubelet is back before the 300s toleration: Unknown, then Ready", () => {
    const STOP = 120_000;
    const START = 300_000;
    const t = trace(writeScenario(yaml("    - {at: 2m, action: kubeletStop, node: worker-1}\n    - {at: 5m, action: kubeletStart, node: worker-1}")));
    const last = lastRenewalBefore(t, "worker-1", STOP);
    const unknown = t.unknownAt.get("worker-1")![0]!;
    expect(unknown - last).toBeGreaterThanOrEqual(50_000);
    expect(unknown - last).toBeLessThan(55_000);
    // A restarted kubelet renews its lease and posts Ready at once.
    expect((t.renewals.get("worker-1") ?? []).filter((x) => x > STOP)[0]).toBe(START);
    expect(t.readyAgainAt.get("worker-1")).toEqual([START]);
    const before = [...t.bound].filter(([, b]) => b.node === "worker-1" && b.at < STOP);
    expect(before.length).toBeGreaterThan(0);
    for (const [name, b] of before) {
      const end = t.endPods.find((p) => p.metadata.name === name);
      expect(end?.metadata.uid, name).toBe(b.uid);
      expect(end?.status.phase).toBe("Running");
    }
    expect(t.outcome.events.filter((e) => e.reason === "TaintManagerEviction" && e.message.startsWith("Marking")).length).toBe(0);
    expect(t.outcome.events.filter((e) => e.reason === "Starting" && e.involvedObject.name === "worker-1").map((e) => e.simTime)).toEqual([0, START]);
  });

  it("cordon sets spec.unschedulable and the unschedulable taint follows; uncordon clears both", () => {
    const t = trace(writeScenario(yaml("    - {at: 1m, action: cordon, node: worker-2}\n    - {at: 2m, action: cordon, node: worker-2}\n    - {at: 3m, action: uncordon, node: worker-2}")));
    expect(t.unschedulableTaintAt.get("worker-2")).toBeGreaterThanOrEqual(60_000);
    expect(t.unschedulableTaintAt.get("worker-2")).toBeLessThan(65_100);
    // kubectl's words, in faults.csv's detail.
    expect(t.outcome.faultsRows.map((r) => [r[1], r[3], r[5]])).toEqual([
      [60, "cordon", "node/worker-2 cordoned"],
      [120, "cordon", "node/worker-2 already cordoned"],
      [180, "uncordon", "node/worker-2 uncordoned"],
    ]);
  });
});

/** A minimal pod for the drain filters. */
function pod(name: string, extra: { owner?: string; emptyDir?: boolean; mirror?: boolean; phase?: string } = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "default",
      ...(extra.owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: extra.owner, name: "owner", uid: "u", controller: true }] } : {}),
      ...(extra.mirror ? { annotations: { "kubernetes.io/config.mirror": "x" } } : {}),
    },
    spec: { containers: [{ name: "c", image: "nginx" }], ...(extra.emptyDir ? { volumes: [{ name: "tmp", emptyDir: {} }] } : {}) },
    status: { phase: extra.phase ?? "Running" },
  } as unknown as Pod;
}

describe("kubectl drain's filters (pkg/drain/filters.go)", () => {
  const NO = { ignoreDaemonsets: false, deleteEmptydirData: false, force: false };
  const dsExists = () => true;
  it.each([
    ["a ReplicaSet's pod", pod("a", { owner: "ReplicaSet" }), NO, { delete: true, reason: "Okay" }],
    ["a bare pod", pod("b"), NO, { delete: false, reason: "Error", message: "cannot delete Pods that declare no controller (use --force to override)" }],
    ["a bare pod with --force", pod("b"), { ...NO, force: true }, { delete: true, reason: "Warning", message: "deleting Pods that declare no controller" }],
    ["a finished bare pod", pod("b", { phase: "Succeeded" }), NO, { delete: true, reason: "Okay" }],
    ["an emptyDir pod", pod("e", { owner: "ReplicaSet", emptyDir: true }), NO, { delete: false, reason: "Error", message: "Pods with local storage (use --delete-emptydir-data to override)" }],
    // The local-storage warning is dropped by the next filter's Okay (upstream's TODO in localStorageFilter).
    ["an emptyDir pod with --delete-emptydir-data", pod("e", { owner: "ReplicaSet", emptyDir: true }), { ...NO, deleteEmptydirData: true }, { delete: true, reason: "Okay" }],
    ["a mirror pod", pod("m", { mirror: true }), NO, { delete: false, reason: "Skip" }],
    ["a DaemonSet's pod", pod("d", { owner: "DaemonSet" }), NO, { delete: false, reason: "Error", message: "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)" }],
    ["a DaemonSet's pod with --ignore-daemonsets", pod("d", { owner: "DaemonSet" }), { ...NO, ignoreDaemonsets: true }, { delete: false, reason: "Warning", message: "ignoring DaemonSet-managed Pods" }],
  ] as [string, Pod, typeof NO, object][])("%s", (_name, p, flags, want) => {
    expect(podDeleteStatus(p, flags, dsExists)).toMatchObject(want);
  });

  it("words errors and warnings as kubectl prints them, pods grouped per message", () => {
    const pods = [pod("ok", { owner: "ReplicaSet" }), pod("bare1"), pod("tmp", { owner: "ReplicaSet", emptyDir: true }), pod("bare2")];
    const r = podsForDeletion(pods, NO, dsExists);
    expect(r.errors).toEqual([
      "cannot delete Pods that declare no controller (use --force to override): default/bare1, default/bare2",
      "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/tmp",
    ]);
    expect(aggregate(r.errors)).toBe(`[${r.errors[0]}, ${r.errors[1]}]`);
    const forced = podsForDeletion(pods, { ...NO, force: true, deleteEmptydirData: true }, dsExists);
    expect(forced.errors).toEqual([]);
    expect(forced.pods.map((p) => p.metadata.name)).toEqual(["ok", "bare1", "tmp", "bare2"]);
    expect(forced.warnings).toBe("deleting Pods that declare no controller: default/bare1, default/bare2");
  });
});

describe("scenarios/drain.yaml", () => {
  const DRAIN = 121_000; // 2m1s, mid-rollout (the rollout starts at 2m)
  let t: Trace;
  beforeAll(() => {
    t = trace(`${SCENARIOS}/drain.yaml`);
  });

  it("cordons worker-1, evicts each of its pods at once, reports each gone on the 1s poll grid, then drained", () => {
    const rows = t.outcome.faultsRows.filter((r) => r[3] === "drain").map((r) => [Number(r[1]) * 1000, String(r[5])] as const);
    expect(rows[0]).toEqual([DRAIN, "node/worker-1 cordoned"]);
    const onNode = [...t.bound].filter(([, b]) => b.node === "worker-1" && b.at <= DRAIN).map(([name]) => name);
    const evicting = rows.filter(([, d]) => d.startsWith("evicting pod "));
    expect(evicting.map(([, d]) => d.replace("evicting pod default/", "")).sort()).toEqual([...onNode].sort());
    for (const [at] of evicting) expect(at).toBe(DRAIN);
    const evicted = rows.filter(([, d]) => d.endsWith(" evicted"));
    expect(evicted.map(([, d]) => d.replace(/^pod\/(.*) evicted$/, "$1")).sort()).toEqual([...onNode].sort());
    // waitForDelete polls immediately and then every 1s from the evictions: reports fall on DRAIN + k x 1000.
    for (const [at] of evicted) expect((at - DRAIN) % 1_000).toBe(0);
    // Each evicted through the Eviction API: DisruptionTarget=True, EvictionByEvictionAPI, before its deletion.
    expect([...t.evictedByApi].sort()).toEqual([...onNode].sort());
    const last = rows[rows.length - 1]!;
    expect(last).toEqual([Math.max(...evicted.map(([at]) => at)), "node/worker-1 drained"]);
  });

  it("keeps every pod off worker-1 after the cordon, and the rollout completes on the other nodes", () => {
    const after = [...t.bound].filter(([, b]) => b.at > DRAIN);
    expect(after.length).toBeGreaterThan(0);
    for (const [, b] of after) expect(b.node).not.toBe("worker-1");
    expect(t.unschedulableTaintAt.get("worker-1")).toBeGreaterThanOrEqual(DRAIN);
    expect(t.endPods.filter((p) => p.spec.nodeName === "worker-1")).toEqual([]);
    expect(t.outcome.summary.expectations.map((e) => e.passed)).toEqual([true, true, true, true]);
  });
});

describe("drain's refusals and timeout, podKill and containerCrash", () => {
  const base = (workloads: string, timeline: string) =>
    [
      "apiVersion: k8sim.dev/v1alpha1",
      "kind: Scenario",
      "metadata: {name: node-faults}",
      "spec:",
      "  seed: 3",
      "  duration: 5m",
      "  cluster:",
      "    nodePools:",
      '      - {name: worker, count: 2, capacity: {cpu: "4", memory: 16Gi, pods: 110}}',
      "  workloads:",
      workloads,
      "  timeline:",
      timeline,
      "",
    ].join("\n");
  const bare = (name: string, extra = "") => `    - manifest: {apiVersion: v1, kind: Pod, metadata: {name: ${name}${extra}}, spec: {nodeName: worker-1, containers: [{name: app, image: nginx}]}}`;

  it("refuses to drain a node with a pod that declares no controller, leaving it cordoned and the pod running", () => {
    const t = trace(writeScenario(base(bare("bare"), "    - {at: 1m, action: drain, node: worker-1}")));
    expect(t.outcome.faultsRows.map((r) => [r[1], r[5]])).toEqual([
      [60, "node/worker-1 cordoned"],
      [60, 'error: unable to drain node "worker-1" due to error: cannot delete Pods that declare no controller (use --force to override): default/bare, continuing command...'],
    ]);
    expect(t.endPods.find((p) => p.metadata.name === "bare")?.status.phase).toBe("Running");
  });

  it("gives up at --timeout when a pod takes longer to stop (SIGTERM handled after 90s, grace 120s)", () => {
    const slow = `    - manifest: {apiVersion: v1, kind: Pod, metadata: {name: slow, annotations: {behavior.k8sim.dev/stopAfter: 90s}}, spec: {nodeName: worker-1, terminationGracePeriodSeconds: 120, containers: [{name: app, image: nginx}]}}`;
    const t = trace(writeScenario(base(slow, "    - {at: 1m, action: drain, node: worker-1, force: true, timeout: 20s}")));
    expect(t.outcome.faultsRows.map((r) => [r[1], r[5]])).toEqual([
      [60, "node/worker-1 cordoned"],
      [60, "Warning: deleting Pods that declare no controller: default/slow"],
      [60, "evicting pod default/slow"],
      // The poll at 60s + 20s finds it still there: the global timeout (Go's 20s) is reached.
      [80, 'error: unable to drain node "worker-1" due to error: error when waiting for pod "slow" in namespace "default" to terminate: global timeout reached: 20s, continuing command...'],
    ]);
  });

  it("podKill SIGKILLs the pod's containers on the node (exit 137); restartPolicy Always restarts them", () => {
    const t = trace(writeScenario(base(bare("k", ", labels: {app: k}"), "    - {at: 1m, action: podKill, selector: app=k}")));
    expect(t.outcome.faultsRows.map((r) => [r[1], r[3], r[4], r[5]])).toEqual([[60, "podKill", "pod/default/k", "SIGKILL (exit code 137): app"]]);
    const end = t.endPods.find((p) => p.metadata.name === "k")!;
    // The same pod object (a node-side kill is no API delete), restarted once, its last state the kill.
    expect(end.metadata.uid).toBe(t.bound.get("k")!.uid);
    expect(end.status.containerStatuses?.[0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 137, reason: "Error" } } });
  });

  it("containerCrash exits the container with its code; restartPolicy Never leaves the pod Failed", () => {
    const never = `    - manifest: {apiVersion: v1, kind: Pod, metadata: {name: once}, spec: {nodeName: worker-1, restartPolicy: Never, containers: [{name: app, image: nginx}]}}`;
    const t = trace(writeScenario(base(never, "    - {at: 1m, action: containerCrash, target: pod/once, exitCode: 3}")));
    expect(t.outcome.faultsRows.map((r) => [r[1], r[4], r[5]])).toEqual([[60, "pod/default/once/app", "exit code 3"]]);
    const end = t.endPods.find((p) => p.metadata.name === "once")!;
    expect(end.status.phase).toBe("Failed");
    expect(end.status.containerStatuses?.[0]?.state).toMatchObject({ terminated: { exitCode: 3, reason: "Error" } });
  });
});

describe("hostile fault actions (also run by hostile-input.test.ts)", () => {
  for (const c of FAULT_CASES) {
    it(c.name, async () => {
      const { result, problems } = await runHostileCase(c, { kind: "in-process" });
      expect(problems.join("; "), result.err).toBe("");
    });
  }
});
