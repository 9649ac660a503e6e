/**
 * A run advanced in slices (what the CLI does to answer signals and check memory) is the same run, byte for byte,
 * and an interrupted run reports a consistent state at the virtual time it reached.
 */
import { stringify } from "csv-stringify/sync";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Simulation } from "../src/engine/simulation.js";
import { simulate, startRun, type RunOutcome } from "../src/run.js";
import { loadScenario } from "../src/scenario/load.js";
import type { Scenario } from "../src/scenario/types.js";
import { drive } from "../src/cli/drive.js";
import { livelockScenario } from "./fixtures/livelock.js";

function load(file: string, overrides: string[] = []): Scenario {
  const r = loadScenario(file, { overrides });
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r.scenario;
}

/** The three byte-identical files, as the writer renders them. */
function bytes(o: RunOutcome): string[] {
  return [JSON.stringify(o.summary, null, 2), stringify([o.metricsHeader, ...o.metricsRows]), o.events.map(o.eventLine).join("\n")];
}

function sliced(sc: Scenario, sizes: () => number): RunOutcome {
  const run = startRun(sc);
  let calls = 0;
  while (!run.advance(sizes())) calls++;
  expect(calls).toBeGreaterThan(0);
  return run.finish();
}

describe("Simulation.run(until, maxEvents)", () => {
  it("delivers at most maxEvents per call, says whether it reached until, and continues where it stopped", () => {
    const sim = new Simulation(1);
    const seen: number[] = [];
    const c = sim.register<number>("c", (t) => seen.push(t));
    for (const t of [5, 5, 7, 9, 12]) c.scheduleAt(t, t);
    expect(sim.run(10, 2)).toEqual({ events: 2, now: 5, reached: false });
    expect(sim.run(10, 2)).toEqual({ events: 4, now: 9, reached: false });
    // Nothing left before 10: the clock moves to until.
    expect(sim.run(10, 2)).toEqual({ events: 4, now: 10, reached: true });
    expect(sim.run(20)).toEqual({ events: 5, now: 20, reached: true });
    expect(seen).toEqual([5, 5, 7, 9, 12]);
    expect(() => sim.run(30, 0)).toThrow(RangeError);
  });

  it("gives the same digest in slices of 1, 3 and all at once", () => {
    const digests = [1, 3, Infinity].map((n) => {
      const sim = new Simulation(7);
      const c = sim.register<number>("c", (k) => {
        if (k < 200) c.schedule(Math.floor(c.random() * 10), k + 1);
      });
      c.schedule(0, 0);
      c.schedule(0, 100);
      while (!sim.run(1000, n).reached);
      return [sim.digest.hex(), sim.eventsProcessed, sim.now];
    });
    expect(digests[0]).toEqual(digests[2]);
    expect(digests[1]).toEqual(digests[2]);
  });
});

describe("a run advanced in slices", () => {
  it("writes the same summary.json, metrics.csv and events.jsonl bytes as one simulate() call", () => {
    const sc = load("scenarios/node-failure.yaml");
    const whole = bytes(simulate(sc));
    expect(bytes(sliced(sc, () => 1))).toEqual(whole);
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 97 + 1;
    expect(bytes(sliced(sc, random))).toEqual(whole);
  });

  it("is the same through the CLI's driver, whatever the slice size", async () => {
    const sc = load("scenarios/scale-up.yaml");
    const whole = bytes(simulate(sc));
    for (const sliceEvents of [1, 50, undefined]) {
      const run = startRun(sc);
      const end = await drive(run, { signal: () => undefined, heapUsed: () => 0, memoryLimit: 1, sliceEvents, pause: async () => {} });
      expect(end).toEqual({ kind: "done" });
      expect(bytes(run.finish())).toEqual(whole);
    }
  });

  it("marks a complete run `interrupted: null`", () => {
    const s = simulate(load("scenarios/scale-up.yaml")).summary;
    expect(s.interrupted).toBeNull();
    expect(Object.keys(s).slice(0, 9)).toEqual(["scenario", "seed", "k8simVersion", "digest", "startTime", "simulatedDuration", "simulatedMs", "interrupted", "events"]);
  });
});

