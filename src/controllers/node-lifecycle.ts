import { withFields } from "../api/copy.js";
import { TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE } from "../api/taints.js";
import type { ControlPlane } from "../api/control-plane.js";
import { getCondition, setCondition } from "../api/pod-util.js";
import type { Condition, Lease, Node, Pod, Taint } from "../api/types.js";
import { assertNever } from "../engine/assert-never.js";
import type { Context } from "../engine/simulation.js";
import { NODE_LEASE_NAMESPACE } from "../api/apiserver.js";
import type { ApiClient } from "../api/client.js";
import type { PodsByNode } from "../api/pods-by-node.js";
import { WorkQueue } from "./runtime.js";
import { TokenBucket } from "../api/token-bucket.js";
import { computeZoneState, zoneTaintRate, type ZoneState } from "./zone-state.js";
import { zoneKey } from "../api/topology.js";

/** What the controller last observed of a node (upstream nodeHealthData). */
interface NodeHealth {
  /** Virtual ms when the controller last saw the kubelet alive (a new lease renewTime or status heartbeat). */
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  /** The Ready condition heartbeat last seen. */
  heartbeat: string | undefined;
  /** The lease object last seen (objects are immutable: a new object is a new write). */
  lease: Lease | undefined;
  renewTime: string | undefined;
  /** The node object last examined: an unchanged object has an unchanged heartbeat. */
  node: Node | undefined;
  /** The labels object the zone was computed from, the zone, and its counters in `zoneCounts`. */
  labels: Record<string, string> | undefined;
  zone: string;
  counts: ZoneCount | undefined;
  /** Ready condition before and after the last pass's update (upstream observedReadyCondition / currentReadyCondition). */
  observedReady: Condition | undefined;
  currentReady: Condition | undefined;
}

/** Per-zone node counts of one monitor pass. */
interface ZoneCount {
  ready: number;
  notReady: number;
}

/** A per-zone rate-limited queue of nodes to taint (upstream RateLimitedTimedQueue, one per zone). */
interface ZoneTainter {
  /** Node names, FIFO, unique; value = earliest virtual ms to process. */
  queue: Map<string, number>;
  limiter: TokenBucket;
}

type NlcEvent = { t: "monitor" } | { t: "taintPass" };

/** Node conditions the controller sets to Unknown when the kubelet goes silent (nodeConditionTypes upstream). */
const MONITORED_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

/** NoSchedule taints mirroring node conditions (doNoScheduleTaintingPass, nodeConditionToTaintKeyStatusMap). */
const CONDITION_NOSCHEDULE_TAINTS: readonly [string, Condition["status"], string][] = [
  ["Ready", "False", TAINT_NOT_READY],
  ["Ready", "Unknown", TAINT_UNREACHABLE],
  ["MemoryPressure", "True", "node.kubernetes.io/memory-pressure"],
  ["DiskPressure", "True", "node.kubernetes.io/disk-pressure"],
  ["PIDPressure", "True", "node.kubernetes.io/pid-pressure"],
];

/**
 * The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go).
 *
 * Every nodeMonitorPeriod it checks each node: a new lease renewTime or status heartbeat refreshes the node's
 * probe time; once now - probe time reaches the grace period (nodeStartupGracePeriod for a node that never
 * reported Ready) the node's conditions become Unknown ("Kubelet stopped posting node status.") and its pods are
 * marked not ready; the next pass, which observes the Unknown condition, queues the node for the
 * `node.kubernetes.io/unreachable:NoExecute` taint (or not-ready when Ready=False). Taints are applied by a pass every nodeEvictionPeriod, rate-limited per zone by the
 * zone's state; when every zone is fully disrupted the controller removes the taints and evicts nothing. A node
 * that is Ready again loses its taints. NoSchedule taints follow the conditions on every node change.
 *
 * NOTE: upstream compares `now.After(probe + grace)`; its passes drift by milliseconds so that acts as >=. Here
 * passes are exactly nodeMonitorPeriod apart, so k8sim uses >= to keep the same timing.
 * NOTE: upstream iterates zones in Go map order (random); k8sim uses the order zones were first seen.
 */
