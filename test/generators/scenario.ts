/**
 * Generated scenarios: a cluster, workloads, a timeline using every action the schema allows at random times, and
 * expectations, resolved against a model of what exists when, so that every generated file loads without errors.
 * About half also use the workload model (./runtime.ts): behavior profiles and annotations, an image catalog with
 * preloaded images, the runtime settings, and pods with init containers, sidecars, probes and restart policies.
 * Timeline entries are generated as intents ("scale the n-th scalable object") and resolved in time order, which
 * keeps every shrunk case valid too.
 */
import fc from "fast-check";
import { clusterArb, poolBodyArb, type GenPool } from "./cluster.js";
import { goDuration } from "./durations.js";
import { behaviorsSection, decorate, podDecoArb, preloadedImages, runtimeArb, type GenRuntime, type PodDeco } from "./runtime.js";
import { manifest, workloadBodyArb, type Manifest, type WorkloadBody } from "./workloads.js";
import { serviceArb, serviceManifest, tenancyArb, tenancyManifests, type GenService, type GenTenancy } from "./tenancy.js";
import { faultIntentArb, FaultModel, poolZone, type FaultIntent } from "./faults.js";
import { faultProcesses, faultProcessesArb, type FaultProcessIntent } from "./fault-processes.js";

/** A generated scenario: the scenario object (to be written as YAML) and manifest files to put beside it. */
export interface GenScenario {
  /** The scenario document. */
  doc: Record<string, unknown>;
  /** Extra files, relative to the scenario's folder: path -> manifests (written as multi-document YAML). */
  files: Record<string, Manifest[]>;
}

const ACTIONS = ["nodeFailure", "nodeRecover", "scale", "apply", "delete", "addNodes"] as const;
/** Fields of Deployments and ReplicaSets that expectations compare (status ones may be absent, e.g. at 0). */
const REPLICA_FIELDS = ["spec.replicas", "status.replicas", "status.availableReplicas", "status.readyReplicas"];

interface Intent {
  at: number;
  /** A delete's propagationPolicy (missing: kubectl's default, Background). */
  propagation?: "Background" | "Foreground" | "Orphan";
  action: (typeof ACTIONS)[number];
  pick: number;
  replicas: number;
  body: WorkloadBody;
  pool: Omit<GenPool, "name">;
  newPool: boolean;
  viaFile: boolean;
  update: boolean;
  /** How an applied workload's pods are decorated (runtime.ts). */
  deco: PodDeco | undefined;
  /** Which catalog images an added pool preloads (a bitmask, runtime.ts preloadedImages). */
  preload: number | undefined;
}

const intentArb = (horizon: number): fc.Arbitrary<Intent> =>
  fc.record({
    // Mostly whole seconds; some odd milliseconds, since durations resolve to the millisecond.
    at: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: horizon / 1000 }).map((s) => s * 1000) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: horizon }) }),
    action: fc.constantFrom(...ACTIONS),
    pick: fc.nat(50),
    replicas: fc.integer({ min: 0, max: 10 }),
    body: workloadBodyArb,
    pool: poolBodyArb,
    newPool: fc.boolean(),
    viaFile: fc.boolean(),
    update: fc.boolean(),
    deco: podDecoArb,
    preload: fc.option(fc.nat(15), { nil: undefined }),
    propagation: fc.option(fc.constantFrom("Background", "Foreground", "Orphan"), { nil: undefined }),
  });

