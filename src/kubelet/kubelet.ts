import { isDeepStrictEqual } from "node:util";
import { withFields } from "../api/copy.js";
import { NODE_LEASE_NAMESPACE } from "../api/apiserver.js";
import type { ControlPlane } from "../api/control-plane.js";
import { parseCidr, type Cidr } from "../api/cidr.js";
import type { Condition, Container, ContainerStatus, Lease, Node, Pod } from "../api/types.js";
import { objectKey } from "../api/types.js";
import type { Context, EventId } from "../engine/simulation.js";
import { assertNever } from "../engine/assert-never.js";
import type { AdmissionDecision, NodeUsage, PodDemand } from "./admission.js";
import { addUsage, admitPod, emptyUsage, nodeCapacity, podDemand, POD_REJECTED_PREFIX, subtractUsage } from "./admission.js";
import { healthyConditions, NETWORK_NOT_READY_MESSAGE } from "./node-object.js";
import { nodePodCIDR, podIPAt, podIPCapacity } from "./pod-ips.js";
import type { PodLifecycleAction, PodLifecycleEvent, PodLifecycleState } from "./pod-lifecycle.js";
import { transition } from "./pod-lifecycle.js";
import type { ContainerRuntime, PodSandboxRef, RuntimeEvent, RuntimeFactory } from "./runtime/cri.js";
import { Backoff } from "./containers/backoff.js";
import { LOST_RUN, POD_SYNC_RETRY_MS, PodContainers, type ContainerHost, type ContainerLogSink, type ContainerTimer, type KubeletObserver } from "./containers/pod-containers.js";
import { kubeletConditions, podStatusFromTracks, sameStatusByKubelet } from "./containers/pod-status.js";
import { ImagePuller } from "./images/image-puller.js";
import { containerProbes } from "./prober/container-probes.js";
import type { BehaviorResolver } from "../workload/profiles.js";
import { podConfigRefs, type ConfigObjects } from "./config/refs.js";
import { PodVolumeMounts } from "./config/volume-mounts.js";
import { leaseRetryAfter } from "./lease-retry.js";

/** Events delivered to a kubelet: its own loops, and the completions its container runtime schedules through it. */
type KubeletEvent =
  /** Renew the node lease (lease controller sync). */
  | { t: "lease" }
  /** Post node status (syncNodeStatus found the report due). */
  | { t: "status" }
  /** The status loop's first tick after registration: post NotReady if the node still has no pod CIDR. */
  | { t: "networkCheck" }
  /** A pod IP was freed while pods wait for one: retry their sandboxes. */
  | { t: "ipFreed" }
  /** The pod worker's next pass for a pod that asked for one (`requeue`). */
  | { t: "resync"; work: PodWork }
  /** A pod waiting for its volumes: a volume's mount retry is due, or the pod worker's look that sees them mounted. */
  | { t: "mount"; work: PodWork }
  /** A back-off's end or a probe transition of one container (src/kubelet/containers/pod-containers.ts). */
  | ContainerTimer
  /** A container runtime completion (src/kubelet/runtime/cri.ts). */
  | RuntimeEvent;

/**
 * What the kubelet tracks per pod instance it holds: where it is in its lifecycle (src/kubelet/pod-lifecycle.ts).
 * It is also the pod's sandbox reference for the runtime.
 */
interface PodWork extends PodSandboxRef {
  readonly key: string;
  readonly uid: string;
  state: PodLifecycleState;
  /** What the pod counts for in the node's `used` while the kubelet holds it; undefined if it holds nothing. */
  demand: PodDemand | undefined;
  /** The pending `resync` event, if any. */
  requeue: EventId | undefined;
  /** Its containers, while its sandbox exists (Running, Completed, Stopping). */
  containers: PodContainers | undefined;
  /** Its configMap / secret / projected volumes' mount state, once a start reached WaitForAttachAndMount; only for
   *  pods that have such volumes. */
  mounts: PodVolumeMounts | undefined;
  /** The pending `mount` event, if any. */
  mountTimer: EventId | undefined;
  /** Whether it counts in the fleet's pods waiting on configuration. */
  configWait: boolean;
}

/** The fleet's running count of pods waiting on configuration (src/kubelet/fleet.ts podsWaitingOnConfig). */
export interface ConfigWaitCounter {
  /** A pod started (+1) or stopped (-1) waiting on a missing ConfigMap, Secret or key. */
  add(delta: number): void;
}

/** What a kubelet is built with besides its node: the runtime, the workload model and the run's observers. */
export interface KubeletOptions {
  /** The node's container runtime, given the kubelet's context to schedule its completions through. */
  readonly runtime: RuntimeFactory;
  /** The behavior of each container (spec.behaviors, annotations). */
  readonly behaviors: BehaviorResolver;
  /** Where container log records go, if anywhere. */
  readonly logs?: ContainerLogSink;
  /** The run's kubelet metrics observer, read when needed (the collector is made after the cluster). */
  readonly observer?: () => KubeletObserver | undefined;
  /** The pod's seeded stream for its containers' programs. */
  readonly podStream: (pod: Pod) => () => number;
  /** Where pods waiting on configuration are counted, if anywhere. */
  readonly configWaits?: ConfigWaitCounter;
}

// The payload-free lifecycle events, shared.
const POD_UPDATE: PodLifecycleEvent = { t: "podUpdate", terminal: false };
const TERMINAL_POD_UPDATE: PodLifecycleEvent = { t: "podUpdate", terminal: true };
const ADMITTED: PodLifecycleEvent = { t: "admitted" };
const SANDBOX_READY: PodLifecycleEvent = { t: "sandboxReady" };
const COMPLETED: PodLifecycleEvent = { t: "completed" };
const CONTAINERS_STOPPED: PodLifecycleEvent = { t: "containersStopped" };
const RESYNC: PodLifecycleEvent = { t: "resync" };
const POD_REMOVED: PodLifecycleEvent = { t: "podRemoved" };
const NODE_STOPPED: PodLifecycleEvent = { t: "nodeStopped" };
const NETWORK_NOT_READY: PodLifecycleEvent = { t: "networkNotReady" };
const NETWORK_READY: PodLifecycleEvent = { t: "networkReady" };
const VOLUMES_PENDING: PodLifecycleEvent = { t: "volumesPending" };
const VOLUMES_MOUNTED: PodLifecycleEvent = { t: "volumesMounted" };

