/**
 * The kubelet's per-pod lifecycle as a pure transition function: `transition(state, event)` returns the next state
 * and the actions the kubelet performs (src/kubelet/kubelet.ts executes them; test/pod-lifecycle.test.ts tests the
 * function as a table, without a simulation).
 *
 * Upstream this is spread over pkg/kubelet/kubelet.go (HandlePodAdditions: canAdmitPod, rejectPod; SyncPod;
 * SyncTerminatingPod; SyncTerminatedPod), pkg/kubelet/pod_workers.go (a pod worker per pod UID, moving from syncing
 * to terminating to terminated, never back) and pkg/kubelet/status/status_manager.go (canBeDeleted, then the grace-0
 * delete that confirms a pod's deletion). k8sim's kubelet runs one lifecycle per pod instance (namespace, name and
 * uid): a pod replaced by another of the same name is a new instance, and the old one is removed first.
 *
 *   Absent --podUpdate--> Admitting --admitted--> Starting --sandboxReady--> Running --completed--> Completed
 *                                   --rejected--> Rejected
 *   Starting --networkNotReady | sandboxFailed--> WaitingForNetwork --networkReady--> Starting
 *   Starting --volumesPending--> WaitingForVolumes --volumesMounted--> Starting
 *   Starting | Running | Absent --deletionRequested--> Stopping --containersStopped--> Absent (deletion confirmed)
 *   Rejected | WaitingForNetwork | WaitingForVolumes | Completed | Absent (terminal pod) --deletionRequested--> Stopped
 *   Stopped --resync--> Absent
 *
 * While Running, the pod's containers are the business of src/kubelet/containers/ (SyncPod's container part: init
 * containers, restarts with back-off, probes); it reports `completed` when the pod is done (Succeeded or Failed)
 * and `containersStopped` when every container of a pod being deleted has exited.
 *
 * Events that do not apply in a state (a start reported for a pod being stopped, say) change nothing: they are the
 * late echoes a discrete-event run produces, not errors.
 */
import { assertNever } from "../engine/assert-never.js";

/**
 * Where one pod instance is in the kubelet. "Absent": the kubelet holds nothing for it (not seen yet, skipped as
 * terminal, or done with). "Admitting" only lasts while the kubelet decides admission, within one call.
 */
export type PodLifecycleState =
  /** Nothing held: never seen, skipped because it was terminal, or forgotten after its deletion. */
  | "Absent"
  /** Admission is being decided (canAdmitPod); the kubelet answers at once with `admitted` or `rejected`. */
  | "Admitting"
  /** Admission refused the pod: it is Failed, never runs and holds no resources (rejectPod). */
  | "Rejected"
  /** Admitted; its containers are being started (SyncPod); the pod is ContainerCreating. */
  | "Starting"
  /** Admitted, but no sandbox can be created: the node's pod network is not ready (it has no pod CIDR; SyncPod
   *  stops at "network is not ready"), or the sandbox's network setup failed (no free pod IP). The pod stays
   *  ContainerCreating and holds its resources until `networkReady`. */
  | "WaitingForNetwork"
  /** Admitted, but SyncPod waits in WaitForAttachAndMount: a configMap, secret or projected volume cannot be set up
   *  (its ConfigMap or Secret, or a key it lists, is missing). No sandbox is created; the pod stays ContainerCreating
   *  and holds its resources until `volumesMounted` (src/kubelet/config/volume-mounts.ts). */
  | "WaitingForVolumes"
  /** Its sandbox exists; its containers are started, restarted and probed (src/kubelet/containers/). */
  | "Running"
  /** Its containers are done and the pod is Succeeded or Failed: it holds no resources, its sandbox stays until
   *  the pod is deleted. */
  | "Completed"
  /** Deletion requested: its containers are being stopped within the grace period (SyncTerminatingPod). */
  | "Stopping"
  /** Nothing left to stop (it never ran); the deletion is confirmed at the pod worker's next pass. */
  | "Stopped";

