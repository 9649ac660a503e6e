/**
 * Whole-cluster benchmark: N nodes and P pods (P / 1000 Deployments of 1,000 replicas) simulated for a duration
 * with default heartbeats, built as a Scenario object so that YAML loading is not timed.
 */
import { DEFAULT_LIMITS } from "../scenario/limits.js";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CHANGE_LOG_FILE } from "../changelog/format.js";
import { ChangeLogStream } from "../changelog/stream.js";
import { simulate, startRun } from "../run.js";
import type { LoadedManifest, Scenario } from "../scenario/types.js";

/**
 * The fields every benchmark scenario shares: seed 1 from 2026-01-01, `nodes` nodes of 16 CPUs / 64Gi / 110 pods in
 * one pool, no expectations, no images; the caller adds its workloads, timeline, settings and metrics interval.
 */
export function benchScenarioBase(name: string, nodes: number, durationMs: number): Pick<Scenario, "file" | "hash" | "name" | "seed" | "startTime" | "duration" | "nodePools" | "expect" | "ignored" | "images"> {
  return {
    file: "bench",
    hash: "",
    name,
    seed: 1,
    startTime: Date.UTC(2026, 0, 1),
    duration: durationMs,
    nodePools: [{ name: "node", count: nodes, capacity: { cpu: "16", memory: "64Gi", pods: "110" }, labels: {}, taints: [] }],
    expect: [],
    ignored: [],
    images: [],
  };
}

/**
 * Builds the benchmark scenario. `unthrottled` lifts the controller manager's and the scheduler's client limits (20 QPS / burst 30
 * upstream, which spread 30,000 creates over 25 simulated minutes), so the same work runs as before the clients
 * had limits: the like-for-like figure for the engine's speed.
 */
export function clusterScenario(nodes: number, pods: number, durationMs: number, unthrottled = false, probes = false): Scenario {
  const perDeployment = 1000;
  const workloads: LoadedManifest[] = [];
  for (let i = 0; i * perDeployment < pods; i++) {
    const name = `app-${i}`;
    workloads.push({
      source: { file: "bench", line: 1, col: 1 },
      object: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: "default" },
        spec: {
          replicas: Math.min(perDeployment, pods - i * perDeployment),
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: {
              containers: [
                {
                  name: "c",
                  image: "busybox",
                  resources: { requests: { cpu: "100m", memory: "128Mi" } },
                  // With `probes`: a readiness and a liveness probe on every container (upstream defaults otherwise).
                  ...(probes ? { readinessProbe: { httpGet: { path: "/ready", port: 8080 } }, livenessProbe: { httpGet: { path: "/healthz", port: 8080 } } } : {}),
                },
              ],
            },
          },
        },
      },
    });
  }
  return {
    ...benchScenarioBase("bench", nodes, durationMs),
    settings: {
      ...(process.env.PCT ? { percentageOfNodesToScore: Number(process.env.PCT) } : {}),
      ...(unthrottled ? { controllerManagerQPS: 1_000_000, controllerManagerBurst: 1_000_000, schedulerQPS: 1_000_000, schedulerBurst: 1_000_000 } : {}),
    },
    workloads,
    timeline: [],
    metricsInterval: 10_000,
    limits: { ...DEFAULT_LIMITS },
    // With `probes`: one log line per container per minute.
    behaviors: probes ? [{ name: "logs", selector: {}, spec: { logs: { every: 60_000, line: "tick {n}" } } }] : [],
  };
}

/** Runs the cluster benchmark; returns wall seconds, events and the outcome's pod totals. */
export function clusterBench(nodes: number, pods: number, durationMs: number, unthrottled = false, probes = false, logsFile?: string, changesDir?: string) {
  const sc = clusterScenario(nodes, pods, durationMs, unthrottled, probes);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let changesBytes: number | undefined;
  let out;
  if (changesDir === undefined) out = simulate(sc);
  else {
    // As `k8sim run` records it: the change log streamed to a file every slice.
    const run = startRun(sc, { changeLog: true });
    const stream = new ChangeLogStream(changesDir);
    while (!run.advance(200_000)) stream.append(run.takeChanges());
    out = run.finish();
    stream.append(run.takeChanges());
    stream.close();
    changesBytes = statSync(join(changesDir, CHANGE_LOG_FILE)).size;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const logs = out.takeLogs();
  if (logsFile !== undefined) writeFileSync(logsFile, logs);
  const cpu = process.cpuUsage(c0);
  return {
    nodes,
    pods,
    clientLimits: unthrottled ? "lifted" : "upstream",
    probesAndLogs: probes,
    logsBytes: Buffer.byteLength(logs),
    simulated: `${durationMs / 3_600_000}h`,
    seconds: Math.round(seconds * 100) / 100,
    // CPU time of this process (GC threads included): steadier than wall time on a shared machine.
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    events: out.summary.events,
    eventsPerSecond: Math.round(out.summary.events / seconds),
    podsScheduled: out.summary.totals.podsScheduled,
    peakRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
    ...(changesBytes !== undefined ? { changesBytes } : {}),
  };
}
