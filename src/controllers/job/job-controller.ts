/**
 * The Job controller (pkg/controller/job/job_controller.go, v1.32): runs a Job's pods to completion. Each sync
 * classifies the Job's pods (active, terminating, newly succeeded or failed), decides whether the Job has failed
 * (podFailurePolicy FailJob, backoffLimit, activeDeadlineSeconds, failed indexes) or succeeded, creates or deletes
 * pods towards wantActive after the pod failure back-off, and tracks finished pods with the job-tracking finalizer:
 * their uids go to status.uncountedTerminatedPods, the finalizers are removed, then they move into
 * status.succeeded / failed. Complete or Failed comes after SuccessCriteriaMet or FailureTarget, once no pod is
 * terminating. Pod events reach a Job through a 1s batch (syncJobBatchPeriod), Job events at once.
 */
import type { Job, JobStatus } from "../../api/batch/types.js";
import { isDeepStrictEqual } from "node:util";
import type { ApiClient } from "../../api/client.js";
import type { ControlPlane } from "../../api/control-plane.js";
import { withFields } from "../../api/copy.js";
import { controllerRef, isPodReady } from "../../api/pod-util.js";
import type { Condition, Container, Pod } from "../../api/types.js";
import { objectKey } from "../../api/types.js";
import { keyId, WorkQueue, type ObjectKey, type ReconcileResult } from "../runtime.js";
import { slowStartBatch } from "../slow-start.js";
import { EMPTY_BACKOFF_RECORD, getFinishedTimeMs, getRemainingTime, getRemainingTimePerIndex, newBackoffRecord, type BackoffRecord } from "./backoff.js";
import {
  completionIndexEnvFieldPath,
  getCompletionIndex,
  getIndexAbsoluteFailureCount,
  getIndexFailureCount,
  indexedPodHostname,
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_INDEX_FAILURE_COUNT_ANNOTATION,
  podGenerateNameWithIndex,
  COMPLETION_INDEX_ENV_NAME,
} from "./completion-index.js";
import {
  completionsReached,
  failureReason,
  interimCondition,
  isJobFinished,
  jobCondition,
  MESSAGES,
  REASON_COMPLETIONS_REACHED,
  REASON_FAILED_INDEXES,
  REASON_MAX_FAILED_INDEXES_EXCEEDED,
  RESUMED,
  SUSPENDED,
  wantActive,
} from "./conditions.js";
import { firstPendingIndexes, intervalsString, mergeIntervals, parseIndexesFromString, totalIndexes, withOrderedIndexes, type Interval } from "./intervals.js";
import { failedFacts, finishFacts, hasTrackingFinalizer, isActive, isPodFailed, isTerminating, JOB_TRACKING_FINALIZER, onlyReplaceFailedPods, restartCount } from "./pod-facts.js";
import { matchPodFailurePolicy } from "./pod-failure-policy.js";

/** syncJobBatchPeriod: pod events reach their Job at most this often. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1_000;
/** MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;

const SOURCE = "job-controller";

interface Expectations {
  adds: number;
  dels: Set<string>;
}

/** Per-index failure memory of a backoffLimitPerIndex Job: failures so far and the last failure's finish time. */
interface IndexFailures {
  /** Failures of the index so far (the replacement pod's job-index-failure-count). */
  count: number;
  /** The last failed pod's getIndexAbsoluteFailureCount (failures before it, ignored ones included). */
  absolute: number;
  lastFinishedMs: number;
}

/** The Job controller; constructed by the controller manager as "job-controller". */
export class JobController {
  private readonly queue: WorkQueue;
  private readonly client: ApiClient;
  private readonly podsByJob = new Map<string, Map<string, Pod>>();
  private readonly expectations = new Map<string, Expectations>();
  private readonly backoff = new Map<string, BackoffRecord>();
  private readonly indexFailures = new Map<string, Map<number, IndexFailures>>();
  /** Jobs with a batched sync already waiting (the delaying queue keeps one). */
  private readonly batched = new Set<string>();
  /** Jobs whose pod creates are still in the client: their outcome decides the key's backoff. */
  private readonly creating = new Set<string>();
  /** A create batch that failed before the sync returned: the sync's error. */
  private syncFailure: string | undefined;

