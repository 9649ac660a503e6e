/**
 * Generated node fault actions of the timeline (issue 10): kubeletStop / kubeletStart, cordon / uncordon, drain
 * (with kubectl's flags), networkPartition (of nodes or a zone, with duration or until), zoneOutage (with or without
 * a duration), imageRegistryOutage (of an image pattern, with duration or until), apiServerOutage (with duration or
 * until; kubeletStop, kubeletStart, cordon, uncordon and drain are not generated inside its window, which the loader
 * refuses), slowApiServer (a latency of 1s to 1m, with duration or until), podKill and containerCrash (by a selector
 * of a workload's pods, `app=<name>`), resolved against the generator's model so that each loads: names exist,
 * windows end after they start, and a kubelet is never stopped inside a partition window of its node or zone, nor a
 * stopped kubelet's node partitioned (the loader refuses both).
 */
import fc from "fast-check";
import { goDuration } from "./durations.js";

/** The fault actions the generator uses. */
export const FAULT_ACTIONS = ["kubeletStop", "kubeletStart", "cordon", "uncordon", "drain", "networkPartition", "zoneOutage", "imageRegistryOutage", "apiServerOutage", "slowApiServer", "podKill", "containerCrash"] as const;

/** Image patterns of generated registry outages: one image, one repository's tags, a whole registry, none run. */
export const IMAGE_PATTERNS = ["nginx:1.27", "nginx:*", "docker.io/*", "busybox:1.3?", "registry.example.com/*"] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

const ZONE_LABEL = "topology.kubernetes.io/zone";

/** One fault action to resolve at `at` (ms): `pick` chooses among the candidates, the window is
 *  (spanSteps + 1) x 30s, given as `until` instead of `duration` when useUntil. */
export interface FaultIntent {
  at: number;
  action: FaultAction;
  pick: number;
  spanSteps: number;
  useUntil: boolean;
}

/** Fault intents at whole seconds up to `horizon` (ms). */
export const faultIntentArb = (horizon: number): fc.Arbitrary<FaultIntent> =>
  fc.record({
    at: fc.integer({ min: 0, max: horizon / 1000 }).map((s) => s * 1000),
    action: fc.constantFrom(...FAULT_ACTIONS),
    pick: fc.nat(50),
    spanSteps: fc.integer({ min: 0, max: 10 }),
    useUntil: fc.boolean(),
  });

/** What the fault entries need of the generator's model, and what they track across the timeline. */
export class FaultModel {
  /** Nodes whose kubelet is stopped. */
  readonly stopped = new Set<string>();
  /** Per node / per zone, the end of its latest partition window (ms). */
  readonly nodeUntil = new Map<string, number>();
  readonly zoneUntil = new Map<string, number>();
  /** API server outage windows, [start, end) ms. */
  readonly apiDown: [number, number][] = [];

  /** @param zoneOf the zone label of a node's pool, if any. */
  constructor(private readonly zoneOf: (node: string) => string | undefined) {}

  private partitioned(node: string, at: number): boolean {
    const z = this.zoneOf(node);
    return (this.nodeUntil.get(node) ?? -1) > at || (z !== undefined && (this.zoneUntil.get(z) ?? -1) > at);
  }

