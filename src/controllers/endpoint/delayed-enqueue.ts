/**
 * The delaying and rate-limiting half of client-go's workqueue as the endpoint controllers use it
 * (k8s.io/client-go/util/workqueue delaying_queue.go, default_rate_limiters.go): AddAfter keeps one pending entry
 * per key with the earliest ready time, so a burst of pod events inside a batch period costs one engine event and
 * one sync; AddRateLimited waits base x 2^failures, capped, per key, until Forget.
 */
import type { Context, Simulation } from "../../engine/simulation.js";
import { keyId, type ObjectKey, type WorkQueue } from "../runtime.js";

/** See the module comment. */
export class DelayedEnqueue {
  private readonly ctx: Context<ObjectKey>;
  /** Key id -> virtual ms it becomes ready. */
  private readonly pending = new Map<string, number>();
  private readonly failures = new Map<string, number>();

  /**
   * @param baseRetry first failure backoff (ms); @param maxRetry its cap (ms): 5ms / 1000s for the endpoints
   * controller's DefaultControllerRateLimiter, 1s / 1000s for the EndpointSlice controller, 1s / 100s for mirroring.
   */
  constructor(sim: Simulation, name: string, private readonly queue: WorkQueue, private readonly baseRetry: number, private readonly maxRetry: number) {
    this.ctx = sim.register<ObjectKey>(name, (k) => this.fire(k));
  }

  /** AddAfter: `delay` 0 adds at once; otherwise the key waits, and a key already waiting keeps the earlier time. */
  addAfter(key: ObjectKey, delay: number): void {
    if (delay <= 0) {
      this.queue.add(key);
      return;
    }
    const id = keyId(key);
    const at = this.ctx.now + delay;
    const cur = this.pending.get(id);
    if (cur !== undefined && cur <= at) return;
    this.pending.set(id, at);
    this.ctx.scheduleAt(at, key);
  }

  /** AddRateLimited: requeue after this key's failure backoff, and count the failure. */
  addRateLimited(key: ObjectKey): void {
    const id = keyId(key);
    const n = this.failures.get(id) ?? 0;
    this.failures.set(id, n + 1);
    this.addAfter(key, Math.min(this.baseRetry * 2 ** n, this.maxRetry));
  }

  /** Forget: the key synced; its next failure starts from the base backoff. */
  forget(key: ObjectKey): void {
    if (this.failures.size > 0) this.failures.delete(keyId(key));
  }

  private fire(k: ObjectKey): void {
    const id = keyId(k);
    // A stale timer (an earlier entry superseded this one's time) finds another ready time and does nothing.
    if (this.pending.get(id) !== this.ctx.now) return;
    this.pending.delete(id);
    this.queue.add(k);
  }
}
