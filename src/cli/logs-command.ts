/**
 * `k8sim logs <run-dir> (POD | TYPE/NAME | -l SELECTOR) [flags]`: the container logs of a run, as `kubectl logs`
 * (v1.32, staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go) prints them from a cluster: the same flags, defaults,
 * notices and error texts. The run's logs.jsonl holds what each container instance's log is a function of
 * (src/logs/records.ts); the lines are expanded here (src/logs/lines.ts), never stored.
 *
 * Exit codes: 0 printed (also when a selector matches no pod, and with --ignore-errors); 1 where kubectl exits 1
 * on what it found in the cluster (a pod or container that is not there, a container with no log to show, more
 * streams to follow than --max-log-requests); 2 for invalid input (a bad flag or argument, a folder that is not a
 * run, a run without logs, an unreadable logs.jsonl).
 *
 * NOTE: kubectl exits 1 for bad flags too; k8sim keeps its own convention of exit 2 for invalid input. kubectl
 * checks some flag combinations only after it has fetched the pod; k8sim checks every flag first.
 */
import { Command, InvalidArgumentError, Option, type ParseOptionsResult } from "commander";
import { ChunkedWriter, followStreams, formatLine, streamLines, streamPrefix, type LineFormat } from "../logs/follow.js";
import { parseGoDuration, roundToSeconds } from "../logs/go-duration.js";
import type { LineSelection } from "../logs/lines.js";
import { LogIndex, LogsFileError, LogsFileReader } from "../logs/reader.js";
import { logRequests, queryKeeps, queryMayKeep, type LogStream, type LogsQuery } from "../logs/requests.js";
import { parseRfc3339 } from "../logs/rfc3339.js";
import { locateLogs, processAlive, type LogsSource } from "../logs/run-folder.js";
import { parseSelector, type Requirement } from "../logs/selector.js";
import { EXIT_INVALID_INPUT, EXIT_OK, type CliIO } from "./io.js";

/**
 * The exit code of an error kubectl would meet in a cluster (a missing pod or container, a container with no log to
 * show, too many streams to follow): cmdutil.CheckErr's DefaultErrorExitCode.
 */
export const EXIT_KUBECTL_ERROR = 1;

/** kubectl's usage line (logsUsageStr), with k8sim's run folder. */
const USAGE = "logs <run-dir> [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]";
const SEE_HELP = "See 'k8sim logs -h' for help and examples";

/** kubectl's selectorTail: the --tail of a selector query that does not set it. */
export const SELECTOR_TAIL = 10;

/** How long `-f` waits between reads of a live logs.jsonl (wall clock). */
export const FOLLOW_POLL_MS = 100;

/**
 * How long `-f` waits for a run to start writing when there is none yet: kubectl's --pod-running-timeout default
 * (20s), so `k8sim run ... & k8sim logs -f ...` works although the run needs a moment to load.
 */
export const FOLLOW_START_WAIT_MS = 20_000;

/** How long `-f` waits for a run in progress before it takes a finished report there for the whole story. */
export const FOLLOW_FINISHED_GRACE_MS = 2_000;

/**
 * Where `-f` reads from: a live run as soon as one writes into `runDir`; a finished report only once no run has
 * started there for FOLLOW_FINISHED_GRACE_MS (so a report left by an earlier run is not taken for the one just
 * started); nothing at all: waits up to FOLLOW_START_WAIT_MS, then says so.
 */
async function awaitLiveRun(runDir: string, alive: (pid: number) => boolean, seams: LogsSeams): Promise<ReturnType<typeof locateLogs>> {
  const sleep = seams.sleep ?? (() => new Promise<void>((r) => setTimeout(r, FOLLOW_POLL_MS)));
  const polls = (ms: number) => (seams.sleep ? 0 : Math.ceil(ms / FOLLOW_POLL_MS));
  for (let i = 0; ; i++) {
    const source = locateLogs(runDir, true, alive);
    if (source.kind === "live") return source;
    if (source.kind === "finished" && i >= polls(FOLLOW_FINISHED_GRACE_MS)) return source;
    if (source.kind === "error" && i >= polls(FOLLOW_START_WAIT_MS)) return source;
    await sleep();
  }
}

