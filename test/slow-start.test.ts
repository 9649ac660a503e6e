import { deploymentScenario } from "./fixtures/manifests.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deployment, Pod } from "../src/api/types.js";
import { slowStartBatch, slowStartBatchSizes } from "../src/controllers/slow-start.js";
import type { RunOutcome } from "../src/run.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { load, removeScenarios, run, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

/** pkg/controller/replicaset/replica_set.go slowStartBatch with SlowStartInitialBatchSize 1. */
describe("slowStartBatchSizes", () => {
  it.each([
    [0, []],
    [1, [1]],
    [10, [1, 2, 4, 3]], // 1 + 2 + 4 = 7; the next batch is min(8, 10 - 7) = 3
    [15, [1, 2, 4, 8]],
    // One sync's worth under burstReplicas 500: 1 + 2 + ... + 128 = 255, then 500 - 255 = 245.
    [500, [1, 2, 4, 8, 16, 32, 64, 128, 245]],
  ])("%d -> %o", (n, sizes) => {
    expect(slowStartBatchSizes(n)).toEqual(sizes);
  });
});

describe("slowStartBatch", () => {
  /** Runs slowStartBatch(count) where call number `failAt` (1-based) fails; completions are held until released. */
  function batches(count: number, failAt: number) {
    const pending: (() => void)[] = [];
    let issued = 0;
    const finished: number[] = [];
    slowStartBatch(
      count,
      (done) => {
        const n = ++issued;
        pending.push(() => done(n !== failAt));
      },
      (successes) => finished.push(successes),
    );
    /** Completes every call issued so far; returns how many that was. */
    const release = () => {
      const now = pending.splice(0);
      now.forEach((f) => f());
      return now.length;
    };
    return { release, issued: () => issued, finished };
  }

  it("starts a batch only when the previous one has completed", () => {
    const b = batches(10, 0);
    expect(b.issued()).toBe(1);
    expect(b.release()).toBe(1);
    expect(b.issued()).toBe(3);
    expect([b.release(), b.release(), b.release(), b.release()]).toEqual([2, 4, 3, 0]);
    expect(b.finished).toEqual([10]);
  });

  it("stops after the first batch with a failure: the remaining calls are never issued", () => {
    // Call 3 is in the second batch (calls 2 and 3): that batch completes, then nothing more.
    const b = batches(10, 3);
    b.release();
    b.release();
    expect(b.issued()).toBe(3);
    expect(b.release()).toBe(0);
    expect(b.finished).toEqual([2]); // calls 1 and 2 succeeded
  });

  it("a failure in the first call costs one call, not count", () => {
    const b = batches(500, 1);
    b.release();
    expect(b.issued()).toBe(1);
    expect(b.finished).toEqual([0]);
  });

  it("calls that complete at once (an unthrottled client) run every batch inside the call", () => {
    let issued = 0;
    let successes = -1;
    slowStartBatch(10, (done) => (issued++, done(true)), (s) => (successes = s));
    expect([issued, successes]).toEqual([10, 10]);
  });
});

describe("a ReplicaSet whose pods are all refused", () => {
  it("makes one create per sync (slow start stops at the failed first batch), not one per missing replica", () => {
    const outcome = run(
      load(
        writeScenario(deploymentScenario({ name: "refused", duration: "1s", replicas: 10, podSpecLines: ["priorityClassName: gold"] })),
      ),
    );
    const failed = outcome.events.filter((e) => e.reason === "FailedCreate");
    // Two syncs at t=0 (the ReplicaSet's creation, then its own status write), one refused create each; then
    // one per retry as the key backs off (5 ms doubling).
    expect(failed.filter((e) => e.simTime === 0)).toHaveLength(2);
    expect(outcome.summary.totals.podsCreated).toBe(0);
    expect(failed.every((e) => e.message.endsWith("is forbidden: no PriorityClass with name gold was found"))).toBe(true);
  });
});

/**
 * The user-visible figure: how long a 1,000-replica scale-up takes. The ReplicaSet controller's client has
 * kube-controller-manager's bucket (20 QPS, burst 30), so 30 creates go at once and the other 970 at 20 per second:
 * pod k is created at max(0, k - 30) / 20 s after the scale, the last at (1000 - 30) / 20 = 48.5 s. burstReplicas
 * 500 splits the work into two syncs (500 + 500); the second starts the instant the first's last pod is observed,
 * when the bucket is exactly empty, so the split costs no time. The scheduler's client (50 QPS, burst 100) binds
 * each pod in the millisecond it is created; the kubelet starts it podStartLatency (1 s) later.
 */
const SCALE_AT = 60_000;

const SCENARIO = (settings: string) =>
  deploymentScenario({
    name: "thousand",
    duration: "2m",
    nodes: 10,
    capacity: '{cpu: "64", memory: 256Gi, pods: 110}',
    settings,
    replicas: 0,
    container: '{name: web, image: "nginx:1.27", resources: {requests: {cpu: 10m, memory: 16Mi}}}',
    tail: ["  timeline:", "    - {at: 1m, action: scale, target: deployment/web, replicas: 1000}"],
  });

