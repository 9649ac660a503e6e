/**
 * CronJob schedules: parsing as the API server validates them (pkg/apis/batch/validation/validation.go
 * validateScheduleFormat, validateTimeZone, both on robfig/cron v3.0.1 ParseStandard, vendored at
 * vendor/github.com/robfig/cron/v3/parser.go) and the next activation as robfig's SpecSchedule.Next (spec.go) and
 * ConstantDelaySchedule.Next (constantdelay.go) compute it. Times are epoch milliseconds of virtual time.
 *
 * NOTE: written by hand rather than on croner or cron-parser: robfig's grammar has quirks those packages do not
 * share and that a user notices (a step > 1 clears the "star" flag, so `*\/2` in day-of-month makes day matching
 * OR-ed with day-of-week; `?` is accepted in every field; 7 is not Sunday; `*-5` means `*`; errors carry Go's
 * strconv texts), and Next's daylight-saving behaviour comes from walking Go's time.Date normalisation, which no
 * package reproduces. Correcting all of that on top of a package would leave little of the package in use.
 */
import { goAtoi, goParseDuration, goQuote } from "../engine/go-text.js";
import { goAddDate, goDate, loadLocation, wallFields } from "./wall-clock.js";

/**
 * A five-field schedule or descriptor (robfig SpecSchedule): for each field the allowed values (index = value),
 * plus whether day-of-month / day-of-week carried robfig's star bit (`*` or `?`, not stepped by more than 1).
 * Seconds are always 0 (ParseStandard's default second field).
 */
export interface SpecSchedule {
  readonly kind: "spec";
  readonly minute: readonly boolean[];
  readonly hour: readonly boolean[];
  readonly dom: readonly boolean[];
  readonly month: readonly boolean[];
  readonly dow: readonly boolean[];
  readonly domStar: boolean;
  readonly dowStar: boolean;
  /** IANA zone the fields are read in ("UTC" unless spec.timeZone or a TZ= prefix says otherwise). */
  readonly timeZone: string;
}

/** `@every <duration>` (robfig ConstantDelaySchedule): every `delayMs`, whole seconds, at least 1000. */
export interface ConstantDelaySchedule {
  readonly kind: "every";
  readonly delayMs: number;
}

/** What cron.ParseStandard returns. */
export type CronSchedule = SpecSchedule | ConstantDelaySchedule;

/** One validation error, as apimachinery's field.Error: `message` is its Error() text. */
export interface ScheduleFieldError {
  readonly field: "spec.schedule" | "spec.timeZone";
  readonly type: "Required" | "Invalid";
  readonly value: string;
  readonly detail: string;
  /** e.g. `spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61`. */
  readonly message: string;
}

/** parseCronSchedule's result: the schedule, or every validation error in the API server's order. */
export type CronParseResult = { readonly ok: true; readonly schedule: CronSchedule } | { readonly ok: false; readonly errors: readonly ScheduleFieldError[] };

/** TZ in a schedule on create (validation.go validateScheduleFormat). */
export const TZ_IN_SCHEDULE_MESSAGE = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

// spec.go: the bounds of each field.
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** Go's unicode.IsSpace, which strings.Fields splits on (it includes U+0085 and excludes U+FEFF, unlike JS \s). */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

function goFields(s: string): string[] {
  return s.split(GO_SPACE).filter((f) => f !== "");
}

interface Field {
  readonly bits: boolean[];
  star: boolean;
}

class ParseError {
  constructor(readonly message: string) {}
}

function emptyField(b: Bounds): Field {
  return { bits: new Array<boolean>(b.max + 1).fill(false), star: false };
}

function fullField(b: Bounds): Field {
  const f = emptyField(b);
  for (let i = b.min; i <= b.max; i++) f.bits[i] = true;
  f.star = true;
  return f;
}

function single(b: Bounds, v: number): Field {
  const f = emptyField(b);
  f.bits[v] = true;
  return f;
}

/** parser.go mustParseInt. */
function mustParseInt(expr: string): bigint {
  const r = goAtoi(expr);
  if ("error" in r) throw new ParseError(`failed to parse int from ${expr}: ${r.error}`);
  if (r.value < 0n) throw new ParseError(`negative number (${r.value}) not allowed: ${expr}`);
  return r.value;
}