  constructor(private readonly cp: ControlPlane) {
    this.queue = new WorkQueue(cp.sim, SOURCE, (key) => this.reconcile(key));
    this.client = cp.client(SOURCE, "controllerManager");
    cp.informers.jobs.addHandlers({
      onAdd: (j) => this.queue.add(j.metadata),
      onUpdate: (_o, j) => this.queue.add(j.metadata),
      onDelete: (j) => {
        const id = keyId(j.metadata);
        this.expectations.delete(id);
        this.backoff.delete(id);
        this.indexFailures.delete(id);
        // Orphaned pods keep no finalizer (job_controller.go deletePod / the orphan queue).
        const pods = this.podsByJob.get(j.metadata.uid!);
        if (pods) for (const p of [...pods.values()]) this.removeFinalizer(p);
      },
    });
    cp.informers.pods.addHandlers({
      onAdd: (p) => this.podEvent(p, undefined),
      onUpdate: (o, p) => this.podEvent(p, o),
      onDelete: (p) => {
        const ref = controllerRef(p);
        if (!ref || ref.kind !== "Job") return;
        const pods = this.podsByJob.get(ref.uid);
        pods?.delete(objectKey(p.metadata.namespace, p.metadata.name));
        if (pods && pods.size === 0) this.podsByJob.delete(ref.uid);
        const key = { namespace: p.metadata.namespace, name: ref.name };
        this.expectations.get(keyId(key))?.dels.delete(objectKey(p.metadata.namespace, p.metadata.name));
        this.enqueueBatched(key);
      },
    });
  }

  private podEvent(p: Pod, old: Pod | undefined): void {
    const ref = controllerRef(p);
    if (!ref || ref.kind !== "Job") return;
    let pods = this.podsByJob.get(ref.uid);
    if (!pods) this.podsByJob.set(ref.uid, (pods = new Map()));
    const podKey = objectKey(p.metadata.namespace, p.metadata.name);
    pods.set(podKey, p);
    const key = { namespace: p.metadata.namespace, name: ref.name };
    const exp = this.expectations.get(keyId(key));
    if (exp) {
      if (old === undefined && exp.adds > 0) exp.adds--;
      if (p.metadata.deletionTimestamp !== undefined) exp.dels.delete(podKey);
    }
    const job = this.cp.informers.jobs.get(p.metadata.namespace, ref.name);
    if (job === undefined || job.metadata.uid !== ref.uid) {
      // An orphan (its Job is gone): its tracking finalizer must not hold it.
      if (hasTrackingFinalizer(p)) this.removeFinalizer(p);
      return;
    }
    this.enqueueBatched(key);
  }

  private enqueueBatched(key: ObjectKey): void {
    const id = keyId(key);
    if (this.batched.has(id)) return;
    this.batched.add(id);
    this.queue.addAfter(key, SYNC_JOB_BATCH_PERIOD_MS);
  }

  private removeFinalizer(p: Pod): boolean {
    const cur = this.cp.api.get<Pod>("Pod", p.metadata.namespace, p.metadata.name);
    if (!cur || cur.metadata.uid !== p.metadata.uid || !hasTrackingFinalizer(cur)) return true;
    const finalizers = cur.metadata.finalizers!.filter((f) => f !== JOB_TRACKING_FINALIZER);
    const r = this.cp.api.update<Pod>(withFields(cur, { metadata: withFields(cur.metadata, { finalizers }) }), { force: true });
    return r.ok || r.reason === "NotFound";
  }

