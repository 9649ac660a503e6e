/**
 * Job defaulting (pkg/apis/batch/v1/defaults.go SetDefaults_Job, v1.34, with the JobPodReplacementPolicy gate GA).
 * Pure: returns a new Job.
 */
import type { PlainJob } from "./job-spec.js";

/** Go math.MaxInt32: backoffLimit's default when backoffLimitPerIndex is set. */
export const MAX_INT32 = 2_147_483_647;

/** SetDefaults_Job's backoffLimit default without backoffLimitPerIndex. */
export const DEFAULT_BACKOFF_LIMIT = 6;

/**
 * defaults.go SetDefaults_Job:
 * - completions and parallelism both unset -> both 1; parallelism alone unset -> 1 (completions stays unset: a
 *   work-queue Job);
 * - backoffLimit: MaxInt32 when backoffLimitPerIndex is set, else 6;
 * - the Job's labels: the template's labels when the Job has none;
 * - completionMode NonIndexed; suspend false; manualSelector false;
 * - podReplacementPolicy: Failed with a podFailurePolicy, else TerminatingOrFailed;
 * - an onPodConditions pattern without status gets "True".
 * NOTE: the status default is documented on the type ("Defaults to True") and was applied in SetDefaults_Job in
 * earlier releases; newer defaults.go no longer has that loop (presumably moved to a declarative default).
 */
export function setDefaultsJob(job: PlainJob): PlainJob {
  const s = job.spec;
  let completions = s.completions;
  let parallelism = s.parallelism;
  if (completions === undefined && parallelism === undefined) {
    completions = 1;
    parallelism = 1;
  }
  parallelism ??= 1;
  const podFailurePolicy = s.podFailurePolicy && {
    rules: s.podFailurePolicy.rules.map((r) =>
      r.onPodConditions ? { ...r, onPodConditions: r.onPodConditions.map((p) => (p.status === "" || p.status === undefined ? { ...p, status: "True" } : p)) } : r,
    ),
  };
  const templateLabels = s.template.labels;
  const labels = templateLabels && Object.keys(job.labels ?? {}).length === 0 ? templateLabels : job.labels;
  return {
    ...job,
    ...(labels !== undefined ? { labels } : {}),
    spec: {
      ...s,
      ...(completions !== undefined ? { completions } : {}),
      parallelism,
      backoffLimit: s.backoffLimit ?? (s.backoffLimitPerIndex !== undefined ? MAX_INT32 : DEFAULT_BACKOFF_LIMIT),
      completionMode: s.completionMode ?? "NonIndexed",
      suspend: s.suspend ?? false,
      podReplacementPolicy: s.podReplacementPolicy ?? (s.podFailurePolicy ? "Failed" : "TerminatingOrFailed"),
      manualSelector: s.manualSelector ?? false,
      ...(podFailurePolicy ? { podFailurePolicy } : {}),
    },
  };
}
