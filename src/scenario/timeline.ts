/**
 * The scenario's timeline and expectations: converted to typed actions sorted by time, then replayed against what
 * exists at each moment (nodes of the pools, objects of the workloads and earlier applies), so an action or a check
 * that names something missing fails at load time, pointing at the name.
 */
import { SYSTEM_NAMESPACES } from "../api/apiserver.js";
import type { KindSpec } from "../api/registry/kind-spec.js";
import { isNamespaced, kindSpec, resolveResource, resourceNames } from "../api/registry/registry.js";
import { formatDuration } from "../engine/duration.js";
import { closest, type Diagnostics, type Where } from "./errors.js";
import { checkManifest, loadManifestFile, manifestFileName, type IgnoredManifest, type ServiceRanges } from "./manifests.js";
import type { ReadPolicy } from "./input-file.js";
import { buildPool } from "./pools.js";
import { checkedDuration } from "./schema.js";
import type { Expectation, ExpectOp, LoadedManifest, NodePool, SourcePos, TimelineAction } from "./types.js";
import type { Path, YamlSource } from "./yaml-source.js";
import type { PropagationPolicy } from "../api/deletion-policy.js";
import { faultAction, FaultTimelineState, type FaultReplayState } from "./fault-timeline.js";

const OPS: readonly ExpectOp[] = ["==", "!=", ">=", "<=", ">", "<"];

/** What the scenario has built before the timeline: initial pools and workloads. */
export interface InitialState {
  pools: NodePool[];
  /** Names of pools that were too broken to build: nodes named after them are not reported as missing. */
  brokenPools: string[];
  workloads: LoadedManifest[];
  /** False when some workload could not be identified: missing objects are then not reported. */
  workloadsComplete: boolean;
  /** spec.duration (ms), for actions and checks after the end. */
  duration: number;
  /** Where manifest files named by apply actions may be read from, and how large they may be. */
  files: ReadPolicy;
  /** The scenario's Service ranges, which an applied Service's fixed clusterIP and nodePorts must lie in. */
  ranges?: ServiceRanges;
}

/** Timeline, expectations and the manifests of kinds not simulated that applies named. */
export interface TimelineResult {
  timeline: TimelineAction[];
  expect: Expectation[];
  ignored: IgnoredManifest[];
  /** Where each scale action's `replicas` and each inline apply manifest's `spec.replicas` is written, for the
   *  pods limit's message (file manifests are reported at the object). */
  replicasAt: Map<object, Where>;
}

type Pending = { at: number; index: number; raw: Record<string, unknown> };

/**
 * Converts spec.timeline and spec.expect, sorts the timeline by `at` (stable: ties keep file order) and checks
 * every reference in time order. Problems go to `diags`; malformed items (already reported by the schema) are
 * skipped.
 */
export function buildTimeline(
  src: YamlSource,
  scenarioFile: string,
  rawTimeline: unknown,
  rawExpect: unknown,
  init: InitialState,
  diags: Diagnostics,
): TimelineResult {
  const state = new ClusterState(init);
  const result: TimelineResult = { timeline: [], expect: [], ignored: [], replicasAt: new Map() };
  const items = timed(src, "timeline", rawTimeline, undefined, diags);
  const checks = timed(src, "expect", rawExpect, init.duration, diags);
  let next = 0;
  const runChecksUntil = (t: number) => {
    while (next < checks.length && checks[next]!.at <= t) {
      const c = checks[next++]!;
      const e = expectation(src, c, state, init.duration, diags);
      if (e) result.expect.push(e);
    }
  };
  for (const item of items) {
    runChecksUntil(item.at - 1);
    const path = ["spec", "timeline", item.index];
    if (item.at > init.duration) {
      diags.warn(src.where([...path, "at"]), `action at ${formatDuration(item.at)} is after the end of the run (spec.duration ${formatDuration(init.duration)}); it never runs`);
    }
    const a = action(src, scenarioFile, path, item, state, diags, result.ignored);
    if (a) result.timeline.push(a);
    if (a?.action === "scale") result.replicasAt.set(a, src.where([...path, "replicas"]));
    if (a?.action === "apply" && item.raw.manifest !== undefined) {
      for (const m of a.manifests) result.replicasAt.set(m, src.where([...path, "manifest", "spec", "replicas"]));
    }
  }
  runChecksUntil(Number.POSITIVE_INFINITY);
  result.expect.sort((a, b) => a.source.line - b.source.line || a.source.col - b.source.col);
  return result;
}

