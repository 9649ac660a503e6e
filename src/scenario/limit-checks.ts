import { kindSpec } from "../api/registry/registry.js";
/**
 * Load-time enforcement of the size limits (src/scenario/limits.ts): which limits are in force for a scenario
 * (defaults, spec.limits, --limit), and the checks that refuse a scenario too large to simulate before anything
 * proportional to its size is built. Each refusal is reported at the value that crossed the limit, names the limit
 * and says how to raise it.
 */
import { list, rec } from "./plain.js";
import { formatDuration } from "../engine/duration.js";
import { fieldPath, type Diagnostics, type Where } from "./errors.js";
import { DEFAULT_LIMITS, LIMIT_KINDS, formatLimit, parseLimitFlags, parseLimitValue, raiseHint, resolveLimits, type Limits } from "./limits.js";
import type { LoadedManifest, TimelineAction } from "./types.js";
import type { YamlSource } from "./yaml-source.js";

type Raw = Record<string, unknown>;



/**
 * The limits in force for one load: DEFAULT_LIMITS, then spec.limits, then the `--limit name=value` flags (the
 * flag wins). A bad spec.limits value is reported at it (with the schema's words, so it is one line); a bad flag
 * as `--limit text: ...`. Bad values leave the limit at what it was before them.
 */
export function resolveScenarioLimits(src: YamlSource, rawLimits: unknown, flags: readonly string[], diags: Diagnostics): Limits {
  const fromSpec: Partial<Limits> = {};
  for (const [key, v] of Object.entries(rec(rawLimits))) {
    // Unknown keys were reported by the schema.
    if (!Object.hasOwn(DEFAULT_LIMITS, key)) continue;
    const name = key as keyof Limits;
    const r = parseLimitValue(name, v);
    if (r.ok) fromSpec[name] = r.value;
    else if (LIMIT_KINDS[name] !== "count") diags.error(src.where(["spec", "limits", key]), `spec.limits.${key}: ${r.error}`);
    // NOTE: a bad count is left to the schema's own message (type, minimum, maximum), which is the one it reports.
  }
  const parsed = parseLimitFlags(flags);
  for (const p of parsed.problems) {
    diags.noteOverride(p.flag);
    diags.error({ override: p.flag }, p.message);
  }
  return resolveLimits(fromSpec, parsed.limits);
}

/** The sentence of a limit error: what crossed it, the limit, and how to raise it. */
function overLimit(name: keyof Limits, limit: number, what: string): string {
  return `${what}, more than the ${name} limit of ${formatLimit(name, limit)}; ${raiseHint(name)}`;
}

/**
 * Refuses a cluster with more nodes than `limit`: every initial pool's count plus every addNodes count, in file
 * order, reported at the count that crosses it. Reads the raw values only, so it costs nothing proportional to a
 * count; call it before anything builds nodes.
 */
export function checkNodeLimit(src: YamlSource, spec: Raw, limit: number, diags: Diagnostics): void {
  const counts: (string | number)[][] = [];
  list(rec(spec.cluster).nodePools).forEach((_, i) => counts.push(["spec", "cluster", "nodePools", i, "count"]));
  list(spec.timeline).forEach((item, i) => {
    if (rec(item).action === "addNodes") counts.push(["spec", "timeline", i, "pool", "count"]);
  });
  let total = 0;
  for (const path of counts) {
    const v = path.reduce<unknown>((o, k) => (Array.isArray(o) ? o[k as number] : rec(o)[k]), { spec });
    // A count that is not a whole number from 0 to 2^53-1 was reported by the schema.
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) continue;
    total += v;
    if (total > limit) {
      const where = path[1] === "timeline" ? "every pool's count plus every addNodes up to this one" : "every pool's count up to this one";
      diags.error(src.where(path), `${fieldPath(path.map(String))}: ${overLimit("nodes", limit, `the cluster would have ${total.toLocaleString("en-US")} nodes (${where})`)}`);
      return;
    }
  }
}

/** Where a manifest's spec.replicas is written, when known; else the object. */
export type PositionOf = (m: object) => Where | undefined;

/**
 * Refuses a scenario that declares more pods than `limits.pods` or more objects than `limits.objects`. Pods: each
 * Deployment's and ReplicaSet's largest replica count over the timeline (its manifests, initial and applied, and
 * its scale actions; spec.replicas defaults to 1) plus each bare Pod once. Objects: every manifest, initial and
 * applied, including kinds not simulated. Walks the workloads, then the timeline in time order, and reports at
 * the value that crosses a limit.
 */
