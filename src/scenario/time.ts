/**
 * Wall-clock times as scenario files write them (spec.startTime): RFC 3339, held as epoch milliseconds, and the
 * range of instants a run may cover so that every timestamp it writes is still RFC 3339.
 */

/** Earliest instant RFC 3339 can write: 0000-01-01T00:00:00Z, as epoch ms (RFC 3339 years are 4 digits). */
export const MIN_TIME = -62_167_219_200_000;
/** Latest instant RFC 3339 can write at millisecond precision: 9999-12-31T23:59:59.999Z, as epoch ms. */
export const MAX_TIME = 253_402_300_799_999;

/** The accepted range as users read it, for messages and the README. */
export const TIME_RANGE_TEXT = "0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z";

/** Outcome of `parseRfc3339Time`: epoch ms, or what was wrong and what was expected. */
export type TimeResult = { ok: true; value: number } | { ok: false; error: string };

const EXPECTED = "expected an RFC 3339 time such as 2026-01-01T00:00:00Z";

/**
 * Epoch ms of a proleptic Gregorian UTC date-time. NOTE: Date.UTC maps years 0..99 to 1900..1999 (ECMA-262
 * MakeFullYear); setUTCFullYear does not, so years 0000-0099 come out exactly.
 */
export function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, ms);
  return t.getTime();
}

/**
 * Parses an RFC 3339 date-time (section 5.6: "2026-01-01T00:00:00Z", "2026-01-01T09:00:00.5+02:00"; `t` and `z`
 * may be lowercase) to epoch milliseconds. Refuses impossible dates (Date.parse would roll Feb 30 over to March),
 * leap seconds (virtual time has none), fractions finer than the millisecond that are not zeros (the simulation's
 * resolution; "…00.000000Z" is fine), and instants outside `TIME_RANGE_TEXT` (an offset can push 0000-01-01 or
 * 9999-12-31 across it). Never throws.
 */
export function parseRfc3339Time(s: string): TimeResult {
  const bad = (why?: string): TimeResult => ({ ok: false, error: `invalid time ${JSON.stringify(s)}: ${why ? `${why}; ` : ""}${EXPECTED}` });
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) return bad();
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12) return bad(`month ${m[2]} does not exist`);
  const daysInMonth = new Date(utcMs(y, mo + 1, 1) - 86_400_000).getUTCDate();
  if (d < 1 || d > daysInMonth) return bad(`day ${m[3]} does not exist in ${m[1]}-${m[2]}`);
  if (h > 23 || mi > 59 || sec > 59) return bad("hour, minute or second out of range (leap seconds are not simulated)");
  const fracDigits = m[7] ?? "";
  if (/[1-9]/.test(fracDigits.slice(3))) return bad("not a whole number of milliseconds (the simulation's time resolution)");
  const frac = Number(fracDigits.slice(0, 3).padEnd(3, "0"));
  const offH = Number(m[10] ?? 0);
  const offM = Number(m[11] ?? 0);
  if (offH > 23 || offM > 59) return bad("offset out of range");
  const offset = m[9] ? (m[9] === "-" ? -1 : 1) * (offH * 60 + offM) * 60_000 : 0;
  const value = utcMs(y, mo, d, h, mi, sec, frac) - offset;
  if (value < MIN_TIME || value > MAX_TIME) return bad(`outside ${TIME_RANGE_TEXT} in UTC`);
  return { ok: true, value };
}

/** Writes epoch ms as RFC 3339 in UTC with milliseconds only when needed ("2026-01-01T00:00:00Z"). Exact for the
 *  whole of `TIME_RANGE_TEXT`, years 0000-0099 included (toISOString writes every year with 4 digits there). */
export function formatRfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}
