import type { WatchType } from "../api/store.js";
import type { KubeObject } from "../api/types.js";
import type { Cluster } from "../cluster.js";
import { formatDuration } from "../engine/duration.js";
import { appliesTo, INVARIANT_REGISTRY } from "./registry.js";
import type { InvariantCheck, InvariantRegistration, Violation } from "./types.js";
import { DEFAULT_INSTANT_BUDGET, StuckRunError } from "./virtual-time.js";

export { StuckRunError } from "./virtual-time.js";

/** Options of an InvariantMonitor. */
export interface MonitorOptions {
  /** Stop collecting after this many violations (default 100): one bug tends to repeat on every event. */
  maxViolations?: number;
  /** Events one virtual instant may hold before the run counts as stuck (default DEFAULT_INSTANT_BUDGET; Infinity
   *  leaves it to the engine's own instant limit, as the CLI does). */
  instantBudget?: number;
  /** Throw an InvariantViolationError at the first violation, out of `afterEvent` (so out of the event loop) or
   *  `finish`: `k8sim run --check-invariants`. Default false: collect, and let the caller assert on `violations`. */
  stopAtFirst?: boolean;
  /** The invariants to check (default INVARIANT_REGISTRY); each one's check is created only if it applies. */
  registry?: readonly InvariantRegistration[];
}

/** Thrown by a monitor with `stopAtFirst` at the first violation: which invariant, on what, when, and the seed. */
export class InvariantViolationError extends Error {
  constructor(
    readonly violation: Violation,
    /** The run's seed, to reproduce it. */
    readonly seed: number,
  ) {
    const v = violation;
    super(`invariant ${v.invariant} broken at ${formatDuration(v.time)} (seed ${seed}): ${v.object ? `${v.object}: ` : ""}${v.message}`);
    this.name = "InvariantViolationError";
  }
}

/**
 * Checks every registered invariant (src/invariants/registry.ts) against a running Cluster: attach it before the
 * run starts (`InvariantMonitor.attach`, or construct it from `simulate`'s `observe` and call `afterEvent` from
 * `sim.observeEvents`), and call `finish` once the run returned. Read-only: its checks add store watchers and
 * informer handlers that record and never write, and hook only informers that already have handlers, so it schedules
 * no engine event and the run's digest is unchanged.
 *
 * Incremental: each check keeps its own bookkeeping from the store writes it watches (one store watcher per kind,
 * dispatching to the checks that watch it), so the cost per event is proportional to what the event changed.
 */
export class InvariantMonitor {
  /** Every violation seen so far (at most maxViolations). */
  readonly violations: Violation[] = [];
  /** The names of the invariants being checked (those that apply to this cluster), in registry order. */
  readonly checking: readonly string[];
  private readonly max: number;
  private readonly stopAtFirst: boolean;
  private readonly afterEventChecks: InvariantCheck[] = [];
  private readonly finishChecks: InvariantCheck[] = [];

  /** Attaches a new monitor to `cluster`'s event loop (`sim.observeEvents`, replacing any observer) and returns it. */
  static attach(cluster: Cluster, opts: MonitorOptions = {}): InvariantMonitor {
    const m = new InvariantMonitor(cluster, opts);
    cluster.sim.observeEvents((t) => m.afterEvent(t));
    return m;
  }

  constructor(private readonly cluster: Cluster, opts: MonitorOptions = {}) {
    this.max = opts.maxViolations ?? 100;
    this.stopAtFirst = opts.stopAtFirst ?? false;
    const instantBudget = opts.instantBudget ?? DEFAULT_INSTANT_BUDGET;
    const registry = (opts.registry ?? INVARIANT_REGISTRY).filter((r) => appliesTo(r, cluster));
    this.checking = registry.map((r) => r.name);
    const byKind = new Map<string, InvariantCheck[]>();
    for (const r of registry) {
      const check = r.create(cluster, { instantBudget });
      if (check.afterEvent) this.afterEventChecks.push(check);
      if (check.finish) this.finishChecks.push(check);
      if (!check.onWrite) continue;
      for (const kind of check.watches ?? []) {
        let list = byKind.get(kind);
        if (!list) byKind.set(kind, (list = []));
        list.push(check);
      }
    }
    for (const [kind, checks] of byKind) {
      cluster.cp.store.watch(kind, (type: WatchType, obj: KubeObject, old: KubeObject | undefined) => {
        for (const c of checks) c.onWrite!(type, obj, old);
      });
    }
  }

  /** The run's seed (every violation is reproduced by rerunning with it). */
  get seed(): number {
    return this.cluster.sim.seed;
  }

  /**
   * Checks the invariants that must hold after every event; `time` is the event's. Throws StuckRunError when the
   * instant budget is exhausted, and with `stopAtFirst` an InvariantViolationError at the first violation.
   */
  afterEvent(time: number): void {
    for (const c of this.afterEventChecks) {
      let vs: readonly Violation[];
      try {
        vs = c.afterEvent!(time);
      } catch (e) {
        if (e instanceof StuckRunError) this.violations.push(e.violation);
        throw e;
      }
      if (vs.length > 0) this.add(vs);
    }
  }

  /**
   * Checks at the end of a run (every event up to `end` has run): what only the end can tell (no write due by `end`
   * is undelivered, no orphan outlived its deadline) and, when `quiescent` (nothing disturbed the cluster for
   * settleWindow before the end), replica-convergence. Returns every violation of the run.
   */
  finish(end: number, quiescent: boolean): Violation[] {
    for (const c of this.finishChecks) {
      const vs = c.finish!(end, quiescent);
      if (vs.length > 0) this.add(vs);
    }
    return this.violations;
  }

  private add(vs: readonly Violation[]): void {
    if (this.stopAtFirst) {
      this.violations.push(vs[0]!);
      throw new InvariantViolationError(vs[0]!, this.seed);
    }
    for (const v of vs) if (this.violations.length < this.max) this.violations.push(v);
  }
}
