/**
 * The outcome of a run as the report files hold it: summary.json's shape (with per-Deployment availability) and the
 * rows and events the other files are written from. Produced by src/run.ts, written by write.ts.
 */
import type { EventRecord } from "../api/events.js";
import type { ActionProblem } from "../scenario/actions.js";
import type { ExpectationResult } from "../scenario/expectations.js";
import type { Percentiles } from "./percentiles.js";

/**
 * Per-Deployment availability, from the metrics samples. The lowest value and the fraction count from the first
 * sample at which the Deployment was fully available, so the initial rollout does not read as an outage.
 */
export interface Availability {
  /** spec.replicas at the end (at its last sample if it was deleted). */
  desiredReplicas: number;
  /** availableReplicas at the end; null if the Deployment no longer exists then. */
  availableReplicasAtEnd: number | null;
  /** Virtual seconds of the first sample at which it no longer existed (null if it exists at the end). */
  deletedAtSeconds: number | null;
  /** Virtual seconds of the first sample with availableReplicas >= spec.replicas (null if never). */
  firstFullyAvailableSeconds: number | null;
  /** Lowest availableReplicas from that sample on (null if never fully available). */
  minAvailableReplicas: number | null;
  /** Fraction of samples from then on with availableReplicas >= spec.replicas (0..1, 4 decimals; 0 if never). */
  fullyAvailableFraction: number;
}

/** Availability of one Deployment from its per-sample available and desired replicas (undefined = absent). */
export function availabilityOf(
  avail: readonly (number | undefined)[],
  want: readonly (number | undefined)[],
  seconds: readonly number[],
): Availability {
  let first = -1;
  let min = Infinity;
  let samples = 0;
  let full = 0;
  let last = 0;
  let lastWant = 0;
  for (let i = 0; i < avail.length; i++) {
    const a = avail[i];
    const w = want[i];
    if (a === undefined || w === undefined) continue;
    last = a;
    lastWant = w;
    if (first < 0 && a >= w) first = i;
    if (first < 0) continue;
    samples++;
    min = Math.min(min, a);
    if (a >= w) full++;
  }
  const lastIndex = seconds.length - 1;
  const existsAtEnd = avail[lastIndex] !== undefined;
  let deletedAt: number | null = null;
  if (!existsAtEnd) for (let i = avail.length; i <= lastIndex && deletedAt === null; i++) if (avail[i] === undefined) deletedAt = seconds[i];
  return {
    desiredReplicas: lastWant,
    availableReplicasAtEnd: existsAtEnd ? last : null,
    deletedAtSeconds: deletedAt,
    firstFullyAvailableSeconds: first < 0 ? null : seconds[first],
    minAvailableReplicas: first < 0 ? null : min,
    fullyAvailableFraction: samples ? Math.round((full / samples) * 10000) / 10000 : 0,
  };
}

/** summary.json: everything here is a function of (scenario, seed, k8sim version), so reruns are byte-identical. */
export interface Summary {
  /** `file` is the scenario's file name only: summary.json must not depend on where it was run from. */
  scenario: { name: string; file: string; sha256: string };
  seed: number;
  k8simVersion: string;
  digest: string;
  startTime: string;
  /** Virtual time simulated: spec.duration, or where an interrupted run stopped. */
  simulatedDuration: string;
  simulatedMs: number;
  /** null for a run that reached its duration; otherwise why and at which virtual time it stopped early. */
  interrupted: Interrupted | null;
  events: number;
  totals: {
    nodes: number;
    podsCreated: number;
    podsScheduled: number;
    schedulingAttempts: number;
    failedSchedulingAttempts: number;
    kubernetesEvents: number;
    evictions: number;
    /** Container restarts over the run (the kubelets' restartCount increments). */
    containerRestarts: number;
    /** Pods that reached Succeeded / Failed. */
    podsSucceeded: number;
    podsFailed: number;
    /** Jobs created, and those that turned Complete / Failed. */
    jobsCreated: number;
    jobsSucceeded: number;
    jobsFailed: number;
  };
  /** scheduling: queue to bind; podStartup: creation to every container started; podStartupSLI: the same less the
   *  pod's image pulls (the upstream pod startup SLI); imagePull: each pull's own duration; jobCompletion: a finished
   *  Job's startTime to its completion (or failure); cronJobTickLag: a CronJob's Job created less its scheduled time. */
  latencyMs: { scheduling: Percentiles; podStartup: Percentiles; podStartupSLI: Percentiles; imagePull: Percentiles; jobCompletion: Percentiles; cronJobTickLag: Percentiles };
  availability: Record<string, Availability>;
  /** Each expectation; `source` is "file:line:col" relative to the scenario's folder. `passed` is null (and
   *  `actual` null) for an expectation an interrupted run did not reach: neither passed nor failed. */
  expectations: (Omit<ExpectationResult, "source" | "passed"> & { passed: boolean | null; source: string })[];
  /** Refused actions, as "file:line:col: message" relative to the scenario's folder. */
  problems: { at: number; message: string }[];
  ignoredObjects: string[];
}

/** summary.json's `interrupted`: what stopped a run before its duration, and the virtual time it reached. */
export interface Interrupted {
  /** The signal that stopped it, e.g. "SIGINT", or "--until" for a replay stopped at its --until time. */
  signal: string;
  /** Virtual ms reached. */
  atMs: number;
  /** The same as a Go duration ("2m3s"). */
  at: string;
  /** Whether every event of that instant ran; false when completing it took longer than the driver allows after
   *  a signal (the report is then the state part-way through that instant). */
  instantComplete: boolean;
}

/** The outcome of a simulated run, before anything is written. */
export interface RunOutcome {
  summary: Summary;
  /** metrics.csv header and rows. */
  metricsHeader: string[];
  metricsRows: (string | number)[][];
  events: EventRecord[];
  /** Refused actions with their positions as given (for the terminal). */
  problems: ActionProblem[];
  /** Renders one event as its events.jsonl line. */
  eventLine: (e: EventRecord) => string;
  /** The logs.jsonl text not yet taken by the driver (all of it for a run not streamed); once. */
  takeLogs: () => string;
  /** faults.csv header and rows (src/faults/fault-log.ts): one row per injected fault, in order. */
  faultsHeader: string[];
  faultsRows: (string | number)[][];
  /** Whether every expectation held (for an interrupted run: every one it reached). */
  passed: boolean;
}
