import { escapeTerminal } from "../scenario/errors.js";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import type { LoadOptions } from "../scenario/load.js";
import { K8SIM_VERSION } from "../version.js";
import { parseDuration } from "../engine/duration.js";
import { EXIT_INTERNAL, EXIT_INVALID_INPUT, EXIT_OK, type CliIO } from "./io.js";
import { addLogsCommand } from "./logs-command.js";
import { addInspectCommands } from "./inspect-command.js";

export { EXIT_EXPECTATION_FAILED, EXIT_INTERNAL, EXIT_INVALID_INPUT, EXIT_OK, type CliIO } from "./io.js";

/** Thrown inside an action to end the command with an exit code (after its message was printed). */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function parseSeed(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError(`expected a whole number from 0 to 9007199254740991 (2^53-1), got "${v}"`);
  return Number(v);
}

function parseUntil(v: string): number {
  const d = parseDuration(v);
  if (!d.ok) throw new InvalidArgumentError(d.error);
  if (d.value <= 0) throw new InvalidArgumentError(`expected a duration greater than 0, such as 13m, got "${v}"`);
  return d.value;
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
 * layer over the library (loadScenario, startRun, the report folder of src/metrics), so tests drive them in-process.
 */
export async function runCli(argv: readonly string[], rawIO: CliIO): Promise<number> {
  // Everything printed passes through one filter: a file name, a flag or a value from the file can hold control
  // characters, and none of them may reach the terminal raw (the report files are JSON and CSV, escaped already).
  const io: CliIO = { ...rawIO, out: (s) => rawIO.out(escapeTerminal(s)), err: (s) => rawIO.err(escapeTerminal(s)) };
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
    .description("run a scenario and write its report (summary.json, metrics.csv, events.jsonl, logs.jsonl, run-info.json)")
    .argument("<scenario>", "scenario file (YAML)")
    .option("--seed <n>", "run seed (overrides spec.seed)", parseSeed)
    .option("--out <dir>", "report folder (default reports/<scenario>/seed-<seed>)")
    .option("--set <path=value>", "override a scenario field before validation, e.g. spec.duration=1h (repeatable)", collect, [])
    .option("--limit <name=value>", "raise or lower a size limit, e.g. pods=2000000 or fileSize=256Mi (repeatable; see the README)", collect, [])
    .option("--allow-outside", "let the scenario read files outside its own folder tree")
    .option("--bundle <file.tgz>", "after the report, write a reproducible bug bundle (scenario, manifests, seed, --set and --limit, version, digest, report hashes); replay it with k8sim replay")
    .option(
      "--check-invariants",
      "check every registered invariant after every event (slower); the first one broken stops the run with exit code 1, naming the invariant, the object, the virtual time and the seed, and nothing is written",
    )
    .action(async (file: string, opts: RunFlags & { out?: string; checkInvariants?: boolean; bundle?: string }) => {
      // Loaded when used: `k8sim logs` and `--version` need none of the simulator.
      const { runCommand } = await import("./run-command.js");
      const code = await runCommand(file, { load: loadOptions(opts), out: opts.out, checkInvariants: opts.checkInvariants === true, bundle: opts.bundle }, io);
      if (code !== EXIT_OK) throw new Exit(code);
    });

  program
    .command("replay")
    .description("rerun a bug bundle made by k8sim run --bundle and say whether its digest and report files match (exit 0 all match, 1 something differs, 2 bad input)")
    .argument("<bundle>", "bundle file (.tgz) made by k8sim run --bundle")
    .option("--out <dir>", "new or empty folder to extract into (DIR/scenario) and report into (DIR/report); default a new temporary folder")
    .option("--until <duration>", "stop the rerun at this virtual time (e.g. 13m), so the report shows that moment; it is marked interrupted, and nothing is compared", parseUntil)
    .option("--allow-version-mismatch", "replay a bundle made by another k8sim version (its run may differ for that reason)")
    .action(async (file: string, opts: { out?: string; until?: number; allowVersionMismatch?: boolean }) => {
      const { replayCommand } = await import("./replay-command.js");
      const code = await replayCommand(file, { out: opts.out, until: opts.until, allowVersionMismatch: opts.allowVersionMismatch === true }, io);
      if (code !== EXIT_OK) throw new Exit(code);
    });

  program
    .command("validate")
    .description("check scenario or manifest files without running them")
    .argument("<file...>", "scenario or manifest files")
    .option("--seed <n>", "run seed (overrides spec.seed)", parseSeed)
    .option("--set <path=value>", "override a scenario field before validation, as run does (repeatable)", collect, [])
    .option("--limit <name=value>", "size limits, as run takes them (repeatable)", collect, [])
    .option("--allow-outside", "let the scenario read files outside its own folder tree")
    .action(async (files: string[], opts: RunFlags) => {
      const { validateFiles } = await import("../scenario/load.js");
      const r = validateFiles(files, loadOptions(opts));
      for (const w of r.warnings) io.err(`warning: ${w}\n`);
      for (const e of r.errors) io.err(e + "\n");
      if (r.errors.length > 0) {
        io.err(`k8sim: ${r.errors.length} problem(s) found\n`);
        throw new Exit(EXIT_INVALID_INPUT);
      }
      for (const f of files) io.out(`${f}: valid\n`);
    });

  addLogsCommand(program, io, (code) => {
    throw new Exit(code);
  });
  addInspectCommands(program, io, (code) => {
    throw new Exit(code);
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