  /**
   * One sync of a key, with upstream's error handling: syncJob returns the error of its blocking creates, so a Job
   * whose creates are refused (an exceeded quota) is retried with the queue's exponential backoff (5ms doubling to
   * 1000s) and forgotten only after a sync whose creates all succeeded. Creates answered after the sync returned
   * report their outcome themselves (pending).
   */
  private reconcile(key: ObjectKey): ReconcileResult | void {
    this.syncFailure = undefined;
    const r = this.syncJob(key);
    const failure = this.syncFailure;
    this.syncFailure = undefined;
    if (r?.error !== undefined) return r;
    if (failure !== undefined) return { error: failure };
    if (this.creating.has(keyId(key))) return { ...(r ?? {}), pending: true };
    return r;
  }

  /** syncJob for one key. */
  private syncJob(key: ObjectKey): ReconcileResult | void {
    const id = keyId(key);
    this.batched.delete(id);
    const job = this.cp.informers.jobs.get(key.namespace, key.name);
    if (!job) return;
    const owned = this.podsByJob.get(job.metadata.uid!);
    const pods = owned ? [...owned.values()] : [];
    if (job.metadata.deletionTimestamp !== undefined || isJobFinished(job)) {
      for (const p of pods) if (hasTrackingFinalizer(p)) this.removeFinalizer(p);
      return;
    }
    const clock = this.cp.clock;
    const nowMs = clock.ms;
    const now = clock.time();
    const spec = job.spec;
    const old = job.status ?? {};
    const indexed = spec.completionMode === "Indexed";
    const completions = spec.completions ?? undefined;
    const perIndex = indexed && spec.backoffLimitPerIndex !== undefined;
    const uncSucceeded = new Set(old.uncountedTerminatedPods?.succeeded ?? []);
    const uncFailed = new Set(old.uncountedTerminatedPods?.failed ?? []);
    let interim = interimCondition(job);
    const succeededAlready = interim?.type === "SuccessCriteriaMet";
    const failingAlready = interim?.type === "FailureTarget";

    // Classify the pods.
    const active: Pod[] = [];
    let ready = 0;
    let terminating = 0;
    let restarts = 0;
    const newSucceeded: Pod[] = [];
    const newFailed: Pod[] = [];
    const ignored: Pod[] = [];
    let policyFailure: string | undefined;
    let completed: Interval[] = indexed ? parseIndexesFromString(old.completedIndexes ?? "", completions ?? 0) : [];
    let failedIx: Interval[] = perIndex ? parseIndexesFromString(old.failedIndexes ?? "", completions ?? 0) : [];
    const newlyCompleted: number[] = [];
    const newlyFailedIx: number[] = [];
    const failures = perIndex ? this.failuresOf(id) : undefined;
    for (const p of pods) {
      if (isActive(p)) {
        active.push(p);
        if (isPodReady(p)) ready++;
        if (spec.template.spec.restartPolicy === "OnFailure") restarts += restartCount(p);
      } else if (isTerminating(p)) terminating++;
      if (!hasTrackingFinalizer(p)) continue;
      const uid = p.metadata.uid!;
      if (p.status.phase === "Succeeded") {
        if (uncSucceeded.has(uid)) continue;
        const ix = indexed ? getCompletionIndex(p.metadata.annotations) : -1;
        if (indexed && (ix < 0 || ix >= (completions ?? 0))) {
          ignored.push(p);
          continue;
        }
        newSucceeded.push(p);
        if (indexed) newlyCompleted.push(ix);
      } else if ((isPodFailed(p, job) || (failingAlready && (p.metadata.deletionTimestamp !== undefined || p.status.phase === "Failed"))) && !succeededAlready) {
        // trackJobStatusAndRemoveFinalizers: once the Job is failing, the pods it is finalizing count as failed.
        if (uncFailed.has(uid)) continue;
        const match = p.status.phase === "Failed" ? matchPodFailurePolicy(spec.podFailurePolicy, failedFacts(p)) : { countFailed: true };
        if (!match.countFailed) {
          ignored.push(p);
          continue;
        }
        newFailed.push(p);
        if (match.action === "FailJob" && match.jobFailureMessage !== undefined) policyFailure ??= match.jobFailureMessage;
        if (perIndex) {
          const ix = getCompletionIndex(p.metadata.annotations);
          if (ix >= 0) {
            const count = getIndexFailureCount(p.metadata.annotations) + 1;
            // The back-off reads the failed pod's own absolute count (getRemainingTimePerIndex adds this failure).
            failures!.set(ix, { count, absolute: getIndexAbsoluteFailureCount(p.metadata.annotations), lastFinishedMs: getFinishedTimeMs(finishFacts(p, clock)) });
            if (match.action === "FailIndex" || count > spec.backoffLimitPerIndex!) newlyFailedIx.push(ix);
          }
        }
      } else if (p.status.phase === "Failed" || (p.metadata.deletionTimestamp !== undefined && succeededAlready)) {
        // A failure after success, or not counted: only the finalizer goes.
        if (!uncFailed.has(uid) && !uncSucceeded.has(uid)) ignored.push(p);
      }
    }
    if (indexed) completed = withOrderedIndexes(completed, newlyCompleted);
    if (perIndex) failedIx = withOrderedIndexes(failedIx, newlyFailedIx);

    // The back-off record, from the newly finished pods' finish times.
    const record = newBackoffRecord(
      this.backoff.get(id) ?? EMPTY_BACKOFF_RECORD,
      newSucceeded.map((p) => ({ finishedAtMs: getFinishedTimeMs(finishFacts(p, clock)) })),
      newFailed.map((p) => ({ finishedAtMs: getFinishedTimeMs(finishFacts(p, clock)) })),
    );
    this.backoff.set(id, record);

    const succeeded = indexed ? totalIndexes(completed) : (old.succeeded ?? 0) + uncSucceeded.size + newSucceeded.length;
    const failed = (old.failed ?? 0) + uncFailed.size + newFailed.length;
    const conditions: Condition[] = [...(old.conditions ?? [])];
    let startTime = old.startTime;
    let requeueAfter: number | undefined;
    const events: [type: "Normal" | "Warning", reason: string, message: string][] = [];

    // Suspension.
    const suspended = spec.suspend === true;
    const suspendedCond = conditions.findIndex((c) => c.type === "Suspended");
    if (suspended && (suspendedCond < 0 || conditions[suspendedCond]!.status !== "True") && interim === undefined) {
      const c = jobCondition("Suspended", "True", SUSPENDED.reason, SUSPENDED.message, now);
      if (suspendedCond < 0) conditions.push(c);
      else conditions[suspendedCond] = c;
      events.push(["Normal", "Suspended", SUSPENDED.message]);
    } else if (!suspended && suspendedCond >= 0 && conditions[suspendedCond]!.status === "True") {
      conditions[suspendedCond] = jobCondition("Suspended", "False", RESUMED.reason, RESUMED.message, now);
      events.push(["Normal", "Resumed", RESUMED.message]);
      // A resumed Job's active deadline counts from now.
      startTime = now;
    }
    if (!suspended && startTime === undefined) startTime = now;

    // Failure or success.
    const allFailedIxHandled = perIndex && completions !== undefined && totalIndexes(completed) + totalIndexes(failedIx) >= completions;
    if (interim === undefined) {
      let failure = failureReason({
        ...(policyFailure !== undefined ? { policyFailure } : {}),
        failed,
        backoffLimit: spec.backoffLimit ?? 6,
        ...(spec.template.spec.restartPolicy === "OnFailure" ? { onFailureRestarts: restarts } : {}),
        ...(startTime !== undefined && !suspended ? { startTimeMs: clock.parse(startTime) } : {}),
        ...(spec.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: spec.activeDeadlineSeconds } : {}),
        nowMs,
      });
      if (failure === undefined && perIndex && spec.maxFailedIndexes !== undefined && totalIndexes(failedIx) > spec.maxFailedIndexes) {
        failure = { reason: REASON_MAX_FAILED_INDEXES_EXCEEDED, message: MESSAGES.maxFailedIndexesExceeded };
      }
      if (failure === undefined && allFailedIxHandled && failedIx.length > 0) failure = { reason: REASON_FAILED_INDEXES, message: MESSAGES.failedIndexes };
      if (failure !== undefined) {
        interim = jobCondition("FailureTarget", "True", failure.reason, failure.message, now);
        conditions.push(interim);
      } else if (completionsReached(job, succeeded, active.length)) {
        interim = jobCondition("SuccessCriteriaMet", "True", REASON_COMPLETIONS_REACHED, MESSAGES.completionsReached, now);
        conditions.push(interim);
      }
    }

