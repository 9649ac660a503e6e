import { describe, expect, it } from "vitest";
import { stream, type Rng } from "../src/engine/rng.js";
import {
  MAX_DISTRIBUTION_TEXT,
  MAX_SAMPLE_MS,
  fixedValue,
  formatDistribution,
  inverseNormalCdf,
  isFixed,
  meanOf,
  parseDistribution,
  sample,
  type Distribution,
} from "../src/workload/distribution.js";

const PINNED = [28_797, 32_297, 19_725, 3_068_791, 5_000];

const EXPECTED =
  "expected a duration such as 30s or a distribution: uniform(MIN, MAX), exponential(MEAN), lognormal(MEDIAN, SIGMA), weibull(SCALE, SHAPE), empirical(D1, D2, ...)";

/** An rng that returns the given draws in order and counts how many were taken. */
function draws(...us: number[]): Rng & { taken: () => number } {
  let i = 0;
  const rng = (() => {
    if (i >= us.length) throw new Error("rng drawn more often than expected");
    return us[i++]!;
  }) as Rng & { taken: () => number };
  rng.taken = () => i;
  return rng;
}

function parsed(text: string): Distribution {
  const r = parseDistribution(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe("parseDistribution", () => {
  it.each<[string, Distribution]>([
    ["20s", { kind: "fixed", valueMs: 20_000 }],
    ["0", { kind: "fixed", valueMs: 0 }],
    ["1h30m", { kind: "fixed", valueMs: 5_400_000 }],
    ["uniform(10s, 30s)", { kind: "uniform", minMs: 10_000, maxMs: 30_000 }],
    ["uniform(5s,5s)", { kind: "uniform", minMs: 5_000, maxMs: 5_000 }], // min = max is allowed
    ["uniform(  10s ,\t30s  )", { kind: "uniform", minMs: 10_000, maxMs: 30_000 }],
    ["exponential(30s)", { kind: "exponential", meanMs: 30_000 }],
    ["lognormal(10s, 0.5)", { kind: "lognormal", medianMs: 10_000, sigma: 0.5 }],
    ["lognormal(250ms, 2)", { kind: "lognormal", medianMs: 250, sigma: 2 }],
    ["lognormal(1s, .25)", { kind: "lognormal", medianMs: 1_000, sigma: 0.25 }],
    ["lognormal(1s, 1e-3)", { kind: "lognormal", medianMs: 1_000, sigma: 0.001 }],
    ["weibull(1h, 1.5)", { kind: "weibull", scaleMs: 3_600_000, shape: 1.5 }],
    ["weibull(1m, +3)", { kind: "weibull", scaleMs: 60_000, shape: 3 }],
    ["empirical(1s, 2s, 5s)", { kind: "empirical", valuesMs: [1_000, 2_000, 5_000] }],
    ["empirical(0s)", { kind: "empirical", valuesMs: [0] }],
    ["empirical(5s,1s,5s)", { kind: "empirical", valuesMs: [5_000, 1_000, 5_000] }], // order and repeats kept
  ])("%s", (text, value) => {
    expect(parseDistribution(text)).toEqual({ ok: true, value });
  });

  it.each([
    ["lognormal(10s, 0)", "sigma must be greater than 0"],
    ["lognormal(10s, -1)", "sigma must be greater than 0"],
    ["lognormal(0s, 1)", "median must be greater than 0"],
    ["lognormal(10s, abc)", 'sigma "abc" is not a number'],
    ["lognormal(10s, 1e999)", "sigma 1e999 is out of range"],
    ["lognormal(10s, Infinity)", 'sigma "Infinity" is not a number'],
    ["lognormal(10s, 0x10)", 'sigma "0x10" is not a number'],
    ["lognormal(10s, 1s)", 'sigma "1s" is not a number'],
    ["lognormal(10s)", "lognormal(MEDIAN, SIGMA) takes 2 arguments, got 1"],
    ["weibull(1h, 0)", "shape must be greater than 0"],
    ["weibull(0s, 1.5)", "scale must be greater than 0"],
    ["weibull(1h, 1.5, 2)", "weibull(SCALE, SHAPE) takes 2 arguments, got 3"],
    ["exponential(0s)", "mean must be greater than 0"],
    ["exponential()", "exponential(MEAN) takes 1 argument, got 0"],
    ["exponential(1s, 2s)", "exponential(MEAN) takes 1 argument, got 2"],
    ["uniform(30s, 10s)", "min 30s is greater than max 10s"],
    ["uniform(10s)", "uniform(MIN, MAX) takes 2 arguments, got 1"],
    ["uniform(, 10s)", "min is empty"],
    ["uniform(10x, 30s)", 'min "10x" is not a duration: unknown unit "x"'],
    ["uniform(10s, 30)", 'max "30" is not a duration: missing unit after 30'],
    ["uniform(10s, -5s)", 'max "-5s" is not a duration: must not be negative'],
    ["uniform(1500us, 2s)", 'min "1500us" is not a duration: not a whole number of milliseconds (the simulation\'s time resolution)'],
    ["empirical()", "empirical needs at least one value"],
    ["empirical(1s, , 2s)", "value 2 is empty"],
    ["empirical(1s, 2s,)", "value 3 is empty"],
    ["empirical(1s, abc)", 'value 2 "abc" is not a duration'],
    ["normal(10s, 1s)", 'unknown function "normal"'],
    ["Uniform(1s, 2s)", '"Uniform" before "(" is not a function name'],
    [" uniform(1s, 2s)", '" uniform" before "(" is not a function name'],
    ["(1s)", '"" before "(" is not a function name'],
    ["constructor(1s)", 'unknown function "constructor"'],
    ["toString(1s)", '"toString" before "(" is not a function name'],
    ["hasOwnProperty(1s)", '"hasOwnProperty" before "(" is not a function name'],
    ["uniform(1s, 2s", 'missing ")" at the end'],
    ["uniform(1s, 2s) ", 'unexpected " " after ")"'],
    ["uniform(1s, 2s)x", 'unexpected "x" after ")"'],
    ["uniform((1s), 2s)", "unexpected parenthesis inside uniform(...)"],
    ["uniform(1s, 2s))", "unexpected parenthesis inside uniform(...)"],
    ["5 minutes", 'not a duration: unknown unit " minutes"'],
    ["abc", "not a duration"],
    ["", "not a duration"],
    ["-5s", "not a duration: must not be negative"],
    ["uniform", "missing arguments: uniform(MIN, MAX)"],
    ["empirical", "missing arguments: empirical(D1, D2, ...)"],
  ])("rejects %j: %s", (text, why) => {
    expect(parseDistribution(text)).toEqual({ ok: false, error: `invalid distribution ${JSON.stringify(text)}: ${why}; ${EXPECTED}` });
  });

  it("refuses text longer than the cap at once, quoting only its start", () => {
    const text = `empirical(${"1s, ".repeat(2000)}1s)`; // 10 + 4 * 2000 + 3 = 8013 characters
    expect(text.length).toBe(8013);
    expect(parseDistribution(text)).toEqual({
      ok: false,
      error: `invalid distribution "empirical(1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s"... (8013 characters): longer than 4096 characters; ${EXPECTED}`,
    });
  });

  it("reads text of exactly the cap", () => {
    const values = (n: number) => `empirical(${Array.from({ length: n }, () => "1s").join(",")})`;
    // 10 + (2n + n - 1) + 1 = 3n + 10 characters: n = 1362 gives 4096
    expect(values(1362).length).toBe(MAX_DISTRIBUTION_TEXT);
    expect(parseDistribution(values(1362)).ok).toBe(true);
    expect(parseDistribution(`${values(1362)} `).ok).toBe(false);
  });

  it("stays fast on long hostile input", () => {
    const hostile = ["(".repeat(4096), `uniform(${",".repeat(4087)})`, "9".repeat(4096), `${"1".repeat(4094)}ms`, `${"1h".repeat(2047)}1x`, `empirical(${"9".repeat(4084)}ms)`];
    const t0 = process.hrtime.bigint();
    for (const h of hostile) expect(parseDistribution(h).ok).toBe(false);
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(1_000);
  });
});

describe("formatDistribution", () => {
  it.each([
    ["20s", "20s"],
    ["0", "0s"],
    ["90000ms", "1m30s"],
    ["uniform( 10s,30s )", "uniform(10s, 30s)"],
    ["exponential(1800s)", "exponential(30m)"],
    ["lognormal(10s, 0.50)", "lognormal(10s, 0.5)"],
    ["lognormal(10s, 1e-7)", "lognormal(10s, 1e-7)"],
    ["weibull(60m, 1.5)", "weibull(1h, 1.5)"],
    ["weibull(1h, 2.5e21)", "weibull(1h, 2.5e+21)"],
    ["empirical(1000ms,2s, 5s)", "empirical(1s, 2s, 5s)"],
  ])("%s prints as %s, which parses back to the same distribution", (text, canonical) => {
    const d = parsed(text);
    expect(formatDistribution(d)).toBe(canonical);
    expect(parsed(canonical)).toEqual(d);
  });

  it("round-trips random distributions", () => {
    const rng = stream(7, "distribution-format");
    const num = () => Number((rng() * 10).toPrecision(1 + Math.floor(rng() * 17))) || 0.5;
    const ms = () => Math.floor(rng() * 10 ** Math.floor(rng() * 10));
    for (let i = 0; i < 500; i++) {
      const a = ms();
      const b = a + ms();
      const ds: Distribution[] = [
        { kind: "fixed", valueMs: a },
        { kind: "uniform", minMs: a, maxMs: b },
        { kind: "exponential", meanMs: a + 1 },
        { kind: "lognormal", medianMs: a + 1, sigma: num() },
        { kind: "weibull", scaleMs: b + 1, shape: num() },
        { kind: "empirical", valuesMs: [a, b, ms()] },
      ];
      for (const d of ds) expect(parsed(formatDistribution(d))).toEqual(d);
    }
  });
});

describe("isFixed / fixedValue", () => {
  it.each<[string, boolean, number | undefined]>([
    ["20s", true, 20_000],
    ["2562047h", true, MAX_SAMPLE_MS], // 9_223_369_200_000 ms is past 2^43 = 8_796_093_022_208: clamped like a sample
    ["uniform(1s, 1s)", false, undefined], // a degenerate distribution still draws
    ["empirical(1s)", false, undefined],
  ])("%s", (text, fixed, value) => {
    const d = parsed(text);
    expect(isFixed(d)).toBe(fixed);
    expect(fixedValue(d)).toBe(value);
  });
});

describe("inverseNormalCdf", () => {
  // Reference quantiles from mpmath at 80 digits (findroot on ln(erfc(-x / sqrt 2) / 2) = ln p, by symmetry for p > 1/2), for the double nearest each p.
  it.each([
    [0.5, 0],
    [0.75, 0.6744897501960817],
    [0.9, 1.2815515655446006],
    [0.975, 1.9599639845400538],
    [0.99, 2.3263478740408408],
    [0.999, 3.090232306167813],
    [0.9999, 3.7190164854557084],
    [0.999999999, 5.9978070196016375],
    [0.3, -0.5244005127080408],
    [0.02425, -1.972961051311885],
    [1e-5, -4.264890793922825],
    [1e-10, -6.361340902404057],
    [1e-300, -37.0470962993612],
    [5e-324, -38.467405617144344],
  ])("PhiInv(%d) = %d", (p, x) => {
    const got = inverseNormalCdf(p);
    // AS241 is good to about 1e-16 relative; allow 4 ulps.
    expect(Math.abs(got - x)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.max(1, Math.abs(x)));
  });

  it("is odd around 1/2, monotone, and infinite at the ends", () => {
    expect(inverseNormalCdf(0)).toBe(-Infinity);
    expect(inverseNormalCdf(1)).toBe(Infinity);
    expect(inverseNormalCdf(-0.1)).toBeNaN();
    expect(inverseNormalCdf(1.1)).toBeNaN();
    let prev = -Infinity;
    for (let i = 1; i < 10_000; i++) {
      const x = inverseNormalCdf(i / 10_000);
      expect(x).toBeGreaterThan(prev);
      // PhiInv(1 - p) = -PhiInv(p); 1 - i/10000 is not exact, so compare loosely.
      expect(inverseNormalCdf(1 - i / 10_000)).toBeCloseTo(-x, 10);
      prev = x;
    }
  });
});

describe("sample", () => {
  it.each<[string, number, number]>([
    // uniform: 10000 + 0.25 * (30000 - 10000) = 15000
    ["uniform(10s, 30s)", 0.25, 15_000],
    // 10000 + 0 * 20000 = 10000: the minimum at u = 0
    ["uniform(10s, 30s)", 0, 10_000],
    // 10000 + 0.99999 * 20000 = 29999.8 -> 30000 (rounding reaches the maximum)
    ["uniform(10s, 30s)", 0.99999, 30_000],
    // exponential: -30000 * ln(1 - 0.5) = 30000 * 0.693147... = 20794.415 -> 20794
    ["exponential(30s)", 0.5, 20_794],
    // -30000 * ln(1 - 0) = 0
    ["exponential(30s)", 0, 0],
    // -30000 * ln(1 - (1 - 2^-53)) = 30000 * 53 ln 2 = 30000 * 36.7368006 = 1102104.02 -> 1102104: the largest, finite
    ["exponential(30s)", 1 - 2 ** -53, 1_102_104],
    // lognormal: 10000 * exp(0.5 * PhiInv(0.5)) = 10000 * exp(0) = 10000 (the median)
    ["lognormal(10s, 0.5)", 0.5, 10_000],
    // 10000 * exp(0.5 * 1.9599639845400538) = 10000 * 2.6644082615528976 = 26644.08 -> 26644
    ["lognormal(10s, 0.5)", 0.975, 26_644],
    // 10000 * exp(0.5 * -1.9599639845400538) = 10000 / 2.6644082615528976 = 3753.18 -> 3753
    ["lognormal(10s, 0.5)", 0.025, 3_753],
    // exp(-Infinity) = 0 at u = 0
    ["lognormal(10s, 0.5)", 0, 0],
    // weibull: 3600000 * (-ln(1 - 0.5))^(1/1.5) = 3600000 * 0.6931472^0.6667 = 3600000 * 0.7832198 = 2819591.2 -> 2819591
    ["weibull(1h, 1.5)", 0.5, 2_819_591],
    // u = 1 - e^-1: -ln(e^-1) = 1, 1^(1/1.5) = 1 -> the scale, 3600000
    ["weibull(1h, 1.5)", 1 - Math.exp(-1), 3_600_000],
    // shape 1 is exponential(scale): 60000 * ln 2 = 41588.83 -> 41589
    ["weibull(1m, 1)", 0.5, 41_589],
    // empirical: values[floor(u * 3)]: floor(0) = 0, floor(1.02) = 1, floor(1) = 1, floor(2.97) = 2
    ["empirical(1s, 2s, 5s)", 0, 1_000],
    ["empirical(1s, 2s, 5s)", 0.34, 2_000],
    ["empirical(1s, 2s, 5s)", 1 / 3, 2_000],
    ["empirical(1s, 2s, 5s)", 0.99, 5_000],
    ["empirical(1s, 2s, 5s)", 1 - 2 ** -53, 5_000],
  ])("%s at u = %d is %d ms, from exactly one draw", (text, u, ms) => {
    const rng = draws(u);
    expect(sample(parsed(text), rng)).toBe(ms);
    expect(rng.taken()).toBe(1);
  });

  it("a fixed value draws nothing", () => {
    const rng = draws();
    expect(sample(parsed("20s"), rng)).toBe(20_000);
    expect(rng.taken()).toBe(0);
  });

  it.each([
    // 10000 * exp(1000 * PhiInv(0.9)) = 10000 * exp(1281.55) = Infinity -> 2^43
    ["lognormal(10s, 1000)", 0.9, MAX_SAMPLE_MS],
    // 1000 * (-ln(0.1))^(1/0.001) = 1000 * 2.302585^1000 = 1000 * 10^362 -> Infinity -> 2^43
    ["weibull(1s, 0.001)", 0.9, MAX_SAMPLE_MS],
    // 1000 * (-ln(0.9))^1000 = 1000 * 0.10536^1000 -> 0
    ["weibull(1s, 0.001)", 0.1, 0],
    // 9223369200000 * ln 2 = 6393152356243.4 -> 6393152356243, below 2^43 = 8796093022208: kept
    ["exponential(2562047h)", 0.5, 6_393_152_356_243],
    // 9223369200000 * -ln(0.1) = 21237592427100.4, past 2^43 -> 2^43
    ["exponential(2562047h)", 0.9, MAX_SAMPLE_MS],
  ])("%s at u = %d is clamped to %d", (text, u, ms) => {
    expect(sample(parsed(text), draws(u))).toBe(ms);
  });

  it("samples are integers in [0, 2^43], never -0", () => {
    const rng = stream(3, "distribution-range");
    const ds = ["uniform(0s, 1ms)", "exponential(1ms)", "lognormal(1ms, 30)", "weibull(1ms, 0.01)", "empirical(0s, 1ms)"].map(parsed);
    for (let i = 0; i < 2_000; i++) {
      for (const d of ds) {
        const x = sample(d, rng);
        expect(Number.isInteger(x) && x >= 0 && x <= MAX_SAMPLE_MS && !Object.is(x, -0)).toBe(true);
      }
    }
  });

  it("the same seed gives the same samples", () => {
    const ds = ["uniform(10s, 30s)", "exponential(30s)", "lognormal(10s, 0.5)", "weibull(1h, 1.5)", "empirical(1s, 2s, 5s)"].map(parsed);
    const run = () => {
      const rng = stream(42, "distribution-determinism");
      return Array.from({ length: 200 }, (_, i) => sample(ds[i % ds.length]!, rng));
    };
    const a = run();
    expect(run()).toEqual(a);
    // The first samples of seed 42, pinned so a change in the arithmetic shows.
    expect(a.slice(0, 5)).toEqual(PINNED);
  });

  it("sample means approach meanOf", () => {
    const cases: [string, number][] = [
      ["uniform(10s, 30s)", 20_000], // (10000 + 30000) / 2
      ["exponential(30s)", 30_000],
      ["lognormal(10s, 0.5)", 11_331.48], // 10000 * exp(0.25 / 2) = 10000 * 1.133148
      ["weibull(1h, 1.5)", 3_249_883.05], // 3600000 * Gamma(1 + 1/1.5) = 3600000 * 0.9027453
      ["weibull(1h, 2)", 3_190_416.93], // 3600000 * Gamma(1.5) = 3600000 * sqrt(pi) / 2 = 3600000 * 0.8862269
      ["empirical(1s, 2s, 6s)", 3_000], // (1000 + 2000 + 6000) / 3
    ];
    const rng = stream(11, "distribution-means");
    for (const [text, mean] of cases) {
      const d = parsed(text);
      expect(meanOf(d)).toBeCloseTo(mean, 1);
      let sum = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) sum += sample(d, rng);
      // Within 3% of the mean: every case's standard error is under 1% at n = 20000.
      expect(Math.abs(sum / n - mean) / mean).toBeLessThan(0.03);
    }
  });
});
