/**
 * Scenario fixtures for behaviour tests: write a scenario YAML into a fresh temp dir (with the bundled manifests
 * copied next to it as manifests/*.yaml), load it and simulate it.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Cluster } from "../../src/cluster.js";
import { simulate, type RunOutcome } from "../../src/run.js";
import { loadScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";

/** Absolute path of the bundled scenarios folder. */
export const SCENARIOS = fileURLToPath(new URL("../../scenarios", import.meta.url));

/** Writes `yaml` as scenario.yaml (plus `extra` files) in a new temp dir holding a copy of scenarios/manifests. */
export function writeScenario(yaml: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "k8sim-test-"));
  created.push(dir);
  mkdirSync(join(dir, "manifests"));
  for (const f of readdirSync(join(SCENARIOS, "manifests"))) copyFileSync(join(SCENARIOS, "manifests", f), join(dir, "manifests", f));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  const file = join(dir, "scenario.yaml");
  writeFileSync(file, yaml);
  return file;
}

const created: string[] = [];

/** Removes every temp dir `writeScenario` made (call from afterAll). */
export function removeScenarios(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Loads a scenario file, throwing with every error if it is invalid. */
export function load(file: string): Scenario {
  const r = loadScenario(file);
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r.scenario;
}

/**
 * Runs a scenario; `observe` gets the cluster before anything runs, and `atEnd` (if given) is called at the last
 * virtual instant, when the store still holds the end state.
 */
export function run(scenario: Scenario, observe?: (cluster: Cluster) => void, atEnd?: (cluster: Cluster) => void): RunOutcome {
  return simulate(scenario, {
    observe: (cluster) => {
      observe?.(cluster);
      if (atEnd) cluster.sim.register<null>("test/end", () => atEnd(cluster)).scheduleAt(scenario.duration, null);
    },
  });
}

/** A metrics.csv column as numbers, with each row's elapsed seconds. */
export function column(outcome: RunOutcome, name: string): { t: number; v: number }[] {
  const i = outcome.metricsHeader.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  const ti = outcome.metricsHeader.indexOf("elapsed_seconds");
  return outcome.metricsRows.map((r) => ({ t: Number(r[ti]), v: Number(r[i]) }));
}
