/** Running the built CLI (`node dist/cli/main.js`) as a real child process, with a timeout. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CaseResult } from "./result.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The built CLI entry point (`npm run build`). */
export const CLI_MAIN = `${ROOT}/dist/cli/main.js`;

/** Options of runRealCli. */
export interface RealCliOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Close our end of stdout after the first chunk, as `| head -5` does once it has its lines. */
  closeStdoutEarly?: boolean;
  /** V8 heap limit (MB) of the child, so that a runaway input aborts fast rather than swapping. */
  heapMb?: number;
}

/** Runs `node dist/cli/main.js ...argv`; a run past the timeout is killed (SIGKILL) and reported as timed out. */
export function runRealCli(argv: readonly string[], opts: RealCliOptions = {}): Promise<CaseResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${opts.heapMb ?? 1024}`, CLI_MAIN, ...argv], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...opts.env, K8SIM_DEBUG: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (s: string) => {
      out += s;
      if (opts.closeStdoutEarly) child.stdout.destroy();
    });
    child.stderr.on("data", (s: string) => (err = (err + s).slice(-200_000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs ?? 20_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, out, err, ms: Date.now() - t0 });
    });
  });
}
