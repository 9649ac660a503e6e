/**
 * The kubelet's per-pod lifecycle (src/kubelet/pod-lifecycle.ts) as a table: every state x every event, the next
 * state and the actions, without a simulation. Each row says why, from upstream (pkg/kubelet/kubelet.go
 * HandlePodAdditions / SyncPod / SyncTerminatingPod / SyncTerminatedPod, pkg/kubelet/pod_workers.go,
 * pkg/kubelet/status/status_manager.go) and from what the kubelet did before the lifecycle was a function.
 */
import { describe, expect, it } from "vitest";
import type { PodLifecycleAction, PodLifecycleEvent, PodLifecycleState } from "../src/kubelet/pod-lifecycle.js";
import { transition } from "../src/kubelet/pod-lifecycle.js";

const STATES: PodLifecycleState[] = ["Absent", "Admitting", "Rejected", "Starting", "WaitingForNetwork", "WaitingForVolumes", "Running", "Completed", "Stopping", "Stopped"];

// Events, one of each shape (both values of `terminal` where it matters).
const update: PodLifecycleEvent = { t: "podUpdate", terminal: false };
const terminalUpdate: PodLifecycleEvent = { t: "podUpdate", terminal: true };
const admitted: PodLifecycleEvent = { t: "admitted" };
const rejected: PodLifecycleEvent = { t: "rejected", reason: "OutOfcpu", message: "Node didn't have enough resource: cpu, requested: 800, used: 800, capacity: 1000" };
const started: PodLifecycleEvent = { t: "sandboxReady" };
const completed: PodLifecycleEvent = { t: "completed" };
const noNetwork: PodLifecycleEvent = { t: "networkNotReady" };
const network: PodLifecycleEvent = { t: "networkReady" };
const NO_IP = "Failed to create pod sandbox: ... no IP addresses available in range set: 10.0.0.2-10.0.0.2";
const sandboxFailed: PodLifecycleEvent = { t: "sandboxFailed", message: NO_IP };
const deletion: PodLifecycleEvent = { t: "deletionRequested", graceMs: 30_000, terminal: false };
const terminalDeletion: PodLifecycleEvent = { t: "deletionRequested", graceMs: 30_000, terminal: true };
const stopped: PodLifecycleEvent = { t: "containersStopped" };
const resync: PodLifecycleEvent = { t: "resync" };
const removed: PodLifecycleEvent = { t: "podRemoved" };
const nodeStopped: PodLifecycleEvent = { t: "nodeStopped" };
const volumesPending: PodLifecycleEvent = { t: "volumesPending" };
const volumesMounted: PodLifecycleEvent = { t: "volumesMounted" };
const EVENTS = [update, terminalUpdate, admitted, rejected, started, completed, noNetwork, network, sandboxFailed, deletion, terminalDeletion, stopped, resync, removed, nodeStopped, volumesPending, volumesMounted];

// Actions.
const admit: PodLifecycleAction = { t: "admit" };
const reject: PodLifecycleAction = { t: "reject", reason: "OutOfcpu", message: "Node didn't have enough resource: cpu, requested: 800, used: 800, capacity: 1000" };
const hold: PodLifecycleAction = { t: "hold" };
const release: PodLifecycleAction = { t: "release" };
const creating: PodLifecycleAction = { t: "postStatus", status: "ContainerCreating" };
const syncContainers: PodLifecycleAction = { t: "syncContainers" };
const runtimeStart: PodLifecycleAction = { t: "runtimeStart" };
const reportNoNetwork: PodLifecycleAction = { t: "reportNetworkNotReady" };
const reportSandboxFailed: PodLifecycleAction = { t: "reportSandboxFailed", message: NO_IP };
const runtimeStop: PodLifecycleAction = { t: "runtimeStop", graceMs: 30_000 };
const runtimeRemove: PodLifecycleAction = { t: "runtimeRemove" };
const releaseIP: PodLifecycleAction = { t: "releaseIP" };
const requeue: PodLifecycleAction = { t: "requeue" };
const cancelRequeue: PodLifecycleAction = { t: "cancelRequeue" };
const confirmDelete: PodLifecycleAction = { t: "confirmDelete" };