  /**
   * The timeline entry of `action` at `at` (ms), picking among `nodes` with `pick`, a window of `span` ms; undefined
   * when nothing fits (no node, no zone, every candidate in a conflicting state).
   */
  entry(
    action: FaultAction,
    at: number,
    nodes: readonly string[],
    pick: number,
    span: number,
    useUntil: boolean,
    workloads: readonly { name: string; ns: string }[] = [],
  ): Record<string, unknown> | undefined {
    const pickFrom = <T>(xs: readonly T[]) => xs[pick % xs.length]!;
    const when = goDuration(at);
    const needsApi = action === "kubeletStart" || action === "kubeletStop" || action === "cordon" || action === "uncordon" || action === "drain";
    if (needsApi && this.apiDown.some(([s, e]) => s <= at && at < e)) return undefined;
    switch (action) {
      case "slowApiServer": {
        const window = useUntil ? { until: goDuration(at + span) } : { duration: goDuration(span) };
        return { at: when, action, latency: ["1s", "15s", "55s", "1m"][pick % 4], ...window };
      }
      case "apiServerOutage": {
        this.apiDown.push([at, at + span]);
        return useUntil ? { at: when, action, until: goDuration(at + span) } : { at: when, action, duration: goDuration(span) };
      }
      case "kubeletStop": {
        const ok = nodes.filter((n) => !this.partitioned(n, at) && !this.stopped.has(n));
        if (!ok.length) return undefined;
        const node = pickFrom(ok);
        this.stopped.add(node);
        return { at: when, action, node };
      }
      case "kubeletStart": {
        const ok = this.stopped.size ? [...this.stopped] : [];
        if (!ok.length) return undefined;
        const node = pickFrom(ok);
        this.stopped.delete(node);
        return { at: when, action, node };
      }
      case "cordon":
      case "uncordon":
        return nodes.length ? { at: when, action, node: pickFrom(nodes) } : undefined;
      case "networkPartition": {
        const end = at + span;
        const window = useUntil ? { until: goDuration(end) } : { duration: goDuration(span) };
        const zones = [...new Set(nodes.map((n) => this.zoneOf(n)).filter((z): z is string => z !== undefined))];
        const freeZones = zones.filter((z) => ![...this.stopped].some((n) => this.zoneOf(n) === z));
        if (pick % 3 === 0 && freeZones.length) {
          const zone = pickFrom(freeZones);
          this.zoneUntil.set(zone, Math.max(end, this.zoneUntil.get(zone) ?? -1));
          return { at: when, action, zone, ...window };
        }
        const ok = nodes.filter((n) => !this.stopped.has(n));
        if (!ok.length) return undefined;
        const chosen = [...new Set([pickFrom(ok), ok[(pick + 1) % ok.length]!])];
        for (const n of chosen) this.nodeUntil.set(n, Math.max(end, this.nodeUntil.get(n) ?? -1));
        return { at: when, action, nodes: chosen, ...window };
      }
      case "drain": {
        if (!nodes.length) return undefined;
        const e: Record<string, unknown> = { at: when, action, node: pickFrom(nodes) };
        // kubectl's flags now and then: each bit of `pick` one of them.
        if (pick & 1) e.force = true;
        if (pick & 2) e.deleteEmptydirData = true;
        if (pick & 4) e.ignoreDaemonsets = true;
        if (pick & 8) e.gracePeriod = [0, 5, -1][pick % 3];
        if (pick & 16) e.timeout = goDuration(span);
        return e;
      }
      case "podKill":
      case "containerCrash": {
        if (!workloads.length) return undefined;
        const w = pickFrom(workloads);
        const e: Record<string, unknown> = { at: when, action, selector: `app=${w.name}` };
        if (w.ns !== "default") e.namespace = w.ns;
        if (action === "containerCrash" && pick % 2 === 0) e.exitCode = [0, 1, 2, 137][pick % 4];
        return e;
      }
      case "imageRegistryOutage": {
        const window = useUntil ? { until: goDuration(at + span) } : { duration: goDuration(span) };
        return { at: when, action, images: pickFrom(IMAGE_PATTERNS), ...window };
      }
      case "zoneOutage": {
        const zones = [...new Set(nodes.map((n) => this.zoneOf(n)).filter((z): z is string => z !== undefined))];
        if (!zones.length) return undefined;
        const zone = pickFrom(zones);
        return useUntil ? { at: when, action, zone } : { at: when, action, zone, duration: goDuration(span) };
      }
    }
  }
}

/** The zone label of a pool, for FaultModel's zoneOf. */
export function poolZone(labels: Record<string, string> | undefined): string | undefined {
  return labels?.[ZONE_LABEL];
}
