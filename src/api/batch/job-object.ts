/**
 * A batch/v1 Job as the API server handles it (pkg/registry/batch/job/strategy.go, pkg/apis/batch/v1/defaults.go,
 * pkg/apis/batch/validation/validation.go): defaulting, the generated selector and labels of PrepareForCreate, and
 * ValidateJob on the whole object. The spec-level rules live in job-defaults.ts and job-validation.ts, which work on
 * the plain facts this file extracts.
 */
import type { Settings } from "../../settings.js";
import { defaultPodSpecFields } from "../defaults/pod.js";
import { isRecord } from "../record.js";
import { matchesSelector } from "../selectors.js";
import type { PodTemplateSpec } from "../types.js";
import { fieldError, type FieldError, type PathSegment } from "../validation/field-errors.js";
import { validateLabelSelector, validateLabels } from "../validation/object-meta.js";
import { validatePodSpec } from "../validation/pod-spec.js";
import { setDefaultsJob } from "./job-defaults.js";
import type { JobTemplateFacts, PlainJobSpec } from "./job-spec.js";
import { validateJobName, validateJobSpec } from "./job-validation.js";
import type { Job, JobSpec } from "./types.js";

/** batch.JobNameLabel: every pod of a Job carries its Job's name (generateSelector). */
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
/** batch.LegacyJobNameLabel. */
export const LEGACY_JOB_NAME_LABEL = "job-name";
/** batch.ControllerUidLabel: the generated selector selects this label, which makes pods unique to their Job. */
export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
/** batch.LegacyControllerUidLabel. */
export const LEGACY_CONTROLLER_UID_LABEL = "controller-uid";

/** The pod template facts Job defaulting and validation read. */
export function templateFacts(t: PodTemplateSpec | undefined): JobTemplateFacts {
  const spec = isRecord(t) && isRecord(t.spec) ? t.spec : undefined;
  const names = (list: unknown) => (Array.isArray(list) ? list.map((c) => (isRecord(c) ? String(c.name) : "")) : undefined);
  return {
    ...(isRecord(t) && isRecord(t.metadata) && t.metadata.labels ? { labels: t.metadata.labels } : {}),
    ...(spec && typeof spec.restartPolicy === "string" ? { restartPolicy: spec.restartPolicy } : {}),
    ...(spec ? { containers: names(spec.containers) ?? [], initContainers: names(spec.initContainers) ?? [] } : {}),
  };
}

/** The plain spec of a Job spec (the facts job-defaults and job-validation read). */
export function plainJobSpec(spec: JobSpec): PlainJobSpec {
  return { ...(spec as unknown as PlainJobSpec), template: templateFacts(spec.template) };
}

// A CronJob's Jobs share their template's pod spec object (stored objects are never mutated): defaulting and
// validating it once per spec object keeps 288,000 Jobs at one defaulting and one validation per CronJob.
const defaultedSpecs = new WeakMap<object, { settings: Settings; spec: PodTemplateSpec["spec"] }>();
const validatedSpecs = new WeakMap<object, Map<string, FieldError[]>>();

/** SetDefaults_PodSpec on a pod template (every PodTemplateSpec is defaulted, a Job's and a CronJob's too). */
export function defaultPodTemplate(t: PodTemplateSpec, settings: Settings): PodTemplateSpec {
  if (!isRecord(t) || !isRecord(t.spec)) return t;
  let memo = defaultedSpecs.get(t.spec);
  if (memo === undefined || memo.settings !== settings) {
    memo = { settings, spec: defaultPodSpecFields(t.spec, settings) };
    defaultedSpecs.set(t.spec, memo);
    defaultedSpecs.set(memo.spec, { settings, spec: memo.spec });
  }
  return memo.spec === t.spec ? t : { ...t, spec: memo.spec };
}

/** validatePodSpec, memoised per spec object and path. */
function validatePodSpecOnce(spec: PodTemplateSpec["spec"], path: readonly PathSegment[]): FieldError[] {
  const key = path.map(String).join("\u0000");
  let byPath = validatedSpecs.get(spec);
  if (!byPath) validatedSpecs.set(spec, (byPath = new Map()));
  let errs = byPath.get(key);
  if (errs === undefined) byPath.set(key, (errs = validatePodSpec(spec, path)));
  return errs;
}