const settingsArb = fc.record(
  {
    nodeMonitorGracePeriod: fc.constantFrom("20s", "40s", "50s"),
    informerLatency: fc.constantFrom("0s", "5ms", "100ms", "1s"),
    podStartLatency: fc.constantFrom("0s", "500ms", "1s", "3s"),
    defaultUnreachableTolerationSeconds: fc.constantFrom(0, 30, 300),
    defaultNotReadyTolerationSeconds: fc.constantFrom(0, 60, 300),
    terminationGracePeriodSeconds: fc.constantFrom(0, 5, 30),
    podMaxBackoff: fc.constantFrom("5s", "10s"),
    percentageOfNodesToScore: fc.constantFrom(0, 50, 100),
    // Issue 6: client rate limits (a low limit spreads creates and binds out), request latency, the ReplicaSet
    // controller's burst, node IPAM, admission plugins and the controller list.
    controllerManagerQPS: fc.constantFrom(1, 20, 1000),
    controllerManagerBurst: fc.constantFrom(1, 30, 1000),
    schedulerQPS: fc.constantFrom(5, 50),
    schedulerBurst: fc.constantFrom(1, 100),
    apiRequestLatency: fc.constantFrom("0s", "1ms", "20ms"),
    burstReplicas: fc.constantFrom(1, 3, 500),
    nodeCIDRMaskSize: fc.constantFrom(16, 24),
    disableAdmissionPlugins: fc.constantFrom([], ["Priority"], ["DefaultTolerationSeconds"]),
    controllers: fc.constantFrom(["*"], ["*", "-pod-garbage-collector-controller"], ["*", "-nodeipam"], ["*", "-endpointslice-controller"], ["*", "-garbage-collector-controller"]),
    // Issue 9: slices, batching, the simulated cloud, the quota and namespace resyncs.
    maxEndpointsPerSlice: fc.constantFrom(1, 2, 100),
    endpointUpdatesBatchPeriod: fc.constantFrom("0s", "1s"),
    endpointSliceUpdatesBatchPeriod: fc.constantFrom("0s", "500ms"),
    loadBalancerProvisionDelay: fc.constantFrom("0s", "5s"),
    loadBalancerIPPool: fc.constantFrom("203.0.113.0/24", "198.51.100.0/30"),
    resourceQuotaSyncPeriod: fc.constantFrom("30s", "5m"),
    namespaceSyncPeriod: fc.constantFrom("1m", "5m"),
  },
  { requiredKeys: [] },
);

/** Keys of the model: `Kind/namespace/name`. */
const key = (kind: string, ns: string, name: string) => `${kind}/${ns}/${name}`;
/** Generated names by kind: web-0, rs-1, pod-2, job-3, cron-4. */
const NAME_PREFIX: Record<WorkloadBody["kind"], string> = { Deployment: "web", ReplicaSet: "rs", Pod: "pod", Job: "job", CronJob: "cron" };

/** Arbitrary of valid scenarios (see the module comment); `horizon` bounds the time of timeline actions (ms). */
export function scenarioArb(horizon = 10 * 60_000): fc.Arbitrary<GenScenario> {
  return fc
    .record({
      seed: fc.nat(2 ** 31 - 1),
      pools: clusterArb,
      workloads: fc.array(workloadBodyArb, { maxLength: 5 }),
      decos: fc.array(podDecoArb, { maxLength: 5 }),
      services: fc.array(fc.option(serviceArb, { nil: undefined }), { maxLength: 5 }),
      tenancy: tenancyArb,
      runtime: runtimeArb,
      namespaced: fc.boolean(),
      workloadsInFile: fc.boolean(),
      intents: fc.array(intentArb(horizon), { maxLength: 10 }),
      settle: fc.boolean(),
      tail: fc.integer({ min: 0, max: 10 * 60 }).map((s) => s * 1000),
      settings: fc.option(settingsArb, { nil: undefined }),
      interval: fc.constantFrom("10s", "30s", "1m", "15s"),
      checks: fc.array(fc.record({ frac: fc.double({ min: 0, max: 1, noNaN: true }), pick: fc.nat(50), op: fc.constantFrom("==", "!=", ">=", "<=", ">", "<"), value: fc.integer({ min: 0, max: 8 }), atEnd: fc.boolean() }), { maxLength: 4 }),
      // Last, so that adding them left every earlier draw (and so the scenarios before issue 10) as it was.
      faultIntents: fc.array(faultIntentArb(horizon), { maxLength: 4 }),
      // After the fault intents, for the same reason: spec.faults (./fault-processes.ts).
      faultProcesses: faultProcessesArb,
    })
    .map((g) => build(g));
}