/** parser.go parseIntOrName. */
function parseIntOrName(expr: string, names: Bounds["names"]): bigint {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? BigInt(named) : mustParseInt(expr);
}

/** parser.go getRange: `number | number "-" number [ "/" number ]`, `*` and `?` for the whole range. */
function getRange(expr: string, r: Bounds, into: Field): void {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0]!.split("-");
  const singleDigit = lowAndHigh.length === 1;
  let start: bigint;
  let end: bigint;
  let step: bigint;
  let star = false;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    // NOTE (upstream quirk kept): anything after "*-" is ignored, so "*-5" is "*".
    start = BigInt(r.min);
    end = BigInt(r.max);
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, r.names);
    else throw new ParseError(`too many hyphens: ${expr}`);
  }
  if (rangeAndStep.length === 1) step = 1n;
  else if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    if (singleDigit) end = BigInt(r.max); // "N/step" means "N-max/step"
    if (step > 1n) star = false; // v3.0.1: "*/2" is not a star
  } else throw new ParseError(`too many slashes: ${expr}`);
  if (start < BigInt(r.min)) throw new ParseError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > BigInt(r.max)) throw new ParseError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new ParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0n) throw new ParseError(`step of range should be a positive number: ${expr}`);
  for (let i = start; i <= end; i += step) into.bits[Number(i)] = true;
  if (star) into.star = true;
}

/** parser.go getField: a comma-separated list of ranges (empty items are skipped, as strings.FieldsFunc does). */
function getField(field: string, r: Bounds): Field {
  const f = emptyField(r);
  for (const expr of field.split(",").filter((e) => e !== "")) getRange(expr, r, f);
  return f;
}

function spec(zone: string, minute: Field, hour: Field, dom: Field, month: Field, dow: Field): SpecSchedule {
  return {
    kind: "spec",
    minute: minute.bits,
    hour: hour.bits,
    dom: dom.bits,
    month: month.bits,
    dow: dow.bits,
    domStar: dom.star,
    dowStar: dow.star,
    timeZone: zone,
  };
}

/** parser.go parseDescriptor. */
function parseDescriptor(descriptor: string, zone: string): CronSchedule {
  const zero = (b: Bounds) => single(b, b.min);
  switch (descriptor) {
    case "@yearly":
    case "@annually":
      return spec(zone, zero(MINUTES), zero(HOURS), zero(DOM), zero(MONTHS), fullField(DOW));
    case "@monthly":
      return spec(zone, zero(MINUTES), zero(HOURS), zero(DOM), fullField(MONTHS), fullField(DOW));
    case "@weekly":
      return spec(zone, zero(MINUTES), zero(HOURS), fullField(DOM), fullField(MONTHS), zero(DOW));
    case "@daily":
    case "@midnight":
      return spec(zone, zero(MINUTES), zero(HOURS), fullField(DOM), fullField(MONTHS), fullField(DOW));
    case "@hourly":
      return spec(zone, zero(MINUTES), fullField(HOURS), fullField(DOM), fullField(MONTHS), fullField(DOW));
  }
  const every = "@every ";
  if (descriptor.startsWith(every)) {
    const d = goParseDuration(descriptor.slice(every.length));
    if ("error" in d) throw new ParseError(`failed to parse duration ${descriptor}: ${d.error}`);
    // constantdelay.go Every: below one second is one second; sub-second parts are truncated.
    const ns = d.ns < 1_000_000_000n ? 1_000_000_000n : d.ns - (d.ns % 1_000_000_000n);
    return { kind: "every", delayMs: Number(ns / 1_000_000n) };
  }
  throw new ParseError(`unrecognized descriptor: ${descriptor}`);
}

/**
 * robfig/cron v3.0.1 `cron.ParseStandard(spec)` (parser.go, Minute | Hour | Dom | Month | Dow | Descriptor): five
 * fields or a descriptor (@yearly @annually @monthly @weekly @daily @midnight @hourly @every <Go duration>), an
 * optional `TZ=<zone> ` / `CRON_TZ=<zone> ` prefix; the error text is robfig's. Without a prefix the zone is
 * `defaultZone` (robfig's time.Local; see nextScheduleTime).
 */
export function parseStandard(text: string, defaultZone = "UTC"): { ok: true; schedule: CronSchedule } | { ok: false; error: string } {
  try {
    return { ok: true, schedule: parseOrThrow(text, defaultZone) };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.message };
    throw e;
  }
}

