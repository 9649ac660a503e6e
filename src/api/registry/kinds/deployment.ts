/** apps/v1 Deployment (pkg/registry/apps/deployment/strategy.go). */
import { defaultDeployment } from "../../defaults/apps.js";
import type { Deployment } from "../../types.js";
import { validateDeployment, validateSelectorUnchanged } from "../../validation/apps.js";
import { validateObjectMeta } from "../../validation/object-meta.js";
import type { KindSpec } from "../kind-spec.js";

export const deploymentKind: KindSpec<Deployment> = {
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
  nameRule: "subdomain",
  dependents: ["ReplicaSet"],
  scenarioTarget: true,
  namesKnownAtLoad: true,
  default: defaultDeployment,
  validate: (d) => [...validateObjectMeta(d.metadata, true, "subdomain"), ...validateDeployment(d)],
  validateUpdate: (d, old) => [...validateDeployment(d), ...validateSelectorUnchanged(d, old)],
};
