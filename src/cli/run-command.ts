/**
 * `k8sim run`: load, open the report folder (before simulating, so an unusable --out costs nothing), drive the run
 * in slices (signals and the memory guard are answered between slices), then write the report as one unit. With
 * --check-invariants an InvariantMonitor watches the run, and its first violation stops it with nothing written.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import { openReportDir, type ReportDir } from "../metrics/report-dir.js";
import { commitReport, type RunInfo } from "../metrics/write.js";
import type { Cluster } from "../cluster.js";
import { StalledError } from "../engine/simulation.js";
import { InvariantMonitor, InvariantViolationError, quiescentAtEnd } from "../invariants/index.js";
import { eventsPerInstantLimit, startRun, type RunOutcome } from "../run.js";
import { formatDuration } from "../engine/duration.js";
import { formatLimit, raiseHint } from "../scenario/limits.js";
import { loadScenario, type LoadOptions } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { drive, memoryLimitBytes, oldSpaceBytes, DEFAULT_MEMORY_SHARE, MAX_MEMORY_SHARE, type DriveOptions } from "./drive.js";
import { EXIT_EXPECTATION_FAILED, EXIT_INVALID_INPUT, EXIT_OK, type CliIO } from "./io.js";
import { printSummary } from "./print.js";
import { ChangeLogStream } from "../changelog/stream.js";
import type { InputFile } from "../scenario/load.js";
import { bundleFlagProblem, writeRunBundle } from "./bundle-write.js";

/** Exit code of a run stopped by `signal`: 128 + its number, as shells report it (130 SIGINT, 143 SIGTERM). */
export function signalExitCode(signal: string): number {
  return 128 + (constants.signals[signal as keyof typeof constants.signals] ?? 0);
}

/** Options of runCommand: loading options, --out, and what tests inject into the driver. */
export interface RunCommandOptions {
  load: LoadOptions;
  out?: string;
  /** --check-invariants: every registered invariant after every event; the first violation stops the run. */
  checkInvariants?: boolean;
  /** Overrides of the driver's slice size and pause (tests). */
  drive?: Pick<DriveOptions, "sliceEvents" | "pause">;
  /** --bundle FILE.tgz: after the report, write a bug bundle of the run there (src/bundle/). */
  bundle?: string;
  /** Virtual ms to stop the run at (`k8sim replay --until`; SimulateOptions.until). */
  until?: number;
}

/** Runs `k8sim run <file>` and returns the exit code; prints everything through `io`. */
export async function runCommand(file: string, opts: RunCommandOptions, io: CliIO): Promise<number> {
  let signal: string | undefined;
  // Subscribed first, so a signal during loading stops the run before its first event instead of killing it.
  const unsubscribe = io.onSignals?.((s) => {
    signal ??= s;
  });
  try {
    const loaded = loadScenario(file, opts.load);
    if (!loaded.ok) {
      for (const e of loaded.errors) io.err(e + "\n");
      io.err(`k8sim: ${loaded.errors.length} problem(s) in ${file}; nothing was run\n`);
      return EXIT_INVALID_INPUT;
    }
    for (const w of loaded.warnings) io.err(`warning: ${w}\n`);
    const sc = loaded.scenario;
    const dir = opts.out ?? `reports/${sc.name}/seed-${sc.seed}`;
    const shown = dir === "" ? '""' : dir;
    // A bundle that cannot be made is refused before the run, so it costs nothing.
    const bundleProblem = opts.bundle === undefined ? undefined : bundleFlagProblem(opts.bundle, dir, loaded.inputs);
    if (bundleProblem !== undefined) {
      io.err(`--bundle ${opts.bundle}: ${bundleProblem}\n`);
      io.err(`k8sim: cannot write the bundle to ${opts.bundle}; nothing was run\n`);
      return EXIT_INVALID_INPUT;
    }
    const bundle = opts.bundle === undefined ? undefined : { file: opts.bundle, inputs: loaded.inputs };
    let report: ReportDir;
    try {
      report = openReportDir(dir, { onStep: io.reportStep });
    } catch (e) {
      return cannotWrite(shown, e, false, io);
    }
    try {
      return await runInto(sc, report, shown, () => signal, opts, io, bundle);
    } catch (e) {
      report.abandon();
      throw e;
    }
  } finally {
    unsubscribe?.();
  }
}

