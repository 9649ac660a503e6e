/**
 * The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go ControllerV2, v1.32): a work queue keyed
 * by CronJob, fed by the CronJob informer and by the Job informer (a Job whose controller is a CronJob wakes that
 * CronJob), that creates a Job for each due schedule time and keeps status.active, lastScheduleTime and
 * lastSuccessfulTime. The decisions are sync.ts; this file performs them against the API server in upstream's
 * order: history cleanup deletes, then the sync (Replace deletes, the create), then one status write.
 */
import type { ControlPlane } from "../../api/control-plane.js";
import type { ApiClient } from "../../api/client.js";
import { withFields } from "../../api/copy.js";
import type { ApiResult } from "../../api/api-result.js";
import type { CronJob, Job, ObjectReference } from "../../api/batch/types.js";
import type { KubeObject, OwnerReference } from "../../api/types.js";
import { controllerRef } from "../../api/pod-util.js";
import { keyId, WorkQueue, type ObjectKey, type ReconcileResult } from "../runtime.js";
import { jobFromTemplate, jobReference } from "./job-from-template.js";
import { nextScheduleTimeDuration } from "./most-recent.js";
import {
  CRONJOB_CONTROLLER_COMPONENT,
  cronJobEvents,
  cronJobSchedule,
  cronJobTimes,
  decideSync,
  finishedCondition,
  finishedJobsToDelete,
  inActiveList,
  notFoundMessage,
  recordJobStarted,
  sameStatus,
  withoutActive,
  type CronJobEvent,
  type CronJobStatus,
  type SyncLookups,
} from "./sync.js";

/** One sync in progress: the working copy upstream calls cronJobCopy, and where its result goes. */
interface SyncRun {
  readonly key: ObjectKey;
  readonly id: string;
  /** The working copy (sync.ts SyncDecision.cronJob); its own `status` is the one read, `status` below the one to write. */
  cronJob: CronJob;
  status: CronJobStatus;
  updateStatus: boolean;
  /** Epoch ms when the sync began (upstream's `now := jm.now()`). */
  readonly nowMs: number;
  /** True while the reconcile call that started the run is on the stack. */
  inline: boolean;
  /** The result, once finished inside that call. */
  result: ReconcileResult | undefined;
  finished: boolean;
}

const NO_JOBS: ReadonlyMap<string, Job> = new Map();
const NO_VICTIMS: readonly Job[] = [];

/** The Jobs a CronJob controls, by Job uid, with running counts of the Complete and the Failed ones. */
interface OwnedJobs {
  readonly jobs: Map<string, Job>;
  complete: number;
  failed: number;
}

/** Adds (sign 1) or removes (sign -1) a Job's part in its owner's finished counts. */
function count(o: OwnedJobs, j: Job, sign: 1 | -1): void {
  const c = finishedCondition(j);
  if (c === "Complete") o.complete += sign;
  else if (c === "Failed") o.failed += sign;
}

/** The NamespaceLifecycle refusal of a create in a terminating namespace (errors.HasStatusCause NamespaceTerminatingCause). */
const isNamespaceTerminating = (r: { reason: string; message: string }) => r.reason === "Forbidden" && r.message.endsWith("because it is being terminated");

/**
 * The CronJob controller: `new CronJobController(cp)` watches CronJobs and Jobs and reconciles each CronJob on its
 * schedule. A CronJob costs engine events only at its schedule times (a delayed requeue, de-duplicated as client-go's
 * delaying queue does: a key waiting for an earlier time is not queued again) and when it or its Jobs change.
 *
 * Writes: Job creates and deletes go through the controller's rate-limited client (`cronjob-controller`), in
 * upstream's order, one after the other; a sync that waits for one is in flight, and a key woken meanwhile is synced
 * again when it ends, as the work queue's processing set does. The status is written once at the end, when it
 * changed.
 * NOTE: the live GETs upstream makes (GetCronJob, GetJob) read the API server directly, without the client's rate
 * limit or latency; upstream runs 5 workers (concurrentCronJobSyncs), here one queue whose syncs may overlap only
 * across keys while they wait for the client.
 * NOTE: the status write goes to the API server directly (forced, as the ReplicaSet controller's), not through the
 * rate-limited client.
 * NOTE: upstream lists every Job of the namespace per sync and keeps those whose controller reference names the
 * CronJob; here an index by the controller reference's uid (kind CronJob) answers the same in O(1), and also
 * ignores the Jobs of an earlier CronJob of the same name.
 */
