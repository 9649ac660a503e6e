/**
 * The Job controller's pod failure backoff (pkg/controller/job/backoff_utils.go, constants in job_controller.go):
 * after n consecutive failures since the last success, the next pod waits 10s x 2^(n-1), capped at 10m, counted
 * from the last failure's finish time. Pure functions over plain records; times are epoch ms of virtual time.
 */

/** job_controller.go DefaultJobPodFailureBackOff = 10 * time.Second, in ms. */
export const DEFAULT_JOB_POD_FAILURE_BACKOFF_MS = 10_000;

/** job_controller.go MaxJobPodFailureBackOff = 10 * time.Minute, in ms (the docs say 6 minutes; the code says 10). */
export const MAX_JOB_POD_FAILURE_BACKOFF_MS = 600_000;

/** backoff_utils.go backoffRecord without its store key: consecutive failures after the last success, and when the last one finished (epoch ms). */
export interface BackoffRecord {
  readonly failuresAfterLastSuccess: number;
  readonly lastFailureTimeMs: number | null;
}

/** The record a Job starts with (upstream: no entry in the backoff store). */
export const EMPTY_BACKOFF_RECORD: BackoffRecord = { failuresAfterLastSuccess: 0, lastFailureTimeMs: null };

/** A terminated pod reduced to what the backoff reads: its finish time (getFinishedTimeMs), epoch ms. */
export interface FinishedPod {
  readonly finishedAtMs: number;
}

/** One container status as getFinishedTime reads it: `finishedAtMs` is state.terminated.finishedAt, absent when the container is not terminated (or finishedAt is zero). */
export interface ContainerFinish {
  readonly finishedAtMs?: number;
}

/** The pod fields getFinishedTime looks at, epoch ms / seconds. */
export interface PodFinishFacts {
  readonly creationTimestampMs: number;
  /** status.containerStatuses. */
  readonly containers?: readonly ContainerFinish[];
  /** status.initContainerStatuses of restartable init containers (sidecars, restartPolicy Always) only. */
  readonly sidecars?: readonly ContainerFinish[];
  /** lastTransitionTime of a Ready=False condition, if the pod has one. */
  readonly readyFalseSinceMs?: number;
  readonly deletionTimestampMs?: number;
  readonly deletionGracePeriodSeconds?: number;
}

/**
 * backoff_utils.go latestFinishTime: the latest finish time of `statuses`, starting from `prev`; null as soon as one
 * status is not terminated, discarding `prev` too (upstream returns nil from inside the loop).
 */
function latestFinishTime(prev: number | null, statuses: readonly ContainerFinish[]): number | null {
  let finish = prev;
  for (const s of statuses) {
    if (s.finishedAtMs === undefined) return null;
    if (finish === null || finish < s.finishedAtMs) finish = s.finishedAtMs;
  }
  return finish;
}

/**
 * backoff_utils.go getFinishedTime, with the SidecarContainers gate on (GA since v1.33): the latest container finish
 * time when all containers (then all sidecars) terminated; else the Ready=False transition time; else
 * deletionTimestamp - deletionGracePeriodSeconds; else the creation time.
 * NOTE: like upstream, when a regular container is still running but every sidecar terminated, the sidecars' latest
 * finish time is returned (latestFinishTime(nil, ...) then merged with the sidecars).
 */
export function getFinishedTimeMs(p: PodFinishFacts): number {
  let fromContainers = latestFinishTime(null, p.containers ?? []);
  fromContainers = latestFinishTime(fromContainers, p.sidecars ?? []);
  if (fromContainers !== null) return fromContainers;
  if (p.readyFalseSinceMs !== undefined && p.readyFalseSinceMs !== 0) return p.readyFalseSinceMs;
  if (p.deletionTimestampMs !== undefined) return p.deletionTimestampMs - (p.deletionGracePeriodSeconds ?? 0) * 1000;
  return p.creationTimestampMs;
}

