/**
 * Generated scenarios (test/generators): random clusters, workloads, timelines of every action and expectations.
 * Each must load without errors, keep every invariant after every event, and give one digest: twice in this process
 * and, for a batch, in a separate process. A failure is shrunk and written out as a scenario file to run.
 *
 * Budget: K8SIM_GEN_RUNS scenarios (default 300) from K8SIM_GEN_SEED (default fixed, so CI is reproducible;
 * printed either way). K8SIM_GEN_PATH replays one shrunk case. `npm run soak` runs thousands with a random seed.
 */
import fc from "fast-check";
import { existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { cli } from "./helpers/cli.js";
import { livelockScenario } from "./fixtures/livelock.js";
import { afterAll, describe, expect, it } from "vitest";
import { childDigests } from "./helpers/child-digests.js";
import { describeViolations, simulateChecked } from "./helpers/invariant-run.js";
import { load, removeScenarios, writeScenario } from "./helpers/scenario-tmp.js";
import { checkGenerated, type GeneratedRun } from "./generators/property.js";
import { reportFailure } from "./generators/report-failure.js";
import { scenarioArb } from "./generators/scenario.js";

const SEED = Number(process.env.K8SIM_GEN_SEED ?? 20_261_201);
const RUNS = Number(process.env.K8SIM_GEN_RUNS ?? 300);
const PATH = process.env.K8SIM_GEN_PATH;
/** How many of the passing scenarios are re-run in a child process. */
const CROSS_PROCESS = 40;

const kept: GeneratedRun[] = [];
afterAll(() => {
  removeScenarios();
  for (const r of kept) rmSync(dirname(r.file), { recursive: true, force: true });
});

describe("generated scenarios", () => {
  it(`load, keep every invariant after every event and replay to one digest (seed ${SEED}, ${RUNS} runs)`, async () => {
    console.log(`generated scenarios: fast-check seed ${SEED}, ${RUNS} runs (K8SIM_GEN_SEED / K8SIM_GEN_RUNS to change)`);
    let quiescent = 0;
    const t0 = performance.now();
    const details = await fc.check(
      fc.asyncProperty(scenarioArb(), async (g) => {
        // Yield between runs: minutes of synchronous work would starve the test worker's RPC with vitest.
        await new Promise((r) => setImmediate(r));
        // The first passing ones keep their files for the child-process run.
        const keep = kept.length < CROSS_PROCESS;
        const r = checkGenerated(g, keep);
        if (r.quiescent) quiescent++;
        if (keep) kept.push(r);
      }),
      { seed: SEED, numRuns: RUNS, path: PATH, endOnFailure: false },
    );
    console.log(`generated scenarios: ${details.numRuns} run in ${((performance.now() - t0) / 1000).toFixed(1)}s, ${quiescent} checked for convergence`);
    if (details.failed) expect.fail(reportFailure(details, "K8SIM_GEN"));
  }, 360_000);

  it(`give the same digests in a separate process (${CROSS_PROCESS} of them)`, () => {
    expect(kept.length).toBeGreaterThan(0);
    const child = childDigests(kept.map((k) => k.file), 120_000);
    const mismatches = kept.filter((k) => child.get(k.file) !== k.digest).map((k) => `${k.file}: in-process ${k.digest}, child ${child.get(k.file)}`);
    expect(mismatches).toEqual([]);
  }, 150_000);
});

/** Found by the soak: test/fixtures/livelock.ts. */
const LIVELOCK = livelockScenario();

describe("scenarios the soak found", () => {
  it("a zero-time evict/recreate loop is stopped as stalled with exit 2, naming the instant and the way out", async () => {
    const file = writeScenario(LIVELOCK);
    const r = await cli("run", file, "--out", join(dirname(file), "out"), "--limit", "eventsPerInstant=20000");
    expect(r.code).toBe(2);
    expect(r.err).toContain("k8sim: the run stalled at virtual time 3m: 20,001 events ran at that one instant without virtual time advancing");
    expect(r.err).toContain("spec.settings.informerLatency");
    expect(existsSync(join(dirname(file), "out"))).toBe(false);
  }, 60_000);

  it("with 1ms of informer latency the same loop lets time advance, and the run ends with every invariant held", () => {
    const checked = simulateChecked(load(writeScenario(LIVELOCK.replace("terminationGracePeriodSeconds: 0,", "terminationGracePeriodSeconds: 0, informerLatency: 1ms,"))));
    expect(describeViolations(checked.violations)).toBe("");
  }, 60_000);
});

