/**
 * What the Job controller reads from a pod (pkg/controller/job/job_controller.go, backoff_utils.go,
 * pod_failure_policy.go): the tracking finalizer, whether the pod counts as failed, and the facts the back-off and
 * the failure policy take. Pure.
 */
import type { ApiClock } from "../../api/clock.js";
import type { Job } from "../../api/batch/types.js";
import type { ContainerStatus, Pod } from "../../api/types.js";
import type { PodFinishFacts } from "./backoff.js";
import type { FailedPodFacts } from "./pod-failure-policy.js";

/** batch.JobTrackingFinalizer: the Job controller's finalizer on every pod it creates, removed once counted. */
export const JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";

/** hasJobTrackingFinalizer. */
export function hasTrackingFinalizer(p: Pod): boolean {
  const f = p.metadata.finalizers;
  return f !== undefined && f.includes(JOB_TRACKING_FINALIZER);
}

/** onlyReplaceFailedPods: podReplacementPolicy Failed, or a podFailurePolicy (which implies it). */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec.podReplacementPolicy === "Failed" || job.spec.podFailurePolicy !== undefined;
}

/**
 * isPodFailed: phase Failed; or, unless only failed pods are replaced, a pod being deleted that has not
 * succeeded (an orphan that never reaches Failed still counts).
 */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status.phase === "Failed") return true;
  if (onlyReplaceFailedPods(job)) return false;
  return p.metadata.deletionTimestamp !== undefined && p.status.phase !== "Succeeded";
}

/** A pod that is neither finished nor being deleted (controller.FilterActivePods). */
export function isActive(p: Pod): boolean {
  return p.status.phase !== "Succeeded" && p.status.phase !== "Failed" && p.metadata.deletionTimestamp === undefined;
}

/** isPodTerminating for status.terminating: being deleted and not finished. */
export function isTerminating(p: Pod): boolean {
  return p.metadata.deletionTimestamp !== undefined && p.status.phase !== "Succeeded" && p.status.phase !== "Failed";
}

const finishOf = (s: ContainerStatus, clock: ApiClock) => (s.state.terminated ? { finishedAtMs: clock.parse(s.state.terminated.finishedAt) } : {});

/** The facts getFinishedTime reads from a pod, in epoch ms. */
export function finishFacts(p: Pod, clock: ApiClock): PodFinishFacts {
  const readyFalse = p.status.conditions?.find((c) => c.type === "Ready" && c.status === "False")?.lastTransitionTime;
  return {
    creationTimestampMs: p.metadata.creationTimestamp ? clock.parse(p.metadata.creationTimestamp) : 0,
    containers: (p.status.containerStatuses ?? []).map((s) => finishOf(s, clock)),
    sidecars: (p.status.initContainerStatuses ?? []).filter((s) => p.spec.initContainers?.find((c) => c.name === s.name)?.restartPolicy === "Always").map((s) => finishOf(s, clock)),
    ...(readyFalse ? { readyFalseSinceMs: clock.parse(readyFalse) } : {}),
    ...(p.metadata.deletionTimestamp ? { deletionTimestampMs: clock.parse(p.metadata.deletionTimestamp), deletionGracePeriodSeconds: p.metadata.deletionGracePeriodSeconds ?? 0 } : {}),
  };
}

const exitOf = (s: ContainerStatus) => ({ name: s.name, ...(s.state.terminated ? { terminated: { exitCode: s.state.terminated.exitCode } } : {}) });

/** The facts matchPodFailurePolicy reads from a failed pod. */
export function failedFacts(p: Pod): FailedPodFacts {
  return {
    namespace: p.metadata.namespace ?? "default",
    name: p.metadata.name,
    containerStatuses: (p.status.containerStatuses ?? []).map(exitOf),
    initContainerStatuses: (p.status.initContainerStatuses ?? []).map(exitOf),
    conditions: (p.status.conditions ?? []).map((c) => ({ type: c.type, status: c.status })),
  };
}

/** The restarts of a pod's containers, init containers included (pastBackoffLimitOnFailure sums these). */
export function restartCount(p: Pod): number {
  let n = 0;
  for (const s of p.status.initContainerStatuses ?? []) n += s.restartCount;
  for (const s of p.status.containerStatuses ?? []) n += s.restartCount;
  return n;
}
