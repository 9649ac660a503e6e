/**
 * Size limits of a run: how large a scenario may make the simulation before k8sim refuses it at load time (or
 * stops it cleanly during the run), instead of letting V8 abort. Each limit has a documented default, and a
 * scenario that needs more raises it with `spec.limits.<name>` or `--limit <name>=<value>` on the command line
 * (the flag wins). `fileSize` of the scenario file itself can only come from the flag, since it is checked before
 * the file is read.
 */
import { parseQuantity } from "../api/quantity.js";
import { formatDuration, parseDuration } from "../engine/duration.js";

/** The limits in force for one load and run. Counts are plain numbers, sizes bytes, durations ms. */
export interface Limits {
  /** Nodes in the cluster at any time: initial pools plus every addNodes (count). */
  nodes: number;
  /** Pods the scenario declares: the sum of every Deployment's and ReplicaSet's largest replica count over the
   *  timeline, plus bare Pods (count). */
  pods: number;
  /** Kubernetes objects the scenario's manifests hold, initial workloads and applies together (count). */
  objects: number;
  /** Rows of metrics.csv: spec.duration / spec.metrics.interval + 1 (count). */
  metricsSamples: number;
  /** spec.duration (ms). */
  duration: number;
  /** Size of each file read: the scenario and every manifest file (bytes). */
  fileSize: number;
  /** JavaScript heap in use during a run (bytes); 0 means 80% of Node's old space (src/cli/drive.ts memoryLimitBytes). */
  memory: number;
  /** Engine events at one virtual instant before the run is stopped as stalled (count); 0 means automatic:
   *  max(1,000,000, 100 x (nodes + declared pods)), see `automaticEventsPerInstant`. */
  eventsPerInstant: number;
}

/** Defaults, sized for the project's target (5,000 nodes, 150,000 pods, a simulated day) with room above it. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  nodes: 50_000,
  pods: 1_000_000,
  objects: 200_000,
  metricsSamples: 500_000,
  duration: 366 * 24 * 3_600_000,
  fileSize: 64 * 1024 * 1024,
  memory: 0,
  eventsPerInstant: 0,
});

/** How each limit is written: a count, a Go duration, or a byte quantity (64Mi). */
export const LIMIT_KINDS: Readonly<Record<keyof Limits, "count" | "duration" | "bytes">> = Object.freeze({
  nodes: "count",
  pods: "count",
  objects: "count",
  metricsSamples: "count",
  duration: "duration",
  fileSize: "bytes",
  memory: "bytes",
  eventsPerInstant: "count",
});

/** Largest value any limit may be raised to: keeps arithmetic on it exact in a double. */
export const MAX_LIMIT = Number.MAX_SAFE_INTEGER;

/** One limit value read from text or YAML: the number, or what was wrong. */
export type LimitValue = { ok: true; value: number } | { ok: false; error: string };

/** Parses a limit's value as its kind says (a count, a duration such as 400d... as Go writes it, or bytes). */
export function parseLimitValue(name: keyof Limits, raw: unknown): LimitValue {
  const kind = LIMIT_KINDS[name];
  if (kind === "count") {
    if (typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0) return { ok: true, value: raw };
    const n = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : NaN;
    return Number.isSafeInteger(n) ? { ok: true, value: n } : { ok: false, error: `expected a whole number from 0 to 2^53-1, got ${JSON.stringify(raw)}` };
  }
  if (kind === "duration") {
    const r = parseDuration(String(raw));
    return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
  }
  const badBytes: LimitValue = { ok: false, error: `expected a whole number of bytes >= 0 such as 67108864, 64Mi or 2Gi, got ${JSON.stringify(raw)}` };
  if (typeof raw !== "string" && typeof raw !== "number") return badBytes;
  const q = parseQuantity(String(raw));
  // A fraction of a byte would be rounded silently: refuse it instead ("1.5", "100m").
  if (!q.ok || q.value.nanos < 0n || q.value.nanos % 1_000_000_000n !== 0n) return badBytes;
  const bytes = Number(q.value.nanos / 1_000_000_000n);
  return Number.isSafeInteger(bytes) ? { ok: true, value: bytes } : badBytes;
}

/** One bad `--limit` flag: the flag as given (`--limit text`) and what is wrong with it. */
export interface LimitFlagProblem {
  flag: string;
  message: string;
}

/**
 * Splits `--limit name=value` strings; returns the parsed overrides (a later flag for the same name wins, as with
 * --set), and the problems: `errors` as printed (`--limit text: ...`), `problems` as data for Diagnostics.
 */
export function parseLimitFlags(flags: readonly string[]): { limits: Partial<Limits>; errors: string[]; problems: LimitFlagProblem[] } {
  const limits: Partial<Limits> = {};
  const problems: LimitFlagProblem[] = [];
  for (const text of flags) {
    const flag = `--limit ${text}`;
    const eq = text.indexOf("=");
    const name = text.slice(0, Math.max(0, eq));
    if (eq <= 0 || !Object.hasOwn(DEFAULT_LIMITS, name)) {
      problems.push({ flag, message: `expected name=value with a name among ${Object.keys(DEFAULT_LIMITS).join(", ")}` });
      continue;
    }
    const v = parseLimitValue(name as keyof Limits, text.slice(eq + 1));
    if (v.ok) limits[name as keyof Limits] = v.value;
    else problems.push({ flag, message: v.error });
  }
  return { limits, errors: problems.map((p) => `${p.flag}: ${p.message}`), problems };
}

/** The limits in force: the defaults, then the scenario's spec.limits, then the command line's --limit flags. */
export function resolveLimits(spec: Partial<Limits>, flags: Partial<Limits>): Limits {
  return { ...DEFAULT_LIMITS, ...spec, ...flags };
}

/**
 * The fileSize limit for reading the scenario file itself: only --limit can set it, since spec.limits is inside the
 * file (bad flags count as absent here; they are reported once the file is loaded). Manifest files use
 * `Scenario.limits.fileSize` (spec.limits.fileSize counts for them).
 */
export function scenarioFileSizeLimit(flags: readonly string[] = []): number {
  return parseLimitFlags(flags).limits.fileSize ?? DEFAULT_LIMITS.fileSize;
}

/** Writes a limit's value as a user would type it back (50000, 366d as 8784h, 64Mi). */
export function formatLimit(name: keyof Limits, value: number): string {
  const kind = LIMIT_KINDS[name];
  if (kind === "count") return value.toLocaleString("en-US");
  if (kind === "duration") return formatDuration(value);
  for (const [unit, size] of [["Gi", 2 ** 30], ["Mi", 2 ** 20], ["Ki", 2 ** 10]] as const) {
    if (value >= size && value % size === 0) return `${value / size}${unit}`;
  }
  return `${value} bytes`;
}

/** The sentence every limit error ends with: which limit, and how to raise it. */
export function raiseHint(name: keyof Limits): string {
  return name === "fileSize"
    ? `raise it with --limit fileSize=<size> (or spec.limits.fileSize for manifest files)`
    : `raise it with spec.limits.${name} or --limit ${name}=<value>`;
}

/** The eventsPerInstant limit when it is 0: a floor that no ordinary start-up reaches, growing with the cluster
 *  (creating 150,000 pods at time 0 costs about ten events each). */
export function automaticEventsPerInstant(nodes: number, pods: number): number {
  return Math.max(1_000_000, 100 * (nodes + pods));
}
