import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTimestamp, InstanceLog, instanceLines, type Horizon, type InstanceRecords, type LogLine } from "../src/logs/lines.js";
import type { LogTemplate } from "../src/logs/records.js";

const names = { pod: "web-1", namespace: "default" };
const closed = (at: number): Horizon => ({ at, closed: true });
const open = (at: number): Horizon => ({ at, closed: false });

function inst(start: number, log: LogTemplate | undefined, more: Partial<InstanceRecords> = {}): InstanceRecords {
  return { id: 1, uid: "u", container: "app", restart: 0, start, ...(log ? { log } : {}), ...more };
}

/** The spec's rules written the slow way: every line, sorted, then tail, then since. */
function reference(i: InstanceRecords, h: Horizon, tail = -1, since?: number): LogLine[] {
  const shown = (t: number) => (h.closed ? t <= h.at : t < h.at);
  const log = i.log ?? {};
  const all: { at: number; rank: number; text: string }[] = [];
  const sub = (t: string, n: string, exit?: { exitCode: number; reason: string }) =>
    t
      .replaceAll("{n}", n)
      .replaceAll("{pod}", names.pod)
      .replaceAll("{namespace}", names.namespace)
      .replaceAll("{container}", i.container)
      .replaceAll("{restart}", String(i.restart))
      .replaceAll("{exitCode}", exit ? String(exit.exitCode) : "")
      .replaceAll("{reason}", exit ? exit.reason : "");
  if (log.start !== undefined) all.push({ at: i.start, rank: 0, text: sub(log.start, "") });
  if (log.ready !== undefined && i.ready !== undefined) all.push({ at: i.ready, rank: 1, text: sub(log.ready, "") });
  if (log.line !== undefined && log.every) {
    for (let n = 1; ; n++) {
      const t = i.start + n * log.every;
      if ((i.end && t >= i.end.at) || !shown(t)) break;
      all.push({ at: t, rank: 2, text: sub(log.line, String(n)) });
    }
  }
  if (log.exit !== undefined && i.end) all.push({ at: i.end.at, rank: 3, text: sub(log.exit, "", i.end) });
  const lines = all.filter((l) => shown(l.at)).sort((a, b) => a.at - b.at || a.rank - b.rank);
  const tailed = tail < 0 ? lines : lines.slice(Math.max(0, lines.length - tail));
  return tailed.filter((l) => since === undefined || l.at >= since).map(({ at, text }) => ({ at, text }));
}

