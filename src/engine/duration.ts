/**
 * Durations as scenario files write them: Go's time.ParseDuration syntax ("250ms", "90s", "1h30m", "1.5h"),
 * held as integer milliseconds of virtual time.
 */

/** Outcome of `parseDuration`: integer milliseconds, or a message saying what was wrong and what was expected. */
export type DurationResult = { ok: true; value: number } | { ok: false; error: string };

const EXPECTED = "expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)";

/** Nanoseconds per unit, as Go's unitMap (src/time/format.go); µs and μs are the two spellings Go accepts. */
const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  "µs": 1_000n,
  "μs": 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Go's time.Duration is an int64 of nanoseconds; larger values are an error there too. */
const MAX_NS = (1n << 63n) - 1n;

/**
 * Parses a Go duration (time.ParseDuration, src/time/format.go): a sequence of decimal numbers, each with an
 * optional fraction and a unit, e.g. "300ms", "1.5h", "2h45m"; "0" needs no unit. A leading "+" is accepted.
 * Returns integer milliseconds. NOTE: deviations from Go, because virtual time is integer milliseconds and runs
 * forward: a negative duration is an error, and so is one that is not a whole number of milliseconds ("1500us").
 * Fractions beyond the nanosecond are truncated, as Go does. Never throws.
 */
export function parseDuration(s: string): DurationResult {
  const bad = (why?: string): DurationResult => ({
    ok: false,
    error: `invalid duration ${JSON.stringify(s)}: ${why ? `${why}; ` : ""}${EXPECTED}`,
  });
  let rest = s;
  let negative = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    negative = rest.startsWith("-");
    rest = rest.slice(1);
  }
  if (rest === "0") return { ok: true, value: 0 };
  if (rest === "") return bad();
  let ns = 0n;
  const part = /^(\d*)(?:\.(\d*))?([^\d.]*)/;
  while (rest !== "") {
    const m = part.exec(rest)!;
    const [whole, intDigits = "", fracDigits, unit = ""] = m;
    if (intDigits === "" && (fracDigits === undefined || fracDigits === "")) return bad();
    if (unit === "") return bad(`missing unit after ${intDigits}${fracDigits !== undefined ? `.${fracDigits}` : ""}`);
    const unitNs = Object.hasOwn(UNIT_NS, unit) ? UNIT_NS[unit] : undefined;
    if (unitNs === undefined) return bad(`unknown unit ${JSON.stringify(unit)}`);
    const frac = fracDigits ?? "";
    // value = (int + frac / 10^len) * unit, truncated to the nanosecond like Go.
    const scale = 10n ** BigInt(frac.length);
    ns += BigInt(intDigits || "0") * unitNs + (BigInt(frac || "0") * unitNs) / scale;
    if (ns > MAX_NS) return bad("out of range (at most 2562047h)");
    rest = rest.slice(whole.length);
  }
  if (negative && ns !== 0n) return bad("must not be negative");
  if (ns % 1_000_000n !== 0n) return bad("not a whole number of milliseconds (the simulation's time resolution)");
  return { ok: true, value: Number(ns / 1_000_000n) };
}

/**
 * Formats integer milliseconds as a short Go duration that parseDuration reads back to the same value: zero units
 * are left out ("1h30m", "50s", "250ms", "1m30.5s", "1h5s"); 0 is "0s", as Go prints it.
 * NOTE: Go's Duration.String always spells every unit below the largest ("1h30m0s"); the short form reads better
 * in reports and round-trips the same.
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${ms}ms`;
  const { h, m, restMs } = units(ms);
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${restMs ? secondsText(restMs) : ""}`;
}

/**
 * Go's time.Duration.String() of whole milliseconds, as kubelet messages print durations ("back-off 1m20s
 * restarting ...", "Successfully pulled image ... in 1.594s"): every unit below the largest is spelled ("5m0s",
 * "1h0m0s"); under a second it is "313ms"; 0 is "0s".
 */
export function goDurationString(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 0) return `-${goDurationString(-ms)}`;
  if (ms < 1000) return `${ms}ms`;
  const { h, m, restMs } = units(ms);
  const sec = secondsText(restMs);
  if (h) return `${h}h${m}m${sec}`;
  if (m) return `${m}m${sec}`;
  return sec;
}

/** Whole hours, whole minutes and the ms left below a minute. */
function units(ms: number): { h: number; m: number; restMs: number } {
  return { h: Math.floor(ms / 3_600_000), m: Math.floor((ms % 3_600_000) / 60_000), restMs: ms % 60_000 };
}

/** Seconds with the fraction Go prints (trailing zeros dropped): "5s", "1.594s", "0s". */
function secondsText(restMs: number): string {
  const sec = Math.floor(restMs / 1000);
  const milli = restMs % 1000;
  return milli ? `${sec}.${String(milli).padStart(3, "0").replace(/0+$/, "")}s` : `${sec}s`;
}
