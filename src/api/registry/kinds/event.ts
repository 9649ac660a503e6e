/** core/v1 Event (pkg/registry/core/event/strategy.go). */
import type { KubeObject } from "../../types.js";
import type { KindSpec } from "../kind-spec.js";

export const eventKind: KindSpec<KubeObject> = {
  group: "",
  version: "v1",
  kind: "Event",
  plural: "events",
  singular: "event",
  shortNames: ["ev"],
  namespaced: true,
  statusSubresource: false,
  scaleSubresource: false,
  tracksGeneration: false,
  nameRule: "subdomain",
  dependents: [],
  scenarioTarget: false,
  namesKnownAtLoad: false,
};