    // Pods: delete all when finishing or suspended, else towards wantActive.
    let activeCount = active.length;
    const exp = this.expectations.get(id);
    const satisfied = !exp || (exp.adds <= 0 && exp.dels.size === 0);
    if (interim !== undefined || suspended) {
      const deleted = this.deletePods(key, job, active.slice(0, MAX_POD_CREATE_DELETE_PER_SYNC));
      terminating += deleted;
      activeCount -= deleted;
    } else if (satisfied) {
      const want = wantActive(job, succeeded, activeCount);
      const podsReplacing = onlyReplaceFailedPods(job) ? terminating : 0;
      if (activeCount > want) {
        const victims = [...active].sort(deletionOrder).slice(0, Math.min(activeCount - want, MAX_POD_CREATE_DELETE_PER_SYNC));
        const deleted = this.deletePods(key, job, victims);
        terminating += deleted;
        activeCount -= deleted;
      } else if (activeCount + podsReplacing < want) {
        const remaining = perIndex ? 0 : getRemainingTime(record, nowMs);
        if (remaining > 0) requeueAfter = remaining;
        else {
          const n = Math.min(want - activeCount - podsReplacing, MAX_POD_CREATE_DELETE_PER_SYNC);
          let indexes: number[] = [];
          if (indexed) {
            const activeIx = active.map((p) => getCompletionIndex(p.metadata.annotations)).filter((i) => i >= 0);
            const nonPending = withOrderedIndexes(perIndex ? mergeIntervals(completed, failedIx) : completed, activeIx);
            const candidates = firstPendingIndexes(nonPending, completions ?? 0, completions ?? 0);
            // Per-index back-off: an index still in its back-off waits (getRemainingTimePerIndex).
            for (const ix of candidates) {
              if (indexes.length >= n) break;
              const f = failures?.get(ix);
              const wait = f ? getRemainingTimePerIndex({ finishedAtMs: f.lastFinishedMs, absoluteFailureCount: f.absolute }, nowMs) : 0;
              if (wait > 0) requeueAfter = requeueAfter === undefined ? wait : Math.min(requeueAfter, wait);
              else indexes.push(ix);
            }
          } else indexes = Array.from({ length: n }, () => -1);
          if (indexes.length > 0) this.createPods(key, job, indexes, failures);
          activeCount += indexes.length;
        }
      }
    }

