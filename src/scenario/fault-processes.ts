/**
 * Load-time conversion and checks of spec.faults (k8sim's own seeded fault processes; no upstream analogue): the
 * schema checked shapes and distributions (parseDistribution's messages); here the meaning: unique names, the keys
 * each type needs and takes, pools and zones that exist (with a "did you mean"), selectors in kubectl's -l syntax,
 * rates > 0, windows that end after they start.
 */
import { LABEL_TOPOLOGY_ZONE } from "../api/topology.js";
import { formatDuration } from "../engine/duration.js";
import { matchesRequirements, parseSelector } from "../logs/selector.js";
import { parseDistribution, type Distribution } from "../workload/distribution.js";
import { closest, fieldPath, type Diagnostics } from "./errors.js";
import { FaultTimelineState } from "./fault-timeline.js";
import { list, rec } from "./plain.js";
import { checkedDuration } from "./schema.js";
import type { FaultProcess, LoadedManifest, NodePool } from "./types.js";
import type { Path, YamlSource } from "./yaml-source.js";

/** The keys each type takes beyond name, type, start and end; the first `required` of them are required. */
const KEYS: Readonly<Record<FaultProcess["type"], { required: readonly string[]; optional: readonly string[] }>> = {
  nodeFailure: { required: ["mtbf", "mttr"], optional: ["pool", "zone"] },
  containerCrash: { required: ["selector", "ratePerHour"], optional: ["namespace", "container", "exitCode"] },
  zoneOutage: { required: ["ratePerHour", "duration"], optional: ["zones"] },
  imageRegistryOutage: { required: ["images", "ratePerHour", "duration"], optional: [] },
};

/** What the checks need of the rest of the scenario. */
export interface FaultProcessContext {
  /** Every pool declared: spec.cluster.nodePools and the timeline's addNodes pools. */
  pools: readonly NodePool[];
  /** Every manifest created (initial and applied), for the selector warning. */
  manifests: readonly LoadedManifest[];
}

/** The zones of the declared pools, in pool order, each once. */
function zonesOf(pools: readonly NodePool[]): string[] {
  const out: string[] = [];
  for (const p of pools) {
    const z = p.labels[LABEL_TOPOLOGY_ZONE];
    if (z !== undefined && p.count > 0 && !out.includes(z)) out.push(z);
  }
  return out;
}

/** "did you mean" or the list of what exists. */
function hint(word: string, candidates: readonly string[], none: string): string {
  const guess = closest(word, candidates);
  return guess ? `did you mean ${JSON.stringify(guess)}?` : candidates.length ? `expected one of ${candidates.join(", ")}` : none;
}

/**
 * Converts spec.faults (`raw`), reporting every problem at its key. Items the schema refused are skipped (its
 * message stands). Returns the processes in file order.
 */
