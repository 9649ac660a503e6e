/**
 * The property every hostile input must have (issue 5, "Suites that keep it so"): the CLI ends either with exit 2
 * and every stderr line of its error block carrying a position, or with a valid run (exit 0 or 1). Never exit 3,
 * never a stack trace, never a hang, never a V8 abort, never raw control bytes in the output, and no report folder
 * left behind after exit 2.
 */
import { existsSync } from "node:fs";
import type { CaseResult } from "./result.js";

/** Lines that say where the problem is: `file:line:col: ...`, `--set path=...: ...`, `--limit ...: ...`, `--out ...`. */
// A --set or --limit flag's text may hold spaces (`--set "spec.x.- name=NaN"`, found by the fuzzer).
const POSITIONED = [/^\S[^:]*:\d+:\d+: \S/, /^--set .+?: \S/, /^--limit .+?: \S/, /^--out\b/, /^--seed\b/, /^--allow-outside\b/];
/** Lines around the error block that carry no position of their own. */
/** Run-time guards (the memory guard, a stalled instant) stop a valid scenario: their one line has no position, but
 *  names the virtual time, the limit and how to raise it. */
const RUN_GUARDS = [/^k8sim: the run stalled at virtual time \S+: .*eventsPerInstant limit.*nothing was written/, /^k8sim: the run used \d+ MiB of JavaScript heap at virtual time .*limits\.memory.*nothing was written/];
const CHROME = [/^warning: /, /^k8sim: \d+ problems? ?(\(s\) )?(found|in )/, /^k8sim: .*nothing was (run|written)/, /^\(run with --help/];
/** Control characters other than tab and newline (ESC, BEL, CR, NUL, DEL, ...). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

/** Whether `line` names a position as the error format requires. */
export function isPositioned(line: string): boolean {
  return POSITIONED.some((re) => re.test(line)) || (/^warning: /.test(line) && POSITIONED.some((re) => re.test(line.slice(9))));
}

/**
 * Every way `r` breaks the property, as short sentences (empty when it holds). `out` is the --out folder the case
 * used (undefined if none), checked to be absent after an exit 2.
 */
export function propertyProblems(r: CaseResult, out?: string): string[] {
  const p: string[] = [];
  if (r.timedOut) p.push(`hung: killed after ${r.ms} ms`);
  else if (r.code === null) p.push(`died of signal ${r.signal}`);
  else if (r.code === 134 || r.signal === "SIGABRT") p.push("V8 abort (exit 134)");
  else if (![0, 1, 2].includes(r.code)) p.push(`exit ${r.code}, expected 0, 1 or 2`);
  const both = `${r.out}\n${r.err}`;
  if (/\n\s+at /.test(both) || /^\s+at .*\(.*:\d+:\d+\)$/m.test(both)) p.push("prints a stack trace");
  if (/internal error/i.test(both)) p.push("reports an internal error");
  if (/FATAL ERROR|heap out of memory|Aborted \(core dumped\)/.test(both)) p.push("V8 fatal error in the output");
  const ctl = CONTROL.exec(both);
  if (ctl) p.push(`raw control byte 0x${ctl[0].charCodeAt(0).toString(16).padStart(2, "0")} in the output`);
  if (r.code === 2) {
    const lines = r.err.split("\n").filter((l) => l.trim() !== "");
    const unpositioned = lines.filter((l) => !isPositioned(l) && !CHROME.some((re) => re.test(l)));
    if (unpositioned.length) p.push(`exit 2 with error line(s) lacking a position: ${unpositioned.slice(0, 3).map((l) => JSON.stringify(l.slice(0, 160))).join("; ")}`);
    const guarded = lines.some((l) => RUN_GUARDS.some((re) => re.test(l)));
    if (!guarded && !lines.some((l) => isPositioned(l) && !/^warning: /.test(l))) p.push("exit 2 without any positioned error line");
    if (out !== undefined && existsSync(out)) p.push(`exit 2 but the report folder ${out} exists`);
  }
  return p;
}