    // Tracking: new finished pods are first recorded as uncounted, then lose their finalizers, then are counted.
    const finishedNow = [...newSucceeded, ...newFailed];
    let status: JobStatus = old;
    if (finishedNow.length > 0) {
      const unc = {
        succeeded: [...uncSucceeded, ...newSucceeded.map((p) => p.metadata.uid!)],
        failed: [...uncFailed, ...newFailed.map((p) => p.metadata.uid!)],
      };
      status = { ...old, uncountedTerminatedPods: compactUncounted(unc) };
      if (!this.writeStatus(job, status)) return { error: "status update failed" };
    }
    for (const p of [...finishedNow, ...ignored]) this.removeFinalizer(p);
    // Pods already uncounted from an earlier sync whose finalizers this sync removed are counted now too.
    for (const p of pods) if ((uncSucceeded.has(p.metadata.uid!) || uncFailed.has(p.metadata.uid!)) && hasTrackingFinalizer(p)) this.removeFinalizer(p);

    // The terminal condition, once no pod is terminating.
    let completionTime = old.completionTime;
    if (interim !== undefined && terminating === 0 && activeCount === 0) {
      const terminal = interim.type === "FailureTarget" ? "Failed" : "Complete";
      conditions.push(jobCondition(terminal, "True", interim.reason ?? "", interim.message ?? "", now));
      if (terminal === "Complete") {
        completionTime = now;
        events.push(["Normal", "Completed", "Job completed"]);
      } else events.push(["Warning", interim.reason ?? "", interim.message ?? ""]);
    } else if (!suspended && spec.activeDeadlineSeconds !== undefined && startTime !== undefined && interim === undefined) {
      // Sync again at the deadline (job_controller.go enqueues the Job for its active deadline).
      const left = clock.parse(startTime) + spec.activeDeadlineSeconds * 1000 - nowMs;
      if (left > 0) requeueAfter = requeueAfter === undefined ? left : Math.min(requeueAfter, left);
    }

