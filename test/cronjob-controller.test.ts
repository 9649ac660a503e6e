/**
 * The CronJob controller in a simulation (src/controllers/cronjob/controller.ts, cronjob_controllerv2.go v1.32):
 * a control plane with only this controller. No Job controller runs: a Job stays active until the test writes a
 * Complete or Failed condition into its status. The clock starts 2026-01-01T00:00:00Z; event times are virtual ms.
 *
 * Job names are `<cronjob>-<scheduled unix seconds / 60>`: 2026-01-01T00:00:00Z is 1,767,225,600 s =
 * 29,453,760 minutes, so the Job for hh:mm that day is named 29,453,760 + 60 x hh + mm. A CronJob is woken at its
 * schedule time + 100 ms (nextScheduleDelta), so a Job due at 00:05 is created at 300,100 ms.
 */
import { describe, expect, it } from "vitest";
import type { CronJob, CronJobSpec, Job } from "../src/api/batch/types.js";
import { ControlPlane } from "../src/api/control-plane.js";
import { CronJobController } from "../src/controllers/cronjob/controller.js";
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION, jobFromTemplate } from "../src/controllers/cronjob/job-from-template.js";
import { Simulation } from "../src/engine/simulation.js";
import { resolveSettings, type Settings } from "../src/settings.js";
import { GarbageCollector } from "../src/controllers/garbagecollector/garbage-collector.js";

const START = Date.UTC(2026, 0, 1);
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const MIDNIGHT_MINUTES = 29_453_760;
/** The Job of CronJob `name` for hh:mm on 2026-01-01 (see the file comment). */
const jobName = (name: string, hh: number, mm: number) => `${name}-${MIDNIGHT_MINUTES + 60 * hh + mm}`;
/** The virtual time a CronJob is woken for hh:mm (+ 100 ms). */
const tick = (hh: number, mm: number) => hh * HOUR + mm * MIN + 100;

/** A CronJob manifest as a user writes it (the API server defaults Allow, suspend false, history 3 / 1). */
function cronJob(name: string, schedule: string, spec: Partial<CronJobSpec> = {}): CronJob {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name, namespace: "default" },
    spec: {
      schedule,
      jobTemplate: {
        metadata: { labels: { app: name } },
        spec: { template: { spec: { containers: [{ name: "c", image: "busybox" }], restartPolicy: "OnFailure" } } },
      },
      ...spec,
    },
    status: {},
  };
}

/** A control plane and, from `controllerAt` (virtual ms, default 0), the CronJob controller alone. */
function cluster(settings: Partial<Settings> = {}) {
  const sim = new Simulation(42);
  const cp = new ControlPlane(sim, resolveSettings(settings), START);
  let controller: CronJobController | undefined;
  const api = {
    sim,
    cp,
    get controller(): CronJobController {
      return (controller ??= new CronJobController(cp));
    },
    startController() {
      return api.controller;
    },
    /** Runs the simulation until virtual time `ms`. */
    until(ms: number) {
      sim.run(ms);
    },
    create(cj: CronJob): CronJob {
      const r = cp.api.create(cj);
      if (!r.ok) throw new Error(r.message);
      return r.object;
    },
    update(name: string, spec: Partial<CronJobSpec>) {
      const cur = cp.api.get<CronJob>("CronJob", "default", name)!;
      const r = cp.api.update<CronJob>({ ...cur, spec: { ...cur.spec, ...spec } });
      if (!r.ok) throw new Error(r.message);
    },
    cronJob: (name: string) => cp.api.get<CronJob>("CronJob", "default", name)!,
    job: (name: string) => cp.api.get<Job>("Job", "default", name),
    jobs: () => [...cp.api.list<Job>("Job")].map((j) => j.metadata.name),
    /** Writes a finished status into a Job, as the Job controller would: Complete (succeeded 1) or Failed. */
    finish(name: string, type: "Complete" | "Failed") {
      const j = cp.api.get<Job>("Job", "default", name)!;
      const now = cp.clock.time();
      const r = cp.api.updateStatus<Job>(
        {
          ...j,
          status: {
            startTime: j.metadata.creationTimestamp,
            ...(type === "Complete" ? { completionTime: now, succeeded: 1 } : { failed: 1 }),
            conditions: [{ type, status: "True", lastTransitionTime: now }],
          },
        },
        { force: true },
      );
      if (!r.ok) throw new Error(r.message);
    },
    /** Finishes every Job `afterMs` after it is created, with the outcome `outcome(name)` picks. */
    finishEvery(afterMs: number, outcome: (name: string) => "Complete" | "Failed" = () => "Complete") {
      const ctx = sim.register<string>("test/job-finisher", (name) => {
        if (cp.api.get<Job>("Job", "default", name)) api.finish(name, outcome(name));
      });
      cp.store.watch("Job", (type, o) => {
        if (type === "ADDED") ctx.schedule(afterMs, o.metadata.name);
      });
    },
    /** The CronJob controller's events: [virtual ms, reason, message]. */
    events: (reason?: string) =>
      cp.events.records.filter((e) => e.source.component === "cronjob-controller" && (reason === undefined || e.reason === reason)).map((e) => [e.simTime, e.reason, e.message] as const),
  };
  return api;
}

