import { kindSpec } from "./api/registry/registry.js";
import type { TaintEvictionController } from "./controllers/taint-eviction.js";
import { basename, dirname, relative, sep } from "node:path";
import { Cluster } from "./cluster.js";
import { METRIC_COLUMNS, MetricsCollector } from "./metrics/collector.js";
import { percentiles } from "./metrics/percentiles.js";
import { TimelinePlayer } from "./scenario/actions.js";
import { FAULT_COLUMNS, FaultLog } from "./faults/fault-log.js";
import { FaultInjector } from "./faults/injector.js";
import { startFaultProcesses } from "./faults/processes/runner.js";
import { formatDuration } from "./engine/duration.js";
import { ExpectationChecker } from "./scenario/expectations.js";
import { formatPos } from "./scenario/errors.js";
import { automaticEventsPerInstant } from "./scenario/limits.js";
import type { Expectation, LoadedManifest, Scenario, SourcePos } from "./scenario/types.js";
import { resolveSettings } from "./settings.js";
import { K8SIM_VERSION } from "./version.js";
import { LogRecorder } from "./logs/recorder.js";
import { ChangeRecorder, type ChangePiece } from "./changelog/recorder.js";

export { availabilityOf, type Availability, type Interrupted, type RunOutcome, type Summary } from "./metrics/outcome.js";
import { availabilityOf, type Availability, type Interrupted, type RunOutcome, type Summary } from "./metrics/outcome.js";

/** Options of `simulate`. */
export interface SimulateOptions {
  /** Called with the cluster before anything runs, e.g. for a test to watch the store. Must not write. */
  observe?: (cluster: Cluster) => void;
  /** Record every store change (changes.log, src/changelog/); the pieces are taken with RunInProgress.takeChanges. */
  changeLog?: boolean;
  /** The change log's minimum segment size in characters (tests make it small to exercise segments). */
  changeLogSegmentChars?: number;
  /**
   * Virtual ms to stop at (`k8sim replay --until`): the run delivers every event up to and including that time,
   * then ends as interrupted there, with signal "--until". Ignored when not below the scenario's duration.
   */
  until?: number;
}

/**
 * A run in progress, advanced in slices by its driver (the CLI answers signals and checks memory between slices).
 * Slicing never changes the outcome: any sequence of `advance` calls that reaches the end gives the same outcome,
 * byte for byte, as `simulate`.
 */
export interface RunInProgress {
  /** Virtual ms reached so far. */
  readonly now: number;
  /** Engine events delivered so far. */
  readonly events: number;
  /** Whether the run reached the scenario's duration. */
  readonly done: boolean;
  /** The logs.jsonl text recorded since the last call (the driver streams it into the report's staging folder). */
  takeLogs(): string;
  /** The changes.log text recorded since the last call ([] without SimulateOptions.changeLog). */
  takeChanges(): ChangePiece[];
  /** Runs at most `maxEvents` more events (> 0); returns whether the run ended (its duration, or SimulateOptions.until, was reached). */
  advance(maxEvents: number): boolean;
  /** Runs at most `maxEvents` more events (> 0) of the current instant only; returns whether none is left. */
  advanceInstant(maxEvents: number): boolean;
  /**
   * Ends the run early at the current virtual time: at most `budget` more events of that instant run (so a huge
   * instant cannot hold it up; a driver completes it with advanceInstant first), nothing later does. `finish` then
   * reports it as interrupted; expectations after that time count as not reached. No effect once the run is done
   * or already interrupted.
   */
  interrupt(reason: { signal: string }, budget?: number): void;
  /** The outcome; call once, after `advance` returned true or after `interrupt`. */
  finish(): RunOutcome;
}

/** Events that `interrupt` still runs to complete the current instant, so a stuck instant cannot hold it up. */
const INSTANT_BUDGET = 1_000_000;

/**
 * The eventsPerInstant limit in force: the scenario's, or when that is 0 the automatic one, from the nodes and pods
 * the scenario declares (initial and timeline; a rough count is enough for a guard against a stalled instant).
 */
export function eventsPerInstantLimit(scenario: Scenario): number {
  if (scenario.limits.eventsPerInstant > 0) return scenario.limits.eventsPerInstant;
  let nodes = 0;
  let pods = 0;
  const podsOf = (o: LoadedManifest["object"]) => kindSpec(o.kind)?.podsDeclared?.(o) ?? 0;
  for (const p of scenario.nodePools) nodes += p.count;
  for (const m of scenario.workloads) pods += podsOf(m.object);
  for (const a of scenario.timeline) {
    if (a.action === "addNodes") nodes += a.pool.count;
    else if (a.action === "scale") pods += a.replicas;
    else if (a.action === "apply") for (const m of a.manifests) pods += podsOf(m.object);
  }
  return automaticEventsPerInstant(nodes, pods);
}

