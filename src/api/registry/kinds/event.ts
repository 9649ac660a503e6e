/** core/v1 Event (pkg/registry/core/event/strategy.go). */
import type { KubeObject } from "../../types.js";
import { defineKind } from "../kind-spec.js";

/** core/v1 Event: recorded by components (events.jsonl), never named by a scenario. */
export const eventKind = defineKind<KubeObject>({
  group: "",
  version: "v1",
  kind: "Event",
  plural: "events",
  singular: "event",
  shortNames: ["ev"],
  namespaced: true,
  scenarioTarget: false,
  namesKnownAtLoad: false,
});
