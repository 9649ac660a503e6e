/**
 * `npm run bench`: the engine hold model at Q = 1e3, 1e5, 1e6 and the 1,000-node / 30,000-pod hour, each in its
 * own process so that peak RSS belongs to one measurement. The cluster run is repeated (3 times by default,
 * K8SIM_BENCH_RUNS to change) and summarised by its median and minimum, because wall time on a shared 2-core
 * machine varies by a second from run to run. Prints one JSON line per measurement, then a summary line.
 * The `cluster-probes` variant is the upstream-limits hour with a readiness and a liveness probe on every container
 * and one log line per container per minute; it also times `k8sim logs -l app=app-0 --tail=100` on its logs.jsonl.
 * The `cronjobs` measurement is issue 8's: 1,000 CronJobs on `*\/5 * * * *` for 24 simulated hours on 100 nodes
 * (288,000 Jobs), run once (K8SIM_BENCH_CRONJOB_HOURS to shorten it).
 * The `services` measurement is issue 9's: 1,000 Deployments of 30 pods on 1,000 nodes for an hour, each behind its
 * own Service, with a rolling update of a tenth of them at 30m, against `services-none`, the same run without the
 * Services (each run once; K8SIM_BENCH_SERVICES_RUNS to repeat).
 * The `inspect` measurement is issue 10's (src/bench/inspect.ts): 500 nodes, 15,000 pods, 24 hours with node
 * failures, logs and hourly rollouts through the CLI, then `k8sim get pods --at 23h -A` and `describe node`.
 * Usage: node dist/bench/run.js [hold Q | cluster [nodes pods hours] | inspect [nodes pods hours mtbfHours] | cluster-unthrottled [nodes pods hours] |
 *   cluster-probes [nodes pods hours] | cronjobs [cronjobs nodes hours] | services|services-none [nodes pods
 *   deployments hours]]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { clusterBench } from "./cluster.js";
import { cronJobsBench } from "./cronjobs.js";
import { holdModel } from "./hold.js";
import { servicesBench } from "./services.js";
import { inspectBench, timeQueries } from "./inspect.js";

const [what, ...args] = process.argv.slice(2);
if (what === "hold") {
  const q = Number(args[0]);
  console.log(JSON.stringify({ bench: "hold", ...holdModel(q, 3_000_000) }));
} else if (what === "cluster" || what === "cluster-unthrottled" || what === "cluster-probes" || what === "cluster-changes") {
  const [nodes, pods, hours] = [Number(args[0] ?? 1000), Number(args[1] ?? 30000), Number(args[2] ?? 1)];
  const probes = what === "cluster-probes";
  const logsFile = probes ? join(mkdtempSync(join(tmpdir(), "k8sim-bench-")), "logs.jsonl") : undefined;
  // cluster-changes: the cluster hour recording its change log as `k8sim run` does (issue 10's cost of it).
  const changesDir = what === "cluster-changes" ? mkdtempSync(join(tmpdir(), "k8sim-bench-changes-")) : undefined;
  const result = clusterBench(nodes, pods, hours * 3_600_000, what === "cluster-unthrottled", probes, logsFile, changesDir);
  if (changesDir !== undefined) rmSync(changesDir, { recursive: true, force: true });
  let logsTailSeconds: number | undefined;
  if (logsFile !== undefined) {
    // The report folder `k8sim logs` reads: logs.jsonl and a summary.json marking it a run.
    writeFileSync(join(dirname(logsFile), "summary.json"), "{}\n");
    const t0 = process.hrtime.bigint();
    execFileSync(process.execPath, [fileURLToPath(new URL("../cli/main.js", import.meta.url)), "logs", dirname(logsFile), "-l", "app=app-0", "--tail=100"], { stdio: ["ignore", "ignore", "inherit"] });
    logsTailSeconds = Math.round(Number(process.hrtime.bigint() - t0) / 1e7) / 100;
    rmSync(dirname(logsFile), { recursive: true, force: true });
  }
  console.log(JSON.stringify({ bench: what, ...result, ...(logsTailSeconds !== undefined ? { logsTailSeconds } : {}) }));
} else if (what === "cronjobs") {
  const [count, nodes, hours] = [Number(args[0] ?? 1000), Number(args[1] ?? 100), Number(args[2] ?? 24)];
  console.log(JSON.stringify({ bench: "cronjobs", ...cronJobsBench(count, nodes, hours) }));
} else if (what === "inspect-queries") {
  console.log(JSON.stringify({ bench: "inspect-queries", ...timeQueries(args[0]!, args[1] ?? "23h") }));
} else if (what === "inspect") {
  const [nodes, pods, hours, mtbf] = [Number(args[0] ?? 500), Number(args[1] ?? 15000), Number(args[2] ?? 24), Number(args[3] ?? 24)];
  console.log(JSON.stringify({ bench: "inspect", ...inspectBench(nodes, pods, hours, mtbf) }));
} else if (what === "services" || what === "services-none") {
  const [nodes, pods, deployments, hours] = [Number(args[0] ?? 1000), Number(args[1] ?? 30000), Number(args[2] ?? 1000), Number(args[3] ?? 1)];
  console.log(JSON.stringify({ bench: what, ...servicesBench(nodes, pods, deployments, hours, what === "services") }));
} else {
  const self = fileURLToPath(import.meta.url);
  const run = (a: string[]) => {
    const out = execFileSync(process.execPath, [self, ...a], { encoding: "utf8" });
    process.stdout.write(out);
    return JSON.parse(out.trim().split("\n").pop()!);
  };
  console.log(`# k8sim bench on ${process.platform}-${process.arch}, node ${process.version}`);
  for (const q of ["1000", "100000", "1000000"]) run(["hold", q]);
  const runs = Number(process.env.K8SIM_BENCH_RUNS ?? 3);
  // The cluster hour with upstream client limits (what a user's run does), then the same work with them lifted
  // (the engine's speed, comparable with builds before the clients had limits).
  for (const variant of ["cluster", "cluster-changes", "cluster-unthrottled", "cluster-probes"]) {
    const results: { seconds: number; peakRssMiB: number; events: number; logsBytes: number; logsTailSeconds?: number; changesBytes?: number }[] = [];
    for (let i = 0; i < runs; i++) results.push(run([variant, "1000", "30000", "1"]));
    const secs = results.map((r) => r.seconds).sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        bench: `${variant}-summary`,
        runs,
        medianSeconds: secs[Math.floor((secs.length - 1) / 2)],
        minSeconds: secs[0],
        events: results[0]!.events,
        maxPeakRssMiB: Math.max(...results.map((r) => r.peakRssMiB)),
        logsBytes: results[0]!.logsBytes,
        ...(results[0]!.changesBytes !== undefined ? { changesBytes: results[0]!.changesBytes } : {}),
        ...(variant === "cluster-probes" ? { maxLogsTailSeconds: Math.max(...results.map((r) => r.logsTailSeconds ?? 0)) } : {}),
      }),
    );
  }
  run(["cronjobs", "1000", "100", process.env.K8SIM_BENCH_CRONJOB_HOURS ?? "24"]);
  const serviceRuns = Number(process.env.K8SIM_BENCH_SERVICES_RUNS ?? 1);
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const timed: Record<string, number[]> = { services: [], "services-none": [] };
  for (let i = 0; i < serviceRuns; i++) for (const v of ["services-none", "services"]) timed[v]!.push(run([v, "1000", "30000", "1000", "1"]).seconds);
  const [withS, without] = [median(timed["services"]!), median(timed["services-none"]!)];
  console.log(JSON.stringify({ bench: "services-summary", runs: serviceRuns, medianSeconds: withS, medianSecondsWithoutServices: without, overheadPercent: Math.round((withS / without - 1) * 1000) / 10 }));
}
