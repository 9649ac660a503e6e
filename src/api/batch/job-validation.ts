/**
 * Job spec validation (pkg/apis/batch/validation/validation.go ValidateJob / validateJobSpec, v1.34) over a plain
 * Job, returning every problem as a field error with upstream's path, type and detail. Pure.
 * NOTE: not covered here: selector and pod template validation (src/api/validation does those), managedBy,
 * successPolicy, and the TooMany limits (20 rules, 255 exit codes, 20 condition patterns), which need a field
 * error type k8sim's FieldError does not have.
 */
import { fieldError, fieldErrorText, pathString, type FieldError, type PathSegment } from "../validation/field-errors.js";
import { dns1123LabelProblems, qualifiedNameProblems } from "../validation/object-meta.js";
import type { PodFailurePolicyRule } from "./pod-failure-policy-types.js";
import type { PlainJob, PlainJobSpec } from "./job-spec.js";

/** validation.go maxParallelismForIndexedJob: parallelism cap of an Indexed Job. */
export const MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000;
/** validation.go maxFailedIndexesForIndexedJob. */
export const MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100_000;
/** validation.go completionsSoftLimit: above it, backoffLimitPerIndex Jobs need maxFailedIndexes and lower caps. */
export const COMPLETIONS_SOFT_LIMIT = 100_000;
/** validation.go parallelismLimitForHighCompletions. */
export const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;
/** validation.go maxFailedIndexesLimitForHighCompletions. */
export const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;

/** A Job field error (FieldError carries omitValue for upstream's field.OmitValueType{}). */
export type JobFieldError = FieldError;

/** field.Error.Error() (kept for the Job tests' readability). */
export const jobFieldErrorText = fieldErrorText;

