/**
 * spec.startTime (issue 5, item 9): the whole run must be writable as RFC 3339 (0000-01-01T00:00:00Z ..
 * 9999-12-31T23:59:59.999Z); years 0000-0099 are exact (not Date.UTC's 1900-1999), and anything else is refused at
 * load with its position.
 */
import { afterAll, describe, expect, it } from "vitest";
import { simulate } from "../src/run.js";
import { loadScenario, parseRfc3339 } from "../src/scenario/load.js";
import { formatRfc3339, MAX_TIME, MIN_TIME, parseRfc3339Time, utcMs } from "../src/scenario/time.js";
import { cli } from "./helpers/cli.js";
import { removeScenarios, SCENARIOS } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const NODE_FAILURE = `${SCENARIOS}/node-failure.yaml`;

describe("parseRfc3339", () => {
  // Date.parse reads ISO 8601's 4-digit years exactly, so it is the oracle for the UTC form.
  it.each([
    ["0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"],
    ["9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"],
    ["0099-12-31T23:59:59Z", "0099-12-31T23:59:59Z"],
    ["0050-06-15T12:00:00Z", "0050-06-15T12:00:00Z"],
    ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"],
    ["0000-02-29T00:00:00Z", "0000-02-29T00:00:00Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"],
    ["2026-01-01T09:00:00.5+02:00", "2026-01-01T07:00:00.500Z"],
    ["0000-01-01T01:30:00+01:00", "0000-01-01T00:30:00Z"],
    ["2026-01-01t00:00:00z", "2026-01-01T00:00:00Z"],
    ["2026-01-01T00:00:00.123000Z", "2026-01-01T00:00:00.123Z"],
  ])("%s is %s", (s, utc) => {
    expect(parseRfc3339(s)).toBe(Date.parse(utc));
    expect(formatRfc3339(parseRfc3339(s)!)).toBe(utc);
  });

  it("the range ends are what RFC 3339 can write", () => {
    expect(MIN_TIME).toBe(Date.parse("0000-01-01T00:00:00Z"));
    expect(MAX_TIME).toBe(Date.parse("9999-12-31T23:59:59.999Z"));
    expect(utcMs(50, 6, 15, 12)).toBe(Date.parse("0050-06-15T12:00:00Z"));
  });

  it("years 0000-0099 are not 1900-1999", () => {
    expect(formatRfc3339(parseRfc3339("0050-06-15T12:00:00Z")!)).toBe("0050-06-15T12:00:00Z");
    expect(formatRfc3339(parseRfc3339("0000-01-01T00:00:00Z")!)).toBe("0000-01-01T00:00:00Z");
  });

  it.each([
    ["2026-02-29T00:00:00Z", "day 29 does not exist in 2026-02"],
    ["2026-13-01T00:00:00Z", "month 13 does not exist"],
    ["2026-01-01T00:00:60Z", "hour, minute or second out of range (leap seconds are not simulated)"],
    ["2026-01-01T00:00:00.0001Z", "not a whole number of milliseconds (the simulation's time resolution)"],
    ["0000-01-01T00:30:00+01:00", "outside 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z in UTC"],
    ["9999-12-31T23:30:00-01:00", "outside 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z in UTC"],
  ])("refuses %s: %s", (s, why) => {
    expect(parseRfc3339Time(s)).toEqual({ ok: false, error: `invalid time ${JSON.stringify(s)}: ${why}; expected an RFC 3339 time such as 2026-01-01T00:00:00Z` });
  });

  it.each(["2026-01-01 00:00:00Z", "10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2026-01-01T00:00:00", "+002026-01-01T00:00:00Z"])("refuses %s as not RFC 3339", (s) => {
    expect(parseRfc3339Time(s)).toEqual({ ok: false, error: `invalid time ${JSON.stringify(s)}: expected an RFC 3339 time such as 2026-01-01T00:00:00Z` });
  });
});

describe("runs at the ends of the range", () => {
  it("year 0000: every timestamp of the run is in year 0000", () => {
    const r = loadScenario(NODE_FAILURE, { overrides: ["spec.startTime=0000-01-01T00:00:00Z"] });
    if (!r.ok) throw new Error(r.errors.join("\n"));
    const out = simulate(r.scenario);
    expect(out.summary.startTime).toBe("0000-01-01T00:00:00Z");
    const lines = out.events.map(out.eventLine);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) for (const t of l.match(/\d{4}-\d\d-\d\dT[\d:.]+Z/g) ?? []) expect(t.startsWith("0000-01-01T00:"), l).toBe(true);
    expect(out.passed).toBe(true);
  });

  it("a run that ends at 9999-12-31T23:59:59.999Z runs, and its last timestamps are in 9999", () => {
    const r = loadScenario(NODE_FAILURE, { overrides: ["spec.startTime=9999-12-31T23:44:59.999Z"] });
    if (!r.ok) throw new Error(r.errors.join("\n"));
    const out = simulate(r.scenario);
    expect(out.summary.startTime).toBe("9999-12-31T23:44:59Z");
    const lines = out.events.map(out.eventLine);
    for (const l of lines) expect(l, l).not.toMatch(/[+-]0\d{5}-|10000-/);
    expect(out.passed).toBe(true);
  });

  it("a run past 9999-12-31T23:59:59.999Z is refused at spec.startTime with exit 2, saying why", async () => {
    for (const cmd of ["run", "validate"]) {
      const r = await cli(cmd, NODE_FAILURE, "--set", "spec.startTime=9999-12-31T23:50:00Z");
      expect(r.code, cmd).toBe(2);
      expect(r.err, cmd).toContain(
        "--set spec.startTime=9999-12-31T23:50:00Z: spec.startTime: the run would end after 9999-12-31T23:59:59.999Z (startTime 9999-12-31T23:50:00Z + spec.duration 15m), which RFC 3339 timestamps cannot write; expected the whole run within 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z: an earlier startTime or a shorter duration\n",
      );
    }
  });

  it("a startTime that is not RFC 3339 is reported once, with the parser's reason", async () => {
    const r = await cli("run", NODE_FAILURE, "--set", "spec.startTime=2026-02-30T00:00:00Z");
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      '--set spec.startTime=2026-02-30T00:00:00Z: spec.startTime: invalid time "2026-02-30T00:00:00Z": day 30 does not exist in 2026-02; expected an RFC 3339 time such as 2026-01-01T00:00:00Z\nk8sim: 1 problem(s) in ' + NODE_FAILURE + "; nothing was run\n",
    );
  });
});
