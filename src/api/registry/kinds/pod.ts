/** core/v1 Pod (pkg/registry/core/pod/strategy.go; defaults pkg/apis/core/v1/defaults.go). */
import type { Settings } from "../../../settings.js";
import { DEFAULT_ENABLE_SERVICE_LINKS, defaultPodSpecFields, defaultRequestsFromLimits } from "../../defaults/pod.js";
import type { Pod } from "../../types.js";
import type { FieldError } from "../../validation/field-errors.js";
import { validatePodSpec } from "../../validation/pod-spec.js";
import { validatePodSpecUpdate } from "../../validation/pod-update.js";
import { defineKind } from "../kind-spec.js";
import { podQosClass } from "../../qos.js";

// Pods created from one template share one spec object: defaulting and validating it once per spec object keeps a
// 1,000-replica scale-up at one defaulted spec and one validation.
const defaulted = new WeakMap<Pod["spec"], { settings: Settings; spec: Pod["spec"] }>();
const validated = new WeakMap<Pod["spec"], FieldError[]>();

/** SetDefaults_Pod and SetDefaults_PodSpec, memoised per spec object (specs are never mutated). */
export function defaultPodSpec(spec: Pod["spec"], settings: Settings): Pod["spec"] {
  const memo = defaulted.get(spec);
  if (memo !== undefined && memo.settings === settings) return memo.spec;
  let out = defaultRequestsFromLimits(defaultPodSpecFields(spec, settings));
  if (out.enableServiceLinks === undefined) out = { ...out, enableServiceLinks: DEFAULT_ENABLE_SERVICE_LINKS };
  defaulted.set(spec, { settings, spec: out });
  defaulted.set(out, { settings, spec: out });
  return out;
}

/** core/v1 Pod: status subresource, graceful deletion, SetDefaults_Pod, ValidatePod / ValidatePodUpdate, status reset on create. */
export const podKind = defineKind<Pod>({
  group: "",
  version: "v1",
  kind: "Pod",
  plural: "pods",
  singular: "pod",
  shortNames: ["po"],
  namespaced: true,
  statusSubresource: true,
  namesKnownAtLoad: false,
  gracefulDeletion: true,
  podsDeclared: () => 1,
  default: (pod, settings) => {
    const spec = defaultPodSpec(pod.spec, settings);
    return spec === pod.spec ? pod : { ...pod, spec };
  },
  /** PrepareForCreate: whatever status the client sent is dropped; a new pod is Pending with its QoS class. */
  prepareForCreate: (pod) => ({ ...pod, status: { phase: "Pending", qosClass: podQosClass(pod.spec) } }),
  validate: (pod) => {
    let spec = validated.get(pod.spec);
    if (spec === undefined) validated.set(pod.spec, (spec = validatePodSpec(pod.spec, ["spec"])));
    return spec;
  },
  validateUpdate: (pod, old) => validatePodSpecUpdate(pod, old),
});
