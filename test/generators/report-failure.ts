/** Printing a shrunk failing generated scenario as files the user can run. */
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type fc from "fast-check";
import type { GenScenario } from "./scenario.js";
import { scenarioYaml, writeGenerated } from "./write.js";

/**
 * Writes the shrunk counterexample of a failed fast-check run to `<tmp>/k8sim-generated-failure-<seed>/` and returns
 * a message with: the error, how to run the scenario (`npx k8sim run ...`), how to replay the fast-check case, and
 * the scenario YAML itself.
 */
export function reportFailure(details: fc.RunDetails<[GenScenario]> | fc.RunDetails<[g: GenScenario]>, envPrefix: string): string {
  const g = details.counterexample![0];
  const dir = join(tmpdir(), `k8sim-generated-failure-${details.seed}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = writeGenerated(g, dir);
  const err = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return [
    `generated scenario failed after ${details.numRuns} run(s) and ${details.numShrinks} shrink(s): ${err}`,
    `run it:    npx k8sim run ${file}`,
    `replay it: ${envPrefix}_SEED=${details.seed} ${envPrefix}_PATH=${JSON.stringify(details.counterexamplePath)}`,
    `--- ${file}`,
    scenarioYaml(g),
    ...Object.entries(g.files).map(([rel]) => `(plus ${join(dir, rel)})`),
  ].join("\n");
}
