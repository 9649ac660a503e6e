/**
 * Size limits of a run: how large a scenario may make the simulation before k8sim refuses it at load time (or
 * stops it cleanly during the run), instead of letting V8 abort. Each limit has a documented default, and a
 * scenario that needs more raises it with `spec.limits.<name>` or `--limit <name>=<value>` on the command line
 * (the flag wins). `fileSize` of the scenario file itself can only come from the flag, since it is checked before
 * the file is read.
 */
import { parseQuantity } from "../api/quantity.js";
import { formatDuration, parseDuration } from "./duration.js";

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
  /** JavaScript heap in use during a run (bytes); 0 means 85% of Node's heap limit (v8 heap_size_limit). */
  memory: number;
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
    return Number.isSafeInteger(n) ? { ok: true, value: n } : { ok: false, error: `expected a whole number >= 0, got ${JSON.stringify(raw)}` };
  }
  if (kind === "duration") {
    const r = parseDuration(String(raw));
    return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
  }
  const q = parseQuantity(String(raw));
  if (!q.ok) return { ok: false, error: `expected a size in bytes such as 64Mi or 2Gi, got ${JSON.stringify(raw)}` };
  const bytes = Number(q.value.nanos / 1_000_000_000n);
  return q.value.nanos < 0n || !Number.isSafeInteger(bytes) ? { ok: false, error: `expected a size in bytes such as 64Mi or 2Gi, got ${JSON.stringify(raw)}` } : { ok: true, value: bytes };
}

/** Splits `--limit name=value` strings; returns the parsed overrides, or the problems (as `--limit text: ...`). */
export function parseLimitFlags(flags: readonly string[]): { limits: Partial<Limits>; errors: string[] } {
  const limits: Partial<Limits> = {};
  const errors: string[] = [];
  for (const text of flags) {
    const eq = text.indexOf("=");
    const name = text.slice(0, Math.max(0, eq));
    if (eq <= 0 || !Object.hasOwn(DEFAULT_LIMITS, name)) {
      errors.push(`--limit ${text}: expected name=value with a name among ${Object.keys(DEFAULT_LIMITS).join(", ")}`);
      continue;
    }
    const v = parseLimitValue(name as keyof Limits, text.slice(eq + 1));
    if (v.ok) limits[name as keyof Limits] = v.value;
    else errors.push(`--limit ${text}: ${v.error}`);
  }
  return { limits, errors };
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
