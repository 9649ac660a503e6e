import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TAINT_UNREACHABLE } from "../src/api/taints.js";
import type { EventRecord } from "../src/api/events.js";
import { getCondition } from "../src/api/pod-util.js";
import type { Node, Pod, Taint } from "../src/api/types.js";
import type { RunOutcome } from "../src/run.js";
import { column, load, run, SCENARIOS, removeScenarios, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

/**
 * scenarios/node-failure.yaml (3 workers, Deployment web 6 x 250m, worker-1's kubelet stops at 5m) with a
 * nodeRecover action added. Upstream default timings: lease renewed every 10s (+ <= 4% jitter), grace period 50s
 * checked every 5s, so worker-1 is Ready=Unknown and tainted unreachable (NoSchedule and NoExecute) at about
 * 5m50s; the default unreachable toleration (300s) evicts its pods at about 5m50s + 300s = 10m50s.
 */
const STOP = 300_000;
/** The grace (50s) + one monitor period (5s) + one lease renew period with jitter (10.4s) bounds the taint time. */
const TAINT_LATEST = STOP + 50_000 + 5_000;
const MONITOR = 5_000;
const TOLERATION = 300_000;

function scenarioWithRecovery(at: string): string {
  const base = readFileSync(`${SCENARIOS}/node-failure.yaml`, "utf8");
  const failure = "- {at: 5m, action: nodeFailure, node: worker-1}";
  if (!base.includes(failure)) throw new Error("scenarios/node-failure.yaml changed: no nodeFailure line");
  return writeScenario(base.replace(failure, `${failure}\n    - {at: ${at}, action: nodeRecover, node: worker-1}`));
}

const lifecycleTaint = (t: Taint) => t.key === TAINT_UNREACHABLE || t.key === "node.kubernetes.io/not-ready";

/** What a test sees of worker-1 and the pods over a run. */
interface Trace {
  outcome: RunOutcome;
  /** Times worker-1's Ready condition changed status, with the new status. */
  ready: { at: number; status: string }[];
  /** [added, removed] times of each lifecycle taint effect on worker-1. */
  taint: Record<"NoSchedule" | "NoExecute", { added: number[]; removed: number[] }>;
  /** Whether worker-1 carried a NoSchedule or NoExecute taint when each bind happened. */
  binds: { pod: string; node: string; at: number; worker1Tainted: boolean }[];
  deleted: { pod: string; node: string | undefined; at: number }[];
  endPods: Pod[];
}

function trace(recoverAt: string): Trace {
  const t: Trace = {
    outcome: undefined as unknown as RunOutcome,
    ready: [],
    taint: { NoSchedule: { added: [], removed: [] }, NoExecute: { added: [], removed: [] } },
    binds: [],
    deleted: [],
    endPods: [],
  };
  let worker1Taints: Taint[] = [];
  t.outcome = run(
    load(scenarioWithRecovery(recoverAt)),
    (cluster) => {
      const { store } = cluster.cp;
      store.watch("Node", (_type, o, old) => {
        const n = o as Node;
        if (n.metadata.name !== "worker-1") return;
        const now = cluster.sim.now;
        const r = getCondition(n.status.conditions, "Ready")?.status ?? "";
        if (t.ready.at(-1)?.status !== r) t.ready.push({ at: now, status: r });
        const before = ((old as Node | undefined)?.spec.taints ?? []).filter(lifecycleTaint);
        const after = (n.spec.taints ?? []).filter(lifecycleTaint);
        for (const effect of ["NoSchedule", "NoExecute"] as const) {
          const had = before.some((x) => x.effect === effect);
          const has = after.some((x) => x.effect === effect);
          if (!had && has) t.taint[effect].added.push(now);
          if (had && !has) t.taint[effect].removed.push(now);
        }
        worker1Taints = n.spec.taints ?? [];
      });
      store.watch("Pod", (type, o, old) => {
        const p = o as Pod;
        if (type === "MODIFIED" && p.spec.nodeName && !(old as Pod).spec.nodeName) {
          t.binds.push({
            pod: p.metadata.name,
            node: p.spec.nodeName,
            at: cluster.sim.now,
            worker1Tainted: worker1Taints.some((x) => x.effect === "NoSchedule" || x.effect === "NoExecute"),
          });
        }
        if (type === "DELETED") t.deleted.push({ pod: p.metadata.name, node: p.spec.nodeName, at: cluster.sim.now });
      });
    },
    (cluster) => {
      t.endPods = [...cluster.cp.store.list<Pod>("Pod")];
    },
  );
  return t;
}

const byReason = (o: RunOutcome, reason: string, f: (e: EventRecord) => boolean = () => true) =>
  o.events.filter((e) => e.reason === reason && f(e));

describe("node-failure.yaml, worker-1 recovers at 7m (before the 300s toleration runs out)", () => {
  const RECOVER = 420_000;
  let t: Trace;
  beforeAll(() => {
    t = trace("7m");
  });

  it("goes Ready=Unknown at about 5m50s, then Ready=True within one status period of the restart at 7m", () => {
    expect(t.ready.map((r) => r.status)).toEqual(["True", "Unknown", "True"]);
    const unknownAt = t.ready[1].at;
    expect(unknownAt).toBeGreaterThan(STOP + 40_000);
    expect(unknownAt).toBeLessThanOrEqual(TAINT_LATEST);
    // The restarted kubelet posts status at once (and at the latest after nodeStatusUpdateFrequency 10s + 4%).
    const backAt = t.ready[2].at;
    expect(backAt).toBeGreaterThanOrEqual(RECOVER);
    expect(backAt).toBeLessThanOrEqual(RECOVER + 10_400);
  });

  it("removes both unreachable taints: NoSchedule with the condition, NoExecute by the next monitor pass (<= 5s)", () => {
    const backAt = t.ready[2].at;
    expect(t.taint.NoSchedule.added).toHaveLength(1);
    expect(t.taint.NoExecute.added).toHaveLength(1);
    expect(t.taint.NoExecute.added[0]).toBeLessThan(RECOVER);
    expect(t.taint.NoSchedule.removed).toHaveLength(1);
    expect(t.taint.NoExecute.removed).toHaveLength(1);
    for (const effect of ["NoSchedule", "NoExecute"] as const) {
      const removed = t.taint[effect].removed[0];
      expect(removed, effect).toBeGreaterThanOrEqual(backAt);
      expect(removed - backAt, effect).toBeLessThanOrEqual(MONITOR);
    }
  });

  it("evicts nothing: no 'Marking for deletion', no pod deleted or created, only cancelled evictions", () => {
    // Taint at ~5m50s + 300s toleration = ~10m50s, but the taint is gone at ~7m05s: the timers are cancelled.
    const tainted = t.taint.NoExecute.added[0];
    expect(t.taint.NoExecute.removed[0] - tainted).toBeLessThan(TOLERATION);
    expect(byReason(t.outcome, "TaintManagerEviction", (e) => e.message.startsWith("Marking"))).toEqual([]);
    expect(t.outcome.summary.totals.evictions).toBe(0);
    const onWorker1 = t.binds.filter((b) => b.node === "worker-1").map((b) => `default/${b.pod}`).sort();
    expect(onWorker1.length).toBeGreaterThan(0);
    // "Cancelling deletion" events may appear; if so, for worker-1's pods only, when the NoExecute taint goes.
    for (const e of byReason(t.outcome, "TaintManagerEviction")) {
      expect(e.message).toMatch(/^Cancelling deletion of Pod /);
      expect(onWorker1).toContain(e.message.replace("Cancelling deletion of Pod ", ""));
      expect(e.simTime).toBe(t.taint.NoExecute.removed[0]);
    }
    expect(t.deleted).toEqual([]);
    expect(t.outcome.summary.totals.podsCreated).toBe(6);
    for (const s of column(t.outcome, "pods_terminating")) expect(s.v).toBe(0);
  });

  it("is back to 6 available shortly after the recovery, and at the end", () => {
    // Available drops to 4 while worker-1's 2 pods are marked not ready (5m50s..7m).
    const avail = column(t.outcome, "deployment_available_replicas:default/web");
    expect(Math.min(...avail.filter((s) => s.t > 360 && s.t < 420).map((s) => s.v))).toBe(4);
    for (const s of avail.filter((x) => x.t >= 440)) expect(s.v, `available at ${s.t}s`).toBe(6);
    expect(t.outcome.summary.availability["default/web"]).toMatchObject({ desiredReplicas: 6, availableReplicasAtEnd: 6 });
    expect(t.endPods.filter((p) => p.spec.nodeName === "worker-1")).toHaveLength(onWorker1Count(t));
    expect(t.outcome.passed).toBe(true);
  });
});

function onWorker1Count(t: Trace): number {
  return t.binds.filter((b) => b.node === "worker-1").length;
}

describe("node-failure.yaml, worker-1 recovers at 13m (after the eviction at about 10m50s)", () => {
  const RECOVER = 780_000;
  let t: Trace;
  beforeAll(() => {
    t = trace("13m");
  });

  it("evicts worker-1's pods 300s after the NoExecute taint; they stay Terminating while the kubelet is down", () => {
    const tainted = t.taint.NoExecute.added[0];
    expect(tainted).toBeLessThanOrEqual(TAINT_LATEST);
    const marks = byReason(t.outcome, "TaintManagerEviction", (e) => e.message.startsWith("Marking for deletion"));
    const onWorker1 = t.binds.filter((b) => b.node === "worker-1" && b.at < STOP).map((b) => b.pod).sort();
    expect(onWorker1).toHaveLength(2);
    expect(marks.map((e) => e.involvedObject.name).sort()).toEqual(onWorker1);
    for (const e of marks) expect(e.simTime).toBe(tainted + TOLERATION);
    // Nobody confirms the graceful deletion (30s) while the kubelet is down: 2 Terminating pods until 13m.
    const evictedAt = tainted + TOLERATION;
    const terminating = column(t.outcome, "pods_terminating");
    for (const s of terminating.filter((x) => x.t * 1000 > evictedAt && x.t * 1000 < RECOVER)) expect(s.v, `terminating at ${s.t}s`).toBe(2);
    expect(t.deleted.filter((d) => d.at < RECOVER)).toEqual([]);
  });

  it("lets the restarted kubelet finish the deletion: both pods leave the store shortly after 13m", () => {
    const onWorker1 = t.binds.filter((b) => b.node === "worker-1" && b.at < STOP).map((b) => b.pod).sort();
    const gone = t.deleted.filter((d) => onWorker1.includes(d.pod));
    expect(gone.map((d) => d.pod).sort()).toEqual(onWorker1);
    for (const d of gone) {
      expect(d.node).toBe("worker-1");
      // The kubelet stops the containers (podStopLatency 1s, within the 30s grace) and confirms with a grace-0 delete.
      expect(d.at).toBeGreaterThanOrEqual(RECOVER);
      expect(d.at).toBeLessThanOrEqual(RECOVER + 30_000);
    }
    expect(byReason(t.outcome, "Killing", (e) => onWorker1.includes(e.involvedObject.name)).every((e) => e.simTime >= RECOVER)).toBe(true);
    for (const name of onWorker1) expect(t.endPods.find((p) => p.metadata.name === name)).toBeUndefined();
    for (const s of column(t.outcome, "pods_terminating").filter((x) => x.t * 1000 >= RECOVER + 10_000)) expect(s.v).toBe(0);
  });

  it("never schedules a pod to worker-1 while it is tainted, and removes its taints after recovery", () => {
    for (const b of t.binds.filter((x) => x.node === "worker-1")) expect(b.worker1Tainted, `${b.pod} at ${b.at}`).toBe(false);
    // The 2 replacements went to worker-2 / worker-3 right after the eviction.
    const replacements = t.binds.filter((b) => b.at >= STOP);
    expect(replacements).toHaveLength(2);
    for (const r of replacements) expect(["worker-2", "worker-3"]).toContain(r.node);
    expect(t.ready.map((r) => r.status)).toEqual(["True", "Unknown", "True"]);
    for (const effect of ["NoSchedule", "NoExecute"] as const) {
      expect(t.taint[effect].removed, effect).toHaveLength(1);
      expect(t.taint[effect].removed[0] - t.ready[2].at, effect).toBeLessThanOrEqual(MONITOR);
    }
    expect(t.outcome.summary.availability["default/web"]).toMatchObject({ desiredReplicas: 6, availableReplicasAtEnd: 6 });
    expect(t.endPods).toHaveLength(6);
    expect(t.outcome.passed).toBe(true);
  });
});
