/**
 * Garbage collection with propagation policies: the API server's delete path (the GC finalizers of
 * k8s.io/apiserver/pkg/registry/generic/registry/store.go) and the garbage collector
 * (src/controllers/garbagecollector, upstream pkg/controller/garbagecollector) working asynchronously, timed by
 * the informer latency and its client.
 */
import { afterAll, describe, expect, it } from "vitest";
import { ControlPlane } from "../src/api/control-plane.js";
import { deletionFinalizers, namespaceDeletionFinalizers } from "../src/api/deletion-policy.js";
import type { WatchType } from "../src/api/store.js";
import type { ConfigMap, KubeObject, OwnerReference, Pod } from "../src/api/types.js";
import type { Cluster } from "../src/cluster.js";
import { classifyRef, decideAttemptToDelete } from "../src/controllers/garbagecollector/decisions.js";
import { GarbageCollector } from "../src/controllers/garbagecollector/garbage-collector.js";
import { Simulation } from "../src/engine/simulation.js";
import { loadScenario } from "../src/scenario/load.js";
import { DEFAULT_SETTINGS, type Settings } from "../src/settings.js";
import { simulateChecked } from "./helpers/invariant-run.js";
import { load, removeScenarios, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

describe("DELETE: the GC finalizers (deletionFinalizersForGarbageCollection)", () => {
  const JOB_TRACKING = "batch.kubernetes.io/job-tracking";
  it.each([
    // [kind default, finalizers before, policy, finalizers after (undefined: unchanged)]
    ["Job (batch/v1 OrphanDependents), no policy: orphan", "OrphanDependents", undefined, undefined, ["orphan"]],
    ["Job, Background: nothing to add", "OrphanDependents", undefined, "Background", undefined],
    ["ReplicaSet (DeleteDependents), no policy: nothing (background)", "DeleteDependents", undefined, undefined, undefined],
    ["Foreground adds foregroundDeletion after the others", "DeleteDependents", [JOB_TRACKING], "Foreground", [JOB_TRACKING, "foregroundDeletion"]],
    ["a repeat with another policy swaps the finalizer", "DeleteDependents", ["foregroundDeletion"], "Orphan", ["orphan"]],
    ["a repeat with no policy keeps the one it has (it overrides the default)", "OrphanDependents", ["foregroundDeletion"], undefined, undefined],
    ["a repeat with Background drops it", "DeleteDependents", ["foregroundDeletion"], "Background", []],
    ["Unsupported never adds one", "Unsupported", undefined, "Foreground", undefined],
  ] as const)("%s", (_, def, before, policy, after) => {
    const r = deletionFinalizers(def, before, policy);
    expect(r.changed).toBe(after !== undefined);
    expect(r.finalizers).toEqual(after ?? before);
  });

  it("a namespace: the policy decides each GC finalizer, none keeps what it has", () => {
    expect(namespaceDeletionFinalizers(undefined, "Orphan")).toEqual(["orphan"]);
    expect(namespaceDeletionFinalizers(["orphan"], undefined)).toEqual(["orphan"]);
    expect(namespaceDeletionFinalizers(["orphan"], "Foreground")).toEqual(["foregroundDeletion"]);
    expect(namespaceDeletionFinalizers(undefined, "Background")).toBeUndefined();
  });
});

describe("attemptToDeleteItem's decision (pure)", () => {
  const ref = (uid: string): OwnerReference => ({ apiVersion: "v1", kind: "ConfigMap", name: uid, uid, blockOwnerDeletion: true });
  it("an owner of the same name and another uid is absent; one deleting in foreground is waited for", () => {
    expect(classifyRef(ref("u1"), undefined)).toBe("dangling");
    expect(classifyRef(ref("u1"), { uid: "u2" })).toBe("dangling");
    expect(classifyRef(ref("u1"), { uid: "u1", deletionTimestamp: "t", finalizers: ["foregroundDeletion"] })).toBe("waitingForDependentsDeletion");
    expect(classifyRef(ref("u1"), { uid: "u1", deletionTimestamp: "t", finalizers: ["orphan"] })).toBe("solid");
  });
  it.each([
    ["no solid owner: background", [], ["a"], [], false, false, { kind: "delete", policy: "Background", unblockFirst: false }],
    ["a solid owner and a dangling one: drop the dangling reference", ["a"], ["b"], [], false, false, { kind: "removeRefs", uids: ["b"] }],
    ["only solid owners: keep", ["a"], [], [], true, false, { kind: "keep" }],
    ["owner waiting, with dependents: foreground", [], [], ["a"], true, false, { kind: "delete", policy: "Foreground", unblockFirst: false }],
    ["owner waiting, a dependent deletes dependents too: unblock, then foreground", [], [], ["a"], true, true, { kind: "delete", policy: "Foreground", unblockFirst: true }],
    ["owner waiting, no dependents: background", [], [], ["a"], false, false, { kind: "delete", policy: "Background", unblockFirst: false }],
  ] as const)("%s", (_, solid, dangling, waiting, hasDeps, depDeleting, want) => {
    const refs = { solid: solid.map(ref), dangling: dangling.map(ref), waitingForDependentsDeletion: waiting.map(ref) };
    expect(decideAttemptToDelete(undefined, refs, hasDeps, depDeleting)).toEqual(want);
  });
  it("an object with its own orphan finalizer is deleted with Orphan", () => {
    expect(decideAttemptToDelete(["orphan"], { solid: [], dangling: [ref("a")], waitingForDependentsDeletion: [] }, true, false)).toEqual({ kind: "delete", policy: "Orphan", unblockFirst: false });
  });
});

/** A control plane with only the garbage collector, and a log of every ConfigMap write. */
function gcPlane(settings: Partial<Settings>) {
  const sim = new Simulation(1);
  const cp = new ControlPlane(sim, { ...DEFAULT_SETTINGS, ...settings }, 0);
  const gc = new GarbageCollector(cp);
  const writes: { t: number; type: WatchType; o: ConfigMap }[] = [];
  cp.store.watch("ConfigMap", (type, o) => writes.push({ t: sim.now, type, o: o as ConfigMap }));
  const cm = (name: string, owners: ConfigMap[] = [], block = true) => {
    const r = cp.api.create<ConfigMap>({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name, ownerReferences: owners.length ? owners.map((o) => ({ apiVersion: "v1", kind: "ConfigMap", name: o.metadata.name, uid: o.metadata.uid!, blockOwnerDeletion: block })) : undefined },
    });
    if (!r.ok) throw new Error(r.message);
    return r.object;
  };
  let actions = 0;
  const at = (t: number, fn: () => void) => sim.register<null>(`test/action-${actions++}`, fn).scheduleAt(t, null);
  const deletedAt = (name: string) => writes.find((w) => w.o.metadata.name === name && w.type === "DELETED")?.t;
  return { sim, cp, gc, cm, at, writes, deletedAt };
}

