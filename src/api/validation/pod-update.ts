/**
 * ValidatePodUpdate's spec rule (pkg/apis/core/validation/validation.go): a pod's spec is immutable but for a few
 * fields. k8sim allows the container and init container images to change and compares everything else.
 */
import { canonicalJson } from "../canonical-json.js";
import type { Pod } from "../types.js";
import { fieldError, type FieldError } from "./field-errors.js";

/** The Forbidden detail upstream gives when other spec fields change. */
export const POD_UPDATE_FORBIDDEN =
  "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/**
 * The field errors of replacing `cur`'s spec with `next`'s, including spec.nodeName (binding is its own
 * subresource). NOTE: upstream also allows activeDeadlineSeconds, toleration additions and a few more changes;
 * k8sim allows images only, which is what the timeline's `apply` of a Pod can express.
 */
export function validatePodSpecUpdate(next: Pod, cur: Pod): FieldError[] {
  const strip = (spec: Pod["spec"]) =>
    canonicalJson({
      ...spec,
      containers: spec.containers.map((c) => ({ ...c, image: "" })),
      initContainers: spec.initContainers?.map((c) => ({ ...c, image: "" })),
    });
  return strip(cur.spec) === strip(next.spec) ? [] : [fieldError.forbidden(["spec"], POD_UPDATE_FORBIDDEN)];
}
