/**
 * batch/v1 object shapes (k8s.io/api/batch/v1/types.go), limited to the fields k8sim reads or writes; other fields
 * pass through unchanged. As in types.ts, stored objects are never mutated.
 */
import type { PodFailurePolicy } from "./pod-failure-policy-types.js";
import type { Condition, KubeObject, LabelSelector, ObjectMeta, PodTemplateSpec } from "../types.js";

/** batch/v1 JobSpec. */
export interface JobSpec {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
  ttlSecondsAfterFinished?: number;
  completionMode?: "NonIndexed" | "Indexed";
  suspend?: boolean;
  manualSelector?: boolean;
  podReplacementPolicy?: "TerminatingOrFailed" | "Failed";
  podFailurePolicy?: PodFailurePolicy;
  selector?: LabelSelector;
  template: PodTemplateSpec;
  [field: string]: unknown;
}

/** batch/v1 UncountedTerminatedPods: uids of finished pods whose finalizer is not removed yet. */
export interface UncountedTerminatedPods {
  succeeded?: string[];
  failed?: string[];
}

/** batch/v1 JobStatus. */
export interface JobStatus {
  conditions?: Condition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  ready?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods?: UncountedTerminatedPods;
}

/** batch/v1 Job. */
export interface Job extends KubeObject {
  kind: "Job";
  spec: JobSpec;
  status: JobStatus;
}

/** batch/v1 JobTemplateSpec. */
export interface JobTemplateSpec {
  metadata?: Pick<ObjectMeta, "labels" | "annotations">;
  spec: JobSpec;
}

/** core/v1 ObjectReference, as CronJobStatus.active lists Jobs. */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

/** batch/v1 CronJobSpec. */
export interface CronJobSpec {
  schedule: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: "Allow" | "Forbid" | "Replace";
  suspend?: boolean;
  jobTemplate: JobTemplateSpec;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  [field: string]: unknown;
}

/** batch/v1 CronJob. */
export interface CronJob extends KubeObject {
  kind: "CronJob";
  spec: CronJobSpec;
  status: { active?: ObjectReference[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
}
