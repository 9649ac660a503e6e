/**
 * Golden reports: every bundled scenario, run with its own seed, must give exactly the committed summary.json,
 * metrics.csv and events.jsonl under test/golden/<scenario>/. A refactor changes none of them; a behaviour change
 * shows up here as a diff to read and explain in the commit. `K8SIM_UPDATE_GOLDEN=1 npx vitest run test/golden`
 * rewrites them.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";

const scenarios = readdirSync("scenarios").filter((f) => f.endsWith(".yaml")).sort();
const FILES = ["summary.json", "metrics.csv", "events.jsonl", "logs.jsonl"];
const update = process.env.K8SIM_UPDATE_GOLDEN === "1";

describe("golden reports of the bundled scenarios", () => {
  for (const file of scenarios) {
    const name = file.replace(/\.yaml$/, "");
    it(`scenarios/${file} gives test/golden/${name}/ byte for byte`, async () => {
      const out = join(mkdtempSync(join(tmpdir(), "k8sim-golden-")), "report");
      const r = await cli("run", `scenarios/${file}`, "--out", out);
      expect(r.code, r.err).toBeLessThanOrEqual(1);
      const golden = join("test", "golden", name);
      if (update) mkdirSync(golden, { recursive: true });
      for (const f of FILES) {
        const got = readFileSync(join(out, f), "utf8");
        if (update) writeFileSync(join(golden, f), got);
        expect(existsSync(join(golden, f)), `${golden}/${f} is missing (K8SIM_UPDATE_GOLDEN=1 writes it)`).toBe(true);
        // Compared as text line by line first, so a failure shows the first differing lines, not two blobs.
        const want = readFileSync(join(golden, f), "utf8");
        expect(got.split("\n"), `${f} differs from ${golden}/${f}`).toEqual(want.split("\n"));
      }
    });
  }
});
