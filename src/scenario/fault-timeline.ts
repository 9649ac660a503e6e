/**
 * Load-time conversion and checks of the timeline's fault actions (kubeletStop / kubeletStart, cordon / uncordon,
 * networkPartition, zoneOutage, imageRegistryOutage, apiServerOutage, slowApiServer): names of nodes and zones checked against what the scenario declares at that time,
 * windows that end before they start refused, and overlaps judged. Overlapping windows of the same fault on the
 * same node compose (it heals at the latest end, src/faults/injector.ts); a kubelet stopped inside a partition
 * window (or a partition of a node whose kubelet is stopped) is refused, because the two faults would both claim
 * the kubelet's connection.
 */
import { LABEL_TOPOLOGY_ZONE } from "../api/topology.js";
import { formatDuration } from "../engine/duration.js";
import { closest, fieldPath, type Diagnostics, type Where } from "./errors.js";
import { checkedDuration } from "./schema.js";
import type { LoadedManifest, NodePool, SourcePos, TimelineAction } from "./types.js";
import { isNamespaced } from "../api/registry/registry.js";
import { matchesRequirements, parseSelector } from "../logs/selector.js";
import type { Path, YamlSource } from "./yaml-source.js";
import { imagePattern } from "../kubelet/runtime/image-registry.js";

/** What the fault checks need of the timeline's replay state (src/scenario/timeline.ts ClusterState). */
export interface FaultReplayState {
  /** The pools declared so far, with the number their next node gets. */
  readonly pools: ReadonlyMap<string, { pool: NodePool; next: number }>;
  mayHaveNode(node: string): boolean;
  /** The message for a node that does not exist at `when`. */
  missingNode(node: string, when: string): string;
  /** Fault state carried along the replay. */
  readonly faults: FaultTimelineState;
}

/** Fault windows and states seen so far in the replay. */
export class FaultTimelineState {
  /** Nodes whose kubelet is stopped (kubeletStop without kubeletStart yet). */
  readonly kubeletStopped = new Set<string>();
  /** Per node, the end of its latest partition window (ms). */
  readonly partitionedUntil = new Map<string, number>();
  /** Per zone, the end of its latest partition window (ms). */
  readonly zonePartitionedUntil = new Map<string, number>();
  /** The pod labels the declared workloads give their pods, with the namespace, for selector checks. */
  readonly podLabels: { namespace: string; labels: Record<string, string> }[] = [];
  /** API server outage windows so far, [start, end) in virtual ms. */
  readonly apiDown: [number, number][] = [];
  /** The images the declared workloads' pods run, for image pattern checks. */
  readonly podImages = new Set<string>();

  /** Notes the labels of the pods a created manifest makes: a Pod's own, a workload's pod template's. */
  notePodTemplate(m: LoadedManifest): void {
    const o = m.object as { kind: string; metadata: { namespace?: string; labels?: unknown }; spec?: Record<string, unknown> };
    const namespace = isNamespaced(o.kind) ? (o.metadata.namespace ?? "default") : "";
    const spec = o.spec;
    const template = (spec?.template ?? (spec?.jobTemplate as { spec?: { template?: unknown } } | undefined)?.spec?.template) as { metadata?: { labels?: unknown } } | undefined;
    const labels = o.kind === "Pod" ? o.metadata.labels : template?.metadata?.labels;
    if (labels && typeof labels === "object") this.podLabels.push({ namespace, labels: labels as Record<string, string> });
    const podSpec = (o.kind === "Pod" ? spec : (template as { spec?: Record<string, unknown> } | undefined)?.spec) as Record<string, unknown> | undefined;
    for (const key of ["initContainers", "containers"]) {
      const cs = podSpec?.[key];
      if (Array.isArray(cs)) for (const c of cs) if (typeof (c as { image?: unknown })?.image === "string") this.podImages.add((c as { image: string }).image);
    }
  }

  /** Warns when the image pattern at `where` matches no image a declared pod runs (the outage may fail no pull). */
  checkImagePattern(diags: Diagnostics, where: Where, pattern: string, what: string): void {
    const matches = imagePattern(pattern);
    if ([...this.podImages].some(matches)) return;
    const seen = [...this.podImages];
    diags.warn(where, `images ${JSON.stringify(pattern)} matches no image the scenario's pods run${seen.length ? ` (${seen.slice(0, 5).join(", ")}${seen.length > 5 ? ", ..." : ""})` : ""}; ${what} may fail no pull`);
  }
}

