/**
 * Generated spec.faults entries (issue 10's seeded fault processes), valid by construction against the generated
 * cluster: pools that exist, zones of pools that have nodes, selectors that parse, rates > 0, end after start.
 */
import fc from "fast-check";
import type { GenPool } from "./cluster.js";
import { IMAGE_PATTERNS } from "./faults.js";

/** A process intent, resolved against the cluster by `faultProcesses`. */
export interface FaultProcessIntent {
  type: "nodeFailure" | "containerCrash" | "zoneOutage" | "imageRegistryOutage";
  /** nodeFailure: 0 every node, 1 a pool, 2 a zone; picks below. */
  scope: number;
  pick: number;
  mtbf: string;
  mttr: string;
  rate: number;
  duration: string;
  start: number | undefined;
  span: number | undefined;
}

/** Arbitrary of process intents (see `faultProcessesArb` for how many a scenario gets). */
export const faultProcessIntentArb: fc.Arbitrary<FaultProcessIntent> = fc.record({
  type: fc.constantFrom("nodeFailure" as const, "containerCrash" as const, "zoneOutage" as const, "imageRegistryOutage" as const),
  scope: fc.nat(2),
  pick: fc.nat(10),
  // Means of several minutes per node: a generated cluster of a dozen nodes then sees a few failures in its ten
  // minutes, not hundreds (a mean of 2m made single runs take over a minute).
  mtbf: fc.constantFrom("exponential(15m)", "weibull(20m, 1.5)", "8m", "lognormal(10m, 0.8)"),
  mttr: fc.constantFrom("30s", "lognormal(1m, 0.5)", "uniform(10s, 2m)"),
  rate: fc.constantFrom(0.5, 6, 30),
  duration: fc.constantFrom("uniform(30s, 2m)", "1m", "exponential(1m)"),
  start: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
  span: fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
});

/** The spec.faults entries of `intents` for the initial `pools` (names fp-0, fp-1, ...). */
export function faultProcesses(intents: readonly FaultProcessIntent[], pools: readonly GenPool[]): Record<string, unknown>[] {
  const zones = [...new Set(pools.filter((p) => p.count > 0).map((p) => p.labels["topology.kubernetes.io/zone"]).filter((z): z is string => z !== undefined))];
  const out: Record<string, unknown>[] = [];
  intents.forEach((f, i) => {
    const e: Record<string, unknown> = { name: `fp-${i}`, type: f.type };
    if (f.type === "nodeFailure") {
      if (f.scope === 1 && pools.length) e.pool = pools[f.pick % pools.length]!.name;
      if (f.scope === 2 && zones.length) e.zone = zones[f.pick % zones.length];
      e.mtbf = f.mtbf;
      e.mttr = f.mttr;
    } else if (f.type === "containerCrash") {
      e.selector = f.pick % 2 ? "app" : "app!=none";
      e.ratePerHour = f.rate;
      if (f.pick % 3 === 0) e.exitCode = 137;
    } else if (f.type === "imageRegistryOutage") {
      e.images = IMAGE_PATTERNS[f.pick % IMAGE_PATTERNS.length];
      e.ratePerHour = f.rate;
      e.duration = f.duration;
    } else {
      if (!zones.length) return;
      if (f.scope > 0) e.zones = [zones[f.pick % zones.length]];
      e.ratePerHour = f.rate;
      e.duration = f.duration;
    }
    if (f.start !== undefined) e.start = `${f.start}s`;
    if (f.span !== undefined) e.end = `${(f.start ?? 0) + f.span}s`;
    out.push(e);
  });
  return out;
}

/** The process intents of one scenario: none in three runs of four, else one (runs with processes cost more). */
export const faultProcessesArb: fc.Arbitrary<FaultProcessIntent[]> = fc.oneof(
  { weight: 3, arbitrary: fc.constant([]) },
  { weight: 1, arbitrary: fc.array(faultProcessIntentArb, { minLength: 1, maxLength: 1 }) },
);
