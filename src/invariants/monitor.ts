import type { InformerHandlers } from "../api/informer.js";
import type { Informer } from "../api/informer.js";
import type { WatchType } from "../api/store.js";
import type { KubeObject, Node, Pod, ReplicaSet } from "../api/types.js";
import type { Cluster } from "../cluster.js";
import { holdsNodeResources, nodeCapacityViolations, schedulerFitViolations } from "./node-capacity.js";
import { orphanDeadline, podBindingViolations } from "./pod-binding.js";
import { replicaConvergenceViolations } from "./replica-convergence.js";
import { resourceVersionViolations } from "./resource-version.js";
import type { Violation } from "./types.js";
import { DEFAULT_INSTANT_BUDGET, instantViolations, virtualTimeViolations } from "./virtual-time.js";
import { deliveryViolations, lateDeliveryViolations, type PendingDelivery } from "./watch-delivery.js";

/** Kinds the store holds in k8sim today; writes of each are checked for resource-version. */
const STORED_KINDS = ["Namespace", "Pod", "Node", "Lease", "ReplicaSet", "Deployment", "Event"];

/** Options of an InvariantMonitor. */
export interface MonitorOptions {
  /** Stop collecting after this many violations (default 100): one bug tends to repeat on every event. */
  maxViolations?: number;
  /** Events one virtual instant may hold before the run counts as stuck (default DEFAULT_INSTANT_BUDGET). */
  instantBudget?: number;
}

/**
 * Thrown out of the event loop (through `afterEvent`) when the run is stuck in a zero-time loop: the run can never
 * end, so the only way out is to abandon it. Its violation is in the monitor's list too.
 */
export class StuckRunError extends Error {
  constructor(readonly violation: Violation) {
    super(violation.message);
    this.name = "StuckRunError";
  }
}

