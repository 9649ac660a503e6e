/**
 * Loading a scenario file: parse (with positions), apply `--set` overrides, validate against
 * schemas/scenario.schema.json, then check meaning (durations, quantities, manifests, references) and build the
 * `Scenario` the simulation runs. Every problem of the file is reported at once, as `file:line:column: message`.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { DEFAULT_SETTINGS, DURATION_SETTINGS, POSITIVE_SETTINGS, resolveSettings, type Settings } from "../settings.js";
import { formatDuration, parseDuration } from "./duration.js";
import { Diagnostics, formatPos } from "./errors.js";
import { checkManifest, loadManifestFile, manifestFileName, type IgnoredManifest } from "./manifests.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { applyOverrides } from "./overrides.js";
import { buildPool } from "./pools.js";
import { validateAgainstSchema } from "./schema.js";
import { buildTimeline, checkNamespaces } from "./timeline.js";
import type { LoadedManifest, NodePool, Scenario } from "./types.js";
import { parseYaml, type YamlSource } from "./yaml-source.js";

/** Options of `loadScenario`, as the CLI passes them. */
export interface LoadOptions {
  /** `--set path=value` strings, applied in order before validation. */
  overrides?: readonly string[];
  /** `--seed`: replaces spec.seed. */
  seed?: number;
  /** `--limit name=value` strings (src/scenario/limits.ts); they win over spec.limits. */
  limits?: readonly string[];
  /** `--allow-outside`: files named by the scenario may lie outside the scenario file's folder tree. */
  allowOutside?: boolean;
}

/** Outcome of `loadScenario`: the scenario and its warnings, or every error found. */
export type LoadResult = { ok: true; scenario: Scenario; warnings: string[] } | { ok: false; errors: string[] };

/** spec.seed when the file does not set one. */
export const DEFAULT_SEED = 42;
/** spec.startTime when the file does not set one. */
export const DEFAULT_START_TIME = "2026-01-01T00:00:00Z";
/** spec.metrics.interval when the file does not set one (ms). */
export const DEFAULT_METRICS_INTERVAL = 10_000;

/**
 * Loads and validates a scenario file. `path` is used as given in messages and `Scenario.file`; manifest files are
 * resolved against its folder. Never throws for bad input: every problem (YAML syntax, schema, durations,
 * quantities, manifests, references) comes back in `errors`, deduplicated and sorted by position.
 */
export function loadScenario(path: string, opts: LoadOptions = {}): LoadResult {
  const diags = new Diagnostics();
  const scenario = loadInto(path, opts, diags);
  const errors = diags.errors();
  if (!scenario || errors.length) return { ok: false, errors: errors.length ? errors : [`${path}:1:1: could not load the scenario`] };
  return { ok: true, scenario, warnings: diags.warnings() };
}

/**
 * `k8sim validate`: checks each file without running it. A file whose (first) document is a k8sim Scenario is
 * loaded as a scenario; any other file is checked as Kubernetes manifests. Errors and warnings of all files,
 * deduplicated, files in the order of `paths` (manifests a scenario names come right after it).
 */
export function validateFiles(paths: readonly string[], opts: LoadOptions = {}): { errors: string[]; warnings: string[] } {
  // One collector for all files: a manifest file named both directly and by a scenario is reported once.
  const diags = new Diagnostics();
  for (const path of paths) {
    diags.noteFile(path);
    const text = readText(path, diags);
    if (text === undefined) continue;
    const probe = new Diagnostics();
    const first = parseYaml(path, text, probe)[0]?.doc.toJS() as Record<string, unknown> | undefined;
    const isScenario = first?.kind === "Scenario" || String(first?.apiVersion ?? "").startsWith("k8sim.dev/");
    if (isScenario || probe.errorCount > 0) loadInto(path, opts, diags, text);
    else loadManifestFile(path, { file: path, line: 1, col: 1 }, diags);
  }
  return { errors: diags.errors(), warnings: diags.warnings() };
}

