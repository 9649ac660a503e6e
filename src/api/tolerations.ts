import type { Taint, Toleration } from "./types.js";

/**
 * Whether a toleration tolerates a taint (k8s.io/api/core/v1/toleration.go ToleratesTaint): effects match (an empty
 * toleration effect matches all), keys match (an empty key with Exists matches all), and for Equal the values
 * match (Exists ignores the value).
 */
export function tolerates(tol: Toleration, taint: Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  if (!tol.key && tol.operator !== "Exists") return false;
  switch (tol.operator ?? "Equal") {
    case "Exists":
      return true;
    case "Equal":
      return (tol.value ?? "") === (taint.value ?? "");
    default:
      return false;
  }
}
