/** What running one hostile case gave, however it was run (in-process, isolated runner, real child process). */
export interface CaseResult {
  /** Exit code; null when the process died of a signal or was killed for a timeout. */
  code: number | null;
  out: string;
  err: string;
  /** The signal that ended the process, if any (SIGABRT for a V8 abort, SIGKILL after a timeout). */
  signal?: string | null;
  /** Whether it was killed because it did not end in time (a hang). */
  timedOut?: boolean;
  /** Milliseconds it took. */
  ms: number;
}