/**
 * One node's kubelet: registers the Node, renews its Lease every renewInterval and posts node status when a
 * report is due (both loops jittered by heartbeatJitterFactor, as wait.JitterUntil), and runs the pods bound to
 * its node: each pod instance goes through the pure lifecycle of src/kubelet/pod-lifecycle.ts, whose actions this
 * class performs. Once a pod's sandbox exists, its containers are SyncPod's container part (src/kubelet/containers/:
 * image pulls through the node's puller, init containers, sidecars, restarts with back-off, probes, kills) on a
 * CRI-shaped container runtime (src/kubelet/runtime/simulated-runtime.ts) that runs each container's program; on
 * deletion the containers stop within the grace period and the kubelet confirms the delete.
 *
 * Before running a pod it first sees, it admits it (pkg/kubelet/kubelet.go HandlePodAdditions / canAdmitPod with
 * the predicate admit handler's resource checks, src/kubelet/admission.ts) against a running sum of the requests
 * of the pods it holds; a pod that does not fit is rejected (rejectPod): Failed, reason OutOfcpu / OutOfmemory /
 * OutOfpods / OutOf<extended resource>, never run, never counted.
 *
 * Pod IPs come from the node's pod CIDR (spec.podCIDR, from node IPAM) as host-local hands them out
 * (src/kubelet/pod-ips.ts). A node without a pod CIDR has no pod network: the kubelet reports it Ready=False
 * ("container runtime network not ready: ...", NETWORK_NOT_READY_MESSAGE) and starts no pod there (each waits,
 * ContainerCreating, with a Warning NetworkNotReady event) until node IPAM assigns one.
 *
 * ConfigMaps and Secrets (src/kubelet/config/): before the sandbox, SyncPod waits until the pod's configMap, secret
 * and projected volumes are mounted (WaitForAttachAndMount; each failed mount is a Warning FailedMount event and is
 * retried on the volume manager's exponential back-off); a container whose env names a missing object or key is not
 * created (CreateContainerConfigError, src/kubelet/containers/pod-containers.ts). Pods waiting on either are counted
 * in `options.configWaits`. Objects are read from the kubelet's view (informer caches, created on first use), so a
 * cluster whose pods reference no configuration pays nothing for it.
 *
 * `stop()` models the machine failing: every loop halts, the runtime loses its containers, and pods stay as the
 * API last saw them, which is what the node lifecycle controller must notice. `start()` brings it back.
 *
 * `detach()` cuts the kubelet from the API server while its containers go on running (a network partition, or the
 * kubelet process stopped): see there; `reattach()` ends it.
 */
export class Kubelet {
  private readonly ctx: Context<KubeletEvent>;
  private readonly runtime: ContainerRuntime;
  private readonly pods = new Map<string, PodWork>();
  private readonly leaseEvent: KubeletEvent = { t: "lease" };
  private readonly statusEvent: KubeletEvent = { t: "status" };
  private readonly networkCheckEvent: KubeletEvent = { t: "networkCheck" };
  private readonly ipFreedEvent: KubeletEvent = { t: "ipFreed" };
  /** Pod IPs in use, as offsets into the pod CIDR (src/kubelet/pod-ips.ts podIPAt), by pod key; and the set of
   *  offsets taken. host-local CNI hands out the next free address after the last one given, round robin. */
  private readonly podIPs = new Map<string, number>();
  private readonly ipTaken = new Set<number>();
  private ipRetryScheduled = false;
  private leaseTimer: EventId | undefined;
  private statusTimer: EventId | undefined;
  private lastStatusReport = 0;
  private lease: Lease | undefined;
  /** Pods given an IP so far: the next one gets the ipCounter-th address of the pod CIDR. */
  private ipCounter = 0;
  /** The pending first-tick network check, if the node had no pod CIDR when it registered. */
  private networkCheck: EventId | undefined;
  /** A new node's NodeReady event waits for its pod CIDR (node IPAM assigns it right after registration). */
  private readyEventDue = false;
  /** Whether the last status posted said the network is ready (Ready=True rather than network not ready). */
  private networkReadyPosted = true;
  /** Pods in WaitingForNetwork. */
  private waitingForNetwork = 0;
  /** The ConfigMaps and Secrets as this kubelet's configmap and secret managers see them. */
  private readonly configObjects: ConfigObjects;
  /** The node's pod CIDR as last parsed, and the text it was parsed from. */
  private podCIDRText: string | undefined;
  private podCIDR: Cidr | undefined;
  private up = false;
  /**
   * While cut from the API server: "partition" (the kubelet runs, its writes fail and are retried) or "stopped" (the
   * kubelet process is down, its containers run on); undefined when connected.
   */
  private detached: "partition" | "stopped" | undefined;
  /** In a partition: when the lease renewal first failed (the lease controller's back-off runs from there). */
  private leaseFailedAt: number | undefined;
  /** After a healed partition: the next status post records NodeReady (the Ready condition it replaces is the node
   *  lifecycle controller's Unknown, which the ReadyCondition setter reports as a transition). */
  private readyEventOnPost = false;
  /** Pods whose deletion the kubelet would have confirmed while detached, by key, with their uid. */
  private readonly unconfirmed = new Map<string, string>();
  /** The requests of the pods this kubelet holds (admitted, running or stopping): a running sum for admission. */
  private used: NodeUsage = emptyUsage();
  /** While `start` re-syncs the node's pods: the admission decided for each, in creation order. */
  private startDecisions: Map<string, AdmissionDecision> | undefined;
  /** The node's image puller (serializeImagePulls / maxParallelImagePulls). */
  private readonly puller: ImagePuller;
  /** CrashLoopBackOff and image pull back-off, per container and per pod and image. */
  private readonly crashBackoff: Backoff;
  private readonly imageBackoff: Backoff;
  /** What PodContainers sees of this kubelet. */
  private readonly host: ContainerHost;
  /** Pods whose status changed in the current event: written once at its end. */
  private readonly dirty = new Set<PodContainers>();
  /** Admitted pods whose ContainerCreating status is due: written at the end of the event unless their sandbox
   *  came up in it (then their containers' first status says more, in one write instead of two). */
  private readonly creating = new Map<PodWork, Pod>();

