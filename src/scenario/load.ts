/**
 * Loading a scenario file: parse (with positions), apply `--set` overrides, validate against
 * schemas/scenario.schema.json, then check meaning (durations, quantities, manifests, references) and build the
 * `Scenario` the simulation runs. Every problem of the file is reported at once, as `file:line:column: message`.
 */
import { isRecord, list, rec } from "./plain.js";
import { createHash } from "node:crypto";
import { dirname, relative, resolve, sep } from "node:path";
import { parseCidr } from "../api/cidr.js";
import { fitsNumber, parseQuantity, value as quantityValue } from "../api/quantity.js";
import { DEFAULT_SETTINGS, DURATION_SETTINGS, POSITIVE_SETTINGS, resolveSettings, type Settings } from "../settings.js";
import { formatDuration } from "../engine/duration.js";
import { Diagnostics, fieldPath, formatPos, type Where } from "./errors.js";
import { checkManifest, loadManifestFile, loadManifestText, manifestFileName, type IgnoredManifest } from "./manifests.js";
import { readInputFile, readPolicy } from "./input-file.js";
import { parseLimitFlags, scenarioFileSizeLimit } from "./limits.js";
import { applyOverrides } from "./overrides.js";
import { buildPool } from "./pools.js";
import { buildBehaviors, buildImages, checkPreloadedImages, warnUnmatchedProfiles, warnUnmodelledCommands } from "./behaviors.js";
import { checkNodeLimit, checkPodAndObjectLimits, checkRunLimits, resolveScenarioLimits } from "./limit-checks.js";
import { checkedDuration, numberProblem, scenarioSchema, timeProblem, validateAgainstSchema } from "./schema.js";
import { formatRfc3339, MAX_TIME, parseRfc3339Time, TIME_RANGE_TEXT } from "./time.js";
import { buildTimeline, checkNamespaces } from "./timeline.js";
import { buildFaultProcesses } from "./fault-processes.js";
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
  /** Called with each file the loader reads in full (path as the loader names it, bytes), the scenario first. */
  onRead?: (path: string, bytes: Buffer) => void;
}

/** A file the loader read: its path relative to the scenario file's folder ("/"-separated), and its bytes. */
export interface InputFile {
  path: string;
  bytes: Buffer;
}

/**
 * Outcome of `loadScenario`: the scenario, its warnings and every file it read (sorted by path, each once; what a
 * bug bundle must hold to load the same scenario elsewhere), or every error found.
 */
export type LoadResult = { ok: true; scenario: Scenario; warnings: string[]; inputs: InputFile[] } | { ok: false; errors: string[] };

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
  const read = new Map<string, Buffer>();
  const onRead = (p: string, bytes: Buffer) => {
    read.set(p, bytes);
    opts.onRead?.(p, bytes);
  };
  const scenario = loadScenarioInto(path, { ...opts, onRead }, diags);
  if (!scenario) return { ok: false, errors: diags.errors() };
  const base = resolve(dirname(path));
  const inputs = new Map<string, Buffer>();
  for (const [p, bytes] of read) inputs.set(relative(base, resolve(p)).split(sep).join("/"), bytes);
  const sorted = [...inputs.keys()].sort().map((p) => ({ path: p, bytes: inputs.get(p)! }));
  return { ok: true, scenario, warnings: diags.warnings(), inputs: sorted };
}

/**
 * The one loading path of `run` and `validate`: loads the scenario at `path` into `diags` (which must hold nothing
 * else, so that what it says is exactly what `loadScenario` says), never returning nothing without an error.
 */
function loadScenarioInto(path: string, opts: LoadOptions, diags: Diagnostics, preRead?: { text: string; bytes: Buffer }): Scenario | undefined {
  const scenario = loadInto(path, opts, diags, preRead);
  if (diags.errorCount > 0) return undefined;
  if (!scenario) diags.error({ file: path, line: 1, col: 1 }, "could not load the scenario");
  return scenario;
}

