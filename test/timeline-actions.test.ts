import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPodActive, isPodReady } from "../src/api/pod-util.js";
import type { Deployment, Pod, ReplicaSet } from "../src/api/types.js";
import type { Cluster } from "../src/cluster.js";
import type { RunOutcome } from "../src/run.js";
import { column, load, run, removeScenarios, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

/** scenarios/manifests/batch-api.yaml with another image (and optionally more spec lines): a kubectl apply. */
function apiManifest(image: string, extraSpec = "", extraPodSpec = "", cpu = "1"): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
spec:
  replicas: 4
${extraSpec}  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
${extraPodSpec}      containers:
        - name: api
          image: ${image}
          resources:
            requests:
              cpu: "${cpu}"
              memory: 1Gi
`;
}

const OLD_IMAGE = "registry.example.com/api:2.3.1";
const NEW_IMAGE = "registry.example.com/api:2.4.0";

/** Calls `fn` with the cluster at virtual time `at` (after the actions scheduled earlier at that time). */
function at(cluster: Cluster, when: number, fn: () => void): void {
  cluster.sim.register<null>(`test/at-${when}`, () => fn()).scheduleAt(when, null);
}

describe("apply of a changed Deployment: RollingUpdate, then delete deployment/api", () => {
  /**
   * 3 workers x 4 CPU; api: 4 replicas x 1 CPU, default strategy RollingUpdate 25% / 25%:
   *   maxSurge = ceil(4 x 0.25) = 1 -> at most 4 + 1 = 5 pods (active: not terminating, not terminal);
   *   maxUnavailable = floor(4 x 0.25) = 1 -> at least 4 - 1 = 3 available.
   * At 1m the new image is applied; at 3m the Deployment is deleted (background cascade, 30s grace).
   */
  const APPLY = 60_000;
  const DELETE = 180_000;
  let outcome: RunOutcome;
  const pods = new Map<string, Pod>();
  let maxActive = 0;
  let minAvailable = Infinity;
  let violations: string[] = [];
  let at2m: { pods: Pod[]; rs: ReplicaSet[]; d: Deployment | undefined } | undefined;
  const rsDeleted: { name: string; at: number }[] = [];
  const podDeleted: { name: string; at: number }[] = [];
  let deploymentDeletedAt = -1;

  beforeAll(() => {
    const file = writeScenario(
      `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: rolling-update}
spec:
  duration: 5m
  cluster:
    nodePools:
      - {name: worker, count: 3, capacity: {cpu: "4", memory: 16Gi}}
  workloads:
    - file: manifests/batch-api.yaml
  timeline:
    - {at: 1m, action: apply, file: api-v2.yaml}
    - {at: 3m, action: delete, target: deployment/api}
  expect:
    - {at: 2m, object: deployment/api, field: status.updatedReplicas, "==": 4}
    - {at: 2m, object: deployment/api, field: status.availableReplicas, "==": 5}
    - {at: 2m, object: deployment/api, field: spec.template.spec.containers.0.image, "==": "${OLD_IMAGE}"}
    - {at: 2m, object: node/worker-1, field: spec.unschedulable, "==": true}