  /** @param node the Node to register at start (its status.conditions are refreshed on each report). */
  constructor(
    private readonly cp: ControlPlane,
    readonly nodeName: string,
    private readonly node: Node,
    /** The pods bound to a node, from the pod informer (an index, so a restart does not scan every pod). */
    private readonly podsOnNode: (nodeName: string) => Iterable<Pod>,
    private readonly options: KubeletOptions,
  ) {
    this.ctx = cp.sim.register<KubeletEvent>(`kubelet/${nodeName}`, (e) => {
      this.on(e);
      this.flush();
    });
    this.runtime = options.runtime(this.ctx);
    const s = cp.settings;
    this.puller = new ImagePuller(this.runtime, () => this.ctx.now, s.serializeImagePulls ? 1 : s.maxParallelImagePulls);
    // The kubelet's crash-loop back-off resets when a container ran longer than crashLoopBackOffReset since the last
    // restart (kubelet.go: HasExpiredFunc eventTime - lastUpdate > 600s); the image one after twice its maximum.
    this.crashBackoff = new Backoff(s.crashLoopBackOffInitial, s.crashLoopBackOffMax, (eventTime, lastUpdate) => eventTime - lastUpdate > s.crashLoopBackOffReset);
    this.imageBackoff = new Backoff(s.imagePullBackOffInitial, s.imagePullBackOffMax);
    const kubelet = this;
    // The informers are made on first use: a run whose pods name no ConfigMap or Secret never makes them.
    this.configObjects = {
      configMap: (ns, name) => cp.informers.configMaps.get(ns, name),
      secret: (ns, name) => cp.informers.secrets.get(ns, name),
    };
    this.host = {
      get now() {
        return kubelet.ctx.now;
      },
      scheduleTimer: (at, timer) => this.ctx.scheduleAt(at, timer),
      cancel: (id) => this.ctx.cancel(id),
      runtime: this.runtime,
      puller: this.puller,
      crashBackoff: this.crashBackoff,
      imageBackoff: this.imageBackoff,
      clock: cp.clock,
      // NOTE: events a detached kubelet records are lost; upstream's broadcaster retries each 12 times, 10s apart.
      record: (pod, type, reason, message) => {
        if (this.detached === undefined) this.cp.events.record(pod, type, reason, message, "kubelet", this.nodeName);
      },
      configObjects: this.configObjects,
      logs: options.logs,
      get observer() {
        return options.observer?.();
      },
      defaultStartMs: s.podStartLatency,
      defaultStopMs: s.podStopLatency,
      changed: (pods) => this.dirty.add(pods),
      allStopped: (pods) => this.containersEvent(pods, CONTAINERS_STOPPED),
      terminal: (pods) => this.containersEvent(pods, COMPLETED),
    };
  }

  /** Feeds a pod lifecycle event that its containers caused. */
  private containersEvent(pods: PodContainers, event: PodLifecycleEvent): void {
    const work = this.pods.get(pods.ref.key);
    if (work === undefined || work.containers !== pods) return;
    this.flush();
    this.apply(work, event, undefined);
  }

  /** Writes the status of every pod whose containers changed in this event, once each, in the order they changed. */
  private flush(): void {
    // A detached kubelet's status manager cannot write: what changed stays due until `reattach`.
    if (this.detached !== undefined) return;
    if (this.creating.size > 0) {
      const due = [...this.creating];
      this.creating.clear();
      for (const [work, pod] of due) {
        if (work.containers === undefined && this.pods.get(work.key) === work && (work.state === "Starting" || work.state === "WaitingForNetwork" || work.state === "WaitingForVolumes")) {
          this.postContainerCreating(pod);
        }
      }
    }
    if (this.dirty.size === 0) return;
    const list = [...this.dirty];
    this.dirty.clear();
    for (const pods of list) {
      const work = this.pods.get(pods.ref.key);
      if (work === undefined || work.containers !== pods) continue;
      if (pods.envReadsConfig !== undefined) this.setConfigWait(work, pods.waitingOnConfig);
      const [ns, name] = splitKey(work.key);
      const cur = this.cp.api.get<Pod>("Pod", ns, name);
      if (!cur || cur.metadata.uid !== work.uid) continue;
      pods.pod = cur;
      const built = podStatusFromTracks(
        cur,
        { tracks: pods.tracks, hasInit: pods.hasInit, terminal: pods.terminalPhase, podIP: this.podIPOf(work.key) ?? cur.status.podIP, hostIP: this.node.status.addresses?.[0]?.address },
        this.cp.clock,
      );
      // The status manager writes only a changed status (isPodStatusByKubeletEqual), and never takes a pod out of
      // a terminal phase (status_manager.go updateStatusInternal / checkContainerStateTransition refuse it): a
      // restarted kubelet that recreates a finished restartPolicy Never pod's sandbox cannot make it Running again.
      if (isTerminal(cur) && built.phase !== cur.status.phase) continue;
      // What is stored now is what the kubelet stands by: written, or equal to what it would write.
      if (!sameStatusByKubelet(built, cur.status)) {
        this.writeStatus(cur, built);
        pods.writtenStatus = built;
      } else pods.writtenStatus = cur.status;
    }
  }

  /** The node is being provisioned (its VM boots): `start` comes when the boot ends, unless it fails first. */
  booting = false;

  /** Whether the kubelet is running. */
  get running(): boolean {
    return this.up;
  }

  /** Starts (or restarts) the kubelet: registers or refreshes the Node, renews the lease, syncs pods. */
  start(): void {
    if (this.up) return;
    this.up = true;
    this.booting = false;
    const { api } = this.cp;
    const existing = api.get<Node>("Node", undefined, this.nodeName);
    if (!existing) {
      const r = api.create(this.node);
      if (!r.ok) throw new Error(`kubelet ${this.nodeName}: node registration failed: ${r.message}`);
      this.cp.events.record(r.object, "Normal", "Starting", "Starting kubelet.", "kubelet", this.nodeName);
      // The first status of a new node: each condition's event as recordNodeStatusEvent words it
      // (pkg/kubelet/nodestatus/setters.go), Ready last, unless the node's network is not ready yet.
      for (const reason of ["NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"]) {
        this.cp.events.record(r.object, "Normal", reason, `Node ${this.nodeName} status is now: ${reason}`, "kubelet", this.nodeName);
      }
      if (nodePodCIDR(r.object) !== undefined) this.cp.events.record(r.object, "Normal", "NodeReady", `Node ${this.nodeName} status is now: NodeReady`, "kubelet", this.nodeName);
      else this.readyEventDue = true;
      this.cp.events.record(r.object, "Normal", "RegisteredNode", `Node ${this.nodeName} event: Registered Node ${this.nodeName} in Controller`, "node-controller");
      // Node IPAM normally assigns the pod CIDR in the same instant; if it has not by the status loop's first tick
      // (nodeStatusUpdateFrequency, unjittered so that no random draw moves), the kubelet reports the node NotReady.
      if (nodePodCIDR(r.object) === undefined) this.networkCheck = this.ctx.schedule(this.cp.settings.nodeStatusUpdateFrequency, this.networkCheckEvent);
    } else {
      this.cp.events.record(existing, "Normal", "Starting", "Starting kubelet.", "kubelet", this.nodeName);
      this.postStatus();
      this.cp.events.record(existing, "Normal", "NodeReady", `Node ${this.nodeName} status is now: NodeReady`, "kubelet", this.nodeName);
    }
    this.lastStatusReport = this.ctx.now;
    this.renewLease();
    this.scheduleStatus();
    const pods = [...this.podsOnNode(this.nodeName)];
    this.startDecisions = this.decideAtStart(pods);
    try {
      for (const pod of pods) this.syncPod(pod);
    } finally {
      this.startDecisions = undefined;
    }
  }

