/** Latency summary of a set of samples (ms). */
export interface Percentiles {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

/**
 * p50 / p90 / p99 / max by the nearest-rank method (the smallest sample with at least p% of samples at or
 * below it), so every reported figure is a sample that occurred. Nulls when there are no samples.
 */
export function percentiles(samples: readonly number[]): Percentiles {
  const n = samples.length;
  if (n === 0) return { count: 0, p50: null, p90: null, p99: null, max: null };
  const s = Float64Array.from(samples).sort();
  const rank = (p: number) => s[Math.max(0, Math.ceil((p / 100) * n) - 1)];
  return { count: n, p50: rank(50), p90: rank(90), p99: rank(99), max: s[n - 1] };
}