/**
 * `k8sim validate`: checks each file without running it. A file whose first document is a Kubernetes object
 * (a mapping with a kind) other than a k8sim Scenario is checked as Kubernetes manifests; every other file is
 * loaded exactly as `run` loads a scenario (same options, same code, so it says exactly what `loadScenario` says). Errors and
 * warnings of all files, files in the order of `paths` (manifests a scenario names come right after it), each
 * line once: a manifest file named both directly and by a scenario is reported once.
 */
export function validateFiles(paths: readonly string[], opts: LoadOptions = {}): { errors: string[]; warnings: string[] } {
  const errors = new Set<string>();
  const warnings = new Set<string>();
  const maxBytes = scenarioFileSizeLimit(opts.limits);
  for (const path of paths) {
    // One collector per file: a scenario's problems are then exactly its loadScenario errors (an earlier file's
    // errors cannot cut its checks short), and lines are deduplicated across files below.
    const diags = new Diagnostics();
    diags.noteFile(path);
    const read = readInputFile(path, { maxBytes, root: undefined });
    if (!read.ok) {
      diags.error({ file: path, line: 1, col: 1 }, `cannot read file ${path}: ${read.error}`);
    } else {
      const probe = new Diagnostics();
      const docs = parseYaml(path, read.text, probe);
      const first = docs[0]?.value(probe)?.value;
      // Manifests are files whose first document is a Kubernetes object (a mapping with a kind) other than a k8sim
      // Scenario. Everything else (a scenario, an empty file, YAML that does not parse, a scalar, a list, a mapping
      // without a kind) is what run would be handed, so it is loaded exactly as run loads it.
      const o = typeof first === "object" && first !== null && !Array.isArray(first) ? (first as Record<string, unknown>) : undefined;
      const isManifest = o !== undefined && typeof o.kind === "string" && o.kind !== "Scenario" && !String(o.apiVersion ?? "").startsWith("k8sim.dev/");
      // Classified by its first document's kind alone, so a problem inside a manifest file (a duplicate key, say)
      // is reported as a manifest problem, as run reports it for that file.
      if (isManifest) loadManifestText(path, read.text, diags);
      else loadScenarioInto(path, opts, diags, read);
    }
    for (const e of diags.errors()) errors.add(e);
    for (const w of diags.warnings()) warnings.add(w);
  }
  // A bad --limit is an error even when no file was a scenario (only scenarios resolve limits); when one was, the
  // same line is in the set already, where run prints it.
  for (const e of parseLimitFlags(opts.limits ?? []).errors) errors.add(e);
  return { errors: [...errors], warnings: [...warnings] };
}

function loadInto(path: string, opts: LoadOptions, diags: Diagnostics, preRead?: { text: string; bytes: Buffer }): Scenario | undefined {
  diags.noteFile(path);
  // The scenario file itself is named by the user, so it is not confined; the files it names are (readPolicy).
  const read = preRead ?? readInputFile(path, { maxBytes: scenarioFileSizeLimit(opts.limits), root: undefined });
  if ("ok" in read && !read.ok) {
    diags.error({ file: path, line: 1, col: 1 }, `cannot read file ${path}: ${read.error}`);
    return undefined;
  }
  const { text, bytes } = read as { text: string; bytes: Buffer };
  opts.onRead?.(path, bytes);
  const hash = createHash("sha256").update(bytes).digest("hex");
  const sources = parseYaml(path, text, diags);
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
  const converted = src.value(diags);
  if (!converted) return undefined;
  const root = converted.value;
  // A mapping with neither apiVersion nor kind is no scenario at all (a file named by mistake): say so once,
  // rather than list each of its keys as unknown, which would print the whole file.
  if (isRecord(root) && root.apiVersion === undefined && root.kind === undefined) {
    diags.error(src.where([]), "not a k8sim scenario: expected apiVersion: k8sim.dev/v1alpha1 and kind: Scenario at the top of the file, found neither");
    return undefined;
  }
  validateAgainstSchema(root, src, diags);
  return build(src, path, hash, root, diags, opts);
}

