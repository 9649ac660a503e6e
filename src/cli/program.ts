import { Command, CommanderError, InvalidArgumentError } from "commander";
import { resolve } from "node:path";
import { formatPos } from "../scenario/errors.js";
import { loadScenario, validateFiles, type LoadOptions } from "../scenario/load.js";
import { simulate, type RunOutcome } from "../run.js";
import { writeReport } from "../metrics/write.js";
import { K8SIM_VERSION } from "../version.js";

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
}

/** Thrown inside an action to end the command with an exit code (after its message was printed). */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function parseSeed(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError(`expected a non-negative integer, got "${v}"`);
  return Number(v);
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** The flags `run` and `validate` share: validate loads exactly as run would. */
interface RunFlags {
  seed?: number;
  set: string[];
  limit: string[];
  allowOutside?: boolean;
}

function loadOptions(f: RunFlags): LoadOptions {
  return { overrides: f.set, seed: f.seed, limits: f.limit, allowOutside: f.allowOutside === true };
}

/**
 * Runs the k8sim CLI on `argv` (without "node" and the script) and returns its exit code. The commands are a thin
 * layer over the library (loadScenario, simulate, writeReport), so tests drive them in-process.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const program = new Command();
  program
    .name("k8sim")
    .description("Deterministic discrete-event simulator of a Kubernetes cluster")
    .version(K8SIM_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError("(run with --help for usage)");

  program
    .command("run")
    .description("run a scenario and write its report (summary.json, metrics.csv, events.jsonl)")
    .argument("<scenario>", "scenario file (YAML)")
    .option("--seed <n>", "run seed (overrides spec.seed)", parseSeed)
    .option("--out <dir>", "report folder (default reports/<scenario>/seed-<seed>)")
    .option("--set <path=value>", "override a scenario field before validation, e.g. spec.duration=1h (repeatable)", collect, [])
    .option("--limit <name=value>", "raise or lower a size limit, e.g. pods=2000000 or fileSize=256Mi (repeatable; see the README)", collect, [])
    .option("--allow-outside", "let the scenario read files outside its own folder tree")
    .action((file: string, opts: RunFlags & { out?: string }) => {
      const loaded = loadScenario(file, loadOptions(opts));
      if (!loaded.ok) {
        for (const e of loaded.errors) io.err(e + "\n");
        io.err(`k8sim: ${loaded.errors.length} problem(s) in ${file}; nothing was run\n`);
        throw new Exit(EXIT_INVALID_INPUT);
      }
      for (const w of loaded.warnings) io.err(`warning: ${w}\n`);
      const sc = loaded.scenario;
      const t0 = io.wallClock();
      const outcome = simulate(sc);
      const wall = io.wallClock() - t0;
      const dir = opts.out ?? `reports/${sc.name}/seed-${sc.seed}`;
      const info = {
        wallSeconds: Math.round(wall * 1000) / 1000,
        eventsPerSecond: wall > 0 ? Math.round(outcome.summary.events / wall) : 0,
        peakRssBytes: io.peakRss(),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      };
      let written: string[];
      try {
        written = writeReport(resolve(dir), outcome, info);
      } catch (e) {
        // A folder that cannot be written (a file in the way, no permission, disk full) is the user's to fix.
        io.err(`k8sim: cannot write the report to ${dir}: ${e instanceof Error ? e.message : String(e)}\n`);
        throw new Exit(EXIT_INVALID_INPUT);
      }
      printSummary(outcome, wall, dir, written.length, io);
      if (!outcome.passed) throw new Exit(EXIT_EXPECTATION_FAILED);
    });

  program
    .command("validate")
    .description("check scenario or manifest files without running them")
    .argument("<file...>", "scenario or manifest files")
    .option("--seed <n>", "run seed (overrides spec.seed)", parseSeed)
    .option("--set <path=value>", "override a scenario field before validation, as run does (repeatable)", collect, [])
    .option("--limit <name=value>", "size limits, as run takes them (repeatable)", collect, [])
    .option("--allow-outside", "let the scenario read files outside its own folder tree")
    .action((files: string[], opts: RunFlags) => {
      const r = validateFiles(files, loadOptions(opts));
      for (const w of r.warnings) io.err(`warning: ${w}\n`);
      for (const e of r.errors) io.err(e + "\n");
      if (r.errors.length > 0) {
        io.err(`k8sim: ${r.errors.length} problem(s) found\n`);
        throw new Exit(EXIT_INVALID_INPUT);
      }
      for (const f of files) io.out(`${f}: valid\n`);
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof CommanderError) {
      // Help and --version end with exit code 0; usage errors are invalid input.
      return e.exitCode === 0 ? EXIT_OK : EXIT_INVALID_INPUT;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`k8sim: internal error: ${msg}\n(this is a bug in k8sim; set K8SIM_DEBUG=1 for a stack trace)\n`);
    if (process.env.K8SIM_DEBUG && e instanceof Error && e.stack) io.err(e.stack + "\n");
    return EXIT_INTERNAL;
  }
}

function fmtMs(v: number | null): string {
  if (v === null) return "-";
  return v >= 1000 ? `${(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)}s` : `${v}ms`;
}

function printSummary(o: RunOutcome, wall: number, dir: string, files: number, io: CliIO): void {
  const s = o.summary;
  const rate = wall > 0 ? Math.round(s.events / wall).toLocaleString("en-US") : "-";
  io.out(`k8sim ${s.k8simVersion}: ${s.scenario.name} (seed ${s.seed}): ${s.simulatedDuration} simulated in ${wall.toFixed(2)}s, ${s.events.toLocaleString("en-US")} events (${rate}/s)\n`);
  io.out(`  digest         ${s.digest}\n`);
  io.out(`  nodes          ${s.totals.nodes}; pods created ${s.totals.podsCreated}, scheduled ${s.totals.podsScheduled}, evicted ${s.totals.evictions}\n`);
  const l = s.latencyMs;
  io.out(`  scheduling     p50 ${fmtMs(l.scheduling.p50)}  p99 ${fmtMs(l.scheduling.p99)}  max ${fmtMs(l.scheduling.max)}\n`);
  io.out(`  pod startup    p50 ${fmtMs(l.podStartup.p50)}  p99 ${fmtMs(l.podStartup.p99)}  max ${fmtMs(l.podStartup.max)}\n`);
  for (const [k, a] of Object.entries(s.availability)) {
    const since = a.firstFullyAvailableSeconds === null ? "never fully available" : `lowest ${a.minAvailableReplicas} and fully available ${(a.fullyAvailableFraction * 100).toFixed(1)}% of the time after ${a.firstFullyAvailableSeconds}s`;
    if (a.availableReplicasAtEnd === null) io.out(`  deployment ${k}: deleted at ${a.deletedAtSeconds}s (${since})\n`);
    else io.out(`  deployment ${k}: ${a.availableReplicasAtEnd}/${a.desiredReplicas} available at end (${since})\n`);
  }
  for (const p of o.problems) io.err(`warning: ${formatPos(p.source)}: ${p.message}\n`);
  for (const e of s.expectations) {
    io.out(`  expect ${e.passed ? "PASS" : "FAIL"}  ${e.expect} (actual ${JSON.stringify(e.actual)})\n`);
  }
  io.out(`  wrote ${files} files to ${dir}/\n`);
}