export class NodeLifecycleController {
  private readonly ctx: Context<NlcEvent>;
  private readonly health = new Map<string, NodeHealth>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainters = new Map<string, ZoneTainter>();
  /** Node counts per zone, refilled by every monitor pass. */
  private readonly zoneCounts = new Map<string, ZoneCount>();
  private readonly noSchedule: WorkQueue;
  private taintPassScheduled = false;
  private readonly monitorEvent: NlcEvent = { t: "monitor" };
  private readonly taintPassEvent: NlcEvent = { t: "taintPass" };

  private readonly client: ApiClient;

  constructor(private readonly cp: ControlPlane, private readonly podsByNode: PodsByNode) {
    this.ctx = cp.sim.register<NlcEvent>("node-lifecycle-controller", (e) => this.on(e));
    this.client = cp.client("node-lifecycle-controller", "controllerManager");
    this.noSchedule = new WorkQueue(cp.sim, "node-lifecycle-controller/noschedule", (key) => this.reconcileNoScheduleTaints(key.name));
    cp.informers.nodes.addHandlers({
      onAdd: (n) => this.noSchedule.add(n.metadata),
      onUpdate: (_o, n) => this.noSchedule.add(n.metadata),
      onDelete: (n) => this.health.delete(n.metadata.name),
    });
    this.ctx.schedule(0, this.monitorEvent);
  }

  /** The zone states of the last monitor pass, in first-seen order (for reports and tests). */
  get zones(): ReadonlyMap<string, ZoneState> {
    return this.zoneStates;
  }

  private on(e: NlcEvent): void {
    switch (e.t) {
      case "monitor":
        this.monitorNodeHealth();
        this.ctx.schedule(this.cp.settings.nodeMonitorPeriod, this.monitorEvent);
        return;
      case "taintPass":
        this.doNoExecuteTaintingPass();
        return;
      default:
        assertNever(e);
    }
  }

  private monitorNodeHealth(): void {
    const zones = this.zoneCounts;
    for (const z of zones.values()) z.ready = z.notReady = 0;
    for (const node of this.cp.informers.nodes.list()) {
      const h = this.healthOf(node);
      const updated = this.tryUpdateNodeHealth(node, h);
      const current = h.currentReady;
      // The zone (and its counters) follow the node's labels object, which status writes keep.
      if (h.labels !== updated.metadata.labels || h.counts === undefined) {
        h.labels = updated.metadata.labels;
        h.zone = zoneKey(updated);
        h.counts = undefined;
      }
      const zone = h.zone;
      let counts = h.counts ?? zones.get(zone);
      if (!counts) zones.set(zone, (counts = { ready: 0, notReady: 0 }));
      h.counts = counts;
      if (!this.tainters.has(zone)) {
        this.tainters.set(zone, { queue: new Map(), limiter: new TokenBucket(this.cp.settings.nodeEvictionRate, 1, this.ctx.now) });
      }
      if (current?.status === "True") counts.ready++;
      else counts.notReady++;
      // Upstream hands the taint logic the Ready condition as observed *before* this pass's update: the pass that
      // turns a node Unknown queues no taint, the next pass (nodeMonitorPeriod later) does.
      if (current && h.observedReady) this.processTaintBaseEviction(updated, h.observedReady, zone);
      if (current && current.status !== "True" && h.observedReady?.status === "True") {
        this.cp.events.record(updated, "Normal", "NodeNotReady", `Node ${updated.metadata.name} status is now: NodeNotReady`, "node-controller");
        this.markPodsNotReady(updated.metadata.name);
      }
    }
    this.handleDisruption(zones);
  }

