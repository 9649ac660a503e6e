import { describe, expect, it } from "vitest";
import { goParseDuration } from "../src/engine/go-text.js";
import {
  mostRecentScheduleTime,
  nextScheduleTimeDuration,
  scheduleTimeToRun,
  SCHEDULE_INTERVAL_ERROR,
  TOO_MANY_MISSED_TIMES_MESSAGE,
} from "../src/controllers/cronjob/most-recent.js";
import { nextScheduleTime, parseCronSchedule, parseStandard, type CronSchedule } from "../src/cron/schedule.js";
import { goDate, offsetMs } from "../src/cron/wall-clock.js";

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString().replace(".000Z", "Z"));

function schedule(spec: string, timeZone?: string): CronSchedule {
  const r = parseCronSchedule(spec, timeZone);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("; "));
  return r.schedule;
}

/** The next `n` activations after `after`, each from the previous one, as ISO strings in UTC. */
function nexts(spec: string, timeZone: string | undefined, after: string, n: number): (string | null)[] {
  const s = schedule(spec, timeZone);
  const out: (string | null)[] = [];
  let t: number | null = ms(after);
  for (let i = 0; i < n && t !== null; i++) out.push(iso((t = nextScheduleTime(s, t))));
  return out;
}

type Row = [spec: string, timeZone: string | undefined, after: string, expected: (string | null)[]];

const check = (rows: Row[]) =>
  it.each(rows)("%s in %s after %s", (spec, tz, after, expected) => {
    expect(nexts(spec, tz, after, expected.length)).toEqual(expected);
  });

