/**
 * The cluster invariants (src/invariants): each check fires on a deliberately broken state and stays quiet on a
 * sound one; the monitor catches breakage injected into a real run; the bundled scenarios keep every invariant
 * after every event, and watching them does not change their digest.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Pod, ReplicaSet } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import {
  deliveryViolations,
  INVARIANTS,
  instantViolations,
  InvariantMonitor,
  lateDeliveryViolations,
  nodeCapacityViolations,
  podBindingViolations,
  replicaConvergenceViolations,
  resourceVersionViolations,
  virtualTimeViolations,
} from "../src/invariants/index.js";
import { simulate } from "../src/run.js";
import { resolveSettings } from "../src/settings.js";
import { node, pod } from "./fixtures/builders.js";
import { describeViolations, simulateChecked } from "./helpers/invariant-run.js";
import { load, removeScenarios, SCENARIOS, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const names = (vs: { invariant: string }[]) => [...new Set(vs.map((v) => v.invariant))];

describe("the invariant list", () => {
  it("names each invariant once, with a statement", () => {
    expect(new Set(INVARIANTS.map((i) => i.name)).size).toBe(INVARIANTS.length);
    for (const i of INVARIANTS) expect(i.statement.length).toBeGreaterThan(20);
  });
});

describe("node-capacity", () => {
  const n = node("n1").capacity({ cpu: "2", memory: "4Gi", pods: "3" }).build();
  it("holds when the bound requests fit", () => {
    expect(nodeCapacityViolations(n, [pod("a").requests({ cpu: "1", memory: "1Gi" }).on("n1").build(), pod("b").requests({ cpu: "1" }).on("n1").build()], 0)).toEqual([]);
  });
  it("fires per resource when they do not", () => {
    const pods = [1, 2, 3, 4].map((i) => pod(`p${i}`).requests({ cpu: "600m", memory: "2Gi" }).on("n1").build());
    const vs = nodeCapacityViolations(n, pods, 7);
    expect(vs.map((v) => v.message).join("\n")).toMatch(/2400 millicores of cpu, allocatable is 2000/);
    expect(vs.map((v) => v.message).join("\n")).toMatch(/bytes of memory/);
    expect(vs.map((v) => v.message).join("\n")).toMatch(/request 4 pods, allocatable is 3/);
    expect(vs.every((v) => v.invariant === "node-capacity" && v.time === 7)).toBe(true);
  });
});

describe("pod-binding", () => {
  it("fires for a pod bound to a node that does not exist, and only for it", () => {
    const pods = [pod("a").on("n1").build(), pod("b").on("ghost").build(), pod("c").build()];
    const vs = podBindingViolations(pods, (name) => name === "n1", 3);
    expect(vs).toHaveLength(1);
    expect(vs[0].message).toMatch(/default\/b is bound to node "ghost", which does not exist/);
  });
});

describe("resource-version", () => {
  const w = (storeVersion: number, objectVersion: string | undefined, type: "ADDED" | "MODIFIED" | "DELETED" = "MODIFIED") => ({ type, key: "Pod/default/a", storeVersion, objectVersion });
  it("holds for a write one above the previous, stamped on the object", () => {
    expect(resourceVersionViolations(4, w(5, "5"), 0)).toEqual([]);
    expect(resourceVersionViolations(4, w(5, "3", "DELETED"), 0)).toEqual([]);
  });
  it("fires when the version does not rise or the object does not carry it", () => {
    expect(resourceVersionViolations(5, w(5, "5"), 0)[0].message).toMatch(/not above the previous write's 5/);
    expect(resourceVersionViolations(5, w(3, "3"), 0)).toHaveLength(1);
    expect(resourceVersionViolations(4, w(5, "4"), 0)[0].message).toMatch(/carries resourceVersion "4", the store is at 5/);
  });
});

describe("watch-delivery", () => {
  const pending = { type: "MODIFIED" as const, key: "default/a", version: "7", dueAt: 10 };
  it("holds for the oldest pending write, delivered as its callback when due", () => {
    expect(deliveryViolations("informer/Pod", pending, { callback: "onUpdate", key: "default/a", version: "7" }, 10)).toEqual([]);
  });
  it("fires for a duplicate, an out-of-order or stale delivery, a wrong callback and an early one", () => {
    expect(deliveryViolations("i", undefined, { callback: "onUpdate", key: "default/a", version: "7" }, 10)[0].message).toMatch(/duplicate/);
    expect(deliveryViolations("i", pending, { callback: "onUpdate", key: "default/b", version: "8" }, 10)[0].message).toMatch(/out of order/);
    expect(deliveryViolations("i", pending, { callback: "onUpdate", key: "default/a", version: "6" }, 10)[0].message).toMatch(/out of order/);
    expect(deliveryViolations("i", pending, { callback: "onAdd", key: "default/a", version: "7" }, 10)[0].message).toMatch(/expected onUpdate/);
    expect(deliveryViolations("i", pending, { callback: "onUpdate", key: "default/a", version: "7" }, 9)[0].message).toMatch(/before it is due/);
  });
  it("fires for a write left undelivered past its due time", () => {
    expect(lateDeliveryViolations("i", pending, 10)).toEqual([]);
    expect(lateDeliveryViolations("i", pending, 11)[0].message).toMatch(/due at 10 ms and is still not delivered/);
  });
});

describe("virtual-time", () => {
  it("fires when an event is earlier than the previous one or the clock disagrees", () => {
    expect(virtualTimeViolations(5, 5, 5)).toEqual([]);
    expect(virtualTimeViolations(5, 4, 4)[0].message).toMatch(/went back/);
    expect(virtualTimeViolations(5, 6, 7)[0].message).toMatch(/clock reads 7 ms/);
  });
  it("fires when one instant holds more events than the budget (a zero-time loop)", () => {
    expect(instantViolations(10, 10, 5)).toEqual([]);
    expect(instantViolations(11, 10, 5)[0].message).toMatch(/more than 10 events at virtual time 5 ms/);
  });
  it("abandons a run stuck at one instant", () => {
    const s = load(writeScenario(SMALL.replace("DURATION", "3m")));
    const stuck = simulateChecked(s, (c) => {
      // Two components that schedule each other at zero delay forever.
      const a = c.sim.register<null>("test/ping", () => b.schedule(0, null));
      const b = c.sim.register<null>("test/pong", () => a.schedule(0, null));
      a.scheduleAt(60_000, null);
    }, { instantBudget: 1000 });
    expect(stuck.outcome).toBeUndefined();
    expect(describeViolations(stuck.violations)).toMatch(/virtual-time @60000ms\] more than 1000 events/);
  });
  it("is checked by the monitor on every call", () => {
    const cluster = new Cluster(1, resolveSettings({}), Date.UTC(2026, 0, 1));
    const m = new InvariantMonitor(cluster);
    m.afterEvent(0);
    m.afterEvent(-1);
    expect(names(m.violations)).toEqual(["virtual-time"]);
  });
});

describe("replica-convergence", () => {
  const rs: ReplicaSet = {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: "web", namespace: "default", uid: "rs-1" },
    spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "i" }] } } },
    status: {},
  } as unknown as ReplicaSet;
  const owned = (b: ReturnType<typeof pod>): Pod => {
    const p = b.labels({ app: "web" }).build();
    p.metadata.ownerReferences = [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: "rs-1", controller: true }];
    return p;
  };
  const full = node("n1").capacity({ cpu: "1" }).build();
  it("holds when the ReplicaSet owns spec.replicas active pods and the unbound ones fit nowhere", () => {
    const pods = [owned(pod("a").requests({ cpu: "1" }).on("n1")), owned(pod("b").requests({ cpu: "1" }).on("n1")), owned(pod("c").requests({ cpu: "1" }))];
    // n1 is overcommitted here, but that is node-capacity's business; c fits nowhere.
    expect(replicaConvergenceViolations({ replicaSets: [rs], pods, nodes: [full] }, 0)).toEqual([]);
  });
  it("fires when it owns fewer or more active pods than spec.replicas (deleting and finished ones do not count)", () => {
    const pods = [owned(pod("a").on("n1")), owned(pod("b").on("n1").deleting()), owned(pod("c").on("n1").phase("Failed"))];
    expect(replicaConvergenceViolations({ replicaSets: [rs], pods, nodes: [full] }, 0)[0].message).toMatch(/owns 1 active pod\(s\) at quiescence, spec.replicas is 3/);
    const more = [1, 2, 3, 4].map((i) => owned(pod(`p${i}`).on("n1")));
    expect(replicaConvergenceViolations({ replicaSets: [rs], pods: more, nodes: [full] }, 0)).toHaveLength(1);
  });
  it("fires for an unbound pod that a Ready, tolerated, matching node with room could hold", () => {
    const roomy = node("n2").capacity({ cpu: "8" }).labels({ disk: "ssd" }).build();
    const pods = [owned(pod("a").on("n2")), owned(pod("b").on("n2")), owned(pod("c").requests({ cpu: "1" }).nodeSelector({ disk: "ssd" }))];
    expect(replicaConvergenceViolations({ replicaSets: [rs], pods, nodes: [full, roomy] }, 0)[0].message).toMatch(/pod c is still unbound at quiescence, though node n2 can hold it/);
    // The same pod is rightly pending on a tainted, a NotReady, an unmatched or a full node.
    for (const n of [
      node("n2").capacity({ cpu: "8" }).labels({ disk: "ssd" }).taint("k", "v", "NoSchedule").build(),
      node("n2").capacity({ cpu: "8" }).labels({ disk: "ssd" }).conditions([{ type: "Ready", status: "Unknown" }]).build(),
      node("n2").capacity({ cpu: "8" }).labels({ disk: "hdd" }).build(),
      node("n2").capacity({ cpu: "8", pods: "2" }).labels({ disk: "ssd" }).build(),
    ]) {
      expect(replicaConvergenceViolations({ replicaSets: [rs], pods, nodes: [full, n] }, 0)).toEqual([]);
    }
  });
});

const SMALL = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: small}
spec:
  duration: DURATION
  cluster:
    nodePools:
      - {name: worker, count: 2, capacity: {cpu: "4", memory: 16Gi, pods: 110}, labels: {topology.kubernetes.io/zone: zone-a}}
  workloads:
    - file: manifests/nginx.yaml
`;

/** Registers a component that calls `fn` once at virtual time `at`. */
function at(c: Cluster, time: number, fn: () => void): void {
  c.sim.register<null>(`test/break-${time}-${Math.random()}`, fn).scheduleAt(time, null);
}

