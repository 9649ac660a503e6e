/**
 * Go's time.ParseDuration (src/time/format.go), which kubectl's `--since` takes through pflag's DurationVar:
 * `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` with units ns, us (µs, μs), ms, s, m, h; "0" alone needs no unit. Errors carry
 * Go's wording (`time: invalid duration "x"`, `time: unknown unit "d" in duration "1d"`,
 * `time: missing unit in duration "5"`).
 */

/** The outcome of parseGoDuration: nanoseconds, or Go's error message. */
export type GoDurationResult = { ok: true; nanos: number } | { ok: false; error: string };

const UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  "\u00b5s": 1e3, // U+00B5 micro sign
  "\u03bcs": 1e3, // U+03BC Greek small letter mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** 2^63 - 1 ns, the longest Go duration. */
const MAX_NANOS = 9223372036854775807;

/** Parses `s` as Go's time.ParseDuration does; the result is in nanoseconds (a double: exact to 2^53). */
export function parseGoDuration(s: string): GoDurationResult {
  const orig = s;
  const invalid = (): GoDurationResult => ({ ok: false, error: `time: invalid duration ${goQuote(orig)}` });
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return { ok: true, nanos: 0 };
  if (s === "") return invalid();
  let total = 0;
  while (s !== "") {
    if (!(s[0] === "." || isDigit(s, 0))) return invalid();
    let i = 0;
    while (isDigit(s, i)) i++;
    const whole = s.slice(0, i);
    s = s.slice(i);
    let frac = "";
    if (s[0] === ".") {
      let j = 1;
      while (isDigit(s, j)) j++;
      frac = s.slice(1, j);
      s = s.slice(j);
      if (whole === "" && frac === "") return invalid(); // ".s"
    }
    let u = 0;
    while (u < s.length && !(s[u] === "." || isDigit(s, u))) u++;
    if (u === 0) return { ok: false, error: `time: missing unit in duration ${goQuote(orig)}` };
    const unit = s.slice(0, u);
    s = s.slice(u);
    const scale = UNITS[unit];
    if (scale === undefined) return { ok: false, error: `time: unknown unit ${goQuote(unit)} in duration ${goQuote(orig)}` };
    total += Number(whole || "0") * scale + (frac === "" ? 0 : Number(`0.${frac}`) * scale);
    if (total > MAX_NANOS) return invalid();
  }
  return { ok: true, nanos: neg ? -total : total };
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Go's strconv-style quoting as the time package prints values: double quotes, `\"` and `\\` escaped. */
export function goQuote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Rounds nanoseconds to whole seconds as Go's Duration.Round(time.Second) does (halves away from zero). */
export function roundToSeconds(nanos: number): number {
  const s = Math.round(Math.abs(nanos) / 1e9);
  return nanos < 0 ? -s : s;
}
