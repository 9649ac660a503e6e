import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "k8sim-cli-"));

describe("k8sim run", () => {
  it("runs a bundled scenario, prints a summary and writes the report files", async () => {
    const out = join(tmp(), "report");
    const r = await cli("run", "scenarios/scale-up.yaml", "--out", out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/scale-up \(seed 42\): 20m simulated/);
    expect(r.out).toMatch(/digest +[0-9a-f]{16}/);
    for (const f of ["summary.json", "metrics.csv", "events.jsonl", "logs.jsonl", "run-info.json"]) expect(existsSync(join(out, f))).toBe(true);
    const header = readFileSync(join(out, "metrics.csv"), "utf8").split("\n")[0];
    expect(header).toMatch(/^time,elapsed_seconds,nodes_ready,nodes_not_ready,pods_pending,/);
    expect(header).toMatch(/deployment_available_replicas:default\/api$/);
  });

  it("--seed and --set override the file", async () => {
    const out = join(tmp(), "r");
    const r = await cli("run", "scenarios/scale-up.yaml", "--seed", "9", "--set", "spec.duration=6m", "--out", out);
    const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(s.seed).toBe(9);
    expect(s.simulatedMs).toBe(360_000);
    // The node pool arrives at 10m, after the end: the end-of-run expectation (16 available) fails, exit code 1.
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/expect FAIL/);
  });

  it("exits 2 with file:line:column errors and creates no output folder for a bad scenario", async () => {
    const dir = tmp();
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      ["apiVersion: k8sim.dev/v1alpha1", "kind: Scenario", "metadata: {name: bad}", "spec:", "  duration: 5 minutes", "  cluster:", "    nodePools:", "      - {name: w, count: -1, capacity: {cpu: '4 cores', memory: 1Gi}}", ""].join("\n"),
    );
    const out = join(dir, "out");
    const r = await cli("run", file, "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}:5:13:`);
    // count: -1 (line 8, column 26) and cpu: '4 cores' (line 8, column 46), all in one go.
    expect(r.err).toContain(`${file}:8:26: spec.cluster.nodePools[0].count: must be at least 0, got -1`);
    expect(r.err).toContain(`${file}:8:46: spec.cluster.nodePools[0].capacity.cpu: invalid quantity "4 cores"`);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a zero period, which would stall the simulation, with exit 2", async () => {
    const out = join(tmp(), "r");
    for (const key of ["nodeMonitorPeriod", "nodeLeaseRenewInterval", "nodeStatusUpdateFrequency", "nodeEvictionPeriod", "backoffFlushInterval"]) {
      const r = await cli("run", "scenarios/node-failure.yaml", "--set", `spec.settings.${key}=0s`, "--out", out);
      expect(r.code, key).toBe(2);
      expect(r.err).toContain(`--set spec.settings.${key}=0s: spec.settings.${key}: must be greater than 0`);
    }
    expect(existsSync(out)).toBe(false);
  });

  it("exits 2 for a missing scenario file and for a bad --seed", async () => {
    const a = await cli("run", "does-not-exist.yaml");
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/does-not-exist\.yaml/);
    const b = await cli("run", "scenarios/scale-up.yaml", "--seed", "abc");
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/expected a whole number from 0 to 9007199254740991/);
  });
});

describe("k8sim run: the report folder", () => {
  it("exits 2 with a clear message, not an internal error, when --out cannot be a folder", async () => {
    const file = join(tmp(), "not-a-dir");
    writeFileSync(file, "x");
    const r = await cli("run", "scenarios/scale-up.yaml", "--out", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^k8sim: cannot write the report to .*not-a-dir: EEXIST/m);
    expect(r.err).not.toMatch(/internal error/);
  });
});

describe("k8sim validate", () => {
  it("accepts the bundled scenarios", async () => {
    const r = await cli("validate", "scenarios/node-failure.yaml", "scenarios/scale-up.yaml");
    expect(r.code).toBe(0);
    expect(r.out).toContain("scenarios/node-failure.yaml: valid");
  });

  it("reports every problem with exit code 2", async () => {
    const file = join(tmp(), "bad.yaml");
    writeFileSync(file, "apiVersion: k8sim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: x}\nspec: {duration: 1m, bogus: 1}\n");
    const r = await cli("validate", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/:4:\d+: .*bogus/);
  });
});
