/** core/v1 Node (pkg/registry/core/node/strategy.go). */
import type { Node } from "../../types.js";
import type { KindSpec } from "../kind-spec.js";

export const nodeKind: KindSpec<Node> = {
  group: "",
  version: "v1",
  kind: "Node",
  plural: "nodes",
  singular: "node",
  shortNames: ["no"],
  namespaced: false,
  statusSubresource: true,
  scaleSubresource: false,
  tracksGeneration: false,
  nameRule: "subdomain",
  dependents: [],
  scenarioTarget: true,
  namesKnownAtLoad: true,
  timelineDeleteHint: "to stop a node use action nodeFailure",
};
