/** Running one hostile case or mutation, in-process, in the isolated runner or as the real CLI, and judging it. */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "../helpers/cli.js";
import type { HostileCase } from "./cases.js";
import type { Mutation } from "./mutations.js";
import { propertyProblems } from "./property.js";
import { runRealCli } from "./real-cli.js";
import type { CaseResult } from "./result.js";
import type { RunnerPool } from "./runner-pool.js";
import { makeWorkspace, removeWorkspace, type Workspace } from "./workspace.js";

/** Where a case is run. */
export type Mode = { kind: "in-process" } | { kind: "isolated"; pool: RunnerPool; timeoutMs?: number } | { kind: "real"; timeoutMs?: number };

/** A judged case: what it gave and what is wrong with it (empty = the property and the issue's essence hold). */
export interface Judged {
  result: CaseResult;
  problems: string[];
}

/** Runs argv in `mode` on `ws`. */
async function execute(argv: string[], mode: Mode, c: Partial<HostileCase> = {}, ws?: Workspace): Promise<CaseResult> {
  if (mode.kind === "in-process") {
    const t0 = performance.now();
    const r = await cli(...argv);
    return { ...r, ms: Math.round(performance.now() - t0) };
  }
  if (mode.kind === "isolated") return mode.pool.run(argv, mode.timeoutMs);
  return runRealCli(argv, { timeoutMs: mode.timeoutMs, env: c.env, cwd: c.cwdInWorkspace ? ws?.dir : undefined, closeStdoutEarly: c.closeStdoutEarly });
}

/** Runs one case of cases.ts on a fresh workspace and judges it; the workspace is removed afterwards. */
export async function runHostileCase(c: HostileCase, mode: Mode): Promise<Judged> {
  const ws = makeWorkspace();
  try {
    c.setup?.(ws);
    const result = await execute(c.argv(ws), mode, c, ws);
    const problems = [...propertyProblems(result, c.checksOut === false ? undefined : ws.out), ...(c.expect?.(result, ws) ?? [])];
    return { result, problems };
  } finally {
    removeWorkspace(ws);
  }
}

/** Runs one mutation (mutations.ts) and judges it by the general property. */
export async function runMutation(m: Mutation, mode: Mode): Promise<Judged> {
  const ws = makeWorkspace();
  try {
    writeFileSync(join(ws.dir, m.target), m.text);
    const scenario = join(ws.dir, m.scenario);
    const argv = [...(m.command === "run" ? ["run", scenario, "--out", ws.out] : ["validate", scenario]), ...m.args];
    const result = await execute(argv, mode);
    return { result, problems: propertyProblems(result, ws.out) };
  } finally {
    removeWorkspace(ws);
  }
}

/** Writes a failing mutation out as a workspace the user can rerun; returns the command that reproduces it. */
export function saveMutation(m: Mutation, label: string): string {
  const dir = join(tmpdir(), `k8sim-hostile-failure-${label}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ws = makeWorkspace(dir);
  writeFileSync(join(ws.dir, m.target), m.text);
  const scenario = join(ws.dir, m.scenario);
  const args = m.args.map((a) => JSON.stringify(a)).join(" ");
  return `${m.command === "run" ? `npx k8sim run ${scenario} --out ${ws.out}` : `npx k8sim validate ${scenario}`}${args ? ` ${args}` : ""}`;
}
