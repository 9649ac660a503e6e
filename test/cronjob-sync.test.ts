/**
 * The CronJob controller's pure decisions (src/controllers/cronjob/sync.ts, job-from-template.ts), called without a
 * simulation: cronjob_controllerv2.go syncCronJob / cleanupFinishedJobs and utils.go getJobFromTemplate2,
 * byJobStartTime, as v1.32. Times are written as UTC wall times; every expected number carries its arithmetic.
 */
import { describe, expect, it } from "vitest";
import type { CronJob, CronJobSpec, Job, ObjectReference } from "../src/api/batch/types.js";
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION, cronJobJobName, jobFromTemplate, jobReference, rfc1123zUtc, rfc3339InZone } from "../src/controllers/cronjob/job-from-template.js";
import {
  compareJobStartTime,
  cronJobSchedule,
  decideSync,
  finishedJobsToDelete,
  recordJobStarted,
  withoutActive,
  type CronJobStatus,
  type SyncLookups,
} from "../src/controllers/cronjob/sync.js";

/** Epoch ms of 2026-01-01 at hh:mm:ss UTC. */
const at = (hh: number, mm: number, ss = 0) => Date.UTC(2026, 0, 1, hh, mm, ss);
const MIN = 60_000;
/** 2026-01-01T00:00:00Z is 1,767,225,600 s after the epoch = 29,453,760 minutes. */
const MIDNIGHT_MINUTES = 29_453_760;

function cronJob(spec: Partial<CronJobSpec> = {}, extra: { status?: CronJobStatus; deletionTimestamp?: string } = {}): CronJob {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "backup", namespace: "default", uid: "cj-uid", creationTimestamp: "2026-01-01T00:00:00Z", ...(extra.deletionTimestamp ? { deletionTimestamp: extra.deletionTimestamp } : {}) },
    spec: {
      schedule: "*/5 * * * *",
      concurrencyPolicy: "Allow",
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: { app: "backup" }, annotations: { team: "infra" } },
        spec: { template: { spec: { containers: [{ name: "c", image: "busybox" }], restartPolicy: "OnFailure" } } },
      },
      ...spec,
    },
    status: extra.status ?? {},
  };
}

/** A Job of `backup` named by its minutes since the epoch, optionally finished. */
function job(minutes: number, finished?: { type: "Complete" | "Failed"; at?: string; startTime?: string }): Job {
  const name = `backup-${minutes}`;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: "default", uid: `uid-${minutes}`, resourceVersion: "1", ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "backup", uid: "cj-uid", controller: true }] },
    spec: { template: { spec: { containers: [] } } },
    status: finished
      ? {
          ...(finished.startTime ? { startTime: finished.startTime } : {}),
          ...(finished.type === "Complete" && finished.at ? { completionTime: finished.at } : {}),
          conditions: [{ type: finished.type, status: "True" }],
        }
      : {},
  };
}

const ref = (j: Job): ObjectReference => jobReference(j);
const byUid = (...jobs: Job[]) => new Map(jobs.map((j) => [j.metadata.uid!, j]));
const noLookups: SyncLookups = { cronJob: () => undefined, job: () => undefined };
const events = (d: { events: readonly { type: string; reason: string; message: string }[] }) => d.events.map((e) => `${e.type} ${e.reason}: ${e.message}`);

