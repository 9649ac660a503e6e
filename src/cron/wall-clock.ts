/**
 * Wall-clock arithmetic in an IANA time zone, as Go's `time` package does it (time/time.go Date, time/zoneinfo.go
 * LoadLocation), with offsets taken from the runtime's ICU data through Intl.DateTimeFormat, never written by hand.
 * robfig/cron's SpecSchedule.Next walks fields in wall time through these operations, so its daylight-saving
 * behaviour follows from reproducing them exactly.
 */

/** The wall-clock fields of an instant in a zone; month 1-12, weekday 0 (Sunday) - 6, all in the zone's local time. */
export interface WallFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

const isUtc = (zone: string) => zone === "UTC";

/** Wall time as if it were UTC, in epoch ms (proleptic Gregorian, any year, overflowing fields carried like Go's Date). */
function utcFromFields(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** The wall-clock fields of instant `ms` (epoch ms) in `zone`; the second is floored, as Go's Clock() does. */
export function wallFields(zone: string, ms: number): WallFields {
  const local = ms + offsetMs(zone, ms);
  const d = new Date(Math.floor(local / 1000) * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** The zone's UTC offset at instant `ms`, in ms (local = utc + offset), at the second precision of the tz data. */
export function offsetMs(zone: string, ms: number): number {
  if (isUtc(zone)) return 0;
  return bucketOffset(zone, ms, DAY_MS) ?? bucketOffset(zone, ms, HOUR_MS) ?? exactOffset(zone, ms);
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MAX_BUCKETS = 4096;
const buckets = new Map<string, Map<number, number | null>>();

/**
 * The offset over the whole UTC day (or hour) holding `ms` when it is the same at both ends, else null. Intl is
 * slow (about 10 us a call) and Next asks for hundreds of offsets; this cache makes a call per day in the common
 * case. NOTE: it assumes no zone changes its offset and back again within one day, which the tz data bears out.
 */
function bucketOffset(zone: string, ms: number, size: number): number | null {
  const key = `${zone} ${size}`;
  let zoneBuckets = buckets.get(key);
  if (zoneBuckets === undefined) buckets.set(key, (zoneBuckets = new Map()));
  const start = Math.floor(ms / size) * size;
  let offset = zoneBuckets.get(start);
  if (offset === undefined) {
    const first = exactOffset(zone, start);
    offset = first === exactOffset(zone, start + size - 1000) ? first : null;
    if (zoneBuckets.size >= MAX_BUCKETS) zoneBuckets.clear();
    zoneBuckets.set(start, offset);
  }
  return offset;
}

function exactOffset(zone: string, ms: number): number {
  const second = Math.floor(ms / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(second)) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  return utcFromFields(p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!) - second;
}

/**
 * Go's `time.Date(year, month, day, hour, min, sec, 0, loc)` (time/time.go): fields out of range are carried
 * (month 13 is January next year, day 0 the last day of the previous month), then the wall time is converted with
 * the offset in force at (wall-as-UTC - offset at wall-as-UTC). That is Go's rule "look up the offset at the
 * unadjusted time, and again at the adjusted time if that falls outside the zone period found", which reduces to
 * this double lookup (Go skips it when the first offset is zero; the formula gives the same then). Its
 * consequences depend on the sign of the offset: a wall time in a spring-forward gap moves back by the gap west of
 * Greenwich (02:30 on New York's spring-forward day is 01:30 EST) and forward east of it (02:30 on Berlin's is
 * 03:30 CEST); a wall time in a repeated fall-back hour is its first occurrence in New York (01:30 EDT) and its
 * second in Berlin (02:30 CET). The tests pin all four.
 */
export function goDate(zone: string, year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const unix = utcFromFields(year, month, day, hour, minute, second);
  if (isUtc(zone)) return unix;
  const first = offsetMs(zone, unix);
  if (first === 0) return unix; // Go skips the adjustment when the first offset found is zero
  return unix - offsetMs(zone, unix - first);
}

/** Go's `t.AddDate(years, months, days)`: add to the wall fields in the zone, then normalise with `goDate`. */
export function goAddDate(zone: string, ms: number, years: number, months: number, days: number): number {
  const w = wallFields(zone, ms);
  const sub = ms - Math.floor(ms / 1000) * 1000;
  return goDate(zone, w.year + years, w.month + months, w.day + days, w.hour, w.minute, w.second) + sub;
}

/**
 * Go's `time.LoadLocation(name)` as the API server and kube-controller-manager see it (both embed the IANA data):
 * "" and "UTC" are UTC; names with ".." or a leading "/" or "\" are `time: invalid location name`; a name the tz
 * data lacks is `unknown time zone NAME`. The zone returned is the name to hand to `wallFields` / `goDate`.
 * NOTE: "Local" is the process's zone in Go; a simulator has none, and kube-controller-manager runs in UTC in
 * practice, so Local is UTC here.
 * NOTE: Go looks names up case-sensitively; ICU does not. A name that ICU resolves to itself but spelt with other
 * capitals ("america/new_york", "utc") is refused as Go refuses it; an alias ICU rewrites ("US/Eastern" to
 * "America/New_York") is accepted without a case check, so "us/eastern" is accepted where Go would refuse it.
 */
export function loadLocation(name: string): { zone: string } | { error: string } {
  if (name === "" || name === "UTC" || name === "Local") return { zone: "UTC" };
  if (name.includes("..") || name[0] === "/" || name[0] === "\\") return { error: "time: invalid location name" };
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return { error: `unknown time zone ${name}` };
  }
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return { error: `unknown time zone ${name}` };
  return { zone: resolved === "UTC" ? "UTC" : name };
}
