import type { Settings } from "../settings.js";
import type { Pod, Toleration } from "./types.js";

/** Taint keys the node lifecycle controller uses (k8s.io/api/core/v1 well_known_taints.go). */
export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
/** See TAINT_NOT_READY. */
export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
/** Taint of a cordoned node (spec.unschedulable), well_known_taints.go. */
export const TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

/**
 * DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds/admission.go): a pod that does
 * not already tolerate the not-ready / unreachable NoExecute taints gets `{key, operator: Exists, effect: NoExecute,
 * tolerationSeconds}` for each, so it is evicted from a failed node after that long rather than at once.
 * Returns the tolerations to store (the input array when nothing is added).
 */
export function defaultTolerations(tolerations: Toleration[] | undefined, settings: Settings): Toleration[] | undefined {
  const tols = tolerations ?? [];
  // Upstream: a toleration counts if it has the key (or is a wildcard with operator Exists and no key) and its
  // effect is NoExecute or empty.
  const covers = (key: string) =>
    tols.some((t) => (t.key === key || (!t.key && t.operator === "Exists")) && (!t.effect || t.effect === "NoExecute"));
  const add: Toleration[] = [];
  if (!covers(TAINT_NOT_READY)) {
    add.push({ key: TAINT_NOT_READY, operator: "Exists", effect: "NoExecute", tolerationSeconds: settings.defaultNotReadyTolerationSeconds });
  }
  if (!covers(TAINT_UNREACHABLE)) {
    add.push({ key: TAINT_UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: settings.defaultUnreachableTolerationSeconds });
  }
  return add.length === 0 ? tolerations : [...tols, ...add];
}

/**
 * Pod defaults the API server applies on create (pkg/apis/core/v1/defaults.go), returned as a new spec. The result
 * depends only on the input spec object and the settings, so pods created from one template share it (specs are
 * never mutated): 1,000 replicas hold one defaulted spec until each is bound.
 */
export function defaultPodSpec(pod: Pod, settings: Settings): Pod["spec"] {
  const s = pod.spec;
  const memo = defaulted.get(s);
  if (memo !== undefined && memo.settings === settings) return memo.spec;
  const spec = defaultSpec(s, settings);
  defaulted.set(s, { settings, spec });
  return spec;
}

const defaulted = new WeakMap<Pod["spec"], { settings: Settings; spec: Pod["spec"] }>();

function defaultSpec(s: Pod["spec"], settings: Settings): Pod["spec"] {
  return {
    ...s,
    restartPolicy: s.restartPolicy ?? "Always",
    schedulerName: s.schedulerName ?? "default-scheduler",
    terminationGracePeriodSeconds: s.terminationGracePeriodSeconds ?? settings.terminationGracePeriodSeconds,
    priority: s.priority ?? 0,
    tolerations: defaultTolerations(s.tolerations, settings),
  };
}