/** What happens to a pod instance, as the kubelet sees it. */
export type PodLifecycleEvent =
  /** The pod informer delivered the pod (added or updated) without a deletion timestamp. `terminal`: its phase is
   *  Succeeded or Failed. */
  | { readonly t: "podUpdate"; readonly terminal: boolean }
  /** Admission let the pod in (lifecycle.PodAdmitResult Admit). */
  | { readonly t: "admitted" }
  /** Admission refused the pod, with the reason and message rejectPod reports. */
  | { readonly t: "rejected"; readonly reason: string; readonly message: string }
  /** The pod's sandbox was created (RunPodSandbox with its network): its containers can be started. */
  | { readonly t: "sandboxReady" }
  /** Every container is done and the pod is terminal (Succeeded or Failed). */
  | { readonly t: "completed" }
  /** The pod's sandbox cannot be created: the node's network is not ready (no pod CIDR, so no CNI config). */
  | { readonly t: "networkNotReady" }
  /** The node's network became ready (it has a pod CIDR now), or a pod IP was freed: try the sandbox again. */
  | { readonly t: "networkReady" }
  /** The sandbox's network setup failed (the CNI plugin found no free pod IP), with the runtime's message. */
  | { readonly t: "sandboxFailed"; readonly message: string }
  /** WaitForAttachAndMount did not find every volume of the pod mounted (a ConfigMap or Secret is missing). */
  | { readonly t: "volumesPending" }
  /** The pod worker saw every volume of the pod mounted: the start goes on (network, sandbox). */
  | { readonly t: "volumesMounted" }
  /** The pod has a deletion timestamp; `graceMs` is its deletionGracePeriodSeconds in ms, `terminal` as above. */
  | { readonly t: "deletionRequested"; readonly graceMs: number; readonly terminal: boolean }
  /** Every container of the pod being deleted has exited. */
  | { readonly t: "containersStopped" }
  /** The pass the kubelet asked for with `requeue` came. */
  | { readonly t: "resync" }
  /** The pod is gone from the API (HandlePodRemoves), or replaced by another of the same name. */
  | { readonly t: "podRemoved" }
  /** The node failed: the kubelet and the node's runtime lose everything they held. */
  | { readonly t: "nodeStopped" };

/** What the kubelet does for a transition, in order. */
export type PodLifecycleAction =
  /** Decide admission and feed the answer back as `admitted` or `rejected`. */
  | { readonly t: "admit" }
  /** rejectPod: a Warning event with the reason and message, the status Failed with "Pod was rejected: <message>". */
  | { readonly t: "reject"; readonly reason: string; readonly message: string }
  /** Count the pod's requests in the node's running sum for admission. */
  | { readonly t: "hold" }
  /** Take the pod's requests out of that sum again. */
  | { readonly t: "release" }
  /** Write the pod's status as ContainerCreating (containers waiting, not Ready, start time set). */
  | { readonly t: "postStatus"; readonly status: "ContainerCreating" }
  /** Create the pod's sandbox (RunPodSandbox with a pod IP) and feed back `sandboxReady`; when the node's network is
   *  not ready, a volume cannot be mounted yet, or no IP is free, feed back `networkNotReady`, `volumesPending` or
   *  `sandboxFailed` instead (SyncPod's order: network check, WaitForAttachAndMount, then the sandbox). */
  | { readonly t: "runtimeStart" }
  /** Start managing the pod's containers (src/kubelet/containers/): SyncPod's container part. */
  | { readonly t: "syncContainers" }
  /** Record the Warning event NetworkNotReady SyncPod records when it cannot start a pod for want of a network. */
  | { readonly t: "reportNetworkNotReady" }
  /** Record the Warning event FailedCreatePodSandBox with the runtime's message (createPodSandbox failed). */
  | { readonly t: "reportSandboxFailed"; readonly message: string }
  /** Stop the pod's containers within `graceMs` (killContainer: Killing events, StopContainer with that timeout). */
  | { readonly t: "runtimeStop"; readonly graceMs: number }
  /** Give the pod's IP back to the node's range (its sandbox's network torn down: StopPodSandbox, CNI DEL). */
  | { readonly t: "releaseIP" }
  /** Drop the pod's sandbox from the runtime, with any completion still pending (RemovePodSandbox). */
  | { readonly t: "runtimeRemove" }
  /** Ask for a `resync` event at the same virtual instant. */
  | { readonly t: "requeue" }
  /** Drop a `resync` still pending. */
  | { readonly t: "cancelRequeue" }
  /** Confirm the deletion: the grace-0 delete of the status manager once canBeDeleted holds. */
  | { readonly t: "confirmDelete" };

