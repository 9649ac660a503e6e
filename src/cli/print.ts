/** The run's summary on the terminal (stdout; warnings to stderr). */
import { formatDuration } from "../engine/duration.js";
import type { RunOutcome } from "../run.js";
import { formatPos } from "../scenario/errors.js";
import type { CliIO } from "./io.js";

function fmtMs(v: number | null): string {
  if (v === null) return "-";
  return v >= 1000 ? `${(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)}s` : `${v}ms`;
}

/** Prints what `k8sim run` shows after a run: rates, digest, totals, latencies, availability, expectations. */
export function printSummary(o: RunOutcome, wall: number, dir: string, files: number, io: CliIO): void {
  const s = o.summary;
  const rate = wall > 0 ? Math.round(s.events / wall).toLocaleString("en-US") : "-";
  io.out(`k8sim ${s.k8simVersion}: ${s.scenario.name} (seed ${s.seed}): ${s.simulatedDuration} simulated in ${wall.toFixed(2)}s, ${s.events.toLocaleString("en-US")} events (${rate}/s)\n`);
  io.out(`  digest         ${s.digest}\n`);
  io.out(`  nodes          ${s.totals.nodes}; pods created ${s.totals.podsCreated}, scheduled ${s.totals.podsScheduled}, evicted ${s.totals.evictions}\n`);
  const l = s.latencyMs;
  io.out(`  scheduling     p50 ${fmtMs(l.scheduling.p50)}  p99 ${fmtMs(l.scheduling.p99)}  max ${fmtMs(l.scheduling.max)}\n`);
  io.out(`  pod startup    p50 ${fmtMs(l.podStartup.p50)}  p99 ${fmtMs(l.podStartup.p99)}  max ${fmtMs(l.podStartup.max)}  (SLI, image pulls excluded: p50 ${fmtMs(l.podStartupSLI.p50)}  p99 ${fmtMs(l.podStartupSLI.p99)})\n`);
  if (l.imagePull.count > 0) io.out(`  image pulls    ${l.imagePull.count}: p50 ${fmtMs(l.imagePull.p50)}  p99 ${fmtMs(l.imagePull.p99)}  max ${fmtMs(l.imagePull.max)}\n`);
  const restarts = s.totals.containerRestarts;
  if (restarts > 0) io.out(`  restarts       ${restarts} container restart(s)\n`);
  for (const [k, a] of Object.entries(s.availability)) {
    const since = a.firstFullyAvailableSeconds === null ? "never fully available" : `lowest ${a.minAvailableReplicas} and fully available ${(a.fullyAvailableFraction * 100).toFixed(1)}% of the time after ${a.firstFullyAvailableSeconds}s`;
    if (a.availableReplicasAtEnd === null) io.out(`  deployment ${k}: deleted at ${a.deletedAtSeconds}s (${since})\n`);
    else io.out(`  deployment ${k}: ${a.availableReplicasAtEnd}/${a.desiredReplicas} available at end (${since})\n`);
  }
  // A refused action is an outcome of the experiment, not an input error: a warning with its virtual time.
  for (const p of o.problems) io.err(`warning: ${formatPos(p.source)}: at ${formatDuration(p.at)}: ${p.message}\n`);
  for (const e of s.expectations) {
    if (e.passed === null) io.out(`  expect NOT REACHED  ${e.expect} (the run was interrupted first)\n`);
    else io.out(`  expect ${e.passed ? "PASS" : "FAIL"}  ${e.expect} (actual ${JSON.stringify(e.actual)})\n`);
  }
  io.out(`  wrote ${files} files to ${dir.replace(/\/+$/, "")}/\n`);
}
