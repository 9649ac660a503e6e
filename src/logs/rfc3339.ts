/**
 * `--since-time`: kubectl's util.ParseRFC3339 (staging/src/k8s.io/kubectl/pkg/util/util.go) tries Go's
 * time.Parse with RFC3339Nano, then RFC3339, and reports the second one's error. This is Go's general layout
 * parser (src/time/format.go) specialised to the layout "2006-01-02T15:04:05Z07:00", so the errors read as
 * kubectl's: `parsing time "2024-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"`,
 * `parsing time "2024-13-01T00:00:00Z": month out of range`.
 */
import { goQuote } from "./go-duration.js";

const LAYOUT = "2006-01-02T15:04:05Z07:00";

/** Epoch milliseconds (fractional for sub-millisecond input), or Go's error message. */
export type Rfc3339Result = { ok: true; ms: number } | { ok: false; error: string };

/** Parses `value` as kubectl parses --since-time (see the file comment). */
export function parseRfc3339(value: string): Rfc3339Result {
  const cannot = (valueElem: string, layoutElem: string): Rfc3339Result => ({
    ok: false,
    error: `parsing time ${goQuote(value)} as ${goQuote(LAYOUT)}: cannot parse ${goQuote(valueElem)} as ${goQuote(layoutElem)}`,
  });
  const outOfRange = (what: string): Rfc3339Result => ({ ok: false, error: `parsing time ${goQuote(value)}: ${what} out of range` });
  let v = value;
  /** Skips a literal of the layout; false (with Go's error) when the value does not hold it. */
  const skip = (lit: string): Rfc3339Result | undefined => {
    for (let i = 0; i < lit.length; i++) {
      if (v.length === 0 || v[0] !== lit[i]) return cannot(v, lit);
      v = v.slice(1);
    }
    return undefined;
  };
  /** Go's getnum: one or two digits (exactly two when fixed). */
  const getnum = (fixed: boolean): number | undefined => {
    if (!digit(v, 0)) return undefined;
    if (!digit(v, 1)) {
      if (fixed) return undefined;
      const n = Number(v[0]);
      v = v.slice(1);
      return n;
    }
    const n = Number(v.slice(0, 2));
    v = v.slice(2);
    return n;
  };

  // 2006
  let hold = v;
  if (v.length < 4 || !digit(v, 0) || !/^\d{4}$/.test(v.slice(0, 4))) return cannot(hold, "2006");
  const year = Number(v.slice(0, 4));
  v = v.slice(4);
  let e = skip("-");
  if (e) return e;
  // 01
  hold = v;
  const month = getnum(true);
  if (month === undefined) return cannot(hold, "01");
  if (month <= 0 || month > 12) return outOfRange("month");
  if ((e = skip("-"))) return e;
  // 02: any one- or two-digit day here; validated against the month at the end
  hold = v;
  const day = getnum(true);
  if (day === undefined) return cannot(hold, "02");
  if ((e = skip("T"))) return e;
  // 15
  hold = v;
  const hour = getnum(false);
  if (hour === undefined) return cannot(hold, "15");
  if (hour >= 24) return outOfRange("hour");
  if ((e = skip(":"))) return e;
  // 04
  hold = v;
  const minute = getnum(true);
  if (minute === undefined) return cannot(hold, "04");
  if (minute >= 60) return outOfRange("minute");
  if ((e = skip(":"))) return e;
  // 05, then an optional fraction the layout does not name (Go accepts one after the seconds when parsing)
  hold = v;
  const second = getnum(true);
  if (second === undefined) return cannot(hold, "05");
  if (second >= 60) return outOfRange("second");
  let nanos = 0;
  if (v.length >= 2 && (v[0] === "." || v[0] === ",") && digit(v, 1)) {
    let n = 2;
    while (digit(v, n)) n++;
    nanos = Math.round(Number(`0.${v.slice(1, Math.min(n, 10))}`) * 1e9);
    v = v.slice(n);
  }
  // Z07:00
  hold = v;
  let offsetMin = 0;
  if (v.length >= 1 && v[0] === "Z") {
    v = v.slice(1);
  } else {
    if (v.length < 6 || v[3] !== ":" || (v[0] !== "+" && v[0] !== "-") || !/^\d\d$/.test(v.slice(1, 3)) || !/^\d\d$/.test(v.slice(4, 6))) return cannot(hold, "Z07:00");
    const oh = Number(v.slice(1, 3));
    const om = Number(v.slice(4, 6));
    if (oh > 24) return outOfRange("time zone offset hour");
    if (om > 60) return outOfRange("time zone offset minute");
    offsetMin = (v[0] === "-" ? -1 : 1) * (oh * 60 + om);
    v = v.slice(6);
  }
  if (v.length > 0) return { ok: false, error: `parsing time ${goQuote(value)}: extra text: ${goQuote(v)}` };
  if (day < 1 || day > daysIn(month, year)) return outOfRange("day");
  // setUTCFullYear, not Date.UTC, which reads years 0..99 as 1900..1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return { ok: true, ms: d.getTime() - offsetMin * 60_000 + nanos / 1e6 };
}

function digit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}