export function buildFaultProcesses(src: YamlSource, raw: unknown, ctx: FaultProcessContext, diags: Diagnostics): FaultProcess[] {
  const out: FaultProcess[] = [];
  const first = new Map<string, number>();
  const zones = zonesOf(ctx.pools);
  const poolNames = [...new Set(ctx.pools.map((p) => p.name))];
  const labels = new FaultTimelineState();
  for (const m of ctx.manifests) labels.notePodTemplate(m);
  list(raw).forEach((item, i) => {
    const r = rec(item);
    const path: Path = ["spec", "faults", i];
    const at = (k: string) => fieldPath([...path, k].map(String));
    const here = fieldPath(path.map(String));
    const type = r.type as FaultProcess["type"];
    const name = r.name;
    if (typeof name !== "string" || !Object.hasOwn(KEYS, type)) return;
    let ok = true;
    const error = (p: Path, message: string) => {
      diags.error(src.where(p), message);
      ok = false;
    };
    if (first.has(name)) error([...path, "name"], `${at("name")}: duplicate process name ${JSON.stringify(name)} (first at spec.faults[${first.get(name)}]); expected unique names (each names a random stream)`);
    else first.set(name, i);
    const keys = KEYS[type];
    for (const k of keys.required) if (r[k] === undefined) error(path, `${here}: missing required key ${JSON.stringify(k)} (type ${type})`);
    for (const k of Object.keys(r)) {
      if (["name", "type", "start", "end", ...keys.required, ...keys.optional].includes(k)) continue;
      if (Object.values(KEYS).some((x) => x.required.includes(k) || x.optional.includes(k))) {
        error([...path, k], `${at(k)}: type ${type} does not take the key ${JSON.stringify(k)}; expected ${[...keys.required, ...keys.optional, "start", "end"].join(", ")}`);
      }
    }
    const startMs = r.start === undefined ? 0 : checkedDuration(src, [...path, "start"], r.start, diags);
    const endMs = r.end === undefined ? undefined : checkedDuration(src, [...path, "end"], r.end, diags);
    if (startMs === undefined || (r.end !== undefined && endMs === undefined)) return;
    if (endMs !== undefined && endMs <= startMs) error([...path, "end"], `${at("end")}: the process ends at ${formatDuration(endMs)}, not after it starts (at ${formatDuration(startMs)}); expected a time after ${formatDuration(startMs)}`);
    const dist = (k: string): [Distribution, string] | undefined => {
      if (r[k] === undefined) return undefined;
      const d = parseDistribution(String(r[k]));
      if (!d.ok) ok = false; // reported by the schema
      return d.ok ? [d.value, String(r[k])] : undefined;
    };
    const rate = (): number => {
      const v = r.ratePerHour;
      if (typeof v !== "number") return 0;
      if (!(v > 0) || !Number.isFinite(v)) error([...path, "ratePerHour"], `${at("ratePerHour")}: must be a finite number greater than 0 (arrivals per hour), got ${v}`);
      return v;
    };
    const w = src.where(path);
    const base = { name, startMs, endMs, source: "file" in w ? w : { file: src.file, line: 0, col: 0 } };
    switch (type) {
      case "nodeFailure": {
        const pool = typeof r.pool === "string" ? r.pool : undefined;
        const zone = typeof r.zone === "string" ? r.zone : undefined;
        if (pool !== undefined && zone !== undefined) error(path, `${here}: expected at most one of the keys pool or zone (neither: every node)`);
        else if (pool !== undefined && !poolNames.includes(pool)) error([...path, "pool"], `${at("pool")}: no node pool is named ${JSON.stringify(pool)}; ${hint(pool, poolNames, "the scenario declares no pool")}`);
        else if (zone !== undefined && !zones.includes(zone)) error([...path, "zone"], `${at("zone")}: no node is in zone ${JSON.stringify(zone)} (label ${LABEL_TOPOLOGY_ZONE}); ${hint(zone, zones, `no pool has a ${LABEL_TOPOLOGY_ZONE} label`)}`);
        const mtbf = dist("mtbf");
        const mttr = dist("mttr");
        if (ok && mtbf && mttr) out.push({ ...base, type, pool, zone, mtbf: mtbf[0], mttr: mttr[0], mtbfText: mtbf[1], mttrText: mttr[1] });
        return;
      }
      case "containerCrash": {
        const ratePerHour = rate();
        if (typeof r.selector !== "string") return;
        const sel = parseSelector(r.selector);
        const namespace = typeof r.namespace === "string" ? r.namespace : undefined;
        if (!sel.ok) error([...path, "selector"], `${at("selector")}: ${sel.error}`);
        else if (!labels.podLabels.some((p) => (namespace === undefined || p.namespace === namespace) && matchesRequirements(sel.requirements, p.labels))) {
          diags.warn(src.where([...path, "selector"]), `selector ${JSON.stringify(r.selector)} matches no pod the scenario declares${namespace === undefined ? "" : ` in namespace ${namespace}`}; process ${name} may crash nothing`);
        }
        if (ok) out.push({ ...base, type, selector: r.selector, namespace, container: typeof r.container === "string" ? r.container : undefined, exitCode: typeof r.exitCode === "number" ? r.exitCode : 1, ratePerHour });
        return;
      }
      case "zoneOutage": {
        const ratePerHour = rate();
        const chosen = r.zones === undefined ? zones : list(r.zones).filter((z): z is string => typeof z === "string");
        list(r.zones).forEach((z, j) => {
          if (typeof z === "string" && !zones.includes(z)) error([...path, "zones", j], `${at("zones")}[${j}]: no node is in zone ${JSON.stringify(z)} (label ${LABEL_TOPOLOGY_ZONE}); ${hint(z, zones, `no pool has a ${LABEL_TOPOLOGY_ZONE} label`)}`);
        });
        if (chosen.length === 0) error(path, `${here}: no pool has a ${LABEL_TOPOLOGY_ZONE} label, so there is no zone to take down; expected pools with zones or a zones list`);
        const duration = dist("duration");
        if (ok && duration) out.push({ ...base, type, zones: [...chosen], ratePerHour, duration: duration[0], durationText: duration[1] });
        return;
      }
      case "imageRegistryOutage": {
        const ratePerHour = rate();
        if (typeof r.images !== "string") return;
        labels.checkImagePattern(diags, src.where([...path, "images"]), r.images, `process ${name}`);
        const duration = dist("duration");
        if (ok && duration) out.push({ ...base, type, images: r.images, ratePerHour, duration: duration[0], durationText: duration[1] });
        return;
      }
    }
  });
  return out;
}