describe("an interrupted run", () => {
  const sc = load("scenarios/node-failure.yaml");
  const whole = simulate(sc);

  function interruptedAt(events: number): RunOutcome {
    const run = startRun(sc);
    run.advance(events);
    run.interrupt({ signal: "SIGTERM" });
    run.advance(1000); // no effect once interrupted
    return run.finish();
  }

  it("reports the virtual time reached, metrics up to it and the events before it, from the same run", () => {
    const o = interruptedAt(300);
    const s = o.summary;
    expect(s.interrupted).toEqual({ signal: "SIGTERM", atMs: s.simulatedMs, at: s.simulatedDuration, instantComplete: true });
    expect(s.simulatedMs).toBeGreaterThan(0);
    expect(s.simulatedMs).toBeLessThan(sc.duration);
    expect(s.events).toBeGreaterThanOrEqual(300);
    // Every event of the interrupted instant ran: the next full-run event is later.
    const lines = o.events.map(o.eventLine);
    const all = whole.events.map(whole.eventLine);
    expect(lines).toEqual(all.slice(0, lines.length));
    expect(whole.events[lines.length].simTime).toBeGreaterThan(s.simulatedMs);
    expect(s.totals.kubernetesEvents).toBe(lines.length);
    // Samples up to the interruption are the full run's; the last row is taken at the interruption.
    expect(o.metricsHeader).toEqual(whole.metricsHeader);
    const last = o.metricsRows[o.metricsRows.length - 1];
    expect(last[1]).toBe(s.simulatedMs / 1000);
    const full = o.metricsRows.filter((r) => Number(r[1]) * 1000 % sc.metricsInterval === 0);
    expect(full).toEqual(whole.metricsRows.slice(0, full.length));
    expect(o.metricsRows.length).toBe(Math.floor(s.simulatedMs / sc.metricsInterval) + 1 + (s.simulatedMs % sc.metricsInterval ? 1 : 0));
  });

  it("lists expectations after that time as not reached: neither passed nor failed", () => {
    // node-failure checks at 4m, 6m and the end (15m): interrupt between 4m and 6m.
    const run = startRun(sc);
    while (run.now < 300_000) run.advance(1);
    run.interrupt({ signal: "SIGINT" });
    const o = run.finish();
    const e = o.summary.expectations;
    expect(e.map((x) => x.at)).toEqual([240_000, 360_000, 900_000]);
    expect(e[0].passed).toBe(true);
    expect(e.slice(1).map((x) => [x.passed, x.actual])).toEqual([[null, null], [null, null]]);
    expect(e[1]).toEqual({ ...whole.summary.expectations[1], actual: null, passed: null });
    expect(o.passed).toBe(true);
  });

  it("at time 0, before any event, still gives a consistent report", () => {
    const run = startRun(sc);
    run.interrupt({ signal: "SIGINT" });
    const s = run.finish().summary;
    expect(s.interrupted).toMatchObject({ atMs: 0, at: "0s" });
    expect(s.expectations.every((x) => x.passed === null)).toBe(true);
  });

  it("refuses finish() before the end or an interruption, and a second finish()", () => {
    const run = startRun(sc);
    expect(() => run.finish()).toThrow(/before the run reached its end/);
    run.advance(Infinity);
    run.finish();
    expect(() => run.finish()).toThrow(/already/);
  });
});

describe("the driver's bounds on a signal and on memory", () => {
  /** At 3m an instant that never ends (test/fixtures/livelock.ts), with the stall guard out of the way. */
  const LOOP = livelockScenario("  limits: {eventsPerInstant: 100000000}");

  it("a signal during an instant that never ends is answered within the grace time, the instant marked incomplete", async () => {
    const dir = mkdtempSync(join(tmpdir(), "k8sim-loop-"));
    writeFileSync(join(dir, "loop.yaml"), LOOP);
    const r = loadScenario(join(dir, "loop.yaml"));
    if (!r.ok) throw new Error(r.errors.join("\n"));
    const run = startRun(r.scenario);
    const t0 = process.hrtime.bigint();
    const end = await drive(run, { signal: () => (run.now >= 180_000 ? "SIGTERM" : undefined), heapUsed: () => 0, memoryLimit: Infinity, graceMs: 200 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    expect(end).toEqual({ kind: "interrupted", signal: "SIGTERM" });
    const s = run.finish().summary;
    expect(s.interrupted).toEqual({ signal: "SIGTERM", atMs: 180_000, at: "3m", instantComplete: false });
    expect(seconds).toBeLessThan(10);
  });

  it("slices shrink as the heap nears the limit, so the guard stops the run just past it", async () => {
    const run = startRun(load("scenarios/scale-up.yaml"));
    // A heap that grows 1 KB per event, from 0: the limit of 500 kB is crossed after about 490 events.
    const end = await drive(run, { signal: () => undefined, heapUsed: () => run.events * 1024, memoryLimit: 500_000, pause: async () => {} });
    expect(end.kind).toBe("memory");
    if (end.kind !== "memory") return;
    // Overshoot at most one minimum slice (64 events x 1 KB), not a full slice of thousands of events.
    expect(end.heapUsed - 500_000).toBeLessThanOrEqual(64 * 1024);
  });
});