describe("job names and time texts (getJobName, getJobFromTemplate2, MissSchedule)", () => {
  it("names a Job <cronjob>-<scheduled unix seconds / 60>", () => {
    // 00:15 UTC: (1,767,225,600 + 900) / 60 = 29,453,760 + 15 = 29,453,775.
    expect(cronJobJobName("backup", at(0, 15))).toBe("backup-29453775");
    // 00:15:59 truncates to the same minute.
    expect(cronJobJobName("backup", at(0, 15, 59))).toBe("backup-29453775");
  });

  it.each([
    // 14:00 UTC in New York in January is EST (UTC-5): 09:00.
    [at(14, 0), "America/New_York", "2026-01-01T09:00:00-05:00"],
    // July: EDT (UTC-4): 13:00 UTC is 09:00.
    [Date.UTC(2026, 6, 1, 13, 0), "America/New_York", "2026-07-01T09:00:00-04:00"],
    // Kolkata is UTC+5:30 all year.
    [at(0, 0), "Asia/Kolkata", "2026-01-01T05:30:00+05:30"],
    // Go prints Z for a zero offset, London in winter included.
    [at(0, 15), "UTC", "2026-01-01T00:15:00Z"],
    [at(0, 15), "Europe/London", "2026-01-01T00:15:00Z"],
  ])("t.In(%s in %s).Format(RFC3339) = %s", (ms, zone, text) => {
    expect(rfc3339InZone(ms, zone)).toBe(text);
  });

  it("prints a missed time as Go's RFC1123Z in UTC", () => {
    // 2026-01-01 is a Thursday.
    expect(rfc1123zUtc(at(0, 15))).toBe("Thu, 01 Jan 2026 00:15:00 +0000");
  });

  it("builds the Job from the template: labels, annotations plus the scheduled timestamp, controller reference, spec", () => {
    const cj = cronJob({ timeZone: "America/New_York" });
    const r = jobFromTemplate(cj, at(14, 0));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.job.metadata).toEqual({
      // (1,767,225,600 + 14 x 3600) / 60 = 29,453,760 + 840 = 29,454,600.
      name: "backup-29454600",
      namespace: "default",
      labels: { app: "backup" },
      annotations: { team: "infra", [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: "2026-01-01T09:00:00-05:00" },
      ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "backup", uid: "cj-uid", controller: true, blockOwnerDeletion: true }],
    });
    expect(r.job.spec).toBe(cj.spec.jobTemplate.spec);
    // The template's own maps are copies, not shared.
    expect(r.job.metadata.labels).not.toBe(cj.spec.jobTemplate.metadata!.labels);
  });

  it("lists a Job in status.active as corev1.ObjectReference", () => {
    expect(ref(job(MIDNIGHT_MINUTES + 5))).toEqual({ kind: "Job", namespace: "default", name: "backup-29453765", uid: "uid-29453765", apiVersion: "batch/v1", resourceVersion: "1" });
  });
});

describe("cleanupFinishedJobs: which finished Jobs go", () => {
  const m = (n: number) => MIDNIGHT_MINUTES + n;
  const ok = (n: number, start?: string) => job(m(n), { type: "Complete", ...(start ? { startTime: start } : {}) });
  const failed = (n: number, start?: string) => job(m(n), { type: "Failed", ...(start ? { startTime: start } : {}) });
  /** Minutes after midnight of each Job, two digits. */
  const names = (js: readonly Job[]) => js.map((j) => String(Number(j.metadata.name.split("-")[1]) - MIDNIGHT_MINUTES).padStart(2, "0"));

  it("deletes the successful Jobs beyond 3 and the failed ones beyond 1, oldest start time first, successful first", () => {
    const jobs = byUid(
      ok(40, "2026-01-01T00:40:00Z"),
      ok(10, "2026-01-01T00:10:00Z"),
      failed(20, "2026-01-01T00:20:00Z"),
      ok(30, "2026-01-01T00:30:00Z"),
      failed(25, "2026-01-01T00:25:00Z"),
      ok(50, "2026-01-01T00:50:00Z"),
      job(m(55)), // running: never a candidate
    );
    // 4 successful - 3 = 1: the one started at 00:10; 2 failed - 1 = 1: the one started at 00:20.
    expect(names(finishedJobsToDelete(cronJob().spec, jobs))).toEqual(["10", "20"]);
  });

  it("sorts by startTime, not by name or age, and puts Jobs without one last, by name", () => {
    const jobs = byUid(ok(1), ok(2, "2026-01-01T00:30:00Z"), ok(3, "2026-01-01T00:10:00Z"), ok(4), ok(5, "2026-01-01T00:10:00Z"));
    // Order: 03 and 05 (00:10, tie by name), 02 (00:30), then 01 and 04 without a startTime; 5 - 3 = 2 go.
    expect(names(finishedJobsToDelete(cronJob().spec, jobs))).toEqual(["03", "05"]);
    expect(names(finishedJobsToDelete(cronJob({ successfulJobsHistoryLimit: 0 }).spec, jobs))).toEqual(["03", "05", "02", "01", "04"]);
    expect(names([...jobs.values()].sort(compareJobStartTime))).toEqual(["03", "05", "02", "01", "04"]);
  });

  it("keeps everything under the limits, and everything when no limit is set", () => {
    const jobs = byUid(ok(1), ok(2), ok(3), failed(4));
    expect(finishedJobsToDelete(cronJob().spec, jobs)).toEqual([]);
    const { successfulJobsHistoryLimit: _s, failedJobsHistoryLimit: _f, ...unlimited } = cronJob({ successfulJobsHistoryLimit: 0 }).spec;
    expect(finishedJobsToDelete(unlimited as CronJobSpec, jobs)).toEqual([]);
  });
});

