/**
 * DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds/admission.go): a pod that does not
 * already tolerate the not-ready / unreachable NoExecute taints gets `{key, operator: Exists, effect: NoExecute,
 * tolerationSeconds}` for each, so it is evicted from a failed node after that long rather than at once.
 */
import type { Settings } from "../../settings.js";
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from "../taints.js";
import type { Pod, Toleration } from "../types.js";
import type { AdmissionPlugin } from "./plugin.js";

/** The tolerations to store (the input array when nothing is added). */
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

// Pods of one template share one spec: the admitted spec is computed once per spec object.
const admitted = new WeakMap<Pod["spec"], { settings: Settings; spec: Pod["spec"] }>();

/** The plugin (pods, on create and update). */
export const defaultTolerationSeconds: AdmissionPlugin = {
  name: "DefaultTolerationSeconds",
  kinds: ["Pod"],
  enabledByDefault: true,
  operations: ["CREATE", "UPDATE"],
  admit(req, { settings }) {
    // On update too (admission.NewHandler(Create, Update)): an apply that replaces the tolerations gets them back.
    const pod = req.object as Pod;
    let memo = admitted.get(pod.spec);
    if (memo === undefined || memo.settings !== settings) {
      const tolerations = defaultTolerations(pod.spec.tolerations, settings);
      memo = { settings, spec: tolerations === pod.spec.tolerations ? pod.spec : { ...pod.spec, tolerations } };
      admitted.set(pod.spec, memo);
    }
    return memo.spec === pod.spec ? pod : { ...pod, spec: memo.spec };
  },
};