  /**
   * Admission of the pods found at start, decided in creation order as HandlePodAdditions sorts them
   * (sliceutils.PodsByCreationTime), after the pods being deleted, which still hold their resources. Pure: the pods
   * are then synced in index order (so a restart that rejects nothing does what it did before admission existed),
   * each taking the decision made here.
   * NOTE: upstream's sort is not stable; pods created in the same second keep the informer index's order here.
   */
  private decideAtStart(pods: Pod[]): Map<string, AdmissionDecision> {
    const decisions = new Map<string, AdmissionDecision>();
    const used = emptyUsage();
    const candidates: Pod[] = [];
    for (const p of pods) {
      if (isTerminal(p)) continue;
      if (p.metadata.deletionTimestamp !== undefined) addUsage(used, podDemand(p));
      else candidates.push(p);
    }
    if (candidates.length === 0) return decisions;
    const capacity = nodeCapacity(this.currentNode());
    const created = (p: Pod) => p.metadata.creationTimestamp ?? "";
    candidates.sort((a, b) => (created(a) < created(b) ? -1 : created(a) > created(b) ? 1 : 0));
    for (const p of candidates) {
      const d = podDemand(p);
      const decision = admitPod(d, capacity, used);
      if (decision.admit) addUsage(used, d);
      decisions.set(objectKey(p.metadata.namespace, p.metadata.name), decision);
    }
    return decisions;
  }

  /** Stops the kubelet (node failure): no more heartbeats, status or pod work until `start`. */
  stop(): void {
    // A node failing while it boots never comes up (a nodeRecover starts it).
    this.booting = false;
    if (!this.up) return;
    this.up = false;
    // The machine is gone: whatever a detached kubelet still owed the API dies with it.
    this.detached = undefined;
    this.leaseFailedAt = undefined;
    this.unconfirmed.clear();
    if (this.leaseTimer !== undefined) this.ctx.cancel(this.leaseTimer);
    if (this.statusTimer !== undefined) this.ctx.cancel(this.statusTimer);
    this.leaseTimer = this.statusTimer = undefined;
    if (this.networkCheck !== undefined) this.ctx.cancel(this.networkCheck);
    this.networkCheck = undefined;
    // The runtime's state dies with the node: a restarted kubelet rebuilds it from the API. Its image store stays
    // (the node's disk), its pulls in flight are lost.
    for (const w of this.pods.values()) this.apply(w, NODE_STOPPED, undefined);
    this.pods.clear();
    this.dirty.clear();
    this.creating.clear();
    this.puller.reset();
    this.runtime.abortPulls();
    // The kubelet's back-offs live in its memory.
    this.crashBackoff.clear();
    this.imageBackoff.clear();
    this.used = emptyUsage();
    this.waitingForNetwork = 0;
    this.podIPs.clear();
    this.ipTaken.clear();
  }

  /**
   * Cuts the kubelet from the API server, its containers running on: "partition" (the node is cut from the control
   * plane: lease renewals and status posts fail and are retried, the lease controller on its back-off
   * (leaseRetryAfter), the status loop every nodeStatusUpdateFrequency) or "stopped" (the kubelet process stops: no
   * lease, no status). Either way nothing reaches the API and the watches deliver nothing, so the node lifecycle
   * controller sees the lease stop at its last renewal. NOTE: with "stopped" the pod workers go on acting on their
   * containers (restarts after an exit, probes); upstream nothing acts on them until the kubelet is back, which finds
   * its containers in the runtime as they are then.
   */
  detach(mode: "partition" | "stopped"): void {
    if (!this.up || this.detached !== undefined) return;
    this.detached = mode;
    if (mode === "stopped") {
      if (this.leaseTimer !== undefined) this.ctx.cancel(this.leaseTimer);
      if (this.statusTimer !== undefined) this.ctx.cancel(this.statusTimer);
      this.leaseTimer = this.statusTimer = undefined;
    }
  }

  /** How the kubelet is cut from the API server (`detach`), undefined when it is not. */
  get detachedAs(): "partition" | "stopped" | undefined {
    return this.detached;
  }

  /**
   * Ends `detach`. A restarted kubelet ("stopped") records "Starting kubelet.", posts its status and renews its lease
   * at once, as `start` does for a node that exists; a healed partition renews the lease at the lease controller's
   * next retry (leaseRetryAfter) and posts status at the status loop's next tick. Then it resyncs as a new watch
   * would: deletions it could not confirm are confirmed, pods deleted meanwhile lose their containers, and every pod
   * bound to the node is synced (those evicted meanwhile are stopped within their grace period); the statuses that
   * changed meanwhile are written.
   */
  reattach(): void {
    const mode = this.detached;
    if (mode === undefined) return;
    this.detached = undefined;
    const { api } = this.cp;
    if (mode === "stopped") {
      const node = api.get<Node>("Node", undefined, this.nodeName);
      if (node) this.cp.events.record(node, "Normal", "Starting", "Starting kubelet.", "kubelet", this.nodeName);
      const wasReady = this.readyOnApi();
      this.postStatus();
      this.recordNodeReadyAfterUnknown(wasReady);
      this.renewLease();
      this.scheduleStatus();
    } else {
      if (this.leaseFailedAt !== undefined) this.leaseTimer = this.ctx.scheduleAt(leaseRetryAfter(this.leaseFailedAt, this.ctx.now), this.leaseEvent);
      this.readyEventOnPost = true;
      // The API's node now differs from what the kubelet would post (Unknown conditions), so the status loop posts
      // at its next tick instead of waiting for nodeStatusReportFrequency. NOTE: the loop's phase is drawn afresh.
      if (this.statusTimer !== undefined) this.ctx.cancel(this.statusTimer);
      this.statusTimer = this.ctx.schedule(this.jittered(this.cp.settings.nodeStatusUpdateFrequency), this.statusEvent);
    }
    this.leaseFailedAt = undefined;
    for (const [key, uid] of this.unconfirmed) {
      const [ns, name] = splitKey(key);
      const cur = api.get<Pod>("Pod", ns, name);
      if (cur && cur.metadata.uid === uid) api.delete("Pod", ns, name, { gracePeriodSeconds: 0 });
    }
    this.unconfirmed.clear();
    for (const work of [...this.pods.values()]) {
      if (this.pods.get(work.key) !== work) continue;
      if (this.currentPod(work) === undefined) this.apply(work, POD_REMOVED, undefined);
      // The status manager's sync compares every pod's status with the API's and writes the differences (the node
      // lifecycle controller marked them not ready meanwhile). NOTE: upstream's syncBatch runs every 10s; here at once.
      // An adopted pod (found being deleted at start) keeps the status it had.
      else work.containers?.resyncStatus();
    }
    for (const pod of [...this.podsOnNode(this.nodeName)]) this.syncPod(pod);
    this.flush();
  }

