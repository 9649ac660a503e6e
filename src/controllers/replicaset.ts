import { withFields } from "../api/copy.js";
import type { ControlPlane } from "../api/control-plane.js";
import { controllerRef, isPodActive, isPodAvailable, isPodReady } from "../api/pod-util.js";
import { matchesSelector } from "../api/selectors.js";
import type { Condition, Pod, ReplicaSet } from "../api/types.js";
import { objectKey } from "../api/types.js";
import { compareForDeletion } from "./pod-ranking.js";
import { keyId, WorkQueue, type ObjectKey, type ReconcileResult } from "./runtime.js";
import { slowStartBatch } from "./slow-start.js";
import type { ApiClient } from "../api/client.js";

/** Creations and deletions a sync made that the informer has not shown yet (upstream ControllerExpectations). */
interface Expectations {
  adds: number;
  dels: Set<string>;
}

/**
 * The pods a controller owns (by controller ownerReference uid), with running counts of the active and the ready
 * active ones, so a sync's status costs O(1) rather than a pass over every pod.
 */
interface OwnedPods {
  pods: Map<string, Pod>;
  active: number;
  ready: number;
  /** Active pods carrying every label of `labels` (fullyLabeledReplicas). */
  fullyLabeled: number;
  /** The template labels `fullyLabeled` was counted against (the RS's own object: recounted when it changes). */
  labels: Record<string, string> | undefined;
}

/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps the number of active pods owned by
 * each ReplicaSet equal to spec.replicas, creating pods from the template (generateName "<rs>-", controller
 * ownerReference) or deleting the best victims by ActivePodsWithRanks, and writes status (replicas,
 * fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration). Expectations stop a sync from acting
 * again before the informer has seen its own writes, as upstream.
 */
export class ReplicaSetController {
  private readonly queue: WorkQueue;
  private readonly podsByOwner = new Map<string, OwnedPods>();
  private readonly expectations = new Map<string, Expectations>();
  /**
   * The error of a key's last batch of creates, kept until a batch succeeds: the ReplicaFailure condition's message.
   * Upstream's sync learns it from its own blocking creates; k8sim's throttled client answers after the sync.
   */
  private readonly lateFailures = new Map<string, string>();
  /** Keys whose creates are still in the client (their sync returned `pending`). */
  private readonly creating = new Set<string>();

  private readonly client: ApiClient;

  constructor(private readonly cp: ControlPlane) {
    this.queue = new WorkQueue(cp.sim, "replicaset-controller", (key) => this.reconcile(key));
    this.client = cp.client("replicaset-controller", "controllerManager");
    cp.informers.replicaSets.addHandlers({
      onAdd: (rs) => this.queue.add(rs.metadata),
      onUpdate: (_o, rs) => this.queue.add(rs.metadata),
      onDelete: (rs) => this.expectations.delete(keyId(rs.metadata)),
    });
    cp.informers.pods.addHandlers({
      onAdd: (p) => {
        this.index(p);
        const key = this.ownerKey(p);
        if (!key) return;
        const e = this.expectations.get(keyId(key));
        if (e && e.adds > 0) e.adds--;
        this.queue.add(key);
      },
      onUpdate: (o, p) => {
        this.index(p);
        const key = this.ownerKey(p);
        if (!key) return;
        if (p.metadata.deletionTimestamp && !o.metadata.deletionTimestamp) this.deletionObserved(key, p);
        this.queue.add(key);
      },
      onDelete: (p) => {
        this.unindex(p);
        const key = this.ownerKey(p);
        if (!key) return;
        this.deletionObserved(key, p);
        this.queue.add(key);
      },
    });
  }

  /** The pods (terminating ones included) whose controller is the ReplicaSet with this uid, as the informer sees them. */
  podsOwnedBy(uid: string): Iterable<Pod> {
    return this.podsByOwner.get(uid)?.pods.values() ?? [];
  }

  private ownerKey(p: Pod): ObjectKey | undefined {
    const ref = controllerRef(p);
    return ref && ref.kind === "ReplicaSet" ? { namespace: p.metadata.namespace, name: ref.name } : undefined;
  }

  private index(p: Pod): void {
    const ref = controllerRef(p);
    if (!ref) return;
    let o = this.podsByOwner.get(ref.uid);
    if (!o) this.podsByOwner.set(ref.uid, (o = { pods: new Map(), active: 0, ready: 0, fullyLabeled: 0, labels: undefined }));
    const key = objectKey(p.metadata.namespace, p.metadata.name);
    const prev = o.pods.get(key);
    if (prev) count(o, prev, -1);
    o.pods.set(key, p);
    count(o, p, 1);
  }

  private unindex(p: Pod): void {
    const ref = controllerRef(p);
    const o = ref && this.podsByOwner.get(ref.uid);
    if (!o) return;
    const key = objectKey(p.metadata.namespace, p.metadata.name);
    const prev = o.pods.get(key);
    if (!prev) return;
    count(o, prev, -1);
    o.pods.delete(key);
    if (o.pods.size === 0) this.podsByOwner.delete(ref!.uid);
  }

