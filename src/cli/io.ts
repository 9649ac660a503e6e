/** What the CLI needs from its process: output streams, clocks, signals and seams. Tests pass fakes. */
import type { ReportStep } from "../metrics/report-dir.js";

/** Exit codes of the CLI (DESIGN.md): ran and every expectation held; an expectation failed; invalid input. */
export const EXIT_OK = 0;
/** See EXIT_OK. */
export const EXIT_EXPECTATION_FAILED = 1;
/** See EXIT_OK. */
export const EXIT_INVALID_INPUT = 2;
/** A bug in k8sim itself (not the user's input). */
export const EXIT_INTERNAL = 3;

/** Where the CLI prints; tests pass buffers, main() passes the process streams. */
export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Wall clock in seconds (terminal and run-info.json only, never the report files). */
  wallClock: () => number;
  peakRss: () => number;
  /**
   * Subscribes `handler` to SIGINT and SIGTERM for the length of a run and returns the unsubscribe. Absent (as in
   * in-process tests), a run takes no signals.
   */
  onSignals?: (handler: (signal: "SIGINT" | "SIGTERM") => void) => () => void;
  /** JavaScript heap in use (bytes) for the memory guard; default process.memoryUsage().heapUsed. */
  heapUsed?: () => number;
  /** Called at each step of writing the report: the crash-injection seam (env K8SIM_CRASH_AT in main.ts). */
  reportStep?: (step: ReportStep) => void;
}
