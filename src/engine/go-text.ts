/**
 * The few Go standard-library behaviours whose exact text reaches a user through robfig/cron's error messages:
 * strconv.Quote (%q), strconv.Atoi, time.ParseDuration and the unexported time.quote. Kept apart so schedule.ts
 * reads like parser.go.
 */

/** Go's `strconv.Quote` (what `fmt` prints for `%q` of a string): backslash escapes for `"`, `\` and control characters. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (c === 0x07) out += "\\a";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x0b) out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    // NOTE: strconv.Quote also escapes non-printable Unicode (e.g. U+0085 as \u0085); only C1 controls are covered.
    else if (c >= 0x80 && c < 0xa0) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

/** Go's unexported `time.quote`: like %q for ASCII, but every byte of a non-ASCII or control character as `\xNN`. */
export function goTimeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const b of Buffer.from(ch, "utf8")) out += "\\x" + b.toString(16).padStart(2, "0");
    } else {
      if (ch === '"' || ch === "\\") out += "\\";
      out += ch;
    }
  }
  return out + '"';
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Go's `strconv.Atoi` on a 64-bit platform: optional sign, decimal digits only; the error text is Go's. */
export function goAtoi(s: string): { value: bigint } | { error: string } {
  const syntax = { error: `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax` };
  if (!/^[+-]?[0-9]+$/.test(s)) return syntax;
  const value = BigInt(s);
  if (value > INT64_MAX || value < INT64_MIN) return { error: `strconv.Atoi: parsing ${goQuote(s)}: value out of range` };
  return { value };
}

/** time.Duration units in nanoseconds (time/format.go unitMap). */
const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n, // U+00B5 micro sign
  "\u03bcs": 1_000n, // U+03BC Greek small letter mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/**
 * Go's `time.ParseDuration` (time/format.go): `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or a bare "0"; the result in
 * nanoseconds, or Go's error text (`time: invalid duration "x"`, `time: missing unit in duration "1"`,
 * `time: unknown unit "d" in duration "1d"`).
 */
export function goParseDuration(orig: string): { ns: bigint } | { error: string } {
  const invalid = { error: "time: invalid duration " + goTimeQuote(orig) };
  let s = orig;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return { ns: 0n };
  if (s === "") return invalid;
  const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  let d = 0n;
  while (s !== "") {
    if (!(s[0] === "." || isDigit(s[0]))) return invalid;
    // leadingInt: digits, overflow past 1<<63 is an error
    let i = 0;
    let v = 0n;
    while (isDigit(s[i])) {
      if (v > (1n << 63n) / 10n) return invalid;
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > 1n << 63n) return invalid;
      i++;
    }
    const pre = i > 0;
    s = s.slice(i);
    // leadingFraction: digits after '.', accumulation stops (silently) on overflow
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s !== "" && s[0] === ".") {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (isDigit(s[j])) {
        if (!overflow) {
          if (f > INT64_MAX / 10n) overflow = true;
          else {
            const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
            if (y > 1n << 63n) overflow = true;
            else {
              f = y;
              scale *= 10;
            }
          }
        }
        j++;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) return invalid;
    let k = 0;
    while (k < s.length && !(s[k] === "." || isDigit(s[k]))) k++;
    if (k === 0) return { error: "time: missing unit in duration " + goTimeQuote(orig) };
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = UNITS[u];
    if (unit === undefined) return { error: "time: unknown unit " + goTimeQuote(u) + " in duration " + goTimeQuote(orig) };
    if (v > (1n << 63n) / unit) return invalid;
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > 1n << 63n) return invalid;
    }
    d += v;
    if (d > 1n << 63n) return invalid;
  }
  if (neg) return { ns: -d };
  if (d > INT64_MAX) return invalid;
  return { ns: d };
}