describe("the monitor on a run with injected breakage", () => {
  const scenario = () => load(writeScenario(SMALL.replace("DURATION", "3m")));
  const breakWith = (fn: (c: Cluster) => void) => simulateChecked(scenario(), (c) => at(c, 60_000, () => fn(c))).violations;

  it("reports nothing on the unbroken run", () => {
    expect(describeViolations(simulateChecked(scenario()).violations)).toBe("");
  });
  it("catches a pod bound to a missing node that outlives the pod garbage collector's deadline", () => {
    const vs = breakWith((c) => {
      // The break: the garbage collector never runs its pass, so the stray pod is never removed.
      (c.controller("pod-garbage-collector-controller") as unknown as { gc: () => void }).gc = () => {};
      c.cp.store.put("ADDED", { ...pod("stray").on("ghost-1").build(), metadata: { name: "stray", namespace: "default", uid: "u-stray" } }, undefined);
    });
    expect(names(vs)).toContain("pod-binding");
    // Orphaned at 60s; deadline 60s + 0 latency + one 20s period + ceil(40s / 20s) x 20s = 120s, before the 3m end.
    expect(describeViolations(vs)).toContain("past the pod garbage collector's deadline of 120000 ms");
  });
  it("does not report an orphan the pod garbage collector removes in time", () => {
    const vs = breakWith((c) => c.cp.store.put("ADDED", { ...pod("stray").on("ghost-1").build(), metadata: { name: "stray", namespace: "default", uid: "u-stray" } }, undefined));
    expect(names(vs)).not.toContain("pod-binding");
  });
  it("catches an overcommitted node", () => {
    // A pod running on worker-1 (admitted, as far as the store says) that does not fit: no kubelet would allow it.
    const hog = { ...pod("hog").requests({ cpu: "64" }).on("worker-1").build(), metadata: { name: "hog", namespace: "default", uid: "u-hog" } };
    const vs = breakWith((c) => c.cp.store.put("ADDED", { ...hog, status: { ...hog.status, phase: "Running", startTime: "2026-01-01T00:01:00Z" } }, undefined));
    expect(names(vs)).toContain("node-capacity");
    expect(describeViolations(vs)).toMatch(/node worker-1: bound pods request \d+ millicores of cpu, allocatable is 4000/);
  });
  it("catches a pod the scheduler bound that the kubelet rejects for lack of room", () => {
    const vs = breakWith((c) => {
      const p = { ...pod("late").requests({ cpu: "1" }).build(), metadata: { name: "late", namespace: "default", uid: "u-late" } };
      c.cp.store.put("ADDED", p, undefined);
      // As if the scheduler bound it, and the kubelet then refused it: the scheduler overcommitted the node.
      c.cp.store.put("MODIFIED", { ...p, spec: { ...p.spec, nodeName: "worker-1" }, status: { ...p.status, phase: "Failed", reason: "OutOfcpu" } }, undefined);
    });
    expect(names(vs)).toContain("scheduler-fit");
  });
  it("catches a resourceVersion that goes back", () => {
    const vs = breakWith((c) => ((c.cp.store as unknown as { rv: number }).rv -= 10));
    expect(names(vs)).toContain("resource-version");
  });
  it("catches a watch event delivered twice", () => {
    const vs = breakWith((c) => {
      const n = c.cp.store.get("Node", undefined, "worker-1")!;
      (c.cp.informers.nodes as unknown as { deliver: (t: string, o: unknown, old: unknown) => void }).deliver("MODIFIED", n, n);
    });
    expect(names(vs)).toContain("watch-delivery");
  });
});

