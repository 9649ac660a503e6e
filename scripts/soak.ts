/**
 * `npm run soak`: the generated-scenario property (test/generators/property.ts) over thousands of scenarios.
 * K8SIM_SOAK_RUNS (default 5000) scenarios from K8SIM_SOAK_SEED (default random; printed). On failure the shrunk
 * case is written out as a runnable scenario and printed, and the exit code is 1. Scenarios that would hit a known
 * bug (test/generators/known-bugs.ts) are skipped and counted unless K8SIM_SOAK_KNOWN=include.
 */
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { checkGenerated } from "../test/generators/property.js";
import { knownBug } from "../test/generators/known-bugs.js";
import { reportFailure } from "../test/generators/report-failure.js";
import { scenarioArb } from "../test/generators/scenario.js";
import { scenarioYaml } from "../test/generators/write.js";

const runs = Number(process.env.K8SIM_SOAK_RUNS ?? 5000);
const seed = process.env.K8SIM_SOAK_SEED !== undefined ? Number(process.env.K8SIM_SOAK_SEED) : (Date.now() ^ (process.pid << 8)) >>> 0;
const path = process.env.K8SIM_SOAK_PATH;
/** If set, each scenario's YAML is written here before it runs: after a hang, the file shows the culprit. */
const current = process.env.K8SIM_SOAK_CURRENT;
/** Scenarios that would hit a known bug (test/generators/known-bugs.ts) are skipped unless asked for. */
const includeKnown = process.env.K8SIM_SOAK_KNOWN === "include";
let skipped = 0;
console.log(`soak: ${runs} generated scenarios, fast-check seed ${seed}`);
const t0 = Date.now();
let done = 0;
let events = 0;
let quiescent = 0;
const details = fc.check(
  fc.property(scenarioArb(), (g) => {
    if (!includeKnown && knownBug(g)) {
      skipped++;
      return;
    }
    if (current) writeFileSync(current, scenarioYaml(g));
    const r = checkGenerated(g);
    done++;
    events += r.events;
    if (r.quiescent) quiescent++;
    if (done % 500 === 0) console.log(`soak: ${done} scenarios, ${events} events, ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  }),
  { seed, numRuns: runs, path, endOnFailure: false },
);
const secs = ((Date.now() - t0) / 1000).toFixed(1);
if (details.failed) {
  console.log(reportFailure(details, "K8SIM_SOAK"));
  process.exit(1);
}
console.log(`soak: ${details.numRuns} scenarios passed in ${secs}s (${events} events, ${quiescent} checked for convergence, ${skipped} skipped for a known bug), seed ${seed}`);