function build(src: YamlSource, file: string, hash: string, root: unknown, diags: Diagnostics, opts: LoadOptions): Scenario | undefined {
  const spec = rec(rec(root).spec);
  // Limits first: everything below is checked against them before it is built.
  const limits = resolveScenarioLimits(src, spec.limits, opts.limits ?? [], diags);
  // spec.limits.fileSize counts for the manifest files the scenario names (the scenario file was read already).
  const files = { ...readPolicy(file, limits.fileSize, opts.allowOutside === true), onRead: opts.onRead };

  const runFor = checkedDuration(src, ["spec", "duration"], spec.duration, diags);
  if (runFor === 0) diags.error(src.where(["spec", "duration"]), "spec.duration: must be greater than 0; expected a duration such as 30m");

  const startTime = spec.startTime === undefined ? parseRfc3339(DEFAULT_START_TIME) : checkedTime(src, spec.startTime, diags);

  const metricsInterval = rec(spec.metrics).interval === undefined ? DEFAULT_METRICS_INTERVAL : checkedDuration(src, ["spec", "metrics", "interval"], rec(spec.metrics).interval, diags);
  if (metricsInterval === 0) diags.error(src.where(["spec", "metrics", "interval"]), "spec.metrics.interval: must be greater than 0; expected a duration such as 10s");

  if (runFor !== undefined && runFor > 0 && metricsInterval !== undefined) checkRunLimits(src, spec, runFor, metricsInterval, limits, diags);
  if (runFor !== undefined && startTime !== undefined) checkRunWithinTimeRange(src, spec, startTime, runFor, diags);

  const settings = readSettings(src, spec.settings, diags);
  const ranges = resolveSettings(settings);

  const images = buildImages(src, spec.images, diags);
  const behaviors = buildBehaviors(src, spec.behaviors, diags);

  // Counts are checked before any pool or timeline is built, so a billion nodes cost nothing.
  checkNodeLimit(src, spec, limits.nodes, diags);
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
    checkPreloadedImages(src, path, raw, images, diags);
    const pool = buildPool(src, path, raw, diags);
    if (pool) pools.push(pool);
    else if (typeof name === "string") brokenPools.push(name);
  });

  const workloads: LoadedManifest[] = [];
  const ignored: IgnoredManifest[] = [];
  const replicasAt = new Map<object, Where>();
  let workloadsComplete = true;
  list(spec.workloads).forEach((raw, i) => {
    const item = rec(raw);
    const path = ["spec", "workloads", i];
    let set;
    if (typeof item.file === "string" && item.manifest === undefined) {
      set = loadManifestFile(manifestFileName(file, item.file), src.where([...path, "file"]), diags, files, ranges);
    } else if (item.manifest !== undefined && item.file === undefined) {
      set = checkManifest(src, [...path, "manifest"], item.manifest, diags, ranges);
      for (const m of set.manifests) replicasAt.set(m, src.where([...path, "manifest", "spec", "replicas"]));
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
    files,
    ranges,
  }, diags);
  const allManifests = [...workloads, ...tl.timeline.flatMap((a) => (a.action === "apply" ? a.manifests : []))];
  checkNamespaces(allManifests, diags);
  list(spec.timeline).forEach((raw, i) => {
    if (rec(raw).action === "addNodes") checkPreloadedImages(src, ["spec", "timeline", i, "pool"], rec(raw).pool, images, diags);
  });
  if (workloadsComplete) warnUnmatchedProfiles(src, behaviors, allManifests, diags);
  warnUnmodelledCommands(behaviors, allManifests, diags);
  warnCidrRoom(src, resolveSettings(settings), pools.reduce((n, p) => n + p.count, 0) + tl.timeline.reduce((n, a) => n + (a.action === "addNodes" ? a.pool.count : 0), 0), diags);
  const faults = buildFaultProcesses(src, spec.faults, { pools: [...pools, ...tl.timeline.flatMap((a) => (a.action === "addNodes" ? [a.pool] : []))], manifests: allManifests }, diags);
  const positionOf = (o: object) => replicasAt.get(o) ?? tl.replicasAt.get(o);
  checkPodAndObjectLimits(workloads, [...ignored, ...tl.ignored], tl.timeline, limits, positionOf, diags);

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
    limits,
    behaviors,
    images,
    faults,
  };
}

