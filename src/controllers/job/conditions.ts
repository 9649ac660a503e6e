/**
 * A Job's conditions, reasons and messages (k8s.io/api/batch/v1/types.go, pkg/controller/job/job_controller.go), and
 * the pure decisions of which terminal path a sync takes. Since v1.31 (JobManagedBy / JobSuccessPolicy on) the
 * controller first adds FailureTarget or SuccessCriteriaMet and adds Failed or Complete, with the same reason and
 * message, only once no pod of the Job is terminating.
 */
import type { Job } from "../../api/batch/types.js";
import type { Condition } from "../../api/types.js";

/** JobReasonPodFailurePolicy. */
export const REASON_POD_FAILURE_POLICY = "PodFailurePolicy";
/** JobReasonBackoffLimitExceeded. */
export const REASON_BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
/** JobReasonDeadlineExceeded. */
export const REASON_DEADLINE_EXCEEDED = "DeadlineExceeded";
/** JobReasonMaxFailedIndexesExceeded. */
export const REASON_MAX_FAILED_INDEXES_EXCEEDED = "MaxFailedIndexesExceeded";
/** JobReasonFailedIndexes. */
export const REASON_FAILED_INDEXES = "FailedIndexes";
/** JobReasonCompletionsReached. */
export const REASON_COMPLETIONS_REACHED = "CompletionsReached";

/** The messages job_controller.go writes with each reason. */
export const MESSAGES = {
  backoffLimitExceeded: "Job has reached the specified backoff limit",
  deadlineExceeded: "Job was active longer than specified deadline",
  maxFailedIndexesExceeded: "Job has exceeded the specified maximal number of failed indexes",
  failedIndexes: "Job has failed indexes",
  completionsReached: "Reached expected number of succeeded pods",
} as const;

/** The Suspended condition's reasons and messages (and the Suspended / Resumed events' texts). */
export const SUSPENDED = { reason: "JobSuspended", message: "Job suspended" } as const;
/** See SUSPENDED. */
export const RESUMED = { reason: "JobResumed", message: "Job resumed" } as const;

/** A Job condition as newCondition builds it (lastProbeTime and lastTransitionTime both now). */
export function jobCondition(type: string, status: Condition["status"], reason: string, message: string, now: string): Condition {
  return { type, status, lastProbeTime: now, lastTransitionTime: now, reason, message };
}

/** The condition of `type` with status True, if the Job has it. */
export function trueCondition(job: Job, type: string): Condition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === "True");
}

/** pkg/controller/job/util FinishedCondition: the first Complete or Failed condition that is True, if any. */
export function finishedCondition(job: Job): Condition | undefined {
  const conds = job.status?.conditions;
  if (conds === undefined) return undefined;
  for (const c of conds) if ((c.type === "Complete" || c.type === "Failed") && c.status === "True") return c;
  return undefined;
}

/** IsJobFinished: Complete or Failed is True. */
export function isJobFinished(job: Job): boolean {
  return finishedCondition(job) !== undefined;
}

/** IsJobSucceeded: some Complete condition is True (even after a Failed one). */
export function isJobSucceeded(job: Job): boolean {
  return trueCondition(job, "Complete") !== undefined;
}

/**
 * The interim condition a terminating Job already carries (FailureTarget or SuccessCriteriaMet, True), which
 * decides its terminal condition.
 */
export function interimCondition(job: Job): Condition | undefined {
  return trueCondition(job, "FailureTarget") ?? trueCondition(job, "SuccessCriteriaMet");
}

/** The facts the failure decision reads. */
export interface FailureFacts {
  /** The message of a pod that matched a FailJob rule, if one did. */
  readonly policyFailure?: string;
  /** Failed pods counted so far (status.failed plus uncounted and new ones). */
  readonly failed: number;
  readonly backoffLimit: number;
  /** restartPolicy OnFailure: the restarts of the active pods' containers. */
  readonly onFailureRestarts?: number;
  /** Epoch ms of status.startTime, when set. */
  readonly startTimeMs?: number;
  readonly activeDeadlineSeconds?: number;
  readonly nowMs: number;
}

/**
 * Why the Job fails now, in syncJob's order: a FailJob policy match, then the backoff limit (exceedsBackoffLimit:
 * failed > backoffLimit; pastBackoffLimitOnFailure for OnFailure: restarts >= backoffLimit, or > 0 when the limit
 * is 0), then the active deadline (pastActiveDeadline: now - startTime >= activeDeadlineSeconds).
 */
export function failureReason(f: FailureFacts): { reason: string; message: string } | undefined {
  if (f.policyFailure !== undefined) return { reason: REASON_POD_FAILURE_POLICY, message: f.policyFailure };
  const restarts = f.onFailureRestarts;
  const pastOnFailure = restarts !== undefined && (f.backoffLimit === 0 ? restarts > 0 : restarts >= f.backoffLimit);
  if (f.failed > f.backoffLimit || pastOnFailure) return { reason: REASON_BACKOFF_LIMIT_EXCEEDED, message: MESSAGES.backoffLimitExceeded };
  if (f.activeDeadlineSeconds !== undefined && f.startTimeMs !== undefined && f.nowMs - f.startTimeMs >= f.activeDeadlineSeconds * 1000) {
    return { reason: REASON_DEADLINE_EXCEEDED, message: MESSAGES.deadlineExceeded };
  }
  return undefined;
}

/**
 * The number of pods the Job wants running (manageJob): with completions, what remains to succeed, at most
 * parallelism; without (a work queue), parallelism until the first success, then whatever still runs.
 */
export function wantActive(job: Job, succeeded: number, active: number): number {
  const parallelism = job.spec.parallelism ?? 1;
  const completions = job.spec.completions;
  if (completions === undefined || completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

/** Whether the Job has succeeded (syncJob's `complete`): enough successes, or for a work queue one success and nothing running. */
export function completionsReached(job: Job, succeeded: number, active: number): boolean {
  const completions = job.spec.completions;
  if (completions === undefined || completions === null) return succeeded > 0 && active === 0;
  return succeeded >= completions;
}
