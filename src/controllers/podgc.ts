import type { ControlPlane } from "../api/control-plane.js";
import { withFields } from "../api/copy.js";
import { getCondition, setCondition } from "../api/pod-util.js";
import type { Condition, Node, Pod } from "../api/types.js";
import { objectKey } from "../api/types.js";
import type { Context, EventId } from "../engine/simulation.js";
import type { PodsByNode } from "../api/pods-by-node.js";

/** The out-of-service taint key (v1.TaintNodeOutOfService, k8s.io/api/core/v1/well_known_taints.go). */
export const TAINT_NODE_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

/**
 * The condition PodGC adds to an orphaned pod before deleting it (gcOrphaned in
 * pkg/controller/podgc/gc_controller.go): DisruptionTarget=True, reason DeletionByPodGC.
 */
export const ORPHAN_CONDITION = { type: "DisruptionTarget", status: "True", reason: "DeletionByPodGC", message: "PodGC: node no longer exists" } as const;

/** The engine component name of the pod garbage collector (upstream's client name "pod-garbage-collector"). */
export const PODGC_COMPONENT = "pod-garbage-collector";

/**
 * The pod garbage collector (kubernetes/kubernetes pkg/controller/podgc/gc_controller.go, PodGCController).
 * Upstream it runs `gc` every gcCheckPeriod (Settings.podGCPeriod, 20s) from the start, and each pass does, in order:
 *
 * - gcTerminated (when --terminated-pod-gc-threshold, Settings.terminatedPodGCThreshold, is above 0): when more
 *   pods than the threshold are Succeeded or Failed, deletes the excess with grace period 0, evicted pods first, then
 *   the oldest (byEvictionAndCreationTimestamp). Modelled; in k8sim a pod is terminal only when its manifest carries
 *   status.phase or PodGC itself marked it.
 * - gcTerminating: force-deletes terminating pods (deletionTimestamp set) on nodes that are not Ready and carry the
 *   `node.kubernetes.io/out-of-service` taint, oldest first (byEvictionAndCreationTimestamp): phase Failed, then
 *   delete with grace period 0. Modelled.
 * - gcOrphaned: every pod bound to a node name the node informer lacks puts that name on a delaying queue for
 *   quarantineTime (Settings.podGCOrphanQuarantine, 40s; AddAfter keeps the earlier ready time of a name already
 *   waiting). The names that came due by this pass, still absent from the informer and from a live GET, are deleted
 *   nodes: every pod bound to one of them gets phase Failed and the condition ORPHAN_CONDITION (one status patch),
 *   then is deleted with grace period 0. Modelled, queue semantics included: a name consumed by a pass while its pods
 *   were still listed is queued again by that same pass.
 *
 * Cost: instead of listing every pod each period, the controller tracks candidates from the pod and node informers
 * (a pod bound to a name the node cache lacks, the pods of a deleted node, a terminating pod on an out-of-service
 * node, the terminal pods once there are more than the threshold), so a pass costs the number of candidates, and
 * it schedules a pass only while it has candidates or a quarantined name to come due. Its engine component is
 * registered at the first candidate, so a run without one holds no trace of it (no event, no digest change).
 *
 * NOTE: passes that would change nothing are skipped (no candidate, or only quarantined names not yet due); the
 * passes that run fall on the same multiples of podGCPeriod as upstream's loop started at time 0 (upstream's loop is
 * sliding, period after the previous pass ended, which is the same here because a pass takes no virtual time).
 * NOTE: gcUnscheduledTerminating (force-delete terminating pods that have no spec.nodeName) is left out: k8sim's API
 * server removes an unbound pod at once on delete (as upstream's graceful-delete strategy gives it grace 0), so such a
 * pod cannot exist.
 * NOTE: upstream deletes the pods of one pass concurrently (goroutines); k8sim deletes them one after another, in
 * byEvictionAndCreationTimestamp order for gcTerminated and gcTerminating and in bind order per node name for
 * gcOrphaned. The newer DeleteAllTerminatedPods option (PodGCControllerConfiguration) is not modelled.
 */
export class PodGCController {
  private ctx: Context<null> | undefined;
  /** Node names that may have orphaned pods: a pod was bound to it while the node cache lacked it, or it was deleted. */
  private readonly orphanNames = new Set<string>();
  /** The delaying queue "orphaned_pods_nodes": node name -> virtual ms it comes due. */
  private readonly quarantine = new Map<string, number>();
  /** Terminating pods (by key) seen on a not-ready out-of-service node. */
  private readonly terminating = new Set<string>();
  /** Succeeded or Failed pods (by key), as the pod informer has them. */
  private readonly terminated = new Set<string>();
  private lastPassAt = -Infinity;
  private passAt: number | undefined;
  private passTimer: EventId | undefined;
  /** Engine events this controller has handled (each is one gc pass). */
  passes = 0;
  /** Pods this controller deleted. */
  deleted = 0;

