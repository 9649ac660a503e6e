/**
 * Which containers of a running pod the kubelet starts or stops next, and whether the pod is done: a pure function
 * of the containers' states, the kubelet's computePodActions with its init-container part
 * (pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions, computeInitContainerActions):
 *
 * - Init containers run one at a time in order; a regular one must exit 0 before the next starts; a sidecar (an
 *   init container with restartPolicy Always) must be running and started (its startup probe passed) before the
 *   next init container starts, and keeps running beside the app containers.
 * - A regular init container that fails is restarted, unless the pod's restartPolicy is Never: then the pod fails.
 * - App containers start together once initialization is done. An exited one is restarted under Always, under
 *   OnFailure when it failed, never under Never; one killed by its liveness probe is restarted unless Never.
 * - A sidecar that exits is always restarted while the pod runs, whatever its restartPolicy.
 * - When no app container is running or will be restarted, the pod is done: its sidecars are stopped, and once
 *   nothing runs the pod is Succeeded if every app container exited 0, else Failed.
 *
 * The kubelet runs the plan: "start" means: unless the container is in a crash-loop or image-pull back-off, pull
 * its image if needed, create and start it. Backoff is the executor's (doBackOff sits in startContainer upstream).
 */

/** How a container takes part: a regular init container, a sidecar (restartable init container) or an app container. */
export type ContainerRole = "init" | "sidecar" | "app";

/** Where a container is, as the plan needs it. */
export type ContainerStep =
  /** Not created in this pod instance yet. */
  | "new"
  /** Being brought up: image pull, create, start (or waiting for a back-off to end before that). */
  | "starting"
  /** Running. */
  | "running"
  /** Asked to stop, not exited yet. */
  | "stopping"
  /** Exited (possibly waiting to be restarted). */
  | "exited";

/** One container as the plan sees it. */
export interface PlanContainer {
  readonly role: ContainerRole;
  readonly step: ContainerStep;
  /** Exit code of its last exit, if it exited (in this pod instance, or a run lost with its node: step "new"). */
  readonly exitCode: number | undefined;
  /** Whether its last exit was a kill for a failed liveness or startup probe (restarted unless restartPolicy Never). */
  readonly probeKilled: boolean;
  /** Running and its startup probe passed (or it has none): status.containerStatuses[].started. */
  readonly started: boolean;
}

/** What to do next. Indices are into the containers given (init containers first, then app containers). */
export interface ContainerPlan {
  /** Containers to bring up now (in order). */
  readonly start: readonly number[];
  /** Containers to stop now (sidecars of a pod that is done). */
  readonly stop: readonly number[];
  /** Whether the pod has initialized (computeInitContainerActions' podHasInitialized: the last init container is
   *  done, or an app container exists): only then are the app containers planned. */
  readonly initialized: boolean;
  /** Set once the pod is done and nothing runs any more: its final phase. */
  readonly terminal: "Succeeded" | "Failed" | undefined;
}

/**
 * The next actions for a pod whose containers are `containers` (init containers in spec order, then app containers
 * in spec order) under `restartPolicy`. Pure; see the file comment for the rules.
 */
export function planContainers(containers: readonly PlanContainer[], restartPolicy: "Always" | "OnFailure" | "Never"): ContainerPlan {
  const stop: number[] = [];
  const apps: number[] = [];
  let lastInit = -1;
  containers.forEach((c, i) => (c.role === "app" ? apps.push(i) : (lastInit = i)));
  // getPhase: once no app container runs or will run again (terminated sidecars do not count), the phase is terminal
  // and the kubelet only tears the pod down (SyncTerminatingPod): nothing is started again, sidecars included.
  // NOTE: upstream reaches this through the phase of the status it last wrote; deciding it here also covers a
  // sidecar that exits in the same instant as the last app container (upstream may restart it once first).
  if (apps.length > 0 && apps.every((i) => ranBefore(containers[i]!) && !restarts(containers[i]!, restartPolicy))) {
    return finish(containers, stop, true, apps.every((i) => containers[i]!.exitCode === 0) ? "Succeeded" : "Failed");
  }
  // computeInitContainerActions, walking the init containers backwards from the last one that has a status.
  // podHasInitialized: an app container exists (created or running), or the last init container is done.
  let podHasInitialized = lastInit < 0 || apps.some((i) => live(containers[i]!));
  let previouslyInitialized = podHasInitialized;
  const initStart: number[] = [];
  for (let i = lastInit; i >= 0; i--) {
    const c = containers[i]!;
    const sidecar = c.role === "sidecar";
    if (c.step === "new") {
      // No status: after initialization a sidecar is (re)started; a regular init container never runs again.
      if (previouslyInitialized && sidecar) initStart.push(i);
      continue;
    }
    if (previouslyInitialized && !sidecar) continue;
    if (c.step === "exited") {
      if (sidecar) initStart.push(i);
      else if (c.exitCode !== 0) {
        // A failed init container: the pod fails under Never (KillPod), else it is restarted.
        if (restartPolicy === "Never") return finish(containers, stop, false, "Failed");
        initStart.push(i);
      } else if (i === lastInit) podHasInitialized = true;
      else initStart.push(i + 1);
    } else if (sidecar && live(c) && c.step !== "starting" && c.started) {
      // A running sidecar whose startup probe passed (or that has none) lets the next init container start.
      if (i === lastInit) podHasInitialized = true;
      else if (!previouslyInitialized) initStart.push(i + 1);
    }
    // Otherwise (being started, running, a sidecar not started yet): wait for it.
    previouslyInitialized = true;
  }
  if (!previouslyInitialized && lastInit >= 0) initStart.push(0);
  initStart.reverse();
  if (!podHasInitialized) return { start: initStart, stop, initialized: false, terminal: undefined };
  // computePodActions for the app containers: start the new ones and those ShouldContainerBeRestarted allows. The
  // check at the top made sure one of them runs or will run, so the pod is not done (no KillPod).
  const start = initStart;
  for (const i of apps) {
    const c = containers[i]!;
    if ((c.step === "new" && c.exitCode === undefined) || (ranBefore(c) && restarts(c, restartPolicy))) start.push(i);
  }
  return { start, stop, initialized: true, terminal: undefined };
}