/** Items of spec.<key> with a valid `at` (or the default), sorted by it, ties in file order. An item with a bad
 *  `at` is reported at it (with the schema's words, so it is one line) and left out; items that are not mappings
 *  were reported by the schema. */
function timed(src: YamlSource, key: "timeline" | "expect", raw: unknown, defaultAt: number | undefined, diags: Diagnostics): Pending[] {
  if (!Array.isArray(raw)) return [];
  const out: Pending[] = [];
  raw.forEach((item, index) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return;
    const rec = item as Record<string, unknown>;
    let at = defaultAt;
    if (rec.at !== undefined) {
      at = checkedDuration(src, ["spec", key, index, "at"], rec.at, diags);
      if (at === undefined) return;
    }
    if (at !== undefined) out.push({ at, index, raw: rec });
  });
  return out.sort((a, b) => a.at - b.at || a.index - b.index);
}

/** Nodes and objects that exist at the current point of the replay. */
class ClusterState implements FaultReplayState {
  readonly failed = new Set<string>();
  /** Fault actions' windows and states so far (src/scenario/fault-timeline.ts). */
  readonly faults = new FaultTimelineState();
  /** Each pool and the number its next node gets: its nodes are `<pool>-1` .. `<pool>-<next - 1>`. Nodes are kept
   *  as these ranges, never as names, so a pool of a billion nodes costs nothing before the nodes limit says no. */
  readonly pools = new Map<string, { pool: NodePool; next: number }>();
  /** `Kind/namespace/name` of objects that exist. */
  readonly objects = new Set<string>();
  /** When an object was deleted, for the message of a later reference. */
  readonly deletedAt = new Map<string, number>();
  /** Pools too broken to build; their node names are unknown. */
  readonly brokenPools: Set<string>;
  /** False once a manifest could not be identified; missing objects are then not reported. */
  objectsComplete: boolean;

  /** Where apply actions' manifest files may be read from. */
  readonly files: ReadPolicy;
  /** The scenario's Service ranges (InitialState.ranges). */
  readonly ranges: ServiceRanges | undefined;

  constructor(init: InitialState) {
    this.files = init.files;
    this.ranges = init.ranges;
    this.brokenPools = new Set(init.brokenPools);
    this.objectsComplete = init.workloadsComplete;
    for (const p of init.pools) this.addPool(p);
    // The cluster starts with the built-in namespaces, as the API server creates them, and the kubernetes Service.
    for (const ns of SYSTEM_NAMESPACES) this.addNamespace(ns);
    this.objects.add("Service/default/kubernetes");
    for (const m of init.workloads) this.added(m);
  }

  /** A namespace and what the controllers create in it the instant it exists (ServiceAccount default, ConfigMap
   *  kube-root-ca.crt), so expectations may name them. */
  private addNamespace(ns: string): void {
    this.objects.add(`Namespace//${ns}`);
    this.objects.add(`ServiceAccount/${ns}/default`);
    this.objects.add(`ConfigMap/${ns}/kube-root-ca.crt`);
  }

  /** Records a created manifest (and, for a namespace, its default content). */
  added(m: LoadedManifest): void {
    this.objects.add(objectKey(m));
    this.faults.notePodTemplate(m);
    if (kindSpec(m.object.kind)?.holdsNamespacedObjects) this.addNamespace(m.object.metadata.name);
  }