interface Row {
  from: PodLifecycleState;
  on: PodLifecycleEvent;
  to: PodLifecycleState;
  actions: PodLifecycleAction[];
  why: string;
}
const row = (from: PodLifecycleState, on: PodLifecycleEvent, to: PodLifecycleState, actions: PodLifecycleAction[], why: string): Row => ({ from, on, to, actions, why });
/** The event changes nothing in this state. */
const ignored = (from: PodLifecycleState, on: PodLifecycleEvent, why: string): Row => row(from, on, from, [], why);

/** The volume events outside the two states they concern: only a start waits for volumes. */
const volumeRows = (state: PodLifecycleState): Row[] =>
  state === "Starting" || state === "WaitingForVolumes"
    ? []
    : [ignored(state, volumesPending, "only a start mounts volumes"), ignored(state, volumesMounted, "nothing waits for volumes")];

const ROWS: Row[] = [
  ...(["Absent", "Admitting", "Rejected", "WaitingForNetwork", "Running", "Completed", "Stopping", "Stopped"] as const).flatMap(volumeRows),
  // --- Starting + volumes (pkg/kubelet/volumemanager WaitForAttachAndMount, before the sandbox).
  row("Starting", volumesPending, "WaitingForVolumes", [], "a volume cannot be mounted yet: no sandbox, ContainerCreating (FailedMount is the volume manager's)"),
  ignored("Starting", volumesMounted, "nothing waited for volumes"),
  // --- WaitingForVolumes: admitted, holding its resources, no sandbox until every volume is mounted.
  ignored("WaitingForVolumes", update, "already admitted"),
  ignored("WaitingForVolumes", terminalUpdate, "already admitted"),
  ignored("WaitingForVolumes", admitted, "admission is over"),
  ignored("WaitingForVolumes", rejected, "admission is over"),
  ignored("WaitingForVolumes", started, "nothing was started"),
  ignored("WaitingForVolumes", completed, "nothing runs"),
  ignored("WaitingForVolumes", noNetwork, "only a start can find the network missing"),
  ignored("WaitingForVolumes", network, "it waits for volumes, not the network"),
  ignored("WaitingForVolumes", sandboxFailed, "no sandbox was asked for"),
  row("WaitingForVolumes", deletion, "Stopped", [release, requeue], "deletion cancels the wait (kubernetes#117412): nothing to kill, released, then confirmed"),
  row("WaitingForVolumes", terminalDeletion, "Stopped", [release, requeue], "as above"),
  ignored("WaitingForVolumes", stopped, "nothing was stopped"),
  ignored("WaitingForVolumes", resync, "nothing asked for a pass"),
  row("WaitingForVolumes", removed, "Absent", [release], "removed: only its resources were held"),
  row("WaitingForVolumes", nodeStopped, "Absent", [], "node failed: nothing in the runtime to lose"),
  ignored("WaitingForVolumes", volumesPending, "already waiting"),
  row("WaitingForVolumes", volumesMounted, "Starting", [runtimeStart], "every volume mounted: the start goes ahead"),
  // --- Absent: the kubelet holds nothing for this pod instance.
  // HandlePodAdditions admits a pod it has not seen (canAdmitPod) before its pod worker runs SyncPod.
  row("Absent", update, "Admitting", [admit], "a new pod is admitted first"),
  // HandlePodAdditions skips pods in a terminal phase (IsPodPhaseTerminal): nothing to run, nothing held.
  ignored("Absent", terminalUpdate, "a terminal pod is not admitted"),
  ignored("Absent", admitted, "no admission was asked for"),
  ignored("Absent", rejected, "no admission was asked for"),
  ignored("Absent", started, "the kubelet started nothing for this instance"),
  ignored("Absent", completed, "nothing runs here"),
  ignored("Absent", noNetwork, "only a start can find the network missing"),
  ignored("Absent", sandboxFailed, "only a start creates a sandbox"),
  ignored("Absent", network, "nothing waits for the network"),
  // A pod found being deleted (a kubelet restarting): its pod worker starts out terminating (SyncTerminatingPod),
  // and the pod counts against the node until its containers have stopped.
  row("Absent", deletion, "Stopping", [hold, runtimeStop], "a running pod found being deleted is stopped"),
  // A terminal pod has no containers to kill: status_manager's canBeDeleted holds, the delete is confirmed next pass.
  row("Absent", terminalDeletion, "Stopped", [requeue], "a terminal pod found being deleted is only confirmed"),
  ignored("Absent", stopped, "nothing was stopped"),
  ignored("Absent", resync, "nothing asked for a pass"),
  ignored("Absent", removed, "nothing to drop"),
  ignored("Absent", nodeStopped, "nothing to lose"),

  // --- Admitting: only between `admit` and its answer, within one kubelet call.
  ignored("Admitting", update, "admission is already being decided"),
  ignored("Admitting", terminalUpdate, "admission is already being decided"),
  // Admitted: the status manager reports Pending with containers ContainerCreating (generateAPIPodStatus), the pod
  // counts against the node, and kuberuntime's SyncPod creates the sandbox and starts the containers.
  row("Admitting", admitted, "Starting", [creating, hold, runtimeStart], "an admitted pod is started"),
  // rejectPod: a Warning event and status Failed with the reason; the pod never runs and holds nothing.
  row("Admitting", rejected, "Rejected", [reject], "a pod that does not fit is rejected"),
  ignored("Admitting", started, "nothing was started yet"),
  ignored("Admitting", completed, "nothing runs yet"),
  ignored("Admitting", noNetwork, "only a start can find the network missing"),
  ignored("Admitting", sandboxFailed, "only a start creates a sandbox"),
  ignored("Admitting", network, "nothing waits for the network"),
  ignored("Admitting", deletion, "a deletion is seen on the next informer delivery, after admission"),
  ignored("Admitting", terminalDeletion, "as above"),
  ignored("Admitting", stopped, "nothing was stopped"),
  ignored("Admitting", resync, "nothing asked for a pass"),
  row("Admitting", removed, "Absent", [], "nothing held yet"),
  row("Admitting", nodeStopped, "Absent", [], "nothing held yet"),

  // --- Rejected: Failed, never run.
  ignored("Rejected", update, "a rejected pod is not admitted again (its pod worker is terminated)"),
  ignored("Rejected", terminalUpdate, "as above"),
  ignored("Rejected", admitted, "admission is over"),
  ignored("Rejected", rejected, "admission is over"),
  ignored("Rejected", started, "nothing was started"),
  ignored("Rejected", completed, "it never ran"),
  ignored("Rejected", noNetwork, "only a start can find the network missing"),
  ignored("Rejected", sandboxFailed, "only a start creates a sandbox"),
  ignored("Rejected", network, "nothing waits for the network"),
  // Nothing to kill (no Killing events); canBeDeleted holds at once, the delete is confirmed on the next pass.
  row("Rejected", deletion, "Stopped", [requeue], "a rejected pod's deletion is only confirmed"),
  row("Rejected", terminalDeletion, "Stopped", [requeue], "as above: it is Failed anyway"),
  ignored("Rejected", stopped, "nothing was stopped"),
  ignored("Rejected", resync, "nothing asked for a pass"),
  row("Rejected", removed, "Absent", [], "it held nothing"),
  row("Rejected", nodeStopped, "Absent", [], "it held nothing"),

  // --- Starting: admitted, containers starting.
  ignored("Starting", update, "an update of a pod being started changes nothing modelled"),
  ignored("Starting", terminalUpdate, "as above: the kubelet owns the phase of the pods it runs"),
  ignored("Starting", admitted, "admission is over"),
  ignored("Starting", rejected, "admission is over"),
  // The sandbox exists (with its IP): SyncPod's container part (src/kubelet/containers/) starts the containers.
  row("Starting", started, "Running", [syncContainers], "sandbox up: its containers are started"),
  ignored("Starting", completed, "its containers have not started"),
  // SyncPod: "network is not ready" (a Warning NetworkNotReady event) before any sandbox is created; only
  // host-network pods may start. The pod stays ContainerCreating and keeps its place on the node.
  row("Starting", noNetwork, "WaitingForNetwork", [reportNoNetwork], "no pod network: wait, ContainerCreating"),
  // createPodSandbox failed (the CNI plugin had no free pod IP): FailedCreatePodSandBox, and the pod waits in
  // ContainerCreating until an address frees (networkReady).
  row("Starting", sandboxFailed, "WaitingForNetwork", [reportSandboxFailed], "no free pod IP: wait, ContainerCreating"),
  ignored("Starting", network, "it is not waiting"),
  // pod_workers: a deletion makes the worker terminating; SyncTerminatingPod kills every container within the grace
  // period (killContainer records "Killing: Stopping container <name>"). The pending start is abandoned.
  row("Starting", deletion, "Stopping", [runtimeStop], "a pod being started is stopped"),
  row("Starting", terminalDeletion, "Stopping", [runtimeStop], "the kubelet ran it: its containers are stopped whatever the phase says"),
  ignored("Starting", stopped, "no stop was asked for"),
  ignored("Starting", resync, "nothing asked for a pass"),
  // Gone from the API (a grace-0 delete): the kubelet forgets it and the runtime drops its sandbox.
  row("Starting", removed, "Absent", [release, runtimeRemove], "removed: forgotten, sandbox dropped"),
  // The machine failed: the runtime's state dies with it; the kubelet resets its usage as a whole.
  row("Starting", nodeStopped, "Absent", [runtimeRemove], "node failed: everything lost"),

  // --- WaitingForNetwork: admitted, no sandbox (the node has no pod CIDR yet).
  ignored("WaitingForNetwork", update, "already admitted"),
  ignored("WaitingForNetwork", terminalUpdate, "already admitted"),
  ignored("WaitingForNetwork", admitted, "admission is over"),
  ignored("WaitingForNetwork", rejected, "admission is over"),
  ignored("WaitingForNetwork", started, "nothing was started"),
  ignored("WaitingForNetwork", completed, "nothing runs"),
  ignored("WaitingForNetwork", noNetwork, "already waiting (upstream's retries would repeat the event)"),
  ignored("WaitingForNetwork", sandboxFailed, "already waiting"),
  // The network plugin became ready (the node got its pod CIDR): the next SyncPod creates the sandbox.
  row("WaitingForNetwork", network, "Starting", [runtimeStart], "network ready: the start goes ahead"),
  // Terminating a pod that never got a sandbox: KillPod has nothing to kill, so no Killing events; the pod stops
  // counting against the node and its deletion is confirmed on the next pass.
  row("WaitingForNetwork", deletion, "Stopped", [release, requeue], "nothing to kill: released, then confirmed"),
  row("WaitingForNetwork", terminalDeletion, "Stopped", [release, requeue], "as above"),
  ignored("WaitingForNetwork", stopped, "nothing was stopped"),
  ignored("WaitingForNetwork", resync, "nothing asked for a pass"),
  row("WaitingForNetwork", removed, "Absent", [release], "removed: only its resources were held"),
  row("WaitingForNetwork", nodeStopped, "Absent", [], "node failed: nothing in the runtime to lose"),

  // --- Running.
  ignored("Running", update, "a running pod is not re-admitted"),
  ignored("Running", terminalUpdate, "as above"),
  ignored("Running", admitted, "admission is over"),
  ignored("Running", rejected, "admission is over"),
  ignored("Running", started, "a repeated report"),
  ignored("Running", noNetwork, "only a start can find the network missing"),
  ignored("Running", sandboxFailed, "only a start creates a sandbox"),
  ignored("Running", network, "nothing waits for the network"),
  row("Running", deletion, "Stopping", [runtimeStop], "SyncTerminatingPod: kill within the grace period"),
  row("Running", terminalDeletion, "Stopping", [runtimeStop], "as for Starting"),
  // Containers exiting on their own are the container part's business (restarts, or `completed`).
  ignored("Running", stopped, "no stop was asked for"),
  ignored("Running", resync, "nothing asked for a pass"),
  row("Running", removed, "Absent", [release, runtimeRemove], "removed: forgotten, sandbox dropped"),
  row("Running", nodeStopped, "Absent", [runtimeRemove], "node failed: everything lost"),
  // Every container is done (restartPolicy Never / OnFailure): the pod is Succeeded or Failed, and a terminal pod
  // no longer counts against the node (the admit handler's filterOutInactivePods).
  // Its sandbox is stopped (KillPod): CNI gives its IP back, the status keeps podIP.
  row("Running", completed, "Completed", [release, releaseIP], "done: terminal, its resources and its IP freed"),

  // --- Completed: terminal, the sandbox kept until the pod is deleted.
  ignored("Completed", update, "a terminal pod is not synced again"),
  ignored("Completed", terminalUpdate, "as above"),
  ignored("Completed", admitted, "admission is over"),
  ignored("Completed", rejected, "admission is over"),
  ignored("Completed", started, "the sandbox exists already"),
  ignored("Completed", completed, "already done"),
  ignored("Completed", noNetwork, "only a start can find the network missing"),
  ignored("Completed", sandboxFailed, "only a start creates a sandbox"),
  ignored("Completed", network, "nothing waits for the network"),
  // Nothing runs: no Killing; the sandbox goes, and the deletion is confirmed on the next pass.
  row("Completed", deletion, "Stopped", [runtimeRemove, requeue], "nothing to kill: sandbox removed, then confirmed"),
  row("Completed", terminalDeletion, "Stopped", [runtimeRemove, requeue], "as above"),
  ignored("Completed", stopped, "nothing was stopped"),
  ignored("Completed", resync, "nothing asked for a pass"),
  row("Completed", removed, "Absent", [release, runtimeRemove], "removed: forgotten, sandbox dropped"),
  row("Completed", nodeStopped, "Absent", [runtimeRemove], "node failed: everything lost"),

  // --- Stopping: containers being stopped.
  ignored("Stopping", update, "a terminating pod worker never syncs the pod again"),
  ignored("Stopping", terminalUpdate, "as above"),
  ignored("Stopping", admitted, "admission is over"),
  ignored("Stopping", rejected, "admission is over"),
  // The old kubelet ignored a start for a pod not starting; pod_workers never calls SyncPod once terminating.
  ignored("Stopping", started, "a late start report for a pod being stopped"),
  ignored("Stopping", completed, "a pod being deleted ends with containersStopped"),
  ignored("Stopping", noNetwork, "only a start can find the network missing"),
  ignored("Stopping", sandboxFailed, "only a start creates a sandbox"),
  ignored("Stopping", network, "nothing waits for the network"),
  // A second delete with a shorter grace period (the API server only ever shortens it): the runtime may bring the
  // end forward (pod_workers restarts the kill with the shorter grace). No second round of Killing events.
  row("Stopping", deletion, "Stopping", [runtimeStop], "a shorter grace may bring the end forward"),
  row("Stopping", terminalDeletion, "Stopping", [runtimeStop], "as above"),
  // SyncTerminatedPod; status_manager's canBeDeleted then holds and it deletes the pod with grace 0.
  row("Stopping", stopped, "Absent", [release, runtimeRemove, confirmDelete], "containers stopped: deletion confirmed"),
  ignored("Stopping", resync, "nothing asked for a pass"),
  row("Stopping", removed, "Absent", [release, runtimeRemove], "force-deleted: forgotten, pending stop dropped"),
  row("Stopping", nodeStopped, "Absent", [runtimeRemove], "node failed: everything lost"),

  // --- Stopped: nothing left to stop, the confirmation pass is pending.
  ignored("Stopped", update, "a terminated pod worker never syncs the pod again"),
  ignored("Stopped", terminalUpdate, "as above"),
  ignored("Stopped", admitted, "admission is over"),
  ignored("Stopped", rejected, "admission is over"),
  ignored("Stopped", started, "nothing was started"),
  ignored("Stopped", completed, "nothing runs"),
  ignored("Stopped", noNetwork, "only a start can find the network missing"),
  ignored("Stopped", sandboxFailed, "only a start creates a sandbox"),
  ignored("Stopped", network, "nothing waits for the network"),
  // A shorter grace cannot end a stop that is already over.
  ignored("Stopped", deletion, "already stopped"),
  ignored("Stopped", terminalDeletion, "already stopped"),
  ignored("Stopped", stopped, "nothing was stopped"),
  row("Stopped", resync, "Absent", [confirmDelete], "the pass came: deletion confirmed"),
  row("Stopped", removed, "Absent", [cancelRequeue], "removed before the pass: the pass is dropped"),
  row("Stopped", nodeStopped, "Absent", [cancelRequeue], "node failed: the pass is lost"),
];

