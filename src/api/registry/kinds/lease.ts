/** coordination.k8s.io/v1 Lease (pkg/registry/coordination/lease/strategy.go). */
import type { Lease } from "../../types.js";
import type { KindSpec } from "../kind-spec.js";

export const leaseKind: KindSpec<Lease> = {
  group: "coordination.k8s.io",
  version: "v1",
  kind: "Lease",
  plural: "leases",
  singular: "lease",
  shortNames: [],
  namespaced: true,
  statusSubresource: false,
  scaleSubresource: false,
  tracksGeneration: false,
  nameRule: "subdomain",
  dependents: [],
  scenarioTarget: false,
  namesKnownAtLoad: true,
};
