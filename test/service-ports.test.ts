/**
 * The NodePort allocator and port-name validation (src/api/service/): what a user sees when a Service names a
 * NodePort (taken, or refused with upstream's text) or leaves it to the API server (a random free port of the upper
 * band), and which port names are IANA_SVC_NAMEs.
 */
import { describe, expect, it } from "vitest";
import { stream as rngFor } from "../src/engine/rng.js";
import { NodePortAllocator, nodePortRangeOffset } from "../src/api/service/node-port-allocator.js";
import { portNameProblems } from "../src/api/service/port-name.js";

describe("NodePortAllocator", () => {
  it("keeps a static band of min(max(16, size/32), 128) ports: 2768/32 = 86 for 30000-32767", () => {
    expect(nodePortRangeOffset(2768)).toBe(86);
    expect(nodePortRangeOffset(100)).toBe(16); // 100/32 = 3, raised to 16
    expect(nodePortRangeOffset(10_000)).toBe(128); // 312, capped at 128
    expect(nodePortRangeOffset(16)).toBe(0);
  });

  it("takes a named port once; refuses a second claim and a port outside the range, as the API server words it", () => {
    const a = new NodePortAllocator(rngFor(1, "apiserver/node-ports"));
    expect(a.allocate(30080)).toEqual({ ok: true, port: 30080 });
    expect(a.allocate(30080)).toEqual({ ok: false, detail: "provided port is already allocated" });
    expect(a.allocate(8080)).toEqual({ ok: false, detail: "provided port is not in the valid range. The range of valid ports is 30000-32767" });
    expect(a.allocate(32768).ok).toBe(false);
    a.release(30080);
    expect(a.allocate(30080).ok).toBe(true);
  });

  it("hands out random free ports from the upper band (30086-32767) first, the same ones for the same seed", () => {
    const draw = () => {
      const a = new NodePortAllocator(rngFor(7, "apiserver/node-ports"));
      return Array.from({ length: 50 }, () => (a.allocateNext() as { port: number }).port);
    };
    const ports = draw();
    expect(ports).toEqual(draw());
    expect(new Set(ports).size).toBe(50);
    expect(ports.every((p) => p >= 30086 && p <= 32767)).toBe(true);
  });

  it("falls back to the static band when the upper one is full, then says the range is full", () => {
    const a = new NodePortAllocator(rngFor(1, "x"), 30000, 20); // offset 16: upper band 30016-30019
    const got = Array.from({ length: 20 }, () => (a.allocateNext() as { port: number }).port);
    expect(got.slice(0, 4).sort()).toEqual([30016, 30017, 30018, 30019]);
    expect(new Set(got).size).toBe(20);
    expect(a.allocateNext()).toEqual({ ok: false, detail: "range is full" });
  });
});

describe("portNameProblems (IsValidPortName)", () => {
  it.each([
    ["http", []],
    ["metrics-9090", []],
    ["a-very-long-port-name", ["must be no more than 15 characters"]],
    ["HTTP", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)"]],
    ["8080", ["must contain at least one letter (a-z)"]],
    ["web--api", ["must not contain consecutive hyphens (--)"]],
    ["-web", ["must not begin or end with a hyphen (-)"]],
  ])("%s", (name, problems) => {
    expect(portNameProblems(name)).toEqual(problems);
  });
});