/** Starts a run of a loaded scenario: builds the cluster and schedules everything at time 0, runs no event. */
export function startRun(scenario: Scenario, opts: SimulateOptions = {}): RunInProgress {
  const settings = resolveSettings(scenario.settings);
  let now = () => 0;
  const logs = new LogRecorder({ startTime: new Date(scenario.startTime).toISOString().replace(/\.000Z$/, "Z"), scenario: scenario.name, seed: scenario.seed }, () => now());
  const cluster = new Cluster(scenario.seed, settings, scenario.startTime, { behaviors: scenario.behaviors, images: scenario.images, logs });
  now = () => cluster.sim.now;
  opts.observe?.(cluster);
  const { sim } = cluster;
  const changes = opts.changeLog ? new ChangeRecorder(cluster.cp.store, cluster.cp.clock, K8SIM_VERSION, scenario.startTime, { minSegmentChars: opts.changeLogSegmentChars }) : undefined;
  sim.setInstantLimit(eventsPerInstantLimit(scenario));
  const metrics = new MetricsCollector(cluster.cp, scenario.metricsInterval, cluster.scheduler, () => logs.time(), cluster.kubelets);
  cluster.kubelets.observer = metrics;
  logs.watch(cluster.cp.store);
  for (const pool of scenario.nodePools) cluster.kubelets.addPool(pool);
  const faultLog = new FaultLog(cluster.cp.events, cluster.cp.clock);
  const injector = new FaultInjector(cluster, faultLog);
  const timeline = new TimelinePlayer(cluster, scenario.timeline, injector);
  startFaultProcesses(cluster, scenario.faults ?? [], injector);
  timeline.apply(scenario.workloads);
  const checker = new ExpectationChecker(cluster, scenario.expect);
  let done = false;
  let interrupted: Interrupted | null = null;
  /** Whether the events of the current instant have all run (set by advanceInstant, reset by advance). */
  let instantDone = false;
  let finished = false;
  return {
    get now() {
      return sim.now;
    },
    get events() {
      return sim.eventsProcessed;
    },
    takeLogs(): string {
      return logs.take();
    },
    takeChanges(): ChangePiece[] {
      return changes?.take() ?? [];
    },
    get done() {
      return done;
    },
    advance(maxEvents: number): boolean {
      if (done || interrupted) return done;
      instantDone = false;
      const until = opts.until !== undefined && opts.until < scenario.duration ? opts.until : undefined;
      const reached = sim.run(until ?? scenario.duration, maxEvents).reached;
      // The state at --until: that instant is complete (sim.run delivers the events at exactly `until`).
      if (reached && until !== undefined) interrupted = { signal: "--until", atMs: sim.now, at: formatDuration(sim.now), instantComplete: true };
      else done = reached;
      return reached;
    },
    advanceInstant(maxEvents: number): boolean {
      if (done || interrupted) return true;
      instantDone = sim.run(sim.now, maxEvents).reached;
      return instantDone;
    },
    interrupt(reason: { signal: string }, budget = INSTANT_BUDGET): void {
      if (done || interrupted) return;
      // Completing the instant makes the report a state "at time T", with every expectation at T checked.
      if (!instantDone && budget > 0) instantDone = sim.run(sim.now, budget).reached;
      interrupted = { signal: reason.signal, atMs: sim.now, at: formatDuration(sim.now), instantComplete: instantDone };
    },
    finish(): RunOutcome {
      if (finished) throw new Error("finish() was already called for this run");
      if (!done && !interrupted) throw new Error("finish() called before the run reached its end or was interrupted");
      finished = true;
      metrics.finish();
      logs.eof();
      changes?.finish();
      return outcomeOf(scenario, cluster, metrics, timeline, checker, interrupted, () => logs.take(), faultLog);
    },
  };
}

/**
 * Runs a loaded scenario to its duration and returns the outcome (no I/O: the CLI writes it). Deterministic: the
 * same scenario and seed give the same outcome, digest included.
 */
export function simulate(scenario: Scenario, opts: SimulateOptions = {}): RunOutcome {
  const run = startRun(scenario, opts);
  run.advance(Infinity);
  return run.finish();
}

