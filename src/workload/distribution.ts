/**
 * Durations that are a fixed value or a random distribution, written as one string in scenario files and pod
 * annotation values: "20s", "uniform(10s, 30s)", "exponential(30s)", "lognormal(10s, 0.5)", "weibull(1h, 1.5)",
 * "empirical(1s, 2s, 5s)". Durations inside are Go durations (src/engine/duration.ts); samples are integer
 * milliseconds of virtual time, drawn by inversion from exactly one uniform draw of a given `Rng`.
 */
import type { Rng } from "../engine/rng.js";
import { formatDuration, parseDuration } from "../engine/duration.js";

/**
 * A duration distribution, every duration in integer milliseconds.
 * - fixed: always `valueMs`.
 * - uniform: uniform on [minMs, maxMs] (minMs <= maxMs).
 * - exponential: exponential with mean `meanMs` (> 0).
 * - lognormal: exp(N(mu, sigma^2)) with mu = ln(medianMs): the median is `medianMs` (> 0), `sigma` (> 0) is the
 *   standard deviation of the underlying normal (dimensionless).
 * - weibull: Weibull with scale `scaleMs` (> 0) and dimensionless `shape` (> 0); shape 1 is exponential(scale).
 * - empirical: one of `valuesMs` (at least one), each equally likely.
 */
export type Distribution =
  | { kind: "fixed"; valueMs: number }
  | { kind: "uniform"; minMs: number; maxMs: number }
  | { kind: "exponential"; meanMs: number }
  | { kind: "lognormal"; medianMs: number; sigma: number }
  | { kind: "weibull"; scaleMs: number; shape: number }
  | { kind: "empirical"; valuesMs: readonly number[] };

/** Outcome of `parseDistribution`: the distribution, or a message saying what was wrong and what was expected. */
export type DistributionResult = { ok: true; value: Distribution } | { ok: false; error: string };

/**
 * The largest sample, in ms: 2^43 ms, about 278.7 years. It is the largest power of two inside Go's
 * time.Duration range (2^63 - 1 ns, about 292.3 years), so every sample still formats as a Go duration that
 * parseDuration reads back, and a virtual clock below 2^52 ms plus any sample stays an exact integer
 * (Number.MAX_SAFE_INTEGER is 2^53 - 1). A heavy tail (lognormal with a large sigma, weibull with a small shape)
 * can otherwise reach Infinity.
 */
export const MAX_SAMPLE_MS = 2 ** 43;

/** The longest text `parseDistribution` reads; longer input is refused before any other work. */
export const MAX_DISTRIBUTION_TEXT = 4096;

const EXPECTED =
  "expected a duration such as 30s or a distribution: uniform(MIN, MAX), exponential(MEAN), lognormal(MEDIAN, SIGMA), weibull(SCALE, SHAPE), empirical(D1, D2, ...)";

/** The argument names of each function, as the error messages call them; `undefined` for empirical's list. */
const ARGS: Readonly<Record<string, readonly string[] | undefined>> = {
  uniform: ["min", "max"],
  exponential: ["mean"],
  lognormal: ["median", "sigma"],
  weibull: ["scale", "shape"],
  empirical: undefined,
};

/** A decimal number as JavaScript prints one (so `formatDistribution` round-trips): 0.5, 2, .5, 1e-7, 1.5e+21. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * parseDuration's message without its "invalid duration "...": " head and its "expected ..." tail, so a distribution
 * error names the reason once and ends in one list of what was expected. The tail is taken from parseDuration
 * itself (its message for ""), and a message of another shape is kept whole, so a change there cannot lose text.
 */
function durationReason(text: string, error: string): string {
  const empty = parseDuration("");
  const tail = empty.ok ? "" : empty.error.slice(`invalid duration "": `.length);
  const head = `invalid duration ${JSON.stringify(text)}: `;
  if (tail === "" || !error.startsWith(head) || !error.endsWith(tail)) return error;
  return error.slice(head.length, error.length - tail.length).replace(/; $/, "");
}

