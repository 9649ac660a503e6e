/** Writing generated scenarios to disk, as files a user can run with `npx k8sim run`. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import type { GenScenario } from "./scenario.js";

/** The scenario document as YAML text (block style, no aliases). */
export function scenarioYaml(g: GenScenario): string {
  return stringify(g.doc, { aliasDuplicateObjects: false, lineWidth: 0 });
}

/**
 * Writes `g` into `dir` (a new temp dir by default) as scenario.yaml plus its manifest files; returns the scenario
 * file's path.
 */
export function writeGenerated(g: GenScenario, dir = mkdtempSync(join(tmpdir(), "k8sim-gen-"))): string {
  for (const [rel, docs] of Object.entries(g.files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, docs.map((d) => stringify(d, { aliasDuplicateObjects: false, lineWidth: 0 })).join("---\n"));
  }
  const file = join(dir, "scenario.yaml");
  writeFileSync(file, scenarioYaml(g));
  return file;
}