    const next: JobStatus = {
      ...(conditions.length > 0 ? { conditions } : {}),
      ...(startTime !== undefined ? { startTime } : {}),
      ...(completionTime !== undefined ? { completionTime } : {}),
      active: activeCount,
      ready,
      ...(succeeded > 0 ? { succeeded } : {}),
      ...(failed > 0 ? { failed } : {}),
      terminating,
      ...(indexed ? { completedIndexes: intervalsString(completed) } : {}),
      ...(perIndex && failedIx.length > 0 ? { failedIndexes: intervalsString(failedIx) } : perIndex ? { failedIndexes: "" } : {}),
      uncountedTerminatedPods: {},
    };
    if (!isDeepStrictEqual(next, status) && !this.writeStatus(job, next)) return { error: "status update failed" };
    for (const [type, reason, message] of events) this.cp.events.record(job, type, reason, message, SOURCE);
    if (requeueAfter !== undefined) return { requeueAfter };
  }

  private failuresOf(id: string): Map<number, IndexFailures> {
    let m = this.indexFailures.get(id);
    if (!m) this.indexFailures.set(id, (m = new Map()));
    return m;
  }

  private writeStatus(job: Job, status: JobStatus): boolean {
    const r = this.cp.api.updateStatus<Job>(withFields(job, { status }), { force: true });
    return r.ok || r.reason === "NotFound";
  }

  /** Deletes pods (gracefully) through the client; returns how many deletions were issued. */
  private deletePods(key: ObjectKey, job: Job, victims: readonly Pod[]): number {
    if (victims.length === 0) return 0;
    const id = keyId(key);
    const exp = this.expectations.get(id) ?? { adds: 0, dels: new Set<string>() };
    this.expectations.set(id, exp);
    for (const p of victims) {
      const podKey = objectKey(p.metadata.namespace, p.metadata.name);
      exp.dels.add(podKey);
      this.client.request(
        () => this.cp.api.delete("Pod", p.metadata.namespace, p.metadata.name),
        (r) => {
          if (!r.ok) exp.dels.delete(podKey);
          else this.cp.events.record(job, "Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`, SOURCE);
        },
      );
    }
    return victims.length;
  }

  /** Creates one pod per entry (an index, or -1 for a NonIndexed Job) in slow-start batches, as manageJob. */
  private createPods(key: ObjectKey, job: Job, indexes: readonly number[], failures: Map<number, IndexFailures> | undefined): void {
    const id = keyId(key);
    const exp: Expectations = { adds: indexes.length, dels: this.expectations.get(id)?.dels ?? new Set() };
    this.expectations.set(id, exp);
    let i = 0;
    let inSync = true;
    let completed = false;
    slowStartBatch(
      indexes.length,
      (done) => {
        const ix = indexes[i++]!;
        this.client.request(
          () => this.cp.api.create<Pod>(podFromJob(job, ix, failures?.get(ix)?.count ?? 0)),
          (r) => {
            if (r.ok) this.cp.events.record(job, "Normal", "SuccessfulCreate", `Created pod: ${r.object.metadata.name}`, SOURCE);
            else this.cp.events.record(job, "Warning", "FailedCreate", `Error creating: ${r.message}`, SOURCE);
            done(r.ok);
          },
        );
      },
      (successes) => {
        completed = true;
        this.creating.delete(id);
        exp.adds -= indexes.length - successes;
        const failed = successes < indexes.length;
        if (failed && inSync) this.syncFailure = "pod creation failed";
        else if (failed && this.expectations.get(id) === exp) this.queue.addRateLimited(key);
        else if (!failed && !inSync) this.queue.forget(key);
      },
    );
    if (!completed) this.creating.add(id);
    inSync = false;
  }
}

