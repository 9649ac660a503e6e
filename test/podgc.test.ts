import type { PodGCController } from "../src/controllers/podgc.js";
/**
 * The pod garbage collector (src/controllers/podgc.ts, upstream pkg/controller/podgc/gc_controller.go): a pod bound
 * to a node that never exists is marked Failed with DisruptionTarget and force-deleted after the quarantine; pods on
 * real nodes are left alone; a run without orphans costs no podgc engine event at all.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { WatchType } from "../src/api/store.js";
import type { KubeObject, Pod } from "../src/api/types.js";
import type { Cluster } from "../src/cluster.js";
import { ORPHAN_CONDITION, PODGC_COMPONENT } from "../src/controllers/podgc.js";
import { simulate } from "../src/run.js";
import type { Scenario } from "../src/scenario/types.js";
import { DEFAULT_SETTINGS, type Settings } from "../src/settings.js";
import { load, removeScenarios, SCENARIOS, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const bare = (name: string, node: string) =>
  `    - manifest: {apiVersion: v1, kind: Pod, metadata: {name: ${name}}, spec: {nodeName: ${node}, containers: [{name: c, image: i, resources: {requests: {cpu: 100m}}}]}}\n`;

const scenario = (workloads: string, timeline = "") => `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: podgc}
spec:
  duration: 3m
  cluster:
    nodePools:
      - {name: worker, count: 1, capacity: {cpu: "1", memory: 4Gi}}
  workloads:
${workloads}${timeline}`;

interface Write {
  time: number;
  type: WatchType;
  pod: Pod;
}

/** Runs `s` recording every Pod write and the time of every engine event the pod garbage collector handled. */
/**
 * Runs `s`. With `terminatedFromManifest`, a Pod manifest's status (Succeeded, Failed) is written through the status
 * subresource right after its create, as the kubelet that ran it would have: the API server drops status on create.
 */
function run(s: Scenario, settings: Partial<Settings> = {}, terminatedFromManifest = false) {
  const writes: Write[] = [];
  const passes: number[] = [];
  let cluster: Cluster | undefined;
  const outcome = simulate(
    { ...s, settings: { ...s.settings, ...settings } },
    {
      observe: (c) => {
        cluster = c;
        if (terminatedFromManifest) {
          const create = c.cp.api.create.bind(c.cp.api);
          c.cp.api.create = (<T extends KubeObject>(o: T) => {
            const r = create(o);
            const status = (o as unknown as Pod).status;
            if (r.ok && o.kind === "Pod" && status?.phase) c.cp.api.updateStatus({ ...(r.object as unknown as Pod), status });
            return r;
          }) as typeof c.cp.api.create;
        }
        c.cp.store.watch("Pod", (type, obj) => writes.push({ time: c.sim.now, type, pod: obj as Pod }));
        // Count podgc's engine events at the engine: wrap its handler when (if ever) it registers.
        const register = c.sim.register.bind(c.sim);
        c.sim.register = ((name: string, handler: (e: unknown) => void) =>
          register(name, name === PODGC_COMPONENT ? (e: unknown) => (passes.push(c.sim.now), handler(e)) : handler)) as typeof c.sim.register;
      },
    },
  );
  const of = (name: string) => writes.filter((w) => w.pod.metadata.name === name);
  return { outcome, writes, of, passes, cluster: cluster! };
}

