import { withFields } from "../api/copy.js";
import type { ControlPlane } from "../api/control-plane.js";
import { setConditions } from "../api/pod-util.js";
import type { Condition, ContainerStatus, Lease, Node, Pod } from "../api/types.js";
import { objectKey } from "../api/types.js";
import type { Context, EventId } from "../engine/simulation.js";
import { assertNever } from "../engine/assert-never.js";
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

/** What the kubelet tracks per pod it runs. */
interface PodWork {
  uid: string;
  state: "starting" | "running" | "stopping";
  timer: EventId | undefined;
  /** While stopping: when the containers will have stopped (virtual ms). */
  stopAt?: number;
}

/** The namespace of node leases (kube-node-lease). */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";

/**
 * One node's kubelet: registers the Node, renews its Lease every renewInterval and posts node status when a
 * report is due (both loops jittered by heartbeatJitterFactor, as wait.JitterUntil), and runs the pods bound to
 * its node through a container-runtime model: ContainerCreating, then Running and Ready after podStartLatency;
 * on deletion it stops containers within the grace period and confirms the delete.
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
    for (const pod of [...this.podsOnNode(this.nodeName)]) this.syncPod(pod);
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
      if (work?.timer !== undefined) this.ctx.cancel(work.timer);
      for (const c of pod.spec.containers) {
        this.cp.events.record(pod, "Normal", "Killing", `Stopping container ${c.name}`, "kubelet", this.nodeName);
      }
      const ev: KubeletEvent = { t: "stopped", key, uid: pod.metadata.uid! };
      this.pods.set(key, { uid: pod.metadata.uid!, state: "stopping", timer: this.ctx.scheduleAt(stopAt, ev), stopAt });
      return;
    }
    if (work && work.uid === pod.metadata.uid) return;
    this.admit(pod, key);
  }

  /** A pod bound to this node was removed from the API. */
  podDeleted(pod: Pod): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    const work = this.pods.get(key);
    if (!work || work.uid !== pod.metadata.uid) return;
    if (work.timer !== undefined) this.ctx.cancel(work.timer);
    this.pods.delete(key);
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
    this.pods.set(key, { uid: pod.metadata.uid!, state: "starting", timer: this.ctx.schedule(this.cp.settings.podStartLatency, ev) });
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
    this.pods.delete(key);
    const [ns, name] = splitKey(key);
    const pod = this.cp.api.get<Pod>("Pod", ns, name);
    if (pod && pod.metadata.uid === uid) this.cp.api.delete("Pod", ns, name, { gracePeriodSeconds: 0 });
  }

  private writeStatus(pod: Pod, status: Pod["status"]): void {
    this.cp.api.updateStatus(withFields(pod, { status }), { force: true });
  }
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
