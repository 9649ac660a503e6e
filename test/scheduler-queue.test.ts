import { describe, expect, it } from "vitest";
import { Simulation } from "../src/engine/simulation.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { ActionType } from "../src/scheduler/framework.js";
import type { QueueTimerEvent } from "../src/scheduler/queue.js";
import { SchedulingQueue, calculateBackoffDuration, gridCeil } from "../src/scheduler/queue.js";
import { pod } from "./fixtures/builders.js";

/** A queue on a real engine, its timers delivered back to it. */
function harness(pluginEvents?: Map<string, number>) {
  const sim = new Simulation(1);
  let q!: SchedulingQueue;
  const ctx = sim.register<QueueTimerEvent>("queue", (e) => q.onTimer(e));
  q = new SchedulingQueue(DEFAULT_SETTINGS, ctx, { pluginEvents });
  return { sim, q };
}

const FIT = new Set(["NodeResourcesFit"]);

describe("backoff", () => {
  it("doubles from 1s up to 10s: 1s, 2s, 4s, 8s, 10s, 10s", () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => calculateBackoffDuration(a, 1000, 10_000))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(calculateBackoffDuration(0, 1000, 10_000)).toBe(0);
  });

  it("a pod that keeps failing with an error waits 1s, 2s, 4s, 8s, 10s, 10s in backoffQ", () => {
    const { sim, q } = harness();
    q.add(pod("p").build());
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      const info = q.pop()!;
      expect(info.attempts).toBe(attempt);
      const failedAt = sim.now;
      q.addUnschedulableIfNotPresent(info, new Set()); // an error: no rejecting plugin -> backoffQ
      expect(q.counts()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
      while (q.counts().active === 0) sim.run(sim.now + 1);
      waits.push(sim.now - failedAt);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it("moves backed-off pods on the 1s flush grid, as the ticker would", () => {
    const { sim, q } = harness();
    sim.run(300); // the grid starts at the queue's creation (t=0)
    q.add(pod("p").build());
    const info = q.pop()!;
    q.addUnschedulableIfNotPresent(info, new Set()); // expires at 1300
    sim.run(1999);
    expect(q.counts().backoff).toBe(1);
    sim.run(2000);
    expect(q.counts().active).toBe(1);
    expect(gridCeil(0, 1000, 1300)).toBe(2000);
  });
});

describe("activeQ order (PrioritySort)", () => {
  it("pops higher priority first, then earlier timestamp, then insertion order", () => {
    const { sim, q } = harness();
    q.add(pod("low").priority(0).build());
    q.add(pod("high-1").priority(10).build());
    q.add(pod("mid").priority(5).build());
    q.add(pod("high-2").priority(10).build());
    sim.run(5);
    q.add(pod("high-late").priority(10).build());
    const order: string[] = [];
    for (let i = q.pop(); i; i = q.pop()) order.push(i.pod.metadata.name);
    expect(order).toEqual(["high-1", "high-2", "high-late", "mid", "low"]);
  });

  it("a requeued pod keeps its failure timestamp, so a newer pod of equal priority goes after it", () => {
    const { sim, q } = harness();
    q.add(pod("a").build());
    const a = q.pop()!;
    q.addUnschedulableIfNotPresent(a, FIT); // timestamp 0
    sim.run(2000);
    q.add(pod("b").build()); // timestamp 2000
    q.moveAllToActiveOrBackoffQueue(ActionType.NodeAdd); // a's 1s backoff is over -> activeQ
    expect(q.pop()!.pod.metadata.name).toBe("a");
  });
});

describe("unschedulable pods", () => {
  it("are flushed to activeQ after podMaxInUnschedulablePodsDuration, on the 30s grid", () => {
    const { sim, q } = harness();
    q.add(pod("p").build());
    q.addUnschedulableIfNotPresent(q.pop()!, FIT);
    expect(q.counts()).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    // now - timestamp > 5m first holds at the tick after 300s: 330s.
    sim.run(329_999);
    expect(q.counts().unschedulable).toBe(1);
    sim.run(330_000);
    expect(q.counts()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
  });

  it("costs no engine event while the queues are empty", () => {
    const { sim, q } = harness();
    q.add(pod("p").build());
    q.addUnschedulableIfNotPresent(q.pop()!, FIT);
    expect(sim.pending).toBe(1); // only the unschedulable flush timer, not a 1s ticker
    sim.run(400_000);
    const info = q.pop()!;
    q.done(info);
    const before = sim.eventsProcessed;
    sim.run(10_000_000);
    expect(sim.eventsProcessed).toBe(before);
  });

  it("move on events their rejecting plugins registered for; to backoffQ while backing off", () => {
    const events = new Map([["NodeResourcesFit", ActionType.NodeAdd | ActionType.AssignedPodDelete]]);
    const { sim, q } = harness(events);
    q.add(pod("p").build());
    q.addUnschedulableIfNotPresent(q.pop()!, FIT);
    q.moveAllToActiveOrBackoffQueue(ActionType.UpdateNodeLabel);
    expect(q.counts().unschedulable).toBe(1);
    q.moveAllToActiveOrBackoffQueue(ActionType.AssignedPodDelete);
    expect(q.counts()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
    sim.run(1000);
    expect(q.counts().active).toBe(1);
  });

  it("stay put on a status-only update and move on a spec change", () => {
    const { q } = harness();
    const p = pod("p").build();
    q.add(p);
    q.addUnschedulableIfNotPresent(q.pop()!, FIT);
    const statusOnly = { ...p, status: { ...p.status, conditions: [{ type: "PodScheduled", status: "False" as const }] } };
    q.update(p, statusOnly);
    expect(q.counts().unschedulable).toBe(1);
    const relabelled = { ...statusOnly, metadata: { ...statusOnly.metadata, labels: { x: "y" } } };
    q.update(statusOnly, relabelled);
    expect(q.counts().unschedulable).toBe(0);
  });

  it("delete removes a pod wherever it is", () => {
    const { q } = harness();
    const a = pod("a").build();
    const b = pod("b").build();
    q.add(a);
    q.add(b);
    q.addUnschedulableIfNotPresent(q.pop()!, FIT);
    q.delete(a);
    q.delete(b);
    expect(q.counts()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
    expect(q.pop()).toBeUndefined();
  });
});