export class CronJobController {
  private readonly queue: WorkQueue;
  private readonly client: ApiClient;
  /** Jobs by the uid of their controlling CronJob, then by Job uid (upstream lists the namespace per sync). */
  private readonly jobsByOwner = new Map<string, OwnedJobs>();
  /** Virtual ms of each key's pending delayed requeue. */
  private readonly wakeAt = new Map<string, number>();
  /** Keys whose sync waits for the API, and whether they were woken meanwhile. */
  private readonly inFlight = new Map<string, boolean>();
  private readonly lookupsCache = new Map<string, SyncLookups>();

  constructor(private readonly cp: ControlPlane) {
    this.queue = new WorkQueue(cp.sim, CRONJOB_CONTROLLER_COMPONENT, (key) => this.reconcile(key));
    this.client = cp.client(CRONJOB_CONTROLLER_COMPONENT, "controllerManager");
    // The Job handlers first, so CronJobs replayed below find their Jobs indexed.
    cp.informers.jobs.addHandlers({
      onAdd: (j) => this.addJob(j),
      onUpdate: (o, j) => this.updateJob(o, j),
      onDelete: (j) => this.deleteJob(j),
    });
    cp.informers.cronJobs.addHandlers({
      onAdd: (cj) => this.queue.add(cj.metadata),
      onUpdate: (o, cj) => this.updateCronJob(o, cj),
      onDelete: (cj) => this.queue.add(cj.metadata),
    });
  }

  /** Syncs run so far (every reconcile of the work queue). */
  get syncs(): number {
    return this.queue.reconciles;
  }

  /** The Jobs the informer shows controlled by the CronJob with this uid, in first-seen order. */
  jobsOwnedBy(uid: string): Iterable<Job> {
    return this.jobsByOwner.get(uid)?.jobs.values() ?? [];
  }

  // ---- informer handlers (addJob, updateJob, deleteJob, updateCronJob) ----

  private index(j: Job, ref: OwnerReference | undefined): void {
    if (ref === undefined || ref.kind !== "CronJob") return;
    let o = this.jobsByOwner.get(ref.uid);
    if (o === undefined) this.jobsByOwner.set(ref.uid, (o = { jobs: new Map(), complete: 0, failed: 0 }));
    const uid = j.metadata.uid!;
    const prev = o.jobs.get(uid);
    if (prev !== undefined) count(o, prev, -1);
    o.jobs.set(uid, j);
    count(o, j, 1);
  }

  private unindex(j: Job, ref: OwnerReference | undefined): void {
    if (ref === undefined || ref.kind !== "CronJob") return;
    const o = this.jobsByOwner.get(ref.uid);
    const prev = o?.jobs.get(j.metadata.uid!);
    if (o === undefined || prev === undefined) return;
    count(o, prev, -1);
    o.jobs.delete(j.metadata.uid!);
    if (o.jobs.size === 0) this.jobsByOwner.delete(ref.uid);
  }

