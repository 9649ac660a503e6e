import { withFields } from "../api/copy.js";
import { NODE_LEASE_NAMESPACE } from "../api/apiserver.js";
import type { ControlPlane } from "../api/control-plane.js";
import { setConditions } from "../api/pod-util.js";
import type { Condition, ContainerStatus, Lease, Node, Pod } from "../api/types.js";
import { objectKey } from "../api/types.js";
import type { Context, EventId } from "../engine/simulation.js";
import { assertNever } from "../engine/assert-never.js";
import type { AdmissionDecision, NodeUsage, PodDemand } from "./admission.js";
import { addUsage, admitPod, emptyUsage, nodeCapacity, podDemand, POD_REJECTED_PREFIX, subtractUsage } from "./admission.js";
import { healthyConditions } from "./node-object.js";

/** Events a kubelet schedules for itself. */
type KubeletEvent =
  /** Renew the node lease (lease controller sync). */
  | { t: "lease" }
  /** Post node status (syncNodeStatus found the report due). */
  | { t: "status" }
  /** A pod's containers finished starting. */
  | { t: "started"; key: string; uid: string }
  /** A terminating pod's containers have stopped: confirm the deletion. */
  | { t: "stopped"; key: string; uid: string };

/** What the kubelet tracks per pod it runs (or rejected). */
interface PodWork {
  uid: string;
  /** "rejected": admission refused the pod; it never runs and holds nothing. */
  state: "starting" | "running" | "stopping" | "rejected";
  timer: EventId | undefined;
  /** While stopping: when the containers will have stopped (virtual ms). */
  stopAt?: number;
  /** What the pod counts for in the node's `used` while the kubelet holds it; undefined if it holds nothing. */
  demand: PodDemand | undefined;
}


/**
 * One node's kubelet: registers the Node, renews its Lease every renewInterval and posts node status when a
 * report is due (both loops jittered by heartbeatJitterFactor, as wait.JitterUntil), and runs the pods bound to
 * its node through a container-runtime model: ContainerCreating, then Running and Ready after podStartLatency;
 * on deletion it stops containers within the grace period and confirms the delete.
 *
 * Before running a pod it first sees, it admits it (pkg/kubelet/kubelet.go HandlePodAdditions / canAdmitPod with
 * the predicate admit handler's resource checks, src/kubelet/admission.ts) against a running sum of the requests
 * of the pods it holds; a pod that does not fit is rejected (rejectPod): Failed, reason OutOfcpu / OutOfmemory /
 * OutOfpods / OutOf<extended resource>, never run, never counted.
 *
 * `stop()` models the machine failing: every loop halts and pods stay as the API last saw them, which is what the
 * node lifecycle controller must notice. `start()` brings it back.
 */
export class Kubelet {
  private readonly ctx: Context<KubeletEvent>;
  private readonly pods = new Map<string, PodWork>();
  private readonly leaseEvent: KubeletEvent = { t: "lease" };
  private readonly statusEvent: KubeletEvent = { t: "status" };
  private leaseTimer: EventId | undefined;
  private statusTimer: EventId | undefined;
  private lastStatusReport = 0;
  private lease: Lease | undefined;
  private ipCounter = 0;
  private up = false;
  /** The requests of the pods this kubelet holds (admitted, running or stopping): a running sum for admission. */
  private used: NodeUsage = emptyUsage();
  /** While `start` re-syncs the node's pods: the admission decided for each, in creation order. */
  private startDecisions: Map<string, AdmissionDecision> | undefined;

  /**
   * @param node the Node to register at start (its status.conditions are refreshed on each report).
   * @param index 0-based creation index of the node, used for pod IPs (10.244.<index>.x).
   */
  constructor(
    private readonly cp: ControlPlane,
    readonly nodeName: string,
    private readonly node: Node,
    private readonly index: number,
    /** The pods bound to a node, from the pod informer (an index, so a restart does not scan every pod). */
    private readonly podsOnNode: (nodeName: string) => Iterable<Pod>,
  ) {
    this.ctx = cp.sim.register<KubeletEvent>(`kubelet/${nodeName}`, (e) => this.on(e));
  }

  /** Whether the kubelet is running. */
  get running(): boolean {
    return this.up;
  }