interface Raw {
  seed: number;
  pools: GenPool[];
  workloads: WorkloadBody[];
  /** Decorations of the initial workloads, by index (missing: none). */
  decos: (PodDeco | undefined)[];
  /** The Service fronting each initial workload, by index (missing: none). */
  services: (GenService | undefined)[];
  /** The generated namespace's quota and limit range. */
  tenancy: GenTenancy;
  runtime: GenRuntime | undefined;
  namespaced: boolean;
  workloadsInFile: boolean;
  intents: Intent[];
  settle: boolean;
  tail: number;
  settings: Record<string, unknown> | undefined;
  interval: string;
  checks: { frac: number; pick: number; op: string; value: number; atEnd: boolean }[];
  /** Issue 10's node fault actions (./faults.ts), merged into the timeline by time. */
  faultIntents: FaultIntent[];
  /** Issue 10's seeded fault processes (./fault-processes.ts). */
  faultProcesses: FaultProcessIntent[];
}

/** What exists at a point of the timeline. */
class Model {
  readonly pools = new Map<string, { pool: GenPool; next: number }>();
  readonly nodes: string[] = [];
  readonly failed = new Set<string>();
  /** Objects that exist, by key, with their kind, namespace, name. */
  readonly objects = new Map<string, { kind: string; ns: string; name: string; body?: WorkloadBody }>();
  /** Counter behind `fresh`: names are never reused, so an apply after a delete never revives an old object. */
  private serial = 0;

  /** Adds a pool's nodes, continuing its numbering if it exists (as addNodes does). */
  addPool(p: GenPool): void {
    const prev = this.pools.get(p.name);
    const first = prev?.next ?? 1;
    this.pools.set(p.name, { pool: prev?.pool ?? p, next: first + p.count });
    for (let i = first; i < first + p.count; i++) this.nodes.push(`${p.name}-${i}`);
  }

  /** A name not used before in this scenario. */
  fresh(prefix: string): string {
    return `${prefix}-${this.serial++}`;
  }

  /** Objects of these kinds that exist now. */
  of(kinds: readonly string[]): { kind: string; ns: string; name: string; body?: WorkloadBody }[] {
    return [...this.objects.values()].filter((o) => kinds.includes(o.kind));
  }
}