// A CronJob's Jobs share their jobTemplate's spec object: its defaulted form is computed once, and the validation
// of a prepared Job's spec is that of the spec it was prepared from.
const defaultedJobSpecs = new WeakMap<JobSpec, { settings: Settings; spec: JobSpec }>();
const preparedFrom = new WeakMap<JobSpec, JobSpec>();
const validatedJobSpecs = new WeakMap<JobSpec, FieldError[]>();

/** SetDefaults_Job and the pod template's defaults (memoised per spec object); a new object. */
export function defaultJob(job: Job, settings: Settings): Job {
  if (!isRecord(job.spec)) return job;
  let memo = defaultedJobSpecs.get(job.spec);
  if (memo === undefined || memo.settings !== settings) {
    const out = setDefaultsJob({ name: job.metadata.name, spec: plainJobSpec(job.spec) });
    const { template: _facts, ...rest } = out.spec;
    memo = { settings, spec: { ...(rest as Omit<JobSpec, "template">), template: defaultPodTemplate(job.spec.template, settings) } };
    defaultedJobSpecs.set(job.spec, memo);
    defaultedJobSpecs.set(memo.spec, memo);
  }
  // SetDefaults_Job: a Job without labels takes its template's.
  const templateLabels = isRecord(job.spec.template) ? job.spec.template.metadata?.labels : undefined;
  const labels = templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0 ? { labels: { ...templateLabels } } : {};
  return { ...job, metadata: { ...job.metadata, ...labels }, spec: memo.spec };
}

/** validateJobSpec of a Job's spec, memoised per spec object (a prepared spec counts as the one it came from). */
function validateJobSpecOnce(spec: JobSpec): FieldError[] {
  const base = preparedFrom.get(spec) ?? spec;
  let errs = validatedJobSpecs.get(base);
  if (errs === undefined) validatedJobSpecs.set(base, (errs = validateJobSpec(plainJobSpec(base))));
  return errs;
}

/**
 * strategy.go PrepareForCreate: status cleared, and unless manualSelector, generateSelector: the template gains
 * job-name and controller-uid labels (both the batch.kubernetes.io and the legacy keys, each only when absent) and
 * the selector gains matchLabels controller-uid = the Job's uid.
 */
export function prepareJobForCreate(job: Job): Job {
  if (!isRecord(job.spec) || job.spec.manualSelector === true || !isRecord(job.spec.template)) return { ...job, status: {} };
  const uid = job.metadata.uid ?? "";
  const t = job.spec.template;
  const labels: Record<string, string> = { ...(t.metadata?.labels ?? {}) };
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[key] ??= job.metadata.name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[key] ??= uid;
  const sel = job.spec.selector ?? {};
  const selector = { ...sel, matchLabels: { ...(sel.matchLabels ?? {}), [CONTROLLER_UID_LABEL]: sel.matchLabels?.[CONTROLLER_UID_LABEL] ?? uid } };
  const spec = { ...job.spec, selector, template: { ...t, metadata: { ...(t.metadata ?? {}), labels } } };
  // SetDefaults_Job's label copy runs again when the stored Job is decoded, so a Job that had no labels shows its
  // template's generated ones (kubectl get job pi -o yaml: batch.kubernetes.io/job-name, controller-uid, ...).
  const meta = Object.keys(job.metadata.labels ?? {}).length === 0 ? { ...job.metadata, labels: { ...labels } } : job.metadata;
  // Only the selector and the template's labels changed, which validateJobSpec does not read.
  preparedFrom.set(spec, preparedFrom.get(job.spec) ?? job.spec);
  return { ...job, metadata: meta, spec, status: {} };
}

