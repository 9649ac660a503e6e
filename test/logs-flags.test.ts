/**
 * The flag values `k8sim logs` parses as kubectl does. The --since-time and --since cases, good and bad, are what
 * kubectl v1.32.4 did with the same values (`kubectl logs POD --since-time X` / `--since X`, against a stub API
 * server); the selector errors are those of apimachinery's labels.Parse, read from its source.
 */
import { describe, expect, it } from "vitest";
import { parseGoDuration, roundToSeconds } from "../src/logs/go-duration.js";
import { parseRfc3339 } from "../src/logs/rfc3339.js";
import { matchesRequirements, parseSelector } from "../src/logs/selector.js";

const L = '"2006-01-02T15:04:05Z07:00"';

describe("--since-time (kubectl util.ParseRFC3339, Go's time.Parse)", () => {
  const ok: [string, string][] = [
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
    ["2024-01-01T1:00:00Z", "2024-01-01T01:00:00.000Z"], // Go's parser takes a one-digit hour
    ["2024-01-01T00:00:00.123456789Z", "2024-01-01T00:00:00.123Z"],
    ["2024-01-01T00:00:00,5Z", "2024-01-01T00:00:00.500Z"],
    ["2024-01-01T00:00:00+01:00", "2023-12-31T23:00:00.000Z"],
    ["0099-01-01T00:00:00Z", "0099-01-01T00:00:00.000Z"],
  ];
  it.each(ok)("%s is %s", (input, iso) => {
    const r = parseRfc3339(input);
    expect(r.ok && new Date(Math.floor(r.ms)).toISOString()).toBe(iso);
  });

  const bad: [string, string][] = [
    ["bad", `parsing time "bad" as ${L}: cannot parse "bad" as "2006"`],
    ["2024-01-01", `parsing time "2024-01-01" as ${L}: cannot parse "" as "T"`],
    ["2024-01-01T00:00:00", `parsing time "2024-01-01T00:00:00" as ${L}: cannot parse "" as "Z07:00"`],
    ["2024-13-01T00:00:00Z", 'parsing time "2024-13-01T00:00:00Z": month out of range'],
    ["2024-02-30T00:00:00Z", 'parsing time "2024-02-30T00:00:00Z": day out of range'],
    ["2023-02-29T00:00:00Z", 'parsing time "2023-02-29T00:00:00Z": day out of range'],
    ["2024-1-01T00:00:00Z", `parsing time "2024-1-01T00:00:00Z" as ${L}: cannot parse "1-01T00:00:00Z" as "01"`],
    ["2024-01-01T24:00:00Z", 'parsing time "2024-01-01T24:00:00Z": hour out of range'],
    ["2024-01-01T00:60:00Z", 'parsing time "2024-01-01T00:60:00Z": minute out of range'],
    ["2024-01-01T00:00:60Z", 'parsing time "2024-01-01T00:00:60Z": second out of range'],
    ["2024-01-01T00:00:00+0100", `parsing time "2024-01-01T00:00:00+0100" as ${L}: cannot parse "+0100" as "Z07:00"`],
    ["2024-01-01T00:00:00Zjunk", 'parsing time "2024-01-01T00:00:00Zjunk": extra text: "junk"'],
    ["2024-01-01T00:00:00z", `parsing time "2024-01-01T00:00:00z" as ${L}: cannot parse "z" as "Z07:00"`],
    ["20a4-01-01T00:00:00Z", `parsing time "20a4-01-01T00:00:00Z" as ${L}: cannot parse "20a4-01-01T00:00:00Z" as "2006"`],
    ["2024-01-01T00:00:00+25:00", 'parsing time "2024-01-01T00:00:00+25:00": time zone offset hour out of range'],
    ["2024-01-01T00:00:00.Z", `parsing time "2024-01-01T00:00:00.Z" as ${L}: cannot parse ".Z" as "Z07:00"`],
  ];
  it.each(bad)("%s is refused: %s", (input, error) => {
    expect(parseRfc3339(input)).toEqual({ ok: false, error });
  });
});

describe("--since (Go's time.ParseDuration)", () => {
  const ok: [string, number][] = [
    ["0", 0],
    ["-0", 0],
    ["+5s", 5e9],
    ["1h30m", 5400e9],
    ["1.5h", 5400e9],
    [".5s", 0.5e9],
    ["1.s", 1e9],
    ["1\u00b5s", 1e3],
    ["1\u03bcs", 1e3],
    ["1us", 1e3],
    ["300ms", 300e6],
  ];
  it.each(ok)("%s is %d ns", (input, nanos) => {
    expect(parseGoDuration(input)).toEqual({ ok: true, nanos });
  });

  const bad: [string, string][] = [
    ["abc", 'time: invalid duration "abc"'],
    ["1d", 'time: unknown unit "d" in duration "1d"'],
    ["5", 'time: missing unit in duration "5"'],
    [".", 'time: invalid duration "."'],
    ["-.s", 'time: invalid duration "-.s"'],
    ["2562048h", 'time: invalid duration "2562048h"'],
    ["1e3s", 'time: unknown unit "e" in duration "1e3s"'],
    ["5s3", 'time: missing unit in duration "5s3"'],
    ["", 'time: invalid duration ""'],
    ["1h-5m", 'time: unknown unit "h-" in duration "1h-5m"'],
  ];
  it.each(bad)("%s is refused: %s", (input, error) => {
    expect(parseGoDuration(input)).toEqual({ ok: false, error });
  });

  it("rounds to whole seconds as kubectl sends it (halves away from zero)", () => {
    expect([1.4e9, 1.5e9, 2.5e9, 0.4e9, -2.5e9].map(roundToSeconds)).toEqual([1, 2, 3, 0, -3]);
  });
});

describe("-l (apimachinery labels.Parse)", () => {
  const labels = { app: "web", tier: "backend", n: "7" };
  const cases: [string, boolean][] = [
    ["", true],
    ["app=web", true],
    ["app==web", true],
    ["app!=web", false],
    ["missing!=x", true],
    ["app=web,tier=frontend", false],
    ["app in (api, web)", true],
    ["app notin (web)", false],
    ["missing notin (web)", true],
    ["tier", true],
    ["!tier", false],
    ["!missing", true],
    ["n>5", true],
    ["n<5", false],
    ["app>5", false],
    ["app in (in,notin)", false],
  ];
  it.each(cases)("%j matches app=web,tier=backend,n=7: %s", (sel, matches) => {
    const r = parseSelector(sel);
    if (!r.ok) throw new Error(r.error);
    expect(matchesRequirements(r.requirements, labels)).toBe(matches);
  });

  const bad: [string, string][] = [
    ["a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ["app in (x", "unable to parse requirement: found '', expected: ',' or ')'"],
    ["app in x", "unable to parse requirement: found 'x' expected: '('"],
    ["=x", "found '=', expected: !, identifier, or 'end of string'"],
    ["a,", "found '', expected: identifier after ','"],
    ["!a=b", "found '=', expected: ',' or 'end of string'"],
  ];
  it.each(bad)("%j is refused: %s", (sel, error) => {
    expect(parseSelector(sel)).toEqual({ ok: false, error });
  });
});
