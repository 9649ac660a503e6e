/**
 * Node pools of a scenario (spec.cluster.nodePools and timeline addNodes), checked and converted to `NodePool`.
 */
import { isRecord } from "./plain.js";
import { parseResourceList } from "../api/quantity.js";
import { fieldPath, type Diagnostics } from "./errors.js";
import type { NodePool, TaintSpec } from "./types.js";
import type { Path, YamlSource } from "./yaml-source.js";

/**
 * Builds a pool from its YAML value at `path`. `added` marks a timeline addNodes pool; when `base` is given (nodes added to an existing pool), capacity,
 * allocatable, labels and taints default to the base pool's; otherwise capacity is required. Quantities must parse,
 * be non-negative and fit (pods and extended resources whole). Returns undefined when the value is unusable; the
 * problems are in `diags` (schema-shape problems were reported by the schema already).
 */
export function buildPool(
  src: YamlSource,
  path: Path,
  raw: unknown,
  diags: Diagnostics,
  opts: { added?: boolean; base?: NodePool } = {},
): NodePool | undefined {
  const base = opts.base;
  if (!isRecord(raw) || typeof raw.name !== "string" || !Number.isInteger(raw.count) || (raw.count as number) < 0) return undefined;
  let ok = true;
  const resources = (key: "capacity" | "allocatable"): Record<string, string> | undefined => {
    const rec = raw[key];
    if (!isRecord(rec)) return undefined;
    const r = parseResourceList(rec);
    if (!r.ok) {
      ok = false;
      // Named like the schema's message for the same value, so the two checks report it once.
      for (const e of r.errors) diags.error(src.where([...path, key, e.resource]), `${fieldPath([...path, key, e.resource].map(String))}: ${e.error}`);
    }
    return Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, String(v)]));
  };
  const capacity = resources("capacity") ?? base?.capacity;
  const allocatable = resources("allocatable") ?? (raw.capacity === undefined ? base?.allocatable : undefined);
  if (raw.capacity === undefined && !base) {
    // An initial pool without capacity was reported by the schema already.
    if (opts.added) diags.error(src.where(path), `missing required key "capacity": pool ${JSON.stringify(raw.name)} is new, so its capacity is needed`);
    return undefined;
  }
  if (!ok || !capacity) return undefined;
  const pool: NodePool = {
    name: raw.name,
    count: raw.count as number,
    capacity,
    labels: isRecord(raw.labels) ? (raw.labels as Record<string, string>) : { ...(base?.labels ?? {}) },
    taints: Array.isArray(raw.taints) ? (raw.taints as TaintSpec[]) : [...(base?.taints ?? [])],
  };
  if (allocatable) pool.allocatable = allocatable;
  const preloaded = Array.isArray(raw.preloadedImages) ? raw.preloadedImages.map(String) : base?.preloadedImages;
  if (preloaded !== undefined) pool.preloadedImages = [...preloaded];
  return pool;
}

/** Node names of a pool, `<pool>-<first>` .. `<pool>-<first + count - 1>` (first is 1 for a new pool).
 *  NOTE: allocates `count` strings: call it only for a pool whose count passed the nodes limit (the loader keeps
 *  nodes as ranges for that reason). */
export function nodeNames(pool: string, first: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${pool}-${first + i}`);
}

