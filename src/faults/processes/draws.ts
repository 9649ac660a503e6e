/**
 * Pure draws of the spec.faults processes (k8sim's own; no upstream analogue), each from the process's own stream.
 */
import type { Rng } from "../../engine/rng.js";
import { sample, type Distribution } from "../../workload/distribution.js";

/** Milliseconds in an hour. */
const HOUR_MS = 3_600_000;

/**
 * The time to the next arrival of a Poisson process of `ratePerHour` (> 0): an exponential draw of mean
 * 1h / ratePerHour, integer ms, at least 1 ms (so a process never fires twice at one instant). One draw.
 */
export function nextArrivalMs(rng: Rng, ratePerHour: number): number {
  return Math.max(1, sample({ kind: "exponential", meanMs: HOUR_MS / ratePerHour }, rng));
}

/** A draw of a duration distribution, at least 1 ms (a failure and its repair never share an instant). */
export function drawMs(d: Distribution, rng: Rng): number {
  return Math.max(1, sample(d, rng));
}

/** An index in [0, n) from one draw (n >= 1). */
export function pickIndex(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(rng() * n));
}
