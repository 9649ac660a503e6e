/**
 * Load-time size limits (issue 5, item 2): every reproduction of the issue ends in exit 2 with a message at the
 * offending value that names the limit and how to raise it, before anything proportional to the size is built.
 */
import { deploymentYaml } from "./fixtures/manifests.js";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, parseLimitFlags, resolveLimits, scenarioFileSizeLimit } from "../src/scenario/limits.js";
import { loadScenario } from "../src/scenario/load.js";
import { cli } from "./helpers/cli.js";
import { removeScenarios, SCENARIOS, writeScenario } from "./helpers/scenario-tmp.js";

const NODE_FAILURE = `${SCENARIOS}/node-failure.yaml`;

afterAll(removeScenarios);

/** Runs `k8sim run` on node-failure.yaml with extra flags; returns exit code and stderr. */
async function runWith(...flags: string[]) {
  return cli("run", NODE_FAILURE, "--out", "/nonexistent-never-written", ...flags);
}

const SCENARIO = (extra = "", workloads = "    - file: manifests/nginx.yaml", timeline = "") => `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: limits}
spec:
  duration: 15m
  cluster:
    nodePools:
      - {name: worker, count: 3, capacity: {cpu: "4", memory: 16Gi}}
  workloads:
${workloads}
  timeline:
    - {at: 1m, action: nodeFailure, node: worker-1}
${timeline}${extra}`;