describe("decideSync (syncCronJob up to its first write)", () => {
  it("creates the Job for the latest due time, and requeues for the next one + 100 ms when none is due", () => {
    // Created at 00:00, now 00:05:00.1: due 00:05.
    const d = decideSync({ cronJob: cronJob(), status: {}, updateStatus: false, jobs: new Map(), nowMs: at(0, 5) + 100 }, noLookups);
    expect(d.action).toEqual({ kind: "create", scheduledMs: at(0, 5), replace: [] });
    expect(d.events).toEqual([]);
    // At 00:03 nothing is due: requeue at 00:05 + 100 ms = 2 min 100 ms from now.
    const w = decideSync({ cronJob: cronJob(), status: {}, updateStatus: false, jobs: new Map(), nowMs: at(0, 3) }, noLookups);
    expect(w.action).toEqual({ kind: "requeue", afterMs: 2 * MIN + 100 });
  });

  it("does not run a time twice: lastScheduleTime equal to it, or a Job of its name in status.active", () => {
    const now = at(0, 5, 30);
    const byTime = decideSync({ cronJob: cronJob(), status: { lastScheduleTime: "2026-01-01T00:05:00Z" }, updateStatus: false, jobs: new Map(), nowMs: now }, noLookups);
    // Next is 00:10 + 100 ms, 4 min 30.1 s from 00:05:30.
    expect(byTime.action).toEqual({ kind: "requeue", afterMs: 4 * MIN + 30_000 + 100 });
    const j = job(MIDNIGHT_MINUTES + 5);
    const byName = decideSync({ cronJob: cronJob(), status: { active: [ref(j)] }, updateStatus: false, jobs: byUid(j), nowMs: now }, noLookups);
    expect(byName.action.kind).toBe("requeue");
  });

  it("removes a finished Job from status.active (SawCompletedJob) and keeps the latest completion as lastSuccessfulTime", () => {
    const done = job(MIDNIGHT_MINUTES + 5, { type: "Complete", at: "2026-01-01T00:06:10Z" });
    const older = job(MIDNIGHT_MINUTES + 0, { type: "Complete", at: "2026-01-01T00:01:00Z" });
    const bad = job(MIDNIGHT_MINUTES + 10, { type: "Failed" });
    const status: CronJobStatus = { active: [ref(done), ref(bad)], lastScheduleTime: "2026-01-01T00:10:00Z", lastSuccessfulTime: "2026-01-01T00:02:00Z" };
    const d = decideSync({ cronJob: cronJob(), status, updateStatus: false, jobs: byUid(done, older, bad), nowMs: at(0, 11) }, noLookups);
    expect(events(d)).toEqual(["Normal SawCompletedJob: Saw completed job: backup-29453765, condition: Complete", "Normal SawCompletedJob: Saw completed job: backup-29453770, condition: Failed"]);
    // 00:06:10 is later than 00:02:00; 00:01:00 is not; the failed Job does not count; active is now empty (omitted).
    expect(d.status).toEqual({ lastScheduleTime: "2026-01-01T00:10:00Z", lastSuccessfulTime: "2026-01-01T00:06:10Z" });
    expect(d.updateStatus).toBe(true);
  });

  it("warns about an unfinished Job it does not list (UnexpectedJob) unless the stored status lists it", () => {
    const j = job(MIDNIGHT_MINUTES + 5);
    const stale = cronJob();
    const d = decideSync({ cronJob: stale, status: {}, updateStatus: false, jobs: byUid(j), nowMs: at(0, 7) }, { cronJob: () => stale, job: () => j });
    expect(events(d)).toEqual(["Warning UnexpectedJob: Saw a job that the controller did not create or forgot: backup-29453765"]);
    // Not adopted: status.active stays empty.
    expect(d.status).toEqual({});
    // The informer lagged behind our own status write: the live read lists the Job, and becomes the working copy.
    const live = cronJob({}, { status: { active: [ref(j)], lastScheduleTime: "2026-01-01T00:05:00Z" } });
    const e = decideSync({ cronJob: stale, status: {}, updateStatus: false, jobs: byUid(j), nowMs: at(0, 7) }, { cronJob: () => live, job: () => j });
    expect(e.events).toEqual([]);
    expect(e.cronJob).toBe(live);
    expect(e.status).toBe(live.status);
    expect(e.action.kind).toBe("requeue");
  });

  it("drops an active reference whose Job is gone from the API server (MissingJob), not one the informer only lags on", () => {
    const gone = job(MIDNIGHT_MINUTES + 5);
    const status: CronJobStatus = { active: [ref(gone)], lastScheduleTime: "2026-01-01T00:05:00Z" };
    const d = decideSync({ cronJob: cronJob(), status, updateStatus: false, jobs: new Map(), nowMs: at(0, 7) }, noLookups);
    expect(events(d)).toEqual(["Normal MissingJob: Active job went missing: backup-29453765"]);
    expect(d.status).toEqual({ lastScheduleTime: "2026-01-01T00:05:00Z" });
    const lagging = decideSync({ cronJob: cronJob(), status, updateStatus: false, jobs: new Map(), nowMs: at(0, 7) }, { cronJob: () => undefined, job: () => gone });
    expect(lagging.events).toEqual([]);
    expect(lagging.status).toBe(status);
  });

  it.each<[string, CronJob, string[]]>([
    ["being deleted", cronJob({}, { deletionTimestamp: "2026-01-01T00:04:00Z" }), []],
    ["suspended", cronJob({ suspend: true }), []],
    ["an unknown time zone", cronJob({ timeZone: "Mars/Olympus_Mons" }), ['Warning UnknownTimeZone: invalid timeZone: "Mars/Olympus_Mons": unknown time zone Mars/Olympus_Mons']],
    ["an unparseable schedule", cronJob({ schedule: "61 * * * *" }), ['Warning UnparseableSchedule: unparseable schedule: "61 * * * *" : end of range (61) above maximum (59): 61']],
    // Feb 30 never comes: robfig's Next finds nothing within five years.
    ["a schedule that never fires", cronJob({ schedule: "0 0 30 2 *" }), ["Warning InvalidSchedule: invalid schedule: 0 0 30 2 * : time difference between two schedules is less than 1 second"]],
  ])("stops without a requeue when %s", (_what, cj, expected) => {
    const d = decideSync({ cronJob: cj, status: {}, updateStatus: false, jobs: new Map(), nowMs: at(0, 5, 1) }, noLookups);
    expect(events(d)).toEqual(expected);
    expect(d.action).toEqual({ kind: "done" });
  });

  it("warns about TZ inside the schedule (UnsupportedSchedule) and still runs it", () => {
    const d = decideSync({ cronJob: cronJob({ schedule: "CRON_TZ=UTC */5 * * * *" }), status: {}, updateStatus: false, jobs: new Map(), nowMs: at(0, 5, 1) }, noLookups);
    expect(events(d)).toEqual([
      'Warning UnsupportedSchedule: CRON_TZ or TZ used in schedule "CRON_TZ=UTC */5 * * * *" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details',
    ]);
    expect(d.action).toEqual({ kind: "create", scheduledMs: at(0, 5), replace: [] });
  });

  it("warns TooManyMissedTimes past 100 missed times and runs only the latest", () => {
    // `* * * * *` created 00:00, first look at 02:00:30: t1 = 00:01, count = floor((7230 - 60) / 60) + 1 = 120 > 100.
    const d = decideSync({ cronJob: cronJob({ schedule: "* * * * *" }), status: {}, updateStatus: false, jobs: new Map(), nowMs: at(2, 0, 30) }, noLookups);
    expect(events(d)).toEqual(["Warning TooManyMissedTimes: too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"]);
    expect(d.action).toEqual({ kind: "create", scheduledMs: at(2, 0), replace: [] });
    // 100 missed is not "many": created 00:00, now 01:40:30: count = floor((6030 - 60) / 60) + 1 = 100.
    const few = decideSync({ cronJob: cronJob({ schedule: "* * * * *" }), status: {}, updateStatus: false, jobs: new Map(), nowMs: at(1, 40, 30) }, noLookups);
    expect(few.events).toEqual([]);
  });

  it("with startingDeadlineSeconds looks back no further than the deadline (so MissSchedule never fires in v1.32)", () => {
    // Created 00:00, first look at 00:32 with a 60 s deadline: the search starts at 00:31, the next time is 00:35.
    const d = decideSync({ cronJob: cronJob({ startingDeadlineSeconds: 60 }), status: {}, updateStatus: false, jobs: new Map(), nowMs: at(0, 32) }, noLookups);
    expect(d.events).toEqual([]);
    // Requeue: the missed 00:30 is the most recent without the deadline; next is 00:35 + 100 ms, 3 min 0.1 s away.
    expect(d.action).toEqual({ kind: "requeue", afterMs: 3 * MIN + 100 });
    // 200 s reaches back to 00:28:40, so 00:30 still runs (00:30 + 200 s = 00:33:20 is after 00:32).
    const late = decideSync({ cronJob: cronJob({ startingDeadlineSeconds: 200 }), status: {}, updateStatus: false, jobs: new Map(), nowMs: at(0, 32) }, noLookups);
    expect(late.action).toEqual({ kind: "create", scheduledMs: at(0, 30), replace: [] });
  });

  it("Forbid with an active Job: JobAlreadyActive and a requeue; Replace: the active Jobs to delete first", () => {
    const running = job(MIDNIGHT_MINUTES + 5);
    const status: CronJobStatus = { active: [ref(running)], lastScheduleTime: "2026-01-01T00:05:00Z" };
    const input = (policy: "Forbid" | "Replace" | "Allow") => ({ cronJob: cronJob({ concurrencyPolicy: policy }), status, updateStatus: false, jobs: byUid(running), nowMs: at(0, 10) + 100 });
    const forbid = decideSync(input("Forbid"), noLookups);
    expect(events(forbid)).toEqual(["Normal JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid"]);
    // Next time 00:15 + 100 ms - 00:10:00.1 = 5 min.
    expect(forbid.action).toEqual({ kind: "requeue", afterMs: 5 * MIN });
    expect(decideSync(input("Replace"), noLookups).action).toEqual({ kind: "create", scheduledMs: at(0, 10), replace: [ref(running)] });
    expect(decideSync(input("Allow"), noLookups).action).toEqual({ kind: "create", scheduledMs: at(0, 10), replace: [] });
  });
});