/** validateJobSpec's pod template part: labels and ValidatePodTemplateSpec. */
export function validateJobTemplate(t: PodTemplateSpec | undefined, path: readonly PathSegment[]): FieldError[] {
  if (!isRecord(t)) return [fieldError.required(path)];
  const errs = validateLabels(t.metadata?.labels as Record<string, unknown> | undefined, [...path, "metadata", "labels"]);
  if (!isRecord(t.spec)) return [...errs, fieldError.required([...path, "spec"])];
  return [...errs, ...validatePodSpecOnce(t.spec, [...path, "spec"])];
}

/**
 * ValidateJob: the Job-level checks (validateJob), the selector (required, well formed, matching the template's
 * labels), validateGeneratedSelector (the generated labels must carry this Job's uid) and the pod template.
 */
export function validateJobObject(job: Job): FieldError[] {
  if (!isRecord(job.spec)) return [fieldError.required(["spec"])];
  const spec = job.spec;
  const errs: FieldError[] = [...validateJobSpecOnce(spec), ...validateJobName({ name: job.metadata.name, spec: { completionMode: spec.completionMode, completions: spec.completions, template: {} } })];
  errs.push(...validateJobTemplate(spec.template, ["spec", "template"]));
  const sel = spec.selector;
  if (!isRecord(sel)) errs.push(fieldError.required(["spec", "selector"]));
  else {
    const selErrs = validateLabelSelector(sel, ["spec", "selector"]);
    errs.push(...selErrs);
    const labels: Record<string, string> = (isRecord(spec.template) ? spec.template.metadata?.labels : undefined) ?? {};
    if (selErrs.length === 0 && !matchesSelector(sel, labels)) {
      errs.push(fieldError.invalid(["spec", "template", "metadata", "labels"], labels, "`selector` does not match template `labels`"));
    }
    if (spec.manualSelector !== true && job.metadata.uid !== undefined) {
      // validateGeneratedSelector (ValidateHasLabel): a copied manifest's stale uid labels are refused.
      const uid = job.metadata.uid;
      for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) {
        if (labels[key] !== undefined && labels[key] !== uid) errs.push(fieldError.invalid(["spec", "template", "metadata", "labels"], labels[key], `must be '${uid}'`));
      }
      const selected = (sel.matchLabels as Record<string, string> | undefined)?.[CONTROLLER_UID_LABEL];
      if (selected !== uid) errs.push(fieldError.invalid(["spec", "selector", "matchLabels"], selected ?? "", `must be '${uid}'`));
    }
  }
  return errs;
}

/**
 * ValidateJobUpdate's immutable fields (validation.go ValidateJobSpecUpdate): completions (unless scaled with
 * parallelism for an elastic Indexed Job), selector, template (except while suspended: labels, annotations,
 * node selector, tolerations, scheduling gates), completionMode, podFailurePolicy, backoffLimitPerIndex.
 */
export function validateJobUpdate(job: Job, old: Job): FieldError[] {
  const errs = validateJobObject(job);
  if (!isRecord(job.spec) || !isRecord(old.spec)) return errs;
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const immutable = (field: keyof JobSpec) => {
    if (!same(job.spec[field], old.spec[field])) errs.push(fieldError.invalid(["spec", field], job.spec[field], "field is immutable"));
  };
  const elastic = job.spec.completionMode === "Indexed" && job.spec.completions === job.spec.parallelism && old.spec.completions === old.spec.parallelism;
  if (!elastic) immutable("completions");
  immutable("selector");
  immutable("completionMode");
  immutable("podFailurePolicy");
  immutable("backoffLimitPerIndex");
  if (!same(job.spec.template?.spec, old.spec.template?.spec) && !(old.spec.suspend === true && !old.status?.startTime)) immutable("template");
  return errs;
}

/** validateJobSpec for a CronJob's jobTemplate.spec (no selector: the CronJob's Jobs get generated ones). */
export function validateJobTemplateSpec(spec: JobSpec | undefined, path: readonly PathSegment[]): FieldError[] {
  if (!isRecord(spec)) return [fieldError.required(path)];
  return [...validateJobSpec(plainJobSpec(spec), path), ...validateJobTemplate(spec.template, [...path, "template"])];
}
