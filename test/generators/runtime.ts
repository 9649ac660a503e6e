/**
 * Generated workload-model features (issue 7) for the scenario generator: behavior profiles (crash loops with
 * exit codes, runFor distributions, probe failure windows, memory growth to an OOM kill, logs), behavior
 * annotations on pods and pod templates, an image catalog (sizes, pull times, missing images) with preloadedImages
 * on pools, the runtime settings (back-offs, image pulls, nodeBootDuration), and pod decorations: init containers,
 * sidecars, probes, memory limits, `sleep N` commands, image pull policies and restartPolicy Never / OnFailure on
 * bare Pods. Everything stays valid (the loader must accept every generated file) and small: short runs of events
 * per container, back-offs of a second or more, log lines no more often than every 10s.
 */
import fc from "fast-check";
import { rarely } from "./rarely.js";
import type { Manifest } from "./workloads.js";

/** The image of generated sidecars (the app images are workloads.ts's). */
export const SIDECAR_IMAGE = "envoy:1.30";
/** Images the catalog may list: the workload generator's, the init containers' (busybox) and the sidecars'. */
export const CATALOG_IMAGES = ["nginx:1.27", "nginx:1.28", "busybox:1.36", SIDECAR_IMAGE] as const;
/** Values of the `tier` label decorated pods carry and profiles select ("none" is carried by no pod). */
export const TIERS = ["crash", "probe", "oom", "logs", "slow"] as const;
type Tier = (typeof TIERS)[number];

/** A memory use that passes every limit the generators set (at most 3Gi). */
const OVER_ANY_LIMIT = "8Gi";

const RUN_FOR = ["5s", "30s", "2m", "exponential(20s)", "uniform(5s, 30s)", "lognormal(10s, 0.5)", "weibull(30s, 1.5)", "empirical(5s, 10s, 1m)", "0s"];
const SHORT = ["0s", "100ms", "1s", "uniform(0s, 2s)", "exponential(500ms)", "lognormal(1s, 0.3)", "weibull(1s, 2)", "empirical(0s, 3s)"];
const EXIT_CODES = [0, 1, 2, 137, 255];

const windowArb = fc.record({ from: fc.constantFrom("0s", "10s", "30s", "2m"), for: fc.constantFrom("5s", "30s", "1m") }, { requiredKeys: ["from"] });
const windowsArb = fc.array(windowArb, { minLength: 1, maxLength: 2 });
/** Memory use over a limit at once (killed at the start), or growing past it by 30s, 2m or 10m. */
const growthArb = fc
  .constantFrom("0s", "30s", "2m", "10m")
  .map((at) => (at === "0s" ? [{ at, usage: OVER_ANY_LIMIT }] : [{ at: "0s", usage: "10Mi" }, { at, usage: OVER_ANY_LIMIT }]));
const logsArb = fc.record(
  {
    periodic: fc.option(fc.constantFrom("10s", "30s", "1m"), { nil: undefined }),
    start: fc.constantFrom("starting {container} (restart {restart})"),
    ready: fc.constantFrom("ready on {pod}"),
    exit: fc.constantFrom("exiting with {exitCode} ({reason})"),
  },
  { requiredKeys: ["periodic"] },
).map(({ periodic, ...rest }) => ({ ...rest, ...(periodic ? { every: periodic, line: "processed batch {n} in {namespace}" } : {}) }));

/** A behavior body (profile keys or annotation values) for pods of a tier. */
const bodyArb = (tier: Tier): fc.Arbitrary<Record<string, unknown>> => {
  switch (tier) {
    case "crash":
      return fc.record(
        { runFor: fc.constantFrom(...RUN_FOR), exitCode: fc.constantFrom(...EXIT_CODES), exitCodes: fc.array(fc.constantFrom(...EXIT_CODES), { minLength: 1, maxLength: 3 }), startLatency: fc.constantFrom(...SHORT), logs: logsArb },
        { requiredKeys: ["runFor"] },
      );
    case "probe":
      return fc.record({ readinessFailures: windowsArb, livenessFailures: windowsArb, startupFailures: windowsArb }, { requiredKeys: [] });
    case "oom":
      return fc.record({ memory: growthArb });
    case "logs":
      return fc.record({ logs: logsArb });
    case "slow":
      return fc.record({ startLatency: fc.constantFrom(...SHORT), stopAfter: fc.constantFrom(...SHORT, "45s") }, { requiredKeys: [] });
  }
};