describe("a */15 schedule over six hours", () => {
  it("creates exactly 24 Jobs, named by minutes since the epoch, each at its schedule time + 100 ms", () => {
    const c = cluster();
    c.startController();
    c.until(30 * SEC);
    c.create(cronJob("report", "*/15 * * * *"));
    c.until(6 * HOUR + 30 * SEC);
    // Created 00:00:30, so the first time is 00:15 (times run strictly after creation); the last is 06:00:
    // 00:15, 00:30, ..., 06:00 = 6 x 60 / 15 = 24 times. Names 29,453,760 + 15k for k = 1..24: 29,453,775 ... 29,454,120.
    const expected = Array.from({ length: 24 }, (_, k) => `report-${MIDNIGHT_MINUTES + 15 * (k + 1)}`);
    expect(c.jobs()).toEqual(expected);
    expect(expected.at(-1)).toBe("report-29454120");
    expect(c.events()).toEqual(expected.map((name, k) => [(k + 1) * 15 * MIN + 100, "SuccessfulCreate", `Created job ${name}`]));
    // No Job controller: all 24 are still active, in creation order.
    const cj = c.cronJob("report");
    expect(cj.status.active?.map((r) => r.name)).toEqual(expected);
    expect(cj.status.lastScheduleTime).toBe("2026-01-01T06:00:00Z");
    expect(cj.status.lastSuccessfulTime).toBeUndefined();
  });

  it("gives each Job the template's labels, the scheduled-timestamp annotation and a controller reference", () => {
    const c = cluster();
    c.startController();
    const cj = c.create(cronJob("report", "*/15 * * * *"));
    c.until(15 * MIN + 200);
    const j = c.job(jobName("report", 0, 15))!;
    expect(j.metadata.labels).toEqual({ app: "report" });
    expect(j.metadata.annotations).toEqual({ [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: "2026-01-01T00:15:00Z" });
    expect(j.metadata.ownerReferences).toEqual([{ apiVersion: "batch/v1", kind: "CronJob", name: "report", uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(j.metadata.creationTimestamp).toBe("2026-01-01T00:15:00Z");
    // status.active lists it as an ObjectReference.
    expect(c.cronJob("report").status.active).toEqual([{ kind: "Job", namespace: "default", name: j.metadata.name, uid: j.metadata.uid, apiVersion: "batch/v1", resourceVersion: j.metadata.resourceVersion }]);
  });

  it("costs engine events only at its ticks: two syncs and five engine events per tick, none in between", () => {
    const c = cluster();
    c.startController();
    c.create(cronJob("hourly", "0 * * * *"));
    // 01:00 ... 24:00 (the last woken at 24:00:00.1).
    c.until(24 * HOUR + MIN);
    expect(c.jobs()).toHaveLength(24);
    // Per tick: the delayed wake, its drain (create + status write), the Job and CronJob informer deliveries, and one
    // drain for both (one sync). Plus the first sync: 24 x 5 + 2 engine events, 24 x 2 + 1 syncs.
    expect(c.sim.eventsProcessed).toBe(24 * 5 + 2);
    expect(c.controller.syncs).toBe(24 * 2 + 1);
  });
});

describe("concurrencyPolicy with a Job that outlives its period (*/5, created 00:00)", () => {
  it("Allow: runs the next Job alongside", () => {
    const c = cluster();
    c.startController();
    c.create(cronJob("etl", "*/5 * * * *"));
    c.until(11 * MIN);
    expect(c.jobs()).toEqual([jobName("etl", 0, 5), jobName("etl", 0, 10)]);
    expect(c.cronJob("etl").status.active?.map((r) => r.name)).toEqual([jobName("etl", 0, 5), jobName("etl", 0, 10)]);
  });

  it("Forbid: skips while one runs (JobAlreadyActive), then starts the missed time as soon as it finishes", () => {
    const c = cluster();
    c.startController();
    c.create(cronJob("etl", "*/5 * * * *", { concurrencyPolicy: "Forbid" }));
    c.until(12 * MIN);
    c.finish(jobName("etl", 0, 5), "Complete");
    c.until(16 * MIN);
    // At 00:12 the most recent time since lastScheduleTime 00:05 is 00:10 (00:15 is not due): it runs at once.
    expect(c.events()).toEqual([
      [tick(0, 5), "SuccessfulCreate", "Created job etl-29453765"],
      [tick(0, 10), "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid"],
      [12 * MIN, "SawCompletedJob", "Saw completed job: etl-29453765, condition: Complete"],
      [12 * MIN, "SuccessfulCreate", "Created job etl-29453770"],
      [tick(0, 15), "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid"],
    ]);
    expect(c.cronJob("etl").status).toEqual({
      active: [expect.objectContaining({ name: "etl-29453770" })],
      lastScheduleTime: "2026-01-01T00:10:00Z",
      lastSuccessfulTime: "2026-01-01T00:12:00Z",
    });
  });

  it("Replace: deletes the running Job, then creates the new one", () => {
    const c = cluster();
    c.startController();
    c.create(cronJob("etl", "*/5 * * * *", { concurrencyPolicy: "Replace" }));
    c.until(11 * MIN);
    expect(c.events()).toEqual([
      [tick(0, 5), "SuccessfulCreate", "Created job etl-29453765"],
      [tick(0, 10), "SuccessfulDelete", "Deleted job etl-29453765"],
      [tick(0, 10), "SuccessfulCreate", "Created job etl-29453770"],
    ]);
    expect(c.jobs()).toEqual([jobName("etl", 0, 10)]);
    expect(c.cronJob("etl").status.active?.map((r) => r.name)).toEqual([jobName("etl", 0, 10)]);
  });
});

describe("missed schedules: the controller starts late (CronJob created 00:00)", () => {
  it("runs only the most recent missed time, at once", () => {
    const c = cluster();
    c.create(cronJob("nightly", "*/5 * * * *"));
    c.until(32 * MIN);
    c.startController();
    c.until(36 * MIN);
    // At 00:32: t1 = 00:05, interval 300 s, count = floor((1920 - 300) / 300) + 1 = 6; the latest <= 00:32 is 00:30.
    expect(c.events()).toEqual([
      [32 * MIN, "SuccessfulCreate", "Created job nightly-29453790"],
      [tick(0, 35), "SuccessfulCreate", "Created job nightly-29453795"],
    ]);
  });

  it("with startingDeadlineSeconds 60 skips 00:30 (00:30 + 60 s < 00:32) and waits for 00:35; with 200 it runs 00:30", () => {
    const c = cluster();
    c.create(cronJob("strict", "*/5 * * * *", { startingDeadlineSeconds: 60 }));
    c.create(cronJob("lenient", "*/5 * * * *", { startingDeadlineSeconds: 200 }));
    c.until(32 * MIN);
    c.startController();
    c.until(36 * MIN);
    // strict: the search starts at 00:32 - 60 s = 00:31, so nothing is due; lenient: at 00:28:40, so 00:30 is.
    expect(c.events()).toEqual([
      [32 * MIN, "SuccessfulCreate", "Created job lenient-29453790"],
      [tick(0, 35), "SuccessfulCreate", "Created job strict-29453795"],
      [tick(0, 35), "SuccessfulCreate", "Created job lenient-29453795"],
    ]);
    // upstream's MissSchedule cannot fire: the deadline already bounds the search.
    expect(c.events("MissSchedule")).toEqual([]);
  });

  it("more than 100 missed times: Warning TooManyMissedTimes, and only the latest runs", () => {
    const c = cluster();
    c.create(cronJob("minutely", "* * * * *"));
    c.until(2 * HOUR + 30 * SEC);
    c.startController();
    c.until(2 * HOUR + 61 * SEC);
    // t1 = 00:01, count = floor((7230 - 60) / 60) + 1 = 120 > 100; the latest time is 02:00 = minute 120.
    expect(c.events()).toEqual([
      [2 * HOUR + 30 * SEC, "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"],
      [2 * HOUR + 30 * SEC, "SuccessfulCreate", "Created job minutely-29453880"],
      [tick(2, 1), "SuccessfulCreate", "Created job minutely-29453881"],
    ]);
  });
});

describe("suspend", () => {
  it("creates nothing while suspended, costs no sync, and on resume runs the most recent missed time", () => {
    const c = cluster();
    c.startController();
    c.create(cronJob("sync", "*/5 * * * *", { suspend: true }));
    c.until(17 * MIN);
    expect(c.jobs()).toEqual([]);
    c.update("sync", { suspend: false });
    c.until(21 * MIN);
    c.update("sync", { suspend: true });
    c.until(26 * MIN);
    const syncs = c.controller.syncs;
    c.until(37 * MIN);
    // Suspended: no requeue, so nothing runs between 00:26 and 00:37.
    expect(c.controller.syncs).toBe(syncs);
    c.update("sync", { suspend: false });
    c.until(38 * MIN);
    // 00:17: since creation, the latest due time is 00:15; 00:20 runs on schedule; 00:25 and 00:30 are suspended;
    // 00:37: since lastScheduleTime 00:20, t1 = 00:25, count = floor((2220 - 1500) / 300) + 1 = 3, latest 00:35.
    expect(c.events()).toEqual([
      [17 * MIN, "SuccessfulCreate", "Created job sync-29453775"],
      [tick(0, 20), "SuccessfulCreate", "Created job sync-29453780"],
      [37 * MIN, "SuccessfulCreate", "Created job sync-29453795"],
    ]);
  });
});

describe("history limits 3 / 1 (every minute, each Job finishes 30 s after it starts; minutes 2 and 3 fail)", () => {
  it("deletes the oldest finished Jobs beyond the limits, and keeps lastSuccessfulTime", () => {
    const c = cluster();
    c.startController();
    c.finishEvery(30 * SEC, (name) => (name === jobName("h", 0, 2) || name === jobName("h", 0, 3) ? "Failed" : "Complete"));
    c.create(cronJob("h", "* * * * *"));
    c.until(6 * MIN + 59 * SEC);
    const m = (n: number) => jobName("h", 0, n);
    const finished = (n: number) => n * MIN + 30 * SEC + 100;
    // At 00:03:30.1 two Jobs have failed (limit 1): the older, minute 2, goes. At 00:06:30.1 four have succeeded
    // (1, 4, 5, 6; limit 3): minute 1, the oldest by startTime, goes. Cleanup runs before the sync's own events.
    expect(c.events().filter(([, reason]) => reason !== "SuccessfulCreate")).toEqual([
      [finished(1), "SawCompletedJob", `Saw completed job: ${m(1)}, condition: Complete`],
      [finished(2), "SawCompletedJob", `Saw completed job: ${m(2)}, condition: Failed`],
      [finished(3), "SuccessfulDelete", `Deleted job ${m(2)}`],
      [finished(3), "SawCompletedJob", `Saw completed job: ${m(3)}, condition: Failed`],
      [finished(4), "SawCompletedJob", `Saw completed job: ${m(4)}, condition: Complete`],
      [finished(5), "SawCompletedJob", `Saw completed job: ${m(5)}, condition: Complete`],
      [finished(6), "SuccessfulDelete", `Deleted job ${m(1)}`],
      [finished(6), "SawCompletedJob", `Saw completed job: ${m(6)}, condition: Complete`],
    ]);
    expect(c.jobs()).toEqual([m(3), m(4), m(5), m(6)]);
    // Nothing active; the last schedule 00:06; the last success completed at 00:06:30.1, serialised to the second.
    expect(c.cronJob("h").status).toEqual({ lastScheduleTime: "2026-01-01T00:06:00Z", lastSuccessfulTime: "2026-01-01T00:06:30Z" });
  });
});

describe("status.active against the Jobs that exist", () => {
  it("drops a Job deleted behind its back (MissingJob)", () => {
    const c = cluster();
    c.startController();
    c.create(cronJob("a", "*/5 * * * *"));
    c.until(7 * MIN);
    // As kubectl deletes it (batch/v1's default policy, Orphan, would hold the Job until the garbage collector ran).
    c.cp.api.delete("Job", "default", jobName("a", 0, 5), { propagationPolicy: "Background" });
    c.until(8 * MIN);
    expect(c.events("MissingJob")).toEqual([[7 * MIN, "MissingJob", "Active job went missing: a-29453765"]]);
    expect(c.cronJob("a").status).toEqual({ lastScheduleTime: "2026-01-01T00:05:00Z" });
  });

  it("warns about a Job it controls but did not list (UnexpectedJob) and adopts it when its time comes (AlreadyExists)", () => {
    const c = cluster();
    c.startController();
    const cj = c.create(cronJob("a", "*/5 * * * *"));
    c.until(2 * MIN);
    // The Job this CronJob would create for 00:05, as if a previous controller created it and crashed.
    const made = jobFromTemplate(cj, START + 5 * MIN);
    if (!made.ok) throw new Error(made.error);
    const pre = c.cp.api.create(made.job);
    if (!pre.ok) throw new Error(pre.message);
    c.until(6 * MIN);
    // Every sync that sees it unlisted warns (00:02 and the 00:05 tick); the create then meets AlreadyExists and,
    // the Job being ours, lists it without a SuccessfulCreate.
    expect(c.events()).toEqual([
      [2 * MIN, "UnexpectedJob", "Saw a job that the controller did not create or forgot: a-29453765"],
      [tick(0, 5), "UnexpectedJob", "Saw a job that the controller did not create or forgot: a-29453765"],
    ]);
    expect(c.cronJob("a").status).toEqual({ active: [expect.objectContaining({ name: "a-29453765", uid: pre.object.metadata.uid })], lastScheduleTime: "2026-01-01T00:05:00Z" });
  });

  it("leaves a same-named Job it does not control alone, and (as upstream) is not requeued after that", () => {
    const c = cluster();
    c.startController();
    c.create(cronJob("a", "*/5 * * * *"));
    const foreign = { ...cronJob("x", "* * * * *").spec.jobTemplate, metadata: {} };
    const r = c.cp.api.create<Job>({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "a-29453765", namespace: "default" }, spec: foreign.spec, status: {} });
    expect(r.ok).toBe(true);
    c.until(20 * MIN);
    // 00:05: AlreadyExists, not ours: nothing recorded, no status, and no further requeue (00:10, 00:15 pass).
    expect(c.events()).toEqual([]);
    expect(c.jobs()).toEqual(["a-29453765"]);
    expect(c.cronJob("a").status).toEqual({});
  });
});

describe("deleting a CronJob, and slow informers", () => {
  it("deleting the CronJob deletes its Jobs (the garbage collector) and nothing more is created", () => {
    const c = cluster();
    c.startController();
    new GarbageCollector(c.cp);
    c.create(cronJob("gone", "*/5 * * * *"));
    c.until(7 * MIN);
    expect(c.jobs()).toEqual([jobName("gone", 0, 5)]);
    c.cp.api.delete("CronJob", "default", "gone");
    c.until(30 * MIN);
    expect(c.jobs()).toEqual([]);
    expect(c.events()).toEqual([[tick(0, 5), "SuccessfulCreate", "Created job gone-29453765"]]);
  });

  it("with 500 ms informer latency still creates each Job once, without warnings", () => {
    const c = cluster({ informerLatency: 500 });
    c.startController();
    c.finishEvery(2 * MIN);
    c.create(cronJob("slow", "*/5 * * * *"));
    c.until(HOUR + MIN);
    // 00:05 ... 01:00: 12 Jobs; each finished 2 min later; the 3 latest successful ones are kept, plus 01:00 running.
    expect(c.events("SuccessfulCreate")).toHaveLength(12);
    expect(c.cp.events.records.filter((e) => e.type === "Warning")).toEqual([]);
    expect(c.jobs()).toEqual([jobName("slow", 0, 45), jobName("slow", 0, 50), jobName("slow", 0, 55), jobName("slow", 1, 0)]);
    expect(c.cronJob("slow").status.active?.map((r) => r.name)).toEqual([jobName("slow", 1, 0)]);
  });
});

describe("timeZone", () => {
  it("runs `0 9 * * *` in America/New_York at 14:00 UTC in January, and annotates the local time", () => {
    const c = cluster();
    c.startController();
    c.create(cronJob("morning", "0 9 * * *", { timeZone: "America/New_York" }));
    c.until(14 * HOUR + MIN);
    // 09:00 EST = 14:00 UTC: minute 29,453,760 + 14 x 60 = 29,454,600.
    expect(c.events()).toEqual([[tick(14, 0), "SuccessfulCreate", "Created job morning-29454600"]]);
    expect(c.job("morning-29454600")!.metadata.annotations).toEqual({ [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: "2026-01-01T09:00:00-05:00" });
    expect(c.cronJob("morning").status.lastScheduleTime).toBe("2026-01-01T14:00:00Z");
  });

  it("requeues for the new time when the schedule changes", () => {
    const c = cluster();
    c.startController();
    c.create(cronJob("morning", "0 9 * * *", { timeZone: "America/New_York" }));
    c.until(HOUR);
    c.update("morning", { timeZone: "Europe/Berlin" });
    c.until(9 * HOUR);
    // 09:00 in Berlin (CET, UTC+1) is 08:00 UTC: minute 29,453,760 + 480 = 29,454,240.
    expect(c.events()).toEqual([[tick(8, 0), "SuccessfulCreate", "Created job morning-29454240"]]);
  });
});

describe("a rate-limited client (QPS 20, burst 30) with 100 ms of API latency", () => {
  it("creates 40 CronJobs' Jobs in request order, each listed once, and keeps every schedule", () => {
    const c = cluster({ apiRequestLatency: 100 });
    c.startController();
    for (let i = 0; i < 40; i++) c.create(cronJob(`cj${i}`, "*/5 * * * *"));
    c.until(11 * MIN);
    const creates = c.events("SuccessfulCreate");
    expect(creates).toHaveLength(80);
    // The first 30 go at once (burst) and land 100 ms later; the 31st waits 1 / 20 s for a token.
    expect(creates[0]).toEqual([tick(0, 5) + 100, "SuccessfulCreate", "Created job cj0-29453765"]);
    expect(creates[30]).toEqual([tick(0, 5) + 50 + 100, "SuccessfulCreate", "Created job cj30-29453765"]);
    for (let i = 0; i < 40; i++) expect(c.cronJob(`cj${i}`).status.active?.map((r) => r.name)).toEqual([`cj${i}-29453765`, `cj${i}-29453770`]);
  });
});

describe("scale: 1,000 CronJobs on */5 with Jobs finishing after a minute", () => {
  it("runs half an hour of ticks: 6,000 Jobs created, history kept at 3, at most 6 syncs per CronJob per tick", () => {
    const c = cluster();
    c.startController();
    c.finishEvery(MIN);
    for (let i = 0; i < 1000; i++) c.create(cronJob(`cj${i}`, "*/5 * * * *"));
    c.until(30 * MIN + 3 * MIN);
    // 6 ticks (00:05 ... 00:30) x 1,000. At 20 QPS a tick's 1,000 creates take (1000 - 30) / 20 = 48.5 s.
    expect(c.events("SuccessfulCreate")).toHaveLength(6000);
    // Each CronJob keeps its 3 latest successful Jobs (00:20, 00:25, 00:30 once that one finished).
    expect(c.jobs()).toHaveLength(3000);
    // Per tick and CronJob: the wake; the Job's ADD and the CronJob's status write; the finish; the cleanup's
    // delete and its status write: at most 6, plus the first sync.
    expect(c.controller.syncs).toBeLessThanOrEqual(1000 * (1 + 6 * 6));
  }, 60_000);
});