function build(g: Raw): GenScenario {
  const m = new Model();
  const files: Record<string, Manifest[]> = {};
  for (const p of g.pools) m.addPool(p);
  // Issue 10's node faults (./faults.ts), tracked across the timeline.
  const faults = new FaultModel((n) => poolZone(m.pools.get(n.slice(0, n.lastIndexOf("-")))?.pool.labels));
  const ns = g.namespaced ? "team-a" : undefined;
  const initial: Manifest[] = [];
  if (ns) {
    initial.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    m.objects.set(key("Namespace", "", ns), { kind: "Namespace", ns: "", name: ns });
  }
  g.workloads.forEach((b, i) => {
    const name = m.fresh(NAME_PREFIX[b.kind]);
    const wns = ns && i % 2 === 0 ? ns : undefined;
    initial.push(decorate(manifest(b, name, wns), g.decos[i], g.runtime));
    m.objects.set(key(b.kind, wns ?? "default", name), { kind: b.kind, ns: wns ?? "default", name, body: b });
    const svc = g.services[i];
    if (svc && b.kind !== "CronJob") {
      const sname = m.fresh("svc");
      initial.push(serviceManifest(svc, sname, name, wns));
      m.objects.set(key("Service", wns ?? "default", sname), { kind: "Service", ns: wns ?? "default", name: sname });
    }
  });
  if (ns) {
    // After the workloads: a quota created first would refuse them all (its status is not known yet).
    for (const t of tenancyManifests(g.tenancy, ns)) {
      initial.push(t);
      m.objects.set(key(t.kind, ns, t.metadata.name), { kind: t.kind, ns, name: t.metadata.name });
    }
  }
  const workloads = g.workloadsInFile && initial.length ? [{ file: "manifests/initial.yaml" }] : initial.map((x) => ({ manifest: x }));
  if (g.workloadsInFile && initial.length) files["manifests/initial.yaml"] = initial;

  const timeline: Record<string, unknown>[] = [];
  // Resolved in time order (ties in generation order), as the loader replays them.
  type Step = (Intent & { i: number; fault?: undefined }) | { at: number; i: number; fault: FaultIntent };
  // Fault intents after the others at equal times.
  const intents: Step[] = [...g.intents.map((x, i) => ({ ...x, i })), ...g.faultIntents.map((f, j) => ({ at: f.at, i: g.intents.length + j, fault: f }))].sort((a, b) => a.at - b.at || a.i - b.i);
  const snapshots: { at: number; objects: { kind: string; ns: string; name: string }[]; nodes: string[] }[] = [];
  const snap = (at: number) => snapshots.push({ at, objects: [...m.objects.values()], nodes: [...m.nodes] });
  snap(0);
  for (const it of intents) {
    const at = goDuration(it.at);
    if (it.fault !== undefined) {
      const f = it.fault;
      const entry = faults.entry(f.action, f.at, m.nodes, f.pick, (f.spanSteps + 1) * 30_000, f.useUntil, m.of(["Deployment", "ReplicaSet", "Job", "CronJob", "Pod"]));
      if (entry) timeline.push(entry);
      snap(it.at);
      continue;
    }
    const pickFrom = <T>(xs: T[]) => xs[it.pick % xs.length];
    switch (it.action) {
      case "nodeFailure":
      case "nodeRecover": {
        const candidates = it.action === "nodeRecover" && m.failed.size ? [...m.failed] : m.nodes;
        if (!candidates.length) continue;
        const node = pickFrom(candidates);
        if (it.action === "nodeFailure") m.failed.add(node);
        else m.failed.delete(node);
        timeline.push({ at, action: it.action, node });
        break;
      }
      case "scale": {
        const xs = m.of(["Deployment", "ReplicaSet"]);
        if (!xs.length) continue;
        const o = pickFrom(xs);
        const aliases = o.kind === "Deployment" ? ["deployment", "deploy", "Deployment"] : ["replicaset", "rs"];
        const entry: Record<string, unknown> = { at, action: "scale", target: `${aliases[it.pick % aliases.length]}/${o.name}`, replicas: it.replicas };
        // An explicit `namespace: default` now and then, as users write it.
        if (o.ns !== "default" || it.update) entry.namespace = o.ns;
        timeline.push(entry);
        break;
      }
      case "delete": {
        const xs = m.of(["Deployment", "ReplicaSet", "Pod", "Job", "CronJob", "Namespace", "Service", "ResourceQuota", "LimitRange"]).filter((o) => o.kind !== "Namespace" || o.name !== "default");
        if (!xs.length) continue;
        const o = pickFrom(xs);
        const entry: Record<string, unknown> = { at, action: "delete", target: `${o.kind.toLowerCase()}/${o.name}` };
        if (o.kind !== "Namespace" && o.ns !== "default") entry.namespace = o.ns;
        if (it.propagation !== undefined) entry.propagationPolicy = it.propagation;
        m.objects.delete(key(o.kind, o.kind === "Namespace" ? "" : o.ns, o.name));
        if (o.kind === "Namespace") for (const [k, v] of [...m.objects]) if (v.ns === o.name) m.objects.delete(k);
        timeline.push(entry);
        break;
      }
      case "apply": {
        // Either a Deployment's new template (a rollout) or a new object; a changed Pod spec would be refused.
        const deployments = m.of(["Deployment"]);
        let man: Manifest;
        if (it.update && deployments.length) {
          const o = pickFrom(deployments);
          const body = { ...it.body, kind: "Deployment" as const };
          man = decorate(manifest(body, o.name, o.ns === "default" ? undefined : o.ns), it.deco, g.runtime);
          m.objects.set(key("Deployment", o.ns, o.name), { ...o, body });
        } else {
          const name = m.fresh(NAME_PREFIX[it.body.kind]);
          const nsOk = ns !== undefined && m.objects.has(key("Namespace", "", ns));
          const wns = nsOk && it.pick % 2 === 0 ? ns : undefined;
          man = decorate(manifest(it.body, name, wns), it.deco, g.runtime);
          m.objects.set(key(it.body.kind, wns ?? "default", name), { kind: it.body.kind, ns: wns ?? "default", name, body: it.body });
        }
        if (it.viaFile) {
          const file = `manifests/apply-${timeline.length}.yaml`;
          files[file] = [man];
          timeline.push({ at, action: "apply", file });
        } else {
          timeline.push({ at, action: "apply", manifest: man });
        }
        break;
      }
      case "addNodes": {
        const existing = [...m.pools.keys()];
        const total = m.nodes.length;
        const count = Math.max(1, Math.min(it.pool.count, 16 - total));
        if (total >= 16) continue;
        const preloaded = preloadedImages(g.runtime, it.preload);
        const extra = preloaded ? { preloadedImages: preloaded } : {};
        if (!it.newPool && existing.length) {
          const name = pickFrom(existing);
          timeline.push({ at, action: "addNodes", pool: { name, count, ...extra } });
          m.addPool({ ...m.pools.get(name)!.pool, count });
        } else {
          const name = `added-${m.pools.size}`;
          const pool: GenPool = { name, ...it.pool, count };
          timeline.push({ at, action: "addNodes", pool: { ...pool, ...extra } });
          m.addPool(pool);
        }
        break;
      }
    }
    snap(it.at);
  }

  // From the other actions only, so the fault intents left the scenarios before issue 10 as they were (a fault
  // after the end of the run is a load warning: it never runs).
  const base = intents.filter((x) => x.fault === undefined);
  const lastAt = base.length ? base[base.length - 1].at : 0;
  // Long enough to settle (replica-convergence is then checked), or any length at all.
  const duration = g.settle ? lastAt + 22 * 60_000 + g.tail : Math.max(60_000, lastAt + g.tail);
  const expect: Record<string, unknown>[] = [];
  for (const c of g.checks) {
    const t = c.atEnd ? duration : Math.floor(c.frac * duration / 1000) * 1000;
    // What exists at t, as the loader sees it: every action at or before t has run.
    const s = [...snapshots].reverse().find((x) => x.at <= t) ?? snapshots[0];
    const targets = [
      ...s.objects
        .filter((o) => o.kind === "Deployment" || o.kind === "ReplicaSet")
        .map((o) => ({ object: `${o.kind.toLowerCase()}/${o.name}`, ns: o.ns, field: REPLICA_FIELDS[c.value % REPLICA_FIELDS.length] })),
      ...s.nodes.map((n) => ({ object: `node/${n}`, ns: "default", field: "metadata.name" })),
    ];
    if (!targets.length) continue;
    const tg = targets[c.pick % targets.length];
    const value = tg.field === "metadata.name" ? tg.object.slice(5) : c.value;
    const entry: Record<string, unknown> = { object: tg.object, field: tg.field, [tg.field === "metadata.name" ? (c.op === "!=" ? "!=" : "==") : c.op]: value };
    if (!c.atEnd) entry.at = goDuration(t);
    if (tg.ns !== "default") entry.namespace = tg.ns;
    expect.push(entry);
  }

  const nodePools = g.pools.map((p, i) => {
    const preloaded = preloadedImages(g.runtime, g.runtime?.preload[i]);
    return preloaded ? { ...p, preloadedImages: preloaded } : p;
  });
  const spec: Record<string, unknown> = { seed: g.seed, duration: goDuration(duration), cluster: { nodePools } };
  const settings = { ...g.settings, ...g.runtime?.settings };
  if (Object.keys(settings).length) spec.settings = settings;
  if (g.runtime?.images.length) spec.images = g.runtime.images;
  const behaviors = behaviorsSection(g.runtime);
  if (behaviors.length) spec.behaviors = behaviors;
  if (workloads.length) spec.workloads = workloads;
  if (timeline.length) spec.timeline = timeline;
  const processes = faultProcesses(g.faultProcesses, g.pools);
  if (processes.length) spec.faults = processes;
  spec.metrics = { interval: g.interval };
  if (expect.length) spec.expect = expect;
  return { doc: { apiVersion: "k8sim.dev/v1alpha1", kind: "Scenario", metadata: { name: `generated-${g.seed % 100000}` }, spec }, files };
}
