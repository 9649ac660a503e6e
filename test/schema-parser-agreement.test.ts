/**
 * The schema and the parsers accept the same values (issue 5, item 1): durations, quantities and times are
 * checked in the schema by the loader's own parsers (the `k8simValue` keyword), and these property tests show it
 * on generated strings. Every value the schema accepts is used; every one it refuses is reported at its position,
 * with the millisecond resolution stated.
 */
import seedrandom from "seedrandom";
import { afterAll, describe, expect, it } from "vitest";
import { fitsNumber, parseQuantity } from "../src/api/quantity.js";
import { parseDuration } from "../src/engine/duration.js";
import { loadScenario } from "../src/scenario/load.js";
import { deref, schemaAccepts, scenarioSchema, VALUE_KEYWORD, type SchemaNode } from "../src/scenario/schema.js";
import { parseRfc3339Time } from "../src/scenario/time.js";
import { cli } from "./helpers/cli.js";
import { removeScenarios, SCENARIOS, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const NODE_FAILURE = `${SCENARIOS}/node-failure.yaml`;
const CASES = 3000;

/** A seeded generator of strings near the grammar: pieces of valid syntax, glued with noise. */
function generator(seed: string, pieces: readonly string[], valid: number) {
  const rnd = seedrandom.alea(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const digits = () => {
    const n = Math.floor(rnd() * 4) === 0 ? Math.floor(rnd() * 22) : Math.floor(rnd() * 4) + 1;
    let s = "";
    for (let i = 0; i < n; i++) s += String(Math.floor(rnd() * 10));
    return s;
  };
  return (): string => {
    let s = rnd() < 0.15 ? pick(["+", "-", "", " "]) : "";
    const parts = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < parts; i++) {
      const r = rnd();
      // Mostly well-formed parts (the first pieces are the valid units), some with fractions, some noise.
      const unit = rnd() < 0.8 ? pick(pieces.slice(0, valid)) : pick(pieces);
      if (r < 0.85) s += digits() + (rnd() < 0.3 ? `.${rnd() < 0.2 ? "" : digits()}` : "") + unit;
      else s += pick(pieces) + pick([...pieces, digits(), ".", "e", " "]);
    }
    return s;
  };
}

function scenarioWith(spec: Record<string, unknown>): unknown {
  return { apiVersion: "k8sim.dev/v1alpha1", kind: "Scenario", metadata: { name: "x" }, spec: { duration: "1m", ...spec } };
}

describe("durations: the schema accepts exactly what parseDuration accepts", () => {
  const gen = generator("durations", ["ns", "us", "µs", "μs", "ms", "s", "m", "h", "", "d", "H", "sec"], 8);
  const fixed = ["0", "+0", "-0", "4.0001s", "1.5ms", "1500us", "1000us", "2562047h", "2562048h", "2562047h47m16.854s", "2562047h47m16.855s", "9223372036854ms", "9223372036855ms", ".5s", "5.s", ".s", "1.0000001s", "1h1h", "", "-1s", "+1s"];
  it.each(fixed)("%j", (s) => {
    expect(schemaAccepts(scenarioWith({ duration: s }))).toBe(parseDuration(s).ok);
  });

  it(`on ${CASES} generated strings (seeded), in spec.duration and settings`, () => {
    const gen2 = gen;
    let accepted = 0;
    for (let i = 0; i < CASES; i++) {
      const s = gen2();
      const parsed = parseDuration(s).ok;
      accepted += parsed ? 1 : 0;
      expect(schemaAccepts(scenarioWith({ duration: s })), s).toBe(parsed);
      expect(schemaAccepts(scenarioWith({ settings: { podStartLatency: s } })), s).toBe(parsed);
    }
    // The generator must exercise both sides.
    expect(accepted).toBeGreaterThan(CASES / 10);
    expect(accepted).toBeLessThan(CASES - CASES / 10);
  });

  it("numbers: only 0 (a duration needs a unit)", () => {
    expect(schemaAccepts(scenarioWith({ duration: 0 }))).toBe(true);
    for (const n of [1, 1.5, -1, 1e21, Number.POSITIVE_INFINITY, Number.NaN]) expect(schemaAccepts(scenarioWith({ duration: n })), String(n)).toBe(false);
  });

  it(".inf as a duration is reported once, as YAML wrote it", () => {
    const r = loadScenario(NODE_FAILURE, { overrides: ["spec.duration=.inf"] });
    expect(!r.ok && r.errors).toEqual(["--set spec.duration=.inf: spec.duration: expected a duration such as 250ms, 90s, 5m or 1h30m, got .inf"]);
  });
});

describe("quantities: the schema accepts exactly what parseQuantity accepts, non-negative and exact", () => {
  const gen = generator("quantities", ["", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "e3", "E-2", "e+5", "e101", "KB", "i"], 19);
  const pool = (q: unknown) => scenarioWith({ cluster: { nodePools: [{ name: "a", count: 1, capacity: { cpu: "1", memory: "1Gi", "ephemeral-storage": q } }] } });
  const parserAccepts = (s: string) => {
    const r = parseQuantity(s);
    return r.ok && r.value.nanos >= 0n && fitsNumber(r.value, false);
  };

  it(`on ${CASES} generated strings (seeded)`, () => {
    let accepted = 0;
    for (let i = 0; i < CASES; i++) {
      const s = gen();
      const p = parserAccepts(s);
      accepted += p ? 1 : 0;
      expect(schemaAccepts(pool(s)), s).toBe(p);
    }
    expect(accepted).toBeGreaterThan(CASES / 10);
    expect(accepted).toBeLessThan(CASES - CASES / 10);
  });

  it("numbers, as YAML gives them", () => {
    for (const n of [0, 1, 1.5, 1e15, 9007199254740991, 1e16, 1e21, 1e300, -1, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(schemaAccepts(pool(n)), String(n)).toBe(Number.isFinite(n) && parserAccepts(String(n)));
    }
  });
});

describe("startTime: the schema accepts exactly what the time parser accepts", () => {
  const rnd = seedrandom.alea("times");
  // Mostly in range, sometimes anything two digits can say.
  const two = (max = 100, min = 0) => String(rnd() < 0.9 ? min + Math.floor(rnd() * (max - min)) : Math.floor(rnd() * 100)).padStart(2, "0");
  const gen = () => {
    const y = String(Math.floor(rnd() * 10000)).padStart(4, "0");
    const frac = rnd() < 0.3 ? `.${String(Math.floor(rnd() * 1e7)).padStart(7, "0").slice(0, 1 + Math.floor(rnd() * 7))}` : "";
    const zone = rnd() < 0.5 ? (rnd() < 0.8 ? "Z" : "z") : `${rnd() < 0.5 ? "+" : "-"}${two(24)}:${two(60)}`;
    return `${y}-${two(13, 1)}-${two(32, 1)}${rnd() < 0.9 ? "T" : "t"}${two(24)}:${two(60)}:${two(61)}${frac}${zone}`;
  };

  it(`on ${CASES} generated times (seeded)`, () => {
    let accepted = 0;
    for (let i = 0; i < CASES; i++) {
      const s = gen();
      const p = parseRfc3339Time(s).ok;
      accepted += p ? 1 : 0;
      expect(schemaAccepts(scenarioWith({ startTime: s })), s).toBe(p);
    }
    expect(accepted).toBeGreaterThan(CASES / 10);
    expect(accepted).toBeLessThan(CASES - CASES / 10);
  });
});

describe("the schema uses no pattern where a parser decides", () => {
  it("duration, quantity and rfc3339 are checked by their parser only", () => {
    const defs = scenarioSchema().definitions!;
    for (const [name, kind] of [["duration", "duration"], ["quantity", "quantity"], ["rfc3339", "time"], ["byteSize", "bytes"]] as const) {
      const d = deref(defs[name] as SchemaNode);
      expect(d.pattern, name).toBeUndefined();
      expect(d[VALUE_KEYWORD], name).toBe(kind);
    }
  });
});

describe("no value is dropped without a word (issue 5, item 1 reproductions)", () => {
  const resolution = "not a whole number of milliseconds (the simulation's time resolution)";
  const expected = "expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)";
  it.each([
    ["spec.expect.0.at=4.0001s", "spec.expect[0].at", "4.0001s", resolution],
    ["spec.timeline.0.at=1.5ms", "spec.timeline[0].at", "1.5ms", resolution],
    ["spec.settings.nodeMonitorPeriod=1.5ms", "spec.settings.nodeMonitorPeriod", "1.5ms", resolution],
    ["spec.settings.podStartLatency=2562048h", "spec.settings.podStartLatency", "2562048h", "out of range (at most 2562047h)"],
    ["spec.metrics.interval=1500us", "spec.metrics.interval", "1500us", resolution],
  ])("--set %s: run and validate exit 2 with the field and the reason", async (set, field, value, why) => {
    const line = `--set ${set}: ${field}: invalid duration "${value}": ${why}; ${expected}\n`;
    for (const cmd of ["run", "validate"]) {
      const r = await cli(cmd, NODE_FAILURE, "--set", set);
      expect(r.code, cmd).toBe(2);
      expect(r.err, cmd).toContain(line);
      // Reported once, though both the schema and the loader look at it.
      expect(r.err.split(line).length, cmd).toBe(2);
    }
  });

  it("spec.duration: 1500us in a file is reported at its file:line:col", async () => {
    const file = writeScenario(`apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: sub-ms}
spec:
  duration: 1500us
`);
    const r = await cli("run", file);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${file}:5:13: spec.duration: invalid duration "1500us": ${resolution}; ${expected}\nk8sim: 1 problem(s) in ${file}; nothing was run\n`);
  });

  it("whole milliseconds written in finer units are used", () => {
    const r = loadScenario(NODE_FAILURE, { overrides: ["spec.timeline.0.at=300000000us", "spec.settings.nodeMonitorPeriod=5000000000ns"] });
    expect(r.ok && r.scenario.timeline[0]!.at).toBe(300_000);
    expect(r.ok && r.scenario.settings.nodeMonitorPeriod).toBe(5_000);
  });
});
