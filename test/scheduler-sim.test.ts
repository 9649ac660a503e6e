import { describe, expect, it } from "vitest";
import { ControlPlane } from "../src/api/control-plane.js";
import type { Pod } from "../src/api/types.js";
import { Simulation } from "../src/engine/simulation.js";
import { Scheduler } from "../src/scheduler/scheduler.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { node, pod } from "./fixtures/builders.js";

const START = Date.UTC(2026, 0, 1);

function cluster(seed = 1) {
  const sim = new Simulation(seed);
  // No controller manager here, so no ServiceAccount controller: the admission plugin that needs its accounts is off.
  const cp = new ControlPlane(sim, { ...DEFAULT_SETTINGS, disableAdmissionPlugins: ["ServiceAccount"] }, START);
  const scheduler = new Scheduler(cp);
  for (const n of ["n1", "n2", "n3"]) {
    const r = cp.api.create(node(n).capacity({ cpu: "4", memory: "16Gi", pods: "110" }).build());
    expect(r.ok).toBe(true);
  }
  const create = (p: Pod) => expect(cp.api.create(p).ok).toBe(true);
  const where = (name: string) => cp.api.get<Pod>("Pod", "default", name)?.spec.nodeName;
  return { sim, cp, scheduler, create, where };
}

describe("Scheduler in a simulation", () => {
  it("places pods, reports FailedScheduling, and retries when resources free up", () => {
    const { sim, cp, scheduler, create, where } = cluster();
    for (const name of ["a", "b", "c", "d"]) create(pod(name).requests({ cpu: "3", memory: "1Gi" }).build());
    sim.run(1000);

    const placed = ["a", "b", "c"].map(where);
    expect(new Set(placed)).toEqual(new Set(["n1", "n2", "n3"])); // LeastAllocated spreads one per node
    expect(where("d")).toBeUndefined();

    const scheduled = cp.events.records.filter((e) => e.reason === "Scheduled");
    expect(scheduled.map((e) => e.message)).toEqual(["a", "b", "c"].map((n, i) => `Successfully assigned default/${n} to ${placed[i]}`));
    expect(scheduled[0].source.component).toBe("default-scheduler");

    const failed = cp.events.records.filter((e) => e.reason === "FailedScheduling");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ type: "Warning", message: "0/3 nodes are available: 3 Insufficient cpu.", involvedObject: { name: "d" } });
    const cond = cp.api.get<Pod>("Pod", "default", "d")!.status.conditions!.find((c) => c.type === "PodScheduled");
    expect(cond).toMatchObject({ status: "False", reason: "Unschedulable", message: "0/3 nodes are available: 3 Insufficient cpu." });
    expect(scheduler.queueCounts()).toEqual({ active: 0, backoff: 0, unschedulable: 1 });

    // The condition write is a status-only update: it must not wake the pod again.
    sim.run(60_000);
    expect(scheduler.stats.attempts).toBe(4);

    // Deleting a bound pod frees its cpu (AssignedPodDelete): d moves on and lands where b was.
    const freed = where("b");
    expect(cp.api.delete("Pod", "default", "b", { gracePeriodSeconds: 0 }).ok).toBe(true);
    sim.run(120_000);
    expect(where("d")).toBe(freed);
    expect(scheduler.stats).toMatchObject({ scheduled: 4, failedAttempts: 1, attempts: 5 });
    expect(scheduler.stats.schedulingLatencies.slice(0, 3)).toEqual([0, 0, 0]);
    expect(scheduler.stats.schedulingLatencies[3]).toBeGreaterThanOrEqual(60_000);
    expect(scheduler.queueCounts()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
  });

  it("retries an unschedulable pod after 5 minutes without rewriting an identical condition", () => {
    const { sim, cp, scheduler, create } = cluster();
    create(pod("huge").requests({ cpu: "8" }).build());
    sim.run(1000);
    const rv = cp.api.get<Pod>("Pod", "default", "huge")!.metadata.resourceVersion;
    sim.run(400_000);
    expect(scheduler.stats.attempts).toBe(2); // t=0 and the flush at 330s
    expect(cp.events.records.filter((e) => e.reason === "FailedScheduling")).toHaveLength(2);
    expect(cp.api.get<Pod>("Pod", "default", "huge")!.metadata.resourceVersion).toBe(rv);
  });

  it("respects taints, cordons and node selectors, and ignores other schedulers' pods", () => {
    const { sim, cp, create, where } = cluster();
    const n1 = cp.api.get<any>("Node", undefined, "n1");
    cp.api.update({ ...n1, spec: { ...n1.spec, taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] } });
    const n2 = cp.api.get<any>("Node", undefined, "n2");
    cp.api.update({ ...n2, spec: { ...n2.spec, unschedulable: true } });
    create(pod("web").build());
    create(pod("db").toleration({ key: "dedicated", value: "db", effect: "NoSchedule" }).nodeSelector({ "kubernetes.io/hostname": "n1" }).build());
    create(pod("other").schedulerName("my-scheduler").build());
    sim.run(1000);
    expect(where("web")).toBe("n3");
    expect(where("db")).toBe("n1");
    expect(where("other")).toBeUndefined();
  });

  it("uncordoning a node wakes pods rejected by NodeUnschedulable", () => {
    const { sim, cp, create, where } = cluster();
    for (const n of ["n1", "n2", "n3"]) {
      const o = cp.api.get<any>("Node", undefined, n);
      cp.api.update({ ...o, spec: { ...o.spec, unschedulable: true } });
    }
    create(pod("p").build());
    sim.run(5000);
    expect(cp.events.records.find((e) => e.reason === "FailedScheduling")?.message).toBe("0/3 nodes are available: 3 node(s) were unschedulable.");
    const o = cp.api.get<any>("Node", undefined, "n2");
    cp.api.update({ ...o, spec: { ...o.spec, unschedulable: false } });
    sim.run(10_000);
    expect(where("p")).toBe("n2");
  });

  it("a pod that finishes frees its resources for pending pods", () => {
    const { sim, cp, create, where } = cluster();
    for (const name of ["a", "b", "c", "d"]) create(pod(name).requests({ cpu: "3" }).build());
    sim.run(1000);
    const a = cp.api.get<Pod>("Pod", "default", "a")!;
    cp.api.updateStatus<Pod>({ ...a, status: { ...a.status, phase: "Succeeded" } });
    sim.run(5000);
    expect(where("d")).toBe(a.spec.nodeName);
  });

  it("a failed bind forgets the assumed pod and reports the API error", () => {
    const sim = new Simulation(1);
    const cp = new ControlPlane(sim, { ...DEFAULT_SETTINGS, informerLatency: 5, disableAdmissionPlugins: ["ServiceAccount"] }, START);
    const scheduler = new Scheduler(cp);
    cp.api.create(node("n1").build());
    sim.run(1);
    cp.api.create(pod("x").requests({ cpu: "1" }).build());
    sim.run(3);
    // Deleted in the API before the scheduler's informer hears of it: the scheduler still tries at t=6.
    cp.api.delete("Pod", "default", "x");
    sim.run(100);
    const failed = cp.events.records.filter((e) => e.reason === "FailedScheduling");
    expect(failed.map((e) => e.message)).toEqual(['running Bind plugin "DefaultBinder": pods "x" not found']);
    expect(scheduler.cache.getNodeInfo("n1")!.requested).toEqual({ cpuMilli: 0, memory: 0, pods: 0 });
    expect(scheduler.queueCounts()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
    expect(scheduler.stats).toMatchObject({ attempts: 1, scheduled: 0, failedAttempts: 1 });
  });

  it("is deterministic for a seed", () => {
    const run = (seed: number) => {
      const { sim, create, where } = cluster(seed);
      for (let i = 0; i < 30; i++) create(pod(`p${i}`).requests({ cpu: "100m" }).build());
      sim.run(1000);
      return Array.from({ length: 30 }, (_, i) => where(`p${i}`));
    };
    expect(run(3)).toEqual(run(3));
  });
});
