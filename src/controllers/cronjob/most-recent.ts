/**
 * Which schedule time a CronJob sync acts on, as pkg/controller/cronjob/utils.go computes it
 * (mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration). Pure functions of the CronJob's times,
 * `now` and the schedule; times are epoch ms of virtual time.
 */
import { nextScheduleTime, type CronSchedule } from "../../cron/schedule.js";

/** More missed schedules than this is "many" (utils.go: `numberOfMissedSchedules > 100`). */
export const TOO_MANY_MISSED_THRESHOLD = 100;

/** Reason of the Warning event recorded when more than 100 schedules were missed (utils.go nextScheduleTime). */
export const TOO_MANY_MISSED_TIMES_REASON = "TooManyMissedTimes";

/** Message of that event. */
export const TOO_MANY_MISSED_TIMES_MESSAGE = "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew";

/** Error for a schedule whose two next times are less than a second apart or missing (utils.go). */
export const SCHEDULE_INTERVAL_ERROR = "time difference between two schedules is less than 1 second";

/** Padding added to a requeue for NTP skew (cronjob_controllerv2.go nextScheduleDelta), in ms. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

/** How many answers of Next each schedule object remembers. */
const NEXT_MEMO_SIZE = 8;
const nextMemo = new WeakMap<CronSchedule, { after: number[]; next: (number | null)[]; at: number }>();

/**
 * nextScheduleTime, remembering its last few answers per schedule object. A sync asks Next of the same two or three
 * times over and over (both calls of mostRecentScheduleTime start at the same earliest time), and CronJobs that
 * share a schedule object (sync.ts shares one per schedule text) ask the same times at the same tick; a five-field
 * Next walks wall-clock fields minute by minute, so this removes most of a sync's cost. Pure: same answers.
 */
function memoNext(schedule: CronSchedule, afterMs: number): number | null {
  let m = nextMemo.get(schedule);
  if (m === undefined) nextMemo.set(schedule, (m = { after: [], next: [], at: 0 }));
  const i = m.after.indexOf(afterMs);
  if (i >= 0) return m.next[i]!;
  const t = nextScheduleTime(schedule, afterMs);
  m.after[m.at] = afterMs;
  m.next[m.at] = t;
  m.at = (m.at + 1) % NEXT_MEMO_SIZE;
  return t;
}

/** The CronJob fields mostRecentScheduleTime reads, in epoch ms / seconds. */
export interface CronJobTimes {
  readonly creationTimestampMs: number;
  readonly lastScheduleTimeMs?: number;
  readonly startingDeadlineSeconds?: number;
}

/** utils.go missedSchedulesType. */
export type MissedSchedules = "none" | "few" | "many";

/** What mostRecentScheduleTime returns (upstream's four results). */
export interface MostRecentSchedule {
  /** lastScheduleTime, else creationTimestamp, raised to now - startingDeadlineSeconds when that is later. */
  readonly earliestMs: number;
  /** The latest schedule time in (earliest, now], or null. */
  readonly mostRecentMs: number | null;
  readonly missed: MissedSchedules;
  /** SCHEDULE_INTERVAL_ERROR for a schedule that never (or too densely) fires. */
  readonly error?: string;
}

/**
 * utils.go mostRecentScheduleTime. With t1 = Next(earliest), t2 = Next(t1): none missed when now < t1 (null) or
 * now < t2 (t1); otherwise it estimates the count as floor((now - t1) / round(t2 - t1)) + 1 in whole seconds, walks
 * Next from t1 + (count - 2) x interval to find the latest time <= now, and classes the count: > 100 "many", else
 * "few". The estimate is upstream's: for irregular schedules (`30 6-16/4 * * 1-5`) the count is approximate, the
 * time found is exact.
 * NOTE: robfig returns its zero time when nothing fires within five years; upstream then computes Next of year 1;
 * here a null t1 is the error directly (the only schedules that differ are Feb 29 ones near 2100).
 */
export function mostRecentScheduleTime(cj: CronJobTimes, nowMs: number, schedule: CronSchedule, includeStartingDeadlineSeconds: boolean): MostRecentSchedule {
  let earliestMs = cj.lastScheduleTimeMs ?? cj.creationTimestampMs;
  if (includeStartingDeadlineSeconds && cj.startingDeadlineSeconds !== undefined) {
    const schedulingDeadline = nowMs - cj.startingDeadlineSeconds * 1000;
    if (schedulingDeadline > earliestMs) earliestMs = schedulingDeadline;
  }
  const t1 = memoNext(schedule, earliestMs);
  if (t1 === null) return { earliestMs, mostRecentMs: null, missed: "none", error: SCHEDULE_INTERVAL_ERROR };
  const t2 = memoNext(schedule, t1);
  if (nowMs < t1) return { earliestMs, mostRecentMs: null, missed: "none" };
  if (t2 !== null && nowMs < t2) return { earliestMs, mostRecentMs: t1, missed: "none" };
  // t2.Sub(t1).Round(time.Second).Seconds(): positive here, so half-up rounding is Go's half-away-from-zero.
  const interval = t2 === null ? 0 : Math.round((t2 - t1) / 1000);
  if (interval < 1) return { earliestMs, mostRecentMs: null, missed: "none", error: SCHEDULE_INTERVAL_ERROR };
  const elapsed = Math.trunc((nowMs - t1) / 1000);
  const count = Math.floor(elapsed / interval) + 1;
  const potentialEarliest = t1 + (count - 2) * interval * 1000;
  let mostRecentMs: number | null = null;
  for (let t = memoNext(schedule, potentialEarliest); t !== null && t <= nowMs; t = memoNext(schedule, t)) mostRecentMs = t;
  const missed: MissedSchedules = count > TOO_MANY_MISSED_THRESHOLD ? "many" : count > 0 ? "few" : "none";
  return { earliestMs, mostRecentMs, missed };
}

/**
 * utils.go nextScheduleTime: the schedule time to act on now (mostRecentScheduleTime with the starting deadline),
 * or null; `tooManyMissed` says the TooManyMissedTimes Warning is due (the time is still returned and run).
 */
export function scheduleTimeToRun(cj: CronJobTimes, nowMs: number, schedule: CronSchedule): { timeMs: number | null; tooManyMissed: boolean; error?: string } {
  const r = mostRecentScheduleTime(cj, nowMs, schedule, true);
  const base = r.error === undefined ? {} : { error: r.error };
  if (r.mostRecentMs === null || r.mostRecentMs > nowMs) return { timeMs: null, tooManyMissed: false, ...base };
  return { timeMs: r.mostRecentMs, tooManyMissed: r.missed === "many", ...base };
}

/**
 * utils.go nextScheduleTimeDuration: how long from now to requeue the CronJob, in ms: Next of the most recent time
 * (without the starting deadline; `now` on error or when times were missed but none found, else the earliest
 * time), plus NEXT_SCHEDULE_DELTA_MS, minus now. Null when the schedule never fires again.
 */
export function nextScheduleTimeDuration(cj: CronJobTimes, nowMs: number, schedule: CronSchedule): number | null {
  const r = mostRecentScheduleTime(cj, nowMs, schedule, false);
  let from: number;
  if (r.error !== undefined) from = nowMs;
  else if (r.mostRecentMs === null) from = r.missed === "none" ? r.earliestMs : nowMs;
  else from = r.mostRecentMs;
  const next = memoNext(schedule, from);
  return next === null ? null : next + NEXT_SCHEDULE_DELTA_MS - nowMs;
}
