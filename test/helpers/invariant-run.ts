/**
 * Simulating a scenario with every registered invariant (src/invariants/registry.ts) checked after every event
 * (and at the end), as the test suite's scenario runs do.
 */
import type { Cluster } from "../../src/cluster.js";
import { InvariantMonitor, quiescentAtEnd, StuckRunError, type MonitorOptions, type Violation } from "../../src/invariants/index.js";
import { simulate, type RunOutcome } from "../../src/run.js";
import type { Scenario } from "../../src/scenario/types.js";

/** The outcome of a checked run. */
export interface CheckedRun {
  /** The outcome; undefined when the run was abandoned as stuck in a zero-time loop (see `violations`). */
  outcome: RunOutcome | undefined;
  /** Every violation seen (empty when all invariants held). */
  violations: Violation[];
  /** Whether the end of the run was quiescent, so replica-convergence was checked. */
  quiescent: boolean;
  /** The invariants that were checked (the registered ones that apply to the scenario's cluster). */
  checking: readonly string[];
}

/**
 * Simulates `scenario` with an InvariantMonitor attached before anything runs and called after every event;
 * `observe` (if given) also gets the cluster first. Replica convergence is checked when the last timeline action
 * ran at least settleWindow before the end. Never throws for a violation: the caller asserts on `violations` (a run
 * stuck in a zero-time loop is abandoned, with no outcome).
 */
export function simulateChecked(scenario: Scenario, observe?: (cluster: Cluster) => void, opts: MonitorOptions = {}): CheckedRun {
  let monitor: InvariantMonitor | undefined;
  let cluster: Cluster | undefined;
  let outcome: RunOutcome | undefined;
  try {
    outcome = simulate(scenario, {
      observe: (c) => {
        cluster = c;
        observe?.(c);
        monitor = InvariantMonitor.attach(c, opts);
      },
    });
  } catch (e) {
    if (!(e instanceof StuckRunError)) throw e;
    return { outcome: undefined, violations: monitor!.violations, quiescent: false, checking: monitor!.checking };
  }
  const quiescent = quiescentAtEnd(scenario, cluster!.settings, cluster!.kubelets.size);
  const violations = monitor!.finish(scenario.duration, quiescent);
  return { outcome, violations, quiescent, checking: monitor!.checking };
}

/** The violations as one message per line, for assertion output. */
export function describeViolations(vs: readonly Violation[]): string {
  return vs.map((v) => `[${v.invariant} @${v.time}ms]${v.object ? ` ${v.object}:` : ""} ${v.message}`).join("\n");
}