describe("the bundled scenarios with every invariant after every event", () => {
  const files = readdirSync(SCENARIOS).filter((f) => f.endsWith(".yaml"));
  it.each(files)("%s keeps every invariant, and observing it leaves its digest alone", (f) => {
    const s = load(join(SCENARIOS, f));
    const checked = simulateChecked(s);
    expect(describeViolations(checked.violations)).toBe("");
    expect(checked.outcome!.summary.digest).toBe(simulate(s).summary.digest);
  });
  it("a quiescent run converges: each ReplicaSet owns its replicas and nothing placeable is pending", () => {
    const checked = simulateChecked(load(writeScenario(SMALL.replace("DURATION", "20m"))));
    expect(checked.quiescent).toBe(true);
    expect(describeViolations(checked.violations)).toBe("");
  });
});

/**
 * Bugs the invariants found in k8sim (kubelet admission, pod garbage collection), kept as regression tests: the
 * kubelet now rejects a pod that does not fit (OutOfcpu), and the pod garbage collector removes pods bound to a node
 * that does not exist.
 */
describe("bugs the invariants caught, now fixed", () => {
  const scenario = (pods: string) => `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: bound}
spec:
  duration: 2m
  cluster:
    nodePools:
      - {name: worker, count: 1, capacity: {cpu: "1", memory: 4Gi}}
  workloads:
${pods}`;
  const bare = (name: string, node: string, cpu: string) =>
    `    - manifest: {apiVersion: v1, kind: Pod, metadata: {name: ${name}}, spec: {nodeName: ${node}, containers: [{name: c, image: i, resources: {requests: {cpu: ${cpu}}}}]}}\n`;

  // Upstream the kubelet's admission refuses a pod that does not fit (status Failed, reason OutOfcpu): 800m + 800m
  // named to worker-1 is 1600m on a 1000m node, so the second is rejected.
  it("the kubelet refuses a pod whose spec.nodeName names a node without room for it", () => {
    const r = simulateChecked(load(writeScenario(scenario(bare("a", "worker-1", "800m") + bare("b", "worker-1", "800m")))));
    expect(names(r.violations)).not.toContain("node-capacity");
  });

  // A pod bound to a node that never exists is deleted by the pod garbage collector after its 40s quarantine.
  it("a pod whose spec.nodeName names no node is not left bound to it", () => {
    const r = simulateChecked(load(writeScenario(scenario(bare("ghost", "worker-9", "100m")))));
    expect(names(r.violations)).not.toContain("pod-binding");
  });
});
