/**
 * A token bucket as client-go's flowcontrol.NewTokenBucketRateLimiter (golang.org/x/time/rate): `qps` tokens per
 * second up to `burst`, starting full. qps <= 0 gives a limiter that never accepts (NewFakeNeverRateLimiter).
 * Time is virtual ms, passed in, so the bucket is a pure function of the call times.
 */
export class TokenBucket {
  // Tokens are counted in millionths, as integers, so 100 refills of 0.01 make exactly one token.
  private micro: number;
  private last: number;

  constructor(readonly qps: number, readonly burst: number, now: number) {
    this.micro = burst * MICRO;
    this.last = now;
  }

  /** Takes a token if one is available at `now`. */
  tryAccept(now: number): boolean {
    if (this.qps <= 0) return false;
    // One ms adds qps / 1000 tokens = qps x 1000 millionths.
    this.micro = Math.min(this.burst * MICRO, this.micro + Math.round((now - this.last) * this.qps * 1000));
    this.last = now;
    if (this.micro >= MICRO) {
      this.micro -= MICRO;
      return true;
    }
    return false;
  }
}

const MICRO = 1_000_000;
