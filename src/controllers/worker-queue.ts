import type { Context, Simulation } from "../engine/simulation.js";

/** What a worker reports for an item: Forget, AddRateLimited, or neither ("keep": Done only, the failure count
 *  stays, e.g. after the worker itself re-added the item with AddAfter). */
export type ItemOutcome = "forget" | "requeue" | "keep";

/** How many workers a queue has and its per-item failure backoff (ItemExponentialFailureRateLimiter), in ms. */
export interface WorkerQueueConfig {
  workers: number;
  baseRetryMs: number;
  maxRetryMs: number;
}

type QueueEvent<K> = { kind: "dispatch" } | { kind: "add"; item: K };

/**
 * A rate-limiting work queue served by several workers whose work is asynchronous (each item's processing may wait
 * for API requests), as client-go's workqueue with `workers` goroutines: an item added while waiting is not queued
 * twice (dirty set); an item added while being processed is queued again when its worker is done (processing set),
 * so one item is never processed by two workers at once; a failed item comes back after its exponential backoff.
 * Items are any values compared by identity (the garbage collector's graph nodes, namespace names).
 *
 * Items waiting when workers are free start in one engine event, in the order they were added; an item whose
 * processing completes at once frees its worker for the next one in the same event. Items added during a dispatch
 * wait for the next dispatch (an engine event at the same time), so a cascade proceeds level by level.
 *
 * NOTE: the overall 10 qps / 100 burst bucket of DefaultControllerRateLimiter (only for AddRateLimited) is not
 * modelled: it matters only for more than 100 failing items in a burst.
 */
export class WorkerQueue<K> {
  private readonly ctx: Context<QueueEvent<K>>;
  private queue: K[] = [];
  private head = 0;
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly failures = new Map<K, number>();
  private busy = 0;
  private dispatchScheduled = false;
  private readonly dispatchEvent: QueueEvent<K> = { kind: "dispatch" };
  /** Items processed so far. */
  processed = 0;

  constructor(
    sim: Simulation,
    name: string,
    private readonly config: WorkerQueueConfig,
    private readonly process: (item: K, done: (outcome: ItemOutcome) => void) => void,
  ) {
    this.ctx = sim.register<QueueEvent<K>>(name, (e) => (e.kind === "dispatch" ? this.dispatch() : this.add(e.item)));
  }

  /** Queues an item (workqueue Add). */
  add(item: K): void {
    if (this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.scheduleDispatch();
  }

  /** Queues an item after `ms` (AddAfter); at once when `ms` <= 0. */
  addAfter(item: K, ms: number): void {
    if (ms <= 0) this.add(item);
    else this.ctx.schedule(ms, { kind: "add", item });
  }

  /** Queues an item after its failure backoff: base x 2^failures, capped (AddRateLimited). */
  addRateLimited(item: K): void {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    this.addAfter(item, Math.min(this.config.baseRetryMs * 2 ** n, this.config.maxRetryMs));
  }

  /** Clears an item's failure count (Forget). */
  forget(item: K): void {
    this.failures.delete(item);
  }

  /** Items waiting (not counting those being processed). */
  get length(): number {
    return this.queue.length - this.head;
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled || this.busy >= this.config.workers) return;
    this.dispatchScheduled = true;
    this.ctx.schedule(0, this.dispatchEvent);
  }

  private dispatch(): void {
    this.dispatchScheduled = false;
    let budget = this.queue.length - this.head;
    while (budget-- > 0 && this.busy < this.config.workers && this.head < this.queue.length) {
      const item = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as K;
      this.dirty.delete(item);
      this.processing.add(item);
      this.busy++;
      this.processed++;
      this.process(item, (outcome) => this.finish(item, outcome));
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
    if (this.head < this.queue.length) this.scheduleDispatch();
  }

  private finish(item: K, outcome: ItemOutcome): void {
    this.busy--;
    this.processing.delete(item);
    if (outcome === "forget") this.forget(item);
    else if (outcome === "requeue") this.addRateLimited(item);
    if (this.dirty.has(item)) this.queue.push(item);
    if (this.head < this.queue.length) this.scheduleDispatch();
  }
}
