/**
 * Runs of equal probe results on a probe grid, answered arithmetically (no loop over probes): when does a container's
 * probe first give `count` consecutive failures (or successes)? Mirrors the kubelet's prober worker
 * (pkg/kubelet/prober/worker.go): its ticker fires at `anchorMs + k * periodMs` (k = 0, 1, 2, ...; the first probe
 * runs at once when the worker starts, in prober_manager AddPod), doProbe skips a tick while the container is within
 * initialDelaySeconds of its start or, for readiness and liveness, until the startup probe has passed, and the
 * result changes once `resultRun` reaches successThreshold / failureThreshold.
 *
 * A container may run for a simulated day with a 1 s period, so everything here is O(w log w) in the number w of
 * failure windows: each window becomes a half-open range of probe indices, ranges that overlap or touch in index
 * space merge (two windows with no grid point between them are one run of failures), and success runs are the gaps
 * between them.
 */

/** A span of a container's life in which its probe fails: [fromMs, untilMs), ms relative to the container's start. */
export interface FailureWindow {
  readonly fromMs: number;
  /** Infinity: until the container ends. */
  readonly untilMs: number;
}

/** What a probe answers: upstream results.Failure or results.Success. */
export type ProbeOutcome = "failure" | "success";

/** A question for `firstRun`: one probe's grid and eligibility, the container's failure windows, the run sought. */
export interface ProbeRunQuery {
  /** When the worker's ticker started (its first probe), ms. */
  readonly anchorMs: number;
  /** periodSeconds * 1000, > 0. */
  readonly periodMs: number;
  /** When the container started running (status.state.running.startedAt), ms. */
  readonly startedAtMs: number;
  /** initialDelaySeconds * 1000, >= 0: a probe counts only if `t - startedAtMs >= initialDelayMs`. */
  readonly initialDelayMs: number;
  /** A probe counts only if `t > gateMs`: when the startup probe passed, for readiness and liveness; -Infinity
   *  when nothing gates the probe. */
  readonly gateMs: number;
  /** When the probe fails, relative to `startedAtMs`; any order, may overlap or touch; empty ones are ignored. */
  readonly windows: readonly FailureWindow[];
  /** The outcome of the run sought. */
  readonly outcome: ProbeOutcome;
  /** How many consecutive counted probes make the run (the probe's successThreshold or failureThreshold), >= 1. */
  readonly count: number;
  /** Only probes at `t > afterMs` are considered (the run starts fresh after it); -Infinity for all. */
  readonly afterMs: number;
  /** Only probes at `t < endMs` are considered: when the container stops; Infinity if it does not. */
  readonly endMs: number;
}

/** The time of probe `k` on the grid, ms. */
export function probeTime(anchorMs: number, periodMs: number, k: number): number {
  return anchorMs + k * periodMs;
}

/**
 * The index of the first probe at or after `tMs`: the least k >= 0 with `anchorMs + k * periodMs >= tMs`
 * (0 for tMs = -Infinity, Infinity for tMs = Infinity). Exact for safe-integer times: the quotient's estimate is
 * corrected against probeTime itself, so it agrees with a probe-by-probe comparison even where division rounds.
 */
export function probeIndexAtOrAfter(anchorMs: number, periodMs: number, tMs: number): number {
  if (tMs === Infinity) return Infinity;
  if (tMs <= anchorMs) return 0; // also -Infinity
  let k = Math.ceil((tMs - anchorMs) / periodMs);
  // The rounded quotient is off by at most one for safe-integer times; bounded steps cannot hang on unsafe ones.
  for (let i = 0; i < 2 && probeTime(anchorMs, periodMs, k) < tMs; i++) k++;
  for (let i = 0; i < 2 && k > 0 && probeTime(anchorMs, periodMs, k - 1) >= tMs; i++) k--;
  return k;
}