function readText(path: string, diags: Diagnostics): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    diags.error({ file: path, line: 1, col: 1 }, `cannot read file: ${code === "ENOENT" ? "no such file" : (code ?? String(e))}`);
    return undefined;
  }
}

function loadInto(path: string, opts: LoadOptions, diags: Diagnostics, text?: string): Scenario | undefined {
  diags.noteFile(path);
  let bytes: Buffer;
  try {
    bytes = text === undefined ? readFileSync(path) : Buffer.from(text, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    diags.error({ file: path, line: 1, col: 1 }, `cannot read scenario file: ${code === "ENOENT" ? "no such file" : (code ?? String(e))}`);
    return undefined;
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  const sources = parseYaml(path, bytes.toString("utf8"), diags);
  if (diags.errorCount) return undefined;
  if (sources.length !== 1) {
    diags.error({ file: path, line: 1, col: 1 }, sources.length ? "expected one YAML document, found several" : "the file is empty; expected a Scenario");
    return undefined;
  }
  const src = sources[0]!;
  applyOverrides(src, opts.overrides ?? [], diags);
  if (opts.seed !== undefined) {
    src.doc.setIn(["spec", "seed"], src.doc.createNode(opts.seed));
    src.overrides.push({ path: ["spec", "seed"], label: `--seed ${opts.seed}` });
  }
  const root = src.doc.toJS({ maxAliasCount: 1000 }) as unknown;
  validateAgainstSchema(root, src, diags);
  return build(src, path, hash, root, diags);
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Parses a duration at `path`; undefined when bad or absent (a bad one was reported by the schema already). */
function duration(v: unknown): number | undefined {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const r = parseDuration(String(v));
  return r.ok ? r.value : undefined;
}

function build(src: YamlSource, file: string, hash: string, root: unknown, diags: Diagnostics): Scenario | undefined {
  const spec = rec(rec(root).spec);
  const runFor = duration(spec.duration);
  if (runFor === 0) diags.error(src.where(["spec", "duration"]), "spec.duration: must be greater than 0; expected a duration such as 30m");

  const startTime = parseRfc3339(typeof spec.startTime === "string" ? spec.startTime : DEFAULT_START_TIME);
  if (startTime === undefined && typeof spec.startTime === "string") {
    diags.error(src.where(["spec", "startTime"]), `invalid time ${JSON.stringify(spec.startTime)}: expected an RFC 3339 time such as ${DEFAULT_START_TIME}`);
  }

  const metricsInterval = spec.metrics !== undefined ? duration(rec(spec.metrics).interval) : DEFAULT_METRICS_INTERVAL;
  if (metricsInterval === 0) diags.error(src.where(["spec", "metrics", "interval"]), "spec.metrics.interval: must be greater than 0; expected a duration such as 10s");

  const settings: Partial<Settings> = {};
  for (const [key, v] of Object.entries(rec(spec.settings))) {
    if (!(key in DEFAULT_SETTINGS)) continue;
    const k = key as keyof Settings;
    const n = DURATION_SETTINGS.has(k) ? duration(v) : typeof v === "number" ? v : undefined;
    if (n !== undefined) settings[k] = n;
    if (n === 0 && POSITIVE_SETTINGS.has(k)) {
      diags.error(src.where(["spec", "settings", key]), `spec.settings.${key}: must be greater than 0 (it is a period); expected a duration such as ${formatDuration(DEFAULT_SETTINGS[k])}`);
    }
  }
  // The renew interval follows the lease duration (a quarter of it) unless set: it must not round down to 0.
  if (settings.nodeLeaseDuration !== undefined && settings.nodeLeaseRenewInterval === undefined && resolveSettings(settings).nodeLeaseRenewInterval === 0) {
    diags.error(src.where(["spec", "settings", "nodeLeaseDuration"]), "spec.settings.nodeLeaseDuration: must be at least 4ms, so that the renew interval (a quarter of it) is not 0");
  }

  const pools: NodePool[] = [];
  const brokenPools: string[] = [];
  const firstPool = new Map<string, number>();
  list(rec(spec.cluster).nodePools).forEach((raw, i) => {
    const path = ["spec", "cluster", "nodePools", i];
    const name = rec(raw).name;
    if (typeof name === "string" && firstPool.has(name)) {
      diags.error(src.where([...path, "name"]), `duplicate pool name ${JSON.stringify(name)} (first at nodePools[${firstPool.get(name)}]); expected unique names (addNodes in the timeline grows a pool)`);
      return;
    }
    if (typeof name === "string") firstPool.set(name, i);
    const pool = buildPool(src, path, raw, diags);
    if (pool) pools.push(pool);
    else if (typeof name === "string") brokenPools.push(name);
  });

  const workloads: LoadedManifest[] = [];
  const ignored: IgnoredManifest[] = [];
  let workloadsComplete = true;
  list(spec.workloads).forEach((raw, i) => {
    const item = rec(raw);
    const path = ["spec", "workloads", i];
    let set;
    if (typeof item.file === "string" && item.manifest === undefined) {
      set = loadManifestFile(manifestFileName(file, item.file), src.where([...path, "file"]), diags);
    } else if (item.manifest !== undefined && item.file === undefined) {
      set = checkManifest(src, [...path, "manifest"], item.manifest, diags);
    } else {
      return;
    }
    workloads.push(...set.manifests);
    ignored.push(...set.ignored);
    workloadsComplete &&= set.complete;
  });
  checkDuplicates(workloads, diags);

  const tl = buildTimeline(src, file, spec.timeline, spec.expect, {
    pools,
    brokenPools,
    workloads,
    workloadsComplete,
    duration: runFor ?? Number.MAX_SAFE_INTEGER,
  }, diags);
  checkNamespaces([...workloads, ...tl.timeline.flatMap((a) => (a.action === "apply" ? a.manifests : []))], diags);

  const metadata = rec(rec(root).metadata);
  if (diags.errorCount || runFor === undefined || startTime === undefined || metricsInterval === undefined) return undefined;
  return {
    file,
    hash,
    name: String(metadata.name),
    seed: typeof spec.seed === "number" ? spec.seed : DEFAULT_SEED,
    startTime,
    duration: runFor,
    nodePools: pools,
    settings,
    workloads,
    timeline: tl.timeline,
    metricsInterval,
    expect: tl.expect,
    ignored: [...ignored, ...tl.ignored],
    limits: { ...DEFAULT_LIMITS },
  };
}

/** Two manifests of the same object at time 0 would make the second create fail with AlreadyExists. */
function checkDuplicates(manifests: readonly LoadedManifest[], diags: Diagnostics): void {
  const seen = new Map<string, LoadedManifest>();
  for (const m of manifests) {
    const o = m.object;
    const ns = o.kind === "Namespace" ? "" : `${o.metadata.namespace ?? "default"}/`;
    const key = `${o.kind}/${ns}${o.metadata.name}`;
    const first = seen.get(key);
    if (first) {
      diags.error(m.source, `duplicate ${o.kind} ${ns}${o.metadata.name}: already defined at ${formatPos(first.source)}; expected each object once in spec.workloads (use an apply action to change it later)`);
    } else {
      seen.set(key, m);
    }
  }
}

/**
 * Parses an RFC 3339 time ("2026-01-01T00:00:00Z", "2026-01-01T09:00:00.5+02:00") to epoch milliseconds,
 * rejecting impossible dates (Date.parse would roll Feb 30 over to March). Undefined when invalid.
 */
export function parseRfc3339(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || sec > 59) return undefined;
  const frac = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const offset = m[9] ? (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000 : 0;
  return Date.UTC(y, mo - 1, d, h, mi, sec, frac) - offset;
}
