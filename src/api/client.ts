/**
 * A component's API client (client-go rest.Client with its flowcontrol rate limiter): every request waits for a
 * token of the component's QPS / burst bucket, then spends `apiRequestLatency` in flight before the API server
 * commits it. A request that needs no wait and no latency runs at once, inside the caller's event, so an
 * unthrottled component behaves exactly as one calling the API server directly; a throttled one runs in a later
 * engine event, in the order requests were made, and hands its result to the caller's callback.
 */
import type { Context, Simulation } from "../engine/simulation.js";
import { TokenBucket } from "./token-bucket.js";

/** Rate limit and latency of one client. */
export interface ClientConfig {
  /** Tokens per second (client-go QPS). */
  qps: number;
  /** Bucket size (client-go Burst). */
  burst: number;
  /** ms between leaving the limiter and the commit. */
  latency: number;
  /** A slow API server's added latency (ApiSlowdown.extra), if the control plane has one. */
  slowdown?: { extra(now: number): number };
}

type Pending = { call: () => unknown; done: ((r: unknown) => void) | undefined };

/** One component's client. */
export class ApiClient {
  private readonly bucket: TokenBucket;
  private readonly ctx: Context<Pending>;
  /** Requests made so far, and how many of them had to wait for a token. */
  readonly stats = { requests: 0, throttled: 0 };

  constructor(sim: Simulation, name: string, private readonly config: ClientConfig) {
    this.ctx = sim.register<Pending>(`client/${name}`, (p) => {
      const r = p.call();
      p.done?.(r);
    });
    this.bucket = new TokenBucket(config.qps, config.burst, sim.now);
  }

  /** Sends a request: `call` performs it against the API server when its turn comes; `done` receives the result. */
  request<R>(call: () => R, done?: (r: R) => void): void {
    this.stats.requests++;
    const wait = this.bucket.reserve(this.ctx.now);
    if (wait > 0) this.stats.throttled++;
    const delay = wait + this.config.latency + (this.config.slowdown?.extra(this.ctx.now) ?? 0);
    if (delay === 0) {
      const r = call();
      done?.(r);
      return;
    }
    this.ctx.schedule(delay, { call, done: done as ((r: unknown) => void) | undefined });
  }
}
