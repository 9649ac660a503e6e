/**
 * The pure container planner and the pod phase (src/kubelet/containers/plan.ts) as tables: each case is a pod's
 * containers as the kubelet last saw them, and the rule of upstream that decides the answer:
 * - planContainers: pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions and
 *   computeInitContainerActions, with the terminal decision of pkg/kubelet/kubelet_pods.go getPhase (a pod whose
 *   phase is terminal is only torn down, SyncTerminatingPod).
 * - podPhase: pkg/kubelet/kubelet_pods.go getPhase.
 * Indices in `start` / `stop` are into the list given: init containers in spec order, then app containers.
 */
import { describe, expect, it } from "vitest";
import { planContainers, podPhase, type ContainerRole, type ContainerStep, type PhaseContainer, type PlanContainer } from "../src/kubelet/containers/plan.js";

type Policy = "Always" | "OnFailure" | "Never";

/** A container of a plan: `role`, `step`, and for "exited" its exit code. Running and stopping ones count as started. */
function pc(role: ContainerRole, step: ContainerStep, exitCode?: number, extra: Partial<PlanContainer> = {}): PlanContainer {
  return { role, step, exitCode: step === "exited" ? exitCode : undefined, probeKilled: false, started: step === "running" || step === "stopping", ...extra };
}

const init = (step: ContainerStep, exitCode?: number) => pc("init", step, exitCode);
const sidecar = (step: ContainerStep, exitCode?: number, extra: Partial<PlanContainer> = {}) => pc("sidecar", step, exitCode, extra);
const app = (step: ContainerStep, exitCode?: number, extra: Partial<PlanContainer> = {}) => pc("app", step, exitCode, extra);

interface PlanCase {
  /** The upstream rule the case checks. */
  rule: string;
  policy: Policy;
  containers: PlanContainer[];
  start: number[];
  stop?: number[];
  initialized: boolean;
  terminal?: "Succeeded" | "Failed";
}

const initCases: PlanCase[] = [
  {
    rule: "computeInitContainerActions: no init container started yet -> start the first one (index 0) only",
    policy: "Always",
    containers: [init("new"), init("new"), app("new")],
    start: [0],
    initialized: false,
  },
  {
    rule: "computeInitContainerActions: a regular init container running -> wait for it to finish",
    policy: "Always",
    containers: [init("running"), init("new"), app("new")],
    start: [],
    initialized: false,
  },
  {
    rule: "computeInitContainerActions: init container i exited 0 -> start i+1",
    policy: "Always",
    containers: [init("exited", 0), init("new"), app("new")],
    start: [1],
    initialized: false,
  },
  {
    rule: "computeInitContainerActions: the last init container exited 0 -> podHasInitialized, computePodActions starts the app containers",
    policy: "Always",
    containers: [init("exited", 0), init("exited", 0), app("new"), app("new")],
    start: [2, 3],
    initialized: true,
  },
  {
    rule: "computeInitContainerActions: a failed regular init container under Never -> KillPod; getPhase: failedInitialization && Never -> Failed",
    policy: "Never",
    containers: [init("exited", 0), init("exited", 1), app("new")],
    start: [],
    initialized: false,
    terminal: "Failed",
  },
  {
    rule: "computeInitContainerActions: a failed regular init container under OnFailure -> restart it (InitContainersToStart = i)",
    policy: "OnFailure",
    containers: [init("exited", 0), init("exited", 1), app("new")],
    start: [1],
    initialized: false,
  },
  {
    rule: "computeInitContainerActions: a failed regular init container under Always -> restart it",
    policy: "Always",
    containers: [init("exited", 2), app("new")],
    start: [0],
    initialized: false,
  },
  {
    rule: "KillPod for a failed init container under Never: a running sidecar is stopped first; the pod is terminal only once it exited",
    policy: "Never",
    containers: [sidecar("running"), init("exited", 1), app("new")],
    start: [],
    stop: [0],
    initialized: false,
  },
  {
    rule: "... and once the sidecar exited, nothing runs: Failed, the sidecar not restarted",
    policy: "Never",
    containers: [sidecar("exited", 0), init("exited", 1), app("new")],
    start: [],
    initialized: false,
    terminal: "Failed",
  },
];

