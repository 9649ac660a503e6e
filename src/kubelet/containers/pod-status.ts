/**
 * The pod status the kubelet writes for a running pod instance, built from its container tracks
 * (pkg/kubelet/kubelet_pods.go generateAPIPodStatus, convertToAPIContainerStatuses, getPhase; the conditions of
 * pkg/kubelet/status/generate.go). Pure: the same tracks give the same status.
 *
 * - Container statuses: running (startedAt), waiting (the reason of a back-off or an image problem; else
 *   ContainerCreating, or PodInitializing in a pod with init containers), terminated (exit code, reason, times) for
 *   a container that will not be restarted; lastState.terminated is the run before the current state.
 * - ready: running, started and its readiness result Success (no probe: as soon as started); a regular init
 *   container is ready once it exited 0.
 * - Conditions: PodReadyToStartContainers True (the sandbox exists), Initialized (ContainersNotInitialized,
 *   "containers with incomplete status: [a b]"), ContainersReady and Ready (ContainersNotReady, "containers with
 *   unready status: [a b]"; PodCompleted / PodFailed once terminal, and Initialized True with PodCompleted for a
 *   Succeeded pod, init containers or not). Existing conditions keep their place and
 *   their lastTransitionTime while their status does not change.
 */
import { isDeepStrictEqual } from "node:util";
import type { ApiClock } from "../../api/clock.js";
import { withFields } from "../../api/copy.js";
import type { Condition, ContainerState, ContainerStatus, Pod } from "../../api/types.js";
import { podPhase, type PhaseContainer } from "./plan.js";
import type { ContainerTrack, Run } from "./pod-containers.js";
import { restartPolicy } from "./pod-containers.js";

/** What the status needs besides the tracks. */
export interface StatusInput {
  readonly tracks: readonly ContainerTrack[];
  readonly hasInit: boolean;
  readonly terminal: "Succeeded" | "Failed" | undefined;
  readonly podIP: string | undefined;
  /** The node's address (status.hostIP). */
  readonly hostIP: string | undefined;
}

/** The status to write for `pod` (see the file comment). */
export function podStatusFromTracks(pod: Pod, s: StatusInput, clock: ApiClock): Pod["status"] {
  const now = clock.time();
  const statuses = s.tracks.map((t) => containerStatus(t, s.hasInit, clock));
  const init: ContainerStatus[] = [];
  const app: ContainerStatus[] = [];
  s.tracks.forEach((t, i) => (t.role === "app" ? app : init).push(statuses[i]!));
  const phase = podPhase(
    s.tracks.map((t, i): PhaseContainer => phaseView(t, statuses[i]!)),
    restartPolicy(pod),
    s.terminal !== undefined,
  );
  const unready = s.tracks.filter((t, i) => t.role !== "init" && !statuses[i]!.ready).map((t) => t.name);
  const incomplete = s.tracks.filter((t, i) => t.role !== "app" && !initComplete(t, statuses[i]!)).map((t) => t.name);
  const terminalReason = phase === "Succeeded" ? "PodCompleted" : phase === "Failed" ? "PodFailed" : undefined;
  const ready: Condition =
    terminalReason !== undefined
      ? { type: "Ready", status: "False", reason: terminalReason, lastProbeTime: null, lastTransitionTime: now }
      : unready.length === 0
        ? { type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: now }
        : { type: "Ready", status: "False", reason: "ContainersNotReady", message: `containers with unready status: [${unready.join(" ")}]`, lastProbeTime: null, lastTransitionTime: now };
  // HasAnyRegularContainerStarted: an app container's status is running or terminated (not waiting to restart).
  const anyAppStarted = s.tracks.some((t, i) => t.role === "app" && (statuses[i]!.state.running !== undefined || statuses[i]!.state.terminated !== undefined));
  const initCondition: Condition =
    incomplete.length === 0 || anyAppStarted || phase === "Succeeded"
      ? phase === "Succeeded"
        ? { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: now, reason: "PodCompleted" }
        : { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: now }
      : { type: "Initialized", status: "False", reason: "ContainersNotInitialized", message: `containers with incomplete status: [${incomplete.join(" ")}]`, lastProbeTime: null, lastTransitionTime: now };
  const conditions = kubeletConditions(pod.status.conditions, [
    { type: "PodReadyToStartContainers", status: "True", lastProbeTime: null, lastTransitionTime: now },
    initCondition,
    ready,
    withFields(ready, { type: "ContainersReady" }),
    // The kubelet reports a pod it runs as scheduled (generateAPIPodStatus), also one bound by its manifest.
    { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now },
  ]);
  // withFields, not a spread: store objects come in many shapes (src/api/copy.ts).
  const out: Pod["status"] = withFields(pod.status, { phase, conditions, containerStatuses: app });
  if (init.length > 0) out.initContainerStatuses = init;
  if (s.podIP !== undefined) out.podIP = s.podIP;
  if (s.hostIP !== undefined) out.hostIP = s.hostIP;
  out.startTime = pod.status.startTime ?? now;
  return out;
}