/**
 * backoffStore.newBackoffRecord: folds the pods that finished since the last sync into the previous record.
 * - none new: the previous record;
 * - only failures: previous count + their number, last failure = the latest of them;
 * - only successes: reset to 0 / null;
 * - both: the count restarts at 0 and counts the failures finished strictly after the latest success; the last
 *   failure is the latest of those (null when none).
 * NOTE: with only new failures upstream overwrites lastFailureTime with the latest new one even if the previous
 * record's is later; kept as is.
 */
export function newBackoffRecord(previous: BackoffRecord, newSucceeded: readonly FinishedPod[], newFailed: readonly FinishedPod[]): BackoffRecord {
  const succeeded = newSucceeded.map((p) => p.finishedAtMs).sort((a, b) => a - b);
  const failed = newFailed.map((p) => p.finishedAtMs).sort((a, b) => a - b);
  if (succeeded.length === 0) {
    if (failed.length === 0) return previous;
    return { failuresAfterLastSuccess: previous.failuresAfterLastSuccess + failed.length, lastFailureTimeMs: failed[failed.length - 1]! };
  }
  if (failed.length === 0) return EMPTY_BACKOFF_RECORD;
  const lastSuccess = succeeded[succeeded.length - 1]!;
  let count = 0;
  let last: number | null = null;
  for (let i = failed.length - 1; i >= 0; i--) {
    const t = failed[i]!;
    if (!(t > lastSuccess)) break;
    if (last === null) last = t;
    count++;
  }
  return { failuresAfterLastSuccess: count, lastFailureTimeMs: last };
}

/**
 * backoff_utils.go getRemainingTimeForFailuresCount: 0 for no failures; else the backoff
 * default x 2^(count-1) (doubling stops at the cap) minus the time elapsed since the last failure, never below 0.
 * In ms. NOTE: a last failure later than `nowMs` (clock skew) gives more than the full backoff, as upstream.
 */
export function getRemainingTimeForFailuresCount(
  failuresCount: number,
  lastFailureTimeMs: number | null,
  nowMs: number,
  defaultBackoffMs = DEFAULT_JOB_POD_FAILURE_BACKOFF_MS,
  maxBackoffMs = MAX_JOB_POD_FAILURE_BACKOFF_MS,
): number {
  if (failuresCount === 0 || lastFailureTimeMs === null) return 0;
  let backoff = defaultBackoffMs;
  for (let i = 1; i < failuresCount; i++) {
    backoff *= 2;
    if (backoff >= maxBackoffMs) {
      backoff = maxBackoffMs;
      break;
    }
  }
  const elapsed = nowMs - lastFailureTimeMs;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

/** backoffRecord.getRemainingTime: how long (ms) manageJob waits before creating pods for a non-per-index Job. */
export function getRemainingTime(record: BackoffRecord, nowMs: number, defaultBackoffMs = DEFAULT_JOB_POD_FAILURE_BACKOFF_MS, maxBackoffMs = MAX_JOB_POD_FAILURE_BACKOFF_MS): number {
  return getRemainingTimeForFailuresCount(record.failuresAfterLastSuccess, record.lastFailureTimeMs, nowMs, defaultBackoffMs, maxBackoffMs);
}

/** The last failed pod of one index, as getRemainingTimePerIndex reads it. */
export interface LastFailedIndexPod {
  /** getFinishedTimeMs of the pod. */
  readonly finishedAtMs: number;
  /** getIndexAbsoluteFailureCount: its job-index-failure-count plus job-index-ignored-failure-count annotations. */
  readonly absoluteFailureCount: number;
}

/**
 * backoff_utils.go getRemainingTimePerIndex (backoffLimitPerIndex Jobs): 0 without a failed pod; else the backoff
 * for absoluteFailureCount + 1 failures from that pod's finish time. In ms.
 */
export function getRemainingTimePerIndex(lastFailedPod: LastFailedIndexPod | undefined, nowMs: number, defaultBackoffMs = DEFAULT_JOB_POD_FAILURE_BACKOFF_MS, maxBackoffMs = MAX_JOB_POD_FAILURE_BACKOFF_MS): number {
  if (!lastFailedPod) return 0;
  return getRemainingTimeForFailuresCount(lastFailedPod.absoluteFailureCount + 1, lastFailedPod.finishedAtMs, nowMs, defaultBackoffMs, maxBackoffMs);
}
