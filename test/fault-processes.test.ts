/**
 * spec.faults, the seeded random fault processes (src/faults/processes/, src/scenario/fault-processes.ts): same seed
 * same faults.csv, stream independence between processes, the draws' statistics, scopes, crashes, zone outages,
 * and every load-time error's exact message.
 */
import { afterAll, describe, expect, it } from "vitest";
import { drawMs, nextArrivalMs } from "../src/faults/processes/draws.js";
import { stream } from "../src/engine/rng.js";
import { loadScenario } from "../src/scenario/load.js";
import { simulate } from "../src/run.js";
import type { Pod } from "../src/api/types.js";
import { load, removeScenarios, run, SCENARIOS, writeScenario } from "./helpers/scenario-tmp.js";
import { FAULT_PROCESS_CASES } from "./hostile/fault-process-cases.js";
import { runHostileCase } from "./hostile/run-case.js";

afterAll(removeScenarios);

const POOLS = [
  '      - {name: a, count: 3, capacity: {cpu: "4", memory: 8Gi, pods: 110}, labels: {topology.kubernetes.io/zone: zone-a}}',
  '      - {name: b, count: 3, capacity: {cpu: "4", memory: 8Gi, pods: 110}, labels: {topology.kubernetes.io/zone: zone-b}}',
];
const WEB = "    - manifest: {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 4, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: app, image: nginx}]}}}}";

/** A scenario with pools a (zone-a) and b (zone-b) of 3 nodes, Deployment web, and `faults` (flow mappings). */
function scenario(faults: readonly string[], duration = "6h"): string {
  return [
    "apiVersion: k8sim.dev/v1alpha1",
    "kind: Scenario",
    "metadata: {name: fp}",
    "spec:",
    `  duration: ${duration}`,
    "  cluster:",
    "    nodePools:",
    ...POOLS,
    "  workloads:",
    WEB,
    "  faults:",
    ...faults.map((f) => `    - ${f}`),
    "",
  ].join("\n");
}

const NODES = '{name: nf, type: nodeFailure, mtbf: exponential(1h), mttr: "uniform(5m, 10m)"}';
const rows = (yaml: string) => simulate(load(writeScenario(yaml))).faultsRows;

describe("pure draws", () => {
  it("exponential MTBF: the mean of 20,000 draws is within 3% of 1h", () => {
    // Standard error of the mean of n exponential draws = mean / sqrt(n) = 1h / 141 (0.71%); 3% is over 4 standard
    // errors, so a correct sampler fails this with probability below 1e-4 (and the stream is seeded: it never flakes).
    const rng = stream(1, "test/mtbf");
    let sum = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) sum += drawMs({ kind: "exponential", meanMs: 3_600_000 }, rng);
    expect(Math.abs(sum / n / 3_600_000 - 1)).toBeLessThan(0.03);
  });
  it("Poisson arrivals at 2 per hour: mean gap within 3% of 30m", () => {
    const rng = stream(1, "test/rate");
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += nextArrivalMs(rng, 2);
    expect(Math.abs(sum / 20_000 / 1_800_000 - 1)).toBeLessThan(0.03);
  });
});

describe("nodeFailure processes", () => {
  it("the same seed gives the same faults.csv; every failure is repaired after its draw", () => {
    const a = rows(scenario([NODES]));
    expect(a.length).toBeGreaterThan(10);
    expect(rows(scenario([NODES]))).toEqual(a);
    for (const r of a) expect(r[2]).toBe("nf");
    const fails = a.filter((r) => r[3] === "nodeFailure");
    for (const f of fails) {
      const repairIn = /repair in (.+)$/.exec(String(f[5]))![1];
      const rec = a.find((r) => r[3] === "nodeRecover" && r[4] === f[4] && (r[1] as number) > (f[1] as number));
      if (rec) expect(String(rec[5])).toContain(`down ${repairIn}`);
    }
  });

  it("adding a second process leaves the first one's rows unchanged (its own stream)", () => {
    const alone = rows(scenario([NODES]));
    const both = rows(scenario([NODES, "{name: crash, type: containerCrash, selector: app=web, ratePerHour: 6}"]));
    expect(both.filter((r) => r[2] === "nf")).toEqual(alone);
    expect(both.some((r) => r[2] === "crash")).toBe(true);
  });

  it("a pool scope hits only its nodes, a zone scope only its zone's", () => {
    const pool = rows(scenario(['{name: nf, type: nodeFailure, pool: a, mtbf: exponential(1h), mttr: 5m}']));
    expect(pool.length).toBeGreaterThan(0);
    for (const r of pool) expect(String(r[4])).toMatch(/^node\/a-\d$/);
    const zone = rows(scenario(['{name: nf, type: nodeFailure, zone: zone-b, mtbf: exponential(1h), mttr: 5m}']));
    expect(zone.length).toBeGreaterThan(0);
    for (const r of zone) expect(String(r[4])).toMatch(/^node\/b-\d$/);
  });

  it("start and end bound the failures", () => {
    const r = rows(scenario(['{name: nf, type: nodeFailure, mtbf: exponential(30m), mttr: 5m, start: 1h, end: 2h}']));
    const fails = r.filter((x) => x[3] === "nodeFailure");
    expect(fails.length).toBeGreaterThan(0);
    for (const f of fails) expect(f[1] as number).toBeGreaterThanOrEqual(3600);
    for (const f of fails) expect(f[1] as number).toBeLessThan(7200);
  });
});