/** Go's %q of a []string: `["a" "b"]`. */
const quotedList = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(" ")}]`;

const ACTIONS = ["Count", "FailIndex", "FailJob", "Ignore"]; // sets.List: sorted
const OPERATORS = ["In", "NotIn"];
const CONDITION_STATUSES = ["False", "True", "Unknown"];

function nonNegative(v: number | undefined, path: readonly PathSegment[]): FieldError[] {
  return v !== undefined && v < 0 ? [fieldError.invalid(path, v, "must be greater than or equal to 0")] : [];
}

/** Go's %#v of a []int32, as upstream prints onExitCodes.values. */
const goInt32s = (v: readonly number[] | undefined) => (v === undefined ? "[]int32(nil)" : `[]int32{${v.join(", ")}}`);

function validateRule(spec: PlainJobSpec, rule: PodFailurePolicyRule, path: readonly PathSegment[], containerNames: ReadonlySet<string>): JobFieldError[] {
  const errs: JobFieldError[] = [];
  const actionPath = [...path, "action"];
  if (rule.action === "") errs.push(fieldError.required(actionPath, `valid values: ${quotedList(ACTIONS)}`));
  else if (rule.action === "FailIndex") {
    if (spec.backoffLimitPerIndex === undefined) errs.push(fieldError.invalid(actionPath, rule.action, "requires the backoffLimitPerIndex to be set"));
  } else if (!ACTIONS.includes(rule.action)) errs.push(fieldError.notSupported(actionPath, rule.action, ACTIONS));
  const conds = rule.onPodConditions ?? [];
  if (rule.onExitCodes) {
    const ec = rule.onExitCodes;
    const p = [...path, "onExitCodes"];
    if (ec.operator === "") errs.push(fieldError.required([...p, "operator"], `valid values: ${quotedList(OPERATORS)}`));
    else if (!OPERATORS.includes(ec.operator)) errs.push(fieldError.notSupported([...p, "operator"], ec.operator, OPERATORS));
    if (ec.containerName !== undefined && !containerNames.has(ec.containerName)) {
      errs.push(fieldError.invalid([...p, "containerName"], ec.containerName, "must be one of the container or initContainer names in the pod template"));
    }
    const values = ec.values ?? [];
    if (values.length === 0) errs.push({ ...fieldError.invalid([...p, "values"], ec.values, "at least one value is required"), valueText: goInt32s(ec.values) });
    const seen = new Set<number>();
    let ordered = true;
    values.forEach((v, j) => {
      if (ec.operator === "In" && v === 0) errs.push(fieldError.invalid([...p, "values", j], v, "must not be 0 for the In operator"));
      if (seen.has(v)) errs.push(fieldError.duplicate([...p, "values", j], v));
      else seen.add(v);
      if (j > 0 && values[j - 1]! > v) ordered = false;
    });
    if (!ordered) errs.push({ ...fieldError.invalid([...p, "values"], values, "must be ordered"), valueText: goInt32s(values) });
  }
  conds.forEach((c, j) => {
    const p = [...path, "onPodConditions", j];
    for (const msg of qualifiedNameProblems(c.type)) errs.push(fieldError.invalid([...p, "type"], c.type, msg));
    if (c.status === "") errs.push(fieldError.required([...p, "status"], `valid values: ${quotedList(CONDITION_STATUSES)}`));
    else if (!CONDITION_STATUSES.includes(c.status)) errs.push(fieldError.notSupported([...p, "status"], c.status, CONDITION_STATUSES));
  });
  if (rule.onExitCodes && conds.length > 0) errs.push({ ...fieldError.invalid(path, undefined, "specifying both OnExitCodes and OnPodConditions is not supported"), omitValue: true });
  if (!rule.onExitCodes && conds.length === 0) errs.push({ ...fieldError.invalid(path, undefined, "specifying one of OnExitCodes and OnPodConditions is required"), omitValue: true });
  return errs;
}

/**
 * validation.go validateJobSpec (the parts listed in the file comment), at `path` (default `spec`), in upstream's
 * order. Notably upstream does NOT refuse completions < parallelism (the controller just never runs more pods than
 * remain), and caps an Indexed Job's parallelism, not its completions, at 100000.
 */
export function validateJobSpec(spec: PlainJobSpec, path: readonly PathSegment[] = ["spec"]): JobFieldError[] {
  const at = (...p: PathSegment[]) => [...path, ...p];
  const errs: JobFieldError[] = [
    ...nonNegative(spec.parallelism, at("parallelism")),
    ...nonNegative(spec.completions, at("completions")),
    ...nonNegative(spec.activeDeadlineSeconds, at("activeDeadlineSeconds")),
    ...nonNegative(spec.backoffLimit, at("backoffLimit")),
    ...nonNegative(spec.ttlSecondsAfterFinished, at("ttlSecondsAfterFinished")),
    ...nonNegative(spec.backoffLimitPerIndex, at("backoffLimitPerIndex")),
  ];
  if (spec.maxFailedIndexes !== undefined) {
    errs.push(...nonNegative(spec.maxFailedIndexes, at("maxFailedIndexes")));
    if (spec.backoffLimitPerIndex === undefined) errs.push(fieldError.required(at("backoffLimitPerIndex"), "when maxFailedIndexes is specified"));
  }
  const mode = spec.completionMode;
  if (mode !== undefined) {
    if (mode !== "NonIndexed" && mode !== "Indexed") errs.push(fieldError.notSupported(at("completionMode"), mode, ["NonIndexed", "Indexed"]));
    if (mode === "Indexed") {
      const { completions, parallelism, maxFailedIndexes } = spec;
      if (completions === undefined) errs.push(fieldError.required(at("completions"), "when completion mode is Indexed"));
      if (parallelism !== undefined && parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
        errs.push(fieldError.invalid(at("parallelism"), parallelism, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`));
      }
      if (completions !== undefined && maxFailedIndexes !== undefined && maxFailedIndexes > completions) {
        errs.push(fieldError.invalid(at("maxFailedIndexes"), maxFailedIndexes, "must be less than or equal to completions"));
      }
      if (maxFailedIndexes !== undefined && maxFailedIndexes > MAX_FAILED_INDEXES_FOR_INDEXED_JOB) {
        errs.push(fieldError.invalid(at("maxFailedIndexes"), maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_FOR_INDEXED_JOB}`));
      }
      if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && spec.backoffLimitPerIndex !== undefined) {
        const tail = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
        if (maxFailedIndexes === undefined) errs.push(fieldError.required(at("maxFailedIndexes"), `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
        if (parallelism !== undefined && parallelism > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS) {
          errs.push(fieldError.invalid(at("parallelism"), parallelism, `must be less than or equal to ${PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} ${tail}`));
        }
        if (maxFailedIndexes !== undefined && maxFailedIndexes > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS) {
          errs.push(fieldError.invalid(at("maxFailedIndexes"), maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS} ${tail}`));
        }
      }
    }
  }
  if (mode === undefined || mode === "NonIndexed") {
    if (spec.backoffLimitPerIndex !== undefined) errs.push(fieldError.invalid(at("backoffLimitPerIndex"), spec.backoffLimitPerIndex, "requires indexed completion mode"));
    if (spec.maxFailedIndexes !== undefined) errs.push(fieldError.invalid(at("maxFailedIndexes"), spec.maxFailedIndexes, "requires indexed completion mode"));
  }
  if (spec.podFailurePolicy) {
    const names = new Set([...(spec.template.containers ?? []), ...(spec.template.initContainers ?? [])]);
    spec.podFailurePolicy.rules.forEach((r, i) => errs.push(...validateRule(spec, r, at("podFailurePolicy", "rules", i), names)));
  }
  const rpp = spec.podReplacementPolicy;
  if (rpp !== undefined) {
    if (spec.podFailurePolicy) {
      if (rpp !== "Failed") errs.push(fieldError.notSupported(at("podReplacementPolicy"), rpp, ["Failed"]));
    } else if (rpp !== "Failed" && rpp !== "TerminatingOrFailed") {
      errs.push(fieldError.notSupported(at("podReplacementPolicy"), rpp, ["Failed", "TerminatingOrFailed"]));
    }
  }
  const restart = spec.template.restartPolicy ?? "";
  const restartPath = at("template", "spec", "restartPolicy");
  if (restart === "Always" || restart === "") errs.push(fieldError.required(restartPath, `valid values: "OnFailure", "Never"`));
  else if (restart !== "OnFailure" && restart !== "Never") errs.push(fieldError.notSupported(restartPath, restart, ["OnFailure", "Never"]));
  else if (spec.podFailurePolicy && restart !== "Never") errs.push(fieldError.invalid(restartPath, restart, `only "Never" is supported when podFailurePolicy is specified`));
  return errs;
}

/**
 * validation.go ValidateJob's Job-level checks: validateJobSpec, then for an Indexed Job with completions > 0 the
 * largest pod hostname `<name>-<completions-1>` must be a DNS-1123 label:
 * `metadata.name: Invalid value: "NAME": will not able to create pod with invalid DNS label: NAME-N`.
 */
export function validateJob(job: PlainJob): JobFieldError[] {
  return [...validateJobSpec(job.spec), ...validateJobName(job)];
}

/** ValidateJob's name check alone (see validateJob): the largest Indexed pod hostname must be a DNS-1123 label. */
export function validateJobName(job: PlainJob): JobFieldError[] {
  const errs: JobFieldError[] = [];
  const { completionMode, completions } = job.spec;
  if (completionMode === "Indexed" && completions !== undefined && completions > 0) {
    const maximumPodHostname = `${job.name}-${completions - 1}`;
    if (dns1123LabelProblems(maximumPodHostname).length > 0) {
      errs.push(fieldError.invalid(["metadata", "name"], job.name, `will not able to create pod with invalid DNS label: ${maximumPodHostname}`));
    }
  }
  return errs;
}
