/**
 * Completion index helpers for Indexed Jobs (pkg/controller/job/indexed_job_utils.go, job_controller.go
 * manageJob; the annotation names are k8s.io/api/batch/v1 constants). Pure.
 */

/** batch/v1 JobCompletionIndexAnnotation; also used as the pod label of the same name (PodIndexLabel). */
export const JOB_COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";

/** batch/v1 JobIndexFailureCountAnnotation: counted failures of the index before this pod. */
export const JOB_INDEX_FAILURE_COUNT_ANNOTATION = "batch.kubernetes.io/job-index-failure-count";

/** batch/v1 JobIndexIgnoredFailureCountAnnotation: failures of the index that matched an Ignore rule. */
export const JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = "batch.kubernetes.io/job-index-ignored-failure-count";

/** indexed_job_utils.go completionIndexEnvName: the env var added to every container and init container. */
export const COMPLETION_INDEX_ENV_NAME = "JOB_COMPLETION_INDEX";

/** indexed_job_utils.go unknownCompletionIndex. */
export const UNKNOWN_COMPLETION_INDEX = -1;

/** k8s.io/apiserver/pkg/storage/names MaxGeneratedNameLength: 63 - 5 random characters. */
export const MAX_GENERATED_NAME_LENGTH = 58;

const INT32_MAX = 2_147_483_647;
const INT64_MAX = 9_223_372_036_854_775_807n;

/** Go strconv.Atoi on a 64-bit platform: an optional sign and decimal digits; null on a syntax or range error. */
function atoi(s: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const n = BigInt(s);
  if (n > INT64_MAX || n < -INT64_MAX - 1n) return null;
  return Number(n);
}

/** indexed_job_utils.go getCompletionIndex: the annotation as a non-negative integer, else -1. */
export function getCompletionIndex(annotations: Readonly<Record<string, string>> | undefined): number {
  const v = annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
  if (v === undefined) return UNKNOWN_COMPLETION_INDEX;
  const i = atoi(v);
  return i === null || i < 0 ? UNKNOWN_COMPLETION_INDEX : i;
}

/** indexed_job_utils.go parseInt32: 0 for an unparsable, negative or above-MaxInt32 value. */
function parseInt32(v: string | undefined): number {
  if (v === undefined) return 0;
  const i = atoi(v);
  return i === null || i < 0 || i > INT32_MAX ? 0 : i;
}

/** indexed_job_utils.go getIndexFailureCount: the job-index-failure-count annotation (0 when absent or invalid). */
export function getIndexFailureCount(annotations: Readonly<Record<string, string>> | undefined): number {
  return parseInt32(annotations?.[JOB_INDEX_FAILURE_COUNT_ANNOTATION]);
}

/** indexed_job_utils.go getIndexAbsoluteFailureCount: failure count plus ignored failure count. */
export function getIndexAbsoluteFailureCount(annotations: Readonly<Record<string, string>> | undefined): number {
  return getIndexFailureCount(annotations) + parseInt32(annotations?.[JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION]);
}

/**
 * The fieldRef of the JOB_COMPLETION_INDEX env var (addCompletionIndexEnvVariable): the pod label when the
 * PodIndexLabel gate is on (GA since v1.32, the default here), else the annotation.
 */
export function completionIndexEnvFieldPath(podIndexLabel = true): string {
  return `metadata.${podIndexLabel ? "labels" : "annotations"}['${JOB_COMPLETION_INDEX_ANNOTATION}']`;
}

/** job_controller.go manageJob: an Indexed Job's pod gets spec.hostname `<job>-<index>`, replacing the template's. */
export function indexedPodHostname(jobName: string, index: number): string {
  return `${jobName}-${index}`;
}

/**
 * indexed_job_utils.go podGenerateNameWithIndex: generateName `<job>-<index>-`, the job name cut so the prefix
 * fits MAX_GENERATED_NAME_LENGTH (58) characters.
 */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const appendIndex = `-${index}-`;
  const prefix = jobName + appendIndex;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? prefix.slice(0, MAX_GENERATED_NAME_LENGTH - appendIndex.length) + appendIndex : prefix;
}
