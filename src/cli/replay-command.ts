/**
 * `k8sim replay FILE.tgz [--out DIR] [--until DUR] [--allow-version-mismatch]`: checks the bundle (src/bundle/read.ts,
 * nothing is written for a bad one), extracts its scenario into DIR/scenario (DIR: a new temporary folder by
 * default), reruns it with the recorded --seed, --set and --limit into DIR/report exactly as `k8sim run` does, and
 * compares the rerun's digest and report files with the hashes the bundle records.
 *
 * Exit codes: 0 everything compared matches; 1 something differs; 2 bad input (a bad bundle, a bundle from another
 * k8sim version without --allow-version-mismatch, an unusable --out), nothing extracted.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extractBundle, targetProblem } from "../bundle/extract.js";
import type { BundleManifest } from "../bundle/manifest.js";
import { readBundle } from "../bundle/read.js";
import { hashReportFolder } from "../bundle/write.js";
import { K8SIM_VERSION } from "../version.js";
import { EXIT_EXPECTATION_FAILED, EXIT_INVALID_INPUT, EXIT_OK, type CliIO } from "./io.js";
import { runCommand, type RunCommandOptions } from "./run-command.js";

/** Options of replayCommand (the flags of `k8sim replay`). */
export interface ReplayOptions {
  /** --out: the folder to extract and report into (missing or empty); default a new folder in the OS temp dir. */
  out?: string;
  /** --until, in virtual ms: stop the rerun there (the report shows that moment). */
  until?: number;
  /** --allow-version-mismatch: replay a bundle made by another k8sim version. */
  allowVersionMismatch?: boolean;
  /** Test seams passed to the run. */
  drive?: RunCommandOptions["drive"];
}

/** The first line of the version check: what made the bundle, and what is replaying it. */
export function versionMismatch(made: string, running: string = K8SIM_VERSION): string | undefined {
  return made === running ? undefined : `this bundle was made by k8sim ${made}; this is k8sim ${running}`;
}

/** One line of the comparison: a file (or the digest), what the bundle records and what the replay gave. */
export interface Comparison {
  name: string;
  recorded: string | undefined;
  replayed: string | undefined;
}

/**
 * The comparison of a complete rerun with its bundle: the digest first, then every output file either holds, by
 * name. A file only one side has differs (a report file missing from the rerun, or one the bundle never saw).
 */
export function compareRun(m: BundleManifest, digest: string, outputs: Record<string, string>): Comparison[] {
  const names = [...new Set([...Object.keys(m.outputs), ...Object.keys(outputs)])].sort();
  return [{ name: "digest", recorded: m.digest, replayed: digest }, ...names.map((n) => ({ name: n, recorded: m.outputs[n], replayed: outputs[n] }))];
}

function comparisonLine(c: Comparison, width: number): string {
  const name = c.name.padEnd(width);
  if (c.recorded === c.replayed) return `  ${name}  match     ${short(c.recorded!)}\n`;
  if (c.recorded === undefined) return `  ${name}  DIFFERS   not in the bundle; the replay wrote it (${short(c.replayed!)})\n`;
  if (c.replayed === undefined) return `  ${name}  DIFFERS   the replay did not write it (bundle ${short(c.recorded)})\n`;
  return `  ${name}  DIFFERS   bundle ${short(c.recorded)}, replay ${short(c.replayed)}\n`;
}

function short(h: string): string {
  return h.length > 16 ? `${h.slice(0, 16)}…` : h;
}