describe("after the create (recordJobStarted) and status helpers", () => {
  it("appends the Job, sets lastScheduleTime in UTC and requeues for the next time", () => {
    const j = job(MIDNIGHT_MINUTES + 5);
    const r = recordJobStarted(cronJob(), {}, ref(j), at(0, 5), at(0, 5) + 100);
    expect(r.status).toEqual({ active: [ref(j)], lastScheduleTime: "2026-01-01T00:05:00Z" });
    // 00:10 + 100 ms - 00:05:00.1 = 5 min.
    expect(r.requeueAfterMs).toBe(5 * MIN);
  });

  it("omits status.active once its last reference goes", () => {
    const j = job(MIDNIGHT_MINUTES + 5);
    expect(withoutActive({ active: [ref(j)], lastScheduleTime: "x" }, j.metadata.uid)).toEqual({ lastScheduleTime: "x" });
  });

  it("parses a schedule once per spec object and shares it between CronJobs with the same text", () => {
    const a = cronJob({ schedule: "*/7 * * * *" });
    const b = cronJob({ schedule: "*/7 * * * *" });
    expect(cronJobSchedule(a.spec)).toBe(cronJobSchedule(a.spec));
    const pa = cronJobSchedule(a.spec).parsed;
    const pb = cronJobSchedule(b.spec).parsed;
    expect(pa.ok && pb.ok && pa.schedule === pb.schedule).toBe(true);
  });
});