  constructor(private readonly cp: ControlPlane, private readonly podsByNode: PodsByNode) {
    const nodes = cp.informers.nodes;
    cp.informers.pods.addHandlers({
      onAdd: (p) => {
        this.podSeen(p);
        this.phaseSeen(p);
      },
      onUpdate: (o, p) => {
        if (o.spec.nodeName !== p.spec.nodeName || o.metadata.deletionTimestamp !== p.metadata.deletionTimestamp) this.podSeen(p);
        if (o.status.phase !== p.status.phase) this.phaseSeen(p);
      },
      onDelete: (p) => this.terminated.delete(objectKey(p.metadata.namespace, p.metadata.name)),
    });
    nodes.addHandlers({
      onAdd: (n) => this.nodeChanged(undefined, n),
      onUpdate: (o, n) => this.nodeChanged(o, n),
      onDelete: (n) => {
        const name = n.metadata.name;
        if (!this.podsByNode.pods(name).next().done) this.addOrphanName(name);
      },
    });
  }

  private podSeen(pod: Pod): void {
    const name = pod.spec.nodeName;
    if (!name) return;
    const node = this.cp.informers.nodes.get(undefined, name);
    if (node === undefined) this.addOrphanName(name);
    else if (pod.metadata.deletionTimestamp !== undefined && outOfService(node)) {
      this.terminating.add(objectKey(pod.metadata.namespace, pod.metadata.name));
      this.ensurePass();
    }
  }