describe("containerCrash and zoneOutage processes", () => {
  it("crashes hit only matching running pods, which restart", () => {
    let end: Pod[] = [];
    const out = run(load(writeScenario(scenario(["{name: crash, type: containerCrash, selector: app=web, ratePerHour: 4, exitCode: 3}"], "2h"))), undefined, (c) => {
      end = [...c.cp.api.list<Pod>("Pod")];
    });
    const crashes = out.faultsRows.filter((r) => r[3] === "containerCrash");
    expect(crashes.length).toBeGreaterThan(2);
    for (const r of crashes) expect(String(r[4])).toMatch(/^pod\/default\/web-[a-z0-9-]+\/app$/);
    for (const r of crashes) expect(r[5]).toBe("exit code 3");
    const restarts = end.reduce((n, p) => n + (p.status.containerStatuses?.[0]?.restartCount ?? 0), 0);
    expect(restarts).toBe(crashes.length);
  });

  it("a zone outage recovers after its duration", () => {
    const r = rows(scenario(["{name: zo, type: zoneOutage, zones: [zone-a], ratePerHour: 1, duration: 10m}"]));
    const down = r.filter((x) => x[3] === "zoneOutage");
    expect(down.length).toBeGreaterThan(0);
    const first = down[0]!;
    expect(String(first[4])).toMatch(/^node\/a-\d$/);
    const back = r.find((x) => x[3] === "nodeRecover" && x[4] === first[4])!;
    expect((back[1] as number) - (first[1] as number)).toBe(600);
  });
});

/** The load errors of `faults`, file positions stripped to line:col. */
function errors(faults: readonly string[]): string[] {
  const r = loadScenario(writeScenario(scenario(faults)));
  return r.ok ? [] : r.errors.map((e) => e.replace(/^.*?\.yaml:/, ""));
}

describe("load-time errors", () => {
  // Items start at line 13, column 7 ("    - " is 6 characters).
  it.each([
    ["duplicate names", [NODES, NODES], "14:14: spec.faults[1].name: duplicate process name \"nf\" (first at spec.faults[0]); expected unique names (each names a random stream)"],
    ["an unknown pool", ['{name: nf, type: nodeFailure, pool: c, mtbf: 1h, mttr: 1m}'], '13:43: spec.faults[0].pool: no node pool is named "c"; did you mean "a"?'],
    ["an unknown zone", ['{name: nf, type: nodeFailure, zone: zone-x, mtbf: 1h, mttr: 1m}'], '13:43: spec.faults[0].zone: no node is in zone "zone-x" (label topology.kubernetes.io/zone); did you mean "zone-a"?'],
    ["pool and zone", ['{name: nf, type: nodeFailure, pool: a, zone: zone-a, mtbf: 1h, mttr: 1m}'], "13:7: spec.faults[0]: expected at most one of the keys pool or zone (neither: every node)"],
    ["a selector that does not parse", ['{name: c, type: containerCrash, selector: "app in web", ratePerHour: 1}'], "13:49: spec.faults[0].selector: unable to parse requirement: found 'web' expected: '('"],
    ["a bad distribution", ['{name: nf, type: nodeFailure, mtbf: exponential(0s), mttr: 1m}'], '13:43: spec.faults[0].mtbf: invalid distribution "exponential(0s)": mean must be greater than 0; expected a duration such as 30s or a distribution: uniform(MIN, MAX), exponential(MEAN), lognormal(MEDIAN, SIGMA), weibull(SCALE, SHAPE), empirical(D1, D2, ...)'],
    ["ratePerHour 0", ["{name: c, type: containerCrash, selector: app=web, ratePerHour: 0}"], "13:71: spec.faults[0].ratePerHour: must be a finite number greater than 0 (arrivals per hour), got 0"],
    ["end before start", ["{name: nf, type: nodeFailure, mtbf: 1h, mttr: 1m, start: 2h, end: 1h}"], "13:73: spec.faults[0].end: the process ends at 1h, not after it starts (at 2h); expected a time after 2h"],
    ["a missing key", ["{name: nf, type: nodeFailure, mtbf: 1h}"], 'spec.faults[0]: missing required key "mttr" (type nodeFailure)'],
    ["a key of another type", ["{name: nf, type: nodeFailure, mtbf: 1h, mttr: 1m, ratePerHour: 1}"], '13:70: spec.faults[0].ratePerHour: type nodeFailure does not take the key "ratePerHour"; expected mtbf, mttr, pool, zone, start, end'],
  ])("%s", (_name, faults, want) => {
    const got = errors(faults as string[]);
    expect(got.some((e) => e.endsWith(want as string)), got.join("\n")).toBe(true);
  });
});

describe("hostile spec.faults (also run by hostile-input.test.ts)", () => {
  for (const c of FAULT_PROCESS_CASES) {
    it(c.name, async () => {
      const { result, problems } = await runHostileCase(c, { kind: "in-process" });
      expect(problems.join("; "), result.err).toBe("");
    });
  }
});

describe("scenarios/random-node-failures.yaml", () => {
  it("fails 4 nodes in 4 hours (seed 42), each repaired, and leaves web below full availability part of the time", () => {
    const out = simulate(load(`${SCENARIOS}/random-node-failures.yaml`));
    expect(out.faultsRows.filter((r) => r[3] === "nodeFailure")).toHaveLength(4);
    expect(out.summary.availability["default/web"]!.fullyAvailableFraction).toBeLessThan(1);
    expect(out.passed).toBe(true);
  });
});
