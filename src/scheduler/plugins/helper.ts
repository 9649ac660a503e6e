/**
 * Helpers shared by the plugins: score normalisation (pkg/scheduler/framework/plugins/helper/normalize_score.go)
 * and toleration matching (k8s.io/api/core/v1/toleration.go, component-helpers/scheduling/corev1/helpers.go).
 */
import type { Taint, Toleration } from "../../api/types.js";

/**
 * Scales scores in place so the largest becomes `maxPriority`: `score = maxPriority * score / max` in integer
 * arithmetic; with `reverse`, `maxPriority - that`. When every score is 0 they stay 0, or all become `maxPriority`
 * when reversed. Mirrors helper.DefaultNormalizeScore.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: number[]): void {
  let max = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > max) max = scores[i];
  if (max === 0) {
    if (reverse) for (let i = 0; i < scores.length; i++) scores[i] = maxPriority;
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxPriority * scores[i]) / max);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}

/**
 * Whether one toleration tolerates one taint (Toleration.ToleratesTaint): an empty effect matches every effect, an
 * empty key (with operator Exists) matches every key; operator Exists ignores the value, Equal (the default)
 * compares it. Any other operator tolerates nothing.
 */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? "") {
    case "":
    case "Equal":
      return (toleration.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

/** Whether any of `tolerations` tolerates `taint` (v1helper.TolerationsTolerateTaint). */
export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  if (!tolerations) return false;
  for (let i = 0; i < tolerations.length; i++) if (tolerates(tolerations[i], taint)) return true;
  return false;
}

/**
 * The first taint, in the node's order, that passes `filter` and is not tolerated, or undefined
 * (v1helper.FindMatchingUntoleratedTaint).
 */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  filter: (t: Taint) => boolean,
): Taint | undefined {
  if (!taints) return undefined;
  for (let i = 0; i < taints.length; i++) {
    const t = taints[i];
    if (filter(t) && !tolerationsTolerateTaint(tolerations, t)) return t;
  }
  return undefined;
}

/** Taints that forbid scheduling: effect NoSchedule or NoExecute (helper.DoNotScheduleTaintsFilterFunc). */
export function doNotScheduleTaint(t: Taint): boolean {
  return t.effect === "NoSchedule" || t.effect === "NoExecute";
}