  private phaseSeen(pod: Pod): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    if (!isTerminated(pod)) {
      this.terminated.delete(key);
      return;
    }
    this.terminated.add(key);
    if (this.overThreshold()) this.ensurePass();
  }

  private overThreshold(): boolean {
    const threshold = this.cp.settings.terminatedPodGCThreshold;
    return threshold > 0 && this.terminated.size > threshold;
  }

  private nodeChanged(old: Node | undefined, node: Node): void {
    if (!outOfService(node) || (old !== undefined && outOfService(old))) return;
    let found = false;
    for (const p of this.podsByNode.pods(node.metadata.name)) {
      if (p.metadata.deletionTimestamp === undefined) continue;
      this.terminating.add(objectKey(p.metadata.namespace, p.metadata.name));
      found = true;
    }
    if (found) this.ensurePass();
  }

  private addOrphanName(name: string): void {
    this.orphanNames.add(name);
    this.ensurePass();
  }

  /** Schedules the next pass on the podGCPeriod grid, at or after now and a period after the last pass, unless one
   *  is due by then. */
  private ensurePass(): void {
    const period = this.cp.settings.podGCPeriod;
    this.schedulePass(Math.max(Math.ceil(this.cp.sim.now / period) * period, this.lastPassAt + period));
  }

  private schedulePass(at: number): void {
    if (this.passAt !== undefined && this.passAt <= at) return;
    if (this.ctx === undefined) this.ctx = this.cp.sim.register<null>(PODGC_COMPONENT, () => this.gc());
    if (this.passTimer !== undefined) this.ctx.cancel(this.passTimer);
    this.passAt = at;
    this.passTimer = this.ctx.scheduleAt(at, null);
  }

  /** One pass of upstream's gc(): gcTerminated, gcTerminating, then gcOrphaned. */
  private gc(): void {
    this.passes++;
    this.passAt = this.passTimer = undefined;
    const now = this.cp.sim.now;
    this.lastPassAt = now;
    if (this.overThreshold()) this.gcTerminated();
    this.gcTerminating();
    this.gcOrphaned(now);
    const period = this.cp.settings.podGCPeriod;
    if (this.orphanNames.size > 0 || this.terminating.size > 0) this.schedulePass(now + period);
    else if (this.quarantine.size > 0) {
      // Only quarantined names are left: nothing can happen before the first of them comes due.
      let due = Infinity;
      for (const t of this.quarantine.values()) due = Math.min(due, t);
      this.schedulePass(Math.ceil(due / period) * period);
    }
  }

  /** gcTerminated: deletes the terminal pods above the threshold, evicted and oldest first. Later terminal pods
   *  (phaseSeen) ask for the next pass; the pods deleted here leave the informer before it. */
  private gcTerminated(): void {
    const pods: Pod[] = [];
    for (const key of this.terminated) {
      const i = key.indexOf("/");
      const pod = this.cp.informers.pods.get(key.slice(0, i), key.slice(i + 1));
      if (pod !== undefined) pods.push(pod);
    }
    const deleteCount = pods.length - this.cp.settings.terminatedPodGCThreshold;
    if (deleteCount <= 0) return;
    pods.sort(byEvictionAndCreationTimestamp);
    for (const pod of pods.slice(0, deleteCount)) this.markFailedAndDelete(pod, undefined);
  }

  private gcTerminating(): void {
    if (this.terminating.size === 0) return;
    const pods: Pod[] = [];
    for (const key of this.terminating) {
      const i = key.indexOf("/");
      const pod = this.cp.informers.pods.get(key.slice(0, i), key.slice(i + 1));
      if (pod === undefined || pod.metadata.deletionTimestamp === undefined || !pod.spec.nodeName) continue;
      const node = this.cp.informers.nodes.get(undefined, pod.spec.nodeName);
      if (node !== undefined && outOfService(node)) pods.push(pod);
    }
    this.terminating.clear();
    pods.sort(byEvictionAndCreationTimestamp);
    for (const pod of pods) this.markFailedAndDelete(pod, undefined);
  }

  private gcOrphaned(now: number): void {
    const nodes = this.cp.informers.nodes;
    // The delaying queue's waiting loop has moved every name due by now to the ready queue before the pass.
    const ready = new Set<string>();
    for (const [name, due] of this.quarantine) if (due <= now) ready.add(name);
    for (const name of ready) this.quarantine.delete(name);
    // "Add newly found unknown nodes to quarantine": AddAfter keeps the earlier due time of a waiting name, and
    // with a quarantine of 0 adds the name to the ready queue at once, so this very pass checks it.
    const quarantineTime = this.cp.settings.podGCOrphanQuarantine;
    for (const name of [...this.orphanNames]) {
      if (nodes.get(undefined, name) !== undefined || this.podsByNode.pods(name).next().done) {
        this.orphanNames.delete(name);
        continue;
      }
      if (quarantineTime <= 0) ready.add(name);
      else if (!this.quarantine.has(name)) this.quarantine.set(name, now + quarantineTime);
    }
    // discoverDeletedNodes: still absent from the informer and from a live GET (checkIfNodeExists).
    for (const name of ready) {
      if (nodes.get(undefined, name) !== undefined || this.cp.api.get<Node>("Node", undefined, name) !== undefined) continue;
      const t = this.cp.clock.time();
      for (const pod of [...this.podsByNode.pods(name)]) {
        this.markFailedAndDelete(pod, { ...ORPHAN_CONDITION, lastProbeTime: null, lastTransitionTime: t });
      }
    }
  }

  /**
   * markFailedAndDeletePodWithCondition: a pod not yet Succeeded or Failed gets phase Failed (and `condition`, as
   * apipod.UpdatePodCondition: kept transition time if its status is unchanged) in one status patch carrying the
   * pod's uid as precondition; then it is deleted with grace period 0. A failed patch skips the delete, as upstream.
   */
  private markFailedAndDelete(pod: Pod, condition: Condition | undefined): void {
    const { api } = this.cp;
    const { namespace, name } = pod.metadata;
    if (pod.status.phase !== "Succeeded" && pod.status.phase !== "Failed") {
      const cur = api.get<Pod>("Pod", namespace, name);
      if (cur === undefined || cur.metadata.uid !== pod.metadata.uid) return;
      let conditions = cur.status.conditions;
      if (condition !== undefined) {
        const prev = getCondition(conditions, condition.type);
        const next = prev !== undefined && prev.status === condition.status ? { ...condition, lastTransitionTime: prev.lastTransitionTime } : condition;
        conditions = setCondition(conditions, next);
      }
      const r = api.updateStatus(withFields(cur, { status: withFields(cur.status, { phase: "Failed", conditions }) }), { force: true });
      if (!r.ok) return;
    }
    const cur = api.get<Pod>("Pod", namespace, name);
    if (cur === undefined || cur.metadata.uid !== pod.metadata.uid) return;
    if (api.delete("Pod", namespace, name, { gracePeriodSeconds: 0 }).ok) this.deleted++;
  }
}

/** isPodTerminated (gc_controller.go): phase neither Pending, Running nor Unknown. */
function isTerminated(pod: Pod): boolean {
  const p = pod.status.phase;
  return p !== "Pending" && p !== "Running" && p !== "Unknown";
}

/** Not Ready (nodeutil.IsNodeReady false) and tainted node.kubernetes.io/out-of-service (gcTerminating's test). */
function outOfService(node: Node): boolean {
  return getCondition(node.status?.conditions, "Ready")?.status !== "True" && (node.spec.taints ?? []).some((t) => t.key === TAINT_NODE_OUT_OF_SERVICE);
}

/** byEvictionAndCreationTimestamp (gc_controller.go): evicted pods first, then oldest, then by name. */
function byEvictionAndCreationTimestamp(a: Pod, b: Pod): number {
  const ea = a.status.phase === "Failed" && a.status.reason === "Evicted";
  const eb = b.status.phase === "Failed" && b.status.reason === "Evicted";
  if (ea !== eb) return ea ? -1 : 1;
  const ta = a.metadata.creationTimestamp ?? "";
  const tb = b.metadata.creationTimestamp ?? "";
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