/**
 * Parses a duration distribution (grammar in the module comment): a Go duration is `fixed`; otherwise a lowercase
 * function name, "(", comma-separated arguments with optional whitespace around each, ")". Durations use
 * parseDuration (so the same units, and integer ms); sigma and shape are decimal numbers. Checks: uniform
 * min <= max; exponential mean > 0; lognormal median > 0 and sigma > 0; weibull scale > 0 and shape > 0; empirical
 * at least one value. Errors read `invalid distribution "<text>": <what was wrong>; expected ...`, like
 * parseDuration's. Never throws; text longer than MAX_DISTRIBUTION_TEXT is refused (the work is linear in the
 * length, the cap keeps messages and annotation values bounded).
 */
export function parseDistribution(text: string): DistributionResult {
  const quoted =
    text.length > MAX_DISTRIBUTION_TEXT ? `${JSON.stringify(text.slice(0, 40))}... (${text.length} characters)` : JSON.stringify(text);
  const bad = (why: string): DistributionResult => ({ ok: false, error: `invalid distribution ${quoted}: ${why}; ${EXPECTED}` });
  if (text.length > MAX_DISTRIBUTION_TEXT) return bad(`longer than ${MAX_DISTRIBUTION_TEXT} characters`);

  const open = text.indexOf("(");
  if (open < 0) {
    if (Object.hasOwn(ARGS, text)) return bad(`missing arguments: ${signature(text)}`);
    const d = parseDuration(text);
    if (!d.ok) {
      const reason = durationReason(text, d.error);
      return bad(reason === "" ? "not a duration" : `not a duration: ${reason}`);
    }
    return { ok: true, value: { kind: "fixed", valueMs: d.value } };
  }
  const name = text.slice(0, open);
  if (!/^[a-z]+$/.test(name)) return bad(`${JSON.stringify(name)} before "(" is not a function name`);
  if (!Object.hasOwn(ARGS, name)) return bad(`unknown function ${JSON.stringify(name)}`);
  if (!text.endsWith(")")) {
    const close = text.indexOf(")", open);
    return bad(close < 0 ? `missing ")" at the end` : `unexpected ${JSON.stringify(text.slice(close + 1))} after ")"`);
  }
  const inner = text.slice(open + 1, -1);
  if (/[()]/.test(inner)) return bad(`unexpected parenthesis inside ${name}(...)`);
  const args = inner.trim() === "" ? [] : inner.split(",").map((a) => a.trim());

  const names = ARGS[name];
  if (names === undefined) {
    // empirical(D1, D2, ...)
    if (args.length === 0) return bad("empirical needs at least one value");
    const valuesMs: number[] = [];
    for (const [i, arg] of args.entries()) {
      const v = duration(`value ${i + 1}`, arg);
      if (typeof v === "string") return bad(v);
      valuesMs.push(v);
    }
    return { ok: true, value: { kind: "empirical", valuesMs } };
  }
  if (args.length !== names.length) {
    return bad(`${signature(name)} takes ${names.length} argument${names.length === 1 ? "" : "s"}, got ${args.length}`);
  }
  const a0 = args[0]!;
  switch (name) {
    case "uniform": {
      const minMs = duration("min", a0);
      if (typeof minMs === "string") return bad(minMs);
      const maxMs = duration("max", args[1]!);
      if (typeof maxMs === "string") return bad(maxMs);
      if (minMs > maxMs) return bad(`min ${a0} is greater than max ${args[1]!}`);
      return { ok: true, value: { kind: "uniform", minMs, maxMs } };
    }
    case "exponential": {
      const meanMs = positiveDuration("mean", a0);
      if (typeof meanMs === "string") return bad(meanMs);
      return { ok: true, value: { kind: "exponential", meanMs } };
    }
    case "lognormal": {
      const medianMs = positiveDuration("median", a0);
      if (typeof medianMs === "string") return bad(medianMs);
      const sigma = positiveNumber("sigma", args[1]!);
      if (typeof sigma === "string") return bad(sigma);
      return { ok: true, value: { kind: "lognormal", medianMs, sigma } };
    }
    default: {
      // weibull: the only name left in ARGS.
      const scaleMs = positiveDuration("scale", a0);
      if (typeof scaleMs === "string") return bad(scaleMs);
      const shape = positiveNumber("shape", args[1]!);
      if (typeof shape === "string") return bad(shape);
      return { ok: true, value: { kind: "weibull", scaleMs, shape } };
    }
  }
}