const sidecarCases: PlanCase[] = [
  {
    rule: "computeInitContainerActions: a sidecar not started yet -> start it, and not the next init container",
    policy: "Always",
    containers: [sidecar("new"), init("new"), app("new")],
    start: [0],
    initialized: false,
  },
  {
    rule: "computeInitContainerActions: a running sidecar whose startup probe has not passed -> wait (the next init container does not start)",
    policy: "Always",
    containers: [sidecar("running", undefined, { started: false }), init("new"), app("new")],
    start: [],
    initialized: false,
  },
  {
    rule: "computeInitContainerActions: a running, started sidecar -> start init container i+1 beside it",
    policy: "Always",
    containers: [sidecar("running"), init("new"), app("new")],
    start: [1],
    initialized: false,
  },
  {
    rule: "computeInitContainerActions: the sidecar started and the last init container exited 0 -> the app containers start, the sidecar keeps running",
    policy: "Always",
    containers: [sidecar("running"), init("exited", 0), app("new")],
    start: [2],
    initialized: true,
  },
  {
    rule: "computeInitContainerActions: a sidecar that exited after initialization is restarted whatever the policy (Never here)",
    policy: "Never",
    containers: [sidecar("exited", 1), init("exited", 0), app("running")],
    start: [0],
    initialized: true,
  },
  {
    rule: "computeInitContainerActions: ... also a sidecar that exited 0 (restartable init containers always restart)",
    policy: "OnFailure",
    containers: [sidecar("exited", 0), app("running")],
    start: [0],
    initialized: true,
  },
  {
    rule: "computeInitContainerActions: podHasInitialized (an app container runs) -> a restarting sidecar does not hold back computePodActions for the apps",
    policy: "Always",
    containers: [sidecar("exited", 1), app("running"), app("exited", 1)],
    start: [0, 2],
    initialized: true,
  },
  {
    rule: "computeInitContainerActions: the last init container is initialized -> podHasInitialized, an earlier sidecar's restart runs beside the apps'",
    policy: "Always",
    containers: [sidecar("exited", 1), init("exited", 0), app("exited", 1)],
    start: [0, 2],
    initialized: true,
  },
];

const appCases: PlanCase[] = [
  { rule: "ShouldContainerBeRestarted: Always restarts a container that exited 0", policy: "Always", containers: [app("exited", 0)], start: [0], initialized: true },
  { rule: "ShouldContainerBeRestarted: Always restarts a container that exited 1", policy: "Always", containers: [app("exited", 1)], start: [0], initialized: true },
  { rule: "ShouldContainerBeRestarted: OnFailure restarts a container that exited non-zero", policy: "OnFailure", containers: [app("exited", 3)], start: [0], initialized: true },
  {
    rule: "ShouldContainerBeRestarted: OnFailure leaves a container that exited 0; getPhase: all stopped, all succeeded -> Succeeded",
    policy: "OnFailure",
    containers: [app("exited", 0)],
    start: [],
    initialized: true,
    terminal: "Succeeded",
  },
  {
    rule: "ShouldContainerBeRestarted: Never leaves a failed container; getPhase: Never with a failure -> Failed",
    policy: "Never",
    containers: [app("exited", 1)],
    start: [],
    initialized: true,
    terminal: "Failed",
  },
  { rule: "getPhase: Never, every app container exited 0 -> Succeeded", policy: "Never", containers: [app("exited", 0), app("exited", 0)], start: [], initialized: true, terminal: "Succeeded" },
  { rule: "getPhase: Never, one exited 0 and one exited 1 -> Failed", policy: "Never", containers: [app("exited", 0), app("exited", 1)], start: [], initialized: true, terminal: "Failed" },
  { rule: "getPhase: Never, one exited and one still running -> not terminal", policy: "Never", containers: [app("exited", 0), app("running")], start: [], initialized: true },
  { rule: "computePodActions: a running container is kept", policy: "Always", containers: [app("running"), app("starting")], start: [], initialized: true },
];

const probeKillCases: PlanCase[] = [
  {
    rule: "computePodActions: liveness failure -> restart = shouldRestartOnFailure (OnFailure: yes, even after a graceful exit 0)",
    policy: "OnFailure",
    containers: [app("exited", 0, { probeKilled: true })],
    start: [0],
    initialized: true,
  },
  { rule: "computePodActions: liveness failure under Always -> restarted", policy: "Always", containers: [app("exited", 137, { probeKilled: true })], start: [0], initialized: true },
  {
    rule: "computePodActions: liveness failure under Never -> not restarted; getPhase: Never with exit 137 -> Failed",
    policy: "Never",
    containers: [app("exited", 137, { probeKilled: true })],
    start: [],
    initialized: true,
    terminal: "Failed",
  },
  { rule: "a probe-killed container still stopping counts as running", policy: "Never", containers: [app("stopping", undefined, { probeKilled: true })], start: [], initialized: true },
];

