/**
 * What one CronJob sync decides (pkg/controller/cronjob/cronjob_controllerv2.go syncCronJob and cleanupFinishedJobs,
 * utils.go, v1.32), as plain functions of the CronJob, the Jobs it controls and the time. The controller
 * (controller.ts) performs the API writes these ask for, in upstream's order, and records the events they return.
 * Times are epoch ms of virtual time.
 */
import { finishedCondition as finishedConditionOf, isJobSucceeded } from "../job/conditions.js";
import type { CronJob, CronJobSpec, Job, ObjectReference } from "../../api/batch/types.js";
import { parseStandard, type CronSchedule } from "../../cron/schedule.js";
import { loadLocation } from "../../cron/wall-clock.js";
import { goQuote } from "../../engine/go-text.js";
import { cronJobJobName, metaTime, rfc1123zUtc } from "./job-from-template.js";
import { nextScheduleTimeDuration, scheduleTimeToRun, TOO_MANY_MISSED_TIMES_MESSAGE, TOO_MANY_MISSED_TIMES_REASON, type CronJobTimes } from "./most-recent.js";

/** The event source of everything the controller records (cronjob_controllerv2.go NewControllerV2). */
export const CRONJOB_CONTROLLER_COMPONENT = "cronjob-controller";

/** One event a sync records on its CronJob: type, reason and message as upstream's recorder.Eventf. */
export interface CronJobEvent {
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly message: string;
}

/** batch/v1 CronJobStatus. */
export type CronJobStatus = CronJob["status"];