/** Pods deleted first when a Job has too many: not yet running before running, unready before ready, newer first. */
function deletionOrder(a: Pod, b: Pod): number {
  const rank = (p: Pod) => (p.spec.nodeName ? (p.status.phase === "Running" ? (isPodReady(p) ? 3 : 2) : 1) : 0);
  const d = rank(a) - rank(b);
  if (d !== 0) return d;
  const ta = a.metadata.creationTimestamp ?? "";
  const tb = b.metadata.creationTimestamp ?? "";
  return ta < tb ? 1 : ta > tb ? -1 : 0;
}

function compactUncounted(u: { succeeded: string[]; failed: string[] }): { succeeded?: string[]; failed?: string[] } {
  return { ...(u.succeeded.length > 0 ? { succeeded: u.succeeded } : {}), ...(u.failed.length > 0 ? { failed: u.failed } : {}) };
}

/**
 * The pod a Job creates (manageJob / getPodTemplate): the template's labels, annotations and spec, generateName
 * `<job>-` (Indexed: `<job>-<index>-`), the job-tracking finalizer and a controller ownerReference. An Indexed
 * Job's pod carries its completion index (annotation and label), the JOB_COMPLETION_INDEX env var in every
 * container, hostname `<job>-<index>`, and with backoffLimitPerIndex the index's failure count so far.
 */
export function podFromJob(job: Job, index: number, indexFailureCount = 0): Pod {
  const t = job.spec.template;
  const labels: Record<string, string> = { ...(t.metadata?.labels ?? {}) };
  const annotations: Record<string, string> = { ...(t.metadata?.annotations ?? {}) };
  // A NonIndexed Job's pods share the template's spec object (stored objects are never mutated).
  let spec = t.spec;
  if (index >= 0) {
    annotations[JOB_COMPLETION_INDEX_ANNOTATION] = String(index);
    labels[JOB_COMPLETION_INDEX_ANNOTATION] = String(index);
    if (job.spec.backoffLimitPerIndex !== undefined) annotations[JOB_INDEX_FAILURE_COUNT_ANNOTATION] = String(indexFailureCount);
    const env = { name: COMPLETION_INDEX_ENV_NAME, valueFrom: { fieldRef: { fieldPath: completionIndexEnvFieldPath() } } };
    const withEnv = (c: Container): Container => ({ ...c, env: [...((c.env as unknown[] | undefined) ?? []), env] });
    spec = { ...t.spec, hostname: indexedPodHostname(job.metadata.name, index), containers: t.spec.containers.map(withEnv), ...(t.spec.initContainers ? { initContainers: t.spec.initContainers.map(withEnv) } : {}) };
  }
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "",
      generateName: index >= 0 ? podGenerateNameWithIndex(job.metadata.name, index) : `${job.metadata.name}-`,
      namespace: job.metadata.namespace,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      finalizers: [JOB_TRACKING_FINALIZER],
      ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: job.metadata.name, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
    status: {},
  };
}