async function runInto(
  sc: Scenario,
  report: ReportDir,
  dir: string,
  signal: () => string | undefined,
  opts: RunCommandOptions,
  io: CliIO,
  bundle?: { file: string; inputs: InputFile[] },
): Promise<number> {
  const t0 = io.wallClock();
  let checked: { monitor: InvariantMonitor; cluster: Cluster } | undefined;
  // The engine's own instant limit (StalledError) guards against a stuck instant, so the monitor's budget is off.
  const observe = (cluster: Cluster) => (checked = { cluster, monitor: InvariantMonitor.attach(cluster, { stopAtFirst: true, instantBudget: Infinity }) });
  const run = startRun(sc, opts.checkInvariants ? { observe, changeLog: true, until: opts.until } : { changeLog: true, until: opts.until });
  const limit = memoryLimitBytes(sc.limits.memory);
  // logs.jsonl grows in the staging folder as the run goes, so `k8sim logs -f` can follow it.
  const logs = new LogStream(join(report.staging, "logs.jsonl"));
  // changes.log too, so a long run never holds its whole change log in memory.
  const changes = new ChangeLogStream(report.staging);
  let end: Awaited<ReturnType<typeof drive>>;
  try {
    end = await drive(run, {
      ...opts.drive,
      signal,
      heapUsed: io.heapUsed ?? (() => process.memoryUsage().heapUsed),
      memoryLimit: limit,
      afterSlice: () => {
        logs.append(run.takeLogs());
        changes.append(run.takeChanges());
      },
    });
    // The end-of-run checks, only for a run that reached its end (not one stopped at --until).
    if (checked && end.kind === "done" && run.done) checked.monitor.finish(sc.duration, quiescentAtEnd(sc, checked.cluster.settings, checked.cluster.kubelets.size));
  } catch (e) {
    if (e instanceof InvariantViolationError) {
      // Exit 1, as for a failed expectation: the run did not behave as it must.
      report.abandon();
      io.err(`k8sim: ${e.message}; nothing was written\n`);
      return EXIT_EXPECTATION_FAILED;
    }
    changes.abandon();
    if (!(e instanceof StalledError)) throw e;
    report.abandon();
    io.err(stalledMessage(e, sc));
    return EXIT_INVALID_INPUT;
  }
  if (end.kind === "memory") {
    changes.abandon();
    report.abandon();
    io.err(memoryMessage(end.heapUsed, end.atMs, sc.limits.memory, limit));
    return EXIT_INVALID_INPUT;
  }
  const finished = run.finish();
  changes.append(run.takeChanges());
  try {
    changes.close();
  } catch (e) {
    report.abandon();
    return cannotWrite(dir, e, true, io);
  }
  // Text a failed streaming write kept goes first in the report's own write of logs.jsonl (which reports errors).
  const unwritten = logs.close();
  const outcome: RunOutcome = unwritten === "" ? finished : { ...finished, takeLogs: () => unwritten + finished.takeLogs() };
  const wall = io.wallClock() - t0;
  const info: RunInfo = {
    wallSeconds: Math.round(wall * 1000) / 1000,
    eventsPerSecond: wall > 0 ? Math.round(outcome.summary.events / wall) : 0,
    peakRssBytes: io.peakRss(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  let written: string[];
  try {
    written = commitReport(report, outcome, info);
  } catch (e) {
    return cannotWrite(dir, e, true, io);
  }
  printSummary(outcome, wall, dir, written.length, io);
  if (bundle) {
    const code = writeRunBundle(bundle.file, bundle.inputs, sc, opts.load, outcome, report.path, io);
    if (code !== EXIT_OK) return code;
  }
  if (end.kind === "interrupted") {
    io.err(interruptedMessage(outcome, sc, dir));
    return signalExitCode(end.signal);
  }
  return outcome.passed ? EXIT_OK : EXIT_EXPECTATION_FAILED;
}

/**
 * An unusable report folder: the reason on a line of its own that names the flag (as `--set` and `--limit`
 * errors do), then the summary line. `ran` says whether the simulation had run (a write failing after it).
 */
function cannotWrite(dir: string, e: unknown, ran: boolean, io: CliIO): number {
  // A folder that cannot be written (a file in the way, no permission, disk full) is the user's to fix.
  const reason = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown }).code;
  io.err(`--out ${dir}: ${reason}\n`);
  io.err(`k8sim: cannot write the report to ${dir}${typeof code === "string" ? `: ${code}` : ""}; nothing was ${ran ? "written" : "run"}\n`);
  return EXIT_INVALID_INPUT;
}

