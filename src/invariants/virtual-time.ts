import type { InvariantInfo, Violation } from "./types.js";

/** The virtual-time invariant. */
export const VIRTUAL_TIME: InvariantInfo = {
  name: "virtual-time",
  statement:
    "virtual time never goes back (each event's time is at least the previous event's, and the clock shows it) and keeps moving (at most a bounded number of events at one instant)",
  when: "every-event",
};

/** Violations of virtual-time for one event at `time`, after one at `previous`, with the clock reading `clock`. Pure. */
export function virtualTimeViolations(previous: number, time: number, clock: number): Violation[] {
  const out: Violation[] = [];
  if (!Number.isInteger(time) || time < previous) {
    out.push({ invariant: VIRTUAL_TIME.name, time, message: `event at ${time} ms after one at ${previous} ms: virtual time went back` });
  }
  if (clock !== time) out.push({ invariant: VIRTUAL_TIME.name, time, message: `the clock reads ${clock} ms while delivering an event at ${time} ms` });
  return out;
}

/**
 * Events one virtual instant may hold before the run counts as stuck in a zero-time loop (see instantViolations).
 * Sized for the test suite's clusters (tens of nodes and pods: a few thousand events at time 0); a monitor on a
 * cluster of thousands of nodes, whose start-up legitimately fills one instant, passes a larger budget.
 */
export const DEFAULT_INSTANT_BUDGET = 50_000;

/**
 * Violations of the liveness half of virtual-time: `count` events delivered at virtual time `time` so far, more
 * than `budget`, means components feed each other at zero virtual cost and the clock can never advance (the run
 * hangs). Pure.
 */
export function instantViolations(count: number, budget: number, time: number): Violation[] {
  if (count <= budget) return [];
  return [{ invariant: VIRTUAL_TIME.name, time, message: `more than ${budget} events at virtual time ${time} ms: a zero-time loop keeps the clock from advancing` }];
}
