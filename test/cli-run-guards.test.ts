/**
 * `k8sim run` in-process: --out is checked before simulating, signals stop the run with an interrupted report,
 * and the memory guard stops it cleanly writing nothing. Signals and the heap are injected through CliIO.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, type CliIO } from "../src/cli/program.js";

const tmp = () => mkdtempSync(join(tmpdir(), "k8sim-guard-"));
/** Long enough for several slices (about 150k events). */
const BIG = ["--set", "spec.cluster.nodePools.0.count=200", "--set", "spec.duration=2h"];

async function cli(argv: string[], extra: Partial<CliIO> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s), wallClock: () => 0, peakRss: () => 0, ...extra });
  return { code, out, err };
}

/** CliIO parts that deliver `signal` after `slices` slices (the driver reads the heap once per slice). */
function signalAfter(slices: number, signal: "SIGINT" | "SIGTERM"): Partial<CliIO> & { subscribed: () => boolean } {
  let handler: ((s: "SIGINT" | "SIGTERM") => void) | undefined;
  let n = 0;
  let live = false;
  return {
    onSignals: (h) => {
      handler = h;
      live = true;
      return () => (live = false);
    },
    heapUsed: () => {
      if (++n === slices) handler!(signal);
      if (n === slices + 1) handler!("SIGTERM"); // a second signal changes nothing
      return 0;
    },
    subscribed: () => live,
  };
}

describe("--out is checked before simulating", () => {
  const cases: [string, (root: string) => string, RegExp][] = [
    ['""', () => "", /^--out "": empty; name a folder for the report\nk8sim: cannot write the report to ""; nothing was run$/m],
    ["the working directory", () => ".", /^--out \.: it is the working directory or one of its ancestors; .*\nk8sim: cannot write the report to \.; nothing was run$/m],
    ["a folder with other files", (root) => (writeFileSync(join(root, "notes.md"), "x"), root), /^--out .*: it holds notes\.md, which is not a k8sim report file/m],
    ["a path under a file", (root) => (writeFileSync(join(root, "f"), "x"), join(root, "f", "out")), /^--out .*: ENOTDIR.*\nk8sim: cannot write the report to .*: ENOTDIR; nothing was run$/m],
  ];
  for (const [name, out, message] of cases) {
    it(`refuses ${name} with exit 2, without running anything`, async () => {
      const root = tmp();
      let slices = 0;
      const r = await cli(["run", "scenarios/node-failure.yaml", "--out", out(root)], { heapUsed: () => (slices++, 0) });
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(slices).toBe(0);
      expect(r.out).toBe("");
      expect(readdirSync(root).filter((n) => n.includes("k8sim"))).toEqual([]);
      // The first case also pays for loading the simulator's modules, which takes seconds on a busy machine.
    }, 30_000);
  }

  it("says where it wrote, as given", async () => {
    const out = join(tmp(), "deep", "er", "r");
    const r = await cli(["run", "scenarios/node-failure.yaml", "--out", out + "/"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote 8 files to ${out}/\n`);
    expect(readdirSync(dirname(out))).toEqual(["r"]);
  });
});

describe("a signal during the run", () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`${signal}: stops at the current virtual time, writes a report marked interrupted, exits ${code}`, async () => {
      const out = join(tmp(), "r");
      await cli(["run", "scenarios/node-failure.yaml", "--seed", "5", "--out", out]);
      const io = signalAfter(3, signal);
      const r = await cli(["run", "scenarios/node-failure.yaml", ...BIG, "--out", out], io);
      expect(r.code).toBe(code);
      expect(io.subscribed()).toBe(false);
      const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
      expect(s.seed).toBe(42);
      expect(s.interrupted).toEqual({ signal, atMs: s.simulatedMs, at: s.simulatedDuration, instantComplete: true });
      expect(s.simulatedMs).toBeGreaterThan(0);
      expect(s.simulatedMs).toBeLessThan(7_200_000);
      const skipped = s.expectations.filter((e: { passed: boolean | null }) => e.passed === null).length;
      expect(skipped).toBeGreaterThan(0);
      expect(r.err).toContain(`k8sim: interrupted by ${signal} at virtual time ${s.interrupted.at} of 2h; ${skipped} expectation(s) not reached; the report in ${out}/ is marked interrupted\n`);
      expect(r.out).toContain("expect NOT REACHED  deployment/web status.availableReplicas == 6 at 2h");
      const events = readFileSync(join(out, "events.jsonl"), "utf8").trimEnd().split("\n");
      expect(events.length).toBe(s.totals.kubernetesEvents);
      const rows = readFileSync(join(out, "metrics.csv"), "utf8").trimEnd().split("\n").slice(1);
      expect(Number(rows[rows.length - 1].split(",")[1])).toBe(s.simulatedMs / 1000);
      expect(readdirSync(dirname(out))).toEqual(["r"]);
    });
  }
});

describe("the memory guard", () => {
  it("stops a run whose heap passes limits.memory with exit 2, what was exceeded and how to raise it, writing nothing", async () => {
    const root = tmp();
    const out = join(root, "r");
    await cli(["run", "scenarios/node-failure.yaml", "--seed", "5", "--out", out]);
    const before = readFileSync(join(out, "summary.json"));
    let checks = 0;
    const r = await cli(["run", "scenarios/node-failure.yaml", ...BIG, "--out", out], { heapUsed: () => (++checks < 3 ? 0 : 64 * 2 ** 40) });
    expect(r.code).toBe(2);
    expect(checks).toBe(3);
    expect(r.err).toMatch(/^k8sim: the run used 67108864 MiB of JavaScript heap at virtual time [0-9hms.]+, above the memory limit of \d+ MiB \(80% of Node's heap of \d+ MiB\) \(limits\.memory\); nothing was written\. Raise it with spec\.limits\.memory or --limit memory=<value>, and Node's heap \(\d+ MiB now\) with NODE_OPTIONS=--max-old-space-size=<MiB>$/m);
    expect(r.out).toBe("");
    expect(readFileSync(join(out, "summary.json")).equals(before)).toBe(true);
    expect(readdirSync(root)).toEqual(["r"]);
  });

  it("takes its limit from --limit memory (and so spec.limits.memory)", async () => {
    const root = tmp();
    const r = await cli(["run", "scenarios/node-failure.yaml", ...BIG, "--limit", "memory=1Mi", "--out", join(root, "r")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^k8sim: the run used \d+ MiB of JavaScript heap at virtual time [0-9hms.]+, above the memory limit of 1Mi \(limits\.memory\); nothing was written\./m);
    expect(readdirSync(root)).toEqual([]);
  });

  it("leaves no folder behind when the report folder did not exist", async () => {
    const root = tmp();
    const r = await cli(["run", "scenarios/node-failure.yaml", ...BIG, "--out", join(root, "a", "b")], { heapUsed: () => Infinity });
    expect(r.code).toBe(2);
    expect(readdirSync(root)).toEqual([]);
  });

  it("does not trip in a normal run", async () => {
    const out = join(tmp(), "r");
    mkdirSync(out);
    const r = await cli(["run", "scenarios/scale-up.yaml", "--out", out]);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, "summary.json"))).toBe(true);
  });
});
