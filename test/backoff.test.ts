import { describe, expect, it } from "vitest";
import { Backoff, defaultHasExpired, doBackOff, kubeletCrashLoopHasExpired, restartDelay } from "../src/kubelet/containers/backoff.js";

const S = 1_000;
const KEY = "web-0_default_uid-1_app_hash";

/**
 * A container that runs `runForMs` after each start, with a 1 s start latency, restarted by a kubelet that syncs the
 * pod at each exit and again when its backoff ends (doBackOff at each sync), from a start at `firstStartMs`.
 * Returns one row per exit.
 */
function crashLoop(backoff: Backoff, runsForMs: readonly number[], firstStartMs = 0) {
  const rows: { finishedAt: number; delay: number; restartAt: number; backoffAfter: number }[] = [];
  let startAt = firstStartMs; // a first start has no exited container, so doBackOff does not touch the backoff
  for (const runFor of runsForMs) {
    const finishedAt = startAt + 1 * S + runFor;
    const delay = doBackOff(backoff, KEY, finishedAt, finishedAt);
    if (delay > 0) expect(doBackOff(backoff, KEY, finishedAt, finishedAt + delay)).toBe(0); // the sync at the end of the wait
    startAt = finishedAt + delay;
    rows.push({ finishedAt, delay, restartAt: startAt, backoffAfter: backoff.get(KEY) });
  }
  return rows;
}

describe("CrashLoopBackOff (kuberuntime_manager.go doBackOff over flowcontrol.Backoff(10s, 300s))", () => {
  it("a container exiting 20 s after each start waits 0, 10, 20, 40, 80, 160, 300, 300 s", () => {
    expect(crashLoop(new Backoff(10 * S, 300 * S), Array(8).fill(20 * S))).toEqual([
      // exit 1 at 0 + 1 + 20 = 21 s: no entry, restart now; Next -> 10 s
      { finishedAt: 21 * S, delay: 0, restartAt: 21 * S, backoffAfter: 10 * S },
      // 21 + 1 + 20 = 42 s: 42 - 42 < 10, wait until 52 s; Next -> 20 s
      { finishedAt: 42 * S, delay: 10 * S, restartAt: 52 * S, backoffAfter: 20 * S },
      // 52 + 21 = 73 s: wait 20 s; Next -> 40 s
      { finishedAt: 73 * S, delay: 20 * S, restartAt: 93 * S, backoffAfter: 40 * S },
      { finishedAt: 114 * S, delay: 40 * S, restartAt: 154 * S, backoffAfter: 80 * S },
      { finishedAt: 175 * S, delay: 80 * S, restartAt: 255 * S, backoffAfter: 160 * S },
      // 160 * 2 = 320 -> capped at 300 s
      { finishedAt: 276 * S, delay: 160 * S, restartAt: 436 * S, backoffAfter: 300 * S },
      { finishedAt: 457 * S, delay: 300 * S, restartAt: 757 * S, backoffAfter: 300 * S },
      { finishedAt: 778 * S, delay: 300 * S, restartAt: 1078 * S, backoffAfter: 300 * S },
    ]);
  });

  it("starts over after a run longer than 600 s, counted from the restart decision", () => {
    const b = new Backoff(10 * S, 300 * S);
    crashLoop(b, Array(8).fill(20 * S)); // ends restarting at 1078 s with backoff 300 s, lastUpdate 1078 s
    expect(b.entry(KEY)).toEqual({ backoffMs: 300 * S, lastUpdateMs: 1078 * S });
    // Runs 599.001 s after a 1 s start: finishedAt 1678.001 s, 1678.001 - 1078 = 600.001 s > 2 * 300 s: expired, so
    // not in backoff (restart now) and Next starts over at 10 s; the next quick crash waits 10 s.
    const rows = crashLoop(b, [599_001, 20 * S], 1078 * S);
    expect(rows).toEqual([
      { finishedAt: 1_678_001, delay: 0, restartAt: 1_678_001, backoffAfter: 10 * S },
      { finishedAt: 1_699_001, delay: 10 * S, restartAt: 1_709_001, backoffAfter: 20 * S },
    ]);
  });

  it("does not start over after exactly 600 s (hasExpired is strict)", () => {
    const b = new Backoff(10 * S, 300 * S);
    crashLoop(b, Array(8).fill(20 * S));
    // 1078 + 1 + 599 = 1678 s: 1678 - 1078 = 600 s, not > 600 s: still backing off 300 s, and Next stays at 300 s.
    expect(crashLoop(b, [599 * S], 1078 * S)).toEqual([{ finishedAt: 1678 * S, delay: 300 * S, restartAt: 1978 * S, backoffAfter: 300 * S }]);
  });

  it("the kubelet's 600 s expiry holds with a lower maximum (ReduceDefaultCrashLoopBackOffDecay: 1 s to 60 s)", () => {
    const runs = [20 * S, 20 * S, 20 * S, 20 * S, 20 * S, 20 * S, 20 * S, 200 * S];
    // Exits at 21, 42, 64, 87, 112, 141, 178 s wait 0, 1, 2, 4, 8, 16, 32 s; the restart at 178 + 32 = 210 s moves
    // the delay to min(64, 60) = 60 s. The 200 s run ends at 210 + 1 + 200 = 411 s: 411 - 210 = 201 s since then,
    // past client-go's 2 * 60 = 120 s (reset, restart now) but not past the kubelet's 600 s (wait 60 s).
    const kubelet = crashLoop(new Backoff(1 * S, 60 * S, kubeletCrashLoopHasExpired), runs);
    const clientGo = crashLoop(new Backoff(1 * S, 60 * S), runs);
    expect(kubelet.map((r) => r.delay)).toEqual([0, 1, 2, 4, 8, 16, 32, 60].map((s) => s * S)); // min(64, 60) = 60
    expect(clientGo.map((r) => r.delay)).toEqual([0, 1, 2, 4, 8, 16, 32, 0].map((s) => s * S)); // 201 s > 120 s: reset
  });
});

