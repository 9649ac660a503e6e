/**
 * Added latency of a slow API server (the slowApiServer fault; k8sim's own, no upstream analogue): windows, each
 * adding its latency to every request through a component's client (ApiClient) and to every watch delivery
 * (Informer), from its start until its end. Overlapping windows compose: the largest latency of those in force.
 */
/** Delayed hops a change passes on its way through the control plane (watch, client write, watch). */
export const SETTLE_HOPS = 3;

export class ApiSlowdown {
  private windows: { untilMs: number; latencyMs: number }[] = [];
  private settled = -Infinity;

  /** Adds `latencyMs` from now until `untilMs` (virtual ms). */
  add(untilMs: number, latencyMs: number): void {
    this.windows.push({ untilMs, latencyMs });
    this.settled = Math.max(this.settled, untilMs + SETTLE_HOPS * latencyMs);
  }

  /**
   * When the latest window's delays have played out (-Infinity: never slowed): its end plus SETTLE_HOPS latencies,
   * for a change made just before the end to pass a watch, a client write and another watch. The time-bounded
   * invariants count a lag from here.
   */
  get settledMs(): number {
    return this.settled;
  }

  /** The latency added at `now` (0 outside every window); cheap when no window was ever added. */
  extra(now: number): number {
    if (this.windows.length === 0) return 0;
    let max = 0;
    let expired = false;
    for (const w of this.windows) {
      if (w.untilMs > now) max = Math.max(max, w.latencyMs);
      else expired = true;
    }
    if (expired) this.windows = this.windows.filter((w) => w.untilMs > now);
    return max;
  }
}