  /** resolveControllerRef: the cached CronJob a controller reference names, if its uid matches. */
  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): CronJob | undefined {
    if (ref === undefined || ref.kind !== "CronJob") return undefined;
    const cj = this.cp.informers.cronJobs.get(namespace, ref.name);
    return cj !== undefined && cj.metadata.uid === ref.uid ? cj : undefined;
  }

  private addJob(j: Job): void {
    const ref = controllerRef(j);
    this.index(j, ref);
    // A Job already being deleted counts as a deletion observation (addJob -> deleteJob): the same wake-up.
    const cj = this.resolve(j.metadata.namespace, ref);
    if (cj !== undefined) this.queue.add(cj.metadata);
  }

  private updateJob(old: Job, cur: Job): void {
    const oldRef = controllerRef(old);
    const curRef = controllerRef(cur);
    // Re-set under the same uid: a Job keeps its place in its owner's map (the order syncs see Jobs in).
    if (oldRef?.uid !== curRef?.uid) this.unindex(old, oldRef);
    this.index(cur, curRef);
    // Periodic resyncs send updates of unchanged versions; k8sim has none, but the check is upstream's.
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    const changed = oldRef?.uid !== curRef?.uid || oldRef?.name !== curRef?.name || oldRef?.kind !== curRef?.kind;
    if (changed && oldRef !== undefined) {
      const prev = this.resolve(old.metadata.namespace, oldRef);
      if (prev !== undefined) this.queue.add(prev.metadata);
    }
    const cj = this.resolve(cur.metadata.namespace, curRef);
    if (cj !== undefined) this.queue.add(cj.metadata);
  }

  private deleteJob(j: Job): void {
    const ref = controllerRef(j);
    this.unindex(j, ref);
    const cj = this.resolve(j.metadata.namespace, ref);
    if (cj !== undefined) this.queue.add(cj.metadata);
  }

  /**
   * updateCronJob: a new schedule or time zone requeues the key for its next schedule time (or, unparseable,
   * Warning UnParseableCronJobSchedule and nothing); any other change syncs it now.
   */
  private updateCronJob(old: CronJob, cur: CronJob): void {
    if (old.spec.schedule !== cur.spec.schedule || old.spec.timeZone !== cur.spec.timeZone) {
      const info = cronJobSchedule(cur.spec);
      if (!info.parsed.ok) {
        this.record(cur, cronJobEvents.unparseableCronJobSchedule(cur.spec.schedule));
        return;
      }
      const after = nextScheduleTimeDuration(cronJobTimes(cur, cur.status), this.nowMs(), info.parsed.schedule);
      if (after !== null) this.requeueAfter(cur.metadata, keyId(cur.metadata), Math.max(0, after), true);
      return;
    }
    this.queue.add(cur.metadata);
  }

  // ---- the sync ----

  private nowMs(): number {
    return this.cp.clock.startTime + this.cp.sim.now;
  }

  private record(cj: KubeObject, e: CronJobEvent): void {
    this.cp.events.record(cj, e.type, e.reason, e.message, CRONJOB_CONTROLLER_COMPONENT);
  }

  /** The live reads of one CronJob's syncs (kept per key: a sync asks for them at most a few times). */
  private lookups(key: ObjectKey, id: string): SyncLookups {
    let l = this.lookupsCache.get(id);
    if (l === undefined) {
      const api = this.cp.api;
      l = {
        cronJob: () => api.get<CronJob>("CronJob", key.namespace, key.name),
        job: (ns, name) => api.get<Job>("Job", ns, name),
      };
      this.lookupsCache.set(id, l);
    }
    return l;
  }

  /** sync(key): a key whose sync waits for the API is marked and synced again when that one ends. */
  private reconcile(key: ObjectKey): ReconcileResult | void {
    const id = keyId(key);
    if (this.inFlight.has(id)) {
      this.inFlight.set(id, true);
      return;
    }
    const cj = this.cp.informers.cronJobs.get(key.namespace, key.name);
    if (cj === undefined) {
      // Deleted: nothing to requeue (its Jobs go with it, by the API server's garbage collection).
      this.wakeAt.delete(id);
      this.lookupsCache.delete(id);
      return;
    }
    const run: SyncRun = { key: cj.metadata, id, cronJob: cj, status: cj.status, updateStatus: false, nowMs: this.nowMs(), inline: true, result: undefined, finished: false };
    this.cleanupFinishedJobs(run, this.overHistoryLimits(cj) ? finishedJobsToDelete(cj.spec, this.ownedJobs(cj)) : NO_VICTIMS, 0);
    run.inline = false;
    if (run.finished) return run.result;
    this.inFlight.set(id, false);
    // Its requests answer later: their outcome decides the key's backoff (finish), so a refused Job create backs
    // off from 5ms doubling instead of being forgotten by this return.
    return { pending: true };
  }

  private ownedJobs(cj: CronJob): ReadonlyMap<string, Job> {
    return this.jobsByOwner.get(cj.metadata.uid!)?.jobs ?? NO_JOBS;
  }

  /** Whether the index's counts exceed a history limit (else cleanupFinishedJobs has nothing to do, and is skipped). */
  private overHistoryLimits(cj: CronJob): boolean {
    const o = this.jobsByOwner.get(cj.metadata.uid!);
    if (o === undefined) return false;
    const { successfulJobsHistoryLimit: s, failedJobsHistoryLimit: f } = cj.spec;
    return (s !== undefined && o.complete > s) || (f !== undefined && o.failed > f);
  }

  /** cleanupFinishedJobs: deletes the finished Jobs beyond the history limits, one after the other, then syncs. */
  private cleanupFinishedJobs(run: SyncRun, victims: readonly Job[], i: number): void {
    if (i === victims.length) return this.syncCronJob(run);
    this.deleteJobOf(run, victims[i]!, (ok) => {
      if (ok) run.updateStatus = true;
      this.cleanupFinishedJobs(run, victims, i + 1);
    });
  }

  /**
   * deleteJob: deletes the Job (background propagation: the garbage collector deletes its pods), then removes it from
   * status.active with Normal SuccessfulDelete; a failure is Warning FailedDelete.
   */
  private deleteJobOf(run: SyncRun, job: Job, done: (ok: boolean) => void): void {
    const { namespace, name, uid } = job.metadata;
    this.client.request(
      () => this.cp.api.delete("Job", namespace, name, { propagationPolicy: "Background" }),
      (r) => {
        if (!r.ok) {
          this.record(run.cronJob, cronJobEvents.failedDelete(r.message));
          return done(false);
        }
        run.status = withoutActive(run.status, uid);
        this.record(run.cronJob, cronJobEvents.successfulDelete(name));
        done(true);
      },
    );
  }

  /** syncCronJob: the decision (sync.ts decideSync), then the Replace deletes and the create it asks for. */
  private syncCronJob(run: SyncRun): void {
    const d = decideSync(
      { cronJob: run.cronJob, status: run.status, updateStatus: run.updateStatus, jobs: this.ownedJobs(run.cronJob), nowMs: run.nowMs },
      this.lookups(run.key, run.id),
    );
    run.cronJob = d.cronJob;
    run.status = d.status;
    run.updateStatus = d.updateStatus;
    for (const e of d.events) this.record(run.cronJob, e);
    const a = d.action;
    if (a.kind === "done") return this.finish(run, a.error === undefined ? undefined : { error: a.error });
    if (a.kind === "requeue") return this.finish(run, { requeueAfter: a.afterMs });
    this.replaceActive(run, a.scheduledMs, a.replace, 0);
  }

  /** concurrencyPolicy Replace: a live GET and a delete of each active Job in turn; the first failure ends the sync. */
  private replaceActive(run: SyncRun, scheduledMs: number, refs: readonly ObjectReference[], i: number): void {
    if (i === refs.length) return this.createJob(run, scheduledMs);
    const ref = refs[i]!;
    const job = this.cp.api.get<Job>("Job", ref.namespace, ref.name ?? "");
    if (job === undefined) {
      const err = notFoundMessage("jobs", ref.name ?? "");
      this.record(run.cronJob, cronJobEvents.failedGet(err));
      return this.finish(run, { error: err });
    }
    this.deleteJobOf(run, job, (ok) => {
      if (!ok) return this.finish(run, { error: `could not replace job ${job.metadata.namespace}/${job.metadata.name}` });
      run.updateStatus = true;
      this.replaceActive(run, scheduledMs, refs, i + 1);
    });
  }

  /** The create and its outcomes: SuccessfulCreate; AlreadyExists (adopted only if controlled and not listed); FailedCreate. */
  private createJob(run: SyncRun, scheduledMs: number): void {
    const made = jobFromTemplate(run.cronJob, scheduledMs);
    if (!made.ok) return this.finish(run, { error: made.error });
    const req = made.job;
    this.client.request(
      () => this.cp.api.create<Job>(req),
      (r) => this.created(run, scheduledMs, req, r),
    );
  }

  private created(run: SyncRun, scheduledMs: number, req: Job, r: ApiResult<Job>): void {
    let job: Job;
    if (r.ok) {
      job = r.object;
      this.record(run.cronJob, cronJobEvents.successfulCreate(job.metadata.name));
    } else if (isNamespaceTerminating(r)) {
      return this.finish(run, { error: r.message });
    } else if (r.reason === "AlreadyExists") {
      // Created by someone else (their status to keep), or by us before a status write was lost (ours to list).
      const live = this.cp.api.get<Job>("Job", req.metadata.namespace, req.metadata.name);
      if (live === undefined) return this.finish(run, { error: notFoundMessage("jobs", req.metadata.name) });
      if (controllerRef(live)?.uid !== run.cronJob.metadata.uid) return this.finish(run, undefined);
      if (inActiveList(run.status, live.metadata.uid)) return this.finish(run, undefined);
      job = live;
    } else {
      this.record(run.cronJob, cronJobEvents.failedCreate(r.message));
      return this.finish(run, { error: r.message });
    }
    const started = recordJobStarted(run.cronJob, run.status, jobReference(job), scheduledMs, run.nowMs);
    run.status = started.status;
    run.updateStatus = true;
    this.finish(run, started.requeueAfterMs === null ? undefined : { requeueAfter: started.requeueAfterMs });
  }

  /**
   * The end of sync(): the status write when it changed (a failure is the sync's error, retried with backoff),
   * then the result: returned to the queue when the whole sync ran inside its reconcile, else applied here.
   */
  private finish(run: SyncRun, result: ReconcileResult | undefined): void {
    if (run.updateStatus && !sameStatus(run.cronJob.status, run.status)) {
      const w = this.cp.api.updateStatus<CronJob>(withFields(run.cronJob, { status: run.status }), { force: true });
      if (!w.ok) result = { error: w.message };
    }
    let out: ReconcileResult | undefined = result;
    if (result?.requeueAfter !== undefined) out = this.requeueAfter(run.key, run.id, result.requeueAfter, !run.inline);
    if (run.inline) {
      run.result = out;
      run.finished = true;
      return;
    }
    const woken = this.inFlight.get(run.id) === true;
    this.inFlight.delete(run.id);
    if (out?.error !== undefined) this.queue.addRateLimited(run.key);
    else this.queue.forget(run.key);
    if (woken) this.queue.add(run.key);
  }

  /**
   * The delaying queue's AddAfter: a key already waiting for an earlier (or the same) time is not queued again.
   * With `now` the add is made here; otherwise the result is handed to the work queue, which makes it.
   */
  private requeueAfter(key: ObjectKey, id: string, delay: number, now: boolean): ReconcileResult | undefined {
    const t = this.cp.sim.now;
    const due = t + delay;
    const pending = this.wakeAt.get(id);
    if (pending !== undefined && pending > t && pending <= due) return undefined;
    this.wakeAt.set(id, due);
    if (now) {
      this.queue.addAfter(key, delay);
      return undefined;
    }
    return { requeueAfter: delay };
  }
}
