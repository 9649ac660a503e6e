/**
 * formatQuantity against resource.Quantity.String()'s rules (quantity.go CanonicalizeBytes): each expected text
 * derived by hand in a comment from the value and the format it was written in.
 */
import { describe, expect, it } from "vitest";
import { mustParseQuantity } from "../src/api/quantity.js";
import { formatQuantity } from "../src/api/quantity-format.js";

describe("formatQuantity (Quantity.String)", () => {
  it.each([
    ["0", "0"], // zero is "0" whatever the format
    ["0Mi", "0"],
    ["100m", "100m"], // 1 x 10^-1 -> exponent -1, down to -3: 100m
    ["1.5", "1500m"], // 15 x 10^-1 -> 1500 x 10^-3
    ["2000", "2k"], // 2 x 10^3
    ["1001", "1001"], // no factor of ten to move
    ["0.1", "100m"],
    ["10M", "10M"], // 1 x 10^7 -> 10 x 10^6
    ["1000000", "1M"],
    ["-1500m", "-1500m"],
    ["1n", "1n"],
    ["1Gi", "1Gi"],
    ["1024Mi", "1Gi"], // 2^30: the largest power of 1024 dividing it is 1024^3
    ["1.5Gi", "1536Mi"], // 1610612736 = 1536 x 1024^2
    ["1025Ki", "1025Ki"], // 1049600 = 1025 x 1024
    ["0.5Ki", "512"], // 512 < 1024: DecimalSI
    ["0.3Ki", "307200m"], // 307.2, not whole: DecimalSI, 3072 x 10^-1 -> 307200 x 10^-3
    ["1e3", "1e3"], // DecimalExponent keeps its e notation
    ["1.5e3", "1500"], // 15 x 10^2 -> 1500 x 10^0: no exponent to print
    ["12e6", "12e6"],
    ["2E", "2E"],
    ["20E", "20E"], // 2 x 10^19 -> 20 x 10^18
  ])("%s is printed %s", (text, expected) => {
    expect(formatQuantity(mustParseQuantity(text))).toBe(expected);
  });
});
