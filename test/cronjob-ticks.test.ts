/**
 * scenarios/cronjob-ticks.yaml as a user reads it: the `*\/15` CronJob makes exactly 24 Jobs in its six hours, named
 * by their scheduled minute and created 100ms after it; the history keeps 3; tick lag and Job counts reach
 * summary.json and metrics.csv.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Job } from "../src/api/batch/types.js";
import { column, load, run, SCENARIOS } from "./helpers/scenario-tmp.js";

describe("cronjob-ticks.yaml", () => {
  const created: [number, string, string][] = [];
  let jobs = 0;
  let left: string[] = [];
  const outcome = run(
    load(join(SCENARIOS, "cronjob-ticks.yaml")),
    (c) =>
      c.cp.store.watch("Job", (type, obj) => {
        const j = obj as Job;
        if (type === "ADDED") jobs++;
        if (type === "ADDED" && j.metadata.name.startsWith("report-")) created.push([c.sim.now, j.metadata.name, j.metadata.annotations?.["batch.kubernetes.io/cronjob-scheduled-timestamp"] ?? ""]);
      }),
    (c) => (left = [...c.cp.store.list<Job>("Job")].filter((j) => j.metadata.name.startsWith("report-")).map((j) => j.metadata.name)),
  );

  it("creates exactly 24 report Jobs, report-29540700 (09:00) to report-29541045 (14:45), 100ms after each quarter hour", () => {
    // startTime 08:59:30 = virtual 0, so 09:00 is 30s; 2026-03-02T09:00:00Z is 1772442000 s = 29540700 minutes.
    expect(created.length).toBe(24);
    expect(created.map(([, n]) => n)).toEqual(Array.from({ length: 24 }, (_, i) => `report-${29540700 + 15 * i}`));
    expect(created.map(([t]) => t)).toEqual(Array.from({ length: 24 }, (_, i) => 30_000 + i * 900_000 + 100));
    expect(created[0]![2]).toBe("2026-03-02T09:00:00Z");
  });

  it("keeps the 3 most recent succeeded Jobs (successfulJobsHistoryLimit), the oldest deleted first", () => {
    expect(left).toEqual(["report-29541015", "report-29541030", "report-29541045"]);
  });

  it("reports the tick lag (100ms each: nextScheduleDelta) and the Jobs created in summary.json, jobs_active in metrics.csv", () => {
    const s = outcome.summary;
    expect(s.latencyMs.cronJobTickLag.p50).toBe(100);
    // report 24 and sync 12 (09:00 to 14:30) on time; backup's late runs add to the lag's tail.
    expect(s.totals.jobsCreated).toBe(jobs);
    expect(jobs).toBeGreaterThan(24 + 12);
    expect(Math.max(...column(outcome, "jobs_active").map((r) => r.v))).toBeGreaterThanOrEqual(2);
    expect(s.expectations.every((e) => e.passed)).toBe(true);
  });
});