`,
      { "api-v2.yaml": apiManifest(NEW_IMAGE) },
    );
    outcome = run(load(file), (cluster) => {
      const { store } = cluster.cp;
      store.watch("Pod", (type, o) => {
        const p = o as Pod;
        if (type === "DELETED") {
          pods.delete(p.metadata.name);
          podDeleted.push({ name: p.metadata.name, at: cluster.sim.now });
        } else pods.set(p.metadata.name, p);
        const now = cluster.sim.now;
        if (now < APPLY || now >= DELETE) return;
        const active = [...pods.values()].filter(isPodActive);
        const available = active.filter(isPodReady).length;
        maxActive = Math.max(maxActive, active.length);
        minAvailable = Math.min(minAvailable, available);
        if (active.length > 5 || available < 3) violations.push(`${now}ms: ${active.length} active, ${available} available`);
      });
      store.watch("ReplicaSet", (type, o) => {
        if (type === "DELETED") rsDeleted.push({ name: o.metadata.name, at: cluster.sim.now });
      });
      store.watch("Deployment", (type) => {
        if (type === "DELETED") deploymentDeletedAt = cluster.sim.now;
      });
      at(cluster, 120_000, () => {
        at2m = {
          pods: [...store.list<Pod>("Pod")],
          rs: [...store.list<ReplicaSet>("ReplicaSet")],
          d: store.get<Deployment>("Deployment", "default", "api"),
        };
      });
    });
  });

  const scaling = () => outcome.events.filter((e) => e.reason === "ScalingReplicaSet" && e.simTime >= APPLY && e.simTime < DELETE);

  it("creates a new ReplicaSet for the new template and scales the old one down to 0", () => {
    expect(at2m!.rs).toHaveLength(2);
    const [oldRS, newRS] = at2m!.rs;
    expect(oldRS.spec.template.spec.containers[0].image).toBe(OLD_IMAGE);
    expect(newRS.spec.template.spec.containers[0].image).toBe(NEW_IMAGE);
    expect(oldRS.spec.replicas).toBe(0);
    expect(newRS.spec.replicas).toBe(4);
    expect(newRS.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    expect(newRS.metadata.name).not.toBe(oldRS.metadata.name);
    const msgs = scaling().map((e) => e.message);
    // First sync (rolling.go): new RS 0 -> 1 (replicas 4 + maxSurge 1 = 5 in total); old 4 -> 3, because
    // maxScaledDown = all 5 - minAvailable 3 - new-but-unavailable 1 = 1, and available 4 - minAvailable 3 = 1.
    expect(msgs[0]).toBe(`Scaled up replica set ${newRS.metadata.name} from 0 to 1`);
    expect(msgs[1]).toBe(`Scaled down replica set ${oldRS.metadata.name} from 4 to 3`);
    expect(msgs.at(-1)).toMatch(new RegExp(`^Scaled (up replica set ${newRS.metadata.name} from \\d to 4|down replica set ${oldRS.metadata.name} from \\d to 0)$`));
    expect(msgs.filter((m) => m.includes(oldRS.metadata.name)).at(-1)).toMatch(/ to 0$/);
  });

  it("respects maxSurge 1 and maxUnavailable 1 at every instant of the rollout", () => {
    expect(violations).toEqual([]);
    expect(maxActive).toBe(5); // the surge is used
    expect(minAvailable).toBe(3); // and so is the unavailability budget
    for (const s of column(outcome, "deployment_available_replicas:default/api").filter((x) => x.t >= 60 && x.t < 180)) {
      expect(s.v).toBeGreaterThanOrEqual(3);
    }
  });

  it("ends the rollout with 4 available pods, all running the new image", () => {
    const active = at2m!.pods.filter(isPodActive);
    expect(active).toHaveLength(4);
    for (const p of active) {
      expect(p.spec.containers[0].image).toBe(NEW_IMAGE);
      expect(p.status.phase).toBe("Running");
      expect(isPodReady(p)).toBe(true);
    }
    expect(at2m!.pods).toHaveLength(4); // the old ones are gone, not just terminating
    expect(at2m!.d?.status?.updatedReplicas).toBe(4);
    expect(at2m!.d?.status?.availableReplicas).toBe(4);
  });

  it("delete deployment/api removes the Deployment and its ReplicaSets at once and its pods after graceful termination", () => {
    expect(deploymentDeletedAt).toBe(DELETE);
    expect(rsDeleted.map((r) => r.at)).toEqual([DELETE, DELETE]);
    const gone = podDeleted.filter((d) => d.at >= DELETE);
    expect(gone).toHaveLength(4);
    // Terminating first (kubelet sends Killing), deleted once the containers stop: within the 30s grace.
    const killing = outcome.events.filter((e) => e.reason === "Killing" && e.simTime >= DELETE);
    expect(killing.map((e) => e.involvedObject.name).sort()).toEqual(gone.map((g) => g.name).sort());
    for (const g of gone) {
      expect(g.at).toBeGreaterThan(DELETE);
      expect(g.at).toBeLessThanOrEqual(DELETE + 30_000);
    }
    expect(pods.size).toBe(0);
    expect(outcome.summary.totals.podsCreated).toBe(8); // 4 old + 4 new; nothing recreated the deleted pods
    const last = outcome.metricsRows.at(-1)!;
    expect(Number(last[outcome.metricsHeader.indexOf("pods_running")])).toBe(0);
    expect(outcome.summary.problems).toEqual([]);
  });

  it("reports failed expectations with passed=false and the actual value", () => {
    const r = outcome.summary.expectations;
    expect(r).toHaveLength(4);
    expect(r[0]).toMatchObject({ at: 120_000, actual: 4, passed: true });
    expect(r[1]).toMatchObject({ at: 120_000, actual: 4, passed: false }); // 5 wanted
    expect(r[2]).toMatchObject({ at: 120_000, actual: NEW_IMAGE, passed: false });
    expect(r[3]).toMatchObject({ at: 120_000, actual: null, passed: false }); // field absent: null
    for (const e of r) expect(e.source).toMatch(/scenario\.yaml:\d+:\d+$/);
    expect(r[1].expect).toContain("status.availableReplicas == 5");
    expect(outcome.passed).toBe(false);
  });
});

describe("scale of a Deployment down: victims by the upstream ranking (ActivePodsWithRanks)", () => {
  it("removes a pod from the doubled-up node (2 pods on one node, 1 on the other, scale 3 -> 2)", () => {
    // 2 workers, 3 replicas x 1 CPU: LeastAllocated spreads 1 + 1, then the third doubles up a node.
    // All 3 are Running, Ready, same cost, same restarts: rank 5 (more pods of the set on the node) decides.
    const file = writeScenario(`apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: scale-down}
