/**
 * Issue 10's measurement: a 500-node, 15,000-pod cluster over 24 simulated hours with node failures (each node
 * fails after an exponential time of mean `mtbfHours` and recovers after 10 minutes: a spec.faults nodeFailure
 * process), container logs at one line per container per minute and a rolling
 * update of every Deployment each hour, run through the real CLI into a report folder; then the wall time of
 * `k8sim get pods --at 23h -A` and `k8sim describe node/... --at 23h` on that folder, and the folder's size.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../cli/main.js", import.meta.url));

function seconds(t0: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - t0) / 1e7) / 100;
}

/** The scenario YAML of the measurement. */
export function inspectScenario(nodes: number, pods: number, hours: number, mtbfHours: number): string {
  const deployments = Math.max(1, Math.round(pods / 1000));
  const timeline: string[] = [];
  const deployment = (d: number, version: number) =>
    `{apiVersion: apps/v1, kind: Deployment, metadata: {name: app-${d}}, spec: {replicas: ${Math.min(1000, pods - d * 1000)}, selector: {matchLabels: {app: app-${d}}}, template: {metadata: {labels: {app: app-${d}}}, spec: {containers: [{name: c, image: "busybox:1.${version}", resources: {requests: {cpu: 100m, memory: 128Mi}}}]}}}}`;
  for (let h = 1; h < hours; h++) {
    for (let d = 0; d < deployments; d++) timeline.push(`    - {at: ${h}h, action: apply, manifest: ${deployment(d, h)}}`);
  }
  return [
    "apiVersion: k8sim.dev/v1alpha1",
    "kind: Scenario",
    "metadata: {name: inspect-bench}",
    "spec:",
    "  seed: 1",
    `  duration: ${hours}h`,
    "  cluster:",
    `    nodePools: [{name: node, count: ${nodes}, capacity: {cpu: "16", memory: 64Gi, pods: "110"}}]`,
    "  behaviors:",
    "    - {name: logs, selector: {}, logs: {start: starting, every: 1m, line: \"request {n} ok\"}}",
    "  metrics: {interval: 5m}",
    "  workloads:",
    ...Array.from({ length: deployments }, (_, d) => `    - manifest: ${deployment(d, 0)}`),
    // MTBF per node, 10-minute repairs: a spec.faults process (stream "1/faults/node-failures/<node>").
    "  faults:",
    `    - {name: node-failures, type: nodeFailure, mtbf: exponential(${mtbfHours}h), mttr: 10m}`,
    ...(timeline.length ? ["  timeline:", ...timeline] : []),
    "",
  ].join("\n");
}

/** Times `get pods --at AT -A` and `describe node/node-1 --at AT` on a run folder (each a fresh process). */
export function timeQueries(out: string, at: string): Record<string, unknown> {
  const time = (args: string[]) => {
    const t0 = process.hrtime.bigint();
    try {
      const text = execFileSync(process.execPath, [MAIN, ...args], { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
      return { seconds: seconds(t0), lines: text.split("\n").length - 1 };
    } catch (e) {
      return { seconds: seconds(t0), error: String((e as { stderr?: unknown }).stderr ?? e).slice(0, 300) };
    }
  };
  return { getPods: time(["get", "pods", out, "--at", at, "-A"]), describeNode: time(["describe", "node/node-1", out, "--at", at]) };
}

/** Runs the measurement; returns its figures. */
export function inspectBench(nodes: number, pods: number, hours: number, mtbfHours: number): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), "k8sim-bench-inspect-"));
  try {
    const file = join(dir, "scenario.yaml");
    writeFileSync(file, inspectScenario(nodes, pods, hours, mtbfHours));
    const out = join(dir, "report");
    const t0 = process.hrtime.bigint();
    execFileSync(process.execPath, [MAIN, "run", file, "--out", out, "--limit", "eventsPerInstant=100000000"], { stdio: ["ignore", "ignore", "inherit"] });
    const runSeconds = seconds(t0);
    const sizes: Record<string, number> = {};
    for (const f of readdirSync(out).sort()) sizes[f] = statSync(join(out, f)).size;
    const at = `${hours - 1}h`;
    return { nodes, pods, hours, runSeconds, folderBytes: Object.values(sizes).reduce((a, b) => a + b, 0), sizes, ...timeQueries(out, `${hours - 1}h`) };
  } finally {
    // K8SIM_BENCH_KEEP=1 keeps the run folder to time more queries on it (`node dist/bench/run.js inspect-queries DIR`).
    if (process.env.K8SIM_BENCH_KEEP === "1") console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
