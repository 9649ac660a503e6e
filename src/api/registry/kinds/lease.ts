/** coordination.k8s.io/v1 Lease (pkg/registry/coordination/lease/strategy.go). */
import type { Lease } from "../../types.js";
import { defineKind } from "../kind-spec.js";

/** coordination.k8s.io/v1 Lease: written by kubelets (node heartbeats), never named by a scenario. */
export const leaseKind = defineKind<Lease>({
  group: "coordination.k8s.io",
  version: "v1",
  kind: "Lease",
  plural: "leases",
  singular: "lease",
  shortNames: [],
  namespaced: true,
  scenarioTarget: false,
});
