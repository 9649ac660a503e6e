import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstRun, probeIndexAfter, probeIndexAtOrAfter, probeTime, type FailureWindow, type ProbeRunQuery } from "../src/kubelet/prober/probe-runs.js";

/** A query with a 10 s grid from 0, a container started at 0, nothing gated, all probes considered. */
function query(over: Partial<ProbeRunQuery>): ProbeRunQuery {
  return {
    anchorMs: 0,
    periodMs: 10_000,
    startedAtMs: 0,
    initialDelayMs: 0,
    gateMs: -Infinity,
    windows: [],
    outcome: "failure",
    count: 3,
    afterMs: -Infinity,
    endMs: Infinity,
    ...over,
  };
}

const win = (fromMs: number, untilMs: number): FailureWindow => ({ fromMs, untilMs });

/** The reference: walk the grid probe by probe, as worker.go does, counting resultRun. */
function bruteForce(q: ProbeRunQuery): number | undefined {
  // Past every finite boundary all probes agree, so a run in progress completes within count more probes.
  const bounds = [q.startedAtMs + q.initialDelayMs, q.gateMs, q.afterMs, q.endMs, ...q.windows.flatMap((w) => [q.startedAtMs + w.fromMs, q.startedAtMs + w.untilMs])];
  const last = Math.max(q.anchorMs, ...bounds.filter(Number.isFinite)) + (q.count + 2) * q.periodMs;
  let run = 0;
  for (let k = 0; probeTime(q.anchorMs, q.periodMs, k) <= last; k++) {
    const t = probeTime(q.anchorMs, q.periodMs, k);
    if (t >= q.endMs) return undefined;
    if (!(t > q.afterMs) || t - q.startedAtMs < q.initialDelayMs || !(t > q.gateMs)) continue;
    const fails = q.windows.some((w) => w.fromMs <= t - q.startedAtMs && t - q.startedAtMs < w.untilMs);
    run = (fails ? "failure" : "success") === q.outcome ? run + 1 : 0;
    if (run === q.count) return t;
  }
  return undefined;
}

describe("probe indices", () => {
  it.each([
    // grid 5 + 10k: 5, 15, 25, ...
    [-Infinity, 0, 0],
    [-100, 0, 0],
    [5, 0, 1], // 5 is probe 0; the first after it is probe 1 (15)
    [6, 1, 1], // (6 - 5) / 10 = 0.1: ceil 1, floor + 1 = 1
    [15, 1, 2],
    [24_999, 2_500, 2_500], // (24999 - 5) / 10 = 2499.4: probe 2500 at 25005
    [25_005, 2_500, 2_501],
    [Infinity, Infinity, Infinity],
  ])("t = %d: first probe at or after is %d, first after is %d", (t, atOrAfter, after) => {
    expect(probeIndexAtOrAfter(5, 10, t)).toBe(atOrAfter);
    expect(probeIndexAfter(5, 10, t)).toBe(after);
  });

  it("agree with the grid where division rounds", () => {
    // 0.9 / 0.3 = 3 in floating point, but probe 3 is at 3 * 0.3 = 0.8999999999999999 < 0.9: the first probe at or
    // after 0.9 is probe 4, and probe 3 is not after it
    expect(probeTime(0, 0.3, 3)).toBeLessThan(0.9);
    expect(probeIndexAtOrAfter(0, 0.3, 0.9)).toBe(4);
    expect(probeIndexAfter(0, 0.3, 0.8999999999999999)).toBe(4);
    // Safe integers near 2^52: (2^52 + 1) / 3 = 1501199875790165.67, so probe 1501199875790166 at 2^52 + 2
    expect(probeIndexAtOrAfter(0, 3, 2 ** 52 + 1)).toBe(1_501_199_875_790_166);
    expect(probeIndexAfter(0, 3, 2 ** 52 + 2)).toBe(1_501_199_875_790_167);
  });
});