// 2025-01-01 is a Wednesday; 2025-07-01 a Tuesday; 2025-07-16 a Wednesday.
describe("nextScheduleTime in UTC (no timeZone)", () => {
  check([
    // every 5 minutes: the next multiples of 5 after 00:02:30
    ["*/5 * * * *", undefined, "2025-01-01T00:02:30Z", ["2025-01-01T00:05:00Z", "2025-01-01T00:10:00Z"]],
    // strictly after: 00:00 itself is not returned
    ["0 0 * * *", undefined, "2025-01-01T00:00:00Z", ["2025-01-02T00:00:00Z", "2025-01-03T00:00:00Z"]],
    // starts at the next whole second: 00:00:59.999 -> 00:01:00
    ["* * * * *", undefined, "2025-01-01T00:00:59.999Z", ["2025-01-01T00:01:00Z", "2025-01-01T00:02:00Z"]],
    // weekdays 08:30, after Friday 2025-01-03 09:00: Monday 6th, Tuesday 7th
    ["30 8 * * 1-5", undefined, "2025-01-03T09:00:00Z", ["2025-01-06T08:30:00Z", "2025-01-07T08:30:00Z"]],
    // Sundays of JAN-MAR at noon, after Saturday 2025-03-29: Sunday 30th, then Sunday 2026-01-04 (Jan 1 2026 is a Thursday)
    ["0 12 * JAN-MAR SUN", undefined, "2025-03-29T00:00:00Z", ["2025-03-30T12:00:00Z", "2026-01-04T12:00:00Z"]],
    // "5/20" is 5-59/20: minutes 5, 25, 45
    ["5/20 * * * *", undefined, "2025-01-01T00:00:00Z", ["2025-01-01T00:05:00Z", "2025-01-01T00:25:00Z", "2025-01-01T00:45:00Z", "2025-01-01T01:05:00Z"]],
    // leap days: 2028 and 2032, each within robfig's five-year search
    ["0 0 29 2 *", undefined, "2025-01-01T00:00:00Z", ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"]],
    // February 30th never comes: robfig's zero time, null here
    ["0 0 30 2 *", undefined, "2025-01-01T00:00:00Z", [null]],
    // lists: the 1st and the 15th
    ["0 0 1,15 * *", undefined, "2025-01-10T00:00:00Z", ["2025-01-15T00:00:00Z", "2025-02-01T00:00:00Z"]],
    ["59 23 31 12 *", undefined, "2025-06-01T00:00:00Z", ["2025-12-31T23:59:00Z", "2026-12-31T23:59:00Z"]],
    // an explicit "UTC" zone is the same
    ["0 9 * * *", "UTC", "2025-01-01T10:00:00Z", ["2025-01-02T09:00:00Z"]],
  ]);

  it("*/15 * * * * over 6 hours gives exactly 24 times (00:15 ... 06:00; 6 x 4 = 24)", () => {
    const s = schedule("*/15 * * * *");
    const times: number[] = [];
    for (let t = nextScheduleTime(s, ms("2025-01-01T00:00:00Z"))!; t <= ms("2025-01-01T06:00:00Z"); t = nextScheduleTime(s, t)!) times.push(t);
    expect(times).toHaveLength(24);
    expect(iso(times[0]!)).toBe("2025-01-01T00:15:00Z");
    expect(iso(times[23]!)).toBe("2025-01-01T06:00:00Z");
  });
});

describe("descriptors (parser.go parseDescriptor), after Wednesday 2025-07-16 10:20:00.750 UTC", () => {
  check([
    ["@hourly", undefined, "2025-07-16T10:20:00.750Z", ["2025-07-16T11:00:00Z"]],
    ["@daily", undefined, "2025-07-16T10:20:00.750Z", ["2025-07-17T00:00:00Z"]],
    ["@midnight", undefined, "2025-07-16T10:20:00.750Z", ["2025-07-17T00:00:00Z"]],
    // @weekly is Sunday 00:00: Sunday the 20th
    ["@weekly", undefined, "2025-07-16T10:20:00.750Z", ["2025-07-20T00:00:00Z"]],
    ["@monthly", undefined, "2025-07-16T10:20:00.750Z", ["2025-08-01T00:00:00Z"]],
    ["@yearly", undefined, "2025-07-16T10:20:00.750Z", ["2026-01-01T00:00:00Z"]],
    ["@annually", undefined, "2025-07-16T10:20:00.750Z", ["2026-01-01T00:00:00Z"]],
    // @every: the time truncated to the second, plus the delay: 10:20:00 + 90 s = 10:21:30, then 10:23:00
    ["@every 90s", undefined, "2025-07-16T10:20:00.750Z", ["2025-07-16T10:21:30Z", "2025-07-16T10:23:00Z"]],
    // 1h30m after 10:20:00
    ["@every 1h30m", undefined, "2025-07-16T10:20:00.750Z", ["2025-07-16T11:50:00Z"]],
    // descriptors take the timeZone: 00:00 CEST (UTC+2) on the 17th is 22:00 UTC on the 16th
    ["@daily", "Europe/Berlin", "2025-07-16T10:20:00Z", ["2025-07-16T22:00:00Z"]],
  ]);

  it.each([
    ["@every 500ms", 1000], // below a second is one second (constantdelay.go Every)
    ["@every 1.5s", 1000], // sub-second parts are truncated
    ["@every -1h", 1000], // negative is below a second
    ["@every 2h45m30s", (2 * 3600 + 45 * 60 + 30) * 1000],
  ])("%s is every %d ms", (spec, delayMs) => {
    expect(schedule(spec)).toEqual({ kind: "every", delayMs });
  });
});

/** spec.go dayMatches: AND when either day field carries the star bit (`*` or `?`, not stepped by more than 1), else OR. */
describe("day-of-month / day-of-week", () => {
  // July 2025: Fridays 4, 11, 18, 25; Mondays 7, 14, 21; the 13th is a Sunday.
  check([
    // both restricted: the 13th OR a Friday
    ["0 0 13 * 5", undefined, "2025-07-01T00:00:00Z", ["2025-07-04T00:00:00Z", "2025-07-11T00:00:00Z", "2025-07-13T00:00:00Z", "2025-07-18T00:00:00Z"]],
    // dow is *: the 13th only
    ["0 0 13 * *", undefined, "2025-07-01T00:00:00Z", ["2025-07-13T00:00:00Z", "2025-08-13T00:00:00Z"]],
    // dom is ?: a star, so Fridays only
    ["0 0 ? * 5", undefined, "2025-07-01T00:00:00Z", ["2025-07-04T00:00:00Z", "2025-07-11T00:00:00Z"]],
    // "*/2" has a step > 1, which clears the star bit in v3.0.1: odd days OR Mondays -> 13 (odd), 14 (Monday), 15 (odd)
    ["0 0 */2 * 1", undefined, "2025-07-12T00:00:00Z", ["2025-07-13T00:00:00Z", "2025-07-14T00:00:00Z", "2025-07-15T00:00:00Z", "2025-07-17T00:00:00Z"]],
    // "*/1" keeps the star bit: Mondays only
    ["0 0 */1 * 1", undefined, "2025-07-12T00:00:00Z", ["2025-07-14T00:00:00Z", "2025-07-21T00:00:00Z"]],
    // "1-31" is not a star: every day OR Mondays = every day
    ["0 0 1-31 * 1", undefined, "2025-07-12T00:00:00Z", ["2025-07-13T00:00:00Z", "2025-07-14T00:00:00Z"]],
  ]);
});

describe("nextScheduleTime in a zone with daylight saving (robfig walks wall time)", () => {
  describe("America/New_York, March 2025: 02:00 EST (07:00Z) on Sunday the 9th becomes 03:00 EDT", () => {
    check([
      // 02:30 does not exist on the 9th: skipped, not moved; 02:30 EDT on the 10th is 06:30Z
      ["30 2 * * *", "America/New_York", "2025-03-08T12:00:00Z", ["2025-03-10T06:30:00Z", "2025-03-11T06:30:00Z"]],
      // hourly: 01:00 EST = 06:00Z, then 03:00 EDT = 07:00Z (one real hour), 04:00 EDT = 08:00Z
      ["0 * * * *", "America/New_York", "2025-03-09T05:30:00Z", ["2025-03-09T06:00:00Z", "2025-03-09T07:00:00Z", "2025-03-09T08:00:00Z"]],
      // 03:00 EDT is the first instant after the gap: 07:00Z on the 9th
      ["0 3 * * *", "America/New_York", "2025-03-08T12:00:00Z", ["2025-03-09T07:00:00Z", "2025-03-10T07:00:00Z"]],
      // 09:00 EST = 14:00Z on the 8th; 09:00 EDT = 13:00Z on the 9th
      ["0 9 * * *", "America/New_York", "2025-03-08T12:00:00Z", ["2025-03-08T14:00:00Z", "2025-03-09T13:00:00Z"]],
    ]);
  });

  describe("America/New_York, November 2025: 02:00 EDT (06:00Z) on Sunday the 2nd becomes 01:00 EST", () => {
    check([
      // 01:30 happens twice and fires twice: 01:30 EDT = 05:30Z, 01:30 EST = 06:30Z; then 01:30 EST on the 3rd
      ["30 1 * * *", "America/New_York", "2025-11-01T12:00:00Z", ["2025-11-02T05:30:00Z", "2025-11-02T06:30:00Z", "2025-11-03T06:30:00Z"]],
      // hourly: 01:00 EDT = 05:00Z, 01:00 EST = 06:00Z, 02:00 EST = 07:00Z
      ["0 * * * *", "America/New_York", "2025-11-02T04:30:00Z", ["2025-11-02T05:00:00Z", "2025-11-02T06:00:00Z", "2025-11-02T07:00:00Z"]],
      // 02:00 happens once (EST): 07:00Z; then 02:00 EST on the 3rd
      ["0 2 * * *", "America/New_York", "2025-11-01T12:00:00Z", ["2025-11-02T07:00:00Z", "2025-11-03T07:00:00Z"]],
      // every 30 minutes stays every 30 real minutes: 01:30 EDT, 01:00 EST, 01:30 EST, 02:00 EST
      ["*/30 * * * *", "America/New_York", "2025-11-02T05:00:00Z", ["2025-11-02T05:30:00Z", "2025-11-02T06:00:00Z", "2025-11-02T06:30:00Z", "2025-11-02T07:00:00Z"]],
    ]);

    it("*/15 over the 6 real hours from 04:00Z (00:00 EDT) is still 24 times", () => {
      const s = schedule("*/15 * * * *", "America/New_York");
      let n = 0;
      for (let t = nextScheduleTime(s, ms("2025-11-02T04:00:00Z"))!; t <= ms("2025-11-02T10:00:00Z"); t = nextScheduleTime(s, t)!) n++;
      expect(n).toBe(24);
    });
  });

  describe("Europe/Berlin 2025: 02:00 CET -> 03:00 CEST on March 30 (01:00Z); 03:00 CEST -> 02:00 CET on October 26 (01:00Z)", () => {
    check([
      // 02:30 does not exist on March 30; 02:30 CEST on the 31st is 00:30Z
      ["30 2 * * *", "Europe/Berlin", "2025-03-29T12:00:00Z", ["2025-03-31T00:30:00Z"]],
      // 02:30 twice on October 26: 02:30 CEST = 00:30Z, 02:30 CET = 01:30Z; then 02:30 CET on the 27th = 01:30Z
      ["30 2 * * *", "Europe/Berlin", "2025-10-25T12:00:00Z", ["2025-10-26T00:30:00Z", "2025-10-26T01:30:00Z", "2025-10-27T01:30:00Z"]],
      // weekdays 08:00 after Friday March 28 12:00Z: Monday 31st 08:00 CEST = 06:00Z
      ["0 8 * * 1-5", "Europe/Berlin", "2025-03-28T12:00:00Z", ["2025-03-31T06:00:00Z"]],
    ]);
  });

  describe("Asia/Kolkata: UTC+05:30 all year", () => {
    check([
      // 09:00 IST = 03:30Z
      ["0 9 * * *", "Asia/Kolkata", "2025-01-01T00:00:00Z", ["2025-01-01T03:30:00Z", "2025-01-02T03:30:00Z"]],
      // 00:00Z is 05:30 IST; minutes 0 and 45 local: 05:45 IST = 00:15Z, 06:00 IST = 00:30Z
      ["*/45 * * * *", "Asia/Kolkata", "2025-01-01T00:00:00Z", ["2025-01-01T00:15:00Z", "2025-01-01T00:30:00Z"]],
      // 23:30 IST on December 31 = 18:00Z
      ["30 23 31 12 *", "Asia/Kolkata", "2025-12-31T00:00:00Z", ["2025-12-31T18:00:00Z"]],
    ]);
  });

  describe("Australia/Lord_Howe 2025: +11 -> +10:30 at 02:00 on April 6 (15:00Z the 5th); +10:30 -> +11 at 02:00 on October 5 (15:30Z the 4th)", () => {
    check([
      // 01:30 LHST = 15:00Z; 01:45 = 15:15Z; 02:00-02:29 do not exist; 02:30 LHDT = 15:30Z; 02:45 = 15:45Z
      ["*/15 * * * *", "Australia/Lord_Howe", "2025-10-04T15:00:00Z", ["2025-10-04T15:15:00Z", "2025-10-04T15:30:00Z", "2025-10-04T15:45:00Z"]],
      // 02:15 does not exist on October 5; 02:15 LHDT on the 6th = 15:15Z on the 5th
      ["15 2 * * *", "Australia/Lord_Howe", "2025-10-04T12:00:00Z", ["2025-10-05T15:15:00Z"]],
      // 02:00 does not exist either: the hour loop lands on 02:30 (hour 2), the minute loop rolls on to 03:00 and
      // the hour no longer matches; next is 02:00 LHDT on the 6th = 15:00Z on the 5th
      ["0 2 * * *", "Australia/Lord_Howe", "2025-10-04T12:00:00Z", ["2025-10-05T15:00:00Z"]],
      // hourly at the fall-back: 01:00 LHDT = 14:00Z; 01:30-01:59 repeat but minute 0 does not; 02:00 LHST = 15:30Z
      ["0 * * * *", "Australia/Lord_Howe", "2025-04-05T13:30:00Z", ["2025-04-05T14:00:00Z", "2025-04-05T15:30:00Z", "2025-04-05T16:30:00Z"]],
      // 01:45 twice: LHDT = 14:45Z, LHST = 15:15Z (30 real minutes apart); then 01:45 LHST on the 7th = 15:15Z the 6th
      ["45 1 * * *", "Australia/Lord_Howe", "2025-04-05T12:00:00Z", ["2025-04-05T14:45:00Z", "2025-04-05T15:15:00Z", "2025-04-06T15:15:00Z"]],
    ]);
  });

  describe("a day without midnight (America/Santiago: 00:00 -04 -> 01:00 -03 on 2025-09-07)", () => {
    // 00:00 -04 on the 6th = 04:00Z; the 7th has no 00:00, so the hour loop walks through 01:00-23:00 -03 and
    // the 7th is skipped; 00:00 -03 on the 8th = 03:00Z
    check([["0 0 * * *", "America/Santiago", "2025-09-05T12:00:00Z", ["2025-09-06T04:00:00Z", "2025-09-08T03:00:00Z"]]]);
  });
});

describe("offsetMs (cached per UTC day / hour)", () => {
  /** The offset as ICU prints it ("GMT-04:00", "GMT+10:30", "GMT"), in ms: an independent reading of the same data. */
  const printed = (f: Intl.DateTimeFormat, t: number) => {
    const name = f.formatToParts(t).find((p) => p.type === "timeZoneName")!.value;
    const m = /^GMT(?:([+-])(\d\d):(\d\d))?$/.exec(name)!;
    return m[1] === undefined ? 0 : (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  };
  it.each(["America/New_York", "Australia/Lord_Howe", "Europe/Berlin"])("%s: every 30 minutes of 2025 agrees with ICU", (zone) => {
    const f = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    const wrong: string[] = [];
    for (let t = ms("2025-01-01T00:00:00Z"); t < ms("2026-01-01T00:00:00Z"); t += 30 * 60_000) {
      if (offsetMs(zone, t) !== printed(f, t)) wrong.push(iso(t)!);
    }
    expect(wrong).toEqual([]);
  });
  it("switches at the instant of the change: Lord Howe +10:30 until 15:29:59Z on 2025-10-04, +11 from 15:30:00Z", () => {
    expect(offsetMs("Australia/Lord_Howe", ms("2025-10-04T15:29:59Z"))).toBe(10.5 * 3_600_000);
    expect(offsetMs("Australia/Lord_Howe", ms("2025-10-04T15:30:00Z"))).toBe(11 * 3_600_000);
  });
});

/** Go's time.Date normalisation (the double offset lookup), which Next relies on for months and days. */
describe("goDate (Go time.Date) on wall times that do not exist or exist twice", () => {
  it.each([
    // 02:30 as UTC; offset there is EST (-5); 07:30Z is past the 07:00Z change, so EDT (-4): 02:30 + 4h = 06:30Z = 01:30 EST
    ["America/New_York", [2025, 3, 9, 2, 30], "2025-03-09T06:30:00Z"],
    // 02:30Z is past 01:00Z, so CEST (+2); 00:30Z is before it, so CET (+1): 02:30 - 1h = 01:30Z = 03:30 CEST
    ["Europe/Berlin", [2025, 3, 30, 2, 30], "2025-03-30T01:30:00Z"],
    // 01:30Z is before the 06:00Z change: EDT (-4), and 05:30Z still EDT: 05:30Z = 01:30 EDT, the first occurrence
    ["America/New_York", [2025, 11, 2, 1, 30], "2025-11-02T05:30:00Z"],
    // 02:30Z is past 01:00Z: CET (+1); 01:30Z is CET too: 01:30Z = 02:30 CET, the second occurrence
    ["Europe/Berlin", [2025, 10, 26, 2, 30], "2025-10-26T01:30:00Z"],
    // carries: month 13 day 0 is December 31
    ["UTC", [2025, 13, 0, 0, 0], "2025-12-31T00:00:00Z"],
  ] as const)("%s %o -> %s", (zone, [y, mo, d, h, mi], expected) => {
    expect(iso(goDate(zone, y, mo, d, h, mi, 0))).toBe(expected);
  });
});

describe("parseCronSchedule: accepted", () => {
  it.each([
    ["? ? ? ? ?", "every minute"],
    ["*-5 * * * *", "'*-5' is '*' (the part after '*' is ignored)"],
    ["0 0 1,,15 * *", "empty list items are skipped"],
    ["0 0 * jan,JUL sun-SAT", "names in any case, in ranges"],
    ["0\t0  * *\u00a0*", "Go's whitespace splits fields"],
    ["*/61 * * * *", "a step beyond the range keeps only the start: minute 0"],
  ])("%j (%s)", (spec) => {
    expect(parseCronSchedule(spec).ok).toBe(true);
  });

  it("*/61 fires hourly at minute 0", () => {
    expect(nexts("*/61 * * * *", undefined, "2025-01-01T00:00:00Z", 2)).toEqual(["2025-01-01T01:00:00Z", "2025-01-01T02:00:00Z"]);
  });

  it("the timeZone field becomes the schedule's zone", () => {
    expect(schedule("0 3 * * *", "Europe/Paris")).toMatchObject({ kind: "spec", timeZone: "Europe/Paris" });
    expect(schedule("0 3 * * *")).toMatchObject({ kind: "spec", timeZone: "UTC" });
  });

  it("parseStandard (what the controller calls, after formatSchedule's TZ= prefix) takes the prefix", () => {
    const r = parseStandard("TZ=Asia/Kolkata 0 9 * * *");
    expect(r.ok && r.schedule.kind === "spec" && r.schedule.timeZone).toBe("Asia/Kolkata");
  });
});

/** The API server's messages: validation.go field.Invalid(path, value, robfig error / validation text). */
describe("parseCronSchedule: refused, with the API server's messages", () => {
  const inv = (value: string, detail: string) => `spec.schedule: Invalid value: ${JSON.stringify(value)}: ${detail}`;
  it.each([
    ["61 * * * *", [inv("61 * * * *", "end of range (61) above maximum (59): 61")]],
    ["* * *", [inv("* * *", "expected exactly 5 fields, found 3: [* * *]")]],
    ["* * * * * *", [inv("* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]")]],
    ["0 24 * * *", [inv("0 24 * * *", "end of range (24) above maximum (23): 24")]],
    ["0 0 0 * *", [inv("0 0 0 * *", "beginning of range (0) below minimum (1): 0")]],
    ["0 0 * 13 *", [inv("0 0 * 13 *", "end of range (13) above maximum (12): 13")]],
    ["0 0 * * 7", [inv("0 0 * * 7", "end of range (7) above maximum (6): 7")]], // robfig has no 7 for Sunday
    ["*/0 * * * *", [inv("*/0 * * * *", "step of range should be a positive number: */0")]],
    ["5-1 * * * *", [inv("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1")]],
    ["1-2-3 * * * *", [inv("1-2-3 * * * *", "too many hyphens: 1-2-3")]],
    ["*/2/3 * * * *", [inv("*/2/3 * * * *", "too many slashes: */2/3")]],
    ["a * * * *", [inv("a * * * *", 'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax')]],
    ["*/-1 * * * *", [inv("*/-1 * * * *", "negative number (-1) not allowed: -1")]],
    ["0 0 * FOO *", [inv("0 0 * FOO *", 'failed to parse int from FOO: strconv.Atoi: parsing "FOO": invalid syntax')]],
    ["99999999999999999999 * * * *", [inv("99999999999999999999 * * * *", 'failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range')]],
    ["@Daily", [inv("@Daily", "unrecognized descriptor: @Daily")]],
    ["@every", [inv("@every", "unrecognized descriptor: @every")]],
    ["@every 1d", [inv("@every 1d", 'failed to parse duration @every 1d: time: unknown unit "d" in duration "1d"')]],
    ["@every 5", [inv("@every 5", 'failed to parse duration @every 5: time: missing unit in duration "5"')]],
    // Go's unit runs to the next digit or '.', so the unit is "h " (with the space)
    ["@every 1h 30m", [inv("@every 1h 30m", 'failed to parse duration @every 1h 30m: time: unknown unit "h " in duration "1h 30m"')]],
    // %q escapes the tab in the value; the fields are split on it
    ["61\t* * *", ['spec.schedule: Invalid value: "61\\t* * *": expected exactly 5 fields, found 4: [61 * * *]']],
    ["", ["spec.schedule: Required value"]],
    // robfig parses the prefix fine; validation refuses any "TZ" on create
    ["CRON_TZ=UTC * * * * *", [inv("CRON_TZ=UTC * * * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")]],
    ["TZ=Europe/Berlin 0 3 * * *", [inv("TZ=Europe/Berlin 0 3 * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")]],
    // both errors, parse first (validateScheduleFormat order)
    [
      "TZ=Foo/Bar 0 * * * *",
      [
        inv("TZ=Foo/Bar 0 * * * *", "provided bad location Foo/Bar: unknown time zone Foo/Bar"),
        inv("TZ=Foo/Bar 0 * * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
      ],
    ],
    ["0 0 * * TZ", [inv("0 0 * * TZ", 'failed to parse int from TZ: strconv.Atoi: parsing "TZ": invalid syntax'), inv("0 0 * * TZ", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")]],
  ])("%j", (spec, messages) => {
    const r = parseCronSchedule(spec);
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual(messages);
  });

  const tz = (value: string, detail: string) => `spec.timeZone: Invalid value: ${JSON.stringify(value)}: ${detail}`;
  it.each([
    ["Europe/Pariss", [tz("Europe/Pariss", "unknown time zone Europe/Pariss")]],
    ["america/new_york", [tz("america/new_york", "unknown time zone america/new_york")]], // Go's lookup is case-sensitive
    ["", [tz("", "timeZone must be nil or non-empty string")]],
    ["Local", [tz("Local", "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")]],
    // EqualFold catches "local"; Go's LoadLocation then does not find it either
    ["local", [tz("local", "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"), tz("local", "unknown time zone local")]],
    ["/UTC", [tz("/UTC", "unknown time zone /UTC")]], // an empty component fails validTimeZoneCharacters
    ["Europe/Paris ", [tz("Europe/Paris ", "unknown time zone Europe/Paris ")]],
    ["a..b/c", [tz("a..b/c", "time: invalid location name")]], // passes the character check, LoadLocation refuses ".."
  ])("timeZone %j", (zone, messages) => {
    const r = parseCronSchedule("0 * * * *", zone);
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual(messages);
  });

  it("reports schedule and time zone errors together, schedule first", () => {
    const r = parseCronSchedule("61 * * * *", "Europe/Pariss");
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(["spec.schedule", "spec.timeZone"]);
  });

  it.each(["UTC", "Etc/UTC", "US/Eastern", "Asia/Calcutta", "Etc/GMT+5", "America/Argentina/Buenos_Aires"])("timeZone %j is accepted", (zone) => {
    expect(parseCronSchedule("0 * * * *", zone).ok).toBe(true);
  });
});

describe("goParseDuration (Go time.ParseDuration)", () => {
  it.each([
    ["0", 0n],
    ["1h30m", 5_400_000_000_000n],
    ["1.5h", 5_400_000_000_000n],
    ["300ms", 300_000_000n],
    ["2us", 2_000n],
    ["2\u00b5s", 2_000n],
    ["-1m", -60_000_000_000n],
    [".5s", 500_000_000n],
  ])("%j = %d ns", (text, ns) => {
    expect(goParseDuration(text)).toEqual({ ns });
  });
  it.each([
    ["", 'time: invalid duration ""'],
    ["1", 'time: missing unit in duration "1"'],
    ["1x", 'time: unknown unit "x" in duration "1x"'],
    [".s", 'time: invalid duration ".s"'],
    ["9999999999h", 'time: invalid duration "9999999999h"'], // > 2^63 ns
    ["1\u00e9", 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'], // time.quote escapes UTF-8 bytes
  ])("%j: %s", (text, error) => {
    expect(goParseDuration(text)).toEqual({ error });
  });
});

/** pkg/controller/cronjob/utils.go mostRecentScheduleTime / nextScheduleTime / nextScheduleTimeDuration. */
describe("mostRecentScheduleTime", () => {
  const hourly = schedule("0 * * * *");
  const created = { creationTimestampMs: ms("2025-01-01T00:30:00Z") };

  it.each([
    // t1 = 01:00 is after now: nothing to run
    ["00:59", created, false, { mostRecent: null, missed: "none" }],
    // t1 = 01:00 <= now < t2 = 02:00: t1, none missed
    ["01:30", created, false, { mostRecent: "2025-01-01T01:00:00Z", missed: "none" }],
    // t1 = 01:00, t2 = 02:00, interval 3600 s; elapsed 05:10 - 01:00 = 15000 s; count = 15000 / 3600 + 1 = 4 + 1 = 5 (few);
    // walk from 01:00 + (5 - 2) x 3600 s = 04:00: 05:00 <= now, 06:00 > now -> 05:00
    ["05:10", created, false, { mostRecent: "2025-01-01T05:00:00Z", missed: "few" }],
    // lastScheduleTime 05:00 replaces the creation time: t1 = 06:00 > now
    ["05:10", { ...created, lastScheduleTimeMs: ms("2025-01-01T05:00:00Z") }, false, { mostRecent: null, missed: "none" }],
    // deadline 900 s: earliest = 05:10 - 15 min = 04:55; t1 = 05:00, t2 = 06:00 > now -> 05:00, none
    ["05:10", { ...created, startingDeadlineSeconds: 900 }, true, { mostRecent: "2025-01-01T05:00:00Z", missed: "none" }],
    // deadline 600 s: earliest = 05:00 and Next is strictly after it: t1 = 06:00 > now
    ["05:10", { ...created, startingDeadlineSeconds: 600 }, true, { mostRecent: null, missed: "none" }],
    // the deadline is ignored unless asked for (nextScheduleTimeDuration's call)
    ["05:10", { ...created, startingDeadlineSeconds: 600 }, false, { mostRecent: "2025-01-01T05:00:00Z", missed: "few" }],
  ] as const)("now %s, %o, deadline %s", (now, cj, withDeadline, expected) => {
    const r = mostRecentScheduleTime(cj, ms(`2025-01-01T${now}:00Z`), hourly, withDeadline);
    expect({ mostRecent: iso(r.mostRecentMs), missed: r.missed, error: r.error }).toEqual({ ...expected, error: undefined });
  });

  it("more than 100 missed is 'many', and the most recent time still runs", () => {
    // now = 00:30 + 200 h = 2025-01-09T08:30Z; elapsed from t1 = 01:00 is 199.5 h = 718200 s;
    // count = 718200 / 3600 + 1 = 199 + 1 = 200 > 100 -> many; the most recent is 08:00
    const now = ms("2025-01-09T08:30:00Z");
    expect(mostRecentScheduleTime(created, now, hourly, true)).toMatchObject({ mostRecentMs: ms("2025-01-09T08:00:00Z"), missed: "many" });
    expect(scheduleTimeToRun(created, now, hourly)).toEqual({ timeMs: ms("2025-01-09T08:00:00Z"), tooManyMissed: true });
    expect(TOO_MANY_MISSED_TIMES_MESSAGE).toBe("too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
    // a 2 h deadline: earliest 06:30, t1 = 07:00, t2 = 08:00 <= now; count = 5400 / 3600 + 1 = 2 -> few; most recent 08:00
    expect(scheduleTimeToRun({ ...created, startingDeadlineSeconds: 7200 }, now, hourly)).toEqual({ timeMs: ms("2025-01-09T08:00:00Z"), tooManyMissed: false });
  });

  it("@every: t1 = 00:01:30, t2 = 00:03:00, interval 90 s; elapsed 510 s; count 5 + 1 = 6; walk from 00:01:30 + 4 x 90 s = 00:07:30", () => {
    // Next(00:07:30) = 00:09:00 <= 00:10:00; Next(00:09:00) = 00:10:30 > now -> 00:09:00
    const r = mostRecentScheduleTime({ creationTimestampMs: ms("2025-01-01T00:00:00Z") }, ms("2025-01-01T00:10:00Z"), schedule("@every 90s"), false);
    expect({ mostRecent: iso(r.mostRecentMs), missed: r.missed }).toEqual({ mostRecent: "2025-01-01T00:09:00Z", missed: "few" });
  });

  it("a schedule that never fires is upstream's error", () => {
    const never = schedule("0 0 30 2 *");
    expect(mostRecentScheduleTime(created, ms("2025-06-01T00:00:00Z"), never, true)).toMatchObject({ mostRecentMs: null, error: SCHEDULE_INTERVAL_ERROR });
    expect(SCHEDULE_INTERVAL_ERROR).toBe("time difference between two schedules is less than 1 second");
    expect(nextScheduleTimeDuration(created, ms("2025-06-01T00:00:00Z"), never)).toBeNull();
  });

  it.each([
    // none missed: from the earliest time (00:30): Next = 01:00; 01:00 + 100 ms - 00:59 = 60 100 ms
    ["00:59", 60_100],
    // missed, most recent 05:00: Next = 06:00; 06:00 + 100 ms - 05:10 = 50 min + 100 ms = 3 000 100 ms
    ["05:10", 3_000_100],
  ])("nextScheduleTimeDuration at %s is %d ms", (now, delay) => {
    expect(nextScheduleTimeDuration(created, ms(`2025-01-01T${now}:00Z`), hourly)).toBe(delay);
  });
});