const terminalCases: PlanCase[] = [
  {
    rule: "computePodActions: keepCount 0 and nothing to start -> KillPod: the running sidecar is stopped, the pod not terminal yet",
    policy: "Never",
    containers: [sidecar("running"), app("exited", 0)],
    start: [],
    stop: [0],
    initialized: true,
  },
  { rule: "a sidecar being stopped keeps the pod from being terminal", policy: "Never", containers: [sidecar("stopping"), app("exited", 0)], start: [], initialized: true },
  {
    rule: "getPhase ignores terminated sidecars: apps done and nothing runs -> Succeeded, and the exited sidecar is not restarted (KillPod: InitContainersToStart = nil)",
    policy: "Never",
    containers: [sidecar("exited", 0), app("exited", 0)],
    start: [],
    initialized: true,
    terminal: "Succeeded",
  },
  {
    rule: "... also when the sidecar is not the last init container",
    policy: "OnFailure",
    containers: [sidecar("exited", 0), init("exited", 0), app("exited", 0)],
    start: [],
    initialized: true,
    terminal: "Succeeded",
  },
  {
    rule: "KillPod under OnFailure once every app exited 0: the sidecar is stopped",
    policy: "OnFailure",
    containers: [sidecar("running"), app("exited", 0), app("exited", 0)],
    start: [],
    stop: [0],
    initialized: true,
  },
  {
    rule: "under Always an app container always restarts: the sidecar keeps running",
    policy: "Always",
    containers: [sidecar("running"), app("exited", 0)],
    start: [1],
    initialized: true,
  },
];

describe("planContainers", () => {
  for (const [group, cases] of [
    ["init containers", initCases],
    ["sidecars", sidecarCases],
    ["app containers", appCases],
    ["probe kills", probeKillCases],
    ["the pod done", terminalCases],
  ] as const) {
    describe(group, () => {
      it.each(cases.map((c) => [c.rule, c] as const))("%s", (_rule, c) => {
        const plan = planContainers(c.containers, c.policy);
        expect(plan).toEqual({ start: c.start, stop: c.stop ?? [], initialized: c.initialized, terminal: c.terminal });
      });
    });
  }

  it("does not change the containers it is given", () => {
    const containers = Object.freeze([Object.freeze(sidecar("exited", 1)), Object.freeze(app("running")), Object.freeze(app("exited", 1))]);
    const copy = structuredClone([...containers]);
    planContainers(containers, "Always");
    expect([...containers]).toEqual(copy);
  });
});

/** A container status as getPhase reads it. */
function ps(role: ContainerRole, state: PhaseContainer["state"], o: { exit?: number; last?: number; started?: boolean } = {}): PhaseContainer {
  return { role, state, exitCode: state === "terminated" ? (o.exit ?? 0) : undefined, ranBefore: o.last !== undefined, lastExitCode: o.last, started: o.started ?? state === "running" };
}

interface PhaseCase {
  rule: string;
  policy: Policy;
  containers: PhaseContainer[];
  terminal?: boolean;
  phase: "Pending" | "Running" | "Succeeded" | "Failed";
}