describe("the garbage collector on ConfigMaps (informerLatency 100ms, apiRequestLatency 10ms)", () => {
  const S = { informerLatency: 100, apiRequestLatency: 10 };

  it("background: the owner goes at once, its dependents when the collector has checked them", () => {
    const p = gcPlane(S);
    const owner = p.cm("owner");
    p.cm("d1", [owner]);
    p.cm("d2", [owner]);
    p.at(1000, () => p.cp.api.delete("ConfigMap", "default", "owner"));
    p.sim.run(10_000);
    expect(p.deletedAt("owner")).toBe(1000);
    // The graph sees the owner's removal at 1000 + 100 and records it absent (it had dependents); each dependent
    // then costs two requests of 10ms in turn: GET itself, then (the owner is known absent, no GET) DELETE with
    // background propagation -> 1100 + 2 x 10 = 1120.
    expect(p.deletedAt("d1")).toBe(1120);
    expect(p.deletedAt("d2")).toBe(1120);
    expect(p.gc.stats.deletes).toBe(2);
  });

  it("an object of the owner's name with another uid is not its owner", () => {
    const p = gcPlane(S);
    p.cm("owner");
    const r = p.cp.api.create<ConfigMap>({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "d1", ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: "0000-not-the-owner" }] },
    });
    expect(r.ok).toBe(true);
    p.sim.run(10_000);
    // 100: the graph gets d1 and a virtual node for the uid it names; that node's GET of ConfigMap "owner" (110)
    // finds another uid: a virtual delete, processed at once, records the owner absent and queues d1: GET d1 (120),
    // DELETE (130). The object named "owner" stays.
    expect(p.deletedAt("d1")).toBe(130);
    expect(p.cp.store.get("ConfigMap", "default", "owner")).toBeDefined();
  });

  it("foreground: the dependents with blockOwnerDeletion go first, then the owner loses foregroundDeletion and goes", () => {
    const p = gcPlane(S);
    const owner = p.cm("owner");
    p.cm("d1", [owner]);
    p.at(1000, () => p.cp.api.delete("ConfigMap", "default", "owner", { propagationPolicy: "Foreground" }));
    p.sim.run(10_000);
    const marked = p.writes.find((w) => w.o.metadata.name === "owner" && w.type === "MODIFIED");
    expect(marked).toMatchObject({ t: 1000, o: { metadata: { finalizers: ["foregroundDeletion"], deletionTimestamp: p.cp.clock.time(1000), deletionGracePeriodSeconds: 0 } } });
    // 1100: the graph sees the owner deleting dependents and queues d1 and the owner. d1: GET itself (1110), GET the
    // owner (1120: waiting for dependents; d1 has none, so background), DELETE at 1130.
    expect(p.deletedAt("d1")).toBe(1130);
    // The owner's pass (GET at 1110) found d1 blocking and queued it again; that second pass GETs d1 at 1140, finds
    // it gone and records a virtual delete, which removes d1 from the graph at 1140 and queues the owner: GET
    // (1150), no blocking dependent left, removeFinalizer's GET (1160) and PATCH (1170): the owner goes at 1170.
    expect(p.deletedAt("owner")).toBe(1170);
  });

  it("blockOwnerDeletion: without it the owner does not wait for its dependents", () => {
    const p = gcPlane(S);
    const owner = p.cm("owner");
    p.cm("d1", [owner], false);
    p.at(1000, () => p.cp.api.delete("ConfigMap", "default", "owner", { propagationPolicy: "Foreground" }));
    p.sim.run(10_000);
    // The owner's pass at 1100 finds no blocking dependent: GET (1110), removeFinalizer's GET (1120), PATCH (1130).
    // d1's pass classified the owner at 1120, while it was still waiting: it is deleted at 1130 too.
    expect(p.deletedAt("owner")).toBe(1130);
    expect(p.deletedAt("d1")).toBe(1130);
  });

  it("orphan: the dependents lose the owner's reference, then the owner loses the orphan finalizer and goes", () => {
    const p = gcPlane(S);
    const owner = p.cm("owner");
    const other = p.cm("other");
    p.cm("d1", [owner, other]);
    p.at(1000, () => p.cp.api.delete("ConfigMap", "default", "owner", { propagationPolicy: "Orphan" }));
    p.sim.run(10_000);
    // 1100: attemptToOrphan; the patch of d1 takes 10ms (1110), then removeFinalizer's GET (1120) and PATCH (1130).
    const patched = p.writes.find((w) => w.o.metadata.name === "d1" && w.type === "MODIFIED");
    expect(patched?.t).toBe(1110);
    expect(patched?.o.metadata.ownerReferences?.map((r) => r.name)).toEqual(["other"]);
    expect(p.deletedAt("owner")).toBe(1130);
    expect(p.deletedAt("d1")).toBeUndefined();
  });

  it("a repeated delete with another policy: Foreground, then Orphan swaps the finalizer; then Background lets it go", () => {
    const p = gcPlane({});
    const owner = p.cm("owner");
    const api = p.cp.api;
    api.delete("ConfigMap", "default", "owner", { propagationPolicy: "Foreground" });
    const rv1 = api.get<ConfigMap>("ConfigMap", "default", "owner")!.metadata.resourceVersion;
    // The same policy again writes nothing.
    api.delete("ConfigMap", "default", "owner", { propagationPolicy: "Foreground" });
    expect(api.get<ConfigMap>("ConfigMap", "default", "owner")!.metadata.resourceVersion).toBe(rv1);
    api.delete("ConfigMap", "default", "owner", { propagationPolicy: "Orphan" });
    expect(api.get<ConfigMap>("ConfigMap", "default", "owner")!.metadata.finalizers).toEqual(["orphan"]);
    api.delete("ConfigMap", "default", "owner", { propagationPolicy: "Background" });
    expect(api.get("ConfigMap", "default", "owner")).toBeUndefined();
    void owner;
  });

  it("a dependent in another namespace than its owner: Warning OwnerRefInvalidNamespace, and it is collected", () => {
    const p = gcPlane(S);
    p.cp.api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "other" } });
    const owner = p.cm("owner");
    const r = p.cp.api.create<ConfigMap>({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "stray", namespace: "other", ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.metadata.uid! }] },
    });
    expect(r.ok).toBe(true);
    p.sim.run(10_000);
    const ev = p.cp.events.records.filter((e) => e.reason === "OwnerRefInvalidNamespace");
    expect(ev.map((e) => [e.type, e.message, e.involvedObject.name, e.source.component])).toEqual([
      ["Warning", `ownerRef [v1/ConfigMap, namespace: other, name: owner, uid: ${owner.metadata.uid}] does not exist in namespace "other"`, "stray", "garbage-collector-controller"],
    ]);
    // The owner is looked for in the dependent's namespace, not found: the dependent is deleted (at 100 + 3 x 10).
    expect(p.deletedAt("stray")).toBe(130);
    expect(p.deletedAt("owner")).toBeUndefined();
  });
});

