/**
 * apps/v1 Deployment and ReplicaSet validation (pkg/apis/apps/validation/validation.go ValidateDeploymentSpec,
 * ValidateRollingUpdateDeployment, ValidateReplicaSetSpec, ValidatePodTemplateSpecForReplicaSet and the *Update
 * variants), on defaulted objects, with upstream's paths and messages.
 */
import { isRecord } from "../record.js";
import { canonicalJson } from "../canonical-json.js";
import { matchesSelector } from "../selectors.js";
import type { Deployment, LabelSelector, PodTemplateSpec, ReplicaSet } from "../types.js";
import { fieldError, goLabelSelector, type FieldError, type PathSegment } from "./field-errors.js";
import { validateLabelSelector, validateLabels } from "./object-meta.js";
import { validatePodSpec } from "./pod-spec.js";

const PERCENT_RE = /^[0-9]+%$/;
const PERCENT_MESSAGE = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** ValidateNonnegativeField. */
function nonNegative(v: unknown, path: readonly PathSegment[]): FieldError[] {
  return typeof v === "number" && v < 0 ? [fieldError.invalid(path, v, "must be greater than or equal to 0")] : [];
}

/** metav1validation.ValidateLabelSelector plus the apps rule that a selector may not be empty. */
function validateSelector(sel: LabelSelector | undefined, path: readonly PathSegment[]): FieldError[] {
  if (sel === undefined || sel === null) return [fieldError.required(path)];
  const errs = validateLabelSelector(sel, path);
  if (errs.length === 0 && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
    errs.push({ ...fieldError.invalid(path, sel, "empty selector is invalid for deployment"), valueText: goLabelSelector(sel) });
  }
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet: labels satisfy the selector, restartPolicy Always, a valid pod spec. */
function validateTemplate(t: PodTemplateSpec | undefined, sel: LabelSelector | undefined, selectorOk: boolean, path: readonly PathSegment[]): FieldError[] {
  if (!isRecord(t)) return [fieldError.required(path)];
  const errs: FieldError[] = [];
  const labels = (t.metadata?.labels ?? {}) as Record<string, string>;
  errs.push(...validateLabels(labels, [...path, "metadata", "labels"]));
  // A missing selector selects nothing (LabelSelectorAsSelector(nil) is labels.Nothing()), so it mismatches too.
  if ((selectorOk && sel && !matchesSelector(sel, labels)) || sel === undefined || sel === null) {
    errs.push(fieldError.invalid([...path, "metadata", "labels"], labels, "`selector` does not match template `labels`"));
  }
  if (!isRecord(t.spec)) return [...errs, fieldError.required([...path, "spec"])];
  errs.push(...validatePodSpec(t.spec, [...path, "spec"]));
  if (t.spec.restartPolicy !== undefined && t.spec.restartPolicy !== "Always") {
    errs.push(fieldError.notSupported([...path, "spec", "restartPolicy"], t.spec.restartPolicy, ["Always"]));
  }
  return errs;
}

function validateWorkloadSpec(spec: Deployment["spec"] | ReplicaSet["spec"]): FieldError[] {
  if (!isRecord(spec)) return [fieldError.required(["spec"])];
  const errs: FieldError[] = [...nonNegative(spec.replicas, ["spec", "replicas"]), ...nonNegative(spec.minReadySeconds, ["spec", "minReadySeconds"])];
  const sel = validateSelector(spec.selector, ["spec", "selector"]);
  errs.push(...sel);
  errs.push(...validateTemplate(spec.template, spec.selector, sel.length === 0, ["spec", "template"]));
  return errs;
}

/** IsValidPercent / ValidatePositiveIntOrPercent, and the percent bound. */
function intOrPercent(v: unknown, path: readonly PathSegment[]): FieldError[] {
  if (typeof v === "string") {
    if (!PERCENT_RE.test(v)) return [fieldError.invalid(path, v, PERCENT_MESSAGE)];
    return [];
  }
  return nonNegative(v, path);
}

const isZero = (v: unknown) => v === 0 || v === "0%";
const percentOver100 = (v: unknown) => typeof v === "string" && PERCENT_RE.test(v) && Number(v.slice(0, -1)) > 100;

/** ValidateDeploymentSpec (with ValidateDeploymentStrategy and ValidateRollingUpdateDeployment). */
export function validateDeployment(d: Deployment): FieldError[] {
  const errs = validateWorkloadSpec(d.spec);
  const s = d.spec;
  if (!isRecord(s)) return errs;
  const st = s.strategy;
  if (isRecord(st)) {
    const types = ["Recreate", "RollingUpdate"];
    if (st.type !== undefined && !types.includes(st.type as string)) errs.push(fieldError.notSupported(["spec", "strategy", "type"], st.type, types));
    if (st.type === "Recreate" && st.rollingUpdate !== undefined) {
      errs.push(fieldError.forbidden(["spec", "strategy", "rollingUpdate"], "may not be specified when strategy `type` is 'Recreate'"));
    }
    const ru = st.rollingUpdate;
    if (st.type === "RollingUpdate" && isRecord(ru)) {
      const p = ["spec", "strategy", "rollingUpdate"];
      errs.push(...intOrPercent(ru.maxUnavailable, [...p, "maxUnavailable"]), ...intOrPercent(ru.maxSurge, [...p, "maxSurge"]));
      if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) errs.push(fieldError.invalid([...p, "maxUnavailable"], ru.maxUnavailable, "may not be 0 when `maxSurge` is 0"));
      if (percentOver100(ru.maxUnavailable)) errs.push(fieldError.invalid([...p, "maxUnavailable"], ru.maxUnavailable, "must not be greater than 100%"));
    }
  }
  errs.push(...nonNegative(s.revisionHistoryLimit, ["spec", "revisionHistoryLimit"]));
  if (typeof s.progressDeadlineSeconds === "number") {
    errs.push(...nonNegative(s.progressDeadlineSeconds, ["spec", "progressDeadlineSeconds"]));
    if (s.progressDeadlineSeconds <= (s.minReadySeconds ?? 0)) {
      errs.push(fieldError.invalid(["spec", "progressDeadlineSeconds"], s.progressDeadlineSeconds, "must be greater than minReadySeconds"));
    }
  }
  return errs;
}

/** ValidateReplicaSetSpec. */
export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  return validateWorkloadSpec(rs.spec);
}

/**
 * ValidateDeploymentUpdate / ValidateReplicaSetUpdate for apps/v1: spec.selector is immutable
 * (apivalidation.ValidateImmutableField: `spec.selector: Invalid value: ...: field is immutable`).
 */
export function validateSelectorUnchanged(next: { spec: { selector: LabelSelector } }, old: { spec: { selector: LabelSelector } }): FieldError[] {
  if (canonicalJson(next.spec?.selector ?? null) === canonicalJson(old.spec?.selector ?? null)) return [];
  return [{ ...fieldError.invalid(["spec", "selector"], next.spec.selector, "field is immutable"), valueText: goLabelSelector(next.spec.selector) }];
}