  /** Adds a pool's nodes, continuing its numbering if it exists. */
  addPool(p: NodePool): void {
    const prev = this.pools.get(p.name);
    const first = prev?.next ?? 1;
    this.pools.set(p.name, { pool: prev?.pool ?? p, next: first + p.count });
  }

  /** True when `<pool>-<i>` names a node that exists (i written without leading zeros, as nodes are named). */
  hasNode(node: string): boolean {
    const dash = node.lastIndexOf("-");
    const index = node.slice(dash + 1);
    if (dash <= 0 || !/^[1-9]\d*$/.test(index)) return false;
    const p = this.pools.get(node.slice(0, dash));
    return p !== undefined && Number(index) < p.next;
  }

  /** True when the node exists, or may exist but its pool was too broken to tell. */
  mayHaveNode(node: string): boolean {
    return this.hasNode(node) || [...this.brokenPools].some((p) => node.startsWith(`${p}-`));
  }

  /** The message for a node that does not exist at `when` (with a "did you mean"). */
  missingNode(node: string, when: string): string {
    return missingNode(node, when, this);
  }

  /** Number of nodes. */
  get nodeCount(): number {
    let n = 0;
    for (const { next } of this.pools.values()) n += next - 1;
    return n;
  }

  /** The first `max` node names, pool by pool in the order pools appeared, for hints in messages. */
  someNodeNames(max: number): string[] {
    const out: string[] = [];
    for (const [name, { next }] of this.pools) {
      for (let i = 1; i < next && out.length < max; i++) out.push(`${name}-${i}`);
    }
    return out;
  }
}

function objectKey(m: LoadedManifest): string {
  const o = m.object;
  return `${o.kind}/${isNamespaced(o.kind) ? (o.metadata.namespace ?? "default") : ""}/${o.metadata.name}`;
}

/** A `kind/name` target with its kind resolved as kubectl resolves resource names (registry). */
function parseTarget(v: unknown): { kind?: string; spec?: KindSpec; name: string; written: string } | undefined {
  if (typeof v !== "string" || !v.includes("/")) return undefined;
  const [k, ...rest] = v.split("/");
  const spec = resolveResource(k!);
  return { kind: spec?.kind, spec, name: rest.join("/"), written: v };
}

function sourceOf(src: YamlSource, path: Path): SourcePos {
  const w = src.where(path);
  return "file" in w ? w : { file: src.file, line: 0, col: 0 };
}

