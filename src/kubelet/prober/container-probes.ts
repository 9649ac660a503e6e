/**
 * When a running container's probes change its state, computed from the probe grid and the container's failure
 * windows instead of probing every period (pkg/kubelet/prober: worker.go, prober_manager.go). A healthy container
 * costs no engine event per period: the kubelet schedules only the next transition this returns.
 *
 * Upstream, a pod's probe workers start when the pod is first synced (prober_manager AddPod, before its containers
 * exist) and tick every periodSeconds from then on, probing at once at the start: so startup and liveness probes
 * fall on the grid `anchor + k x period` of that moment. Readiness is different: whenever the kubelet builds the
 * pod's status while a started container is not ready (it does so when the container starts and when its startup
 * probe passes), UpdatePodStatus triggers the readiness worker, which probes at once and restarts its ticker. So
 * readiness falls on the grid of the moment the container counted as started.
 *
 * Initial results (worker.go newWorker): readiness Failure, liveness Success, startup Unknown. A result changes once
 * `threshold` consecutive probes agree (resultRun against successThreshold / failureThreshold). Readiness and
 * liveness do not probe before the container is started (startup passed); a probe within initialDelaySeconds of
 * the container's start is skipped.
 *
 * NOTE: a probe's outcome is known at its tick; a failure by timeout would be known timeoutSeconds later upstream.
 * NOTE: upstream's worker keeps its run of equal results across a container restart (lastResult is not reset for
 * a new container id); each container instance starts a fresh run here.
 */
import { DEFAULT_PROBE } from "../../api/defaults/pod.js";
import type { Container } from "../../api/types.js";
import type { BehaviorSpec, FailureWindow } from "../../workload/behavior.js";
import { firstRun, type ProbeRunQuery } from "./probe-runs.js";

/** A probe's timing as defaulted in the pod spec (core/v1 Probe), in ms and counts. */
export interface ProbeTiming {
  readonly periodMs: number;
  readonly initialDelayMs: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
  /** The probe's terminationGracePeriodSeconds in ms, if set (liveness and startup kills). */
  readonly terminationGraceMs: number | undefined;
}

/** A container's probes (each optional) and when each fails (relative to the container's start). */
export interface ContainerProbes {
  readonly startup?: ProbeTiming;
  readonly readiness?: ProbeTiming;
  readonly liveness?: ProbeTiming;
  readonly startupFailures: readonly FailureWindow[];
  readonly readinessFailures: readonly FailureWindow[];
  readonly livenessFailures: readonly FailureWindow[];
}

/** Where a running container's probes stand. */
export interface ProbeState {
  /** When it counted as started (startup probe passed, or it started without one); undefined: not yet. */
  readonly startedAt: number | undefined;
  /** Whether its readiness result is Success. */
  readonly ready: boolean;
  /** When the readiness result last changed (or the start): the next change needs a fresh run after it. */
  readonly readySince: number;
}

/** A change the probes make, and when. */
export type ProbeTransition =
  | { readonly at: number; readonly t: "started" }
  | { readonly at: number; readonly t: "startupFailed" }
  | { readonly at: number; readonly t: "ready" }
  | { readonly at: number; readonly t: "unready" }
  | { readonly at: number; readonly t: "livenessFailed" };

/**
 * The next probe transition of a container running since `runningSince`, or undefined if none comes before
 * `endMs` (when it stops). `workerAnchor`: when the pod's probe workers started (startup and liveness grid).
 * Ties: a liveness failure wins over a readiness change at the same tick.
 */