function parseOrThrow(text: string, defaultZone: string): CronSchedule {
  if (text.length === 0) throw new ParseError("empty spec string");
  let zone = defaultZone;
  if (text.startsWith("TZ=") || text.startsWith("CRON_TZ=")) {
    const i = text.indexOf(" ");
    const eq = text.indexOf("=");
    // NOTE: upstream slices spec[eq+1:i] with i == -1 and panics when there is no space; refused here instead.
    const name = i < 0 ? text.slice(eq + 1) : text.slice(eq + 1, i);
    const loc = loadLocation(name);
    if ("error" in loc) throw new ParseError(`provided bad location ${name}: ${loc.error}`);
    if (i < 0) throw new ParseError(`provided bad location ${name}: no schedule after the location`);
    zone = loc.zone;
    text = text.slice(i).trim();
  }
  if (text.startsWith("@")) return parseDescriptor(text, zone);
  const fields = goFields(text);
  if (fields.length !== 5) throw new ParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  return spec(zone, getField(minute, MINUTES), getField(hour, HOURS), getField(dom, DOM), getField(month, MONTHS), getField(dow, DOW));
}

function invalid(field: ScheduleFieldError["field"], value: string, detail: string): ScheduleFieldError {
  return { field, type: "Invalid", value, detail, message: `${field}: Invalid value: ${goQuote(value)}: ${detail}` };
}

