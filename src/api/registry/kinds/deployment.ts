/** apps/v1 Deployment (pkg/registry/apps/deployment/strategy.go). */
import { defaultDeployment } from "../../defaults/apps.js";
import type { Deployment } from "../../types.js";
import { validateDeployment, validateSelectorUnchanged } from "../../validation/apps.js";
import { declaredReplicas, defineKind } from "../kind-spec.js";

/** apps/v1 Deployment: scale and status subresources, generation, owns ReplicaSets; SetDefaults_Deployment, ValidateDeployment(Update). */
export const deploymentKind = defineKind<Deployment>({
  group: "apps",
  version: "v1",
  kind: "Deployment",
  plural: "deployments",
  singular: "deployment",
  shortNames: ["deploy"],
  namespaced: true,
  statusSubresource: true,
  scaleSubresource: true,
  tracksGeneration: true,
  // PrepareForUpdate (pkg/registry/apps/deployment/strategy.go): spec or annotations changed.
  annotationsBumpGeneration: true,
  dependents: ["ReplicaSet"],
  // deploymentStrategy: DeleteDependents for apps/v1 (OrphanDependents only for extensions/v1beta1, apps/v1beta1/2).
  defaultGarbageCollectionPolicy: "DeleteDependents",
  podsDeclared: (o) => declaredReplicas(o.spec?.replicas),
  /** PrepareForCreate: the status a client sent is dropped (a manifest exported with `kubectl get -o yaml`). */
  prepareForCreate: (o) => ({ ...o, status: EMPTY_STATUS }),
  default: defaultDeployment,
  validate: validateDeployment,
  validateUpdate: (d, old) => [...validateDeployment(d), ...validateSelectorUnchanged(d, old)],
});

const EMPTY_STATUS = Object.freeze({}) as Deployment["status"];