/** A FIFO of writes one informer has yet to deliver (head index, so popping is O(1)). */
class DeliveryQueue {
  private items: PendingDelivery[] = [];
  private head = 0;
  constructor(readonly name: string) {}
  push(d: PendingDelivery): void {
    this.items.push(d);
  }
  peek(): PendingDelivery | undefined {
    return this.items[this.head];
  }
  shift(): void {
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

const objKey = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/**
 * Checks every invariant of src/invariants against a running Cluster: attach it before the run starts (from
 * `simulate`'s `observe`), call `afterEvent` after every engine event (`sim.observeEvents`) and `finish` once the
 * run returned. Read-only: it adds store watchers and informer handlers that record and never write, and hooks only
 * informers that already have handlers, so it schedules no engine event and the run's digest is unchanged.
 *
 * Incremental: store writes mark the nodes and pods they touch dirty, and only those are re-checked after the
 * event, so the cost per event is proportional to what the event changed.
 */
export class InvariantMonitor {
  /** Every violation seen so far (at most maxViolations). */
  readonly violations: Violation[] = [];
  private readonly max: number;
  private lastTime = 0;
  private lastVersion: number;
  /** Pods that hold resources on each node, by pod key. */
  private readonly holders = new Map<string, Map<string, Pod>>();
  /** The node each stored pod is bound to (every bound pod, terminal ones too). */
  private readonly boundTo = new Map<string, string>();
  private readonly dirtyNodes = new Set<string>();
  private readonly dirtyPods = new Set<string>();
  /** Pods created with spec.nodeName set (they bypassed the scheduler; the kubelet may reject them). */
  private readonly boundAtCreation = new Set<string>();
  /** Pods bound to a node that does not exist, with the time by which the pod garbage collector removes them. */
  private readonly orphans = new Map<string, { deadline: number; reported: boolean }>();
  private readonly queues: DeliveryQueue[] = [];
  private readonly latency: number;
  private readonly instantBudget: number;
  private atInstant = 0;

  constructor(private readonly cluster: Cluster, opts: MonitorOptions = {}) {
    this.max = opts.maxViolations ?? 100;
    this.instantBudget = opts.instantBudget ?? DEFAULT_INSTANT_BUDGET;
    const { store, informers } = cluster.cp;
    this.latency = cluster.settings.informerLatency;
    this.lastVersion = store.resourceVersion;
    this.lastTime = cluster.sim.now;
    for (const p of store.list<Pod>("Pod")) this.trackPod("ADDED", p);
    for (const kind of STORED_KINDS) store.watch(kind, (type, obj) => this.onWrite(type, obj));
    const hooks: [string, Informer<KubeObject>][] = [
      ["informer/Pod", informers.pods as unknown as Informer<KubeObject>],
      ["informer/Node", informers.nodes as unknown as Informer<KubeObject>],
      ["informer/ReplicaSet", informers.replicaSets as unknown as Informer<KubeObject>],
      ["informer/Deployment", informers.deployments as unknown as Informer<KubeObject>],
    ];
    for (const [name, inf] of hooks) this.hookInformer(name, inf);
  }

  /** Checks the invariants that must hold after every event; `time` is the event's. Throws StuckRunError when
   *  the instant budget is exhausted. */
  afterEvent(time: number): void {
    this.add(virtualTimeViolations(this.lastTime, time, this.cluster.sim.now));
    this.atInstant = time === this.lastTime ? this.atInstant + 1 : 1;
    this.lastTime = time;
    if (this.atInstant > this.instantBudget) {
      const [v] = instantViolations(this.atInstant, this.instantBudget, time);
      this.violations.push(v);
      throw new StuckRunError(v);
    }
    const store = this.cluster.cp.store;
    if (this.dirtyNodes.size > 0) {
      for (const n of this.dirtyNodes) this.add(nodeCapacityViolations(store.get<Node>("Node", undefined, n), this.holders.get(n)?.values() ?? [], time));
      this.dirtyNodes.clear();
    }
    if (this.dirtyPods.size > 0) {
      const pods: Pod[] = [];
      for (const k of this.dirtyPods) {
        const i = k.indexOf("/");
        const p = store.get<Pod>("Pod", k.slice(0, i), k.slice(i + 1));
        if (p) pods.push(p);
      }
      this.dirtyPods.clear();
      // A pod bound to a missing node is an orphan until the pod garbage collector's deadline; only then a breach.
      const nodeExists = (n: string) => store.get("Node", undefined, n) !== undefined;
      for (const p of pods) {
        const key = objKey(p);
        if (podBindingViolations([p], nodeExists, time).length > 0) {
          if (!this.orphans.has(key)) this.orphans.set(key, { deadline: orphanDeadline(time, this.cluster.settings), reported: false });
        } else {
          this.orphans.delete(key);
        }
      }
    }
    if (this.orphans.size > 0) this.checkOrphans(time, (deadline) => deadline < time);
    for (const q of this.queues) if (q.peek() !== undefined) this.add(lateDeliveryViolations(q.name, q.peek(), time));
  }

  /**
   * Checks at the end of a run (every event up to `end` has run): no write due by `end` is undelivered, and, when
   * `quiescent` (nothing disturbed the cluster for settleWindow before the end), replica-convergence.
   */
  finish(end: number, quiescent: boolean): Violation[] {
    for (const q of this.queues) this.add(lateDeliveryViolations(q.name, q.peek(), end + 1));
    // Every event up to `end` has run: an orphan whose deadline is `end` or earlier should be gone.
    if (this.orphans.size > 0) this.checkOrphans(end, (deadline) => deadline <= end);
    if (quiescent) {
      const store = this.cluster.cp.store;
      this.add(replicaConvergenceViolations({ replicaSets: store.list<ReplicaSet>("ReplicaSet"), pods: store.list<Pod>("Pod"), nodes: store.list<Node>("Node") }, end));
    }
    return this.violations;
  }

  /** Reports each orphan (a pod still bound to a missing node) whose deadline `overdue` says has passed, once. */
  private checkOrphans(time: number, overdue: (deadline: number) => boolean): void {
    const store = this.cluster.cp.store;
    for (const [key, o] of this.orphans) {
      if (o.reported || !overdue(o.deadline)) continue;
      const i = key.indexOf("/");
      const pod = store.get<Pod>("Pod", key.slice(0, i), key.slice(i + 1));
      if (!pod) continue;
      o.reported = true;
      for (const v of podBindingViolations([pod], (n) => store.get("Node", undefined, n) !== undefined, time)) {
        this.add([{ ...v, message: `${v.message}, past the pod garbage collector's deadline of ${o.deadline} ms` }]);
      }
    }
  }

  private add(vs: Violation[]): void {
    for (const v of vs) if (this.violations.length < this.max) this.violations.push(v);
  }

  private onWrite(type: WatchType, obj: KubeObject): void {
    const store = this.cluster.cp.store;
    const now = this.cluster.sim.now;
    this.add(
      resourceVersionViolations(
        this.lastVersion,
        { type, key: `${obj.kind}/${objKey(obj)}`, objectVersion: obj.metadata.resourceVersion, storeVersion: store.resourceVersion },
        now,
      ),
    );
    this.lastVersion = store.resourceVersion;
    if (obj.kind === "Pod") this.trackPod(type, obj as Pod);
    else if (obj.kind === "Node") {
      const name = obj.metadata.name;
      this.dirtyNodes.add(name);
      if (type === "DELETED") for (const [k, n] of this.boundTo) if (n === name) this.dirtyPods.add(k);
    }
  }

  private trackPod(type: WatchType, pod: Pod): void {
    const key = objKey(pod);
    const before = this.boundTo.get(key);
    if (before !== undefined) {
      this.holders.get(before)?.delete(key);
      this.dirtyNodes.add(before);
    }
    if (type === "DELETED" || !pod.spec.nodeName) {
      this.boundTo.delete(key);
      this.orphans.delete(key);
      if (type === "DELETED") this.boundAtCreation.delete(key);
      return;
    }
    if (type === "ADDED") this.boundAtCreation.add(key);
    const atCreation = this.boundAtCreation.has(key);
    this.add(schedulerFitViolations(pod, atCreation, this.cluster.sim.now));
    const node = pod.spec.nodeName;
    this.boundTo.set(key, node);
    this.dirtyPods.add(key);
    this.dirtyNodes.add(node);
    if (holdsNodeResources(pod, atCreation)) {
      let m = this.holders.get(node);
      if (!m) this.holders.set(node, (m = new Map()));
      m.set(key, pod);
    }
  }

  private hookInformer(name: string, inf: Informer<KubeObject>): void {
    // Only informers that already have handlers: a first handler would give the informer delivery events and so
    // change the run. (The field is private to the informer; reading it here is a test-only peek.)
    if (!(inf as unknown as { handlers: unknown[] }).handlers.length) return;
    const q = new DeliveryQueue(name);
    this.queues.push(q);
    this.cluster.cp.store.watch(inf.kind, (type, obj) => q.push({ type, key: objKey(obj), version: obj.metadata.resourceVersion, dueAt: this.cluster.sim.now + this.latency }));
    let replaying = true;
    const seen = (callback: "onAdd" | "onUpdate" | "onDelete", obj: KubeObject) => {
      if (replaying) return;
      const got = { callback, key: objKey(obj), version: obj.metadata.resourceVersion };
      const vs = deliveryViolations(name, q.peek(), got, this.cluster.sim.now);
      this.add(vs);
      // Pop only on a match, so one lost event is reported once rather than shifting every later comparison.
      if (vs.length === 0 || (q.peek()?.key === got.key && q.peek()?.version === got.version)) q.shift();
    };
    const handlers: InformerHandlers<KubeObject> = {
      onAdd: (o) => seen("onAdd", o),
      onUpdate: (_old, o) => seen("onUpdate", o),
      onDelete: (o) => seen("onDelete", o),
    };
    inf.addHandlers(handlers);
    replaying = false;
  }
}
