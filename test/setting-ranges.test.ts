/**
 * Numeric ranges (issue 5, item 8): every number the schema takes has a maximum that keeps the simulation finite,
 * YAML's .inf and .nan are refused, and a short scenario runs with each numeric setting at its minimum and at its
 * maximum (durations included) without an internal error.
 */
import { afterAll, describe, expect, it } from "vitest";
import { simulate } from "../src/run.js";
import { formatDuration } from "../src/engine/duration.js";
import { loadScenario, MAX_STATUS_TICKS_PER_REPORT } from "../src/scenario/load.js";
import { deref, scenarioSchema, type SchemaNode } from "../src/scenario/schema.js";
import { DEFAULT_SETTINGS, DURATION_SETTINGS, POSITIVE_SETTINGS, type Settings } from "../src/settings.js";
import { cli } from "./helpers/cli.js";
import { removeScenarios, SCENARIOS, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const NODE_FAILURE = `${SCENARIOS}/node-failure.yaml`;
/** The longest duration the parser takes (Go's int64 nanoseconds, in whole milliseconds). */
const MAX_DURATION = "9223372036854ms";

/** Every schema node that takes a number, with its path, found by walking the whole schema. */
function numericNodes(): { path: string; node: SchemaNode }[] {
  const out: { path: string; node: SchemaNode }[] = [];
  const seen = new Set<SchemaNode>();
  const walk = (raw: SchemaNode, path: string) => {
    const n = deref(raw);
    if (seen.has(raw)) return;
    seen.add(raw);
    const types = Array.isArray(n.type) ? n.type : n.type ? [n.type] : [];
    if (types.includes("number") || types.includes("integer")) out.push({ path, node: n });
    for (const [k, c] of Object.entries(n.properties ?? {})) walk(c, `${path}.${k}`);
    if (n.items) walk(n.items, `${path}[]`);
    if (typeof n.additionalProperties === "object") walk(n.additionalProperties, `${path}.*`);
    for (const [i, b] of (n.allOf ?? []).entries()) {
      if (b.then) walk(b.then, `${path}(allOf ${i})`);
    }
    for (const b of n.oneOf ?? []) walk(b, path);
  };
  walk(scenarioSchema(), "");
  for (const [name, d] of Object.entries(scenarioSchema().definitions ?? {})) walk(d, `#/definitions/${name}`);
  return out;
}

describe("the schema bounds every number", () => {
  it("every integer or number field has a minimum and a maximum within ±2^53-1", () => {
    const nodes = numericNodes();
    expect(nodes.length).toBeGreaterThan(20);
    for (const { path, node } of nodes) {
      expect(node.maximum, `${path} has no maximum`).toBeTypeOf("number");
      expect(node.minimum, `${path} has no minimum`).toBeTypeOf("number");
      expect(Math.abs(node.maximum!), path).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    }
  });

  it.each([".inf", "-.inf", ".nan", "1e400"])("--set spec.settings.heartbeatJitterFactor=%s is refused with exit 2", async (v) => {
    const r = await cli("run", NODE_FAILURE, "--set", `spec.settings.heartbeatJitterFactor=${v}`);
    expect(r.code).toBe(2);
    const shown = v === "1e400" ? ".inf" : v;
    expect(r.err).toContain(`--set spec.settings.heartbeatJitterFactor=${v}: spec.settings.heartbeatJitterFactor: expected a number (a finite number), got ${shown}\n`);
  });

  it("--set spec.settings.heartbeatJitterFactor=1e308 is refused with exit 2, naming the range", async () => {
    const r = await cli("run", NODE_FAILURE, "--set", "spec.settings.heartbeatJitterFactor=1e308");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--set spec.settings.heartbeatJitterFactor=1e308: spec.settings.heartbeatJitterFactor: must be at most 10, got 1e+308\n");
  });

  it(".inf and .nan are refused in a count, a seed, a limit and an expectation", () => {
    for (const set of ["spec.cluster.nodePools.0.count=.inf", "spec.seed=.nan", "spec.limits.nodes=.inf", "spec.settings.unhealthyZoneThreshold=-.inf"]) {
      const r = loadScenario(NODE_FAILURE, { overrides: [set] });
      expect(!r.ok && r.errors.join("\n"), set).toMatch(/: expected an? (integer|number) \(a finite number\), got (\.inf|-\.inf|\.nan)$/);
    }
    const file = writeScenario(`apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: inf}
spec:
  duration: 1m
  expect:
    - {object: node/a-1, field: status.x, ">=": .inf}
`);
    const r = loadScenario(file);
    expect(!r.ok && r.errors).toContain(`${file}:7:49: spec.expect[0].>=: expected a number or a string (a finite number), got .inf`);
  });
});

const settingsSchema = scenarioSchema().properties!.spec!.properties!.settings!.properties!;

/** The minimum and maximum a setting may take, as the scenario writes them. */
function extremes(key: keyof Settings): [min: string | number, max: string | number] {
  // The lease duration's renew interval is a quarter of it, which must not be 0; the status report may be at most
  // a million status ticks (MAX_STATUS_TICKS_PER_REPORT), so its maximum is a million default update periods.
  if (key === "nodeLeaseDuration") return ["4ms", MAX_DURATION];
  if (key === "nodeStatusReportFrequency") return ["1ms", formatDuration(DEFAULT_SETTINGS.nodeStatusUpdateFrequency * MAX_STATUS_TICKS_PER_REPORT)];
  // A node's pod range lies inside the cluster's (10.128.0.0/9 by default), so its prefix is at least 9.
  if (key === "nodeCIDRMaskSize") return [9, 30];
  // The kubelet's back-offs are at least 1s (src/scenario/load.ts); the crash-loop maximum at most 5m, as upstream.
  if (key === "crashLoopBackOffMax") return ["1s", "5m"];
  if (key === "crashLoopBackOffInitial" || key === "crashLoopBackOffReset" || key === "imagePullBackOffInitial" || key === "imagePullBackOffMax") return ["1s", MAX_DURATION];
  if (DURATION_SETTINGS.has(key)) return [POSITIVE_SETTINGS.has(key) ? "1ms" : "0s", MAX_DURATION];
  const n = deref(settingsSchema[key]!);
  return [n.minimum!, n.maximum!];
}

/** A short scenario with a node failure, an eviction, a scale-up and a scale-down. */
function shortScenario(settings: Record<string, string | number>, seconds: number): string {
  const at = (f: number) => `${Math.round(seconds * f * 1000)}ms`;
  const lines = Object.entries(settings).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`);
  return `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: extremes}
spec:
  duration: ${seconds}s
  cluster:
    nodePools:
      - {name: worker, count: 3, capacity: {cpu: "4", memory: 16Gi}, labels: {topology.kubernetes.io/zone: zone-a}}
  settings:
${lines.length ? lines.join("\n") : "    {}"}
  workloads:
    - file: manifests/nginx.yaml
  timeline:
    - {at: ${at(1 / 8)}, action: nodeFailure, node: worker-1}
    - {at: ${at(1 / 4)}, action: scale, target: deployment/web, replicas: 12}
    - {at: ${at(1 / 2)}, action: scale, target: deployment/web, replicas: 2}
    - {at: ${at(3 / 4)}, action: nodeRecover, node: worker-1}
`;
}

function runSettings(settings: Record<string, string | number>, seconds = 40): void {
  const r = loadScenario(writeScenario(shortScenario(settings, seconds)));
  if (!r.ok) throw new Error(r.errors.join("\n"));
  const out = simulate(r.scenario);
  expect(out.summary.simulatedMs).toBe(seconds * 1000);
}

describe("a short run with each numeric setting at its minimum and at its maximum", () => {
  // Strings and lists have no extremes; test/settings-lists.test.ts covers them.
  const keys = (Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]).filter((k) => typeof DEFAULT_SETTINGS[k] === "number");
  it.each(keys.flatMap((k) => [[k, "minimum"], [k, "maximum"]] as const))("%s at its %s", (key, which) => {
    const [min, max] = extremes(key);
    runSettings({ [key]: which === "minimum" ? min : max });
  });

  it("every setting at its minimum at once", { timeout: 60_000 }, () => {
    // Every period at 1ms makes about 50,000 events per simulated second: a short run says enough.
    runSettings(Object.fromEntries(keys.map((k) => [k, extremes(k)[0]])), 12);
  });

  it("every setting at its maximum at once", { timeout: 60_000 }, () => {
    runSettings(Object.fromEntries(keys.map((k) => [k, extremes(k)[1]])));
  });

  it("a status report frequency beyond a million update periods is refused, naming both", () => {
    const r = loadScenario(NODE_FAILURE, { overrides: ["spec.settings.nodeStatusReportFrequency=2562047h"] });
    expect(!r.ok && r.errors).toEqual([
      "--set spec.settings.nodeStatusReportFrequency=2562047h: spec.settings.nodeStatusReportFrequency: nodeStatusReportFrequency (2562047h) may be at most 1,000,000 x nodeStatusUpdateFrequency (10s), that is 2777h46m40s",
    ]);
  });

  it("the CLI exits 0 or 1, never 3, with the issue's settings at their maximum", async () => {
    for (const set of ["spec.settings.heartbeatJitterFactor=10", `spec.settings.nodeMonitorPeriod=2562047h`, `spec.settings.podStartLatency=2562047h`]) {
      const r = await cli("run", NODE_FAILURE, "--set", set, "--out", writeScenario("") + ".out");
      expect([0, 1], `${set}: ${r.err}`).toContain(r.code);
    }
  });
});