  /**
   * Fault injection on the node, not an API call: the named containers of pod `namespace/name` (every running one
   * when `containers` is undefined) end now in the runtime with `exitCode`, as a crash or an outside SIGKILL (137);
   * the kubelet then learns of each exit as of any other, and the pod's restartPolicy decides what follows. Returns
   * the names of the containers that were running and exited.
   */
  exitContainers(namespace: string, name: string, containers: readonly string[] | undefined, exitCode: number): string[] {
    const work = this.pods.get(objectKey(namespace, name));
    if (work === undefined || work.containers === undefined) return [];
    const names = containers ?? this.runtime.listContainers(work).filter((c) => c.state === "Running").map((c) => c.name);
    return names.filter((c) => this.runtime.exitNow(work, c, exitCode));
  }

  /** Whether the Node's Ready condition in the API is True. */
  private readyOnApi(): boolean {
    const node = this.cp.api.get<Node>("Node", undefined, this.nodeName);
    return node?.status.conditions?.find((c) => c.type === "Ready")?.status === "True";
  }

  /** Records NodeReady when the status just posted replaced a Ready condition that was not True (`wasReady` false:
   *  the node lifecycle controller's Unknown while the kubelet was cut off), as the ReadyCondition setter reports
   *  a transition (pkg/kubelet/nodestatus/setters.go). */
  private recordNodeReadyAfterUnknown(wasReady: boolean): void {
    this.readyEventOnPost = false;
    const node = this.cp.api.get<Node>("Node", undefined, this.nodeName);
    if (node && !wasReady && this.readyOnApi()) this.cp.events.record(node, "Normal", "NodeReady", `Node ${this.nodeName} status is now: NodeReady`, "kubelet", this.nodeName);
  }