describe("pod garbage collector: orphaned pods", () => {
  it("marks a pod bound to a node that never exists Failed with DisruptionTarget, then deletes it at the first pass 40s after it was quarantined; a pod on a real node is never touched", () => {
    const r = run(load(writeScenario(scenario(bare("ghost", "worker-9") + bare("real", "worker-1")))));
    const { podGCPeriod: P, podGCOrphanQuarantine: Q } = DEFAULT_SETTINGS;
    // The pod exists from time 0, so the first pass (t = 0, the loop starts with the controller) quarantines
    // worker-9 until 0 + Q = 40s; passes run at multiples of P = 20s, and the first at or after 40s is
    // ceil(40s / 20s) x 20s = 40s, which finds worker-9 still absent and deletes the pod.
    const expected = Math.ceil((0 + Q) / P) * P;
    expect(expected).toBe(40_000);
    const ghost = r.of("ghost");
    const deleted = ghost.find((w) => w.type === "DELETED");
    expect(deleted?.time).toBe(expected);
    // The status patch comes right before the delete, in the same pass: phase Failed and the upstream condition.
    const patch = ghost[ghost.indexOf(deleted!) - 1];
    expect(patch.type).toBe("MODIFIED");
    expect(patch.time).toBe(expected);
    expect(patch.pod.status.phase).toBe("Failed");
    const cond = patch.pod.status.conditions?.find((c) => c.type === "DisruptionTarget");
    expect(cond).toMatchObject({ ...ORPHAN_CONDITION, lastTransitionTime: r.cluster.cp.clock.time(expected) });
    expect(ORPHAN_CONDITION).toEqual({ type: "DisruptionTarget", status: "True", reason: "DeletionByPodGC", message: "PodGC: node no longer exists" });
    // No earlier write carried the condition, and the pod was bound to worker-9 all along (grace period 0: no
    // deletionTimestamp step).
    expect(ghost.slice(0, ghost.indexOf(patch)).some((w) => w.pod.status.conditions?.some((c) => c.type === "DisruptionTarget"))).toBe(false);
    expect(ghost.some((w) => w.pod.metadata.deletionTimestamp !== undefined)).toBe(false);
    expect(r.cluster.cp.store.get("Pod", "default", "ghost")).toBeUndefined();
    // The pod on worker-1 runs to the end, never Failed, never marked, never deleted.
    const real = r.of("real");
    expect(real.length).toBeGreaterThan(0);
    expect(real.some((w) => w.type === "DELETED" || w.pod.status.phase === "Failed" || w.pod.metadata.deletionTimestamp !== undefined)).toBe(false);
    expect(real.some((w) => w.pod.status.conditions?.some((c) => c.type === "DisruptionTarget"))).toBe(false);
    expect(r.cluster.cp.store.get<Pod>("Pod", "default", "real")?.status.phase).toBe("Running");
    expect(r.cluster.controller<PodGCController>("pod-garbage-collector-controller")!.deleted).toBe(1);
    // Passes: 0 (quarantine), 20s (still waiting), 40s (delete; the still-listed pod queues worker-9 again, due 80s,
    // as upstream's delaying queue does), 60s (the pod is gone: no candidate left), 80s (the last queued name comes
    // due, with nothing bound to it); then none for the last 100s of the run.
    expect(r.passes).toEqual([0, 20_000, 40_000, 60_000, 80_000]);
    expect(r.cluster.controller<PodGCController>("pod-garbage-collector-controller")!.passes).toBe(5);
  });

  it("a pod that turns up between passes waits for the next pass, then the full quarantine (applied at 5s: deleted at 60s)", () => {
    const timeline = `  timeline:\n    - at: 5s\n      action: apply\n      manifest: {apiVersion: v1, kind: Pod, metadata: {name: late}, spec: {nodeName: worker-9, containers: [{name: c, image: i}]}}\n`;
    const r = run(load(writeScenario(scenario(bare("real", "worker-1"), timeline))));
    const { podGCPeriod: P, podGCOrphanQuarantine: Q } = DEFAULT_SETTINGS;
    // Created at 5s: the first pass at or after it is ceil(5s / 20s) x 20s = 20s, which quarantines worker-9 until
    // 20s + 40s = 60s, a multiple of 20s, so the pass at 60s deletes it (55s after its creation: upstream's worst
    // case is just under P + Q = 60s).
    const expected = Math.ceil((Math.ceil(5_000 / P) * P + Q) / P) * P;
    expect(expected).toBe(60_000);
    expect(r.of("late").find((w) => w.type === "DELETED")?.time).toBe(expected);
    expect(r.passes[0]).toBe(20_000);
  });

  it("takes podGCPeriod and podGCOrphanQuarantine from the scenario's settings", () => {
    const s = load(writeScenario(scenario(bare("ghost", "worker-9"))));
    // Period 15s, quarantine 40s: quarantined at 0 until 40s; passes at 15s, 30s, 45s: the first at or after 40s is
    // ceil(40s / 15s) x 15s = 45s.
    const r = run(s, { podGCPeriod: 15_000, podGCOrphanQuarantine: 40_000 });
    expect(r.of("ghost").find((w) => w.type === "DELETED")?.time).toBe(45_000);
    expect(r.passes.slice(0, 4)).toEqual([0, 15_000, 30_000, 45_000]);
    // Quarantine 0: AddAfter(name, 0) adds the name to the ready queue at once, so the first pass (t = 0) deletes it.
    const z = run(s, { podGCPeriod: 15_000, podGCOrphanQuarantine: 0 });
    expect(z.of("ghost").find((w) => w.type === "DELETED")?.time).toBe(0);
  });
});