/** How a function is written, as EXPECTED spells it: "uniform(MIN, MAX)", "empirical(D1, D2, ...)". */
function signature(name: string): string {
  const names = ARGS[name];
  return `${name}(${names === undefined ? "D1, D2, ..." : names.map((n) => n.toUpperCase()).join(", ")})`;
}

/** An argument as a duration in ms, or the reason it is not one. */
function duration(what: string, arg: string): number | string {
  if (arg === "") return `${what} is empty`;
  const d = parseDuration(arg);
  if (d.ok) return d.value;
  const reason = durationReason(arg, d.error);
  return `${what} ${JSON.stringify(arg)} is not a duration${reason === "" ? "" : `: ${reason}`}`;
}

function positiveDuration(what: string, arg: string): number | string {
  const v = duration(what, arg);
  return typeof v === "number" && v <= 0 ? `${what} must be greater than 0` : v;
}

/** An argument as a finite number > 0, or the reason it is not one. */
function positiveNumber(what: string, arg: string): number | string {
  if (arg === "") return `${what} is empty`;
  if (!NUMBER.test(arg)) return `${what} ${JSON.stringify(arg)} is not a number`;
  const v = Number(arg);
  if (!Number.isFinite(v)) return `${what} ${arg} is out of range`;
  return v > 0 ? v : `${what} must be greater than 0`;
}

/**
 * The canonical text of `d`, which parseDistribution reads back to an equal distribution: durations as
 * formatDuration prints them, sigma and shape as JavaScript prints numbers (the shortest text that reads back to
 * the same double), arguments separated by ", ". A fixed value is the bare duration.
 */
export function formatDistribution(d: Distribution): string {
  const f = formatDuration;
  switch (d.kind) {
    case "fixed":
      return f(d.valueMs);
    case "uniform":
      return `uniform(${f(d.minMs)}, ${f(d.maxMs)})`;
    case "exponential":
      return `exponential(${f(d.meanMs)})`;
    case "lognormal":
      return `lognormal(${f(d.medianMs)}, ${String(d.sigma)})`;
    case "weibull":
      return `weibull(${f(d.scaleMs)}, ${String(d.shape)})`;
    case "empirical":
      return `empirical(${d.valuesMs.map(f).join(", ")})`;
  }
}

/** Whether `d` is a fixed value: sampling it draws nothing. */
export function isFixed(d: Distribution): d is { kind: "fixed"; valueMs: number } {
  return d.kind === "fixed";
}

/** The value a fixed distribution always samples (clamped like every sample), or `undefined` for a random one. */
export function fixedValue(d: Distribution): number | undefined {
  return d.kind === "fixed" ? clampMs(d.valueMs) : undefined;
}

/**
 * One sample of `d` in integer ms, in [0, MAX_SAMPLE_MS]: exactly one `rng()` draw u in [0, 1) for every random
 * kind and none for `fixed`, turned into a sample by inversion of the CDF, then rounded to the nearest ms
 * (Math.round) and clamped:
 *   uniform      min + u * (max - min)
 *   exponential  -mean * ln(1 - u)
 *   lognormal    exp(mu + sigma * PhiInv(u)) = median * exp(sigma * PhiInv(u)), mu = ln(median)
 *   weibull      scale * (-ln(1 - u))^(1 / shape)
 *   empirical    values[floor(u * n)]
 * Inversion keeps one draw per sample, so how many draws a run takes depends only on which kinds it samples, never
 * on the values drawn; the same draws give the same samples (each is a fixed sequence of IEEE operations on u;
 * V8 computes Math.log, exp and pow with its own fdlibm port, not the C library, so one Node version gives the
 * same results on every platform).
 */