function interruptedMessage(o: RunOutcome, sc: Scenario, dir: string): string {
  const i = o.summary.interrupted!;
  const skipped = o.summary.expectations.filter((e) => e.passed === null).length;
  const exp = skipped ? `; ${skipped} expectation(s) not reached` : "";
  return `k8sim: interrupted by ${i.signal} at virtual time ${i.at} of ${formatDuration(sc.duration)}${exp}; the report in ${dir.replace(/\/+$/, "")}/ is marked interrupted\n`;
}

/** A run whose virtual time stopped advancing (engine StalledError): what happened, the likely cause, the ways out. */
function stalledMessage(e: StalledError, sc: Scenario): string {
  const limit = sc.limits.eventsPerInstant > 0 ? formatLimit("eventsPerInstant", sc.limits.eventsPerInstant) : `${formatLimit("eventsPerInstant", eventsPerInstantLimit(sc))} (automatic for this cluster)`;
  return (
    `k8sim: the run stalled at virtual time ${formatDuration(e.time)}: ${e.events.toLocaleString("en-US")} events ran at that one instant without virtual time advancing, ` +
    `more than the eventsPerInstant limit of ${limit}; nothing was written. ` +
    "Components answer each other in zero virtual time, so a cycle among them never lets time move on (for example pods evicted as soon as they are " +
    "scheduled: a 0s toleration of a NoExecute taint still on a node, with terminationGracePeriodSeconds 0). Give each step time with " +
    `spec.settings.informerLatency (e.g. 1ms), or, if the instant is only large, ${raiseHint("eventsPerInstant")}\n`
  );
}

const MIB = 2 ** 20;

function memoryMessage(used: number, atMs: number, configured: number, limit: number): string {
  const heapMiB = Math.round(oldSpaceBytes() / MIB);
  const limitText =
    configured > 0 && configured <= limit
      ? formatLimit("memory", configured)
      : configured > 0
        ? `${formatLimit("memory", configured)}, capped at ${Math.round(limit / MIB)} MiB (${MAX_MEMORY_SHARE * 100}% of Node's heap of ${heapMiB} MiB)`
        : `${Math.round(limit / MIB)} MiB (${DEFAULT_MEMORY_SHARE * 100}% of Node's heap of ${heapMiB} MiB)`;
  return (
    `k8sim: the run used ${Math.round(used / MIB)} MiB of JavaScript heap at virtual time ${formatDuration(atMs)}, above the memory limit of ${limitText} (limits.memory); nothing was written. ` +
    `${raiseHint("memory").replace(/^r/, "R")}, and Node's heap (${heapMiB} MiB now) with NODE_OPTIONS=--max-old-space-size=<MiB>\n`
  );
}

/**
 * A file the run appends to as it goes (logs.jsonl in the staging folder). Opened on the first append, so a run
 * that fails before its first slice leaves nothing. After a write error it stops streaming and keeps the text, which
 * `close` hands back for the report's own write (that one reports the error, if it persists).
 */
class LogStream {
  private fd: number | undefined;
  private kept: string[] | undefined;

  constructor(private readonly path: string) {}

  append(text: string): void {
    if (text === "") return;
    if (this.kept !== undefined) {
      this.kept.push(text);
      return;
    }
    const buf = Buffer.from(text);
    let off = 0;
    try {
      this.fd ??= openSync(this.path, "a");
      // writeSync may write part of a large buffer: write until all of it is in.
      while (off < buf.length) off += writeSync(this.fd, buf, off);
    } catch {
      this.kept = [buf.subarray(off).toString()];
    }
  }

  /** Closes the file; returns the text not written. */
  close(): string {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    return this.kept?.join("") ?? "";
  }
}