  /** Starts (or restarts) the kubelet: registers or refreshes the Node, renews the lease, syncs pods. */
  start(): void {
    if (this.up) return;
    this.up = true;
    const { api } = this.cp;
    const existing = api.get<Node>("Node", undefined, this.nodeName);
    if (!existing) {
      const r = api.create(this.node);
      if (!r.ok) throw new Error(`kubelet ${this.nodeName}: node registration failed: ${r.message}`);
      this.cp.events.record(r.object, "Normal", "Starting", "Starting kubelet.", "kubelet", this.nodeName);
      this.cp.events.record(r.object, "Normal", "RegisteredNode", `Node ${this.nodeName} event: Registered Node ${this.nodeName} in Controller`, "node-controller");
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
    if (!this.up) return;
    this.up = false;
    if (this.leaseTimer !== undefined) this.ctx.cancel(this.leaseTimer);
    if (this.statusTimer !== undefined) this.ctx.cancel(this.statusTimer);
    this.leaseTimer = this.statusTimer = undefined;
    for (const w of this.pods.values()) if (w.timer !== undefined) this.ctx.cancel(w.timer);
    // The runtime's state dies with the node: a restarted kubelet rebuilds it from the API.
    this.pods.clear();
    this.used = emptyUsage();
  }

  /** A pod bound to this node was added or changed (from the pod informer). */
  syncPod(pod: Pod): void {
    if (!this.up) return;
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    const work = this.pods.get(key);
    if (pod.metadata.deletionTimestamp !== undefined) {
      const graceMs = (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
      const stopAt = this.ctx.now + Math.min(this.cp.settings.podStopLatency, graceMs);
      if (work?.state === "stopping") {
        // A shorter grace period (a second delete) can only bring the end of the stop forward.
        if (work.stopAt !== undefined && stopAt < work.stopAt && work.timer !== undefined) {
          this.ctx.cancel(work.timer);
          work.stopAt = stopAt;
          work.timer = this.ctx.scheduleAt(stopAt, { t: "stopped", key, uid: work.uid });
        }
        return;
      }
      const uid = pod.metadata.uid!;
      const ev: KubeletEvent = { t: "stopped", key, uid };
      if ((work?.uid === uid && work.state === "rejected") || (work?.uid !== uid && isTerminal(pod))) {
        // A rejected (or otherwise finished) pod has no containers to stop: the status manager's canBeDeleted
        // holds at once and the deletion is confirmed without Killing events.
        // NOTE: confirmed at the same virtual instant; upstream it waits for the next pod worker / status sync.
        if (work?.timer !== undefined) this.ctx.cancel(work.timer);
        if (work?.demand !== undefined) subtractUsage(this.used, work.demand);
        this.pods.set(key, { uid, state: "stopping", timer: this.ctx.scheduleAt(this.ctx.now, ev), stopAt: this.ctx.now, demand: undefined });
        return;
      }
      if (work?.timer !== undefined) this.ctx.cancel(work.timer);
      for (const c of pod.spec.containers) {
        this.cp.events.record(pod, "Normal", "Killing", `Stopping container ${c.name}`, "kubelet", this.nodeName);
      }
      // A pod the kubelet did not hold yet (found at start, being deleted) holds its resources until it has stopped.
      let demand = work?.uid === uid ? work.demand : undefined;
      if (work !== undefined && work.uid !== uid && work.demand !== undefined) subtractUsage(this.used, work.demand);
      if (work?.uid !== uid) addUsage(this.used, (demand = podDemand(pod)));
      this.pods.set(key, { uid, state: "stopping", timer: this.ctx.scheduleAt(stopAt, ev), stopAt, demand });
      return;
    }
    if (work && work.uid === pod.metadata.uid) return;
    // Pods in a terminal phase are not admitted (HandlePodAdditions skips IsPodPhaseTerminal pods).
    if (isTerminal(pod)) return;
    // A pod of the same name but another uid replaced the one the kubelet held (its timer, if any, finds no match).
    if (work !== undefined) this.forget(key, work, false);
    const decision = this.startDecisions?.get(key) ?? this.decide(pod);
    if (!decision.admit) {
      this.rejectPod(pod, key, decision);
      return;
    }
    this.admit(pod, key);
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
  private rejectPod(pod: Pod, key: string, decision: Extract<AdmissionDecision, { admit: false }>): void {
    this.cp.events.record(pod, "Warning", decision.reason, decision.message, "kubelet", this.nodeName);
    const status: Pod["status"] = {
      phase: "Failed",
      reason: decision.reason,
      message: POD_REJECTED_PREFIX + decision.message,
      startTime: pod.status.startTime ?? this.cp.clock.time(),
    };
    this.writeStatus(pod, status);
    this.pods.set(key, { uid: pod.metadata.uid!, state: "rejected", timer: undefined, demand: undefined });
  }

  /**
   * Drops what the kubelet tracks for a pod: its share of `used` and, with `cancel`, its pending timer (never pass
   * `cancel` for a timer that has fired: the engine only tracks pending ids).
   */
  private forget(key: string, work: PodWork, cancel: boolean): void {
    if (cancel && work.timer !== undefined) this.ctx.cancel(work.timer);
    if (work.demand !== undefined) subtractUsage(this.used, work.demand);
    this.pods.delete(key);
  }

  /** A pod bound to this node was removed from the API. */
  podDeleted(pod: Pod): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    const work = this.pods.get(key);
    if (!work || work.uid !== pod.metadata.uid) return;
    this.forget(key, work, true);
  }

  private on(e: KubeletEvent): void {
    switch (e.t) {
      case "lease":
        this.renewLease();
        return;
      case "status":
        this.postStatus();
        this.scheduleStatus();
        return;
      case "started":
        this.containersStarted(e.key, e.uid);
        return;
      case "stopped":
        this.containersStopped(e.key, e.uid);
        return;
      default:
        assertNever(e);
    }
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
    this.cp.api.updateStatus(withFields(cur, { status: withFields(cur.status, { conditions: healthyConditions(this.cp.clock, cur.status.conditions) }) }));
    this.lastStatusReport = this.ctx.now;
  }

  private admit(pod: Pod, key: string): void {
    const { clock } = this.cp;
    const now = clock.time();
    const previous = pod.status.containerStatuses;
    let ranBefore = false;
    const statuses: ContainerStatus[] = pod.spec.containers.map((c) => {
      const prev = previous?.find((s) => s.name === c.name);
      const status: ContainerStatus = {
        name: c.name,
        image: c.image,
        ready: false,
        started: false,
        // Containers that were running when the node went down are restarted: that counts as a restart.
        restartCount: restartCountAfter(prev),
        state: { waiting: { reason: "ContainerCreating" } },
      };
      if (prev?.state.running) {
        ranBefore = true;
        // The runtime lost the container with the node: upstream reports it as terminated, reason Unknown.
        status.lastState = { terminated: { exitCode: 255, reason: "Unknown", startedAt: prev.state.running.startedAt, finishedAt: now } };
      }
      return status;
    });
    const conditions = setConditions(pod.status.conditions, [
      { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: now },
      notReady("Ready", now),
      notReady("ContainersReady", now),
    ]);
    const hostIP = this.node.status.addresses?.[0]?.address;
    // getPhase (pkg/kubelet/kubelet_pods.go): containers waiting to restart count as stopped, and a stopped pod
    // with restartPolicy Always is Running; only a pod that never ran is Pending.
    const phase = ranBefore && pod.spec.restartPolicy !== "Never" && pod.spec.restartPolicy !== "OnFailure" ? "Running" : "Pending";
    this.writeStatus(pod, withFields(pod.status, { phase, conditions, hostIP, startTime: pod.status.startTime ?? now, containerStatuses: statuses }));
    const ev: KubeletEvent = { t: "started", key, uid: pod.metadata.uid! };
    const demand = podDemand(pod);
    addUsage(this.used, demand);
    this.pods.set(key, { uid: pod.metadata.uid!, state: "starting", timer: this.ctx.schedule(this.cp.settings.podStartLatency, ev), demand });
  }

  private containersStarted(key: string, uid: string): void {
    const work = this.pods.get(key);
    if (!work || work.uid !== uid || work.state !== "starting") return;
    work.state = "running";
    work.timer = undefined;
    const [ns, name] = splitKey(key);
    const pod = this.cp.api.get<Pod>("Pod", ns, name);
    if (!pod || pod.metadata.uid !== uid) return;
    const { clock, events } = this.cp;
    const now = clock.time();
    for (const c of pod.spec.containers) {
      events.record(pod, "Normal", "Pulled", `Container image "${c.image}" already present on machine`, "kubelet", this.nodeName);
      events.record(pod, "Normal", "Created", `Created container: ${c.name}`, "kubelet", this.nodeName);
      events.record(pod, "Normal", "Started", `Started container ${c.name}`, "kubelet", this.nodeName);
    }
    const statuses: ContainerStatus[] = (pod.status.containerStatuses ?? []).map((s) => ({
      ...s,
      ready: true,
      started: true,
      state: { running: { startedAt: now } },
    }));
    const conditions = setConditions(pod.status.conditions, [
      { type: "ContainersReady", status: "True", lastProbeTime: null, lastTransitionTime: now },
      { type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: now },
    ]);
    const podIP = pod.status.podIP ?? `10.244.${this.index}.${(this.ipCounter++ % 250) + 2}`;
    this.writeStatus(pod, withFields(pod.status, { phase: "Running", conditions, podIP, containerStatuses: statuses }));
  }

  private containersStopped(key: string, uid: string): void {
    const work = this.pods.get(key);
    if (!work || work.uid !== uid) return;
    this.forget(key, work, false);
    const [ns, name] = splitKey(key);
    const pod = this.cp.api.get<Pod>("Pod", ns, name);
    if (pod && pod.metadata.uid === uid) this.cp.api.delete("Pod", ns, name, { gracePeriodSeconds: 0 });
  }

  private writeStatus(pod: Pod, status: Pod["status"]): void {
    this.cp.api.updateStatus(withFields(pod, { status }), { force: true });
  }
}

/** Succeeded or Failed (podutil.IsPodPhaseTerminal). */
function isTerminal(pod: Pod): boolean {
  return pod.status.phase === "Succeeded" || pod.status.phase === "Failed";
}

function restartCountAfter(prev: ContainerStatus | undefined): number {
  if (!prev) return 0;
  return prev.state.running ? prev.restartCount + 1 : prev.restartCount;
}

function notReady(type: string, now: string): Condition {
  return { type, status: "False", reason: "ContainersNotReady", message: "containers with unready status", lastProbeTime: null, lastTransitionTime: now };
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf("/");
  return [key.slice(0, i), key.slice(i + 1)];
}