/** The flags of `k8sim logs`, as commander hands them over. */
export interface LogsFlags {
  container?: string;
  allContainers?: boolean;
  tail?: number;
  since?: number;
  sinceTime?: string;
  timestamps?: boolean;
  prefix?: boolean;
  previous?: boolean;
  follow?: boolean;
  namespace?: string;
  selector?: string;
  maxLogRequests?: number;
  ignoreErrors?: boolean;
}

/** What tests replace: the liveness probe of a run's process and the wait between polls while following. */
export interface LogsSeams {
  alive?: (pid: number) => boolean;
  sleep?: () => Promise<void>;
}

/** Resource types kubectl's logs accepts whose pods logs.jsonl cannot tell (it records no owners). */
const OWNER_TYPES: Readonly<Record<string, string>> = {
  deployment: "deployment",
  deployments: "deployment",
  deploy: "deployment",
  replicaset: "replicaset",
  replicasets: "replicaset",
  rs: "replicaset",
  statefulset: "statefulset",
  statefulsets: "statefulset",
  sts: "statefulset",
  daemonset: "daemonset",
  daemonsets: "daemonset",
  ds: "daemonset",
  job: "job",
  jobs: "job",
  cronjob: "cronjob",
  cronjobs: "cronjob",
  cj: "cronjob",
  service: "service",
  services: "service",
  svc: "service",
  replicationcontroller: "replicationcontroller",
  replicationcontrollers: "replicationcontroller",
  rc: "replicationcontroller",
};

/** A query whose flags passed kubectl's checks, with the values they stand for. */
interface CheckedQuery {
  readonly query: LogsQuery;
  /** The --tail given (-1 by default). */
  readonly tail: number;
  /** --since rounded to whole seconds, if given. */
  readonly sinceSeconds?: number;
  /** --since-time in epoch ms, whole seconds, if given. */
  readonly sinceTimeMs?: number;
}

/**
 * The arguments and flags as kubectl checks them (logs.go Complete, then ToLogOptions and Validate, in their
 * order), or the message that refuses them (exit 2).
 */
function checkQuery(args: readonly string[], flags: LogsFlags): CheckedQuery | string {
  const selectorText = flags.selector ?? "";
  const usage = `error: expected '${USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command\n${SEE_HELP}`;
  if ((args.length === 0 && selectorText === "") || args.length > 2) return usage;
  if (args.length === 1 && selectorText !== "") return `error: only a selector (-l) or a POD name is allowed\n${SEE_HELP}`;
  const container = args.length === 2 ? args[1] : flags.container;
  let sinceTimeMs: number | undefined;
  if (flags.sinceTime) {
    const t = parseRfc3339(flags.sinceTime);
    if (!t.ok) return `error: ${t.error}`;
    // metav1.Time travels to the API server in RFC 3339 with whole seconds: anything finer is dropped.
    sinceTimeMs = Math.floor(t.ms / 1000) * 1000;
  }
  if (flags.sinceTime && flags.since !== undefined && flags.since !== 0) return "error: at most one of `sinceTime` or `sinceSeconds` may be specified";
  if (flags.allContainers && container) return `error: --all-containers=true should not be specified with container name ${container}`;
  if (flags.container !== undefined && args.length === 2) return "error: only one of -c or an inline [CONTAINER] arg is allowed";
  const sinceSeconds = flags.since !== undefined && flags.since !== 0 ? roundToSeconds(flags.since) : undefined;
  // NOTE: kubectl rounds --since to whole seconds and sends 0 for a duration under half a second, which the API
  // server refuses; k8sim refuses it here, with kubectl's own message for a negative one.
  if (sinceSeconds !== undefined && sinceSeconds <= 0) return "error: --since must be greater than 0";
  const tail = flags.tail ?? -1;
  if (tail < -1) return "error: --tail must be greater than or equal to -1";
  let selector: Requirement[] | undefined;
  if (selectorText !== "") {
    const s = parseSelector(selectorText);
    // The API server's refusal as kubectl's resource builder words it (cli-runtime resource/selector.go).
    if (!s.ok) return `Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "${selectorText}", field selector "": ${s.error}`;
    selector = s.requirements;
  }
  let pod: string | undefined;
  if (args.length > 0) {
    const named = podName(args[0]!);
    if ("error" in named) return named.error;
    pod = named.pod;
  }
  const query: LogsQuery = { namespace: flags.namespace || "default", pod, selector, container, allContainers: flags.allContainers === true, previous: flags.previous === true };
  return { query, tail, sinceSeconds, sinceTimeMs };
}