export function sample(d: Distribution, rng: Rng): number {
  switch (d.kind) {
    case "fixed":
      return clampMs(d.valueMs);
    case "uniform":
      return clampMs(d.minMs + rng() * (d.maxMs - d.minMs));
    case "exponential":
      // log1p(-u) = ln(1 - u), exact for small u; 1 - u > 0 since u < 1.
      return clampMs(-d.meanMs * Math.log1p(-rng()));
    case "lognormal":
      return clampMs(d.medianMs * Math.exp(d.sigma * inverseNormalCdf(rng())));
    case "weibull":
      return clampMs(d.scaleMs * Math.pow(-Math.log1p(-rng()), 1 / d.shape));
    case "empirical": {
      const n = d.valuesMs.length;
      // min() guards the last index against an rng at the edge of its contract.
      return clampMs(d.valuesMs[Math.min(n - 1, Math.floor(rng() * n))]!);
    }
  }
}

/** Rounds to the nearest ms and clamps to [0, MAX_SAMPLE_MS]; NaN (never produced by a valid distribution) is 0. */
function clampMs(x: number): number {
  if (!(x > 0)) return 0; // also turns -0 and NaN into 0
  return Math.min(MAX_SAMPLE_MS, Math.round(x));
}

/**
 * The mean of `d` in ms, before rounding and clamping (for documentation and tests): uniform (min + max) / 2,
 * exponential mean, lognormal median * exp(sigma^2 / 2), weibull scale * Gamma(1 + 1/shape), empirical the average
 * of the values. May be Infinity (weibull with a very small shape).
 */
export function meanOf(d: Distribution): number {
  switch (d.kind) {
    case "fixed":
      return d.valueMs;
    case "uniform":
      return (d.minMs + d.maxMs) / 2;
    case "exponential":
      return d.meanMs;
    case "lognormal":
      return d.medianMs * Math.exp((d.sigma * d.sigma) / 2);
    case "weibull":
      return d.scaleMs * gamma(1 + 1 / d.shape);
    case "empirical": {
      let sum = 0;
      for (const v of d.valuesMs) sum += v;
      return sum / d.valuesMs.length;
    }
  }
}

/** Lanczos coefficients for g = 7, n = 9 (Numerical Recipes 3rd ed. / Godfrey); about 15 significant digits. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** The gamma function for x >= 1 (all meanOf needs), by the Lanczos approximation; Infinity past about 171.6. */
function gamma(x: number): number {
  const z = x - 1;
  let a = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * a;
}

/**
 * The standard normal quantile PhiInv(p) for p in [0, 1]: -Infinity at 0, Infinity at 1. Wichura's algorithm
 * AS241 (PPND16, Applied Statistics 37(3), 1988), the one R's qnorm and Python's statistics.NormalDist.inv_cdf use:
 * rational approximations on three ranges, relative error about 1e-16. It is chosen over Acklam's algorithm
 * because Acklam's needs a refinement step with an erfc accurate to double precision to get there.
 */
export function inverseNormalCdf(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    const num =
      (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r + 6.7265770927008700853e4) * r +
        4.5921953931549871457e4) * r + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r +
        1.3314166789178437745e2) * r + 3.387132872796366608) * q;
    const den =
      ((((((5.226495278852854561e3 * r + 2.8729085735721942674e4) * r + 3.930789580009271061e4) * r +
        2.1213794301586595867e4) * r + 5.3941960214247511077e3) * r + 6.8718700749205790830e2) * r +
        4.2313330701600911252e1) * r + 1;
    return num / den;
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    const num =
      ((((((7.7454501427834140764e-4 * r + 2.27238449892691845833e-2) * r + 2.4178072517745061177e-1) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
        4.6303378461565452959) * r + 1.42343711074968357734;
    const den =
      ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 1.51986665636164571966e-2) * r +
        1.4810397642748007459e-1) * r + 6.8976733498510000455e-1) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1;
    x = num / den;
  } else {
    r -= 5;
    const num =
      ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.2426609473880784386e-3) * r +
        2.65321895265761230930e-2) * r + 2.9656057182850489123e-1) * r + 1.7848265399172913358) * r +
        5.4637849111641143699) * r + 6.6579046435011037772;
    const den =
      ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) * r + 1.4875361290850614852e-2) * r + 1.3692988092273580531e-1) * r +
        5.9983220655588793769e-1) * r + 1;
    x = num / den;
  }
  return q < 0 ? -x : x;
}
