/**
 * Hostile input (issue 5): the reproductions of items 1-15 (test/hostile/cases.ts) and generated malformed input
 * (test/hostile/mutations.ts). The property for every case (test/hostile/property.ts): exit 2 with a position on
 * every error line, or a valid run (exit 0/1); never exit 3, a stack trace, a hang, a V8 abort or raw control bytes,
 * and no report folder after exit 2.
 *
 * Cases safe in this process run through test/helpers/cli.ts; cases that may hang or exhaust memory run in an
 * isolated runner process (test/hostile/runner-pool.ts); a representative subset also runs as the real CLI
 * (`node dist/cli/main.js`, built here first) with a timeout. `npm run fuzz` runs a longer campaign.
 * K8SIM_HOSTILE_SEED / K8SIM_HOSTILE_RUNS change the generated batch (default fixed seed, 120 mutations).
 */
import fc from "fast-check";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTILE_CASES } from "./hostile/cases.js";
import { mutationArb } from "./hostile/mutations.js";
import { propertyProblems } from "./hostile/property.js";
import { CLI_MAIN } from "./hostile/real-cli.js";
import { runHostileCase, runMutation, saveMutation } from "./hostile/run-case.js";
import { RunnerPool } from "./hostile/runner-pool.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SEED = Number(process.env.K8SIM_HOSTILE_SEED ?? 5_005);
const RUNS = Number(process.env.K8SIM_HOSTILE_RUNS ?? 120);

const pool = new RunnerPool();
afterAll(() => pool.close());

/** Whether dist/cli/main.js is older than some file under src/ (so the real-process cases would test old code). */
function distIsStale(): boolean {
  if (!existsSync(CLI_MAIN)) return true;
  const built = statSync(CLI_MAIN).mtimeMs;
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  return newest(join(ROOT, "src")) > built;
}

/** Builds dist/ from the current sources for the real-process cases, unless it is up to date (type errors
 *  elsewhere do not stop tsc from writing dist/). */
beforeAll(() => {
  if (!distIsStale()) return;
  try {
    execFileSync(process.execPath, [`${ROOT}/node_modules/typescript/bin/tsc`, "-p", "tsconfig.json"], { cwd: ROOT, stdio: "pipe", timeout: 120_000 });
  } catch {
    // tsc exits non-zero on type errors but still writes dist/; a missing entry point fails the tests below.
  }
}, 130_000);

const explain = (name: string, problems: string[], r: { code: number | null; out: string; err: string }) =>
  problems.length ? `${name}: ${problems.join("; ")}\n--- exit ${r.code}\n--- stderr\n${r.err.slice(0, 2000)}\n--- stdout\n${r.out.slice(0, 500)}` : "";

describe("the property itself", () => {
  const r = (code: number | null, err: string, extra: Partial<{ out: string; signal: string; timedOut: boolean }> = {}) => ({ code, err, out: "", ms: 1, ...extra });
  it("accepts a positioned exit 2 and a valid run", () => {
    expect(propertyProblems(r(2, "a.yaml:3:7: spec.duration: bad\n--set spec.x=1: unknown key\nk8sim: 2 problem(s) in a.yaml; nothing was run\n"))).toEqual([]);
    expect(propertyProblems(r(1, "warning: a.yaml:1:1: Service/web: ignored\n"))).toEqual([]);
  });
  it("flags every way out the issue forbids", () => {
    const one = (x: ReturnType<typeof r>, re: RegExp) => expect(propertyProblems(x).join("; ")).toMatch(re);
    one(r(3, "k8sim: internal error: boom\n"), /exit 3/);
    one(r(2, "Error: x\n    at f (file.js:1:2)\n"), /stack trace/);
    one(r(null, "", { signal: "SIGABRT" }), /signal SIGABRT/);
    one(r(134, "FATAL ERROR: Reached heap limit\n"), /V8 abort/);
    one(r(null, "", { signal: "SIGKILL", timedOut: true }), /hung/);
    one(r(0, "bad \x1b[31m\n"), /control byte 0x1b/);
    one(r(2, "something is wrong\n"), /lacking a position/);
    one(r(2, "k8sim: 1 problem(s) found\n"), /without any positioned error line/);
    expect(propertyProblems(r(2, "a.yaml:1:1: bad\n"), ROOT).join()).toMatch(/report folder .* exists/);
  });
});

describe("issue 5 reproductions", () => {
  for (const c of HOSTILE_CASES) {
    if (c.isolation === "real-process") continue;
    const where = c.isolation === "in-process" ? "in-process" : "isolated";
    it(`${c.name} (${where})`, async () => {
      const { result, problems } = await runHostileCase(c, c.isolation === "in-process" ? { kind: "in-process" } : { kind: "isolated", pool, timeoutMs: 20_000 });
      expect(explain(c.name, problems, result)).toBe("");
    }, 40_000);
  }
});

describe("issue 5 reproductions as the real CLI", () => {
  for (const c of HOSTILE_CASES.filter((x) => x.child || x.isolation === "real-process")) {
    it(`${c.name} (node dist/cli/main.js)`, async () => {
      expect(existsSync(CLI_MAIN), `${CLI_MAIN} missing: npm run build`).toBe(true);
      const { result, problems } = await runHostileCase(c, { kind: "real", timeoutMs: 30_000 });
      expect(explain(c.name, problems, result)).toBe("");
    }, 45_000);
  }
});

describe("generated malformed input", () => {
  it(`mutations of the bundled scenarios (seed ${SEED}, ${RUNS} cases)`, async () => {
    console.log(`hostile mutations: fast-check seed ${SEED}, ${RUNS} cases (K8SIM_HOSTILE_SEED / K8SIM_HOSTILE_RUNS to change)`);
    const failures: string[] = [];
    const t0 = performance.now();
    const cases = fc.sample(mutationArb, { seed: SEED, numRuns: RUNS });
    for (const [i, m] of cases.entries()) {
      const { result, problems } = await runMutation(m, { kind: "isolated", pool, timeoutMs: 10_000 });
      if (problems.length) {
        const repro = saveMutation(m, `${SEED}-${i}`);
        failures.push(`#${i} ${m.command} after ${m.describe}: ${problems.join("; ")}\n  rerun: ${repro}\n  stderr: ${JSON.stringify(result.err.slice(0, 300))}`);
      }
    }
    console.log(`hostile mutations: ${RUNS} cases in ${((performance.now() - t0) / 1000).toFixed(1)}s, ${failures.length} failing, runner started ${pool.starts} time(s)`);
    expect(failures.join("\n")).toBe("");
  }, 240_000);
});