spec:
  duration: 2m
  cluster:
    nodePools:
      - {name: worker, count: 2, capacity: {cpu: "4", memory: 16Gi}}
  workloads:
    - file: manifests/batch-api.yaml
  timeline:
    - {at: 30s, action: scale, target: deployment/api, replicas: 3}
    - {at: 1m, action: scale, target: deployment/api, replicas: 2}
  expect:
    - {object: deployment/api, field: status.availableReplicas, "==": 2}
`);
    const nodeOf = new Map<string, string>();
    let before: Pod[] = [];
    let after: Pod[] = [];
    const outcome = run(load(file), (cluster) => {
      cluster.cp.store.watch("Pod", (_t, o) => {
        const p = o as Pod;
        if (p.spec.nodeName) nodeOf.set(p.metadata.name, p.spec.nodeName);
      });
      at(cluster, 59_999, () => (before = [...cluster.cp.store.list<Pod>("Pod")].filter(isPodActive)));
      at(cluster, 90_000, () => (after = [...cluster.cp.store.list<Pod>("Pod")]));
    });
    // 4 -> 3 at 30s already removed one; now 3 pods: 2 on one node, 1 on the other.
    expect(before).toHaveLength(3);
    const perNode = new Map<string, number>();
    for (const p of before) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
    expect([...perNode.values()].sort()).toEqual([1, 2]);
    const doubled = [...perNode].find(([, n]) => n === 2)![0];
    const deletes = outcome.events.filter((e) => e.reason === "SuccessfulDelete" && e.simTime === 60_000);
    expect(deletes).toHaveLength(1);
    const victim = deletes[0].message.replace("Deleted pod: ", "");
    expect(nodeOf.get(victim)).toBe(doubled);
    // Result: one pod per node.
    expect(new Set(after.map((p) => p.spec.nodeName)).size).toBe(2);
    expect(after).toHaveLength(2);
    expect(outcome.passed).toBe(true);
  });

  it("removes unscheduled Pending pods before running ones (scale-up.yaml, 16 then 14 at 5m)", () => {
    // 12 of 16 fit (12 CPU / 1 CPU); the 4 unscheduled rank first (rank 1: unassigned < assigned), so 16 -> 14
    // deletes 2 of them and the 12 running pods are untouched.
    const file = writeScenario(`apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: scale-down-pending}
spec:
  duration: 6m
  cluster:
    nodePools:
      - {name: worker, count: 3, capacity: {cpu: "4", memory: 16Gi, pods: 110}}
  workloads:
    - file: manifests/batch-api.yaml
  timeline:
    - {at: 2m, action: scale, target: deployment/api, replicas: 16}
    - {at: 5m, action: scale, target: deployment/api, replicas: 14}
  expect:
    - {object: deployment/api, field: status.availableReplicas, "==": 12}
    - {object: deployment/api, field: status.replicas, "==": 14}