  /** A pod bound to this node was added or changed (from the pod informer). */
  syncPod(pod: Pod): void {
    // A detached kubelet's watch is cut: it sees the pods again when it reattaches.
    if (!this.up || this.detached !== undefined) return;
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    const uid = pod.metadata.uid!;
    // An update delivered after the kubelet confirmed the pod's deletion (its last status write, watched with
    // latency) is stale: the pod is gone and its DELETED event follows. Without this, the kubelet would take the
    // pod for one it had never seen and stop it a second time.
    if (pod.metadata.deletionTimestamp !== undefined && !this.pods.has(key)) {
      const cur = this.cp.api.get<Pod>("Pod", pod.metadata.namespace, pod.metadata.name);
      if (cur === undefined || cur.metadata.uid !== uid) return;
    }
    const terminal = isTerminal(pod);
    const event: PodLifecycleEvent =
      pod.metadata.deletionTimestamp !== undefined
        ? { t: "deletionRequested", graceMs: (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000, terminal }
        : terminal
          ? TERMINAL_POD_UPDATE
          : POD_UPDATE;
    let work = this.pods.get(key);
    // A pod of the same name but another uid replaced the one the kubelet held: that instance is removed first
    // (podRemoved: released, its sandbox and pending completion dropped). The store holds one object per name and
    // the informer delivers the old pod's deletion first, so podDeleted has normally forgotten it already.
    if (work !== undefined && work.uid !== uid) {
      this.apply(work, POD_REMOVED, undefined);
      work = undefined;
    }
    if (work === undefined) {
      // A terminal pod the kubelet does not hold stays Absent: it needs no record.
      if (event === TERMINAL_POD_UPDATE) return;
      work = { key, uid, state: "Absent", demand: undefined, requeue: undefined, containers: undefined, mounts: undefined, mountTimer: undefined, configWait: false };
      this.pods.set(key, work);
    }
    if (work.containers !== undefined) {
      // The status manager's reconcile (needsReconcile): another writer changed the status the kubelet last wrote
      // (the node lifecycle controller marks a NotReady node's pods not ready, here after an API server outage
      // while the kubelet is back already), so it is built and, where it differs, written again. NOTE: upstream's
      // syncBatch finds it within 10s; here at once.
      if (event === POD_UPDATE && work.containers.writtenStatus !== undefined && pod.status !== work.containers.writtenStatus) work.containers.resyncStatus();
      work.containers.pod = pod;
    }
    this.apply(work, event, pod);
    this.flush();
  }

  /**
   * This kubelet's Node changed (from the node informer). When it has a pod CIDR and the kubelet had reported or
   * was about to report the network not ready, the network is ready now: Ready=True is posted (upstream's status
   * loop would notice within nodeStatusUpdateFrequency) and the pods waiting for it start.
   */
  nodeUpdated(node: Node): void {
    if (!this.up || this.detached !== undefined || nodePodCIDR(node) === undefined) return;
    if (this.networkCheck !== undefined) {
      this.ctx.cancel(this.networkCheck);
      this.networkCheck = undefined;
    }
    if (!this.networkReadyPosted) this.postStatus();
    if (this.readyEventDue) {
      this.readyEventDue = false;
      this.cp.events.record(node, "Normal", "NodeReady", `Node ${this.nodeName} status is now: NodeReady`, "kubelet", this.nodeName);
    }
    this.retryWaitingPods();
    this.flush();
  }

  /** Gives every pod waiting for a network (or a pod IP) another sandbox attempt. */
  private retryWaitingPods(): void {
    if (this.waitingForNetwork === 0) return;
    for (const work of [...this.pods.values()]) {
      if (work.state !== "WaitingForNetwork") continue;
      const [ns, name] = splitKey(work.key);
      const pod = this.cp.api.get<Pod>("Pod", ns, name);
      if (pod && pod.metadata.uid === work.uid) this.apply(work, NETWORK_READY, pod);
    }
  }

  /** A pod bound to this node was removed from the API. */
  podDeleted(pod: Pod): void {
    if (this.detached !== undefined) return;
    const work = this.pods.get(objectKey(pod.metadata.namespace, pod.metadata.name));
    if (!work || work.uid !== pod.metadata.uid) return;
    this.apply(work, POD_REMOVED, pod);
    this.flush();
  }

  private on(e: KubeletEvent): void {
    switch (e.t) {
      case "lease":
        if (this.detached !== undefined) {
          // The renewal fails; the lease controller retries on its back-off, which `reattach` computes.
          this.leaseTimer = undefined;
          this.leaseFailedAt = this.ctx.now;
          return;
        }
        this.renewLease();
        return;
      case "status":
        // A partitioned kubelet's status loop goes on ticking; each post fails (and is retried at the next tick).
        if (this.detached === undefined) {
          const wasReady = this.readyOnApi();
          this.postStatus();
          if (this.readyEventOnPost) this.recordNodeReadyAfterUnknown(wasReady);
        }
        this.scheduleStatus();
        return;
      case "ipFreed":
        this.ipRetryScheduled = false;
        this.retryWaitingPods();
        return;
      case "networkCheck": {
        this.networkCheck = undefined;
        const cur = this.cp.api.get<Node>("Node", undefined, this.nodeName);
        if (cur && nodePodCIDR(cur) === undefined && this.networkReadyPosted) this.postStatus();
        return;
      }
      case "resync":
        e.work.requeue = undefined;
        if (this.pods.get(e.work.key) === e.work) this.apply(e.work, RESYNC, undefined);
        return;
      case "mount":
        e.work.mountTimer = undefined;
        this.mountDue(e.work);
        return;
      case "containerTimer":
        e.pod.timer(e.index);
        return;
      case "imagePulled":
        this.runtime.observe(e);
        this.puller.pulled(e.image, e.error);
        // Containers with imagePullPolicy Never waiting for this image can start now (upstream: their next sync).
        if (e.error === undefined) for (const w of [...this.pods.values()]) w.containers?.imageArrived(e.image);
        return;
      case "containerStarted":
      case "containerExited": {
        this.runtime.observe(e);
        const work = this.pods.get(e.sandbox.key);
        if (work === undefined || work.uid !== e.sandbox.uid || work.containers === undefined) return;
        if (e.t === "containerStarted") work.containers.onStarted(e.name);
        else work.containers.onExited(e.name);
        return;
      }
      default:
        assertNever(e);
    }
  }

  /**
   * Runs one lifecycle event of a pod instance: records the next state (dropping the instance when it is Absent
   * again), then performs the transition's actions in order. `pod` is the object the event came with, if any;
   * actions that need the current pod otherwise read it from the API.
   */
  private apply(work: PodWork, event: PodLifecycleEvent, pod: Pod | undefined): void {
    const next = transition(work.state, event);
    if (work.state === "WaitingForNetwork") this.waitingForNetwork--;
    if (next.state === "WaitingForNetwork") this.waitingForNetwork++;
    // Leaving WaitingForVolumes (mounted, deleted, removed, node down): its pending mount retry goes.
    if (work.state === "WaitingForVolumes" && next.state !== "WaitingForVolumes" && work.mountTimer !== undefined) {
      this.ctx.cancel(work.mountTimer);
      work.mountTimer = undefined;
    }
    work.state = next.state;
    // Only a pod in WaitingForVolumes, or one counted already, can change the count here (containers: in flush).
    if (work.configWait || next.state === "WaitingForVolumes") this.setConfigWait(work, this.waitsOnConfig(work));
    if (next.state === "Absent" && this.pods.get(work.key) === work) this.pods.delete(work.key);
    for (const action of next.actions) this.perform(action, work, pod);
  }

  private perform(action: PodLifecycleAction, work: PodWork, pod: Pod | undefined): void {
    switch (action.t) {
      case "admit": {
        const p = needPod(pod, action);
        const decision = this.startDecisions?.get(work.key) ?? this.decide(p);
        this.apply(work, decision.admit ? ADMITTED : { t: "rejected", reason: decision.reason, message: decision.message }, p);
        return;
      }
      case "reject":
        this.rejectPod(needPod(pod, action), action.reason, action.message);
        return;
      case "hold":
        work.demand = podDemand(needPod(pod, action));
        addUsage(this.used, work.demand);
        return;
      case "release":
        if (work.demand !== undefined) subtractUsage(this.used, work.demand);
        work.demand = undefined;
        return;
      case "postStatus":
        this.creating.set(work, needPod(pod, action));
        return;
      case "runtimeStart": {
        // SyncPod: without a pod network only host-network pods start (k8sim has none).
        if (nodePodCIDR(this.currentNode()) === undefined) {
          this.apply(work, NETWORK_NOT_READY, pod);
          return;
        }
        // WaitForAttachAndMount: the pod's configMap, secret and projected volumes first.
        if (!this.volumesMounted(work, pod)) {
          this.apply(work, VOLUMES_PENDING, pod);
          return;
        }
        // The CNI plugin's address for the sandbox (host-local IPAM); none free: the sandbox fails and the pod waits.
        if (!this.podIPs.has(work.key)) {
          const offset = this.takePodIP();
          if (offset === undefined) {
            const message = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type="host-local" failed (add): failed to allocate for range 0: no IP addresses available in range set: ${this.podIPRange()}`;
            this.apply(work, { t: "sandboxFailed", message }, pod);
            return;
          }
          this.podIPs.set(work.key, offset);
        }
        this.runtime.runPodSandbox(work);
        this.apply(work, SANDBOX_READY, pod);
        return;
      }
      case "syncContainers": {
        const p = needPod(pod, action);
        const { behaviors } = this.options;
        work.containers = new PodContainers(this.host, work, p, this.options.podStream(p), (x, c) => behaviors.resolve(x, c), containerProbes);
        this.dirty.add(work.containers);
        work.containers.sync();
        return;
      }
      case "reportSandboxFailed":
        this.cp.events.record(needPod(pod, action), "Warning", "FailedCreatePodSandBox", action.message, "kubelet", this.nodeName);
        return;
      case "reportNetworkNotReady":
        this.cp.events.record(needPod(pod, action), "Warning", "NetworkNotReady", `network is not ready: ${NETWORK_NOT_READY_MESSAGE}`, "kubelet", this.nodeName);
        return;
      case "runtimeStop":
        if (work.containers !== undefined) {
          if (pod !== undefined) work.containers.pod = pod;
          work.containers.stopAll(action.graceMs);
        } else {
          // A pod found being deleted at start: its containers are stopped as the runtime finds them (see the NOTE
          // in src/kubelet/runtime/simulated-runtime.ts), and its deletion confirmed once all have exited.
          const p = needPod(pod, action);
          work.containers = new PodContainers(this.host, work, p, this.options.podStream(p), (x, c) => this.options.behaviors.resolve(x, c), () => undefined);
          work.containers.adoptRunning();
          work.containers.stopAll(action.graceMs);
        }
        return;
      case "releaseIP":
        this.releasePodIP(work.key);
        return;
      case "runtimeRemove":
        work.containers?.dispose();
        work.containers = undefined;
        this.runtime.removePodSandbox(work);
        this.releasePodIP(work.key);
        return;
      case "requeue":
        // NOTE: a pod with nothing to stop has its deletion confirmed at the same virtual instant; upstream it waits
        // for the next pod worker / status sync.
        work.requeue = this.ctx.scheduleAt(this.ctx.now, { t: "resync", work });
        return;
      case "cancelRequeue":
        if (work.requeue !== undefined) this.ctx.cancel(work.requeue);
        work.requeue = undefined;
        return;
      case "confirmDelete": {
        if (this.detached !== undefined) {
          this.unconfirmed.set(work.key, work.uid);
          return;
        }
        const [ns, name] = splitKey(work.key);
        const cur = this.cp.api.get<Pod>("Pod", ns, name);
        if (cur && cur.metadata.uid === work.uid) this.cp.api.delete("Pod", ns, name, { gracePeriodSeconds: 0 });
        return;
      }
      default:
        assertNever(action);
    }
  }

  /**
   * WaitForAttachAndMount at a start (pkg/kubelet/volumemanager): true when the pod has no configuration volumes or
   * all are mounted and the pod worker sees it now. Otherwise the volume manager tries those whose back-off is over
   * (a Warning FailedMount event per failure), and a `mount` event is scheduled for the next retry or look.
   * NOTE: v1.32 records no event when WaitForAttachAndMount times out (2m3s): SyncPod skips the "Unable to attach or
   * mount volumes" event for wait.Interrupted errors, which a timeout is (kubernetes#117412, v1.28); the sync is
   * retried POD_SYNC_RETRY_MS later. k8sim follows that: the timeouts only shape when a mount is seen.
   */
  private volumesMounted(work: PodWork, pod: Pod | undefined): boolean {
    if (work.mounts?.allMounted === true) return true;
    const p = pod ?? this.currentPod(work);
    if (p === undefined) return true;
    const volumes = podConfigRefs(p.spec).volumes;
    if (volumes.length === 0) return true;
    const now = this.ctx.now;
    work.mounts ??= new PodVolumeMounts(volumes, now, POD_SYNC_RETRY_MS);
    this.attemptMounts(work, p);
    if (work.mounts.allMounted && work.mounts.nextAt() <= now) return true;
    this.scheduleMount(work);
    return false;
  }

  /** The volume manager's retries for one pod: FailedMount for each failure. */
  private attemptMounts(work: PodWork, pod: Pod): void {
    const failures = work.mounts!.attempt(this.ctx.now, pod.metadata.namespace ?? "default", this.configObjects);
    for (const f of failures) this.cp.events.record(pod, "Warning", "FailedMount", f.message, "kubelet", this.nodeName);
  }

  private scheduleMount(work: PodWork): void {
    if (work.mountTimer !== undefined) this.ctx.cancel(work.mountTimer);
    work.mountTimer = this.ctx.scheduleAt(Math.max(this.ctx.now, work.mounts!.nextAt()), { t: "mount", work });
  }

  /** A `mount` event: retry what is due; once all is mounted and the pod worker sees it, the start goes on. */
  private mountDue(work: PodWork): void {
    if (this.pods.get(work.key) !== work || work.state !== "WaitingForVolumes" || work.mounts === undefined) return;
    const pod = this.currentPod(work);
    if (pod === undefined) return;
    if (!work.mounts.allMounted) {
      this.attemptMounts(work, pod);
      if (work.mounts.allMounted) this.setConfigWait(work, false);
    }
    if (work.mounts.allMounted && work.mounts.nextAt() <= this.ctx.now) this.apply(work, VOLUMES_MOUNTED, pod);
    else this.scheduleMount(work);
  }

  /** Whether a pod waits on configuration: its volumes wait for a ConfigMap or Secret, or a container's env does. */
  private waitsOnConfig(work: PodWork): boolean {
    if (work.state === "WaitingForVolumes") return work.mounts?.allMounted === false;
    return work.state === "Running" && work.containers?.waitingOnConfig === true;
  }

  /** Counts a pod in (or out of) the pods waiting on configuration. */
  private setConfigWait(work: PodWork, waiting: boolean): void {
    if (work.configWait === waiting) return;
    work.configWait = waiting;
    this.options.configWaits?.add(waiting ? 1 : -1);
  }

  /** The pod of a held instance as the API has it now, if it is still that instance. */
  private currentPod(work: PodWork): Pod | undefined {
    const [ns, name] = splitKey(work.key);
    const pod = this.cp.api.get<Pod>("Pod", ns, name);
    return pod !== undefined && pod.metadata.uid === work.uid ? pod : undefined;
  }

  /**
   * Admission of a new pod against the pods this kubelet holds (canAdmitPod with the predicate admit handler's
   * resource checks, src/kubelet/admission.ts), in the order the kubelet sees pods.
   */
  private decide(pod: Pod): AdmissionDecision {
    return admitPod(podDemand(pod), nodeCapacity(this.currentNode()), this.used);
  }

  /** The Node as the kubelet last saw it (its allocatable), falling back to the one it registered. */
  private currentNode(): Node {
    return this.cp.api.get<Node>("Node", undefined, this.nodeName) ?? this.node;
  }

  /**
   * Rejects a pod (pkg/kubelet/kubelet.go rejectPod): a Warning event with the admission's reason and message, and
   * the status phase Failed, the reason, and "Pod was rejected: <message>". The status manager keeps the start time
   * (setting it if unset) and drops the conditions the kubelet owns, so the pod keeps nothing else. The pod never
   * runs and holds no resources; it stays Failed until deleted.
   */
  private rejectPod(pod: Pod, reason: string, message: string): void {
    this.cp.events.record(pod, "Warning", reason, message, "kubelet", this.nodeName);
    const status: Pod["status"] = {
      phase: "Failed",
      reason,
      message: POD_REJECTED_PREFIX + message,
      startTime: pod.status.startTime ?? this.cp.clock.time(),
    };
    this.writeStatus(pod, status);
  }

  /** Jittered period (wait.Jitter): p + rand x factor x p, in whole ms. */
  private jittered(period: number): number {
    return Math.floor(period * (1 + this.ctx.random() * this.cp.settings.heartbeatJitterFactor));
  }

  private renewLease(): void {
    const { api, clock, settings } = this.cp;
    // Like the lease controller's latestLease: renew from the last lease written, without a GET each time.
    const prev = this.lease ?? api.get<Lease>("Lease", NODE_LEASE_NAMESPACE, this.nodeName);
    const spec = { holderIdentity: this.nodeName, leaseDurationSeconds: Math.round(settings.nodeLeaseDuration / 1000), renewTime: clock.microTime() };
    const r = prev
      ? api.update<Lease>({ apiVersion: prev.apiVersion, kind: "Lease", metadata: prev.metadata, spec })
      : api.create<Lease>({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: this.nodeName, namespace: NODE_LEASE_NAMESPACE }, spec });
    this.lease = r.ok ? r.object : undefined;
    this.leaseTimer = this.ctx.schedule(this.jittered(settings.nodeLeaseRenewInterval), this.leaseEvent);
  }

  /**
   * Schedules the next status post. The status loop ticks every jittered nodeStatusUpdateFrequency but, while
   * nothing in the status changes, posts only once nodeStatusReportFrequency has passed since the last report
   * (pkg/kubelet/kubelet_node_status.go tryUpdateNodeStatus). The ticks in between change nothing observable, so
   * they are drawn here (same draws, same tick times) instead of costing an engine event each.
   */
  private scheduleStatus(): void {
    const { settings } = this.cp;
    let t = this.ctx.now;
    do t += this.jittered(settings.nodeStatusUpdateFrequency);
    while (t - this.lastStatusReport < settings.nodeStatusReportFrequency);
    this.statusTimer = this.ctx.scheduleAt(t, this.statusEvent);
  }

  private postStatus(): void {
    const cur = this.cp.api.get<Node>("Node", undefined, this.nodeName);
    if (!cur) return;
    const networkReady = nodePodCIDR(cur) !== undefined;
    this.cp.api.updateStatus(withFields(cur, { status: withFields(cur.status, { conditions: healthyConditions(this.cp.clock, cur.status.conditions, !networkReady) }) }));
    this.networkReadyPosted = networkReady;
    this.lastStatusReport = this.ctx.now;
  }

  /**
   * The status of an admitted pod whose sandbox is not up yet (it waits for the node's network or a pod IP):
   * Pending (or Running after a restart), every container waiting ContainerCreating (PodInitializing in a pod
   * with init containers, as convertToAPIContainerStatuses defaults them), conditions as the kubelet's status
   * generators word them for containers that have not started.
   */
  private postContainerCreating(pod: Pod): void {
    const { clock } = this.cp;
    const now = clock.time();
    const init = pod.spec.initContainers ?? [];
    const waitingReason = init.length > 0 ? "PodInitializing" : "ContainerCreating";
    let ranBefore = false;
    const statusesOf = (list: readonly Container[], previous: readonly ContainerStatus[] | undefined): ContainerStatus[] =>
      list.map((c) => {
        const prev = previous?.find((s) => s.name === c.name);
        const status: ContainerStatus = {
          name: c.name,
          image: c.image,
          ready: false,
          started: false,
          // Containers that were running when the node went down are restarted: that counts as a restart.
          restartCount: restartCountAfter(prev),
          state: { waiting: { reason: waitingReason } },
        };
        if (prev?.state.running) {
          ranBefore = true;
          // The runtime lost the container with the node: upstream reports it as terminated, reason Unknown.
          status.lastState = { terminated: { exitCode: LOST_RUN.exitCode, reason: LOST_RUN.reason, startedAt: prev.state.running.startedAt, finishedAt: now } };
        }
        return status;
      });
    const statuses = statusesOf(pod.spec.containers, pod.status.containerStatuses);
    const initStatuses = statusesOf(init, pod.status.initContainerStatuses);
    const unready = [...init.filter((c) => c.restartPolicy === "Always"), ...pod.spec.containers].map((c) => c.name);
    const notReady = (type: string): Condition => ({
      type,
      status: "False",
      reason: "ContainersNotReady",
      message: `containers with unready status: [${unready.join(" ")}]`,
      lastProbeTime: null,
      lastTransitionTime: now,
    });
    const initialized: Condition =
      init.length === 0
        ? { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: now }
        : { type: "Initialized", status: "False", reason: "ContainersNotInitialized", message: `containers with incomplete status: [${init.map((c) => c.name).join(" ")}]`, lastProbeTime: null, lastTransitionTime: now };
    const conditions = kubeletConditions(pod.status.conditions, [
      { type: "PodReadyToStartContainers", status: "False", lastProbeTime: null, lastTransitionTime: now },
      initialized,
      notReady("Ready"),
      notReady("ContainersReady"),
      { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now },
    ]);
    const hostIP = this.node.status.addresses?.[0]?.address;
    // getPhase (pkg/kubelet/kubelet_pods.go): containers waiting to restart count as stopped, and a stopped pod
    // with restartPolicy Always is Running; only a pod that never ran is Pending.
    const phase = ranBefore && pod.spec.restartPolicy !== "Never" && pod.spec.restartPolicy !== "OnFailure" ? "Running" : "Pending";
    const status = withFields(pod.status, { phase, conditions, hostIP, startTime: pod.status.startTime ?? now, containerStatuses: statuses });
    if (initStatuses.length > 0) status.initContainerStatuses = initStatuses;
    this.writeStatus(pod, status);
  }

  /** The node's pod CIDR, parsed once per value of spec.podCIDR. */
  private nodeCidr(): Cidr | undefined {
    const text = nodePodCIDR(this.currentNode());
    if (text !== this.podCIDRText) {
      const r = text === undefined ? undefined : parseCidr(text);
      this.podCIDRText = text;
      this.podCIDR = r?.ok ? r.value : undefined;
    }
    return this.podCIDR;
  }

  /** Takes the next free address offset after the last one given (host-local's round robin); undefined if every
   *  address of the range is in use or the node has no range. */
  private takePodIP(): number | undefined {
    const cidr = this.nodeCidr();
    const capacity = cidr === undefined ? 0 : podIPCapacity(cidr);
    for (let i = 0; i < capacity; i++) {
      const offset = (this.ipCounter + i) % capacity;
      if (this.ipTaken.has(offset)) continue;
      this.ipTaken.add(offset);
      this.ipCounter = offset + 1;
      return offset;
    }
    return undefined;
  }

  /** Frees a pod's address; pods waiting for one get another sandbox attempt in an event of their own. */
  private releasePodIP(key: string): void {
    const offset = this.podIPs.get(key);
    if (offset === undefined) return;
    this.podIPs.delete(key);
    this.ipTaken.delete(offset);
    if (this.waitingForNetwork > 0 && !this.ipRetryScheduled) {
      this.ipRetryScheduled = true;
      this.ctx.schedule(0, this.ipFreedEvent);
    }
  }

  /** The address of a pod's sandbox. */
  private podIPOf(key: string): string | undefined {
    const offset = this.podIPs.get(key);
    const cidr = this.nodeCidr();
    return offset === undefined || cidr === undefined ? undefined : podIPAt(cidr, offset);
  }

  /** host-local's range text for its exhaustion message: first-last usable address. */
  private podIPRange(): string {
    const cidr = this.nodeCidr();
    if (cidr === undefined) return "";
    const capacity = podIPCapacity(cidr);
    return capacity === 0 ? "" : `${podIPAt(cidr, 0)}-${podIPAt(cidr, capacity - 1)}`;
  }

  private writeStatus(pod: Pod, status: Pod["status"]): void {
    this.cp.api.updateStatus(withFields(pod, { status }), { force: true });
  }
}

/** The pod an action needs; the lifecycle only asks for such actions on events that come with the pod. */
function needPod(pod: Pod | undefined, action: PodLifecycleAction): Pod {
  if (pod === undefined) throw new Error(`kubelet: lifecycle action ${action.t} without the pod it acts on`);
  return pod;
}

/** Succeeded or Failed (podutil.IsPodPhaseTerminal). */
function isTerminal(pod: Pod): boolean {
  return pod.status.phase === "Succeeded" || pod.status.phase === "Failed";
}

function restartCountAfter(prev: ContainerStatus | undefined): number {
  if (!prev) return 0;
  return prev.state.running ? prev.restartCount + 1 : prev.restartCount;
}


function splitKey(key: string): [string, string] {
  const i = key.indexOf("/");
  return [key.slice(0, i), key.slice(i + 1)];
}