/** One spec.behaviors entry (named by the caller). */
export interface GenProfile {
  /** The tier its body was made for and its selector selects (not written; "none" selects nothing). */
  tier: Tier | "none" | "all";
  selector: Record<string, unknown>;
  namespaces?: string[];
  container?: string;
  body: Record<string, unknown>;
}

const profileArb: fc.Arbitrary<GenProfile> = fc
  .record({
    tier: fc.constantFrom(...TIERS),
    style: fc.constantFrom("labels", "labels", "labels", "expression", "expression", "nothing", "everything"),
    other: fc.constantFrom(...TIERS),
    namespaces: rarely(fc.constantFrom<string[]>(["team-a"], ["default"], ["default", "team-a"]), 4),
    container: rarely(fc.constantFrom("app", "app", "sidecar", "init-0"), 4),
  })
  .chain(({ tier, style, other, namespaces, container }) =>
    bodyArb(tier).map((body): GenProfile => {
      const selector =
        style === "labels"
          ? { matchLabels: { tier } }
          : style === "expression"
            ? { matchExpressions: [{ key: "tier", operator: "In", values: [...new Set([tier, other])] }] }
            : style === "nothing"
              ? { matchLabels: { tier: "none" } }
              : {};
      return { tier: style === "nothing" ? "none" : style === "everything" ? "all" : tier, selector, ...(namespaces ? { namespaces } : {}), ...(container ? { container } : {}), body };
    }),
  );

/** A probe as a container writes it (exec: the simulated program answers by its failure windows). */
const probeArb = (liveOrStartup: boolean) =>
  fc
    .record({ periodSeconds: fc.integer({ min: 1, max: 10 }), failureThreshold: fc.integer({ min: 1, max: 3 }), initialDelaySeconds: fc.constantFrom(0, 0, 3), successThreshold: fc.integer({ min: 1, max: 2 }) })
    .map((p) => ({ exec: { command: ["cat", "/tmp/healthy"] }, ...p, successThreshold: liveOrStartup ? 1 : p.successThreshold }));

/** What a decorated pod (or pod template) gets besides workloads.ts's spec. */
export interface PodDeco {
  tier: Tier | undefined;
  /** Regular init containers init-0, init-1: how long each runs and how it exits (by annotation, or `sleep N`). */
  init: { runFor: string; exitCode: number; sleep: boolean }[];
  /** A sidecar (restartPolicy Always init container), with a startup probe or not, before or after init-N. */
  sidecar: { startupProbe: Record<string, unknown> | undefined; first: boolean } | undefined;
  readinessProbe: Record<string, unknown> | undefined;
  livenessProbe: Record<string, unknown> | undefined;
  startupProbe: Record<string, unknown> | undefined;
  /** Bare Pods only (a template's must be Always). */
  restartPolicy: "Always" | "OnFailure" | "Never" | undefined;
  /** A memory limit on the app container, so that memory growth (tier oom, or the annotation) kills it. */
  memoryLimit: boolean;
  /** Behavior annotations: for every container ("") or for the app container ("app"). */
  annotate: { scope: "" | "app"; body: Record<string, unknown> } | undefined;
  /** `command: [sleep, N]` on the app container (runs N seconds when no behavior sets runFor). */
  sleep: number | undefined;
  pullPolicy: "Always" | "IfNotPresent" | "Never" | undefined;
}

/** Decorations of one workload; undefined (no decoration) about half the time. */
export const podDecoArb: fc.Arbitrary<PodDeco | undefined> = fc.option(
  fc
    .record({
      tier: fc.option(fc.constantFrom(...TIERS), { nil: undefined, freq: 4 }),
      init: fc.array(fc.record({ runFor: fc.constantFrom("0s", "1s", "5s", "uniform(1s, 3s)"), exitCode: fc.constantFrom(0, 0, 0, 1), sleep: fc.boolean() }), { maxLength: 2 }),
      sidecar: rarely(fc.record({ startupProbe: fc.option(probeArb(true), { nil: undefined }), first: fc.boolean() }), 3),
      readinessProbe: rarely(probeArb(false), 2),
      livenessProbe: rarely(probeArb(true), 3),
      startupProbe: rarely(probeArb(true), 4),
      restartPolicy: fc.option(fc.constantFrom("Always" as const, "OnFailure" as const, "Never" as const), { nil: undefined }),
      memoryLimit: fc.boolean(),
      annotateTier: rarely(fc.tuple(fc.constantFrom("" as const, "app" as const), fc.constantFrom(...TIERS)), 3),
      sleep: rarely(fc.constantFrom(5, 30, 90), 5),
      pullPolicy: rarely(fc.constantFrom("Always" as const, "IfNotPresent" as const, "Never" as const), 6),
    })
    .chain(({ annotateTier, ...d }) =>
      (annotateTier ? bodyArb(annotateTier[1]).map((body) => ({ scope: annotateTier[0], body })) : fc.constant(undefined)).map((annotate): PodDeco => ({ ...d, annotate })),
    ),
  { nil: undefined, freq: 2 },
);

