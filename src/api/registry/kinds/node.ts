/** core/v1 Node (pkg/registry/core/node/strategy.go). */
import type { Node } from "../../types.js";
import { defineKind } from "../kind-spec.js";

/** core/v1 Node (cluster-scoped): registered by its kubelet from the scenario's pools, not from manifests. */
export const nodeKind = defineKind<Node>({
  group: "",
  version: "v1",
  kind: "Node",
  plural: "nodes",
  singular: "node",
  shortNames: ["no"],
  namespaced: false,
  statusSubresource: true,
  fromNodePools: true,
  timelineDeleteHint: "to stop a node use action nodeFailure",
});