  private healthOf(node: Node): NodeHealth {
    const name = node.metadata.name;
    let h = this.health.get(name);
    if (!h) {
      const now = this.ctx.now;
      const ready = getCondition(node.status.conditions, "Ready");
      h = { probeTimestamp: now, readyTransitionTimestamp: now, heartbeat: ready?.lastHeartbeatTime, lease: undefined, renewTime: undefined, node, observedReady: ready, currentReady: ready, labels: undefined, zone: "", counts: undefined };
      this.health.set(name, h);
    }
    return h;
  }

  /**
   * Refreshes the node's probe time from its lease and heartbeat and, past the grace period, writes its
   * conditions as Unknown. Sets h.observedReady / h.currentReady and returns the node as now stored.
   */
  private tryUpdateNodeHealth(node: Node, h: NodeHealth): Node {
    const now = this.ctx.now;
    const name = node.metadata.name;
    let ready = h.currentReady;
    if (node !== h.node) {
      h.node = node;
      ready = getCondition(node.status.conditions, "Ready");
      if (ready?.lastHeartbeatTime !== h.heartbeat) {
        h.heartbeat = ready?.lastHeartbeatTime;
        h.probeTimestamp = now;
      }
    }
    h.observedReady = h.currentReady = ready;
    // Read, not watched: the lease informer then needs no engine event per renewal.
    const lease = this.cp.informers.leases.get(NODE_LEASE_NAMESPACE, name);
    if (lease !== undefined && lease !== h.lease) {
      h.lease = lease;
      if (h.renewTime === undefined || lease.spec.renewTime > h.renewTime) {
        h.renewTime = lease.spec.renewTime;
        h.probeTimestamp = now;
      }
    }
    const grace = ready ? this.cp.settings.nodeMonitorGracePeriod : this.cp.settings.nodeStartupGracePeriod;
    if (now - h.probeTimestamp < grace) return node;
    // The kubelet is silent: every monitored condition that is not already Unknown becomes Unknown.
    const t = this.cp.clock.time();
    let conds = node.status.conditions;
    let changed = false;
    for (const type of MONITORED_CONDITIONS) {
      const c = getCondition(conds, type);
      if (c?.status === "Unknown") continue;
      changed = true;
      conds = setCondition(conds, {
        type,
        status: "Unknown",
        reason: c ? "NodeStatusUnknown" : "NodeStatusNeverUpdated",
        message: c ? "Kubelet stopped posting node status." : "Kubelet never posted node status.",
        lastHeartbeatTime: c?.lastHeartbeatTime ?? node.metadata.creationTimestamp,
        lastTransitionTime: t,
      });
    }
    if (!changed) return node;
    const r = this.cp.api.updateStatus(withFields(node, { status: withFields(node.status, { conditions: conds }) }));
    if (!r.ok) return node;
    h.heartbeat = getCondition(conds, "Ready")?.lastHeartbeatTime;
    h.readyTransitionTimestamp = now;
    h.node = r.object;
    h.currentReady = getCondition(conds, "Ready");
    return r.object;
  }

  /** processTaintBaseEviction: queue the NoExecute taint for a not-ready node, lift it from a ready one. */
  private processTaintBaseEviction(node: Node, ready: Condition, zone: string): void {
    const name = node.metadata.name;
    const taints = node.spec.taints;
    if (ready.status === "True" && (taints === undefined || taints.length === 0)) {
      // The common case, every pass for every healthy node: nothing to lift, at most a queue entry to drop.
      const q = this.tainters.get(zone)?.queue;
      if (q !== undefined && q.size > 0) q.delete(name);
      return;
    }
    this.queueTaint(node, ready, zone, taints ?? []);
  }

  private queueTaint(node: Node, ready: Condition, zone: string, taints: Taint[]): void {
    const name = node.metadata.name;
    const has = (key: string) => taints.some((t) => t.key === key && t.effect === "NoExecute");
    if (ready.status === "True") {
      if (has(TAINT_UNREACHABLE) || has(TAINT_NOT_READY)) {
        this.setNoExecuteTaint(node, undefined);
      }
      this.tainters.get(zone)?.queue.delete(name);
      return;
    }
    const want = ready.status === "False" ? TAINT_NOT_READY : TAINT_UNREACHABLE;
    const other = want === TAINT_NOT_READY ? TAINT_UNREACHABLE : TAINT_NOT_READY;
    if (has(other)) {
      // Already evicting under the other taint: swap without waiting for the rate limiter.
      this.setNoExecuteTaint(node, want);
      return;
    }
    if (has(want)) return;
    const tainter = this.tainters.get(zone)!;
    if (!tainter.queue.has(name)) {
      tainter.queue.set(name, this.ctx.now);
      this.scheduleTaintPass();
    }
  }