/** One spec.images entry. */
export interface GenImage {
  image: string;
  size?: string;
  pullTime?: string;
  missing?: boolean;
}

/** The workload-model part of a scenario: catalog, profiles and settings. */
export interface GenRuntime {
  images: GenImage[];
  /** Per pool (by index, wrapping), which catalog images it preloads (bit j: the j-th catalog entry). */
  preload: number[];
  profiles: GenProfile[];
  settings: Record<string, unknown>;
}

const imageArb = (image: string): fc.Arbitrary<GenImage> =>
  fc
    .record({
      size: fc.option(fc.constantFrom("0", "5Mi", "100Mi", "1Gi"), { nil: undefined }),
      pullTime: rarely(fc.constantFrom("2s", "uniform(1s, 10s)", "exponential(5s)", "lognormal(3s, 1)"), 3),
      missing: rarely(fc.constant(true), 8),
    })
    .map((e) => Object.fromEntries(Object.entries({ image, ...e }).filter(([, v]) => v !== undefined)) as unknown as GenImage);

const runtimeSettingsArb = fc.record(
  {
    crashLoopBackOffInitial: fc.constantFrom("1s", "10s"),
    crashLoopBackOffMax: fc.constantFrom("5s", "1m", "5m"),
    crashLoopBackOffReset: fc.constantFrom("30s", "10m"),
    imagePullBackOffInitial: fc.constantFrom("1s", "10s"),
    imagePullBackOffMax: fc.constantFrom("30s", "5m"),
    serializeImagePulls: fc.boolean(),
    maxParallelImagePulls: fc.constantFrom(0, 1, 3),
    imagePullBandwidth: fc.constantFrom("1Mi", "50Mi", "1Gi"),
    defaultImageSize: fc.constantFrom("0", "10Mi", "100Mi", "2Gi"),
    nodeBootDuration: fc.constantFrom("0s", "30s", "uniform(10s, 1m)", "lognormal(90s, 0.2)", "exponential(20s)", "weibull(45s, 2)", "empirical(5s, 2m)"),
  },
  { requiredKeys: [] },
);

/** The workload-model part; undefined (none of it) about half the time. */
export const runtimeArb: fc.Arbitrary<GenRuntime | undefined> = fc.option(
  fc.record({
    images: fc.subarray([...CATALOG_IMAGES]).chain((names) => (names.length ? fc.tuple(...names.map(imageArb)) : fc.constant([] as GenImage[]))),
    preload: fc.array(fc.nat(15), { maxLength: 3 }),
    profiles: fc.array(profileArb, { maxLength: 3 }),
    settings: runtimeSettingsArb,
  }),
  { nil: undefined, freq: 2 },
);

/** The catalog images a pool preloads, from its bitmask (undefined: it lists none). */
export function preloadedImages(rt: GenRuntime | undefined, mask: number | undefined): string[] | undefined {
  if (!rt || mask === undefined || rt.images.length === 0) return undefined;
  const names = rt.images.filter((_, j) => (mask >> j) & 1).map((e) => e.image);
  return names.length ? names : undefined;
}

/** spec.behaviors: the profiles, named b-0, b-1, ... */
export function behaviorsSection(rt: GenRuntime | undefined): Record<string, unknown>[] {
  return (rt?.profiles ?? []).map((p, i) => ({ name: `b-${i}`, selector: p.selector, ...(p.namespaces ? { namespaces: p.namespaces } : {}), ...(p.container ? { container: p.container } : {}), ...p.body }));
}

/** The tier a decorated pod carries: one a profile selects when there is one (so most profiles match a pod). */
function tierOf(d: PodDeco, rt: GenRuntime | undefined): Tier | undefined {
  if (d.tier === undefined) return undefined;
  const selected = (rt?.profiles ?? []).map((p) => p.tier).filter((t): t is Tier => (TIERS as readonly string[]).includes(t));
  return selected.length ? selected[TIERS.indexOf(d.tier) % selected.length] : d.tier;
}