const deployment = (replicas: number) => `    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: ${replicas}
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: 100m}}}]}
`;

const scenario = (workloads: string, timeline: string) => `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: gc}
spec:
  duration: 2m
  settings: {informerLatency: 200ms}
  cluster:
    nodePools:
      - {name: worker, count: 2, capacity: {cpu: "4", memory: 8Gi}}
  workloads:
${workloads}${timeline ? `  timeline:\n${timeline}` : ""}`;

interface Write {
  t: number;
  type: WatchType;
  o: KubeObject;
}

/** Runs the scenario with every invariant checked after every event (foreground-deletion, owner-references...). */
function record(yaml: string, extra?: (c: Cluster) => void) {
  const writes: Write[] = [];
  let cluster: Cluster | undefined;
  const checked = simulateChecked(load(writeScenario(yaml)), (c) => {
    cluster = c;
    for (const k of ["Pod", "ReplicaSet", "Deployment", "Job"]) c.cp.store.watch(k, (type, o) => writes.push({ t: c.sim.now, type, o }));
    extra?.(c);
  });
  // The invariants about ownership and deletion (others' findings are their own tests' business).
  const mine = ["foreground-deletion", "owner-references", "namespace-exists", "replica-convergence", "pod-lifecycle"];
  for (const name of mine.slice(0, 2)) expect(checked.checking).toContain(name);
  expect(checked.violations.filter((v) => mine.includes(v.invariant))).toEqual([]);
  const of = (kind: string) => writes.filter((w) => w.o.kind === kind);
  const deleted = (kind: string) => of(kind).filter((w) => w.type === "DELETED").map((w) => w.t);
  const marked = (kind: string) => [...new Set(of(kind).filter((w) => w.o.metadata.deletionTimestamp !== undefined).map((w) => w.o.metadata.name))];
  const firstMark = (kind: string, name: string) => of(kind).find((w) => w.o.metadata.name === name && w.o.metadata.deletionTimestamp !== undefined)?.t;
  return { writes, of, deleted, marked, firstMark, cluster: () => cluster! };
}

