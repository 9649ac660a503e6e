/**
 * Per-key exponential backoff: client-go's flowcontrol.Backoff (k8s.io/client-go/util/flowcontrol/backoff.go) as
 * the kubelet uses it for CrashLoopBackOff (pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff) and image
 * pulls (pkg/kubelet/images/image_manager.go). Times are ms of virtual time; upstream reads its Clock, here the
 * caller passes `nowMs`.
 *
 * NOTE: no jitter. The kubelet builds both backoffs with flowcontrol.NewBackOff, whose maxJitterFactor is 0, so
 * upstream's jitter() adds nothing there either.
 */

/** One key's state (upstream backoffEntry): the current delay, and when `next` last moved it (Clock.Now()). */
export interface BackoffEntry {
  readonly backoffMs: number;
  readonly lastUpdateMs: number;
}

/**
 * Whether an entry is stale and starts over (upstream Backoff.HasExpiredFunc): `eventTimeMs` against the entry's
 * `lastUpdateMs`, given the backoff's `maxMs`.
 */
export type HasExpired = (eventTimeMs: number, lastUpdateMs: number, maxMs: number) => boolean;

/**
 * client-go's default: an entry expires when `eventTime - lastUpdate > 2 * maxDuration` ("consider stable if it's
 * ok for twice the maxDuration"). The kubelet's CrashLoopBackOff sets `eventTime - lastUpdate > 600s` instead,
 * which is the same for its default maxDuration of 300 s.
 */
export const defaultHasExpired: HasExpired = (eventTimeMs, lastUpdateMs, maxMs) => eventTimeMs - lastUpdateMs > 2 * maxMs;

/**
 * The kubelet's CrashLoopBackOff expiry (pkg/kubelet/kubelet.go NewMainKubelet sets crashLoopBackOff.HasExpiredFunc):
 * an entry starts over once `eventTime - lastUpdate > 600 s`, whatever the maximum delay (with the default 300 s
 * maximum that is client-go's 2 * max; with a lower configured maximum it is not).
 */
export const kubeletCrashLoopHasExpired: HasExpired = (eventTimeMs, lastUpdateMs) => eventTimeMs - lastUpdateMs > 600_000;

/**
 * flowcontrol.Backoff: per id, a delay that starts at `initialMs`, doubles on each `next` up to `maxMs`, and starts
 * over once an entry has expired. Ids are kept in a Map (insertion order), so `gc` is deterministic.
 */
export class Backoff {
  private readonly entries = new Map<string, { backoffMs: number; lastUpdateMs: number }>();