function action(
  src: YamlSource,
  scenarioFile: string,
  path: Path,
  item: Pending,
  state: ClusterState,
  diags: Diagnostics,
  ignored: IgnoredManifest[],
): TimelineAction | undefined {
  const { at, raw } = item;
  const source = sourceOf(src, path);
  const when = formatDuration(at);
  switch (raw.action) {
    case "nodeFailure":
    case "nodeRecover": {
      if (typeof raw.node !== "string") return undefined;
      if (!state.mayHaveNode(raw.node)) {
        diags.error(src.where([...path, "node"]), missingNode(raw.node, when, state));
        return undefined;
      }
      if (raw.action === "nodeFailure") {
        if (state.failed.has(raw.node)) diags.warn(src.where([...path, "node"]), `node ${JSON.stringify(raw.node)} has already failed by ${when} (and not recovered); nodeFailure does nothing`);
        state.failed.add(raw.node);
      }
      else if (!state.failed.delete(raw.node)) {
        diags.warn(src.where([...path, "node"]), `node ${JSON.stringify(raw.node)} has not failed by ${when}; nodeRecover does nothing`);
      }
      return { at, action: raw.action, node: raw.node, source };
    }
    case "scale": {
      const t = parseTarget(raw.target);
      if (!t || !Number.isInteger(raw.replicas) || (raw.replicas as number) < 0) return undefined;
      if (!t.spec?.scaleSubresource) {
        diags.error(src.where([...path, "target"]), `cannot scale ${JSON.stringify(t.written)}: expected ${resourceNames((k) => k.scaleSubresource).split(", ").map((n) => `${n}/<name>`).join(" or ")}`);
        return undefined;
      }
      const namespace = typeof raw.namespace === "string" ? raw.namespace : "default";
      if (!exists(src, [...path, "target"], t.spec.kind, namespace, t.name, when, at, state, diags)) return undefined;
      return { at, action: "scale", kind: t.spec.kind, name: t.name, namespace, replicas: raw.replicas as number, source };
    }
    case "delete": {
      const t = parseTarget(raw.target);
      if (!t) return undefined;
      const deletable = (k: KindSpec) => k.scenarioTarget && k.timelineDeleteHint === undefined;
      if (!t.spec || !deletable(t.spec)) {
        const why = t.spec?.timelineDeleteHint ?? (t.spec ? `${t.spec.plural} are not deleted by the timeline` : `unknown kind ${JSON.stringify(t.written.split("/")[0])}`);
        diags.error(src.where([...path, "target"]), `cannot delete ${JSON.stringify(t.written)}: ${why}; expected ${resourceNames(deletable).split(", ").map((n) => `${n}/`).join(", ")}<name>`);
        return undefined;
      }
      const namespace = t.spec.namespaced ? (typeof raw.namespace === "string" ? raw.namespace : "default") : "";
      // Pods are mostly created by ReplicaSets with generated names, so their existence cannot be known here.
      if (t.spec.namesKnownAtLoad && !exists(src, [...path, "target"], t.spec.kind, namespace, t.name, when, at, state, diags)) return undefined;
      const key = `${t.spec.kind}/${namespace}/${t.name}`;
      state.objects.delete(key);
      state.deletedAt.set(key, at);
      if (t.spec.holdsNamespacedObjects) {
        // Deleting a namespace deletes its content (the namespace controller).
        for (const k of [...state.objects]) {
          if (k.split("/")[1] === t.name) {
            state.objects.delete(k);
            state.deletedAt.set(k, at);
          }
        }
      }
      // kubectl delete's default --cascade=background; the schema admits only the three policies.
      const propagationPolicy = typeof raw.propagationPolicy === "string" ? (raw.propagationPolicy as PropagationPolicy) : "Background";
      return { at, action: "delete", kind: t.spec.kind, name: t.name, namespace, propagationPolicy, source };
    }
    case "apply": {
      let set;
      if (typeof raw.file === "string") {
        set = loadManifestFile(manifestFileName(scenarioFile, raw.file), src.where([...path, "file"]), diags, state.files, state.ranges);
      } else if (raw.manifest !== undefined) {
        set = checkManifest(src, [...path, "manifest"], raw.manifest, diags, state.ranges);
      } else {
        return undefined;
      }
      ignored.push(...set.ignored);
      state.objectsComplete &&= set.complete;
      for (const m of set.manifests) {
        state.added(m);
        state.deletedAt.delete(objectKey(m));
      }
      return { at, action: "apply", manifests: set.manifests, source };
    }
    case "addNodes": {
      const rawPool = raw.pool as Record<string, unknown> | undefined;
      const base = typeof rawPool?.name === "string" ? state.pools.get(rawPool.name)?.pool : undefined;
      const pool = buildPool(src, [...path, "pool"], rawPool, diags, { added: true, base });
      if (!pool) {
        if (typeof rawPool?.name === "string") state.brokenPools.add(rawPool.name);
        return undefined;
      }
      state.addPool(pool);
      return { at, action: "addNodes", pool, source };
    }
    default:
      return faultAction(src, path, at, raw, source, state, diags);
  }
}

/** Candidates for "did you mean": enough for any hand-written cluster, bounded for a generated one. */
const MAX_NODE_SUGGESTIONS = 1000;

function missingNode(node: string, when: string, state: ClusterState): string {
  const names = state.someNodeNames(MAX_NODE_SUGGESTIONS);
  const total = state.nodeCount;
  const guess = closest(node, names);
  const hint = guess
    ? `did you mean ${JSON.stringify(guess)}?`
    : total
      ? `expected one of ${names.slice(0, 10).join(", ")}${total > 10 ? ", ..." : ""}`
      : "the cluster has no nodes then";
  return `node ${JSON.stringify(node)} does not exist at ${when}; ${hint}`;
}