describe("a Deployment deleted by the timeline (informerLatency 200ms)", () => {
  it("Background (the default, as kubectl): the Deployment at once, its ReplicaSet one informer delay later, its pods one more", () => {
    const r = record(scenario(deployment(3), "    - {at: 30s, action: delete, target: deployment/web}\n"));
    expect(r.deleted("Deployment")).toEqual([30_000]);
    // The collector sees the Deployment's removal at 30.2s and deletes the ReplicaSet (requests take no time here).
    expect(r.deleted("ReplicaSet")).toEqual([30_200]);
    // It sees the ReplicaSet's removal at 30.4s and deletes the 3 pods gracefully: marked at 30.4s.
    const pods = r.of("Pod").filter((w) => w.o.metadata.deletionTimestamp !== undefined);
    expect(new Set(pods.map((w) => w.o.metadata.name)).size).toBe(3);
    expect(Math.min(...pods.map((w) => w.t))).toBe(30_400);
    expect(r.deleted("Pod")).toHaveLength(3);
  });

  it("Foreground: the pods go first, then the ReplicaSet, then the Deployment", () => {
    const r = record(scenario(deployment(3), "    - {at: 30s, action: delete, target: deployment/web, propagationPolicy: Foreground}\n"));
    const dep = r.of("Deployment").find((w) => w.o.metadata.deletionTimestamp !== undefined)!;
    expect(dep.t).toBe(30_000);
    expect(dep.o.metadata.finalizers).toEqual(["foregroundDeletion"]);
    // 30.2s: the collector sees it and deletes the ReplicaSet in foreground (it has dependents).
    const rs = r.of("ReplicaSet").find((w) => w.o.metadata.deletionTimestamp !== undefined)!;
    expect(rs.t).toBe(30_200);
    expect(rs.o.metadata.finalizers).toEqual(["foregroundDeletion"]);
    // 30.4s: it sees the ReplicaSet deleting dependents and deletes the pods (background: they have none).
    expect(Math.min(...r.of("Pod").filter((w) => w.o.metadata.deletionTimestamp !== undefined).map((w) => w.t))).toBe(30_400);
    const podsGone = Math.max(...r.deleted("Pod"));
    expect(r.deleted("Pod")).toHaveLength(3);
    // Each level goes one informer delay after the last of its blocking dependents.
    expect(r.deleted("ReplicaSet")).toEqual([podsGone + 200]);
    expect(r.deleted("Deployment")).toEqual([podsGone + 400]);
    // While deleting, the ReplicaSet created no replacement pods.
    expect(new Set(r.of("Pod").map((w) => w.o.metadata.name)).size).toBe(3);
  });

  it("Orphan on a ReplicaSet: its pods stay, running, without the ownerReference", () => {
    const rsYaml = `    - manifest:
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: cache}
        spec:
          replicas: 2
          selector: {matchLabels: {app: cache}}
          template:
            metadata: {labels: {app: cache}}
            spec: {containers: [{name: c, image: redis:7, resources: {requests: {cpu: 100m}}}]}
`;
    let end: Pod[] = [];
    const r = record(scenario(rsYaml, "    - {at: 30s, action: delete, target: replicaset/cache, propagationPolicy: Orphan}\n"), (c) =>
      c.sim.register<null>("test/end", () => (end = [...c.cp.store.list<Pod>("Pod")])).scheduleAt(119_000, null),
    );
    const rs = r.of("ReplicaSet").find((w) => w.o.metadata.deletionTimestamp !== undefined)!;
    expect(rs).toMatchObject({ t: 30_000, o: { metadata: { finalizers: ["orphan"] } } });
    // 30.2s: the collector removes the reference from both pods, then the finalizer: the ReplicaSet goes.
    expect(r.deleted("ReplicaSet")).toEqual([30_200]);
    expect(r.deleted("Pod")).toEqual([]);
    expect(end.map((p) => [p.status.phase, p.metadata.ownerReferences])).toEqual([
      ["Running", undefined],
      ["Running", undefined],
    ]);
  });
});

