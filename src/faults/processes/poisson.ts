/**
 * The Poisson processes of spec.faults (k8sim's own; no upstream analogue): containerCrash, zoneOutage and
 * imageRegistryOutage. Each holds one pending engine event, its next arrival, drawn from the process's stream
 * `faults/<name>`; draws per arrival, in order: what it hits (containerCrash, zoneOutage), then the duration
 * (zoneOutage, imageRegistryOutage), then the time to the next arrival.
 */
import type { Pod } from "../../api/types.js";
import type { Cluster } from "../../cluster.js";
import type { Context } from "../../engine/simulation.js";
import { matchesRequirements, parseSelector } from "../../logs/selector.js";
import type { FaultProcess } from "./spec.js";
import type { FaultInjector } from "../injector.js";
import { drawMs, nextArrivalMs, pickIndex } from "./draws.js";

type CrashSpec = Extract<FaultProcess, { type: "containerCrash" }>;
type ZoneSpec = Extract<FaultProcess, { type: "zoneOutage" }>;
type RegistrySpec = Extract<FaultProcess, { type: "imageRegistryOutage" }>;

/** Whether the pod's container (`container`, or its first) is running now, per the pod's status. */
function containerRunning(p: Pod, container: string | undefined): boolean {
  const name = container ?? p.spec.containers[0]?.name;
  return p.status.containerStatuses?.some((s) => s.name === name && s.state?.running !== undefined) ?? false;
}

/** Pods a crash may hit, in a stable order (namespace/name): bound, with the container running, matching. */
export function crashCandidates(pods: Iterable<Pod>, spec: Pick<CrashSpec, "selector" | "namespace" | "container">): Pod[] {
  const sel = parseSelector(spec.selector);
  if (!sel.ok) return [];
  const out: Pod[] = [];
  for (const p of pods) {
    if (spec.namespace !== undefined && (p.metadata.namespace ?? "default") !== spec.namespace) continue;
    if (!p.spec.nodeName || !matchesRequirements(sel.requirements, p.metadata.labels ?? {}) || !containerRunning(p, spec.container)) continue;
    out.push(p);
  }
  const key = (p: Pod) => `${p.metadata.namespace ?? "default"}/${p.metadata.name}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Runs one Poisson process: `fire` at each arrival inside [startMs, endMs). */
function poisson(cluster: Cluster, spec: FaultProcess & { ratePerHour: number }, fire: (ctx: Context<"arrive">) => void): void {
  const ctx = cluster.sim.register<"arrive">(`faults/${spec.name}`, () => {
    fire(ctx);
    next();
  });
  const next = () => {
    const at = ctx.now + nextArrivalMs(ctx.random, spec.ratePerHour);
    if (spec.endMs === undefined || at < spec.endMs) ctx.scheduleAt(at, "arrive");
  };
  // The first arrival is one inter-arrival time after the start (memoryless: no arrival at the start itself).
  const first = spec.startMs + nextArrivalMs(ctx.random, spec.ratePerHour);
  if (spec.endMs === undefined || first < spec.endMs) ctx.scheduleAt(first, "arrive");
}

/** Starts a containerCrash process: each arrival crashes the container of one matching running pod (a seeded
 *  pick among crashCandidates); an arrival when none runs hits nothing (and draws no pick). */
export function startContainerCrashes(cluster: Cluster, spec: CrashSpec, injector: FaultInjector): void {
  poisson(cluster, spec, (ctx) => {
    const { api } = cluster.cp;
    const pods = crashCandidates(spec.namespace !== undefined ? api.listIn<Pod>("Pod", spec.namespace) : api.list<Pod>("Pod"), spec);
    if (pods.length === 0) return;
    const p = pods[pickIndex(ctx.random, pods.length)]!;
    injector.crashContainer(p.metadata.namespace ?? "default", p.metadata.name, spec.container, spec.exitCode, spec.name);
  });
}

/** Starts a zoneOutage process: each arrival takes one of the zones (seeded pick) down for a draw of `duration`
 *  (FaultInjector.zoneOutage: overlapping outages of a zone compose, the later end wins). */
export function startZoneOutages(cluster: Cluster, spec: ZoneSpec, injector: FaultInjector): void {
  poisson(cluster, spec, (ctx) => {
    const zone = spec.zones[pickIndex(ctx.random, spec.zones.length)]!;
    const dur = drawMs(spec.duration, ctx.random);
    injector.zoneOutage(zone, ctx.now + dur, spec.name);
  });
}


/** Starts an imageRegistryOutage process: each arrival fails the pulls of `images` for a draw of `duration`
 *  (FaultInjector.imageRegistryOutage: overlapping windows compose). */
export function startRegistryOutages(cluster: Cluster, spec: RegistrySpec, injector: FaultInjector): void {
  poisson(cluster, spec, (ctx) => {
    const dur = drawMs(spec.duration, ctx.random);
    injector.imageRegistryOutage(spec.images, ctx.now + dur, spec.name);
  });
}
