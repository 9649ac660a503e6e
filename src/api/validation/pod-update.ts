/**
 * ValidatePodUpdate's spec rules (pkg/apis/core/validation/validation.go): a pod's spec is immutable but for the
 * container and init container images, activeDeadlineSeconds (set, or lowered), additions to the tolerations
 * (existing ones may change only their tolerationSeconds) and terminationGracePeriodSeconds from a negative
 * value to 1. Everything else, spec.nodeName included (binding is its own subresource), is Forbidden.
 */
import { canonicalJson } from "../canonical-json.js";
import type { Pod, Toleration } from "../types.js";
import { fieldError, type FieldError } from "./field-errors.js";

/** The Forbidden detail upstream gives when other spec fields change (updatablePodSpecFields). */
export const POD_UPDATE_FORBIDDEN =
  "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

const NO_ERRORS = Object.freeze([]) as unknown as FieldError[];

/** A toleration without its tolerationSeconds: what an update may not change. */
const tolerationIdentity = (t: Toleration) => canonicalJson({ ...t, tolerationSeconds: null });

/**
 * The field errors of replacing `cur`'s spec with `next`'s. NOTE: upstream appends a go-cmp diff of the two specs
 * to the Forbidden message; k8sim does not (go-cmp documents its output as unstable).
 */
export function validatePodSpecUpdate(next: Pod, cur: Pod): FieldError[] {
  const n = next.spec;
  const o = cur.spec;
  // The same spec object (a metadata or status write: finalizers, labels): nothing changed.
  if (n === o) return NO_ERRORS;
  for (const f of ["containers", "initContainers"] as const) {
    if ((n[f]?.length ?? 0) !== (o[f]?.length ?? 0)) return [fieldError.forbidden(["spec", f], "pod updates may not add or remove containers")];
  }
  const errs: FieldError[] = [];
  if (typeof o.activeDeadlineSeconds === "number") {
    if (typeof n.activeDeadlineSeconds !== "number") {
      errs.push(fieldError.invalid(["spec", "activeDeadlineSeconds"], null, "must not update from a positive integer to nil value"));
    } else if (n.activeDeadlineSeconds > o.activeDeadlineSeconds) {
      errs.push(fieldError.invalid(["spec", "activeDeadlineSeconds"], n.activeDeadlineSeconds, "must be less than or equal to previous value"));
    }
  }
  const kept = new Set((n.tolerations ?? []).map(tolerationIdentity));
  if ((o.tolerations ?? []).some((t) => !kept.has(tolerationIdentity(t)))) {
    errs.push(fieldError.forbidden(["spec", "tolerations"], "existing toleration can not be modified except its tolerationSeconds"));
  }
  // The munged spec: the new one with every field that may change taken from the old one.
  const oldGrace = o.terminationGracePeriodSeconds;
  const munged = {
    ...n,
    containers: n.containers.map((c, i) => ({ ...c, image: o.containers[i]!.image })),
    initContainers: n.initContainers?.map((c, i) => ({ ...c, image: o.initContainers![i]!.image })),
    activeDeadlineSeconds: o.activeDeadlineSeconds,
    tolerations: o.tolerations,
    terminationGracePeriodSeconds: typeof oldGrace === "number" && oldGrace < 0 && n.terminationGracePeriodSeconds === 1 ? oldGrace : n.terminationGracePeriodSeconds,
  };
  const strip = (s: object) => canonicalJson(Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)));
  if (strip(munged) !== strip(o)) errs.push(fieldError.forbidden(["spec"], POD_UPDATE_FORBIDDEN));
  return errs;
}