/**
 * spec.settings as milliseconds and numbers. A value that cannot be used is reported at it in the schema's words
 * (one line with the schema's report), never dropped: durations by the duration parser, numbers against their
 * schema node's type and range. Periods may not be 0.
 */
function readSettings(src: YamlSource, raw: unknown, diags: Diagnostics): Partial<Settings> {
  const settings: Partial<Settings> = {};
  const schemaOf = scenarioSchema().properties?.spec?.properties?.settings?.properties ?? {};
  for (const [key, v] of Object.entries(rec(raw))) {
    // Unknown keys were reported by the schema.
    if (!Object.hasOwn(DEFAULT_SETTINGS, key)) continue;
    const k = key as keyof Settings;
    const path = ["spec", "settings", key];
    if (typeof DEFAULT_SETTINGS[k] !== "number") {
      // Strings and lists (CIDRs, plugin and controller names): the schema checked them against their parsers and
      // enums; the loader's coupled checks follow.
      const def = DEFAULT_SETTINGS[k];
      // Quantities and distributions may be written as plain numbers ("0", 100): they are held as their text.
      const value = typeof def === "string" && typeof v === "number" ? String(v) : v;
      if (Array.isArray(def) ? Array.isArray(value) && value.every((x) => typeof x === "string") : typeof value === typeof def) (settings as Record<string, unknown>)[k] = value;
      continue;
    }
    let n: number | undefined;
    if (DURATION_SETTINGS.has(k)) n = checkedDuration(src, path, v, diags);
    else {
      const problem = schemaOf[key] ? numberProblem(schemaOf[key], v) : undefined;
      if (problem) diags.error(src.where(path), `${fieldPath(path)}: ${problem}`);
      else n = v as number;
    }
    if (n !== undefined) (settings as Record<string, unknown>)[k] = n;
    if (n === 0 && POSITIVE_SETTINGS.has(k)) {
      diags.error(src.where(path), `spec.settings.${key}: must be greater than 0 (it is a period); expected a duration such as ${formatDuration(DEFAULT_SETTINGS[k] as number)}`);
    }
  }
  const resolved = resolveSettings(settings);
  const cidr = parseCidr(resolved.clusterCIDR);
  const mask = resolved.nodeCIDRMaskSize;
  if (cidr.ok && mask < cidr.value.prefix) {
    const key = settings.nodeCIDRMaskSize !== undefined ? "nodeCIDRMaskSize" : "clusterCIDR";
    // cmd/kube-controller-manager: the node mask must be at least the cluster's (a node range inside the cluster's).
    diags.error(src.where(["spec", "settings", key]), `spec.settings.${key}: nodeCIDRMaskSize (${mask}) must be at least the prefix length of clusterCIDR ${resolved.clusterCIDR} (${cidr.value.prefix})`);
  }
  checkServiceRanges(src, settings, resolved, diags);
  // The kubelet draws every status tick between two reports when it schedules the next report (src/kubelet), so
  // the ratio bounds the work per report; upstream's is 30 (5m / 10s).
  if (resolved.nodeStatusReportFrequency / resolved.nodeStatusUpdateFrequency > MAX_STATUS_TICKS_PER_REPORT) {
    const key = settings.nodeStatusReportFrequency !== undefined ? "nodeStatusReportFrequency" : "nodeStatusUpdateFrequency";
    diags.error(
      src.where(["spec", "settings", key]),
      `spec.settings.${key}: nodeStatusReportFrequency (${formatDuration(resolved.nodeStatusReportFrequency)}) may be at most ${MAX_STATUS_TICKS_PER_REPORT.toLocaleString("en-US")} x nodeStatusUpdateFrequency (${formatDuration(resolved.nodeStatusUpdateFrequency)}), that is ${formatDuration(resolved.nodeStatusUpdateFrequency * MAX_STATUS_TICKS_PER_REPORT)}`,
    );
  }
  // The kubelet's back-offs: upstream's smallest first delay is 1s (ReduceDefaultCrashLoopBackOffDecay) and its
  // crash-loop maximum is bounded to 1s..300s (crashLoopBackOff.maxContainerRestartPeriod); a back-off of a few ms
  // would restart a failing container hundreds of times a second of virtual time.
  for (const key of ["crashLoopBackOffInitial", "crashLoopBackOffMax", "crashLoopBackOffReset", "imagePullBackOffInitial", "imagePullBackOffMax"] as const) {
    const v = settings[key];
    if (v !== undefined && v > 0 && v < 1_000) diags.error(src.where(["spec", "settings", key]), `spec.settings.${key}: must be at least 1s, got ${formatDuration(v)}`);
  }
  if (settings.crashLoopBackOffMax !== undefined && settings.crashLoopBackOffMax > 300_000) {
    diags.error(src.where(["spec", "settings", "crashLoopBackOffMax"]), `spec.settings.crashLoopBackOffMax: must be between 1s and 5m (the kubelet's crashLoopBackOff.maxContainerRestartPeriod), got ${formatDuration(settings.crashLoopBackOffMax)}`);
  }
  if (settings.imagePullBandwidth !== undefined && quantityBytes(resolved.imagePullBandwidth) === 0) {
    diags.error(src.where(["spec", "settings", "imagePullBandwidth"]), `spec.settings.imagePullBandwidth: must be greater than 0; expected a rate in bytes per second such as 50Mi`);
  }
  // The renew interval follows the lease duration (a quarter of it) unless set: it must not round down to 0.
  if (settings.nodeLeaseDuration !== undefined && settings.nodeLeaseRenewInterval === undefined && resolved.nodeLeaseRenewInterval === 0) {
    diags.error(src.where(["spec", "settings", "nodeLeaseDuration"]), "spec.settings.nodeLeaseDuration: must be at least 4ms, so that the renew interval (a quarter of it) is not 0");
  }
  return settings;
}

