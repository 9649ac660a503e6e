/**
 * The CronJob benchmark of issue 8: C CronJobs on `*\/5 * * * *` for H simulated hours on N nodes (C x 12 x H Jobs:
 * 288,000 for the default 1,000 x 24h), each Job one pod that runs 30s and exits 0, with the default history limits
 * (3 succeeded, 1 failed) keeping the store small. Built as a Scenario object, so YAML loading is not timed.
 */
import { DEFAULT_LIMITS } from "../scenario/limits.js";
import { simulate } from "../run.js";
import { benchScenarioBase } from "./cluster.js";
import type { LoadedManifest, Scenario } from "../scenario/types.js";
import { parseBehavior } from "../workload/behavior.js";

/** The benchmark scenario: `count` CronJobs, `nodes` nodes of 16 CPUs, `hours` of virtual time. */
export function cronJobsScenario(count: number, nodes: number, hours: number): Scenario {
  const workloads: LoadedManifest[] = [];
  for (let i = 0; i < count; i++) {
    workloads.push({
      source: { file: "bench", line: 1, col: 1 },
      object: {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name: `tick-${i}`, namespace: "default" },
        spec: {
          schedule: "*/5 * * * *",
          jobTemplate: {
            spec: {
              template: {
                metadata: { labels: { app: "tick" } },
                spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] },
              },
            },
          },
        },
      },
    });
  }
  const behavior = parseBehavior({ runFor: "30s" }, true).spec;
  return {
    ...benchScenarioBase("bench-cronjobs", nodes, hours * 3_600_000),
    settings: {},
    workloads,
    timeline: [],
    metricsInterval: 60_000,
    limits: { ...DEFAULT_LIMITS, objects: Math.max(DEFAULT_LIMITS.objects, count) },
    behaviors: [{ name: "tick", selector: { matchLabels: { app: "tick" } }, spec: behavior }],
  };
}

/** Runs the CronJob benchmark; wall seconds, events, Jobs created and finished, tick lag, peak RSS. */
export function cronJobsBench(count: number, nodes: number, hours: number) {
  const sc = cronJobsScenario(count, nodes, hours);
  const t0 = process.hrtime.bigint();
  const out = simulate(sc);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const s = out.summary;
  return {
    cronJobs: count,
    nodes,
    simulated: `${hours}h`,
    seconds: Math.round(seconds * 100) / 100,
    events: s.events,
    jobsCreated: s.totals.jobsCreated,
    jobsSucceeded: s.totals.jobsSucceeded,
    podsCreated: s.totals.podsCreated,
    tickLagMs: s.latencyMs.cronJobTickLag,
    peakRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
  };
}
