/** The crash-injection seam of the report write, for the crash-safety tests (env K8SIM_CRASH_AT=<step>). */
import { REPORT_STEPS, type ReportStep } from "../metrics/report-dir.js";

/**
 * For K8SIM_CRASH_AT=<step> (one of REPORT_STEPS), a hook that makes the process SIGKILL itself at that step of
 * writing the report, as a power cut or `kill -9` would; undefined when the variable is unset or empty. Throws
 * for an unknown step, so a test cannot silently inject nothing.
 */
export function crashHook(value: string | undefined): ((step: ReportStep) => void) | undefined {
  if (value === undefined || value === "") return undefined;
  if (!(REPORT_STEPS as readonly string[]).includes(value)) throw new Error(`K8SIM_CRASH_AT=${value}: expected one of ${REPORT_STEPS.join(", ")}`);
  return (step) => {
    if (step === value) process.kill(process.pid, "SIGKILL");
  };
}