  private scheduleTaintPass(): void {
    if (this.taintPassScheduled) return;
    this.taintPassScheduled = true;
    // The pass runs on a fixed nodeEvictionPeriod grid from controller start (wait.Until).
    const p = this.cp.settings.nodeEvictionPeriod;
    this.ctx.scheduleAt(Math.ceil(this.ctx.now / p) * p, this.taintPassEvent);
  }

  /** doNoExecuteTaintingPass: per zone, taint queued nodes while the zone's limiter allows. */
  private doNoExecuteTaintingPass(): void {
    this.taintPassScheduled = false;
    const now = this.ctx.now;
    let pending = false;
    for (const tainter of this.tainters.values()) {
      for (const [name, at] of tainter.queue) {
        if (at > now) break;
        if (!tainter.limiter.tryAccept(now)) break;
        tainter.queue.delete(name);
        const node = this.cp.api.get<Node>("Node", undefined, name);
        const ready = node && getCondition(node.status.conditions, "Ready");
        if (!node || !ready || ready.status === "True") continue;
        this.setNoExecuteTaint(node, ready.status === "False" ? TAINT_NOT_READY : TAINT_UNREACHABLE);
      }
      if (tainter.queue.size > 0) pending = true;
    }
    if (pending) {
      this.taintPassScheduled = true;
      this.ctx.schedule(this.cp.settings.nodeEvictionPeriod, this.taintPassEvent);
    }
  }

  /** Sets the node's lifecycle NoExecute taint to `key` (or removes both when undefined). */
  private setNoExecuteTaint(cached: Node, key: string | undefined): void {
    // Taints are written from the latest stored node, not the informer's copy, so no other taint is lost.
    const node = this.cp.api.get<Node>("Node", undefined, cached.metadata.name) ?? cached;
    const kept = (node.spec.taints ?? []).filter((t) => !(t.effect === "NoExecute" && (t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY)));
    if (key === undefined && kept.length === (node.spec.taints ?? []).length) return;
    const taints: Taint[] = key ? [...kept, { key, effect: "NoExecute", timeAdded: this.cp.clock.time() }] : kept;
    this.writeTaints(node, taints);
  }

  private writeTaints(node: Node, taints: Taint[]): void {
    // An empty list is written as no list, as the API serialises it.
    this.cp.api.update(withFields(node, { spec: withFields(node.spec, { taints: taints.length > 0 ? taints : undefined }) }), { force: true });
  }

  /**
   * MarkPodsNotReady (pkg/controller/util/node/controller_utils.go): Ready=False on every pod of the node, each a
   * status update through the controller's rate-limited client (the pod is read when its turn comes), and the
   * NodeNotReady event once it is written.
   */
  private markPodsNotReady(nodeName: string): void {
    for (const cached of [...this.podsByNode.pods(nodeName)]) {
      const { namespace, name } = cached.metadata;
      this.client.request(
        () => {
          const pod = this.cp.api.get<Pod>("Pod", namespace, name);
          if (!pod || pod.spec.nodeName !== nodeName) return undefined;
          const ready = getCondition(pod.status.conditions, "Ready");
          if (!ready || ready.status === "False") return undefined;
          const conditions = setCondition(pod.status.conditions, { ...ready, status: "False", lastTransitionTime: this.cp.clock.time() });
          return this.cp.api.updateStatus(withFields(pod, { status: withFields(pod.status, { conditions }) }));
        },
        (r) => {
          if (r?.ok) this.cp.events.record(r.object, "Warning", "NodeNotReady", "Node is not ready", "node-controller");
        },
      );
    }
  }