describe("firstRun", () => {
  it.each<[string, Partial<ProbeRunQuery>, number | undefined]>([
    // Probes at 0, 10, 20, ...; window [20s, 50s) fails 20, 30, 40: the third failure is at 40 s.
    ["three failures in one window", { windows: [win(20_000, 50_000)] }, 40_000],
    // Window [20s, 40s) fails only 20 and 30: no run of 3.
    ["a window too short for the threshold", { windows: [win(20_000, 40_000)] }, undefined],
    // [12s, 21s) holds probe 20 only, [25s, 41s) holds 30 and 40: no probe between them (21..25 has none), one run
    // 20, 30, 40 -> 40 s.
    ["two windows with no grid point between them are one run", { windows: [win(12_000, 21_000), win(25_000, 41_000)] }, 40_000],
    // [12s, 30s) holds 20 only, [30s, 50s) holds 30 and 40: windows that touch in time are
    // index ranges [2, 3) and [3, 5) -> run 20, 30, 40 -> 40 s.
    ["windows that touch in time are one run", { windows: [win(30_000, 50_000), win(12_000, 30_000)] }, 40_000],
    // [10s, 20s) holds 10; [21s, 40s) holds 30: probe 20 succeeds between them -> no run of 3 anywhere.
    ["a successful probe between windows breaks the run", { windows: [win(10_000, 20_000), win(21_000, 40_000)] }, undefined],
    // Overlapping, out of order: [40s, 60s) and [15s, 45s) cover 20..50 -> the third failure is 40 s.
    ["overlapping windows in any order", { windows: [win(40_000, 60_000), win(15_000, 45_000)] }, 40_000],
    // An empty window [30s, 30s) and a reversed one are ignored.
    ["empty windows fail nothing", { windows: [win(30_000, 30_000), win(50_000, 10_000)] }, undefined],
    // Never recovers: [5s, Infinity) fails 10, 20, 30, ... -> the third is 30 s.
    ["a window without end", { windows: [win(5_000, Infinity)] }, 30_000],
    // Started at 3 s, initialDelay 5 s: counted from t - 3000 >= 5000, t >= 8000 -> 10, 20, ...; window [20s, 50s)
    // relative = [23s, 53s) absolute holds 30, 40, 50 -> 50 s.
    ["initial delay and a late start", { startedAtMs: 3_000, initialDelayMs: 5_000, windows: [win(20_000, 50_000)] }, 50_000],
    // initialDelay 20 s, window [0, 40s): probes 0 and 10 are skipped (not counted, not breaking), 20 and 30 fail
    // -> only 2 of 3.
    ["skipped probes do not count", { initialDelayMs: 20_000, windows: [win(0, 40_000)] }, undefined],
    // initialDelay exactly 20 s: t - 0 >= 20000 counts the probe at 20 s: 20, 30, 40 fail in [0, 50s) -> 40 s.
    ["a probe exactly at the initial delay counts", { initialDelayMs: 20_000, windows: [win(0, 50_000)] }, 40_000],
    // Gate at 20 s (exclusive): 20 does not count; 30, 40, 50 fail in [0, 60s) -> 50 s.
    ["the startup gate is exclusive", { gateMs: 20_000, windows: [win(0, 60_000)] }, 50_000],
    // afterMs 25 s: 30, 40, 50 -> 50 s (20 is before the fresh start).
    ["afterMs starts a fresh run", { afterMs: 25_000, windows: [win(0, 60_000)] }, 50_000],
    // afterMs 30 s is exclusive: 40, 50, 60 -> 60 s.
    ["afterMs is exclusive", { afterMs: 30_000, windows: [win(0, 70_000)] }, 60_000],
    // endMs 40 s is exclusive: the third failure would be at 40 s.
    ["endMs is exclusive", { endMs: 40_000, windows: [win(20_000, 50_000)] }, undefined],
    ["endMs just after the run", { endMs: 40_001, windows: [win(20_000, 50_000)] }, 40_000],
    ["no windows, no failure", {}, undefined],
    // Successes: windows fail 0..20 ([0, 25s)), then 30, 40 succeed -> successThreshold 2 at 40 s.
    ["a success run after the failures", { outcome: "success", count: 2, windows: [win(0, 25_000)] }, 40_000],
    // No windows: success at the first counted probe when the threshold is 1 (the default successThreshold).
    ["success at once", { outcome: "success", count: 1 }, 0],
    // Gaps: fails [10s, 20s) -> 10; [30s, 40s) -> 30: successes 0 | 20 | 40, 50 -> count 2 at 50 s.
    ["success in the gaps between failures", { outcome: "success", count: 2, windows: [win(10_000, 20_000), win(30_000, 40_000)] }, 50_000],
    // Grid from 5 s, container started at 7 s: 15 (t - 7000 = 8000 >= 0) is the first; window [0, 20s) -> [7, 27)
    // fails 15, 25; 35, 45, 55 succeed -> count 3 at 55 s.
    ["success on an offset grid", { anchorMs: 5_000, startedAtMs: 7_000, outcome: "success", windows: [win(0, 20_000)] }, 55_000],
    // The failure never ends: no success run.
    ["no success while failing forever", { outcome: "success", count: 1, windows: [win(0, Infinity)] }, undefined],
    // endMs cuts the tail: failing [0, 25s) -> 0, 10, 20; 30 succeeds but endMs 40s leaves only one success.
    ["endMs cuts the success tail", { outcome: "success", count: 2, endMs: 40_000, windows: [win(0, 25_000)] }, undefined],
  ])("%s", (_, over, expected) => {
    expect(firstRun(query(over))).toBe(expected);
    expect(bruteForce(query(over))).toBe(expected);
  });

  it("answers a day of 1 s probes without walking it", () => {
    // Period 1 s from 0, liveness failing from 23 h for 3 s: probes at 82800, 82801, 82802 s -> the third at 82802 s.
    const q = query({ periodMs: 1_000, windows: [win(82_800_000, 82_803_000)] });
    expect(firstRun(q)).toBe(82_802_000);
    // 1000 days of 1 s probes, a 2 s failure every day (2 probes: short of 3), and on day 365 one more 3 s window
    // overlapping that day's: merged, it fails the probes at 365 d + 0, 1, 2 s -> 31536000000 + 2000 ms.
    const windows = Array.from({ length: 1_000 }, (_, i) => win(i * 86_400_000, i * 86_400_000 + 2_000));
    windows.push(win(31_536_000_000, 31_536_003_000));
    const t0 = process.hrtime.bigint();
    expect(firstRun(query({ periodMs: 1_000, windows }))).toBe(31_536_002_000);
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(100);
  });

  it.each([
    [{ periodMs: 0 }, "periodMs must be > 0 and finite, got 0"],
    [{ periodMs: Infinity }, "periodMs must be > 0 and finite, got Infinity"],
    [{ initialDelayMs: -1 }, "initialDelayMs must be >= 0, got -1"],
    [{ count: 0 }, "count must be an integer >= 1, got 0"],
    [{ count: 1.5 }, "count must be an integer >= 1, got 1.5"],
    [{ windows: [win(NaN, 5)] }, "failure window [NaN, 5) is not a pair of numbers"],
  ])("refuses %j", (over, message) => {
    expect(() => firstRun(query(over))).toThrow(new RangeError(message));
  });

  it("agrees with probe-by-probe evaluation on random small inputs", () => {
    const ms = (min: number, max: number) => fc.integer({ min, max });
    const arbitrary = fc
      .record({
        anchorMs: ms(0, 20),
        periodMs: ms(1, 6),
        startOffset: ms(-10, 30),
        initialDelayMs: ms(0, 12),
        gate: fc.option(ms(-5, 40), { nil: undefined }),
        windows: fc.array(fc.record({ fromMs: ms(-10, 50), length: fc.option(ms(-3, 25), { nil: undefined }) }), { maxLength: 5 }),
        outcome: fc.constantFrom("failure" as const, "success" as const),
        count: ms(1, 4),
        after: fc.option(ms(-5, 60), { nil: undefined }),
        end: fc.option(ms(0, 90), { nil: undefined }),
      })
      .map(
        (r): ProbeRunQuery => ({
          anchorMs: r.anchorMs,
          periodMs: r.periodMs,
          startedAtMs: r.anchorMs + r.startOffset,
          initialDelayMs: r.initialDelayMs,
          gateMs: r.gate === undefined ? -Infinity : r.anchorMs + r.startOffset + r.gate,
          windows: r.windows.map((w) => win(w.fromMs, w.length === undefined ? Infinity : w.fromMs + w.length)),
          outcome: r.outcome,
          count: r.count,
          afterMs: r.after === undefined ? -Infinity : r.anchorMs + r.after,
          endMs: r.end === undefined ? Infinity : r.anchorMs + r.startOffset + r.end,
        }),
      );
    fc.assert(
      fc.property(arbitrary, (q) => {
        expect(firstRun(q)).toBe(bruteForce(q));
      }),
      { seed: 20_240_601, numRuns: 20_000 },
    );
  });
});