/** The upstream texts of the controller's events (cronjob_controllerv2.go), one function per reason. */
export const cronJobEvents = {
  sawCompletedJob: (job: string, condition: string): CronJobEvent => ({ type: "Normal", reason: "SawCompletedJob", message: `Saw completed job: ${job}, condition: ${condition}` }),
  unexpectedJob: (job: string): CronJobEvent => ({ type: "Warning", reason: "UnexpectedJob", message: `Saw a job that the controller did not create or forgot: ${job}` }),
  missingJob: (job: string): CronJobEvent => ({ type: "Normal", reason: "MissingJob", message: `Active job went missing: ${job}` }),
  unknownTimeZone: (zone: string, err: string): CronJobEvent => ({ type: "Warning", reason: "UnknownTimeZone", message: `invalid timeZone: ${goQuote(zone)}: ${err}` }),
  unsupportedSchedule: (schedule: string): CronJobEvent => ({
    type: "Warning",
    reason: "UnsupportedSchedule",
    message: `CRON_TZ or TZ used in schedule ${goQuote(schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
  }),
  unparseableSchedule: (schedule: string, err: string): CronJobEvent => ({ type: "Warning", reason: "UnparseableSchedule", message: `unparseable schedule: ${goQuote(schedule)} : ${err}` }),
  /** updateCronJob, when an update brings a schedule that does not parse. */
  unparseableCronJobSchedule: (schedule: string): CronJobEvent => ({ type: "Warning", reason: "UnParseableCronJobSchedule", message: `unparseable schedule for cronjob: ${schedule}` }),
  tooManyMissedTimes: (): CronJobEvent => ({ type: "Warning", reason: TOO_MANY_MISSED_TIMES_REASON, message: TOO_MANY_MISSED_TIMES_MESSAGE }),
  invalidSchedule: (schedule: string, err: string): CronJobEvent => ({ type: "Warning", reason: "InvalidSchedule", message: `invalid schedule: ${schedule} : ${err}` }),
  missSchedule: (scheduledMs: number): CronJobEvent => ({ type: "Warning", reason: "MissSchedule", message: `Missed scheduled time to start a job: ${rfc1123zUtc(scheduledMs)}` }),
  jobAlreadyActive: (): CronJobEvent => ({ type: "Normal", reason: "JobAlreadyActive", message: "Not starting job because prior execution is running and concurrency policy is Forbid" }),
  failedGet: (err: string): CronJobEvent => ({ type: "Warning", reason: "FailedGet", message: `Get job: ${err}` }),
  failedDelete: (err: string): CronJobEvent => ({ type: "Warning", reason: "FailedDelete", message: `Deleted job: ${err}` }),
  successfulDelete: (job: string): CronJobEvent => ({ type: "Normal", reason: "SuccessfulDelete", message: `Deleted job ${job}` }),
  failedCreate: (err: string): CronJobEvent => ({ type: "Warning", reason: "FailedCreate", message: `Error creating job: ${err}` }),
  successfulCreate: (job: string): CronJobEvent => ({ type: "Normal", reason: "SuccessfulCreate", message: `Created job ${job}` }),
} as const;

/** A client-go NotFound error's text for a batch kind (`jobs.batch "x" not found`), as the GETs upstream makes report it. */
export function notFoundMessage(plural: "jobs" | "cronjobs", name: string): string {
  return `${plural}.batch ${goQuote(name)} not found`;
}

/** The type of a Job's FinishedCondition (job/conditions.ts), "Complete" or "Failed", if it has finished. */
export function finishedCondition(job: Job): "Complete" | "Failed" | undefined {
  return finishedConditionOf(job)?.type as "Complete" | "Failed" | undefined;
}

export { isJobSucceeded };

/** The schedule a CronJob runs on, parsed once per spec object (see cronJobSchedule). */
export interface CronJobScheduleInfo {
  /** formatSchedule: the schedule text carries "TZ" (UnsupportedSchedule; spec.timeZone is then ignored). */
  readonly tzInSchedule: boolean;
  /** time.LoadLocation's error for spec.timeZone, when it is set and does not load. */
  readonly timeZoneError?: string;
  /** cron.ParseStandard(formatSchedule(cj)): the schedule, or robfig's error. */
  readonly parsed: { readonly ok: true; readonly schedule: CronSchedule } | { readonly ok: false; readonly error: string };
}

const scheduleMemo = new WeakMap<CronJobSpec, CronJobScheduleInfo>();
/** Parses by formatted text: CronJobs with the same schedule share one schedule object (and most-recent.ts's memo of Next). */
const parsedByText = new Map<string, CronJobScheduleInfo["parsed"]>();

/**
 * cronjob_controllerv2.go formatSchedule then cron.ParseStandard: a schedule containing "TZ" is parsed as written;
 * otherwise a spec.timeZone that loads is prefixed as `TZ=<zone> `; one that does not is ignored here (syncCronJob
 * refuses it first). Memoised by the spec object (stored objects are never mutated, and a status write keeps the
 * spec object) and the parse by its text, so a schedule is parsed once however many CronJobs share it.
 */
export function cronJobSchedule(spec: CronJobSpec): CronJobScheduleInfo {
  let info = scheduleMemo.get(spec);
  if (info !== undefined) return info;
  const schedule = typeof spec.schedule === "string" ? spec.schedule : "";
  const tzInSchedule = schedule.includes("TZ");
  let timeZoneError: string | undefined;
  let text = schedule;
  if (spec.timeZone !== undefined) {
    const loc = loadLocation(spec.timeZone);
    if ("error" in loc) timeZoneError = loc.error;
    else if (!tzInSchedule) text = `TZ=${spec.timeZone} ${schedule}`;
  }
  let parsed = parsedByText.get(text);
  if (parsed === undefined) {
    const r = parseStandard(text);
    parsedByText.set(text, (parsed = r.ok ? { ok: true, schedule: r.schedule } : { ok: false, error: r.error }));
  }
  info = { tzInSchedule, ...(timeZoneError !== undefined ? { timeZoneError } : {}), parsed };
  scheduleMemo.set(spec, info);
  return info;
}

const parsedTimes = new Map<string, number>();

/** Epoch ms of a metav1.Time text; the few texts a run's syncs see again and again are parsed once. */
function timeMs(text: string): number {
  let ms = parsedTimes.get(text);
  if (ms === undefined) {
    if (parsedTimes.size >= 4096) parsedTimes.clear();
    parsedTimes.set(text, (ms = Date.parse(text)));
  }
  return ms;
}

/**
 * The CronJob fields utils.go mostRecentScheduleTime reads (most-recent.ts CronJobTimes): creationTimestamp,
 * status.lastScheduleTime and spec.startingDeadlineSeconds, as epoch ms / seconds.
 */
export function cronJobTimes(cj: CronJob, status: CronJobStatus): CronJobTimes {
  const last = status?.lastScheduleTime;
  const sds = cj.spec.startingDeadlineSeconds;
  // One object shape whatever is set (absent fields are undefined, which most-recent.ts reads as unset).
  return {
    creationTimestampMs: timeMs(cj.metadata.creationTimestamp ?? ""),
    lastScheduleTimeMs: last !== undefined ? timeMs(last) : undefined,
    startingDeadlineSeconds: sds ?? undefined,
  };
}

/** Go's `a.Before(b)` for two metav1.Time texts. */
const before = (a: string, b: string) => a !== b && timeMs(a) < timeMs(b);

/**
 * utils.go byJobStartTime: Jobs with a status.startTime first, earliest first; equal start times (or none) by name.
 */
export function compareJobStartTime(a: Job, b: Job): number {
  const as = a.status?.startTime;
  const bs = b.status?.startTime;
  if (as === undefined && bs !== undefined) return 1;
  if (as !== undefined && bs === undefined) return -1;
  if (as !== undefined && bs !== undefined && as !== bs) {
    const d = timeMs(as) - timeMs(bs);
    if (d !== 0) return d;
  }
  const an = a.metadata.name;
  const bn = b.metadata.name;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

const NO_JOBS: readonly Job[] = Object.freeze([]);

/**
 * cleanupFinishedJobs + removeOldestJobs: the finished Jobs to delete, in the order upstream deletes them: first the
 * successful ones (Complete, by FinishedCondition) beyond successfulJobsHistoryLimit, then the failed ones beyond
 * failedJobsHistoryLimit, each group oldest first by compareJobStartTime. Nothing when neither limit is set.
 * `jobs` are the CronJob's Jobs by uid, as decideSync takes them.
 */
export function finishedJobsToDelete(spec: CronJobSpec, jobs: ReadonlyMap<string, Job>): readonly Job[] {
  const succLimit = spec.successfulJobsHistoryLimit;
  const failLimit = spec.failedJobsHistoryLimit;
  if (succLimit === undefined && failLimit === undefined) return NO_JOBS;
  // Count first: the common sync is under both limits and allocates nothing. Fewer Jobs than the smaller limit
  // cannot exceed either.
  if (jobs.size <= Math.min(succLimit ?? Infinity, failLimit ?? Infinity)) return NO_JOBS;
  let succ = 0;
  let fail = 0;
  for (const j of jobs.values()) {
    const c = finishedCondition(j);
    if (c === "Complete") succ++;
    else if (c === "Failed") fail++;
  }
  const cutSucc = succLimit !== undefined && succ > succLimit;
  const cutFail = failLimit !== undefined && fail > failLimit;
  if (!cutSucc && !cutFail) return NO_JOBS;
  const successful: Job[] = [];
  const failed: Job[] = [];
  for (const j of jobs.values()) {
    const c = finishedCondition(j);
    if (c === "Complete" && cutSucc) successful.push(j);
    else if (c === "Failed" && cutFail) failed.push(j);
  }
  successful.sort(compareJobStartTime);
  failed.sort(compareJobStartTime);
  const out: Job[] = [];
  if (cutSucc) out.push(...successful.slice(0, succ - succLimit!));
  if (cutFail) out.push(...failed.slice(0, fail - failLimit!));
  return out;
}

/** Above this many active Jobs, membership by uid is looked up in a Set built once per active list. */
const ACTIVE_SET_THRESHOLD = 16;
const activeSets = new WeakMap<readonly ObjectReference[], Set<string | undefined>>();

/** utils.go inActiveList: status.active holds a reference with this uid. */
export function inActiveList(status: CronJobStatus, uid: string | undefined): boolean {
  const active = status?.active;
  if (active === undefined) return false;
  if (active.length > ACTIVE_SET_THRESHOLD) {
    // Active lists are never mutated (every change builds a new array), so a set per array stays right.
    let set = activeSets.get(active);
    if (set === undefined) activeSets.set(active, (set = new Set(active.map((r) => r.uid))));
    return set.has(uid);
  }
  for (const r of active) if (r.uid === uid) return true;
  return false;
}

/** utils.go inActiveListByName: status.active holds a reference with this namespace and name. */
export function inActiveListByName(status: CronJobStatus, namespace: string | undefined, name: string): boolean {
  const active = status?.active;
  if (active === undefined) return false;
  for (const r of active) if (r.name === name && r.namespace === namespace) return true;
  return false;
}

/**
 * utils.go deleteFromActiveList: the status without the active references of this uid (a new object; `active` is
 * omitted when it becomes empty, as omitempty serialises upstream's empty slice).
 */
export function withoutActive(status: CronJobStatus, uid: string | undefined): CronJobStatus {
  const active = (status?.active ?? []).filter((r) => r.uid !== uid);
  const { active: _old, ...rest } = status ?? {};
  return active.length > 0 ? { ...rest, active } : rest;
}

/**
 * Whether two statuses read the same: active references (uid, name, namespace, resourceVersion) and both times.
 * NOTE: upstream's sync() writes whenever its updateStatus flag is set (a Replace sets it even when nothing
 * else changed); k8sim also skips a write that would store the same status, which a user cannot tell apart.
 */
export function sameStatus(a: CronJobStatus, b: CronJobStatus): boolean {
  if (a === b) return true;
  if (a?.lastScheduleTime !== b?.lastScheduleTime || a?.lastSuccessfulTime !== b?.lastSuccessfulTime) return false;
  const x = a?.active ?? [];
  const y = b?.active ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p.uid !== q.uid || p.name !== q.name || p.namespace !== q.namespace || p.resourceVersion !== q.resourceVersion) return false;
  }
  return true;
}

/** The live reads syncCronJob makes against the API server (not the informer caches). */
export interface SyncLookups {
  /** jobControl / cronJobControl GetCronJob: the CronJob as stored now, or undefined when it is gone. */
  cronJob(): CronJob | undefined;
  /** jobControl GetJob: the Job as stored now, or undefined (NotFound). */
  job(namespace: string | undefined, name: string): Job | undefined;
}

/** What the rest of a sync does after decideSync. */
export type SyncAction =
  /** Nothing more and no requeue (being deleted, suspended, bad time zone or schedule), or a failed live read (`error`: retried with backoff). */
  | { readonly kind: "done"; readonly error?: string }
  /** Nothing to create now: requeue after this many ms. */
  | { readonly kind: "requeue"; readonly afterMs: number }
  /** Delete `replace` (concurrencyPolicy Replace: the active Jobs, in order), then create the Job for `scheduledMs`. */
  | { readonly kind: "create"; readonly scheduledMs: number; readonly replace: readonly ObjectReference[] };

/** decideSync's input: the working CronJob, its working status and whether it must be written, its Jobs, now. */
export interface SyncInput {
  readonly cronJob: CronJob;
  /** The status after cleanupFinishedJobs (which removes the references of the Jobs it deleted). */
  readonly status: CronJobStatus;
  readonly updateStatus: boolean;
  /** The Jobs whose controller is this CronJob, by Job uid, in the order the informer first saw them. */
  readonly jobs: ReadonlyMap<string, Job>;
  readonly nowMs: number;
}

/** decideSync's result: the working copy and status, the status-write flag, the events to record, the action. */
export interface SyncDecision {
  /** The working copy: the input one, or the stored one read live when a Job was missing from the cached status. */
  readonly cronJob: CronJob;
  readonly status: CronJobStatus;
  readonly updateStatus: boolean;
  /** In the order upstream records them. */
  readonly events: readonly CronJobEvent[];
  readonly action: SyncAction;
}

const NO_EVENTS: readonly CronJobEvent[] = Object.freeze([]);

/**
 * syncCronJob up to its first write, in upstream's order:
 * 1. Each Job: unfinished and not in status.active -> a live GET of the CronJob; if the stored status lists it the
 *    stored copy becomes the working one, else Warning UnexpectedJob (the Job is not adopted: only a create that
 *    meets AlreadyExists adds an existing Job). Finished and listed -> removed, Normal SawCompletedJob. Succeeded ->
 *    lastSuccessfulTime = its completionTime when unset or later.
 * 2. Each active reference whose Job the informer lacks -> a live GET; NotFound -> Normal MissingJob, removed.
 * 3. Being deleted -> done. spec.timeZone does not load -> Warning UnknownTimeZone, done. Suspended -> done.
 *    "TZ" in the schedule -> Warning UnsupportedSchedule. Unparseable -> Warning UnparseableSchedule, done.
 * 4. The schedule time to run (utils.go nextScheduleTime): more than 100 missed -> Warning TooManyMissedTimes (the
 *    latest still runs); a degenerate schedule -> Warning InvalidSchedule, done; none due -> requeue.
 * 5. Older than startingDeadlineSeconds -> Warning MissSchedule, requeue. (Step 4 already starts the search at
 *    now - startingDeadlineSeconds, so this is unreachable in v1.32; kept as upstream has it.)
 * 6. Already run (a Job of that name in status.active, or lastScheduleTime equal to it) -> requeue.
 * 7. Forbid with active Jobs -> Normal JobAlreadyActive, requeue. Otherwise create (Replace: after deleting the
 *    active Jobs).
 * Requeues are nextScheduleTimeDuration: the next schedule time + 100 ms - now.
 * NOTE: upstream's live GET replaces only syncCronJob's local pointer, so sync() would write its own stale copy
 * (and meet a Conflict, retried); with forced status writes that would lose the stored active list, so the working
 * copy and status here are the stored ones from then on, and those are written.
 */
export function decideSync(input: SyncInput, lookups: SyncLookups): SyncDecision {
  let { cronJob: cj, status, updateStatus } = input;
  const { jobs, nowMs } = input;
  let events: CronJobEvent[] | undefined;
  const emit = (e: CronJobEvent) => (events ??= []).push(e);
  const decision = (action: SyncAction): SyncDecision => ({ cronJob: cj, status, updateStatus, events: events ?? NO_EVENTS, action });

  for (const j of jobs.values()) {
    const uid = j.metadata.uid;
    const found = inActiveList(status, uid);
    const condition = finishedCondition(j);
    if (!found && condition === undefined) {
      const live = lookups.cronJob();
      if (live === undefined) return decision({ kind: "done", error: notFoundMessage("cronjobs", cj.metadata.name) });
      if (inActiveList(live.status, uid)) {
        cj = live;
        status = live.status;
        continue;
      }
      emit(cronJobEvents.unexpectedJob(j.metadata.name));
    } else if (condition !== undefined) {
      if (found) {
        status = withoutActive(status, uid);
        emit(cronJobEvents.sawCompletedJob(j.metadata.name, condition));
        updateStatus = true;
      }
      if (isJobSucceeded(j)) {
        const completion = j.status?.completionTime;
        if (status?.lastSuccessfulTime === undefined) {
          if (completion !== undefined) status = { ...status, lastSuccessfulTime: completion };
          updateStatus = true;
        }
        if (completion !== undefined && status?.lastSuccessfulTime !== undefined && before(status.lastSuccessfulTime, completion)) {
          status = { ...status, lastSuccessfulTime: completion };
          updateStatus = true;
        }
      }
    }
  }

  const refs = status?.active;
  if (refs !== undefined) {
    for (const ref of refs) {
      if (ref.uid !== undefined && jobs.has(ref.uid)) continue;
      // The informer may lag: only a Job the API server does not have is missing.
      if (lookups.job(ref.namespace, ref.name ?? "") !== undefined) continue;
      emit(cronJobEvents.missingJob(ref.name ?? ""));
      status = withoutActive(status, ref.uid);
      updateStatus = true;
    }
  }

  if (cj.metadata.deletionTimestamp !== undefined) return decision({ kind: "done" });
  const spec = cj.spec;
  const info = cronJobSchedule(spec);
  if (spec.timeZone !== undefined && info.timeZoneError !== undefined) {
    emit(cronJobEvents.unknownTimeZone(spec.timeZone, info.timeZoneError));
    return decision({ kind: "done" });
  }
  if (spec.suspend === true) return decision({ kind: "done" });
  if (info.tzInSchedule) emit(cronJobEvents.unsupportedSchedule(spec.schedule));
  if (!info.parsed.ok) {
    emit(cronJobEvents.unparseableSchedule(spec.schedule, info.parsed.error));
    return decision({ kind: "done" });
  }
  const schedule = info.parsed.schedule;
  const times = cronJobTimes(cj, status);
  const requeue = (): SyncDecision => {
    const after = nextScheduleTimeDuration(times, nowMs, schedule);
    return decision(after === null ? { kind: "done" } : { kind: "requeue", afterMs: Math.max(0, after) });
  };

  const due = scheduleTimeToRun(times, nowMs, schedule);
  if (due.tooManyMissed) emit(cronJobEvents.tooManyMissedTimes());
  if (due.error !== undefined) {
    emit(cronJobEvents.invalidSchedule(spec.schedule, due.error));
    return decision({ kind: "done" });
  }
  if (due.timeMs === null) return requeue();
  const scheduledMs = due.timeMs;

  const sds = spec.startingDeadlineSeconds;
  if (sds !== undefined && sds !== null && scheduledMs + sds * 1000 < nowMs) {
    emit(cronJobEvents.missSchedule(scheduledMs));
    return requeue();
  }
  if (inActiveListByName(status, cj.metadata.namespace, cronJobJobName(cj.metadata.name, scheduledMs)) || times.lastScheduleTimeMs === scheduledMs) {
    return requeue();
  }
  const active = status?.active;
  if (spec.concurrencyPolicy === "Forbid" && active !== undefined && active.length > 0) {
    emit(cronJobEvents.jobAlreadyActive());
    return requeue();
  }
  const replace = spec.concurrencyPolicy === "Replace" && active !== undefined ? active : [];
  return decision({ kind: "create", scheduledMs, replace });
}

/**
 * The end of syncCronJob once the Job exists (created, or AlreadyExists and controlled by this CronJob but not
 * listed): its reference appended to status.active, lastScheduleTime = the schedule time (metav1.Time, UTC), and
 * the requeue delay from the updated status (null: the schedule never fires again).
 */
export function recordJobStarted(cj: CronJob, status: CronJobStatus, ref: ObjectReference, scheduledMs: number, nowMs: number): { status: CronJobStatus; requeueAfterMs: number | null } {
  const next: CronJobStatus = { ...status, active: [...(status?.active ?? []), ref], lastScheduleTime: metaTime(scheduledMs) };
  const info = cronJobSchedule(cj.spec);
  if (!info.parsed.ok) return { status: next, requeueAfterMs: null };
  const after = nextScheduleTimeDuration(cronJobTimes(cj, next), nowMs, info.parsed.schedule);
  return { status: next, requeueAfterMs: after === null ? null : Math.max(0, after) };
}