`);
    const bound = new Set<string>();
    const outcome = run(load(file), (cluster) => {
      cluster.cp.store.watch("Pod", (_t, o) => {
        const p = o as Pod;
        if (p.spec.nodeName) bound.add(p.metadata.name);
      });
    });
    const deletes = outcome.events.filter((e) => e.reason === "SuccessfulDelete");
    expect(deletes).toHaveLength(2);
    for (const e of deletes) {
      expect(e.simTime).toBe(300_000);
      expect(bound.has(e.message.replace("Deleted pod: ", ""))).toBe(false);
    }
    expect(outcome.events.filter((e) => e.reason === "Killing")).toEqual([]);
    const unsched = column(outcome, "pods_unschedulable");
    expect(unsched.find((s) => s.t === 290)!.v).toBe(4);
    expect(unsched.find((s) => s.t === 310)!.v).toBe(2);
    expect(outcome.passed).toBe(true);
  });

  /**
   * Upstream (pkg/controller/replicaset/replica_set.go manageReplicas) ranks the doubled-up criterion over the
   * *related* pods: getIndirectlyRelatedPods returns the active pods of every ReplicaSet owned by the same
   * Deployment, and getPodsRankedByRelatedPodsOnSameNode counts those per node. During a rolling update the new
   * ReplicaSet's pods therefore count when the old ReplicaSet picks its victims.
   *
   * Nodes: a-1 (1.5 CPU) and b-1 (4 CPU). Old template, 3 x 1 CPU: a-1 holds one (no room for a second), b-1 two.
   * New template: 100m, nodeSelector kubernetes.io/hostname=a-1, maxSurge 2, maxUnavailable 0, so the new
   * ReplicaSet starts 2 pods on a-1 (3 + 2 = 5 = replicas + maxSurge) and, once they are available, the old one is
   * scaled 3 -> 1 (maxScaledDown = 5 - 3 - 0 = 2). Related active pods per node: a-1 = 1 old + 2 new = 3,
   * b-1 = 2, so upstream deletes the old pod on a-1 first (rank 3) and one of the two on b-1 (rank 2).
   * Counting only the old ReplicaSet's own pods (a-1: 1, b-1: 2) would delete both pods on b-1 instead.
   */
  it("counts the new ReplicaSet's pods on a node when the old ReplicaSet picks victims during a rollout", () => {
    const file = writeScenario(
      `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: related-pods}
spec:
  duration: 3m
  cluster:
    nodePools:
      - {name: a, count: 1, capacity: {cpu: 1500m, memory: 16Gi}}
      - {name: b, count: 1, capacity: {cpu: "4", memory: 16Gi}}
  workloads:
    - file: api-v1.yaml
  timeline:
    - {at: 1m, action: apply, file: api-v2.yaml}
`,
      {
        "api-v1.yaml": apiManifest(OLD_IMAGE).replace("replicas: 4", "replicas: 3"),
        "api-v2.yaml": apiManifest(
          NEW_IMAGE,
          "  strategy:\n    type: RollingUpdate\n    rollingUpdate: {maxSurge: 2, maxUnavailable: 0}\n",
          "      nodeSelector:\n        kubernetes.io/hostname: a-1\n",
          "100m",
        ).replace("replicas: 4", "replicas: 3"),
      },
    );
    const nodeOf = new Map<string, string>();
    const outcome = run(load(file), (cluster) => {
      cluster.cp.store.watch("Pod", (_t, o) => {
        const p = o as Pod;
        if (p.spec.nodeName) nodeOf.set(p.metadata.name, p.spec.nodeName);
      });
    });
    // Precondition: the old pods sit 1 on a-1 and 2 on b-1, the new ones all on a-1.
    const oldPods = [...nodeOf].filter(([, n]) => n).filter(([name]) => outcome.events.some((e) => e.reason === "Scheduled" && e.simTime < 60_000 && e.involvedObject.name === name));
    expect(oldPods.map(([, n]) => n).sort()).toEqual(["a-1", "b-1", "b-1"]);
    const deletes = outcome.events.filter((e) => e.reason === "SuccessfulDelete");
    expect(deletes).toHaveLength(3);
    const firstBatch = deletes.filter((e) => e.simTime === deletes[0].simTime).map((e) => nodeOf.get(e.message.replace("Deleted pod: ", "")));
    expect(firstBatch).toHaveLength(2);
    expect(firstBatch.sort()).toEqual(["a-1", "b-1"]);
  });
});