/**
 * Exited, or not created in this pod instance but with a previous run (a container lost with its node, whose status
 * the restarted kubelet finds terminated): ShouldContainerBeRestarted decides both alike, so a lost container of a
 * restartPolicy Never pod is not started again and the pod fails (computePodActions kills a Never pod whose sandbox
 * changed after its containers had run).
 */
function ranBefore(c: PlanContainer): boolean {
  return c.step === "exited" || (c.step === "new" && c.exitCode !== undefined);
}

/** Being started, running or being stopped: the runtime has (or is about to have) the container. */
function live(c: PlanContainer): boolean {
  return c.step === "starting" || c.step === "running" || c.step === "stopping";
}

function restarts(c: PlanContainer, policy: "Always" | "OnFailure" | "Never"): boolean {
  if (policy === "Always") return true;
  if (policy === "Never") return false;
  return c.probeKilled || c.exitCode !== 0;
}

/** The pod is done: stop whatever still runs; it is terminal once nothing does. */
function finish(containers: readonly PlanContainer[], stop: number[], initialized: boolean, phase: "Succeeded" | "Failed"): ContainerPlan {
  let running = false;
  containers.forEach((c, i) => {
    if (c.step === "running" || c.step === "starting") {
      stop.push(i);
      running = true;
    } else if (c.step === "stopping") running = true;
  });
  return { start: [], stop, initialized, terminal: running ? undefined : phase };
}

/** One container's status as getPhase reads it. */
export interface PhaseContainer {
  readonly role: ContainerRole;
  /** Which state its status shows. */
  readonly state: "waiting" | "running" | "terminated";
  readonly exitCode: number | undefined;
  /** Waiting with a lastState.terminated (it ran before). */
  readonly ranBefore: boolean;
  /** Exit code of lastState.terminated, if any. */
  readonly lastExitCode: number | undefined;
  readonly started: boolean;
}

/**
 * The pod phase from its containers' statuses: pkg/kubelet/kubelet_pods.go getPhase, rule for rule (init containers,
 * sidecars, app containers; `terminal`: the kubelet decided the pod is done).
 */
export function podPhase(containers: readonly PhaseContainer[], restartPolicy: "Always" | "OnFailure" | "Never", terminal: boolean): "Pending" | "Running" | "Succeeded" | "Failed" {
  let pendingInitialization = 0;
  let failedInitialization = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  let anyAppStarted = false;
  for (const c of containers) {
    if (c.role === "init") {
      if (c.state === "running") pendingInitialization++;
      else if (c.state === "terminated") {
        if (c.exitCode !== 0) failedInitialization++;
      } else if (c.ranBefore) {
        if (c.lastExitCode !== 0) failedInitialization++;
      } else pendingInitialization++;
    } else if (c.role === "sidecar") {
      if (c.state === "running") {
        if (!c.started) pendingInitialization++;
        running++;
      } else if (c.state === "waiting" && !c.ranBefore) {
        pendingInitialization++;
        waiting++;
      }
    } else {
      if (c.state === "running") {
        running++;
        anyAppStarted = true;
      } else if (c.state === "terminated") {
        stopped++;
        anyAppStarted = true;
        if (c.exitCode === 0) succeeded++;
      } else if (c.ranBefore) {
        // Waiting to restart: stopped, but not "started" for HasAnyRegularContainerStarted (running or terminated).
        stopped++;
      } else waiting++;
    }
  }
  if (failedInitialization > 0 && restartPolicy === "Never") return "Failed";
  if (pendingInitialization > 0 && !anyAppStarted) return "Pending";
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped > 0) {
    if (terminal) return stopped === succeeded ? "Succeeded" : "Failed";
    if (restartPolicy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (restartPolicy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}