/** The outcome of one event: the next state and the actions to perform, in order. */
export interface PodTransition {
  readonly state: PodLifecycleState;
  readonly actions: readonly PodLifecycleAction[];
}

const act = <A extends PodLifecycleAction>(a: A): A => Object.freeze(a);
const ADMIT = act({ t: "admit" });
const HOLD = act({ t: "hold" });
const RELEASE = act({ t: "release" });
const CREATING = act({ t: "postStatus", status: "ContainerCreating" });
const SYNC_CONTAINERS = act({ t: "syncContainers" });
const RUNTIME_START = act({ t: "runtimeStart" });
const REPORT_NETWORK_NOT_READY = act({ t: "reportNetworkNotReady" });
const RUNTIME_REMOVE = act({ t: "runtimeRemove" });
const REQUEUE = act({ t: "requeue" });
const CANCEL_REQUEUE = act({ t: "cancelRequeue" });
const CONFIRM_DELETE = act({ t: "confirmDelete" });

// Transitions without a payload are shared constants: a pod event allocates only what carries data.
const to = (state: PodLifecycleState, ...actions: PodLifecycleAction[]): PodTransition => Object.freeze({ state, actions: Object.freeze(actions) });
const STAY: Readonly<Record<PodLifecycleState, PodTransition>> = {
  Absent: to("Absent"),
  Admitting: to("Admitting"),
  Rejected: to("Rejected"),
  Starting: to("Starting"),
  WaitingForNetwork: to("WaitingForNetwork"),
  WaitingForVolumes: to("WaitingForVolumes"),
  Running: to("Running"),
  Completed: to("Completed"),
  Stopping: to("Stopping"),
  Stopped: to("Stopped"),
};
const GONE = to("Absent");
const ADMITTING = to("Admitting", ADMIT);
const STARTING = to("Starting", CREATING, HOLD, RUNTIME_START);
const NOW_RUNNING = to("Running", SYNC_CONTAINERS);
// A terminal pod's sandbox is stopped (KillPod): CNI releases its IP; the status keeps podIP, the sandbox record stays.
const RELEASE_IP = act({ t: "releaseIP" });
const COMPLETED = to("Completed", RELEASE, RELEASE_IP);
const COMPLETED_DELETED = to("Stopped", RUNTIME_REMOVE, REQUEUE);
const STOPPED = to("Stopped", REQUEUE);
const WAITING_FOR_NETWORK = to("WaitingForNetwork", REPORT_NETWORK_NOT_READY);
const NETWORK_NOW_READY = to("Starting", RUNTIME_START);
const WAITING_FOR_VOLUMES = to("WaitingForVolumes");
const VOLUMES_NOW_MOUNTED = to("Starting", RUNTIME_START);
const STOPPED_HELD = to("Stopped", RELEASE, REQUEUE);
const REMOVED_HELD = to("Absent", RELEASE);
const STOPPED_CONFIRMED = to("Absent", RELEASE, RUNTIME_REMOVE, CONFIRM_DELETE);
const RESYNC_CONFIRMED = to("Absent", CONFIRM_DELETE);
const REMOVED_WITH_CONTAINERS = to("Absent", RELEASE, RUNTIME_REMOVE);
const REMOVED_REQUEUED = to("Absent", CANCEL_REQUEUE);
const LOST_WITH_CONTAINERS = to("Absent", RUNTIME_REMOVE);

/**
 * The next state of a pod instance in `state` on `event`, and what the kubelet must do. Pure and total: every
 * (state, event) pair has an answer; pairs that cannot apply return the state unchanged with no actions.
 */