/** Runs `k8sim logs` and returns its exit code; prints everything through `io`. */
export async function logsCommand(runDir: string, args: readonly string[], flags: LogsFlags, io: CliIO, seams: LogsSeams = {}): Promise<number> {
  const fail = (message: string, code: number = EXIT_INVALID_INPUT) => {
    io.err(message + "\n");
    return code;
  };
  const checked = checkQuery(args, flags);
  if (typeof checked === "string") return fail(checked);
  const { query } = checked;
  const follow = flags.follow === true;
  const alive = seams.alive ?? processAlive;
  const source = follow ? await awaitLiveRun(runDir, alive, seams) : locateLogs(runDir, follow, alive);
  if (source.kind === "error") return fail(`k8sim: ${source.message}`);
  let reader: LogsFileReader | undefined;
  try {
    const index = new LogIndex({ keep: queryKeeps(query), mayKeep: queryMayKeep(query) });
    const opened = await openSource(source, index, follow, alive, seams);
    if (typeof opened === "string") return fail(opened);
    reader = opened;

    const requests = logRequests(index, query);
    for (const n of requests.notices) io.err(n + "\n");
    if (requests.fatal !== undefined) return fail(`error: ${requests.fatal}`, EXIT_KUBECTL_ERROR);
    if (requests.noneFound) return EXIT_OK;

    const sel: LineSelection = {
      // kubectl logs.go ToLogOptions: a selector query shows the last 10 lines unless --tail is given.
      tail: query.selector !== undefined && flags.tail === undefined ? SELECTOR_TAIL : checked.tail,
      // The kubelet counts --since back from its now: here the run's horizon.
      since: checked.sinceSeconds !== undefined ? index.horizonAt - checked.sinceSeconds * 1000 : checked.sinceTimeMs !== undefined ? checked.sinceTimeMs - index.startMs() : undefined,
    };
    const format: LineFormat = { prefix: flags.prefix === true, timestamps: flags.timestamps === true, startMs: index.startMs() };
    const streams = requests.streams;
    const ignore = flags.ignoreErrors === true;
    if (!follow) return sequential(streams, index, sel, format, ignore, io);
    const max = flags.maxLogRequests ?? 5;
    if (streams.length > 1 && streams.length > max) {
      return fail(`error: you are attempting to follow ${streams.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`, EXIT_KUBECTL_ERROR);
    }
    return await followAll(streams, index, reader, source, sel, format, ignore, io, alive, seams);
  } catch (e) {
    if (e instanceof LogsFileError) return fail(`k8sim: ${source.file}${e.line !== undefined ? `:${e.line}` : ""}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string") return fail(`k8sim: cannot read ${source.file}: ${code}`);
    throw e;
  } finally {
    reader?.close();
  }
}

/** POD or TYPE/NAME (kubectl's resource builder with the "pods" default): the pod's name, or why not. */
function podName(arg: string): { pod: string } | { error: string } {
  const slash = arg.indexOf("/");
  if (slash < 0) return { pod: arg };
  const type = arg.slice(0, slash).toLowerCase();
  const name = arg.slice(slash + 1);
  if (type === "pod" || type === "pods" || type === "po") return { pod: name };
  const owner = OWNER_TYPES[type];
  if (owner !== undefined) {
    return { error: `k8sim: ${owner}/${name}: logs.jsonl records pods but not their owners, so k8sim cannot find the pods of a ${owner} yet; name a pod, or select them with -l and the ${owner}'s labels` };
  }
  return { error: `error: the server doesn't have a resource type "${arg.slice(0, slash)}"` };
}

/**
 * Reads what the source holds so far into `index`. A live run being followed may not have written its header
 * yet: then this waits for it (or for the run to end). Returns the reader, or a message for a source with no logs.
 */
async function openSource(source: LogsSource, index: LogIndex, follow: boolean, alive: (pid: number) => boolean, seams: LogsSeams): Promise<LogsFileReader | string> {
  const sleep = seams.sleep ?? (() => new Promise<void>((r) => setTimeout(r, FOLLOW_POLL_MS)));
  if (source.kind === "finished") {
    const r = new LogsFileReader(source.file);
    r.finish(index);
    if (index.header === undefined) return `k8sim: ${source.file}: empty: not even the run header was written`;
    return r;
  }
  let r: LogsFileReader | undefined;
  for (;;) {
    if (!r) {
      try {
        r = new LogsFileReader(source.file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    }
    if (r) r.read(index);
    if (index.header !== undefined) return r!;
    if (!follow || !alive(source.pid)) {
      r?.close();
      return `k8sim: the run in progress (process ${source.pid}) has not written its logs yet`;
    }
    await sleep();
  }
}

/** Prints each stream in turn (kubectl sequentialConsumeRequest): an error stops, or with --ignore-errors is printed. */
function sequential(streams: readonly LogStream[], index: LogIndex, sel: LineSelection, format: LineFormat, ignore: boolean, io: CliIO): number {
  const w = new ChunkedWriter(io.out);
  for (const s of streams) {
    if (s.error !== undefined) {
      if (!ignore) {
        w.flush();
        io.err(`Error from server (BadRequest): ${s.error}\n`);
        return EXIT_KUBECTL_ERROR;
      }
      w.add(`error: ${s.error}\n`);
      continue;
    }
    const prefix = format.prefix ? streamPrefix(s) : "";
    for (const line of streamLines(s, index, sel)) w.add(formatLine(line, prefix, format));
  }
  w.flush();
  return EXIT_OK;
}

/**
 * -f: one stream is read as kubectl reads one (sequentially); several are followed together (kubectl
 * parallelConsumeRequest), their errors printed first.
 *
 * NOTE: kubectl starts every followed stream at once and prints an error whenever its stream fails, ending the
 * others unless --ignore-errors; k8sim knows every stream's fate before it prints and reports the errors first.
 */
async function followAll(
  streams: readonly LogStream[],
  index: LogIndex,
  reader: LogsFileReader,
  source: LogsSource,
  sel: LineSelection,
  format: LineFormat,
  ignore: boolean,
  io: CliIO,
  alive: (pid: number) => boolean,
  seams: LogsSeams,
): Promise<number> {
  const failed = streams.filter((s) => s.error !== undefined);
  if (failed.length > 0) {
    if (!ignore) {
      io.err(`Error from server (BadRequest): ${failed[0]!.error}\n`);
      return EXIT_KUBECTL_ERROR;
    }
    io.out(failed.map((s) => `error: ${s.error}\n`).join(""));
  }
  const live = streams.filter((s): s is LogStream & { instance: NonNullable<LogStream["instance"]> } => s.instance !== undefined);
  if (live.length === 0) return EXIT_OK;
  const end = await followStreams({
    index,
    reader,
    streams: live,
    sel,
    format,
    out: io.out,
    writerAlive: source.kind === "live" ? () => alive(source.pid) : () => false,
    sleep: seams.sleep ?? (() => new Promise<void>((r) => setTimeout(r, FOLLOW_POLL_MS))),
  });
  if (end === "writer-gone" && source.kind === "live") {
    io.err(`k8sim: the run writing ${source.file} (process ${source.pid}) ended before its logs did; they stop at virtual time ${index.horizonAt}ms\n`);
    return EXIT_KUBECTL_ERROR;
  }
  return EXIT_OK;
}

// ---- the command line ----

const BOOL_FLAGS = new Set(["all-containers", "follow", "timestamps", "prefix", "previous", "ignore-errors"]);

/**
 * kubectl's boolean flags also take `--flag=true` / `--flag=false` (pflag; the help examples use
 * `--all-containers=true`). Commander's do not, so this command rewrites them before parsing.
 */
class LogsCommandLine extends Command {
  override parseOptions(argv: string[]): ParseOptionsResult {
    const rewritten: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === "--") {
        rewritten.push(...argv.slice(i));
        break;
      }
      const m = /^--([a-z-]+)=(.*)$/s.exec(a);
      if (m && BOOL_FLAGS.has(m[1]!)) {
        const v = parseGoBool(m[2]!);
        if (v === undefined) this.error(`error: option '--${m[1]}' argument '${m[2]}' is invalid. strconv.ParseBool: parsing ${JSON.stringify(m[2])}: invalid syntax`, { exitCode: EXIT_INVALID_INPUT, code: "commander.invalidArgument" });
        rewritten.push(v ? `--${m[1]}` : `--no-${m[1]}`);
        continue;
      }
      rewritten.push(a);
    }
    return super.parseOptions(rewritten);
  }
}

/** strconv.ParseBool. */
function parseGoBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

/** pflag's Int64/Int: strconv.ParseInt's wording for a value that is not a whole number. */
function parseGoInt(v: string): number {
  if (!/^[+-]?\d+$/.test(v)) throw new InvalidArgumentError(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return n;
}

/** pflag's DurationVar: Go's time.ParseDuration; the value is in nanoseconds. */
function parseSince(v: string): number {
  const d = parseGoDuration(v);
  if (!d.ok) throw new InvalidArgumentError(d.error);
  return d.nanos;
}

/**
 * Adds `logs` to the k8sim program, with kubectl's flags and help texts. `exit` ends the command with a non-zero
 * exit code (program.ts's Exit).
 */
export function addLogsCommand(program: Command, io: CliIO, exit: (code: number) => never): void {
  const cmd = new LogsCommandLine("logs");
  // pflag's words for a flag value that does not parse, through kubectl's flag error func (cmdutil.UsageErrorf):
  // `invalid argument "5x" for "--since" flag: <why>`, then the help hint.
  const flagValue =
    <T>(flag: string, parse: (v: string) => T) =>
    (v: string): T => {
      try {
        return parse(v);
      } catch (e) {
        if (!(e instanceof InvalidArgumentError)) throw e;
        io.err(`error: invalid argument ${JSON.stringify(v)} for ${JSON.stringify(flag)} flag: ${e.message}\n${SEE_HELP}\n`);
        return exit(EXIT_INVALID_INPUT);
      }
    };
  cmd
    .copyInheritedSettings(program)
    .description("print the logs for a container in a pod of a run, as kubectl logs prints them (the run's logs.jsonl)")
    .usage("<run-dir> [-f] [-p] (POD | TYPE/NAME | -l SELECTOR) [-c CONTAINER] [options]")
    .argument("<run-dir>", "report folder of a run (a run in progress with -f)")
    .argument("[pod-and-container...]", "POD or TYPE/NAME, then optionally the CONTAINER")
    .option("--all-containers", "Get all containers' logs in the pod(s).")
    .option("-c, --container <name>", "Print the logs of this container")
    .option("-f, --follow", "Specify if the logs should be streamed.")
    .option("--ignore-errors", "If watching / following pod logs, allow for any errors that occur to be non-fatal")
    .option("--max-log-requests <n>", "Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.", flagValue("--max-log-requests", parseGoInt))
    .option("-n, --namespace <ns>", "If present, the namespace scope for this CLI request (default: default)")
    .option("--prefix", "Prefix each log line with the log source (pod name and container name)")
    .option("-p, --previous", "If true, print the logs for the previous instance of the container in a pod if it exists.")
    .option("-l, --selector <selector>", "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.")
    .option("--since <duration>", "Only return logs newer than a relative duration like 5s, 2m, or 3h (counted back from the end of the run, or where a run in progress has got). Defaults to all logs. Only one of since-time / since may be used.", flagValue("--since", parseSince))
    .option("--since-time <time>", "Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.")
    .option("--tail <lines>", "Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.", flagValue("--tail", parseGoInt))
    .option("--timestamps", "Include timestamps on each line in the log output");
  for (const b of BOOL_FLAGS) cmd.addOption(new Option(`--no-${b}`).hideHelp());
  cmd.action(async (runDir: string, rest: string[], opts: LogsFlags) => {
    const code = await logsCommand(runDir, rest, opts, io);
    if (code !== EXIT_OK) exit(code);
  });
  program.addCommand(cmd);
}
