import type { Context, Simulation } from "../engine/simulation.js";

/** What a reconcile asks of the runtime (controller-runtime's reconcile.Result). */
export interface ReconcileResult {
  /** Reconcile this key again after this many ms (no backoff counted). */
  requeueAfter?: number;
  /** The reconcile failed for an expected reason (a conflict, a rejected write): retry with backoff. */
  error?: string;
  /**
   * The reconcile's outcome is not known yet: it sent requests through a client that answers later. The key's
   * failure count is kept (not forgotten) until the caller reports the outcome: `addRateLimited` for a failure,
   * `forget` for a success. Upstream's sync blocks on its requests and returns their error; this is that, split.
   */
  pending?: boolean;
}

/**
 * The typed key of a work item (controller-runtime's reconcile.Request: types.NamespacedName): namespace (undefined
 * for cluster-scoped kinds) and name. An object's metadata is one, so enqueueing an object allocates nothing.
 */
export interface ObjectKey {
  readonly namespace?: string;
  readonly name: string;
}

/** The de-duplication id of a key ("namespace/name", or "name"): internal to the queue and its callers' maps. */
export function keyId(k: ObjectKey): string {
  return k.namespace === undefined ? k.name : `${k.namespace}/${k.name}`;
}

/**
 * A level-based reconciler: given a key, it reads the current state from informer caches and acts on it. It never
 * sees the event that woke it (controller-runtime pkg/reconcile).
 */
export type Reconciler = (key: ObjectKey) => ReconcileResult | void;

/** Per-item exponential failure backoff of client-go's DefaultControllerRateLimiter: 5ms doubling to 1000s. */
export const CONTROLLER_BASE_RETRY_MS = 5;
/** See CONTROLLER_BASE_RETRY_MS (k8s.io/client-go/util/workqueue/default_rate_limiters.go). */
export const CONTROLLER_MAX_RETRY_MS = 1_000_000;

type WorkEvent = { kind: "drain" } | { kind: "add"; key: ObjectKey; due: number };

/**
 * A work queue with one worker (client-go workqueue + controller-runtime): keys are de-duplicated while waiting,
 * processed in the order first added, and failed keys are retried with per-key exponential backoff. Everything
 * waiting is processed in one engine event, after the events already due at the same time.
 */
export class WorkQueue {
  private readonly ctx: Context<WorkEvent>;
  private waiting = new Map<string, ObjectKey>();
  private readonly failures = new Map<string, number>();
  /** Keys waiting for a delayed add, with the virtual time it is due (the delaying queue's waitingForQueue). */
  private readonly delayed = new Map<string, number>();
  private drainScheduled = false;
  private readonly drainEvent: WorkEvent = { kind: "drain" };
  /** Reconciles run so far. */
  reconciles = 0;

  constructor(sim: Simulation, name: string, private readonly reconcile: Reconciler) {
    this.ctx = sim.register<WorkEvent>(name, (e) => (e.kind === "drain" ? this.drain() : this.addDue(e.key, e.due)));
  }

  /** Queues a key for reconciliation (a no-op if it is already waiting). */
  add(key: ObjectKey): void {
    const id = keyId(key);
    if (!this.waiting.has(id)) this.waiting.set(id, key);
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      this.ctx.schedule(0, this.drainEvent);
    }
  }

  /**
   * Queues a key after `delay` ms. As client-go's delaying queue, a key already waiting for a later time is moved
   * up to this one, and one waiting for an earlier (or the same) time is left as it is: each key waits once.
   */
  addAfter(key: ObjectKey, delay: number): void {
    if (delay <= 0) {
      this.add(key);
      return;
    }
    const id = keyId(key);
    const due = this.ctx.now + delay;
    const at = this.delayed.get(id);
    if (at !== undefined && at <= due) return;
    this.delayed.set(id, due);
    this.ctx.schedule(delay, { kind: "add", key, due });
  }

  /** A delayed add came due: queued unless it was superseded by an earlier one for the same key. */
  private addDue(key: ObjectKey, due: number): void {
    const id = keyId(key);
    if (this.delayed.get(id) !== due) return;
    this.delayed.delete(id);
    this.add(key);
  }

  /** Requeues a key with its failure backoff (workqueue AddRateLimited), for a failure that arrived after its
   *  reconcile returned (an asynchronous API request). */
  addRateLimited(key: ObjectKey): void {
    const id = keyId(key);
    const n = this.failures.get(id) ?? 0;
    this.failures.set(id, n + 1);
    this.addAfter(key, Math.min(CONTROLLER_BASE_RETRY_MS * 2 ** n, CONTROLLER_MAX_RETRY_MS));
  }

  /** Forgets a key's failures (workqueue Forget): its next failure backs off from the start again. */
  forget(key: ObjectKey): void {
    this.failures.delete(keyId(key));
  }

  private drain(): void {
    this.drainScheduled = false;
    const batch = this.waiting;
    this.waiting = new Map();
    for (const [id, key] of batch) {
      this.reconciles++;
      const r = this.reconcile(key);
      if (r && r.error !== undefined) {
        this.addRateLimited(key);
        continue;
      }
      if (!r?.pending) this.failures.delete(id);
      if (r && r.requeueAfter !== undefined) this.addAfter(key, r.requeueAfter);
    }
  }
}
