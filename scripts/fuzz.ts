/**
 * `npm run fuzz`: a longer randomized hostile-input campaign than CI's. Runs every reproduction of issue 5
 * (test/hostile/cases.ts) in the isolated runner, then K8SIM_FUZZ_RUNS (default 2000) random mutations of the
 * bundled scenarios (test/hostile/mutations.ts) from K8SIM_FUZZ_SEED (default random; printed). Each failure is
 * saved as a workspace to rerun; the summary groups failures by what went wrong. Exit 1 if anything failed.
 */
import fc from "fast-check";
import { HOSTILE_CASES } from "../test/hostile/cases.js";
import { mutationArb } from "../test/hostile/mutations.js";
import { runHostileCase, runMutation, saveMutation } from "../test/hostile/run-case.js";
import { RunnerPool } from "../test/hostile/runner-pool.js";

const runs = Number(process.env.K8SIM_FUZZ_RUNS ?? 2000);
const seed = process.env.K8SIM_FUZZ_SEED !== undefined ? Number(process.env.K8SIM_FUZZ_SEED) : (Date.now() ^ (process.pid << 8)) >>> 0;
const timeoutMs = Number(process.env.K8SIM_FUZZ_TIMEOUT_MS ?? 15_000);
const pool = new RunnerPool();
const t0 = Date.now();
/** Failure kind (the problem text without numbers and paths) -> example reruns. */
const byKind = new Map<string, string[]>();
const note = (problems: string[], example: string) => {
  for (const p of problems) {
    const kind = p.replace(/\/tmp\/\S+/g, "<path>").replace(/\b\d+\b/g, "N").slice(0, 160);
    const list = byKind.get(kind) ?? [];
    if (list.length < 3) list.push(example);
    byKind.set(kind, list);
  }
};

console.log(`fuzz: ${HOSTILE_CASES.length} reproductions, then ${runs} mutations from fast-check seed ${seed}`);
let failed = 0;
for (const c of HOSTILE_CASES) {
  if (c.isolation === "real-process") continue;
  const { problems } = await runHostileCase(c, { kind: "isolated", pool, timeoutMs });
  if (problems.length) {
    failed++;
    note(problems, `reproduction "${c.name}"`);
  }
}
const mutations = fc.sample(mutationArb, { seed, numRuns: runs });
for (const [i, m] of mutations.entries()) {
  const { problems } = await runMutation(m, { kind: "isolated", pool, timeoutMs });
  if (problems.length) {
    failed++;
    note(problems, `${saveMutation(m, `fuzz-${seed}-${i}`)}   # ${m.describe.slice(0, 120)}`);
  }
  if ((i + 1) % 250 === 0) console.log(`fuzz: ${i + 1} mutations, ${failed} failing so far, ${((Date.now() - t0) / 1000).toFixed(0)}s`);
}
pool.close();
console.log(`fuzz: ${HOSTILE_CASES.length} reproductions + ${runs} mutations in ${((Date.now() - t0) / 1000).toFixed(1)}s, ${failed} failing, runner restarted ${pool.starts - 1} time(s), seed ${seed}`);
for (const [kind, examples] of byKind) console.log(`\n${kind}\n${examples.map((e) => `  ${e}`).join("\n")}`);
process.exit(failed ? 1 : 0);
