/**
 * A batch/v1 CronJob as the API server handles it: SetDefaults_CronJob (pkg/apis/batch/v1/defaults.go) and
 * ValidateCronJobCreate / ValidateCronJobUpdate (pkg/apis/batch/validation/validation.go), with the schedule and
 * time zone judged by the cron parser (src/cron/schedule.ts).
 */
import { parseCronSchedule } from "../../cron/schedule.js";
import type { Settings } from "../../settings.js";
import { isRecord } from "../record.js";
import { fieldError, type FieldError } from "../validation/field-errors.js";
import { defaultPodTemplate, validateJobTemplateSpec } from "./job-object.js";
import type { CronJob } from "./types.js";

/** SetDefaults_CronJob: concurrencyPolicy Allow. */
export const DEFAULT_CONCURRENCY_POLICY = "Allow";
/** SetDefaults_CronJob: successfulJobsHistoryLimit 3. */
export const DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT = 3;
/** SetDefaults_CronJob: failedJobsHistoryLimit 1. */
export const DEFAULT_FAILED_JOBS_HISTORY_LIMIT = 1;
/** validation.go: a CronJob's name leaves 11 characters for the Job name suffix (63 - 11 = 52). */
export const MAX_CRONJOB_NAME_LENGTH = 52;

const CONCURRENCY_POLICIES = ["Allow", "Forbid", "Replace"];

/** SetDefaults_CronJob plus the job template's pod template defaults; the same object when nothing was missing. */
export function defaultCronJob(cj: CronJob, settings: Settings): CronJob {
  const s = cj.spec;
  if (!isRecord(s)) return cj;
  const jt = s.jobTemplate;
  const template = isRecord(jt) && isRecord(jt.spec) ? defaultPodTemplate(jt.spec.template, settings) : undefined;
  const complete = s.concurrencyPolicy !== undefined && s.suspend !== undefined && s.successfulJobsHistoryLimit !== undefined && s.failedJobsHistoryLimit !== undefined;
  if (complete && (template === undefined || template === jt.spec.template)) return cj;
  return {
    ...cj,
    spec: {
      ...s,
      concurrencyPolicy: s.concurrencyPolicy ?? DEFAULT_CONCURRENCY_POLICY,
      suspend: s.suspend ?? false,
      successfulJobsHistoryLimit: s.successfulJobsHistoryLimit ?? DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT,
      failedJobsHistoryLimit: s.failedJobsHistoryLimit ?? DEFAULT_FAILED_JOBS_HISTORY_LIMIT,
      ...(template !== undefined ? { jobTemplate: { ...jt, spec: { ...jt.spec, template } } } : {}),
    },
  };
}

/**
 * ValidateCronJobCreate: the name at most 52 characters, then validateCronJobSpec: schedule and timeZone (the cron
 * parser's errors), startingDeadlineSeconds, concurrencyPolicy, the history limits, and the job template's spec.
 */
export function validateCronJob(cj: CronJob): FieldError[] {
  const errs: FieldError[] = [];
  if (cj.metadata.name && cj.metadata.name.length > MAX_CRONJOB_NAME_LENGTH) {
    errs.push(fieldError.invalid(["metadata", "name"], cj.metadata.name, `must be no more than ${MAX_CRONJOB_NAME_LENGTH} characters`));
  }
  const s = cj.spec;
  if (!isRecord(s)) return [...errs, fieldError.required(["spec"])];
  const parsed = parseCronSchedule(typeof s.schedule === "string" ? s.schedule : "", s.timeZone);
  if (!parsed.ok) {
    for (const e of parsed.errors) {
      const path = e.field === "spec.schedule" ? ["spec", "schedule"] : ["spec", "timeZone"];
      errs.push(e.type === "Required" ? fieldError.required(path) : fieldError.invalid(path, e.value, e.detail));
    }
  }
  const nonNegative = (v: unknown, field: "startingDeadlineSeconds" | "successfulJobsHistoryLimit" | "failedJobsHistoryLimit") => {
    if (typeof v === "number" && v < 0) errs.push(fieldError.invalid(["spec", field], v, "must be greater than or equal to 0"));
  };
  nonNegative(s.startingDeadlineSeconds, "startingDeadlineSeconds");
  if (s.concurrencyPolicy !== undefined && !CONCURRENCY_POLICIES.includes(s.concurrencyPolicy)) {
    errs.push(fieldError.notSupported(["spec", "concurrencyPolicy"], s.concurrencyPolicy, CONCURRENCY_POLICIES));
  }
  nonNegative(s.successfulJobsHistoryLimit, "successfulJobsHistoryLimit");
  nonNegative(s.failedJobsHistoryLimit, "failedJobsHistoryLimit");
  const jt = s.jobTemplate;
  if (!isRecord(jt)) errs.push(fieldError.required(["spec", "jobTemplate"]));
  else errs.push(...validateJobTemplateSpec(jt.spec, ["spec", "jobTemplate", "spec"]));
  return errs;
}