  /** handleDisruption: zone states, master disruption mode, per-zone taint rates. */
  private handleDisruption(zones: Map<string, ZoneCount>): void {
    const s = this.cp.settings;
    const next = new Map<string, ZoneState>();
    for (const [zone, z] of zones) {
      if (z.ready + z.notReady === 0) continue; // a zone whose nodes are all gone
      next.set(zone, computeZoneState(z.ready, z.notReady, s.unhealthyZoneThreshold));
    }
    let allAreFully = next.size > 0;
    for (const st of next.values()) if (st !== "FullDisruption") allAreFully = false;
    let allWasFully = this.zoneStates.size > 0;
    for (const st of this.zoneStates.values()) if (st !== "FullDisruption") allWasFully = false;
    const now = this.ctx.now;
    const size = (zone: string) => {
      const z = zones.get(zone);
      return z ? z.ready + z.notReady : 0;
    };
    if (allAreFully && !allWasFully) {
      // Entering master disruption mode: the control plane is more likely cut off than every node dead.
      for (const n of [...this.cp.informers.nodes.list()]) this.setNoExecuteTaint(n, undefined);
      for (const t of this.tainters.values()) {
        t.queue.clear();
        t.limiter = new TokenBucket(0, 1, now);
      }
    } else if (!allAreFully && allWasFully) {
      // Leaving master disruption mode: every node gets a fresh grace period (upstream updates the probe
      // timestamps of all nodes), so nodes are not tainted for the silence of the disruption itself.
      for (const h of this.health.values()) h.probeTimestamp = h.readyTransitionTimestamp = now;
      for (const [zone, st] of next) this.swapLimiter(zone, zoneTaintRate(st, size(zone), s));
    } else if (!allAreFully) {
      for (const [zone, st] of next) {
        if (this.zoneStates.get(zone) !== st) this.swapLimiter(zone, zoneTaintRate(st, size(zone), s));
      }
    }
    this.zoneStates.clear();
    for (const [z, st] of next) this.zoneStates.set(z, st);
  }

  /** RateLimitedTimedQueue.SwapLimiter: a new bucket at `qps`, drained if the old one was empty (burst 1). */
  private swapLimiter(zone: string, qps: number): void {
    const t = this.tainters.get(zone);
    if (!t || t.limiter.qps === qps) return;
    const now = this.ctx.now;
    const fresh = new TokenBucket(qps, 1, now);
    if (qps > 0 && !t.limiter.tryAccept(now)) fresh.tryAccept(now);
    t.limiter = fresh;
  }

  /** doNoScheduleTaintingPass: NoSchedule taints that mirror the node's conditions and spec.unschedulable. */
  private reconcileNoScheduleTaints(name: string): void {
    const node = this.cp.api.get<Node>("Node", undefined, name);
    if (!node) return;
    const want: string[] = [];
    for (const [type, status, key] of CONDITION_NOSCHEDULE_TAINTS) {
      if (getCondition(node.status.conditions, type)?.status === status) want.push(key);
    }
    if (node.spec.unschedulable) want.push(TAINT_UNSCHEDULABLE);
    const managed = new Set([...CONDITION_NOSCHEDULE_TAINTS.map((c) => c[2]), TAINT_UNSCHEDULABLE]);
    const cur = node.spec.taints ?? [];
    const have = cur.filter((t) => t.effect === "NoSchedule" && managed.has(t.key)).map((t) => t.key);
    if (have.length === want.length && have.every((k) => want.includes(k))) return;
    const t = this.cp.clock.time();
    const taints = [
      ...cur.filter((x) => !(x.effect === "NoSchedule" && managed.has(x.key))),
      ...want.map((key): Taint => cur.find((x) => x.key === key && x.effect === "NoSchedule") ?? { key, effect: "NoSchedule", timeAdded: t }),
    ];
    this.writeTaints(node, taints);
  }
}
