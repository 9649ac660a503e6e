/**
 * The status invariants of the workload kinds (Deployment, ReplicaSet): what their controllers write into status is
 * a consistent count, and never claims to have observed a generation the object has not reached. Upstream's
 * calculateStatus (pkg/controller/deployment/sync.go, pkg/controller/replicaset/replica_set_utils.go) keeps these by
 * construction; a broken sum or a stale write shows here.
 */
import { describe, type Deployment, type KubeObject, type ReplicaSet } from "../api/types.js";
import { perWriteCheck } from "./per-write.js";
import { NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The deployment-status invariant. */
export const DEPLOYMENT_STATUS: InvariantInfo = {
  name: "deployment-status",
  statement:
    "a Deployment's status.observedGeneration never exceeds metadata.generation, its status counts are whole numbers >= 0, and updatedReplicas <= replicas, availableReplicas <= readyReplicas <= replicas",
  when: "every-event",
};

/** The replicaset-status invariant. */
export const REPLICASET_STATUS: InvariantInfo = {
  name: "replicaset-status",
  statement:
    "a ReplicaSet's status.observedGeneration never exceeds metadata.generation, its status counts are whole numbers >= 0, and fullyLabeledReplicas <= replicas, availableReplicas <= readyReplicas <= replicas",
  when: "every-event",
};

type Counts = Record<string, number | undefined>;

/** Violations of the shared rules: observedGeneration, counts, and each `[smaller, larger]` pair in order. */
function statusViolations(invariant: string, obj: KubeObject, status: Counts, fields: readonly string[], order: readonly [string, string][], time: number): Violation[] {
  const out: Violation[] = [];
  const report = (message: string) => out.push({ invariant, time, object: describe(obj), message });
  const observed = status.observedGeneration;
  const generation = obj.metadata.generation;
  if (observed !== undefined && generation !== undefined && observed > generation) {
    report(`status.observedGeneration ${observed} is above metadata.generation ${generation}: the controller claims a spec the object never had`);
  }
  for (const f of fields) {
    const v = status[f];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) report(`status.${f} is ${v}, not a whole number >= 0`);
  }
  for (const [small, large] of order) {
    const a = status[small] ?? 0;
    const b = status[large] ?? 0;
    if (a > b) report(`status.${small} ${a} is above status.${large} ${b}`);
  }
  return out;
}

/** Violations of deployment-status for one written Deployment. Pure. */
export function deploymentStatusViolations(d: Deployment, time: number): Violation[] {
  return statusViolations(
    DEPLOYMENT_STATUS.name,
    d,
    (d.status ?? {}) as Counts,
    ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"],
    [
      ["updatedReplicas", "replicas"],
      ["readyReplicas", "replicas"],
      ["availableReplicas", "readyReplicas"],
    ],
    time,
  );
}

/** Violations of replicaset-status for one written ReplicaSet. Pure. */
export function replicaSetStatusViolations(rs: ReplicaSet, time: number): Violation[] {
  return statusViolations(
    REPLICASET_STATUS.name,
    rs,
    (rs.status ?? {}) as unknown as Counts,
    ["replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas"],
    [
      ["fullyLabeledReplicas", "replicas"],
      ["readyReplicas", "replicas"],
      ["availableReplicas", "readyReplicas"],
    ],
    time,
  );
}

/** deployment-status, attributed to the Deployment kind and its controller; judged on every Deployment write. */
export const DEPLOYMENT_STATUS_CHECK: InvariantRegistration = {
  ...DEPLOYMENT_STATUS,
  owners: [{ kind: "Deployment" }, { controller: "deployment-controller" }],
  create: (cluster) => perWriteCheck(["Deployment"], () => cluster.sim.now, (type, obj, _old, time) => (type === "DELETED" ? NONE : deploymentStatusViolations(obj as Deployment, time))),
};

/** replicaset-status, attributed to the ReplicaSet kind and its controller; judged on every ReplicaSet write. */
export const REPLICASET_STATUS_CHECK: InvariantRegistration = {
  ...REPLICASET_STATUS,
  owners: [{ kind: "ReplicaSet" }, { controller: "replicaset-controller" }],
  create: (cluster) => perWriteCheck(["ReplicaSet"], () => cluster.sim.now, (type, obj, _old, time) => (type === "DELETED" ? NONE : replicaSetStatusViolations(obj as ReplicaSet, time))),
};
