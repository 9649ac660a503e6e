/**
 * The shape every invariant shares. An invariant is a pure check over (part of) the cluster state that returns its
 * violations as data; a monitor (src/invariants/monitor.ts) feeds it the state after every engine event, keeping
 * whatever bookkeeping makes the check incremental.
 */

/** One broken invariant: which, when (virtual ms) and what, in words a bug report can quote. */
export interface Violation {
  /** Name of the invariant, as listed in INVARIANTS (src/invariants/index.ts). */
  invariant: string;
  /** Virtual time (ms) at which the check saw it. */
  time: number;
  /** What is wrong, naming the objects involved and the numbers compared. */
  message: string;
}

/** A description of one invariant, for listings and reports. */
export interface InvariantInfo {
  /** Stable name, e.g. "node-capacity". */
  name: string;
  /** One sentence: what must hold. */
  statement: string;
  /** When it is checked: after every event, or once at the end of a run (at quiescence). */
  when: "every-event" | "end";
}
