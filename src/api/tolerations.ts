/** Toleration matching (k8s.io/api/core/v1/toleration.go, component-helpers/scheduling/corev1/helpers.go), shared by
 * the scheduler's filters and the taint eviction controller. */
import type { Taint, Toleration } from "./types.js";

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