export function transition(state: PodLifecycleState, event: PodLifecycleEvent): PodTransition {
  switch (event.t) {
    case "podUpdate":
      // HandlePodAdditions skips terminal pods; a pod the kubelet already holds is not admitted again.
      if (state !== "Absent" || event.terminal) return STAY[state];
      return ADMITTING;
    case "admitted":
      return state === "Admitting" ? STARTING : STAY[state];
    case "rejected":
      return state === "Admitting" ? { state: "Rejected", actions: [{ t: "reject", reason: event.reason, message: event.message }] } : STAY[state];
    case "sandboxReady":
      return state === "Starting" ? NOW_RUNNING : STAY[state];
    case "completed":
      return state === "Running" ? COMPLETED : STAY[state];
    case "networkNotReady":
      return state === "Starting" ? WAITING_FOR_NETWORK : STAY[state];
    case "networkReady":
      return state === "WaitingForNetwork" ? NETWORK_NOW_READY : STAY[state];
    case "sandboxFailed":
      // SyncPod's createPodSandbox failed: the pod stays ContainerCreating and waits like one without a network.
      return state === "Starting" ? { state: "WaitingForNetwork", actions: [{ t: "reportSandboxFailed", message: event.message }] } : STAY[state];
    case "volumesPending":
      // The FailedMount events are the volume manager's (recorded per failed attempt); the status says ContainerCreating.
      return state === "Starting" ? WAITING_FOR_VOLUMES : STAY[state];
    case "volumesMounted":
      return state === "WaitingForVolumes" ? VOLUMES_NOW_MOUNTED : STAY[state];
    case "deletionRequested":
      return onDeletion(state, event.graceMs, event.terminal);
    case "containersStopped":
      return state === "Stopping" ? STOPPED_CONFIRMED : STAY[state];
    case "resync":
      return state === "Stopped" ? RESYNC_CONFIRMED : STAY[state];
    case "podRemoved":
      return onRemoval(state, REMOVED_WITH_CONTAINERS, REMOVED_HELD);
    case "nodeStopped":
      // The kubelet resets its running sum as a whole, so nothing is released one pod at a time.
      return onRemoval(state, LOST_WITH_CONTAINERS, GONE);
    default:
      return assertNever(event);
  }
}

function onDeletion(state: PodLifecycleState, graceMs: number, terminal: boolean): PodTransition {
  switch (state) {
    case "Absent":
      // A terminal pod has no containers to stop. Any other pod the kubelet did not hold (found being deleted when
      // it starts) holds its resources until its containers have stopped.
      if (terminal) return STOPPED;
      return { state: "Stopping", actions: [HOLD, { t: "runtimeStop", graceMs }] };
    case "Rejected":
      return STOPPED;
    case "WaitingForNetwork":
    case "WaitingForVolumes":
      // No sandbox was ever created: nothing to kill (no Killing events), the pod stops holding resources at once.
      // (Deletion cancels the sync waiting in WaitForAttachAndMount: kubernetes#117412.)
      return STOPPED_HELD;
    case "Starting":
    case "Running":
      return { state: "Stopping", actions: [{ t: "runtimeStop", graceMs }] };
    case "Completed":
      // Nothing runs: the sandbox goes and the deletion is confirmed at the pod worker's next pass.
      return COMPLETED_DELETED;
    case "Stopping":
      // A second delete with a shorter grace period can only bring the end forward: the runtime decides.
      return { state: "Stopping", actions: [{ t: "runtimeStop", graceMs }] };
    case "Admitting":
    case "Stopped":
      return STAY[state];
    default:
      return assertNever(state);
  }
}

function onRemoval(state: PodLifecycleState, withContainers: PodTransition, heldOnly: PodTransition): PodTransition {
  switch (state) {
    case "Starting":
    case "Running":
    case "Stopping":
    case "Completed":
      return withContainers;
    case "WaitingForNetwork":
    case "WaitingForVolumes":
      return heldOnly;
    case "Stopped":
      return REMOVED_REQUEUED;
    case "Absent":
    case "Admitting":
    case "Rejected":
      return GONE;
    default:
      return assertNever(state);
  }
}
