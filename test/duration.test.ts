import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../src/engine/duration.js";

describe("parseDuration", () => {
  it.each([
    ["250ms", 250],
    ["90s", 90_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["1.5h", 5_400_000],
    ["0", 0],
    ["+0", 0],
    ["0s", 0],
    ["+5s", 5_000],
    ["1h0m1s", 3_601_000],
    ["2h45m", 9_900_000],
    ["1000us", 1],
    ["1000µs", 1], // U+00B5 micro sign
    ["1000μs", 1], // U+03BC Greek mu
    ["2000000ns", 2],
    [".5s", 500],
    ["1.s", 1_000],
    ["1.0000000001s", 1_000], // Go truncates below the nanosecond
    ["10m10m", 1_200_000], // Go adds repeated units
  ])("%s = %d ms", (s, ms) => {
    expect(parseDuration(s)).toEqual({ ok: true, value: ms });
  });

  it.each([
    ["5 minutes", 'invalid duration "5 minutes": unknown unit " minutes"; expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)'],
    ["300", 'invalid duration "300": missing unit after 300; expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)'],
    ["", 'invalid duration "": expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)'],
    ["-5m", 'invalid duration "-5m": must not be negative; expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)'],
    ["1500us", 'invalid duration "1500us": not a whole number of milliseconds (the simulation\'s time resolution); expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)'],
  ])("rejects %j", (s, error) => {
    expect(parseDuration(s)).toEqual({ ok: false, error });
  });

  it.each(["5constructor", "1toString", "1d", "h", ".s", "1.5.5s", "5M", " 5m", "5m ", "1h-5m", "3000000h"])("rejects %j", (s) => {
    expect(parseDuration(s).ok).toBe(false);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [250, "250ms"],
    [50_000, "50s"],
    [5_400_000, "1h30m"],
    [3_601_000, "1h1s"],
    [90_500, "1m30.5s"],
    [1_050, "1.05s"],
    [86_400_000, "24h"],
  ])("%d ms = %s, and parses back", (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
    expect(parseDuration(s)).toEqual({ ok: true, value: ms });
  });
});
