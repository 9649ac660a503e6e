/** apps/v1 ReplicaSet (pkg/registry/apps/replicaset/strategy.go). */
import { defaultReplicaSet } from "../../defaults/apps.js";
import type { ReplicaSet } from "../../types.js";
import { validateReplicaSet, validateSelectorUnchanged } from "../../validation/apps.js";
import { declaredReplicas, defineKind } from "../kind-spec.js";

/** apps/v1 ReplicaSet: scale and status subresources, generation, owns Pods; SetDefaults_ReplicaSet, ValidateReplicaSet(Update). */
export const replicaSetKind = defineKind<ReplicaSet>({
  group: "apps",
  version: "v1",
  kind: "ReplicaSet",
  plural: "replicasets",
  singular: "replicaset",
  shortNames: ["rs"],
  namespaced: true,
  statusSubresource: true,
  scaleSubresource: true,
  tracksGeneration: true,
  dependents: ["Pod"],
  // rsStrategy: DeleteDependents for apps/v1 (OrphanDependents only for extensions/v1beta1, apps/v1beta2).
  defaultGarbageCollectionPolicy: "DeleteDependents",
  podsDeclared: (o) => declaredReplicas(o.spec?.replicas),
  /** PrepareForCreate: the status a client sent is dropped (a manifest exported with `kubectl get -o yaml`). */
  prepareForCreate: (o) => ({ ...o, status: EMPTY_STATUS }),
  default: defaultReplicaSet,
  validate: validateReplicaSet,
  validateUpdate: (rs, old) => [...validateReplicaSet(rs), ...validateSelectorUnchanged(rs, old)],
});

// ReplicaSetStatus{} as the API shows it: replicas has no omitempty, so it reads 0.
const EMPTY_STATUS: ReplicaSet["status"] = Object.freeze({ replicas: 0 });