/** Most status-loop ticks between two node status reports (nodeStatusReportFrequency / nodeStatusUpdateFrequency). */
export const MAX_STATUS_TICKS_PER_REPORT = 1_000_000;

/** spec.startTime as epoch ms; a bad one is reported at it with the time parser's words (the schema's too). */
function checkedTime(src: YamlSource, v: unknown, diags: Diagnostics): number | undefined {
  const problem = timeProblem(v);
  if (problem !== undefined) {
    diags.error(src.where(["spec", "startTime"]), `spec.startTime: ${problem}`);
    return undefined;
  }
  return parseRfc3339(v as string);
}

/**
 * The whole run must be writable as RFC 3339: every timestamp it stamps lies between startTime and startTime +
 * spec.duration, so that interval must lie within TIME_RANGE_TEXT. Reported at spec.startTime.
 */
function checkRunWithinTimeRange(src: YamlSource, spec: Record<string, unknown>, startTime: number, runFor: number, diags: Diagnostics): void {
  if (startTime + runFor <= MAX_TIME) return;
  const path = spec.startTime === undefined ? ["spec", "duration"] : ["spec", "startTime"];
  diags.error(
    src.where(path),
    `${fieldPath(path)}: the run would end after 9999-12-31T23:59:59.999Z (startTime ${formatRfc3339(startTime)} + spec.duration ${formatDuration(runFor)}), which RFC 3339 timestamps cannot write; expected the whole run within ${TIME_RANGE_TEXT}: an earlier startTime or a shorter duration`,
  );
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
 * Parses an RFC 3339 time ("2026-01-01T00:00:00Z", "2026-01-01T09:00:00.5+02:00") to epoch milliseconds, with
 * parseRfc3339Time (src/scenario/time.ts): impossible dates, sub-millisecond fractions and instants outside
 * 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z are refused; years 0000-0099 are exact. Undefined when invalid.
 */
export function parseRfc3339(s: string): number | undefined {
  const r = parseRfc3339Time(s);
  return r.ok ? r.value : undefined;
}

/**
 * Warns when clusterCIDR holds fewer /nodeCIDRMaskSize ranges than the scenario has nodes: node IPAM gives the
 * extra nodes none (CIDRNotAvailable), and they run no pods, which is easy to miss in a report.
 */
function warnCidrRoom(src: YamlSource, s: Settings, nodes: number, diags: Diagnostics): void {
  const cidr = parseCidr(s.clusterCIDR);
  if (!cidr.ok || s.nodeCIDRMaskSize < cidr.value.prefix) return;
  const ranges = 2 ** (s.nodeCIDRMaskSize - cidr.value.prefix);
  if (nodes <= ranges) return;
  const key = src.where(["spec", "settings", "clusterCIDR"]);
  diags.warn(
    key,
    `clusterCIDR ${s.clusterCIDR} holds ${ranges.toLocaleString("en-US")} node range(s) of /${s.nodeCIDRMaskSize} and the scenario has ${nodes.toLocaleString("en-US")} nodes: ${(nodes - ranges).toLocaleString("en-US")} will get none (CIDRNotAvailable), report Ready=False and run no pods`,
  );
}

/** A quantity setting's value in whole units (0 when it does not parse: the schema reported it). */
function quantityBytes(text: string): number {
  const r = parseQuantity(text);
  return r.ok && fitsNumber(r.value, false) ? quantityValue(r.value) : 0;
}

/**
 * The Service settings kube-apiserver checks when it starts (cmd/kube-apiserver/app/options/validation.go
 * validateClusterIPFlags, k8s.io/apimachinery/pkg/util/net ParsePortRange): the service range may not be larger
 * than a /12 (maxCIDRBits 20) and must leave an address to hand out (k8sim's own bound: /30 at most); the node port
 * range is FIRST-LAST within 1..65535.
 */
function checkServiceRanges(src: YamlSource, settings: Partial<Settings>, resolved: Settings, diags: Diagnostics): void {
  const cidr = parseCidr(resolved.serviceClusterIPRange);
  if (cidr.ok && cidr.value.prefix < 12) {
    diags.error(src.where(["spec", "settings", "serviceClusterIPRange"]), `spec.settings.serviceClusterIPRange: specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12; expected a range such as 10.96.0.0/12`);
  } else if (cidr.ok && cidr.value.prefix > 30) {
    diags.error(src.where(["spec", "settings", "serviceClusterIPRange"]), `spec.settings.serviceClusterIPRange: ${resolved.serviceClusterIPRange} holds no address to allocate; expected a prefix of at most /30`);
  }
  if (settings.serviceNodePortRange !== undefined) {
    const m = /^(\d{1,5})-(\d{1,5})$/.exec(resolved.serviceNodePortRange);
    const [first, last] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
    if (!m || first < 1 || last > 65535 || first > last) {
      diags.error(src.where(["spec", "settings", "serviceNodePortRange"]), `spec.settings.serviceNodePortRange: invalid port range ${JSON.stringify(resolved.serviceNodePortRange)}; expected FIRST-LAST with 1 <= FIRST <= LAST <= 65535, such as 30000-32767`);
    }
  }
}
