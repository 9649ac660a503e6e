import { NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

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

/**
 * Thrown out of the event loop (through the monitor's `afterEvent`) when the run is stuck in a zero-time loop: the
 * run can never end, so the only way out is to abandon it. Its violation is in the monitor's list too.
 */
export class StuckRunError extends Error {
  constructor(readonly violation: Violation) {
    super(violation.message);
    this.name = "StuckRunError";
  }
}

/**
 * virtual-time, attributed to the engine. Bookkeeping: the previous event's time and how many events its instant
 * has held. O(1) per event; throws StuckRunError once an instant holds more than the budget.
 */
export const VIRTUAL_TIME_CHECK: InvariantRegistration = {
  ...VIRTUAL_TIME,
  owners: [{ component: "engine" }],
  create(cluster, opts) {
    const sim = cluster.sim;
    let last = sim.now;
    let atInstant = 0;
    return {
      afterEvent(time) {
        // The common case without an allocation; virtualTimeViolations says what is wrong otherwise.
        const vs = time >= last && sim.now === time && Number.isInteger(time) ? NONE : virtualTimeViolations(last, time, sim.now);
        atInstant = time === last ? atInstant + 1 : 1;
        last = time;
        if (atInstant > opts.instantBudget) throw new StuckRunError(instantViolations(atInstant, opts.instantBudget, time)[0]);
        return vs;
      },
    };
  },
};