export function nextProbeTransition(p: ContainerProbes, workerAnchor: number, runningSince: number, s: ProbeState, endMs = Infinity): ProbeTransition | undefined {
  if (s.startedAt === undefined) {
    const t = p.startup;
    if (t === undefined) return { at: runningSince, t: "started" };
    const ok = firstRun(query(workerAnchor, t, runningSince, -Infinity, p.startupFailures, "success", t.successThreshold, runningSince - 1, endMs));
    const bad = firstRun(query(workerAnchor, t, runningSince, -Infinity, p.startupFailures, "failure", t.failureThreshold, runningSince - 1, endMs));
    if (ok === undefined && bad === undefined) return undefined;
    return bad === undefined || (ok !== undefined && ok < bad) ? { at: ok!, t: "started" } : { at: bad, t: "startupFailed" };
  }
  let next: ProbeTransition | undefined;
  const l = p.liveness;
  if (l !== undefined) {
    const at = firstRun(query(workerAnchor, l, runningSince, gateOf(p, s.startedAt), p.livenessFailures, "failure", l.failureThreshold, s.startedAt - 1, endMs));
    if (at !== undefined) next = { at, t: "livenessFailed" };
  }
  const r = p.readiness;
  if (r !== undefined) {
    // The readiness worker probes at once when the container counts as started, and every period after.
    const at = s.ready
      ? firstRun(query(s.startedAt, r, runningSince, -Infinity, p.readinessFailures, "failure", r.failureThreshold, s.readySince, endMs))
      : firstRun(query(s.startedAt, r, runningSince, -Infinity, p.readinessFailures, "success", r.successThreshold, s.readySince - 1, endMs));
    if (at !== undefined && (next === undefined || at < next.at)) next = { at, t: s.ready ? "unready" : "ready" };
  } else if (!s.ready) {
    // No readiness probe: ready as soon as started (prober_manager UpdatePodStatus).
    return { at: s.startedAt, t: "ready" };
  }
  return next;
}

/** A firstRun question, always built with the same shape (object spreads made each one a new hidden class). */
function query(
  anchorMs: number,
  t: ProbeTiming,
  startedAtMs: number,
  gateMs: number,
  windows: readonly FailureWindow[],
  outcome: "failure" | "success",
  count: number,
  afterMs: number,
  endMs: number,
): ProbeRunQuery {
  return { anchorMs, periodMs: t.periodMs, startedAtMs, initialDelayMs: t.initialDelayMs, gateMs, windows, outcome, count, afterMs, endMs };
}

/** Liveness probes wait for the startup probe: only ticks after it passed count (a probe at that tick saw Started
 *  false, since the status manager learns of the success after the tick). */
function gateOf(p: ContainerProbes, startedAt: number): number {
  return p.startup === undefined ? -Infinity : startedAt;
}

/**
 * A container's probes from its spec (defaulted by the API server; DEFAULT_PROBE fills in what a test object lacks)
 * and its behavior's failure windows; undefined when it has no probe.
 */
export function containerProbes(c: Container, b: BehaviorSpec): ContainerProbes | undefined {
  const startup = timing(c.startupProbe);
  const readiness = timing(c.readinessProbe);
  const liveness = timing(c.livenessProbe);
  if (startup === undefined && readiness === undefined && liveness === undefined) return undefined;
  return {
    startup,
    readiness,
    liveness,
    startupFailures: b.startupFailures ?? [],
    readinessFailures: b.readinessFailures ?? [],
    livenessFailures: b.livenessFailures ?? [],
  };
}

function timing(p: unknown): ProbeTiming | undefined {
  if (typeof p !== "object" || p === null) return undefined;
  const n = (k: string, d: number) => {
    const v = (p as Record<string, unknown>)[k];
    return typeof v === "number" ? v : d;
  };
  const grace = (p as Record<string, unknown>).terminationGracePeriodSeconds;
  return {
    // Validation keeps these at 1 or more (0 for the delay); the bounds here only guard the arithmetic.
    periodMs: Math.max(1, n("periodSeconds", DEFAULT_PROBE.periodSeconds)) * 1000,
    initialDelayMs: Math.max(0, n("initialDelaySeconds", 0)) * 1000,
    successThreshold: Math.max(1, n("successThreshold", DEFAULT_PROBE.successThreshold)),
    failureThreshold: Math.max(1, n("failureThreshold", DEFAULT_PROBE.failureThreshold)),
    terminationGraceMs: typeof grace === "number" ? grace * 1000 : undefined,
  };
}