/** The zone label of a pool's nodes, if any. */
function zoneOfPool(p: NodePool): string | undefined {
  return p.labels[LABEL_TOPOLOGY_ZONE];
}

/** The zone of a declared node (`<pool>-<i>`), if its pool is known and labelled. */
function zoneOfNode(state: FaultReplayState, node: string): string | undefined {
  const dash = node.lastIndexOf("-");
  const p = dash > 0 ? state.pools.get(node.slice(0, dash)) : undefined;
  return p ? zoneOfPool(p.pool) : undefined;
}

/** Zones of the declared pools that have nodes, in pool order, each once. */
export function declaredZones(pools: ReadonlyMap<string, { pool: NodePool; next: number }>): string[] {
  const out: string[] = [];
  for (const { pool, next } of pools.values()) {
    const z = zoneOfPool(pool);
    if (z !== undefined && next > 1 && !out.includes(z)) out.push(z);
  }
  return out;
}

/** Whether `node` is inside a partition window (its own or its zone's) at `at`. */
function partitionedAt(state: FaultReplayState, node: string, at: number): boolean {
  const z = zoneOfNode(state, node);
  return (state.faults.partitionedUntil.get(node) ?? -1) > at || (z !== undefined && (state.faults.zonePartitionedUntil.get(z) ?? -1) > at);
}

/** The error for a zone no declared node is in. */
function missingZone(zone: string, when: string, state: FaultReplayState): string {
  const zones = declaredZones(state.pools);
  const guess = closest(zone, zones);
  const hint = guess ? `did you mean ${JSON.stringify(guess)}?` : zones.length ? `expected one of ${zones.join(", ")}` : `no node has a ${LABEL_TOPOLOGY_ZONE} label then`;
  return `no node is in zone ${JSON.stringify(zone)} at ${when} (label ${LABEL_TOPOLOGY_ZONE}); ${hint}`;
}

/**
 * Converts one fault action of the timeline at `path` (already valid against the schema, else undefined is
 * returned and the schema's message stands), reporting what names nothing or contradicts the replay so far.
 * Returns undefined for an action this module does not handle.
 */