describe("nodes limit", () => {
  it.each(["1000000000", "4294967296"])("--set spec.cluster.nodePools.0.count=%s: exit 2, names the limit and how to raise it", async (count) => {
    const r = await runWith("--set", `spec.cluster.nodePools.0.count=${count}`);
    expect(r.code).toBe(2);
    const total = Number(count).toLocaleString("en-US");
    expect(r.err).toContain(
      `--set spec.cluster.nodePools.0.count=${count}: spec.cluster.nodePools[0].count: the cluster would have ${total} nodes (every pool's count up to this one), more than the nodes limit of 50,000; raise it with spec.limits.nodes or --limit nodes=<value>`,
    );
    expect(r.err).not.toMatch(/internal error|Invalid array length/);
  });

  it("counts every addNodes, and reports at the count that crosses the limit", () => {
    const file = writeScenario(SCENARIO("", "    - file: manifests/nginx.yaml", "    - {at: 2m, action: addNodes, pool: {name: worker, count: 40000}}\n    - {at: 3m, action: addNodes, pool: {name: extra, count: 10000, capacity: {cpu: 1, memory: 1Gi}}}\n"));
    const r = loadScenario(file);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([
      `${file}:14:61: spec.timeline[2].pool.count: the cluster would have 50,003 nodes (every pool's count plus every addNodes up to this one), more than the nodes limit of 50,000; raise it with spec.limits.nodes or --limit nodes=<value>`,
    ]);
  });

  it("spec.limits.nodes and --limit nodes raise it; the flag wins", () => {
    const file = writeScenario(SCENARIO("  limits: {nodes: 2}\n"));
    const r = loadScenario(file);
    expect(!r.ok && r.errors[0]).toMatch(/spec.cluster.nodePools\[0\].count: the cluster would have 3 nodes .*more than the nodes limit of 2;/);
    const raised = loadScenario(file, { limits: ["nodes=3"] });
    expect(raised.ok && raised.scenario.limits.nodes).toBe(3);
  });

  it("--set spec.limits.nodes lowers it like the file would", () => {
    const r = loadScenario(NODE_FAILURE, { overrides: ["spec.limits.nodes=2"] });
    expect(!r.ok && r.errors).toEqual([
      `${NODE_FAILURE}:17:16: spec.cluster.nodePools[0].count: the cluster would have 3 nodes (every pool's count up to this one), more than the nodes limit of 2; raise it with spec.limits.nodes or --limit nodes=<value>`,
    ]);
  });

  it("a billion nodes under a raised limit load without building a billion names", () => {
    const t0 = performance.now();
    const r = loadScenario(NODE_FAILURE, { overrides: ["spec.cluster.nodePools.0.count=1000000000"], limits: ["nodes=1000000000"] });
    expect(r.ok).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe("pods limit", () => {
  it("replicas: 10000000 in a manifest file: exit 2 at the object, naming the limit", async () => {
    const big = deploymentYaml({ app: "huge", replicas: 10_000_000 });
    const file = writeScenario(SCENARIO("", "    - file: huge.yaml"), { "huge.yaml": big });
    const r = await cli("validate", file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "huge.yaml:1:1: Deployment default/huge with spec.replicas 10,000,000 makes 10,000,000 pods declared by the scenario (each Deployment's and ReplicaSet's largest replicas plus bare Pods), more than the pods limit of 1,000,000; raise it with spec.limits.pods or --limit pods=<value>",
    );
  });

  it("an inline manifest is reported at its spec.replicas", () => {
    const inline = "    - manifest: {apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: rs}, spec: {replicas: 10000000, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}}";
    const file = writeScenario(SCENARIO("", inline));
    const r = loadScenario(file);
    expect(!r.ok && r.errors).toEqual([
      `${file}:10:96: ReplicaSet default/rs with spec.replicas 10,000,000 makes 10,000,000 pods declared by the scenario (each Deployment's and ReplicaSet's largest replicas plus bare Pods), more than the pods limit of 1,000,000; raise it with spec.limits.pods or --limit pods=<value>`,
    ]);
  });

  it("a scale action's replicas: exit 2 at the replicas, naming the limit", async () => {
    const file = writeScenario(SCENARIO("", "    - file: manifests/nginx.yaml", "    - {at: 2m, action: scale, target: deployment/web, replicas: 10000000}\n"));
    const r = await cli("run", file, "--out", "/nonexistent-never-written");
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${file}:13:65: scaling Deployment default/web to 10,000,000 replicas at 2m makes 10,000,000 pods declared by the scenario (each Deployment's and ReplicaSet's largest replicas plus bare Pods), more than the pods limit of 1,000,000; raise it with spec.limits.pods or --limit pods=<value>`,
    );
  });

  it("counts each workload at its largest replicas, plus bare Pods", () => {
    const file = writeScenario(SCENARIO("  limits: {pods: 10}\n", "    - file: manifests/nginx.yaml\n    - manifest: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: i}]}}", "    - {at: 2m, action: scale, target: deployment/web, replicas: 9}\n    - {at: 3m, action: scale, target: deployment/web, replicas: 2}\n"));
    // web's largest is 9, plus the Pod: 10 pods, within the limit.
    expect(loadScenario(file).ok).toBe(true);
    const r = loadScenario(file, { limits: ["pods=9"] });
    expect(!r.ok && r.errors[0]).toContain("scaling Deployment default/web to 9 replicas at 2m makes 10 pods declared by the scenario");
  });
});

describe("objects, metricsSamples and duration limits", () => {
  it("objects: counts every manifest, initial and applied", () => {
    const file = writeScenario(SCENARIO("", "    - file: manifests/nginx.yaml"));
    const r = loadScenario(file, { limits: ["objects=1"] });
    expect(!r.ok && r.errors.join("\n")).toMatch(/makes 2 objects in the scenario's manifests, more than the objects limit of 1; raise it with spec.limits.objects or --limit objects=<value>/);
  });

  it("--set spec.metrics.interval=1ms with duration=1h: exit 2 at the interval, naming metricsSamples", async () => {
    const r = await runWith("--set", "spec.metrics.interval=1ms", "--set", "spec.duration=1h");
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "--set spec.metrics.interval=1ms: spec.metrics.interval: this interval over spec.duration 1h makes 3,600,001 metrics samples, more than the metricsSamples limit of 500,000; raise it with spec.limits.metricsSamples or --limit metricsSamples=<value> (or sample less often: a longer spec.metrics.interval)",
    );
  });

  it("spec.duration above the duration limit: exit 2, naming it", async () => {
    const r = await runWith("--set", "spec.duration=8785h", "--set", "spec.metrics.interval=1h");
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "--set spec.duration=8785h: spec.duration: 8785h is longer than allowed, more than the duration limit of 8784h; raise it with spec.limits.duration or --limit duration=<value>",
    );
    const ok = loadScenario(NODE_FAILURE, { overrides: ["spec.duration=8785h", "spec.metrics.interval=1h"], limits: ["duration=9000h"] });
    expect(ok.ok).toBe(true);
  });
});

describe("resolving limits", () => {
  it("defaults, then spec.limits, then --limit", () => {
    const file = writeScenario(SCENARIO("  limits: {nodes: 7, fileSize: 1Mi, duration: 1h, memory: 2Gi}\n"));
    const r = loadScenario(file, { limits: ["nodes=8", "pods=50"] });
    expect(r.ok && r.scenario.limits).toEqual({ ...DEFAULT_LIMITS, nodes: 8, pods: 50, fileSize: 2 ** 20, duration: 3_600_000, memory: 2 ** 31 });
    expect(resolveLimits({ nodes: 1 }, { nodes: 2 }).nodes).toBe(2);
  });

  it("bad --limit values are errors, reported as `--limit text: ...` with exit 2", async () => {
    const r = await runWith("--limit", "nodes=lots", "--limit", "bogus=1", "--limit", "fileSize=1.5");
    expect(r.code).toBe(2);
    expect(r.err).toContain('--limit nodes=lots: expected a whole number from 0 to 2^53-1, got "lots"\n');
    expect(r.err).toContain("--limit bogus=1: expected name=value with a name among nodes, pods, objects, metricsSamples, duration, fileSize, memory, eventsPerInstant\n");
    expect(r.err).toContain('--limit fileSize=1.5: expected a whole number of bytes >= 0 such as 67108864, 64Mi or 2Gi, got "1.5"\n');
    const v = await cli("validate", NODE_FAILURE, "--limit", "nodes=lots");
    expect(v.code).toBe(2);
    expect(v.err).toContain('--limit nodes=lots: expected a whole number from 0 to 2^53-1, got "lots"\n');
  });

  it("bad spec.limits values are reported at them, once", () => {
    const file = writeScenario(SCENARIO("  limits: {nodes: -1, fileSize: lots, duration: 1500us}\n"));
    const r = loadScenario(file);
    expect(!r.ok && r.errors).toEqual([
      `${file}:13:19: spec.limits.nodes: must be at least 0, got -1`,
      `${file}:13:33: spec.limits.fileSize: expected a whole number of bytes >= 0 such as 67108864, 64Mi or 2Gi, got "lots"`,
      `${file}:13:49: spec.limits.duration: invalid duration "1500us": not a whole number of milliseconds (the simulation's time resolution); expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)`,
    ]);
  });

  it("the scenario file's own fileSize limit comes from --limit only", () => {
    expect(scenarioFileSizeLimit([])).toBe(DEFAULT_LIMITS.fileSize);
    expect(scenarioFileSizeLimit(["fileSize=1Gi"])).toBe(2 ** 30);
    expect(scenarioFileSizeLimit(["fileSize=bad"])).toBe(DEFAULT_LIMITS.fileSize);
    expect(parseLimitFlags(["memory=1Gi", "memory=2Gi"]).limits.memory).toBe(2 ** 31);
  });
});
