/**
 * A token bucket as client-go's flowcontrol.NewTokenBucketRateLimiter, which wraps golang.org/x/time/rate: `qps`
 * tokens per second up to `burst`, starting full. As x/time/rate's AllowN, a refused call leaves the state alone
 * (tokens are recomputed from the last grant each time), so when tokens arrive does not depend on how often the
 * bucket is asked. qps <= 0 gives a limiter that never accepts (NewFakeNeverRateLimiter). Time is virtual ms,
 * passed in, so the bucket is a pure function of the call times; the arithmetic is x/time/rate's float64.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(readonly qps: number, readonly burst: number, now: number) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes a token if one is available at `now`. */
  tryAccept(now: number): boolean {
    if (this.qps <= 0) return false;
    // advance(): tokens + elapsed seconds x rate, capped at burst.
    const tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    if (tokens < 1) return false;
    this.tokens = tokens - 1;
    this.last = now;
    return true;
  }

  /**
   * Reserves one token at `now` and returns how long the caller must wait for it (ms, rounded up to the
   * simulation's resolution), as x/time/rate's Reserve / Wait that client-go's rate limiter calls before every
   * request: tokens may go negative, and each waiting request pushes the next one 1/qps later.
   */
  reserve(now: number): number {
    const tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps) - 1;
    this.tokens = tokens;
    this.last = now;
    return tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / this.qps);
  }
}