/** Expectations in the order the checker runs them: by time, ties in file order (scheduleAt's order). */
function checkOrder(expect: readonly Expectation[]): Expectation[] {
  return expect.map((e, i) => [e, i] as const).sort((a, b) => a[0].at - b[0].at || a[1] - b[1]).map(([e]) => e);
}

function outcomeOf(
  scenario: Scenario,
  cluster: Cluster,
  metrics: MetricsCollector,
  timeline: TimelinePlayer,
  checker: ExpectationChecker,
  interrupted: Interrupted | null,
  takeLogs: () => string,
  faultLog: FaultLog,
): RunOutcome {
  const { sim, cp } = cluster;
  const deployments = [...metrics.deployments.keys()];
  const availability: Record<string, Availability> = {};
  const sampleSeconds = metrics.rows.map((r) => r[1] as number);
  for (const key of deployments) availability[key] = availabilityOf(metrics.deployments.get(key)!, metrics.desired.get(key)!, sampleSeconds);
  const stats = cluster.scheduler.stats;
  // Positions in the report are relative to the scenario's folder, so the same file gives the same bytes from
  // any working directory; the terminal gets the paths as typed (RunOutcome.problems).
  const base = dirname(scenario.file);
  const at = (p: SourcePos) => formatPos(p, relative(base, p.file).split(sep).join("/"));
  // The checker records results in check order, so those it has not reached are the rest of that order.
  const unreached = checkOrder(scenario.expect).slice(checker.results.length);
  const simulatedMs = interrupted ? interrupted.atMs : scenario.duration;
  const summary: Summary = {
    scenario: { name: scenario.name, file: basename(scenario.file), sha256: scenario.hash },
    seed: scenario.seed,
    k8simVersion: K8SIM_VERSION,
    digest: sim.digest.hex(),
    startTime: cp.clock.time(0),
    simulatedDuration: formatDuration(simulatedMs),
    simulatedMs,
    interrupted,
    events: sim.eventsProcessed,
    totals: {
      nodes: cluster.kubelets.size,
      podsCreated: metrics.podsCreated,
      podsScheduled: stats.scheduled,
      schedulingAttempts: stats.attempts,
      failedSchedulingAttempts: stats.failedAttempts,
      kubernetesEvents: cp.events.records.length,
      evictions: cluster.controller<TaintEvictionController>("taint-eviction-controller")?.evicted ?? 0,
      containerRestarts: metrics.containerRestarts,
      podsSucceeded: metrics.podsSucceeded,
      podsFailed: metrics.podsFailed,
      jobsCreated: metrics.jobsCreated,
      jobsSucceeded: metrics.jobsSucceeded,
      jobsFailed: metrics.jobsFailed,
    },
    latencyMs: {
      scheduling: percentiles(stats.schedulingLatencies),
      podStartup: percentiles(metrics.startupLatencies),
      podStartupSLI: percentiles(metrics.startupSliLatencies),
      imagePull: percentiles(metrics.imagePullDurations),
      jobCompletion: percentiles(metrics.jobDurations),
      cronJobTickLag: percentiles(metrics.cronJobTickLags),
    },
    availability,
    expectations: [
      ...checker.results.map((r) => ({ ...r, source: at(r.source) })),
      ...unreached.map((e) => ({ expect: e.text, at: e.at, actual: null, passed: null, source: at(e.source) })),
    ],
    problems: timeline.problems.map((p) => ({ at: p.at, message: `${at(p.source)}: ${p.message}` })),
    ignoredObjects: scenario.ignored.map((i) => `${at(i.source)}: ${i.kind}/${i.name}`),
  };
  const services = [...metrics.endpointsReady.keys()];
  const metricsRows = metrics.rows.map((row, i) => [
    ...row,
    ...deployments.map((k) => metrics.deployments.get(k)![i] ?? ""),
    ...services.flatMap((k) => [metrics.endpointsReady.get(k)![i] ?? "", metrics.endpointsNotReady.get(k)![i] ?? ""]),
  ]);
  return {
    summary,
    metricsHeader: [
      ...METRIC_COLUMNS,
      ...deployments.map((k) => `deployment_available_replicas:${k}`),
      ...services.flatMap((k) => [`endpoint_address_ready:${k}`, `endpoint_address_not_ready:${k}`]),
    ],
    metricsRows,
    events: cp.events.records,
    problems: timeline.problems,
    eventLine: (e) => cp.events.line(e),
    takeLogs,
    faultsHeader: [...FAULT_COLUMNS],
    faultsRows: faultLog.csvRows(),
    passed: checker.results.every((r) => r.passed),
  };
}