  /**
   * NewBackOff(initial, max) in ms. `hasExpired` is upstream's HasExpiredFunc (default: 2 * max). Like upstream,
   * `initialMs` is not capped by `maxMs`: the first delay is `initialMs` even if it is larger (the kubelet lowers
   * its initial delay itself when its configured maximum is below 10 s).
   * Throws RangeError on a negative or non-finite duration.
   */
  constructor(
    readonly initialMs: number,
    readonly maxMs: number,
    private readonly hasExpired: HasExpired = defaultHasExpired,
  ) {
    for (const [name, v] of [["initialMs", initialMs], ["maxMs", maxMs]] as const) {
      if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`${name} must be a finite duration >= 0 ms, got ${v}`);
    }
  }

  /** Backoff.Get: the id's current delay in ms, 0 if it has no entry. */
  get(id: string): number {
    return this.entries.get(id)?.backoffMs ?? 0;
  }

  /** When `next` last moved the id's delay (the entry's lastUpdate), ms; undefined without an entry. With `get`, it
   *  gives when IsInBackOffSinceUpdate turns false: `lastUpdate(id) + get(id)`. */
  lastUpdate(id: string): number | undefined {
    return this.entries.get(id)?.lastUpdateMs;
  }

  /** The id's entry, if any (for reports and tests; upstream keeps it private). */
  entry(id: string): BackoffEntry | undefined {
    const e = this.entries.get(id);
    return e === undefined ? undefined : { backoffMs: e.backoffMs, lastUpdateMs: e.lastUpdateMs };
  }

  /**
   * Backoff.Next(id, eventTime): without an entry, or with one that has expired at `eventTimeMs`, the delay becomes
   * `initialMs`; otherwise it doubles, capped at `maxMs`. Either way lastUpdate becomes `nowMs` (upstream
   * Clock.Now(), not eventTime: the expiry clock runs from when the delay was last moved).
   */
  next(id: string, eventTimeMs: number, nowMs: number): void {
    const e = this.entries.get(id);
    if (e === undefined || this.hasExpired(eventTimeMs, e.lastUpdateMs, this.maxMs)) {
      this.entries.set(id, { backoffMs: this.initialMs, lastUpdateMs: nowMs });
      return;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdateMs = nowMs;
  }

  /**
   * Backoff.IsInBackOffSince(id, eventTime): whether `nowMs` is still within the id's delay counted from
   * `eventTimeMs` (`now - eventTime < backoff`, strict). False without an entry, or when the entry has expired at
   * `eventTimeMs`.
   */
  isInBackOffSince(id: string, eventTimeMs: number, nowMs: number): boolean {
    const e = this.entries.get(id);
    if (e === undefined || this.hasExpired(eventTimeMs, e.lastUpdateMs, this.maxMs)) return false;
    return nowMs - eventTimeMs < e.backoffMs;
  }

  /**
   * Backoff.IsInBackOffSinceUpdate(id, eventTime): whether `eventTimeMs` is within the id's delay counted from its
   * last update (`eventTime - lastUpdate < backoff`). The image manager asks this with eventTime = now, after a
   * failed pull called `next(id, now, now)`.
   */
  isInBackOffSinceUpdate(id: string, eventTimeMs: number): boolean {
    const e = this.entries.get(id);
    if (e === undefined || this.hasExpired(eventTimeMs, e.lastUpdateMs, this.maxMs)) return false;
    return eventTimeMs - e.lastUpdateMs < e.backoffMs;
  }

  /** Backoff.Reset: forgets the id, so its next delay starts at `initialMs`. */
  reset(id: string): void {
    this.entries.delete(id);
  }

  /** Backoff.DeleteEntry: the same as `reset` (upstream has both). */
  /** Forgets every entry (the kubelet restarted: its back-offs lived in memory). */
  clear(): void {
    this.entries.clear();
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  /** Backoff.GC: forgets every entry that has expired at `nowMs`; users call it periodically. */
  gc(nowMs: number): void {
    for (const [id, e] of this.entries) if (this.hasExpired(nowMs, e.lastUpdateMs, this.maxMs)) this.entries.delete(id);
  }

  /** How many ids have an entry. */
  get size(): number {
    return this.entries.size;
  }
}

/**
 * The ms until the kubelet may restart an exited container, 0 if it may now: doBackOff's decision, without its
 * side effect. In backoff (IsInBackOffSince(key, finishedAt): `now - finishedAt < backoff`) the restart waits until
 * `finishedAt + backoff`; otherwise it may restart now. When this is 0 and the kubelet restarts, it must call
 * `backoff.next(id, finishedAtMs, nowMs)` as doBackOff does (or call `doBackOff`).
 */
export function restartDelay(backoff: Backoff, id: string, finishedAtMs: number, nowMs: number): number {
  if (!backoff.isInBackOffSince(id, finishedAtMs, nowMs)) return 0;
  return finishedAtMs + backoff.get(id) - nowMs;
}

/**
 * kuberuntime_manager.go doBackOff for an exited container: if it is in backoff since `finishedAtMs`, returns the
 * ms left (the kubelet reports CrashLoopBackOff, "back-off <Get(id)> restarting failed container", and does not
 * start it); otherwise calls `next(id, finishedAtMs, nowMs)` and returns 0 (the kubelet starts it now).
 */
export function doBackOff(backoff: Backoff, id: string, finishedAtMs: number, nowMs: number): number {
  const wait = restartDelay(backoff, id, finishedAtMs, nowMs);
  if (wait === 0) backoff.next(id, finishedAtMs, nowMs);
  return wait;
}