export function checkPodAndObjectLimits(
  workloads: readonly LoadedManifest[],
  ignored: readonly { source: Where }[],
  timeline: readonly TimelineAction[],
  limits: Pick<Limits, "pods" | "objects">,
  positionOf: PositionOf,
  diags: Diagnostics,
): void {
  let objects = ignored.length;
  let objectsReported = objects > limits.objects;
  if (objectsReported) diags.error(ignored[limits.objects]!.source, overLimit("objects", limits.objects, `the scenario's manifests hold more than ${formatLimit("objects", limits.objects)} objects`));
  let pods = 0;
  let podsReported = false;
  const largest = new Map<string, number>();
  const declare = (key: string, replicas: number, where: Where, what: string) => {
    const before = largest.get(key) ?? 0;
    if (replicas <= before) return;
    largest.set(key, replicas);
    pods += replicas - before;
    if (!podsReported && pods > limits.pods) {
      podsReported = true;
      diags.error(where, overLimit("pods", limits.pods, `${what} makes ${pods.toLocaleString("en-US")} pods declared by the scenario (each Deployment's and ReplicaSet's largest replicas plus bare Pods)`));
    }
  };
  const manifest = (m: LoadedManifest) => {
    objects++;
    if (!objectsReported && objects > limits.objects) {
      objectsReported = true;
      diags.error(m.source, overLimit("objects", limits.objects, `${m.object.kind}/${m.object.metadata.name} makes ${objects.toLocaleString("en-US")} objects in the scenario's manifests`));
    }
    const o = m.object;
    const key = `${o.kind}/${o.metadata.namespace ?? "default"}/${o.metadata.name}`;
    const spec = kindSpec(o.kind);
    const pods = spec?.podsDeclared?.(o);
    if (pods === undefined) return;
    // A scalable workload is reported at its spec.replicas; bad replicas were reported by the manifest checks.
    if (spec!.scaleSubresource) {
      const where = positionOf(m) ?? m.source;
      declare(key, pods, where, `${o.kind} ${o.metadata.namespace ?? "default"}/${o.metadata.name} with spec.replicas ${pods.toLocaleString("en-US")}`);
    } else declare(key, pods, m.source, `${o.kind} ${o.metadata.name}`);
  };
  for (const m of workloads) manifest(m);
  for (const a of timeline) {
    if (a.action === "apply") for (const m of a.manifests) manifest(m);
    if (a.action === "scale") {
      declare(`${a.kind}/${a.namespace}/${a.name}`, a.replicas, positionOf(a) ?? a.source, `scaling ${a.kind} ${a.namespace}/${a.name} to ${a.replicas.toLocaleString("en-US")} replicas at ${formatDuration(a.at)}`);
    }
  }
}

/**
 * Refuses a spec.duration above `limits.duration`, and a sampling that would write more than
 * `limits.metricsSamples` rows of metrics.csv (floor(duration / interval) + 1), reported at spec.metrics.interval
 * (or spec.duration when the interval is the default).
 */
export function checkRunLimits(
  src: YamlSource,
  spec: Raw,
  runFor: number,
  interval: number,
  limits: Pick<Limits, "duration" | "metricsSamples">,
  diags: Diagnostics,
): void {
  if (runFor > limits.duration) {
    diags.error(src.where(["spec", "duration"]), `spec.duration: ${overLimit("duration", limits.duration, `${formatDuration(runFor)} is longer than allowed`)}`);
    return;
  }
  if (interval <= 0) return;
  const samples = Math.floor(runFor / interval) + 1;
  if (samples <= limits.metricsSamples) return;
  const intervalSet = rec(spec.metrics).interval !== undefined;
  const path = intervalSet ? ["spec", "metrics", "interval"] : ["spec", "duration"];
  const what = `${intervalSet ? "this interval" : `the default interval ${formatDuration(interval)}`} over spec.duration ${formatDuration(runFor)} makes ${samples.toLocaleString("en-US")} metrics samples`;
  diags.error(src.where(path), `${fieldPath(path)}: ${overLimit("metricsSamples", limits.metricsSamples, what)} (or sample less often: a longer spec.metrics.interval)`);
}
