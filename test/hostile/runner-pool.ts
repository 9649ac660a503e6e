/**
 * Running CLI invocations in a separate, long-lived Node process (runner-child.ts) so that inputs that hang, exhaust
 * the heap or abort V8 cannot take the test process down, at nearly in-process speed: the child is restarted only
 * after it died or was killed for a timeout.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CaseResult } from "./result.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A single runner process, used one request at a time. */
export class RunnerPool {
  private child: ChildProcessWithoutNullStreams | undefined;
  private buffer = "";
  private pending: ((r: CaseResult) => void) | undefined;
  private stderr = "";
  /** How many times a runner process was started (a measure of how many cases crashed or hung). */
  starts = 0;

  /** @param heapMb V8 heap limit of the runner (small, so that a runaway input fails fast). */
  constructor(private readonly heapMb = 768) {}

  private start(): ChildProcessWithoutNullStreams {
    this.starts++;
    const child = spawn(process.execPath, [`--max-old-space-size=${this.heapMb}`, `${ROOT}/node_modules/vite-node/vite-node.mjs`, "test/hostile/runner-child.ts"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    this.buffer = "";
    this.stderr = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      this.buffer += chunk;
      const nl = this.buffer.indexOf("\n");
      if (nl >= 0 && this.pending) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const done = this.pending;
        this.pending = undefined;
        done(JSON.parse(line) as CaseResult);
      }
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (s: string) => (this.stderr = (this.stderr + s).slice(-20_000)));
    child.on("exit", (code, signal) => {
      if (this.child === child) this.child = undefined;
      const done = this.pending;
      this.pending = undefined;
      // The process died while running a case: that case aborted (its output is what reached stderr).
      done?.({ code: code === null ? null : code, signal, out: "", err: this.stderr, ms: 0 });
    });
    return child;
  }

  /** Runs `argv` in the runner; a case still running after `timeoutMs` kills the runner and counts as a hang. */
  run(argv: readonly string[], timeoutMs = 15_000): Promise<CaseResult> {
    const child = (this.child ??= this.start());
    const t0 = Date.now();
    return new Promise<CaseResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.child = undefined;
        child.kill("SIGKILL");
        resolve({ code: null, signal: "SIGKILL", timedOut: true, out: "", err: "", ms: Date.now() - t0 });
      }, timeoutMs);
      this.pending = (r) => {
        clearTimeout(timer);
        // A crash reports ms 0: give it the wall time instead.
        resolve({ ...r, ms: r.ms || Date.now() - t0 });
      };
      child.stdin.write(JSON.stringify({ argv }) + "\n");
    });
  }

  /** Stops the runner process. */
  close(): void {
    this.child?.kill("SIGKILL");
    this.child = undefined;
  }
}
