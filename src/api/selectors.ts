import type { LabelSelector } from "./types.js";

/**
 * Label selector matching with metav1.LabelSelector semantics (k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go
 * LabelSelectorAsSelector): matchLabels and every matchExpressions requirement must hold. An empty selector matches
 * everything; a null (undefined) one matches nothing, as upstream.
 */
export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  if (selector.matchLabels) {
    for (const k in selector.matchLabels) if (l[k] !== selector.matchLabels[k]) return false;
  }
  if (selector.matchExpressions) {
    for (const r of selector.matchExpressions) {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.operator) {
        case "In":
          if (!has || !(r.values ?? []).includes(l[r.key])) return false;
          break;
        case "NotIn":
          if (has && (r.values ?? []).includes(l[r.key])) return false;
          break;
        case "Exists":
          if (!has) return false;
          break;
        case "DoesNotExist":
          if (has) return false;
          break;
      }
    }
  }
  return true;
}