/** The index of the first probe strictly after `tMs`: the least k >= 0 with `anchorMs + k * periodMs > tMs`. */
export function probeIndexAfter(anchorMs: number, periodMs: number, tMs: number): number {
  if (tMs === Infinity) return Infinity;
  if (tMs < anchorMs) return 0; // also -Infinity
  let k = Math.floor((tMs - anchorMs) / periodMs) + 1;
  for (let i = 0; i < 2 && probeTime(anchorMs, periodMs, k) <= tMs; i++) k++;
  for (let i = 0; i < 2 && k > 0 && probeTime(anchorMs, periodMs, k - 1) > tMs; i++) k--;
  return k;
}

/**
 * The time of the probe that completes the first run of `q.count` consecutive counted probes with outcome
 * `q.outcome`, among the probes at `afterMs < t < endMs`; undefined if there is none.
 *
 * A probe at t counts if the container is running and past its initial delay (`t - startedAtMs >= initialDelayMs`)
 * and past the gate (`t > gateMs`). Upstream (worker.go doProbe) skips a probe while
 * `int32(time.Since(StartedAt).Seconds()) < InitialDelaySeconds`: for an elapsed time e >= 0 s, the int32
 * conversion truncates to floor(e), and floor(e) < D <=> e < D for an integer D, so a probe counts exactly when
 * e >= D s, i.e. `t - startedAtMs >= D * 1000` on whole ms (for any e >= 0, not only whole seconds). Skipped probes
 * neither count nor break a run; as every condition is a lower bound on t, the counted probes are one contiguous
 * range of indices [lo, hi). A probe fails iff `fromMs <= t - startedAtMs < untilMs` for some window.
 *
 * Throws RangeError when periodMs is not > 0 and finite, initialDelayMs < 0, or count is not an integer >= 1.
 */
export function firstRun(q: ProbeRunQuery): number | undefined {
  if (!(q.periodMs > 0 && Number.isFinite(q.periodMs))) throw new RangeError(`periodMs must be > 0 and finite, got ${q.periodMs}`);
  if (!(q.initialDelayMs >= 0)) throw new RangeError(`initialDelayMs must be >= 0, got ${q.initialDelayMs}`);
  if (!(Number.isInteger(q.count) && q.count >= 1)) throw new RangeError(`count must be an integer >= 1, got ${q.count}`);
  const { anchorMs: a, periodMs: p } = q;
  const lo = Math.max(
    probeIndexAtOrAfter(a, p, q.startedAtMs + q.initialDelayMs),
    probeIndexAfter(a, p, q.gateMs),
    probeIndexAfter(a, p, q.afterMs),
  );
  const hi = probeIndexAtOrAfter(a, p, q.endMs);
  if (!(lo < hi)) return undefined;
  const failing = failureRanges(q, lo, hi);
  const at = (k: number): number => probeTime(a, p, k);
  if (q.outcome === "failure") {
    for (const [from, until] of failing) if (until - from >= q.count) return at(from + q.count - 1);
    return undefined;
  }
  // Success runs: the gaps between failure ranges, and the tail up to hi (Infinity - x >= count holds).
  let from = lo;
  for (const [start, until] of failing) {
    if (start - from >= q.count) return at(from + q.count - 1);
    from = until;
  }
  return hi - from >= q.count ? at(from + q.count - 1) : undefined;
}

/**
 * The failing probes among the indices [lo, hi) as disjoint, sorted, non-adjacent half-open index ranges: each
 * window [from, until) after the start holds the probes with indices [first at or after start + from, first at or
 * after start + until); ranges that overlap or touch are merged, so a range is a maximal run of failures.
 */
function failureRanges(q: ProbeRunQuery, lo: number, hi: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (const w of q.windows) {
    if (Number.isNaN(w.fromMs) || Number.isNaN(w.untilMs)) throw new RangeError(`failure window [${w.fromMs}, ${w.untilMs}) is not a pair of numbers`);
    const from = Math.max(lo, probeIndexAtOrAfter(q.anchorMs, q.periodMs, q.startedAtMs + w.fromMs));
    const until = Math.min(hi, probeIndexAtOrAfter(q.anchorMs, q.periodMs, q.startedAtMs + w.untilMs));
    if (from < until) ranges.push([from, until]);
  }
  ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}
