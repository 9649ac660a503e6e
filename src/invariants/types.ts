/**
 * The shape every invariant shares. An invariant is a pure check over (part of) the cluster state that returns its
 * violations as data; its registry entry (src/invariants/registry.ts) keeps whatever bookkeeping makes the check
 * incremental, and the monitor (src/invariants/monitor.ts) feeds it the state after every engine event.
 */
import type { WatchType } from "../api/store.js";
import type { KubeObject } from "../api/types.js";
import type { Cluster } from "../cluster.js";

/** One broken invariant: which, when (virtual ms), on what and what, in words a bug report can quote. */
export interface Violation {
  /** Name of the invariant, as registered in INVARIANT_REGISTRY (src/invariants/registry.ts). */
  invariant: string;
  /** Virtual time (ms) at which the check saw it. */
  time: number;
  /** The object it is about, as `Kind/namespace/name` or `Kind/name` ("Pod/default/web-abc", "Node/worker-1");
   *  absent for an invariant of the run itself (virtual-time). */
  object?: string;
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

/** What an invariant is attributed to: a kind of the kind registry, a controller of the controller manager's
 *  table, or a component outside both. */
export type InvariantOwner = { kind: string } | { controller: string } | { component: InvariantComponent };

/** Components an invariant can guard that are neither a kind nor a controller. */
export type InvariantComponent = "engine" | "store" | "informers" | "scheduler" | "kubelet";

/**
 * One live check, created per cluster by its registration. It keeps its own incremental bookkeeping: store writes
 * arrive through `onWrite` as they are committed, so `afterEvent` only looks at what the event changed. Read-only:
 * it never writes the store and schedules no engine event.
 */
export interface InvariantCheck {
  /** Kinds whose committed store writes `onWrite` receives (none when absent). */
  readonly watches?: readonly string[];
  /** Called synchronously after each committed write of a watched kind, in write order (a store watcher, so
   *  `old` is the previous object for MODIFIED and the object itself for DELETED). Records; reports nothing. */
  onWrite?(type: WatchType, obj: KubeObject, old: KubeObject | undefined): void;
  /** Called after every engine event, with the event's virtual time: the violations found since the last call.
   *  May throw StuckRunError (virtual-time) when the run can never end. */
  afterEvent?(time: number): readonly Violation[];
  /** Called once every event up to `end` has run; `quiescent` when nothing disturbed the cluster for the settle
   *  window before the end. The violations not reported yet. */
  finish?(end: number, quiescent: boolean): readonly Violation[];
}

/** What a check's factory may read besides the cluster. */
export interface CheckOptions {
  /** Events one virtual instant may hold before the run counts as stuck (virtual-time). */
  instantBudget: number;
}

/**
 * An entry of the invariant registry (src/invariants/registry.ts): a named, documented invariant, who it is
 * attributed to, and a factory of its check for one cluster.
 */
export interface InvariantRegistration extends InvariantInfo {
  /** The kinds, controllers and components whose behaviour the invariant guards (at least one). */
  readonly owners: readonly InvariantOwner[];
  /** Whether the check means anything on `cluster` (default: every controller among `owners` is running, so a
   *  check of a controller that `--controllers` disabled is not created). */
  appliesTo?(cluster: Cluster): boolean;
  /** A fresh check of `cluster`, whose bookkeeping starts from the store as it is now. */
  create(cluster: Cluster, opts: CheckOptions): InvariantCheck;
}

/** Violations a check found at write time, kept until its next afterEvent (or finish) reports them. */
export class Findings {
  private list: Violation[] = [];
  /** Keeps `vs`. */
  add(vs: readonly Violation[]): void {
    for (const v of vs) this.list.push(v);
  }
  /** The violations kept so far, and forgets them. */
  take(): readonly Violation[] {
    if (this.list.length === 0) return NONE;
    const out = this.list;
    this.list = [];
    return out;
  }
}

/** The shared empty result: checks return it on the common path, so no array is allocated per event. */
export const NONE: readonly Violation[] = Object.freeze([]);
