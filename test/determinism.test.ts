import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";

const scenarios = readdirSync("scenarios").filter((f) => f.endsWith(".yaml")).sort();
const FILES = ["summary.json", "metrics.csv", "events.jsonl", "logs.jsonl", "faults.csv", "changes.log", "changes.idx"];

describe("same scenario + same seed => identical bytes", () => {
  it("bundles at least the node-failure and scale-up scenarios", () => {
    expect(scenarios).toEqual(expect.arrayContaining(["node-failure.yaml", "scale-up.yaml"]));
  });

  for (const file of scenarios) {
    it(`scenarios/${file}`, async () => {
      const dirs = [mkdtempSync(join(tmpdir(), "k8sim-a-")), mkdtempSync(join(tmpdir(), "k8sim-b-"))];
      for (const d of dirs) {
        const r = await cli("run", `scenarios/${file}`, "--seed", "7", "--out", d);
        expect(r.err).not.toMatch(/internal error/);
        expect(r.code).toBeLessThanOrEqual(1);
      }
      for (const f of FILES) {
        const a = readFileSync(join(dirs[0], f));
        const b = readFileSync(join(dirs[1], f));
        expect(a.length).toBeGreaterThan(0);
        expect(a.equals(b), `${f} differs between two runs with seed 7`).toBe(true);
      }
      const summary = JSON.parse(readFileSync(join(dirs[0], "summary.json"), "utf8"));
      expect(summary.seed).toBe(7);
      expect(summary.digest).toMatch(/^[0-9a-f]{16}$/);
    }, 30_000);
  }
});

describe("the report does not depend on how the scenario's path is written", () => {
  it("scenarios/scale-up.yaml and its absolute path give identical summary.json", async () => {
    const a = mkdtempSync(join(tmpdir(), "k8sim-rel-"));
    const b = mkdtempSync(join(tmpdir(), "k8sim-abs-"));
    await cli("run", "scenarios/scale-up.yaml", "--out", a);
    await cli("run", resolve("scenarios/scale-up.yaml"), "--out", b);
    for (const f of FILES) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    expect(JSON.parse(readFileSync(join(a, "summary.json"), "utf8")).scenario.file).toBe("scale-up.yaml");
  });
});