/** Checks that an object exists at `at`; reports at `path` otherwise. */
function exists(
  src: YamlSource,
  path: Path,
  kind: string,
  namespace: string,
  name: string,
  when: string,
  at: number,
  state: ClusterState,
  diags: Diagnostics,
): boolean {
  const key = `${kind}/${namespace}/${name}`;
  const fromPools = kindSpec(kind)?.fromNodePools === true;
  if (fromPools ? state.mayHaveNode(name) : state.objects.has(key)) return true;
  if (fromPools) {
    diags.error(src.where(path), missingNode(name, when, state));
    return false;
  }
  const deleted = state.deletedAt.get(key);
  if (!state.objectsComplete && deleted === undefined) return true;
  const what = `${kind} ${namespace ? `${namespace}/` : ""}${name}`;
  const why =
    deleted !== undefined && deleted <= at
      ? `it was deleted at ${formatDuration(deleted)}`
      : `expected it in spec.workloads or in an apply at or before ${when}`;
  diags.error(src.where(path), `${what} does not exist at ${when}; ${why}`);
  return false;
}

function expectation(src: YamlSource, item: Pending, state: ClusterState, duration: number, diags: Diagnostics): Expectation | undefined {
  const path = ["spec", "expect", item.index];
  const { at, raw } = item;
  const t = parseTarget(raw.object);
  const ops = OPS.filter((o) => raw[o] !== undefined);
  if (!t || typeof raw.field !== "string" || ops.length !== 1) return undefined;
  const op = ops[0]!;
  const when = formatDuration(at);
  if (at > duration) {
    diags.error(src.where([...path, "at"]), `expectation at ${when} is after the end of the run (spec.duration ${formatDuration(duration)}); expected at most ${formatDuration(duration)}`);
    return undefined;
  }
  if (!t.kind || !t.spec?.scenarioTarget) {
    diags.error(src.where([...path, "object"]), `unknown kind ${JSON.stringify(t.written.split("/")[0])} in ${JSON.stringify(t.written)}; expected ${resourceNames((k) => k.scenarioTarget)}`);
    return undefined;
  }
  const namespace = t.spec.namespaced ? (typeof raw.namespace === "string" ? raw.namespace : "default") : "";
  // An expectation may name a deleted object: deletion is asynchronous (finalizers, foreground propagation, the
  // namespace controller), so the object may still be there, and checking that it is gone is a fair question.
  if (t.spec.namesKnownAtLoad && !state.deletedAt.has(`${t.kind}/${namespace}/${t.name}`) && !exists(src, [...path, "object"], t.kind, namespace, t.name, when, at, state, diags)) return undefined;
  const value = raw[op] as number | string | boolean;
  return {
    at,
    kind: t.kind,
    name: t.name,
    namespace,
    field: raw.field,
    op,
    value,
    text: `${t.written} ${raw.field} ${op} ${JSON.stringify(value)} at ${when}`,
    source: sourceOf(src, path),
  };
}

/** Warns about objects placed in a namespace that nothing creates (namespace lifecycle admission refuses them). */
export function checkNamespaces(manifests: readonly LoadedManifest[], diags: Diagnostics): void {
  const created = new Set([...SYSTEM_NAMESPACES, ...manifests.filter((m) => kindSpec(m.object.kind)?.holdsNamespacedObjects).map((m) => m.object.metadata.name)]);
  for (const m of manifests) {
    const ns = m.object.metadata.namespace;
    if (isNamespaced(m.object.kind) && ns !== undefined && !created.has(ns)) {
      diags.warn(m.source, `${m.object.kind}/${m.object.metadata.name}: namespace ${JSON.stringify(ns)} is not created by any manifest; the API server will refuse the object`);
    }
  }
}