/**
 * The conditions in generateAPIPodStatus's order: those the kubelet does not own as they were, then its own in
 * `own`'s order (PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled); a condition whose
 * status did not change keeps its lastTransitionTime (the status manager's updateLastTransitionTime).
 */
export function kubeletConditions(existing: readonly Condition[] | undefined, own: readonly Condition[]): Condition[] {
  const out: Condition[] = [];
  for (const c of existing ?? []) if (!own.some((o) => o.type === c.type)) out.push(c);
  for (const o of own) {
    const prev = existing?.find((c) => c.type === o.type);
    out.push(prev !== undefined && prev.status === o.status ? withFields(o, { lastTransitionTime: prev.lastTransitionTime }) : o);
  }
  return out;
}

function containerStatus(t: ContainerTrack, hasInit: boolean, clock: ApiClock): ContainerStatus {
  const image = t.spec.image;
  const terminated = (r: Run): ContainerState => ({
    terminated: { exitCode: r.exitCode, reason: r.reason, startedAt: clock.time(r.startedAt), finishedAt: clock.time(r.finishedAt) },
  });
  let state: ContainerState;
  let last: Run | undefined;
  if (t.runningSince !== undefined) {
    state = { running: { startedAt: clock.time(t.runningSince) } };
    last = t.lastRun;
  } else if (t.waiting !== undefined || t.step === "new" || t.step === "starting") {
    // convertToAPIContainerStatuses: a container the runtime has no record of yet waits with PodInitializing in a pod
    // that has init containers (init and app containers alike, before and after initialization), else with
    // ContainerCreating.
    const reason = t.waiting?.reason ?? (hasInit && t.lastRun === undefined ? "PodInitializing" : "ContainerCreating");
    state = { waiting: t.waiting?.message === undefined ? { reason } : { reason, message: t.waiting.message } };
    last = t.lastRun;
  } else {
    state = terminated(t.lastRun!);
    last = t.runBefore;
  }
  const running = t.runningSince !== undefined;
  const ready = t.role === "init" ? t.step === "exited" && t.lastRun?.exitCode === 0 && t.waiting === undefined : running && t.startedAt !== undefined && t.ready;
  const status: ContainerStatus = { name: t.name, image, ready, started: running && t.startedAt !== undefined, restartCount: t.restartCount, state };
  if (last !== undefined) status.lastState = terminated(last);
  return status;
}

function phaseView(t: ContainerTrack, s: ContainerStatus): PhaseContainer {
  const state = s.state.running ? "running" : s.state.terminated ? "terminated" : "waiting";
  return {
    role: t.role,
    state,
    exitCode: s.state.terminated?.exitCode,
    ranBefore: s.lastState?.terminated !== undefined,
    lastExitCode: s.lastState?.terminated?.exitCode,
    started: s.started === true,
  };
}

/** isInitContainerInitialized (status/generate.go): a sidecar once started, a regular init container once ready. */
function initComplete(t: ContainerTrack, s: ContainerStatus): boolean {
  return t.role === "sidecar" ? s.started === true : s.ready;
}

/**
 * isPodStatusByKubeletEqual (pkg/kubelet/status/status_manager.go): whether writing `built` would change nothing
 * the kubelet cares about: the conditions compared by type (their order aside), everything else exactly. A status
 * another writer reordered (a DisruptionTarget condition put first) is not written again.
 */
export function sameStatusByKubelet(built: Pod["status"], stored: Pod["status"]): boolean {
  if (isDeepStrictEqual(built, stored)) return true;
  const a = built.conditions ?? [];
  const b = stored.conditions ?? [];
  if (a.length !== b.length) return false;
  for (const c of a) {
    const o = b.find((x) => x.type === c.type);
    if (o === undefined || !isDeepStrictEqual(o, c)) return false;
  }
  return isDeepStrictEqual({ ...built, conditions: b }, stored);
}
