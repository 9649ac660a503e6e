/**
 * The built CLI (dist/cli/main.js) as a real child process, for the tests that need real signals, pipes and
 * crashes. dist/ is built by `npm ci` (prepare) or `npm run build`.
 */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the children's working directory). */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The built executable. */
export const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

/** Throws unless dist/ holds a build with the sliced run (so a stale build cannot pass for the current code). */
export function requireBuild(): void {
  if (!existsSync(MAIN) || !existsSync(fileURLToPath(new URL("../../dist/cli/drive.js", import.meta.url)))) {
    throw new Error("dist/ is missing or stale: run `npm run build` before these tests");
  }
}

/** How a child ended: its exit code, or the signal that killed it. */
export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `k8sim <args>` in the repository root; `env` is added to the environment. */
export function startCli(args: readonly string[], env: Record<string, string> = {}, stdio: StdioOptions = ["ignore", "pipe", "pipe"]): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio });
}

/** Resolves when `child` has exited, with what it printed (streams that were not piped read as ""). */
export function ended(child: ChildProcess): Promise<Ended> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += d));
  child.stderr?.on("data", (d) => (stderr += d));
  // Reading a stream the test destroyed on purpose must not fail the test.
  child.stdout?.on("error", () => {});
  child.stderr?.on("error", () => {});
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Resolves once the child's staging folder for `reportDir` exists: it is then past loading and simulating. */
export async function stagingAppears(child: ChildProcess, reportDir: string, timeoutMs = 30_000): Promise<void> {
  const name = `.${basename(reportDir)}.k8sim-staging-${child.pid}`;
  const start = performance.now();
  while (!readdirSync(dirname(reportDir)).includes(name)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error("the child ended before it started simulating");
    if (performance.now() - start > timeoutMs) throw new Error(`no ${name} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
