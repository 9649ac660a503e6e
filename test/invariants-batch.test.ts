/**
 * The invariants of the batch and configuration kinds (job-status, cronjob-status, config-data): each fires on a
 * deliberately broken object and stays quiet on a sound one.
 */
import { describe, expect, it } from "vitest";
import type { CronJob, Job } from "../src/api/batch/types.js";
import type { ConfigMap, Secret } from "../src/api/types.js";
import { configDataViolations, cronJobStatusViolations, jobStatusViolations } from "../src/invariants/index.js";

const job = (status: Job["status"], completions = 2): Job => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "pi", namespace: "default" },
  spec: { completions, template: { spec: { containers: [] } } },
  status,
});
const T = "2026-01-01T00:00:00Z";
const messages = (vs: { message: string }[]) => vs.map((v) => v.message);

describe("job-status", () => {
  it("holds for a Job running and for one Complete with its completionTime", () => {
    expect(jobStatusViolations(job({ active: 1, ready: 0, succeeded: 1 }), 0)).toEqual([]);
    expect(jobStatusViolations(job({ succeeded: 2, completionTime: T, conditions: [{ type: "SuccessCriteriaMet", status: "True" }, { type: "Complete", status: "True" }] }), 0)).toEqual([]);
  });

  it("fires for a negative or fractional count, succeeded above completions, Complete and Failed together, a finished Job with active pods", () => {
    expect(messages(jobStatusViolations(job({ active: -1, failed: 0.5 }), 0))).toEqual(["status.active is -1, not a whole number >= 0", "status.failed is 0.5, not a whole number >= 0"]);
    expect(messages(jobStatusViolations(job({ succeeded: 3 }), 0))).toEqual(["status.succeeded 3 is above spec.completions 2"]);
    expect(messages(jobStatusViolations(job({ active: 1, completionTime: T, conditions: [{ type: "Complete", status: "True" }, { type: "Failed", status: "True" }] }), 0))).toEqual([
      "conditions Complete and Failed are both True",
      "the Job is Complete with status.active 1",
    ]);
    expect(messages(jobStatusViolations(job({ conditions: [{ type: "Complete", status: "True" }] }), 0))).toEqual(["the Job is Complete without a completionTime"]);
  });
});

describe("cronjob-status", () => {
  const clock = { parse: (t: string) => Date.parse(t) };
  const cj = (status: CronJob["status"]): CronJob => ({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "tick", namespace: "default" },
    spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
    status,
  });
  const now = Date.parse("2026-01-01T00:10:00Z");

  it("holds for active Jobs named after the CronJob and a past lastScheduleTime", () => {
    expect(cronJobStatusViolations(cj({ active: [{ name: "tick-29452330" }], lastScheduleTime: "2026-01-01T00:10:00Z" }), 0, now, clock)).toEqual([]);
  });

  it("fires for a Job listed twice, a Job of another name, and a lastScheduleTime in the future", () => {
    expect(messages(cronJobStatusViolations(cj({ active: [{ name: "tick-1" }, { name: "tick-1" }, { name: "other-2" }], lastScheduleTime: "2026-01-01T00:15:00Z" }), 0, now, clock))).toEqual([
      "status.active lists Job tick-1 twice",
      "status.active lists Job other-2, which is not named after the CronJob",
      "status.lastScheduleTime 2026-01-01T00:15:00Z is later than the virtual clock",
    ]);
  });
});

describe("config-data", () => {
  const secret = (o: Partial<Secret>): Secret => ({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "default" }, ...o });
  const cm = (o: Partial<ConfigMap>): ConfigMap => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "default" }, ...o });

  it("holds for a stored Secret with base64 data, and for an immutable ConfigMap written again unchanged", () => {
    expect(configDataViolations(secret({ data: { password: "aHVudGVyMg==" } }), undefined, 0)).toEqual([]);
    const c = cm({ immutable: true, data: { a: "1" } });
    expect(configDataViolations({ ...c, metadata: { ...c.metadata, labels: { x: "y" } } }, c, 0)).toEqual([]);
  });

  it("fires for stored stringData and a value that is not base64, naming the key but never the value", () => {
    const vs = configDataViolations(secret({ stringData: { password: "hunter2" }, data: { token: "not base64!" } }), undefined, 0);
    expect(messages(vs)).toEqual(["stringData is stored (the API server merges it into data)", "data[token] is not base64"]);
    expect(JSON.stringify(vs)).not.toContain("hunter2");
  });

  it("fires when an immutable object's data changes or it becomes mutable", () => {
    const old = cm({ immutable: true, data: { a: "1" } });
    expect(messages(configDataViolations(cm({ immutable: false, data: { a: "2" } }), old, 0))).toEqual(["an immutable object became mutable", "the data of an immutable object changed"]);
  });
});