describe("a Job deleted through the API with no propagationPolicy", () => {
  it("batch/v1's default orphans its pods (they run on without an owner); the timeline's Background deletes them", () => {
    const job = `    - manifest:
        apiVersion: batch/v1
        kind: Job
        metadata: {name: batch}
        spec:
          parallelism: 2
          completions: 2
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]
`;
    let end: Pod[] = [];
    const r = record(scenario(job, ""), (c) => {
      c.sim.register<null>("test/delete", () => c.cp.api.delete("Job", "default", "batch")).scheduleAt(30_000, null);
      c.sim.register<null>("test/end", () => (end = [...c.cp.store.list<Pod>("Pod")])).scheduleAt(119_000, null);
    });
    const marked = r.of("Job").find((w) => w.o.metadata.deletionTimestamp !== undefined)!;
    expect(marked).toMatchObject({ t: 30_000, o: { metadata: { finalizers: ["orphan"] } } });
    expect(r.deleted("Job")).toEqual([30_200]);
    expect(r.deleted("Pod")).toEqual([]);
    expect(end).toHaveLength(2);
    expect(end.every((p) => p.metadata.ownerReferences === undefined)).toBe(true);
  });
});

describe("the timeline's propagationPolicy", () => {
  it("refuses a value that is not a policy, at its line and column", () => {
    const file = writeScenario(scenario(deployment(1), "    - {at: 30s, action: delete, target: deployment/web, propagationPolicy: Cascade}\n"));
    const r = loadScenario(file);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([`${file}:22:76: spec.timeline[0].propagationPolicy: expected one of "Background", "Foreground", "Orphan"; got string "Cascade"`]);
  });
});