/** A behavior value as an annotation's text: distributions and exit codes plain, lists and mappings as flow YAML. */
function annotationText(v: unknown): string {
  return typeof v === "string" || typeof v === "number" ? String(v) : JSON.stringify(v);
}

/**
 * `m` with `d` applied to its pod (a Pod's own spec, a workload's template): labels, containers, probes,
 * annotations; the tier label is one of `rt`'s profiles' when it has any. A copy; `m` is not changed.
 */
export function decorate(m: Manifest, d: PodDeco | undefined, rt: GenRuntime | undefined): Manifest {
  if (!d) return m;
  const out = structuredClone(m) as Manifest & { spec: Record<string, unknown> };
  const isPod = out.kind === "Pod";
  const templateOf = () => (out.kind === "CronJob" ? ((out.spec.jobTemplate as Record<string, Record<string, unknown>>).spec!.template as Record<string, unknown>) : (out.spec.template as Record<string, unknown>));
  const template = (isPod ? out : templateOf()) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  const meta = template.metadata;
  const spec = template.spec as { containers: Record<string, unknown>[]; initContainers?: Record<string, unknown>[]; restartPolicy?: string };
  const tier = tierOf(d, rt);
  if (tier) meta.labels = { ...(meta.labels as Record<string, string>), tier };
  const annotations: Record<string, string> = {};
  const app = spec.containers[0]!;
  const keys = Object.keys(d.annotate?.body ?? {});
  // Pods of the probe tier (or with failure windows by annotation) have the probes the windows act on; those of the
  // oom tier (or with memory by annotation) a limit the growth passes.
  const probed = tier === "probe" || keys.some((k) => k.endsWith("Failures"));
  const limited = d.memoryLimit || tier === "oom" || keys.includes("memory");
  const probe = (p: Record<string, unknown> | undefined, fallback: boolean) => p ?? (fallback ? { exec: { command: ["cat", "/tmp/healthy"] }, periodSeconds: 5, failureThreshold: 2 } : undefined);
  const readiness = probe(d.readinessProbe, probed);
  const liveness = probe(d.livenessProbe, probed);
  if (readiness) app.readinessProbe = readiness;
  if (liveness) app.livenessProbe = liveness;
  if (d.startupProbe) app.startupProbe = d.startupProbe;
  if (d.sleep !== undefined) app.command = ["sleep", String(d.sleep)];
  if (d.pullPolicy) app.imagePullPolicy = d.pullPolicy;
  if (limited) {
    const resources = (app.resources ?? {}) as { requests?: Record<string, string>; limits?: Record<string, string> };
    // Equal to the request when there is one (a limit below it is invalid), else 256Mi (the request defaults to it).
    resources.limits = { ...resources.limits, memory: resources.limits?.memory ?? resources.requests?.memory ?? "256Mi" };
    app.resources = resources;
  }
  const init: Record<string, unknown>[] = d.init.map((c, i) => {
    const name = `init-${i}`;
    if (c.sleep && c.exitCode === 0 && /^\d+s$/.test(c.runFor)) return { name, image: "busybox:1.36", command: ["sh", "-c", `sleep ${c.runFor.slice(0, -1)}`] };
    annotations[`behavior.k8sim.dev/${name}.runFor`] = c.runFor;
    if (c.exitCode !== 0) annotations[`behavior.k8sim.dev/${name}.exitCode`] = String(c.exitCode);
    return { name, image: "busybox:1.36" };
  });
  if (d.sidecar) {
    const sidecar = { name: "sidecar", image: SIDECAR_IMAGE, restartPolicy: "Always", ...(d.sidecar.startupProbe ? { startupProbe: d.sidecar.startupProbe } : {}) };
    if (d.sidecar.first) init.unshift(sidecar);
    else init.push(sidecar);
  }
  if (init.length) spec.initContainers = init;
  if (isPod && d.restartPolicy) spec.restartPolicy = d.restartPolicy;
  if (d.annotate) {
    const prefix = d.annotate.scope === "" ? "behavior.k8sim.dev/" : `behavior.k8sim.dev/${d.annotate.scope}.`;
    for (const [k, v] of Object.entries(d.annotate.body)) annotations[`${prefix}${k}`] = annotationText(v);
  }
  if (Object.keys(annotations).length) meta.annotations = { ...(meta.annotations as Record<string, string>), ...annotations };
  return out;
}
