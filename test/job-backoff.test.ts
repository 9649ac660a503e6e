import { describe, expect, it } from "vitest";
import {
  EMPTY_BACKOFF_RECORD,
  getFinishedTimeMs,
  getRemainingTime,
  getRemainingTimeForFailuresCount,
  getRemainingTimePerIndex,
  newBackoffRecord,
} from "../src/controllers/job/backoff.js";

const at = (...ms: number[]) => ms.map((finishedAtMs) => ({ finishedAtMs }));

/** backoff_utils.go getRemainingTimeForFailuresCount with 10s default, 10m cap; last failure at t = 0. */
describe("getRemainingTimeForFailuresCount", () => {
  it.each([
    [0, 0, 0], // no failures: no wait
    [1, 0, 10_000], // 10s x 2^0
    [1, 4_000, 6_000], // 10s - 4s elapsed
    [1, 10_000, 0], // elapsed == backoff: 10s - 10s = 0
    [1, 11_000, 0], // elapsed > backoff
    [3, 5_000, 35_000], // 10s x 2^2 = 40s, - 5s
    [6, 0, 320_000], // 10s x 2^5 = 320s
    [7, 0, 600_000], // 10s x 2^6 = 640s -> capped at 600s
    [40, 100_000, 500_000], // capped: 600s - 100s
    [1, -2_000, 12_000], // last failure 2s in the future (skew): 10s + 2s
  ])("%d failures, %d ms elapsed -> %d ms", (failures, nowMs, expected) => {
    expect(getRemainingTimeForFailuresCount(failures, 0, nowMs)).toBe(expected);
  });
});

describe("newBackoffRecord", () => {
  const prev = { failuresAfterLastSuccess: 2, lastFailureTimeMs: 50 };
  it.each([
    ["nothing new keeps the record", [], [], prev],
    ["failures only add to the count; last = latest", [], at(300, 100), { failuresAfterLastSuccess: 4, lastFailureTimeMs: 300 }], // 2 + 2
    ["successes only reset", at(10), [], EMPTY_BACKOFF_RECORD],
    // latest success 200; failures after it: 250, 400 -> 2, last 400 (100 is before the success)
    ["both: failures strictly after the last success", at(200, 150), at(100, 400, 250), { failuresAfterLastSuccess: 2, lastFailureTimeMs: 400 }],
    ["both: a failure at the success time does not count", at(200), at(200), EMPTY_BACKOFF_RECORD],
  ] as const)("%s", (_name, succeeded, failed, expected) => {
    expect(newBackoffRecord(prev, succeeded, failed)).toEqual(expected);
  });

  it("three failures then a wait: 10s x 2^2 = 40s from the last one", () => {
    const r = newBackoffRecord(EMPTY_BACKOFF_RECORD, [], at(1_000, 2_000, 3_000));
    expect(getRemainingTime(r, 3_000)).toBe(40_000);
    expect(getRemainingTime(r, 43_000)).toBe(0); // 3s + 40s
  });
});

describe("getRemainingTimePerIndex", () => {
  it.each([
    [undefined, 0],
    [{ finishedAtMs: 0, absoluteFailureCount: 0 }, 10_000], // 0 + 1 failures: 10s
    [{ finishedAtMs: 0, absoluteFailureCount: 2 }, 40_000], // 2 + 1 failures: 10s x 2^2
  ])("%o -> %d", (pod, expected) => {
    expect(getRemainingTimePerIndex(pod, 0)).toBe(expected);
  });
});

describe("getFinishedTimeMs", () => {
  const base = { creationTimestampMs: 1 };
  it.each([
    ["latest container finish", { ...base, containers: [{ finishedAtMs: 5 }, { finishedAtMs: 9 }] }, 9],
    ["a sidecar finishing later wins", { ...base, containers: [{ finishedAtMs: 5 }], sidecars: [{ finishedAtMs: 12 }] }, 12],
    ["a running container: Ready=False time", { ...base, containers: [{ finishedAtMs: 5 }, {}], readyFalseSinceMs: 7 }, 7],
    // deletionTimestamp 40s - grace 30s = 10s
    ["deleted: deletionTimestamp - grace", { ...base, containers: [{}], deletionTimestampMs: 40_000, deletionGracePeriodSeconds: 30 }, 10_000],
    ["nothing else: creation time", { ...base, containers: [{}] }, 1],
    ["no container statuses at all: creation time", base, 1],
  ] as const)("%s", (_n, pod, expected) => {
    expect(getFinishedTimeMs(pod)).toBe(expected);
  });
});