describe("restartDelay", () => {
  it.each([
    // backoff 20 s from Next at 52 s; exit at 73 s
    [73 * S, 20 * S], // just exited: 73 + 20 - 73
    [80 * S, 13 * S], // 73 + 20 - 80
    [93 * S - 1, 1], // 93 s - 1 ms - 73 s = 19.999 s < 20 s: 1 ms left
    [93 * S, 0], // 93 - 73 = 20 s, not < 20 s: restart now (Clock.Since(finishedAt) < backoff is strict)
    [500 * S, 0],
  ])("at %d ms it is %d ms", (now, delay) => {
    const b = new Backoff(10 * S, 300 * S);
    b.next(KEY, 21 * S, 21 * S);
    b.next(KEY, 42 * S, 52 * S);
    expect(restartDelay(b, KEY, 73 * S, now)).toBe(delay);
    expect(b.entry(KEY)).toEqual({ backoffMs: 20 * S, lastUpdateMs: 52 * S }); // a query: nothing moved
  });

  it("is 0 for a container never backed off", () => {
    expect(restartDelay(new Backoff(10 * S, 300 * S), KEY, 5 * S, 5 * S)).toBe(0);
  });
});

describe("Backoff", () => {
  it("next: starts at initial, doubles, caps at max", () => {
    const b = new Backoff(10 * S, 300 * S);
    expect(b.get(KEY)).toBe(0); // Get without an entry
    const seen: number[] = [];
    for (let i = 0; i < 7; i++) {
      b.next(KEY, i * S, i * S);
      seen.push(b.get(KEY) / S);
    }
    expect(seen).toEqual([10, 20, 40, 80, 160, 300, 300]);
  });

  it("next: lastUpdate is now, not the event time", () => {
    const b = new Backoff(10 * S, 300 * S);
    expect(b.lastUpdate(KEY)).toBeUndefined();
    b.next(KEY, 5 * S, 42 * S);
    expect(b.entry(KEY)).toEqual({ backoffMs: 10 * S, lastUpdateMs: 42 * S });
    expect(b.lastUpdate(KEY)).toBe(42 * S);
  });

  it("next: an expired entry starts over (eventTime - lastUpdate > 2 * max)", () => {
    const b = new Backoff(10 * S, 300 * S);
    b.next(KEY, 0, 0);
    b.next(KEY, 0, 0); // 20 s
    b.next(KEY, 600 * S, 600 * S); // 600 - 0 = 600 s, not > 600 s: doubles to 40 s, lastUpdate 600 s
    expect(b.get(KEY)).toBe(40 * S);
    b.next(KEY, 1_200_001, 1_200_001); // 1200.001 - 600 = 600.001 s > 600 s: back to 10 s
    expect(b.get(KEY)).toBe(10 * S);
  });

  it("like upstream, the initial delay is not capped by the maximum", () => {
    const b = new Backoff(10 * S, 5 * S);
    b.next(KEY, 0, 0);
    expect(b.get(KEY)).toBe(10 * S); // initEntryUnsafe sets defaultDuration as is
    b.next(KEY, 0, 0);
    expect(b.get(KEY)).toBe(5 * S); // min(20, 5)
  });

  it("isInBackOffSince: now - eventTime < backoff, false without or with an expired entry", () => {
    const b = new Backoff(10 * S, 300 * S);
    expect(b.isInBackOffSince(KEY, 0, 0)).toBe(false); // no entry
    b.next(KEY, 0, 0);
    expect(b.isInBackOffSince(KEY, 0, 9_999)).toBe(true); // 9.999 s < 10 s
    expect(b.isInBackOffSince(KEY, 0, 10 * S)).toBe(false); // 10 s, not < 10 s
    expect(b.isInBackOffSince(KEY, 600 * S, 600 * S)).toBe(true); // 600 - 0 = 600 s: not expired
    expect(b.isInBackOffSince(KEY, 600_001, 600_001)).toBe(false); // 600.001 s > 2 * 300 s: expired
  });

  it("isInBackOffSinceUpdate: the image manager's ImagePullBackOff", () => {
    // image_manager.go: IsInBackOffSinceUpdate(key, now) before a pull; Next(key, now) after a failed one.
    const b = new Backoff(10 * S, 300 * S);
    const pulls: number[] = [];
    for (let now = 0; now <= 80 * S; now += 5 * S) {
      if (b.isInBackOffSinceUpdate(KEY, now)) continue; // ErrImagePullBackOff
      pulls.push(now / S);
      b.next(KEY, now, now); // the pull failed
    }
    // 0 (-> 10 s), 10 (10 - 0 = 10, not < 10; -> 20 s), 30 (-> 40 s), 70 (-> 80 s)
    expect(pulls).toEqual([0, 10, 30, 70]);
  });

  it("reset and delete forget an id; gc forgets expired ids in order", () => {
    const b = new Backoff(10 * S, 300 * S);
    b.next("a", 0, 0);
    b.next("a", 0, 0);
    b.reset("a");
    expect(b.get("a")).toBe(0);
    b.next("a", 0, 0);
    expect(b.get("a")).toBe(10 * S); // starts over
    b.delete("a");
    expect(b.entry("a")).toBeUndefined();
    b.next("x", 0, 0);
    b.next("y", 100 * S, 100 * S);
    b.gc(600 * S); // 600 - 0 = 600 s: not expired
    expect(b.size).toBe(2);
    b.gc(600_001); // x: 600.001 s > 600 s; y: 500.001 s
    expect([b.entry("x"), b.get("y")]).toEqual([undefined, 10 * S]);
  });

  it("defaultHasExpired is client-go's 2 * max; the kubelet's crash-loop expiry is 600 s flat", () => {
    expect(defaultHasExpired(600 * S, 0, 300 * S)).toBe(false);
    expect(defaultHasExpired(600_001, 0, 300 * S)).toBe(true);
    expect(kubeletCrashLoopHasExpired(600_001, 0, 60 * S)).toBe(true);
    expect(kubeletCrashLoopHasExpired(600 * S, 0, 60 * S)).toBe(false);
  });

  it.each([
    [-1, 300 * S, "initialMs must be a finite duration >= 0 ms, got -1"],
    [10 * S, Infinity, "maxMs must be a finite duration >= 0 ms, got Infinity"],
    [NaN, 300 * S, "initialMs must be a finite duration >= 0 ms, got NaN"],
  ])("refuses initial %d, max %d", (initial, max, message) => {
    expect(() => new Backoff(initial, max)).toThrow(new RangeError(message));
  });
});