  private deletionObserved(rsKey: ObjectKey, p: Pod): void {
    this.expectations.get(keyId(rsKey))?.dels.delete(objectKey(p.metadata.namespace, p.metadata.name));
  }

  /** syncReplicaSet for one key. */
  private reconcile(key: ObjectKey): ReconcileResult | void {
    const rs = this.cp.informers.replicaSets.get(key.namespace, key.name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const owned = this.podsByOwner.get(rs.metadata.uid!);
    const exp = this.expectations.get(keyId(key));
    const satisfied = !exp || (exp.adds <= 0 && exp.dels.size === 0);
    let err: string | undefined;
    if (satisfied) err = this.manageReplicas(key, rs, owned);
    // A create refused after the sync returned (a throttled client answers later) counts as this sync's error for
    // the ReplicaFailure condition, as upstream's blocking create would have.
    const failure = err ?? this.lateFailures.get(keyId(key));
    const result = this.updateStatus(rs, owned, failure);
    if (err !== undefined) return { error: err };
    // Creates still in the client: their outcome decides the key's backoff (forget or addRateLimited).
    if (this.creating.has(keyId(key))) return { ...(result ?? {}), pending: true };
    return result;
  }

  /**
   * manageReplicas: creates the missing pods in slow-start batches, or deletes the surplus all at once, at most
   * burstReplicas per sync, each request through the controller's rate-limited client. Expectations are raised
   * before the requests and lowered for every create that failed or was skipped, as upstream, so the next sync
   * waits for exactly the pods that will appear. A failed batch requeues the key with backoff.
   */
  private manageReplicas(key: ObjectKey, rs: ReplicaSet, owned: OwnedPods | undefined): string | undefined {
    const id = keyId(key);
    const want = rs.spec.replicas ?? 1;
    const diff = (owned?.active ?? 0) - want;
    const burst = this.cp.settings.burstReplicas;
    // Nothing left to create: a refusal of earlier creates no longer describes the ReplicaSet.
    if (diff >= 0) this.lateFailures.delete(id);
    if (diff < 0) {
      const n = Math.min(-diff, burst);
      const exp: Expectations = { adds: n, dels: new Set() };
      this.expectations.set(id, exp);
      let error: string | undefined;
      let inSync = true;
      let syncError: string | undefined;
      let completed = false;
      slowStartBatch(
        n,
        (done) =>
          this.client.request(
            () => this.cp.api.create<Pod>(this.podFromTemplate(rs)),
            (r) => {
              if (r.ok) this.cp.events.record(rs, "Normal", "SuccessfulCreate", `Created pod: ${r.object.metadata.name}`, "replicaset-controller");
              else {
                error ??= r.message;
                this.cp.events.record(rs, "Warning", "FailedCreate", `Error creating: ${r.message}`, "replicaset-controller");
              }
              done(r.ok);
            },
          ),
        (successes) => {
          // Failed and skipped creates will never be observed (CreationObserved for each).
          exp.adds -= n - successes;
          // A failure inside this sync is its result (the queue backs off); one that came later requeues the key.
          completed = true;
          this.creating.delete(id);
          if (error !== undefined) this.lateFailures.set(id, error);
          else {
            this.lateFailures.delete(id);
            if (!inSync) this.queue.forget(key);
          }
          if (error !== undefined && inSync) syncError = error;
          else if (error !== undefined && this.expectations.get(id) === exp) this.queue.addRateLimited(key);
        },
      );
      if (!completed) this.creating.add(id);
      inSync = false;
      return syncError;
    } else if (diff > 0) {
      const active: Pod[] = [];
      for (const p of owned!.pods.values()) if (isPodActive(p)) active.push(p);
      const victims = this.podsToDelete(rs, active, Math.min(diff, burst));
      const exp: Expectations = { adds: 0, dels: new Set(victims.map((p) => objectKey(p.metadata.namespace, p.metadata.name))) };
      this.expectations.set(id, exp);
      for (const p of victims) {
        this.client.request(
          () => this.cp.api.delete("Pod", p.metadata.namespace, p.metadata.name),
          (r) => {
            if (!r.ok) exp.dels.delete(objectKey(p.metadata.namespace, p.metadata.name));
            else this.cp.events.record(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`, "replicaset-controller");
          },
        );
      }
    }
    return undefined;
  }

  /**
   * getPodsToDelete: rank each pod by how many related active pods share its node, then take the first `n` by
   * ActivePodsWithRanks. Related pods are those of every ReplicaSet with the same controller (getIndirectlyRelatedPods),
   * so during a rollout an old pod that shares a node with new pods goes first.
   */
  private podsToDelete(rs: ReplicaSet, active: Pod[], n: number): Pod[] {
    const perNode = new Map<string, number>();
    const count = (p: Pod) => {
      if (p.spec.nodeName && isPodActive(p)) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    };
    const owner = controllerRef(rs);
    if (owner) {
      for (const sibling of this.cp.informers.replicaSets.list()) {
        if (sibling.metadata.namespace !== rs.metadata.namespace || controllerRef(sibling)?.uid !== owner.uid) continue;
        const pods = this.podsByOwner.get(sibling.metadata.uid!);
        if (pods) for (const p of pods.pods.values()) count(p);
      }
    } else {
      for (const p of active) count(p);
    }
    const ranked = active.map((p) => ({ p, rank: p.spec.nodeName ? perNode.get(p.spec.nodeName) ?? 0 : 0 }));
    ranked.sort((a, b) => compareForDeletion(a.p, a.rank, b.p, b.rank, this.cp.clock));
    return ranked.slice(0, n).map((r) => r.p);
  }

  private podFromTemplate(rs: ReplicaSet): Pod {
    const t = rs.spec.template;
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "",
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: { ...(t.metadata?.labels ?? {}) },
        ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
        ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: rs.metadata.name, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      // Shared, not copied: stored objects are never mutated, and 1,000 replicas need not hold 1,000 copies.
      spec: t.spec,
      status: {},
    };
  }

  /**
   * calculateStatus + updateReplicaSetStatus; requeues while pods wait out minReadySeconds. `failure` is
   * manageReplicas' error: the ReplicaFailure condition (reason FailedCreate, or FailedDelete when there are too
   * many pods; the error as message) is set when there is one and none is set, and removed when there is none.
   */
  private updateStatus(rs: ReplicaSet, owned: OwnedPods | undefined, failure?: string): ReconcileResult | void {
    const minReady = rs.spec.minReadySeconds ?? 0;
    const now = this.cp.sim.now;
    const replicas = owned?.active ?? 0;
    const ready = owned?.ready ?? 0;
    let available = ready;
    const templLabels = rs.spec.template.metadata?.labels ?? EMPTY_LABELS;
    if (owned && owned.labels !== templLabels) {
      // First sync, or a new template: count once against these labels; pod events keep the count after that.
      owned.labels = templLabels;
      owned.fullyLabeled = 0;
      for (const p of owned.pods.values()) if (isPodActive(p) && hasLabels(p, templLabels)) owned.fullyLabeled++;
    }
    const fullyLabeled = owned?.fullyLabeled ?? 0;
    if (owned && minReady > 0) {
      // Availability depends on how long each pod has been ready, so it is counted at the time of the sync.
      available = 0;
      for (const p of owned.pods.values()) if (isPodActive(p) && isPodAvailable(p, minReady, now, this.cp.clock)) available++;
    }
    const s = rs.status ?? { replicas: 0 };
    const gen = rs.metadata.generation;
    const conditions = replicaFailureConditions(s.conditions, failure, replicas - (rs.spec.replicas ?? 1), this.cp.clock.time());
    if (
      s.replicas !== replicas ||
      (s.fullyLabeledReplicas ?? 0) !== fullyLabeled ||
      (s.readyReplicas ?? 0) !== ready ||
      (s.availableReplicas ?? 0) !== available ||
      s.observedGeneration !== gen ||
      conditions !== s.conditions
    ) {
      const status: ReplicaSet["status"] = { replicas, fullyLabeledReplicas: fullyLabeled, readyReplicas: ready, availableReplicas: available, observedGeneration: gen };
      if (conditions !== undefined && conditions.length > 0) status.conditions = conditions;
      const r = this.cp.api.updateStatus<ReplicaSet>(withFields(rs, { status }), { force: true });
      if (!r.ok && r.reason !== "NotFound") return { error: r.message };
    }
    if (minReady > 0 && ready > available) return { requeueAfter: minReady * 1000 };
  }
}

/** Adds (sign 1) or removes (sign -1) a pod's contribution to its owner's counts. */
function count(o: OwnedPods, p: Pod, sign: 1 | -1): void {
  if (!isPodActive(p)) return;
  o.active += sign;
  if (isPodReady(p)) o.ready += sign;
  if (o.labels === undefined || hasLabels(p, o.labels)) o.fullyLabeled += sign;
}

const EMPTY_LABELS: Record<string, string> = {};

/**
 * The ReplicaFailure part of calculateStatus (pkg/controller/replicaset/replica_set_utils.go): with an error and no
 * such condition, one is added (status True, reason FailedCreate when pods are missing, FailedDelete when there are
 * too many, the error as message); without an error an existing one is removed. Returns `current` itself when
 * nothing changes. Pure.
 */
export function replicaFailureConditions(current: Condition[] | undefined, failure: string | undefined, diff: number, now: string): Condition[] | undefined {
  const has = current?.some((c) => c.type === "ReplicaFailure") ?? false;
  if (failure !== undefined && !has) {
    const reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "";
    return [...(current ?? []), { type: "ReplicaFailure", status: "True", lastTransitionTime: now, reason, message: failure }];
  }
  if (failure === undefined && has) return current!.filter((c) => c.type !== "ReplicaFailure");
  return current;
}

/** Whether the pod carries every label of `labels` (fullyLabeledReplicas counts these). */
function hasLabels(p: Pod, labels: Record<string, string>): boolean {
  return matchesSelector({ matchLabels: labels }, p.metadata.labels);
}
