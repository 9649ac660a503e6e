/**
 * The namespace controller (src/controllers/namespace, upstream pkg/controller/namespace): deleting a namespace
 * marks it Terminating and nothing else; the controller empties it through the API 5s later (pods gracefully),
 * records upstream's conditions, comes back after estimate / 2 + 1 seconds while pods terminate, then removes the
 * `kubernetes` finalizer and the API server removes the namespace.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { WatchType } from "../src/api/store.js";
import type { ConfigMap, KubeObject, Namespace, Pod } from "../src/api/types.js";
import {
  deletionConditions,
  estimatePodTermination,
  remainingRequeueMs,
  resourceRemaining,
  updateNamespaceConditions,
} from "../src/controllers/namespace/deletion-status.js";
import { NAMESPACE_DELETION_GRACE_PERIOD_MS } from "../src/controllers/namespace/namespace-controller.js";
import { simulateChecked } from "./helpers/invariant-run.js";
import { load, removeScenarios, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const PODS = { group: "", version: "v1", plural: "pods" };
const obj = (finalizers?: string[]): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", finalizers } });

describe("the deleter's bookkeeping (pure)", () => {
  it("estimates the longest grace period of the pods not finished", () => {
    const pod = (phase: Pod["status"]["phase"], grace?: number) => ({ spec: { terminationGracePeriodSeconds: grace }, status: { phase } }) as unknown as Pod;
    expect(estimatePodTermination([pod("Running", 30), pod("Pending", 45), pod("Succeeded", 90), pod("Running")])).toBe(45);
    expect(estimatePodTermination([])).toBe(0);
  });

  it("what is left of a resource: waited for (the estimate, or 15s for finalizers) or an error", () => {
    expect(resourceRemaining(PODS, "team", [], 30)).toMatchObject({ estimate: 0, numRemaining: 0 });
    expect(resourceRemaining(PODS, "team", [obj(), obj()], 30)).toMatchObject({ estimate: 30, numRemaining: 2 });
    const fin = resourceRemaining(PODS, "team", [obj(["a"]), obj(["a", "b"]), obj()], 0);
    expect(fin.estimate).toBe(15);
    expect([...fin.finalizersToNumRemaining]).toEqual([["a", 2], ["b", 1]]);
    expect(resourceRemaining(PODS, "team", [obj()], 0).error).toBe("unexpected items still remain in namespace: team for gvr: /v1, Resource=pods");
  });

  it("comes back after estimate / 2 + 1 seconds (integer division)", () => {
    expect(remainingRequeueMs(30)).toBe(16_000);
    expect(remainingRequeueMs(15)).toBe(8_000);
  });

  it("conditions: the True ones asked for, the False variants for the rest, in upstream's order and texts", () => {
    const t = "2026-01-01T00:00:35Z";
    const asked = deletionConditions(
      [
        { res: PODS, r: { estimate: 30, numRemaining: 3, finalizersToNumRemaining: new Map([["batch.kubernetes.io/job-tracking", 1]]) } },
        { res: { group: "apps", version: "v1", plural: "replicasets" }, r: { estimate: 15, numRemaining: 1, finalizersToNumRemaining: new Map([["foregroundDeletion", 1]]) } },
      ],
      [],
      t,
    );
    const { conditions, changed } = updateNamespaceConditions(undefined, asked, t);
    expect(changed).toBe(true);
    expect(conditions.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ["NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered", "All resources successfully discovered"],
      ["NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions", "All legacy kube types successfully parsed"],
      ["NamespaceDeletionContentFailure", "False", "ContentDeleted", "All content successfully deleted, may be waiting on finalization"],
      ["NamespaceContentRemaining", "True", "SomeResourcesRemain", "Some resources are remaining: pods. has 3 resource instances, replicasets.apps has 1 resource instances"],
      ["NamespaceFinalizersRemaining", "True", "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining: batch.kubernetes.io/job-tracking in 1 resource instances, foregroundDeletion in 1 resource instances"],
    ]);
    // The same conditions again change nothing; a status change moves lastTransitionTime, a message change does not.
    expect(updateNamespaceConditions(conditions, asked, "later").changed).toBe(false);
    const later = updateNamespaceConditions(conditions, [], "2026-01-01T00:00:51Z").conditions;
    expect(later.find((c) => c.type === "NamespaceContentRemaining")).toMatchObject({ status: "False", reason: "ContentRemoved", message: "All content successfully removed", lastTransitionTime: "2026-01-01T00:00:51Z" });
    expect(later.find((c) => c.type === "NamespaceFinalizersRemaining")).toMatchObject({ status: "False", reason: "ContentHasNoFinalizers", message: "All content-preserving finalizers finished" });
    expect(later.find((c) => c.type === "NamespaceDeletionDiscoveryFailure")?.lastTransitionTime).toBe(t);
  });

  it("a content failure lists the errors sorted, as utilerrors.NewAggregate prints several: [a, b]", () => {
    const c = deletionConditions([], ["b failed", "a failed"], "t");
    expect(c).toEqual([{ type: "NamespaceDeletionContentFailure", status: "True", lastTransitionTime: "t", reason: "ContentDeletionFailed", message: "Failed to delete all resource types, 2 remaining: [a failed, b failed]" }]);
    const one = deletionConditions([], ["a failed"], "t");
    expect(one[0]!.message).toBe("Failed to delete all resource types, 1 remaining: a failed");
  });
});

const scenario = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: ns}
spec:
  duration: 2m
  cluster:
    nodePools:
      - {name: worker, count: 2, capacity: {cpu: "4", memory: 8Gi}}
  workloads:
    - manifest: {apiVersion: v1, kind: Namespace, metadata: {name: team}}
    - manifest: {apiVersion: v1, kind: ConfigMap, metadata: {name: settings, namespace: team}, data: {a: b}}
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: team}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: 100m}}}]}
  timeline:
    - {at: 30s, action: delete, target: namespace/team}
    - {at: 31s, action: apply, manifest: {apiVersion: v1, kind: ConfigMap, metadata: {name: late, namespace: team}}}
`;

describe("deleting a namespace (timeline at 30s)", () => {
  const writes: { t: number; type: WatchType; o: KubeObject }[] = [];
  const checked = simulateChecked(load(writeScenario(scenario)), (c) => {
    for (const k of ["Namespace", "Pod", "ConfigMap", "Deployment", "ReplicaSet"]) c.cp.store.watch(k, (type, o) => writes.push({ t: c.sim.now, type, o }));
  });
  const outcome = checked.outcome!;
  const team = writes.filter((w) => w.o.kind === "Namespace" && w.o.metadata.name === "team");
  const inTeam = (kind: string) => writes.filter((w) => w.o.kind === kind && w.o.metadata.namespace === "team");

  it("keeps the namespace and garbage-collection invariants after every event", () => {
    const mine = ["namespace-exists", "namespace-terminating", "foreground-deletion", "owner-references"];
    for (const name of mine) expect(checked.checking).toContain(name);
    expect(checked.violations.filter((v) => mine.includes(v.invariant))).toEqual([]);
  });

  it("marks it Terminating at once and touches nothing in it", () => {
    const first = team.find((w) => w.t === 30_000)!;
    expect(first.type).toBe("MODIFIED");
    expect((first.o as Namespace).status?.phase).toBe("Terminating");
    expect(first.o.metadata.deletionTimestamp).toBe("2026-01-01T00:00:30Z");
    expect((first.o as Namespace).spec?.finalizers).toEqual(["kubernetes"]);
    expect(writes.filter((w) => w.t >= 30_000 && w.t < 35_000 && w.o.kind !== "Namespace" && w.o.metadata.namespace === "team" && (w.type === "DELETED" || w.o.metadata.deletionTimestamp))).toEqual([]);
  });

  it("refuses creates in it while it is Terminating, with upstream's text", () => {
    expect(outcome.problems.map((p) => p.message)).toEqual([
      'Error from server (Forbidden): configmaps "late" is forbidden: unable to create new content in namespace team because it is being terminated',
    ]);
  });

  it("empties it 5s later: pods gracefully, the rest at once; conditions say the pods remain", () => {
    const pass = 30_000 + NAMESPACE_DELETION_GRACE_PERIOD_MS;
    expect(pass).toBe(35_000);
    const pods = inTeam("Pod").filter((w) => w.o.metadata.deletionTimestamp !== undefined);
    expect(Math.min(...pods.map((w) => w.t))).toBe(pass);
    // Pods are deleted with their own grace period (30s): the deadline is the pass + 30s.
    expect(pods[0].o.metadata.deletionTimestamp).toBe("2026-01-01T00:01:05Z");
    for (const k of ["ConfigMap", "Deployment", "ReplicaSet"]) {
      expect(inTeam(k).filter((w) => w.type === "DELETED" && w.o.metadata.name !== "kube-root-ca.crt").map((w) => w.t)).toEqual([pass]);
    }
    const status = team.filter((w) => w.t === pass && (w.o as Namespace).status?.conditions).at(-1)!.o as Namespace;
    expect(status.status!.conditions!.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ["NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered", "All resources successfully discovered"],
      ["NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions", "All legacy kube types successfully parsed"],
      ["NamespaceDeletionContentFailure", "False", "ContentDeleted", "All content successfully deleted, may be waiting on finalization"],
      ["NamespaceContentRemaining", "True", "SomeResourcesRemain", "Some resources are remaining: pods. has 3 resource instances"],
      ["NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers", "All content-preserving finalizers finished"],
    ]);
  });

  it("then, with the pods gone, finalizes it: the namespace goes after its content", () => {
    // The pass at 35s estimated 30s (the pods' grace period) and asked to come back after 30 / 2 + 1 = 16s (51s),
    // but its own condition write is an update of a deleting namespace, which the informer handler queues again
    // after the 5s grace period, as upstream's UpdateFunc does: the next pass is at 35s + 5s = 40s. The pods are gone
    // by then; that pass writes the conditions (content removed), then finalizes without "kubernetes" (a conflict
    // with its own status write, so a GET and a second try), and the API server removes the namespace.
    const podsGone = Math.max(...inTeam("Pod").filter((w) => w.type === "DELETED").map((w) => w.t));
    expect(podsGone).toBeLessThan(40_000);
    const gone = team.find((w) => w.type === "DELETED")!;
    expect(gone.t).toBe(35_000 + NAMESPACE_DELETION_GRACE_PERIOD_MS);
    const last = gone.o as Namespace;
    expect(last.status?.conditions?.find((c) => c.type === "NamespaceContentRemaining")).toMatchObject({ status: "False", reason: "ContentRemoved", lastTransitionTime: "2026-01-01T00:00:40Z" });
    // Nothing in the namespace outlived it.
    const lastInTeam = Math.max(...writes.filter((w) => w.o.kind !== "Namespace" && w.o.metadata.namespace === "team").map((w) => w.t));
    expect(lastInTeam).toBeLessThanOrEqual(gone.t);
    const cms = inTeam("ConfigMap").map((w) => (w.o as ConfigMap).metadata.name);
    expect(cms).not.toContain("late");
  });
});