const phaseCases: PhaseCase[] = [
  { rule: "waiting > 0 (a container never started) -> Pending", policy: "Always", containers: [ps("app", "waiting")], phase: "Pending" },
  { rule: "running > 0 && unknown == 0 -> Running", policy: "Always", containers: [ps("app", "running"), ps("app", "running")], phase: "Running" },
  { rule: "one running, one waiting for its first start -> Pending (waiting > 0 comes first)", policy: "Always", containers: [ps("app", "running"), ps("app", "waiting")], phase: "Pending" },
  { rule: "all stopped, Always -> Running (all containers are in the process of restarting)", policy: "Always", containers: [ps("app", "terminated", { exit: 0 })], phase: "Running" },
  { rule: "waiting with lastState.terminated counts as stopped: CrashLoopBackOff under Always -> Running", policy: "Always", containers: [ps("app", "waiting", { last: 1 })], phase: "Running" },
  { rule: "stopped but not succeeded, OnFailure -> Running (restarting)", policy: "OnFailure", containers: [ps("app", "waiting", { last: 1 })], phase: "Running" },
  { rule: "waiting after an exit 0 is stopped, not succeeded: OnFailure -> Running", policy: "OnFailure", containers: [ps("app", "waiting", { last: 0 })], phase: "Running" },
  { rule: "stopped == succeeded, not Always -> Succeeded", policy: "OnFailure", containers: [ps("app", "terminated", { exit: 0 }), ps("app", "terminated", { exit: 0 })], phase: "Succeeded" },
  { rule: "stopped != succeeded, Never -> Failed", policy: "Never", containers: [ps("app", "terminated", { exit: 0 }), ps("app", "terminated", { exit: 1 })], phase: "Failed" },
  { rule: "podIsTerminal: stopped == succeeded -> Succeeded even under Always", policy: "Always", containers: [ps("app", "terminated", { exit: 0 })], terminal: true, phase: "Succeeded" },
  { rule: "podIsTerminal: a failure -> Failed even under Always", policy: "Always", containers: [ps("app", "terminated", { exit: 137 })], terminal: true, phase: "Failed" },
  { rule: "a regular init container running -> pendingInitialization -> Pending", policy: "Always", containers: [ps("init", "running"), ps("app", "waiting")], phase: "Pending" },
  { rule: "a regular init container not started -> Pending", policy: "Always", containers: [ps("init", "terminated", { exit: 0 }), ps("init", "waiting"), ps("app", "waiting")], phase: "Pending" },
  { rule: "failedInitialization (terminated non-zero) && Never -> Failed", policy: "Never", containers: [ps("init", "terminated", { exit: 1 }), ps("app", "waiting")], phase: "Failed" },
  {
    rule: "failedInitialization (waiting after a non-zero exit) && Never -> Failed",
    policy: "Never",
    containers: [ps("init", "waiting", { last: 1 }), ps("app", "waiting")],
    phase: "Failed",
  },
  {
    rule: "failedInitialization under OnFailure: the init container restarts, the apps wait -> Pending (Init:CrashLoopBackOff)",
    policy: "OnFailure",
    containers: [ps("init", "waiting", { last: 1 }), ps("app", "waiting")],
    phase: "Pending",
  },
  { rule: "a sidecar running but not started (startup probe pending) -> pendingInitialization -> Pending", policy: "Always", containers: [ps("sidecar", "running", { started: false }), ps("app", "waiting")], phase: "Pending" },
  { rule: "a started sidecar beside a running app -> Running", policy: "Always", containers: [ps("sidecar", "running"), ps("app", "running")], phase: "Running" },
  { rule: "a running sidecar counts as running: Never, app exited 0 -> Running until the sidecar stops", policy: "Never", containers: [ps("sidecar", "running"), ps("app", "terminated", { exit: 0 })], phase: "Running" },
  { rule: "terminated sidecars are ignored: Never, app exited 0 -> Succeeded", policy: "Never", containers: [ps("sidecar", "terminated", { exit: 137 }), ps("app", "terminated", { exit: 0 })], phase: "Succeeded" },
  { rule: "a sidecar waiting to restart (lastState set) is ignored: app running -> Running", policy: "Always", containers: [ps("sidecar", "waiting", { last: 1 }), ps("app", "running")], phase: "Running" },
  {
    rule: "a sidecar restarting (not started) after an app started -> not Pending (HasAnyRegularContainerStarted)",
    policy: "Always",
    containers: [ps("sidecar", "running", { started: false }), ps("app", "running")],
    phase: "Running",
  },
  {
    rule: "HasAnyRegularContainerStarted counts running or terminated app containers only: a sidecar not started beside an app in CrashLoopBackOff -> Pending",
    policy: "Always",
    containers: [ps("sidecar", "running", { started: false }), ps("app", "waiting", { last: 1 })],
    phase: "Pending",
  },
];

describe("podPhase (kubelet_pods.go getPhase)", () => {
  it.each(phaseCases.map((c) => [c.rule, c] as const))("%s", (_rule, c) => {
    expect(podPhase(c.containers, c.policy, c.terminal ?? false)).toBe(c.phase);
  });
});