interface ScaleUp {
  outcome: RunOutcome;
  /** Virtual ms of each pod's creation, in order; of each bind, in order; per pod, bind minus creation. */
  created: number[];
  bound: number[];
  bindLag: number[];
  /** When the Deployment first reported 1,000 available replicas. */
  allAvailable: number;
}

function scaleUp(settings: string): ScaleUp {
  const created: number[] = [];
  const bound: number[] = [];
  const createdAt = new Map<string, number>();
  const bindLag: number[] = [];
  let allAvailable = -1;
  const outcome = run(load(writeScenario(SCENARIO(settings))), (c) => {
    c.cp.store.watch("Pod", (type, o, old) => {
      const p = o as Pod;
      if (type === "ADDED") {
        created.push(c.sim.now);
        createdAt.set(p.metadata.name, c.sim.now);
      } else if (type === "MODIFIED" && p.spec.nodeName && !(old as Pod).spec.nodeName) {
        bound.push(c.sim.now);
        bindLag.push(c.sim.now - createdAt.get(p.metadata.name)!);
      }
    });
    c.cp.store.watch("Deployment", (_t, o) => {
      if (allAvailable < 0 && (o as Deployment).status?.availableReplicas === 1000) allAvailable = c.sim.now;
    });
  });
  return { outcome, created, bound, bindLag, allAvailable };
}

/** Virtual ms at which request k (1-based) of a burst at `t0` leaves a full bucket of `burst` at `qps`. */
const tokenTime = (t0: number, k: number, qps: number, burst: number) => t0 + (Math.max(0, k - burst) * 1000) / qps;
const ks = Array.from({ length: 1000 }, (_, i) => i + 1);

describe("scaling a Deployment from 0 to 1,000 replicas with upstream's client limits", () => {
  let r: ScaleUp;
  beforeAll(() => {
    r = scaleUp("{}");
    const s = (ms: number) => `${((ms - SCALE_AT) / 1000).toFixed(1)} s`;
    console.log(
      `1,000-replica scale-up (controllerManagerQPS ${DEFAULT_SETTINGS.controllerManagerQPS}/burst ${DEFAULT_SETTINGS.controllerManagerBurst}, ` +
        `schedulerQPS ${DEFAULT_SETTINGS.schedulerQPS}/burst ${DEFAULT_SETTINGS.schedulerBurst}, podStartLatency ${DEFAULT_SETTINGS.podStartLatency / 1000} s): ` +
        `last pod created ${s(r.created.at(-1)!)}, last bound ${s(r.bound.at(-1)!)}, 1000/1000 available ${s(r.allAvailable)} after the scale`,
    );
  });

  it("creates pod k at max(0, k - 30) / 20 s after the scale: the last at 48.5 s", () => {
    expect(r.created).toHaveLength(1000);
    expect(r.created).toEqual(ks.map((k) => tokenTime(SCALE_AT, k, 20, 30)));
    expect(r.created.filter((t) => t === SCALE_AT)).toHaveLength(30); // the burst
    expect(r.created.at(-1)! - SCALE_AT).toBe(48_500); // (1000 - 30) / 20 s
  });

  it("burstReplicas 500: the first sync's last pod at 23.5 s, the second sync's first 50 ms later (no gap)", () => {
    expect(DEFAULT_SETTINGS.burstReplicas).toBe(500);
    expect(r.created[499]! - SCALE_AT).toBe(23_500); // (500 - 30) / 20 s
    expect(r.created[500]! - SCALE_AT).toBe(23_550); // (501 - 30) / 20 s
  });

  it("the scheduler's binds (50 QPS, burst 100) keep up: every pod is bound in the millisecond it is created", () => {
    expect(r.bound).toHaveLength(1000);
    expect(Math.max(...r.bindLag)).toBe(0);
    expect(r.outcome.summary.totals.failedSchedulingAttempts).toBe(0);
  });

  it("the Deployment reports 1,000 available replicas 49.5 s after the scale (48.5 s + podStartLatency 1 s)", () => {
    expect(r.allAvailable - SCALE_AT).toBe(49_500);
  });
});

describe("the same scale-up with a faster controller-manager client (100 QPS, burst 200)", () => {
  it("creates the last pod at (1000 - 200) / 100 = 8 s, but the scheduler's 50 QPS then sets the pace: 1000 available at 19 s", () => {
    const r = scaleUp("{controllerManagerQPS: 100, controllerManagerBurst: 200}");
    expect(r.created).toEqual(ks.map((k) => tokenTime(SCALE_AT, k, 100, 200)));
    expect(r.created.at(-1)! - SCALE_AT).toBe(8_000);
    // Binds: the scheduler's burst of 100, then 50 per second: bind k at max(0, k - 100) / 50 s.
    expect(r.bound).toEqual(ks.map((k) => tokenTime(SCALE_AT, k, 50, 100)));
    expect(r.bound.at(-1)! - SCALE_AT).toBe(18_000); // (1000 - 100) / 50 s
    expect(r.allAvailable - SCALE_AT).toBe(19_000); // 18 s + podStartLatency 1 s
  });
});
