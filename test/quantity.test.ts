import { describe, expect, it } from "vitest";
import {
  fitsNumber,
  formatBytes,
  formatCpuMilli,
  milliValue,
  mustParseQuantity,
  parseQuantity,
  parseResourceList,
  value,
} from "../src/api/quantity.js";

describe("parseQuantity", () => {
  // [input, milliValue, value] as upstream's Quantity.MilliValue() / Value() return them.
  const good: [string, number, number][] = [
    ["500m", 500, 1], // Value() rounds 0.5 up
    ["1", 1000, 1],
    ["0.1", 100, 1],
    ["100m", 100, 1],
    ["1.5", 1500, 2],
    ["4", 4000, 4],
    ["1e3", 1_000_000, 1000],
    ["1E3", 1_000_000, 1000],
    ["1e-3", 1, 1],
    ["1k", 1_000_000, 1000],
    ["1M", 1e9, 1e6],
    ["1Ki", 1_024_000, 1024],
    ["100Mi", 104_857_600_000, 104_857_600], // 100 * 2^20
    ["1.5Gi", 1_610_612_736_000, 1_610_612_736], // 1.5 * 2^30
    ["16Gi", 17_179_869_184_000, 17_179_869_184], // 16 * 2^30
    ["0", 0, 0],
    ["+2", 2000, 2],
    [".5", 500, 1],
    ["5.", 5000, 5],

    ["1E", 1e21, 1e18], // E alone is exa, not an exponent
  ];
  it.each(good)("%s -> %d milli, %d units", (s, milli, units) => {
    const r = parseQuantity(s);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.nanos).toBe(BigInt(milli) * 1_000_000n);
    if (fitsNumber(r.value, true)) expect(milliValue(r.value)).toBe(milli);
    if (fitsNumber(r.value, false)) expect(value(r.value)).toBe(units);
  });

  it.each([
    ["1n", 1n],
    ["250u", 250_000n],
  ])("%s rounds up to 1 milli and 1 unit (%d nanos)", (s, nanos) => {
    const q = mustParseQuantity(s);
    expect(q.nanos).toBe(nanos);
    expect(milliValue(q)).toBe(1);
    expect(value(q)).toBe(1);
  });

  it("rounds negative values away from zero, as ScaledValue does", () => {
    expect(milliValue(mustParseQuantity("-1.5m"))).toBe(-2);
  });

  it("rounds sub-nano precision up to one nano, as ParseQuantity does", () => {
    expect(mustParseQuantity("1e-12").nanos).toBe(1n);
  });

  it("keeps the format it was written in", () => {
    expect(mustParseQuantity("1Gi").format).toBe("BinarySI");
    expect(mustParseQuantity("1G").format).toBe("DecimalSI");
    expect(mustParseQuantity("1e9").format).toBe("DecimalExponent");
  });

  const bad = ["4 cores", "1toString", "1constructor", "", " 1", "1 ", "abc", "1.2.3", "1Gb", "1KI", "1kI", "1e", "e3", ".", "1e1000", "--1", "1i", "Gi"];
  it.each(bad)("rejects %j with what was expected", (s) => {
    const r = parseQuantity(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(`invalid quantity ${JSON.stringify(s)}`);
  });

  it("says what was expected", () => {
    expect(parseQuantity("4 cores")).toEqual({
      ok: false,
      error: 'invalid quantity "4 cores": expected a number with an optional suffix (m, k, M, G, Ki, Mi, Gi, ...)',
    });
  });

  it("refuses to return an inexact JS number", () => {
    const q = mustParseQuantity("8Ei");
    expect(fitsNumber(q, false)).toBe(false);
    expect(fitsNumber(mustParseQuantity("16Ti"), false)).toBe(true);
    expect(fitsNumber(mustParseQuantity("16Ti"), true)).toBe(false);
    expect(() => value(q)).toThrow(RangeError);
  });
});

describe("format", () => {
  it.each([
    [1500, "1500m"],
    [4000, "4"],
    [0, "0"],
    [100, "100m"],
  ])("formatCpuMilli(%d) = %s", (m, s) => {
    expect(formatCpuMilli(m)).toBe(s);
    expect(milliValue(mustParseQuantity(s))).toBe(m);
  });

  it.each([
    [17_179_869_184, "16Gi"],
    [1_610_612_736, "1536Mi"],
    [3072, "3Ki"],
    [1500, "1500"],
    [0, "0"],
    [1024 ** 5, "1Pi"],
  ])("formatBytes(%d) = %s", (b, s) => {
    expect(formatBytes(b)).toBe(s);
    expect(value(mustParseQuantity(s))).toBe(b);
  });
});

describe("parseResourceList", () => {
  it("resolves cpu, memory, pods and other resources", () => {
    expect(parseResourceList({ cpu: "500m", memory: "1Gi", pods: 110, "example.com/gpu": "2", "ephemeral-storage": "10Gi" })).toEqual({
      ok: true,
      value: { cpuMilli: 500, memory: 1_073_741_824, pods: 110, other: { "example.com/gpu": 2, "ephemeral-storage": 10_737_418_240 } },
    });
  });

  it("accepts numbers as YAML gives them", () => {
    expect(parseResourceList({ cpu: 4, memory: 0.5 })).toEqual({ ok: true, value: { cpuMilli: 4000, memory: 1, other: {} } });
  });

  it("reports every bad entry", () => {
    expect(parseResourceList({ cpu: "4 cores", memory: "-1Gi", pods: "1.5", "example.com/gpu": "500m", x: true })).toEqual({
      ok: false,
      errors: [
        { resource: "cpu", error: 'invalid quantity "4 cores": expected a number with an optional suffix (m, k, M, G, Ki, Mi, Gi, ...)' },
        { resource: "memory", error: 'invalid quantity "-1Gi": must be greater than or equal to 0' },
        { resource: "pods", error: 'invalid quantity "1.5": pods must be a whole number' },
        { resource: "example.com/gpu", error: 'invalid quantity "500m": example.com/gpu must be a whole number' },
        { resource: "x", error: 'expected a quantity such as "500m", "2" or "16Gi", got boolean true' },
      ],
    });
  });
});