// validation.go validTimeZoneCharacters
const VALID_TIME_ZONE_CHARACTERS = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** validation.go validateTimeZone (on create, or when the field changed). */
function validateTimeZone(timeZone: string): ScheduleFieldError[] {
  const f = "spec.timeZone";
  if (timeZone.length === 0) return [invalid(f, timeZone, "timeZone must be nil or non-empty string")];
  for (const part of timeZone.split("/")) {
    if (part === "." || part === ".." || part.startsWith("-") || !VALID_TIME_ZONE_CHARACTERS.test(part)) {
      return [invalid(f, timeZone, `unknown time zone ${timeZone}`)];
    }
  }
  const errors: ScheduleFieldError[] = [];
  if (timeZone.toLowerCase() === "local") {
    errors.push(invalid(f, timeZone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
  }
  const loc = loadLocation(timeZone);
  if ("error" in loc) errors.push(invalid(f, timeZone, loc.error));
  return errors;
}

/**
 * A CronJob's spec.schedule and spec.timeZone as the API server validates them on create
 * (validation.go validateCronJobSpec: Required when empty, else validateScheduleFormat with allowTZInSchedule
 * false, then validateTimeZone), and the schedule the controller then runs: cronjob_controllerv2.go
 * formatSchedule prefixes `TZ=<timeZone> ` and calls cron.ParseStandard. Errors, in upstream order:
 * - `spec.schedule: Required value`
 * - `spec.schedule: Invalid value: "<schedule>": <robfig error>` (e.g. `expected exactly 5 fields, found 3: [* * *]`)
 * - `spec.schedule: Invalid value: "<schedule>": cannot use TZ or CRON_TZ in schedule, use timeZone field instead`
 *   (any "TZ" in the text, case-sensitive, as strings.Contains)
 * - `spec.timeZone: Invalid value: "<zone>": unknown time zone <zone>` (and the other validateTimeZone texts).
 * NOTE: update validation (which tolerates a TZ prefix an old object already had) is not modelled.
 */
export function parseCronSchedule(schedule: string, timeZone?: string): CronParseResult {
  const errors: ScheduleFieldError[] = [];
  let parsed: CronSchedule | undefined;
  if (schedule.length === 0) {
    errors.push({ field: "spec.schedule", type: "Required", value: "", detail: "", message: "spec.schedule: Required value" });
  } else {
    const r = parseStandard(schedule);
    if (!r.ok) {
      // NOTE: upstream panics on a TZ= prefix without a space; only the TZ error below is reported for it.
      if (!((schedule.startsWith("TZ=") || schedule.startsWith("CRON_TZ=")) && !schedule.includes(" "))) {
        errors.push(invalid("spec.schedule", schedule, r.error));
      }
    } else parsed = r.schedule;
    if (schedule.includes("TZ")) errors.push(invalid("spec.schedule", schedule, TZ_IN_SCHEDULE_MESSAGE));
  }
  if (timeZone !== undefined) errors.push(...validateTimeZone(timeZone));
  if (errors.length > 0 || parsed === undefined) return { ok: false, errors };
  if (timeZone !== undefined && parsed.kind === "spec") {
    const loc = loadLocation(timeZone);
    if ("zone" in loc) parsed = { ...parsed, timeZone: loc.zone };
  }
  return { ok: true, schedule: parsed };
}

/** spec.go dayMatches: AND when either day field carried the star bit, else OR. */
function dayMatches(s: SpecSchedule, day: number, weekday: number): boolean {
  const domMatch = s.dom[day] === true;
  const dowMatch = s.dow[weekday] === true;
  if (s.domStar || s.dowStar) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The first activation strictly after `afterMs` (epoch ms), or null when robfig finds none within five years
 * (its zero time), e.g. `0 0 30 2 *`. For a five-field schedule this is robfig/cron v3.0.1 SpecSchedule.Next
 * (spec.go) step by step in the schedule's zone: start at the next whole second; find the month, then the day,
 * hour, minute and second, each by adding to the wall time (AddDate for months and days, Add of an hour or a
 * minute otherwise) and going back to the month when a field wraps. Daylight saving follows from that walk:
 * - spring forward: a wall time inside the gap does not occur that day (New York `30 2 * * *` skips 2025-03-09
 *   and runs 2025-03-10 02:30 EDT); hours and minutes past the gap still match (Lord Howe `*\/15 * * * *` runs
 *   01:45 then 02:30, its 30-minute gap skipped);
 * - fall back: a wall time inside the repeated hour fires on each occurrence (New York `30 1 * * *` runs at 01:30
 *   EDT and again at 01:30 EST on 2025-11-02);
 * - a day without midnight: the day loop moves the hour back to 0 (or on to the next day's 0) as spec.go does.
 * For `@every` it is ConstantDelaySchedule.Next: `afterMs` truncated to the second plus the delay, in any zone.
 * NOTE: robfig reads a schedule without a zone in the time's location (time.Local for kube-controller-manager's
 * time.Now()); kube-controller-manager runs in UTC in practice, so such schedules are UTC here.
 */
export function nextScheduleTime(schedule: CronSchedule, afterMs: number): number | null {
  if (schedule.kind === "every") return Math.floor(afterMs / SECOND) * SECOND + schedule.delayMs;
  const s = schedule;
  const zone = s.timeZone;
  let t = Math.floor(afterMs / SECOND) * SECOND + SECOND;
  let added = false;
  let w = wallFields(zone, t);
  const yearLimit = w.year + 5;
  const at = (ms: number) => {
    t = ms;
    w = wallFields(zone, t);
  };
  wrap: for (;;) {
    if (w.year > yearLimit) return null;

    while (!s.month[w.month]) {
      if (!added) {
        added = true;
        at(goDate(zone, w.year, w.month, 1, 0, 0, 0));
      }
      at(goAddDate(zone, t, 0, 1, 0));
      if (w.month === 1) continue wrap;
    }

    while (!dayMatches(s, w.day, w.weekday)) {
      if (!added) {
        added = true;
        at(goDate(zone, w.year, w.month, w.day, 0, 0, 0));
      }
      at(goAddDate(zone, t, 0, 0, 1));
      // spec.go: "Notice if the hour is no longer midnight due to DST. Add an hour if it's 23, subtract an hour if it's 1."
      if (w.hour !== 0) {
        if (w.hour > 12) at(t + (24 - w.hour) * HOUR);
        else at(t - w.hour * HOUR);
      }
      if (w.day === 1) continue wrap;
    }

    while (!s.hour[w.hour]) {
      if (!added) {
        added = true;
        at(goDate(zone, w.year, w.month, w.day, w.hour, 0, 0));
      }
      at(t + HOUR);
      if (w.hour === 0) continue wrap;
    }

    while (!s.minute[w.minute]) {
      if (!added) {
        added = true;
        at(Math.floor(t / MINUTE) * MINUTE); // Truncate works on absolute time, not wall time
      }
      at(t + MINUTE);
      if (w.minute === 0) continue wrap;
    }

    while (w.second !== 0) {
      if (!added) {
        added = true;
        at(Math.floor(t / SECOND) * SECOND);
      }
      at(t + SECOND);
      if (w.second === 0) continue wrap;
    }

    return t;
  }
}
