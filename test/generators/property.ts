/**
 * The property every generated scenario must have: it loads without errors, simulates with every invariant holding
 * after every event, and gives the same digest when simulated again. Shared by the CI test and `npm run soak`.
 */
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { simulate } from "../../src/run.js";
import { loadScenario } from "../../src/scenario/load.js";
import { describeViolations, simulateChecked } from "../helpers/invariant-run.js";
import type { GenScenario } from "./scenario.js";
import { scenarioYaml, writeGenerated } from "./write.js";

/** What one checked scenario gave. */
export interface GeneratedRun {
  file: string;
  digest: string;
  events: number;
  quiescent: boolean;
}

/**
 * Writes `g` to a temp dir, loads it through loadScenario, simulates it with invariants on and once more without,
 * and throws (with the scenario's YAML in the message) if it does not load, breaks an invariant, or the digests
 * differ. The temp dir is removed unless `keep`.
 */
export function checkGenerated(g: GenScenario, keep = false): GeneratedRun {
  const file = writeGenerated(g);
  try {
    const loaded = loadScenario(file);
    if (!loaded.ok) throw new Error(`generator bug: the generated scenario does not load:\n${loaded.errors.join("\n")}\n--- scenario.yaml\n${scenarioYaml(g)}`);
    const checked = simulateChecked(loaded.scenario);
    if (checked.violations.length) throw new Error(`invariant violated:\n${describeViolations(checked.violations)}`);
    const again = simulate(loaded.scenario);
    const digest = checked.outcome!.summary.digest;
    if (again.summary.digest !== digest) throw new Error(`same scenario, same seed, different digests in one process: ${digest} then ${again.summary.digest}`);
    return { file, digest, events: checked.outcome!.summary.events, quiescent: checked.quiescent };
  } finally {
    if (!keep) rmSync(dirname(file), { recursive: true, force: true });
  }
}
