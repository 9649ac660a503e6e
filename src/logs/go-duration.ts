/**
 * Go's time.ParseDuration (src/time/format.go), which kubectl's `--since` takes through pflag's DurationVar:
 * `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` with units ns, us (µs, μs), ms, s, m, h; "0" alone needs no unit. Errors carry
 * Go's wording (`time: invalid duration "x"`, `time: unknown unit "d" in duration "1d"`,
 * `time: missing unit in duration "5"`).
 */

import { goParseDuration } from "../engine/go-text.js";

/** The outcome of parseGoDuration: nanoseconds, or Go's error message. */
export type GoDurationResult = { ok: true; nanos: number } | { ok: false; error: string };

/** Parses `s` as Go's time.ParseDuration does (src/engine/go-text.ts); the result is in nanoseconds (a double:
 *  exact to 2^53). */
export function parseGoDuration(s: string): GoDurationResult {
  const r = goParseDuration(s);
  return "error" in r ? { ok: false, error: r.error } : { ok: true, nanos: Number(r.ns) };
}

/** Go's quoting as the time package prints values (time.quote). */
export { goTimeQuote as goQuote } from "../engine/go-text.js";

/** Rounds nanoseconds to whole seconds as Go's Duration.Round(time.Second) does (halves away from zero). */
export function roundToSeconds(nanos: number): number {
  const s = Math.round(Math.abs(nanos) / 1e9);
  return nanos < 0 ? -s : s;
}