export function faultAction(
  src: YamlSource,
  path: Path,
  at: number,
  raw: Record<string, unknown>,
  source: SourcePos,
  state: FaultReplayState,
  diags: Diagnostics,
): TimelineAction | undefined {
  const when = formatDuration(at);
  const f = state.faults;
  const nodeOk = (node: unknown, p: Path): node is string => {
    if (typeof node !== "string") return false;
    if (state.mayHaveNode(node)) return true;
    diags.error(src.where(p), state.missingNode(node, when));
    return false;
  };
  const end = (): number | undefined => {
    const duration = checkedDuration(src, [...path, "duration"], raw.duration, diags);
    const until = checkedDuration(src, [...path, "until"], raw.until, diags);
    if (duration !== undefined && duration <= 0) {
      diags.error(src.where([...path, "duration"]), `${fieldPathOf(path)}.duration: must be greater than 0; got ${formatDuration(duration)}`);
      return undefined;
    }
    if (until !== undefined && until <= at) {
      diags.error(src.where([...path, "until"]), `${fieldPathOf(path)}.until: the window ends at ${formatDuration(until)}, not after it starts (at ${when}); expected a time after ${when}`);
      return undefined;
    }
    return duration !== undefined ? at + duration : until;
  };
  // kubectl's commands and a starting kubelet need the API server: refused inside an outage window.
  const outage = f.apiDown.find(([s, e]) => s <= at && at < e);
  if (outage && (raw.action === "kubeletStart" || raw.action === "cordon" || raw.action === "uncordon" || raw.action === "drain")) {
    diags.error(src.where([...path, "action"]), `${fieldPathOf([...path, "action"])}: ${raw.action} at ${when} needs the API server, which is down then (apiServerOutage from ${formatDuration(outage[0])} until ${formatDuration(outage[1])}); expected a time outside the outage`);
    return undefined;
  }
  // An outage cuts every kubelet's connection, as a partition does: a kubeletStop then would claim it too.
  if (outage && raw.action === "kubeletStop") {
    diags.error(src.where([...path, "action"]), `${fieldPathOf([...path, "action"])}: kubeletStop at ${when} falls in an apiServerOutage window (from ${formatDuration(outage[0])} until ${formatDuration(outage[1])}); expected kubeletStop outside it (both faults cut the kubelet's connection)`);
    return undefined;
  }
  switch (raw.action) {
    case "slowApiServer": {
      if ((raw.duration === undefined) === (raw.until === undefined)) {
        diags.error(src.where(path), `${fieldPathOf(path)}: expected exactly one of the keys duration or until`);
        return undefined;
      }
      const until = end();
      const latency = checkedDuration(src, [...path, "latency"], raw.latency, diags);
      if (latency !== undefined && latency <= 0) {
        diags.error(src.where([...path, "latency"]), `${fieldPathOf([...path, "latency"])}: must be greater than 0; got ${formatDuration(latency)}`);
        return undefined;
      }
      if (until === undefined || latency === undefined) return undefined;
      return { at, action: "slowApiServer", latency, until, source };
    }
    case "apiServerOutage": {
      if ((raw.duration === undefined) === (raw.until === undefined)) {
        diags.error(src.where(path), `${fieldPathOf(path)}: expected exactly one of the keys duration or until`);
        return undefined;
      }
      const until = end();
      if (until === undefined) return undefined;
      f.apiDown.push([at, until]);
      return { at, action: "apiServerOutage", until, source };
    }
    case "kubeletStop":
    case "kubeletStart": {
      if (!nodeOk(raw.node, [...path, "node"])) return undefined;
      const node = raw.node as string;
      if (raw.action === "kubeletStop") {
        if (partitionedAt(state, node, at)) {
          diags.error(src.where([...path, "node"]), `node ${JSON.stringify(node)} is in a networkPartition window at ${when}; expected kubeletStop outside partition windows (both faults cut the kubelet's connection)`);
          return undefined;
        }
        if (f.kubeletStopped.has(node)) diags.warn(src.where([...path, "node"]), `the kubelet of node ${JSON.stringify(node)} is already stopped at ${when}; kubeletStop does nothing`);
        f.kubeletStopped.add(node);
      } else if (!f.kubeletStopped.delete(node)) {
        diags.warn(src.where([...path, "node"]), `the kubelet of node ${JSON.stringify(node)} is not stopped at ${when}; kubeletStart does nothing`);
      }
      return { at, action: raw.action, node, source };
    }
    case "drain": {
      if (!nodeOk(raw.node, [...path, "node"])) return undefined;
      const timeoutMs = raw.timeout === undefined ? 0 : checkedDuration(src, [...path, "timeout"], raw.timeout, diags);
      if (timeoutMs === undefined) return undefined;
      if (typeof raw.gracePeriod === "number" && raw.gracePeriod < -1) return undefined;
      const gracePeriod = typeof raw.gracePeriod === "number" ? raw.gracePeriod : -1;
      return {
        at,
        action: "drain",
        node: raw.node as string,
        options: {
          // kubectl's --grace-period -1: the pod's own terminationGracePeriodSeconds.
          gracePeriodSeconds: gracePeriod < 0 ? undefined : gracePeriod,
          timeoutMs,
          ignoreDaemonsets: raw.ignoreDaemonsets === true,
          deleteEmptydirData: raw.deleteEmptydirData === true,
          force: raw.force === true,
        },
        source,
      };
    }
    case "cordon":
    case "uncordon": {
      if (!nodeOk(raw.node, [...path, "node"])) return undefined;
      return { at, action: raw.action, node: raw.node as string, source };
    }
    case "networkPartition": {
      const hasNodes = raw.nodes !== undefined;
      const hasZone = raw.zone !== undefined;
      if (hasNodes === hasZone) {
        diags.error(src.where(path), `${fieldPathOf(path)}: expected exactly one of the keys nodes or zone`);
        return undefined;
      }
      if ((raw.duration === undefined) === (raw.until === undefined)) {
        diags.error(src.where(path), `${fieldPathOf(path)}: expected exactly one of the keys duration or until`);
        return undefined;
      }
      const until = end();
      if (until === undefined) return undefined;
      if (hasZone) {
        if (typeof raw.zone !== "string") return undefined;
        if (!declaredZones(state.pools).includes(raw.zone)) {
          diags.error(src.where([...path, "zone"]), missingZone(raw.zone, when, state));
          return undefined;
        }
        for (const node of f.kubeletStopped) {
          if (zoneOfNode(state, node) === raw.zone) {
            diags.error(src.where([...path, "zone"]), `the kubelet of node ${JSON.stringify(node)} in zone ${JSON.stringify(raw.zone)} is stopped at ${when}; expected a networkPartition of nodes whose kubelet runs (kubeletStart it first)`);
            return undefined;
          }
        }
        f.zonePartitionedUntil.set(raw.zone, Math.max(until, f.zonePartitionedUntil.get(raw.zone) ?? -1));
        return { at, action: "networkPartition", nodes: undefined, zone: raw.zone, until, source };
      }
      if (!Array.isArray(raw.nodes)) return undefined;
      const nodes: string[] = [];
      let ok = true;
      raw.nodes.forEach((n, i) => {
        if (!nodeOk(n, [...path, "nodes", i])) ok = false;
        else if (nodes.includes(n as string)) {
          diags.error(src.where([...path, "nodes", i]), `node ${JSON.stringify(n)} is listed twice; expected each node once`);
          ok = false;
        } else if (f.kubeletStopped.has(n as string)) {
          diags.error(src.where([...path, "nodes", i]), `the kubelet of node ${JSON.stringify(n)} is stopped at ${when}; expected a networkPartition of nodes whose kubelet runs (kubeletStart it first)`);
          ok = false;
        } else nodes.push(n as string);
      });
      if (!ok) return undefined;
      for (const n of nodes) f.partitionedUntil.set(n, Math.max(until, f.partitionedUntil.get(n) ?? -1));
      return { at, action: "networkPartition", nodes, zone: undefined, until, source };
    }
    case "podKill":
    case "containerCrash": {
      const hasTarget = raw.target !== undefined;
      if (hasTarget === (raw.selector !== undefined)) {
        diags.error(src.where(path), `${fieldPathOf(path)}: expected exactly one of the keys target or selector`);
        return undefined;
      }
      const namespace = typeof raw.namespace === "string" ? raw.namespace : "default";
      const container = typeof raw.container === "string" ? raw.container : undefined;
      const exitCode = raw.action === "podKill" ? 137 : typeof raw.exitCode === "number" ? raw.exitCode : 1;
      if (hasTarget) {
        if (typeof raw.target !== "string") return undefined;
        if (!raw.target.startsWith("pod/") || raw.target.length === 4) {
          diags.error(src.where([...path, "target"]), `${fieldPathOf([...path, "target"])}: cannot ${raw.action === "podKill" ? "kill" : "crash"} ${JSON.stringify(raw.target)}: expected pod/<name> (or a selector)`);
          return undefined;
        }
        // Pods are mostly named by their controllers, so a name cannot be checked here (as for delete).
        return raw.action === "podKill"
          ? { at, action: "podKill", namespace, pod: raw.target.slice(4), selector: undefined, source }
          : { at, action: "containerCrash", namespace, pod: raw.target.slice(4), selector: undefined, container, exitCode, source };
      }
      if (typeof raw.selector !== "string") return undefined;
      const sel = parseSelector(raw.selector);
      if (!sel.ok) {
        diags.error(src.where([...path, "selector"]), `${fieldPathOf([...path, "selector"])}: ${sel.error}`);
        return undefined;
      }
      if (!f.podLabels.some((p) => p.namespace === namespace && matchesRequirements(sel.requirements, p.labels))) {
        diags.warn(src.where([...path, "selector"]), `selector ${JSON.stringify(raw.selector)} matches no pod the scenario declares in namespace ${namespace} by ${when}; ${raw.action} may find no pod`);
      }
      return raw.action === "podKill"
        ? { at, action: "podKill", namespace, pod: undefined, selector: raw.selector, source }
        : { at, action: "containerCrash", namespace, pod: undefined, selector: raw.selector, container, exitCode, source };
    }
    case "imageRegistryOutage": {
      if ((raw.duration === undefined) === (raw.until === undefined)) {
        diags.error(src.where(path), `${fieldPathOf(path)}: expected exactly one of the keys duration or until`);
        return undefined;
      }
      const until = end();
      if (until === undefined || typeof raw.images !== "string") return undefined;
      f.checkImagePattern(diags, src.where([...path, "images"]), raw.images, "the outage");
      return { at, action: "imageRegistryOutage", images: raw.images, until, source };
    }
    case "zoneOutage": {
      if (typeof raw.zone !== "string") return undefined;
      const until = end();
      if (raw.duration !== undefined && until === undefined) return undefined;
      if (!declaredZones(state.pools).includes(raw.zone)) {
        diags.error(src.where([...path, "zone"]), missingZone(raw.zone, when, state));
        return undefined;
      }
      return { at, action: "zoneOutage", zone: raw.zone, until, source };
    }
    default:
      return undefined;
  }
}

/** `spec.timeline[3]` for a path ["spec", "timeline", 3]. */
function fieldPathOf(path: Path): string {
  return fieldPath(path.map(String));
}