describe("pod garbage collector: cost", () => {
  it.each(["node-failure.yaml", "scale-up.yaml"])("scenarios/%s has no orphan: no podgc engine event at all", (f) => {
    const r = run(load(join(SCENARIOS, f)));
    expect(r.passes).toEqual([]);
    expect(r.cluster.controller<PodGCController>("pod-garbage-collector-controller")!.passes).toBe(0);
    expect(r.cluster.controller<PodGCController>("pod-garbage-collector-controller")!.deleted).toBe(0);
  });

  it("a pod bound to a node that exists costs no podgc engine event", () => {
    const r = run(load(writeScenario(scenario(bare("real", "worker-1")))));
    expect(r.passes).toEqual([]);
    expect(r.cluster.controller<PodGCController>("pod-garbage-collector-controller")!.passes).toBe(0);
  });
});

describe("pod garbage collector: terminating pods on out-of-service nodes", () => {
  it("force-deletes a terminating pod on a not-ready node tainted node.kubernetes.io/out-of-service at the next pass", () => {
    const yaml = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: podgc-oos}
spec:
  duration: 3m
  cluster:
    nodePools:
      - {name: worker, count: 1, capacity: {cpu: "1", memory: 4Gi}, taints: [{key: node.kubernetes.io/out-of-service, effect: NoSchedule}]}
  workloads:
${bare("stuck", "worker-1")}  timeline:
    - {at: 10s, action: nodeFailure, node: worker-1}
    - {at: 90s, action: delete, target: pod/stuck}
`;
    const r = run(load(writeScenario(yaml)));
    const stuck = r.of("stuck");
    // The kubelet is down, so the graceful delete at 90s only marks the pod; the node has been NotReady (Unknown)
    // since about 60s and carries the taint, so the first pass at or after 90s, ceil(90s / 20s) x 20s = 100s, marks
    // it Failed and deletes it with grace period 0 (gcTerminating; no DisruptionTarget condition there).
    const marked = stuck.find((w) => w.pod.metadata.deletionTimestamp !== undefined);
    expect(marked?.time).toBe(90_000);
    const deleted = stuck.find((w) => w.type === "DELETED");
    expect(deleted?.time).toBe(100_000);
    const patch = stuck[stuck.indexOf(deleted!) - 1];
    expect([patch.time, patch.pod.status.phase]).toEqual([100_000, "Failed"]);
    expect(patch.pod.status.conditions?.some((c) => c.type === "DisruptionTarget")).toBe(false);
    expect(r.passes).toEqual([100_000]);
  });

  it("leaves a terminating pod alone while its out-of-service node is Ready", () => {
    const yaml = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: podgc-oos-ready}
spec:
  duration: 2m
  cluster:
    nodePools:
      - {name: worker, count: 1, capacity: {cpu: "1", memory: 4Gi}, taints: [{key: node.kubernetes.io/out-of-service, effect: NoSchedule}]}
  workloads:
${bare("p", "worker-1")}  timeline:
    - {at: 10s, action: delete, target: pod/p}
`;
    const r = run(load(writeScenario(yaml)));
    expect(r.passes).toEqual([]);
    expect(r.of("p").some((w) => w.pod.status.phase === "Failed")).toBe(false);
  });
});

describe("pod garbage collector: terminated pods above the threshold", () => {
  const done = (name: string, status: string) =>
    `    - manifest: {apiVersion: v1, kind: Pod, metadata: {name: ${name}}, spec: {containers: [{name: c, image: i}]}, status: ${status}}\n`;
  const pods = done("a", "{phase: Succeeded}") + done("b", "{phase: Succeeded}") + done("c", "{phase: Succeeded}") + done("d", "{phase: Failed, reason: Evicted}");

  it("deletes the terminated pods beyond terminatedPodGCThreshold, evicted first, then oldest (then by name)", () => {
    const r = run(load(writeScenario(scenario(pods))), { terminatedPodGCThreshold: 2 }, true);
    // 4 terminated pods, threshold 2: the pass at 0 deletes 2, d (evicted) and then a (all created at the same
    // second: by name).
    const deleted = r.writes.filter((w) => w.type === "DELETED").map((w) => [w.pod.metadata.name, w.time]);
    expect(deleted).toEqual([["d", 0], ["a", 0]]);
    expect(r.passes).toEqual([0]);
  });

  it("costs no engine event while the terminated pods are within the threshold (upstream 12500)", () => {
    expect(DEFAULT_SETTINGS.terminatedPodGCThreshold).toBe(12_500);
    const r = run(load(writeScenario(scenario(pods))), {}, true);
    expect(r.passes).toEqual([]);
    expect(r.writes.some((w) => w.type === "DELETED")).toBe(false);
  });
});
