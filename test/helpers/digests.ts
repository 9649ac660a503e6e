/**
 * Child-process half of the cross-process determinism check: loads and simulates each scenario file named on the
 * command line and prints one line per file, `<digest> <file>` (or `error <file> <first error>`). Run with
 * vite-node so it simulates the current sources: `vite-node test/helpers/digests.ts a.yaml b.yaml`.
 */
import { simulate } from "../../src/run.js";
import { loadScenario } from "../../src/scenario/load.js";

for (const file of process.argv.slice(2)) {
  const r = loadScenario(file);
  if (!r.ok) {
    process.stdout.write(`error ${file} ${JSON.stringify(r.errors[0])}\n`);
    continue;
  }
  process.stdout.write(`${simulate(r.scenario).summary.digest} ${file}\n`);
}