describe("pod lifecycle transition table", () => {
  it("has one row for every state and event", () => {
    const seen = new Set(ROWS.map((r) => `${r.from} ${EVENTS.indexOf(r.on)}`));
    expect(seen.size).toBe(ROWS.length);
    expect(ROWS.length).toBe(STATES.length * EVENTS.length);
  });

  it.each(ROWS.map((r) => [`${r.from} + ${JSON.stringify(r.on)} -> ${r.to}: ${r.why}`, r] as const))("%s", (_name, r) => {
    const next = transition(r.from, r.on);
    expect(next.state).toBe(r.to);
    expect(next.actions).toEqual(r.actions);
  });

  it("passes the grace period and the rejection through to the actions", () => {
    // The runtime gets the pod's own deletionGracePeriodSeconds (here 0: a force delete of a running pod).
    expect(transition("Running", { t: "deletionRequested", graceMs: 0, terminal: false }).actions).toEqual([{ t: "runtimeStop", graceMs: 0 }]);
    expect(transition("Stopping", { t: "deletionRequested", graceMs: 5_000, terminal: false }).actions).toEqual([{ t: "runtimeStop", graceMs: 5_000 }]);
    const r = transition("Admitting", { t: "rejected", reason: "OutOfpods", message: "Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3" });
    expect(r.actions).toEqual([{ t: "reject", reason: "OutOfpods", message: "Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3" }]);
  });

  it("is pure: the same input gives the same answer; shared answers are frozen", () => {
    const a = transition("Starting", started);
    const b = transition("Starting", started);
    expect(a).toEqual(b);
    expect(Object.isFrozen(a.actions)).toBe(true);
  });

  it("walks a pod from being seen to its confirmed deletion", () => {
    // podUpdate -> admit -> admitted -> sandbox ready -> deletion -> stopped: the path of almost every pod.
    const path: [PodLifecycleEvent, PodLifecycleState][] = [
      [update, "Admitting"],
      [admitted, "Starting"],
      [started, "Running"],
      [deletion, "Stopping"],
      [stopped, "Absent"],
    ];
    let s: PodLifecycleState = "Absent";
    for (const [e, want] of path) {
      s = transition(s, e).state;
      expect(s).toBe(want);
    }
  });
});