describe("the lines of one container instance", () => {
  const tmpl: LogTemplate = { every: 60_000, line: "processed batch {n}", start: "starting {container} in {pod}", ready: "{container} ready", exit: "exiting: {reason} ({exitCode})" };

  it("writes start, ready, a line every period strictly before the end, and the exit line", () => {
    const i = inst(12_000, tmpl, { ready: 15_000, end: { at: 192_000, exitCode: 1, reason: "Error" } });
    expect(instanceLines(i, names, closed(3_600_000))).toEqual([
      { at: 12_000, text: "starting app in web-1" },
      { at: 15_000, text: "app ready" },
      { at: 72_000, text: "processed batch 1" },
      { at: 132_000, text: "processed batch 2" },
      // 192000 = 12000 + 3*60000 is the end: no periodic line there, the exit line instead
      { at: 192_000, text: "exiting: Error (1)" },
    ]);
  });

  it("orders lines at the same instant start < ready < periodic < exit", () => {
    // ready at the first periodic line's time; the container ends on the second's.
    const i = inst(0, { every: 10, line: "p{n}", start: "s", ready: "r", exit: "x" }, { ready: 10, end: { at: 20, exitCode: 0, reason: "Completed" } });
    expect(instanceLines(i, names, closed(100)).map((l) => `${l.at}:${l.text}`)).toEqual(["0:s", "10:r", "10:p1", "20:x"]);
    // ready at the start instant
    const j = inst(0, { every: 10, line: "p{n}", start: "s", ready: "r" }, { ready: 0 });
    expect(instanceLines(j, names, closed(10)).map((l) => `${l.at}:${l.text}`)).toEqual(["0:s", "0:r", "10:p1"]);
  });

  it("fills in every known variable, empties those with no value on a line, and keeps unknown ones", () => {
    const i = inst(0, { every: 5, line: "{n}/{restart}/{namespace}/{exitCode}{reason}/{x}", start: "n={n} {unknown}", exit: "{container} {exitCode} {reason} {n}" }, { restart: 3, end: { at: 10, exitCode: 137, reason: "OOMKilled" } });
    expect(instanceLines(i, names, closed(10)).map((l) => l.text)).toEqual(["n= {unknown}", "1/3/default//{x}", "app 137 OOMKilled "]);
  });

  it("a run in progress shows only the lines before its last time mark; a finished run those at its end too", () => {
    const i = inst(0, { every: 1000, line: "tick {n}" });
    expect(instanceLines(i, names, open(3000)).map((l) => l.text)).toEqual(["tick 1", "tick 2"]);
    expect(instanceLines(i, names, closed(3000)).map((l) => l.text)).toEqual(["tick 1", "tick 2", "tick 3"]);
  });

  it("a container that writes nothing has no lines", () => {
    expect(instanceLines(inst(0, undefined, { end: { at: 5, exitCode: 0, reason: "Completed" } }), names, closed(10))).toEqual([]);
  });

  it("--tail picks the last lines of a long-running container without expanding the others", () => {
    // An instance running for a year, one line a millisecond: 3e10 lines, of which only the last 3 are built.
    const i = inst(0, { every: 1, line: "l{n}", start: "s" });
    const log = new InstanceLog(i, names, closed(31_536_000_000));
    expect(log.count).toBe(31_536_000_001);
    expect(log.select({ tail: 3 }).map((l) => l.text)).toEqual(["l31535999998", "l31535999999", "l31536000000"]);
    expect(log.select({ tail: 0 })).toEqual([]);
    // --since alone also starts where it must
    expect(log.select({ since: 31_535_999_999 }).map((l) => l.text)).toEqual(["l31535999999", "l31536000000"]);
  });

  it("--tail counts the lines first, then --since drops the older of those (the kubelet's order)", () => {
    const i = inst(0, { every: 10, line: "l{n}" });
    expect(instanceLines(i, names, closed(100), { tail: 5, since: 75 }).map((l) => l.text)).toEqual(["l8", "l9", "l10"]);
    expect(instanceLines(i, names, closed(100), { tail: 2, since: 0 }).map((l) => l.text)).toEqual(["l9", "l10"]);
  });

  it("the fast path equals full expansion then slicing, for any instance, horizon, tail and since", () => {
    const arb = fc.record({
      start: fc.integer({ min: 0, max: 1000 }),
      every: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
      hasStart: fc.boolean(),
      hasReady: fc.boolean(),
      readyAfter: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
      endAfter: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
      hasExit: fc.boolean(),
      horizonAfter: fc.integer({ min: 0, max: 4000 }),
      closed: fc.boolean(),
      tail: fc.integer({ min: -1, max: 40 }),
      since: fc.option(fc.integer({ min: -100, max: 5000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const end = a.endAfter === undefined ? undefined : a.start + a.endAfter;
        const ready = a.readyAfter === undefined ? undefined : Math.min(a.start + a.readyAfter, end ?? Infinity);
        const log: LogTemplate = {
          ...(a.every !== undefined ? { every: a.every, line: "line {n}" } : {}),
          ...(a.hasStart ? { start: "start" } : {}),
          ...(a.hasReady ? { ready: "ready" } : {}),
          ...(a.hasExit ? { exit: "exit {exitCode}" } : {}),
        };
        const i = inst(a.start, log, { ...(ready !== undefined ? { ready } : {}), ...(end !== undefined ? { end: { at: end, exitCode: 2, reason: "Error" } } : {}) });
        const h = { at: a.start + a.horizonAfter, closed: a.closed };
        expect(instanceLines(i, names, h, { tail: a.tail, since: a.since })).toEqual(reference(i, h, a.tail, a.since));
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});

describe("--timestamps", () => {
  it("prints the kubelet's RFC3339NanoFixed time in UTC", () => {
    const start = Date.parse("2026-01-01T00:00:00Z");
    expect(formatTimestamp(start, 0)).toBe("2026-01-01T00:00:00.000000000Z");
    expect(formatTimestamp(start, 3_723_004)).toBe("2026-01-01T01:02:03.004000000Z");
  });
});