/** Runs `k8sim replay <file>`; returns the exit code. */
export async function replayCommand(file: string, opts: ReplayOptions, io: CliIO): Promise<number> {
  const read = await readBundle(file);
  if (!read.ok) {
    for (const e of read.errors) io.err(`${file}: ${e}\n`);
    io.err(`k8sim: ${file} is not a usable bundle; nothing was extracted\n`);
    return EXIT_INVALID_INPUT;
  }
  const { bundle } = read;
  const m = bundle.manifest;
  const mismatch = versionMismatch(m.k8simVersion);
  if (mismatch) {
    if (!opts.allowVersionMismatch) {
      io.err(`k8sim: ${mismatch}. Runs may differ between versions, so it is not replayed; to replay it anyway, pass --allow-version-mismatch (or install k8sim ${m.k8simVersion})\n`);
      return EXIT_INVALID_INPUT;
    }
    io.err(`warning: ${mismatch}; replaying it anyway (--allow-version-mismatch): differences may come from the version\n`);
  }
  if (opts.out !== undefined) {
    const problem = opts.out === "" ? "expected a folder name" : targetProblem(opts.out);
    if (problem) {
      io.err(`--out ${opts.out}: ${problem}\n`);
      io.err(`k8sim: cannot replay into ${opts.out}; nothing was extracted\n`);
      return EXIT_INVALID_INPUT;
    }
  }
  const target = opts.out ?? mkdtempSync(join(tmpdir(), "k8sim-replay-"));
  let layout;
  try {
    layout = extractBundle(target, bundle);
  } catch (e) {
    if (opts.out === undefined) rmSync(target, { recursive: true, force: true });
    io.err(`--out ${target}: ${e instanceof Error ? e.message : String(e)}\n`);
    io.err(`k8sim: cannot extract ${file} into ${target}\n`);
    return EXIT_INVALID_INPUT;
  }
  io.out(`replaying ${file}: scenario ${m.scenario}, seed ${m.seed}${flagText(m)}, made by k8sim ${m.k8simVersion} on ${m.platform} (Node ${m.node})\n`);
  io.out(`scenario extracted to ${layout.scenarioDir}\n`);
  const code = await runCommand(
    layout.scenarioFile,
    { load: { seed: m.flags.seed ?? undefined, overrides: m.flags.set, limits: m.flags.limit }, out: layout.reportDir, until: opts.until, drive: opts.drive },
    io,
  );
  // 0 and 1 (an expectation failed, as it may have in the bundled run too) leave a report to compare.
  if (code !== EXIT_OK && code !== EXIT_EXPECTATION_FAILED) return code;
  io.out(`report written to ${layout.reportDir}\n`);
  const summary = JSON.parse(readFileSync(join(layout.reportDir, "summary.json"), "utf8")) as { digest: string; interrupted: { signal: string; at: string } | null };
  if (summary.interrupted) {
    const why = summary.interrupted.signal === "--until" ? `by --until at ${summary.interrupted.at}` : `by ${summary.interrupted.signal} at ${summary.interrupted.at}`;
    io.out(
      `not compared: the replay stopped ${why}, and the bundle records the digest and report files of the whole run (${m.simulatedDuration}) only; ` +
        `its inputs matched their sha256 in the bundle. Replay without --until to compare the run.\n`,
    );
    return EXIT_OK;
  }
  const results = compareRun(m, summary.digest, hashReportFolder(layout.reportDir));
  const width = Math.max(...results.map((r) => r.name.length));
  io.out(`compared with ${file}:\n`);
  for (const r of results) io.out(comparisonLine(r, width));
  const differ = results.filter((r) => r.recorded !== r.replayed);
  if (differ.length === 0) {
    io.out(`replay matches: the digest and all ${results.length - 1} report file(s) are identical\n`);
    return EXIT_OK;
  }
  io.out(`replay DIFFERS: ${differ.map((d) => d.name).join(", ")}${mismatch ? ` (${mismatch})` : ""}\n`);
  return EXIT_EXPECTATION_FAILED;
}

function flagText(m: BundleManifest): string {
  const parts = [...m.flags.set.map((s) => `--set ${s}`), ...m.flags.limit.map((l) => `--limit ${l}`)];
  return parts.length ? ` (${parts.join(" ")})` : "";
}
