import { withFields } from "../api/copy.js";
import type { ApiClient } from "../api/client.js";
import type { ControlPlane } from "../api/control-plane.js";
import { controllerRef, setCondition } from "../api/pod-util.js";
import type { Deployment, Pod, ReplicaSet } from "../api/types.js";
import { objectKey } from "../api/types.js";
import { DEPLOYMENT_DEFAULTS, maxUnavailable, newRSNewReplicas, resolveFenceposts } from "./deployment-util.js";
import { computeHash } from "./pod-template-hash.js";
import { WorkQueue, type ObjectKey, type ReconcileResult } from "./runtime.js";

/** Label and annotation keys of the Deployment controller (k8s.io/api/apps/v1 types.go, deployment_util.go). */
export const POD_TEMPLATE_HASH = "pod-template-hash";
/** See POD_TEMPLATE_HASH. */
export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";

/**
 * The Deployment controller (pkg/controller/deployment): owns one ReplicaSet per template revision, named
 * `<deployment>-<pod-template-hash>`. RollingUpdate scales the new ReplicaSet up within maxSurge and old ones down
 * within maxUnavailable (rolling.go reconcileNewReplicaSet / reconcileOldReplicaSets); Recreate scales old ones to
 * zero before the new one starts. Status sums the ReplicaSets (sync.go calculateStatus), with the Available
 * condition true when availableReplicas >= replicas - maxUnavailable.
 * NOTE: a replica change in the middle of a rollout is applied through the rolling path rather than upstream's
 * proportional scaling of every ReplicaSet.
 */
export class DeploymentController {
  private readonly queue: WorkQueue;

  /** @param pods the ReplicaSet controller's index of pods by owner, which the Recreate strategy consults. */
  /** Its client: the history cleanup's deletes go through it. NOTE: the rollout's own writes (ReplicaSet create,
   *  scale, status) use the API server directly for now: the rollout reads their results in the same sync. */
  private readonly client: ApiClient;
  /**
   * The informer's ReplicaSets by the uid of their controller Deployment, in the order the informer first saw
   * them (its list order), so a sync reads its own ReplicaSets instead of listing every ReplicaSet.
   */
  private readonly byOwner = new Map<string, Map<string, ReplicaSet>>();

  constructor(
    private readonly cp: ControlPlane,
    private readonly pods: { podsOwnedBy(uid: string): Iterable<Pod> },
  ) {
    this.queue = new WorkQueue(cp.sim, "deployment-controller", (key) => this.reconcile(key));
    this.client = cp.client("deployment-controller", "controllerManager");
    cp.informers.deployments.addHandlers({ onAdd: (d) => this.queue.add(d.metadata), onUpdate: (_o, d) => this.queue.add(d.metadata) });
    const owner = (rs: ReplicaSet) => {
      const ref = controllerRef(rs);
      if (ref?.kind === "Deployment") this.queue.add({ namespace: rs.metadata.namespace, name: ref.name });
    };
    cp.informers.replicaSets.addHandlers({
      onAdd: (rs) => {
        this.index(rs, true);
        owner(rs);
      },
      onUpdate: (o, rs) => {
        if (controllerRef(o)?.uid !== controllerRef(rs)?.uid) this.index(o, false);
        this.index(rs, true);
        owner(rs);
      },
      onDelete: (rs) => {
        this.index(rs, false);
        owner(rs);
      },
    });
    // deletePod (deployment_controller.go): a Recreate rollout waits for the last old pod to go away, which no
    // ReplicaSet status change announces.
    cp.informers.pods.addHandlers({
      onDelete: (p) => {
        const ref = controllerRef(p);
        const rs = ref?.kind === "ReplicaSet" ? cp.informers.replicaSets.get(p.metadata.namespace, ref.name) : undefined;
        const dref = rs && controllerRef(rs);
        if (!dref || dref.kind !== "Deployment") return;
        const d = cp.informers.deployments.get(p.metadata.namespace, dref.name);
        if (d?.spec.strategy?.type === "Recreate") this.queue.add({ namespace: p.metadata.namespace, name: dref.name });
      },
    });
  }

  /** Files (or removes) a ReplicaSet under its controller Deployment's uid. */
  private index(rs: ReplicaSet, present: boolean): void {
    const ref = controllerRef(rs);
    if (ref?.kind !== "Deployment") return;
    const k = `${rs.metadata.namespace}/${rs.metadata.name}`;
    let m = this.byOwner.get(ref.uid);
    if (present) {
      if (!m) this.byOwner.set(ref.uid, (m = new Map()));
      m.set(k, rs);
    } else if (m) {
      m.delete(k);
      if (m.size === 0) this.byOwner.delete(ref.uid);
    }
  }

  private reconcile(key: ObjectKey): ReconcileResult | void {
    const d = this.cp.informers.deployments.get(key.namespace, key.name);
    if (!d || d.metadata.deletionTimestamp) return;
    const all: ReplicaSet[] = [];
    for (const rs of this.byOwner.get(d.metadata.uid!)?.values() ?? []) if (rs.metadata.namespace === d.metadata.namespace) all.push(rs);
    all.sort((a, b) => this.created(a) - this.created(b));
    const hash = computeHash(d.spec.template);
    let newRS = all.find((rs) => rs.metadata.labels?.[POD_TEMPLATE_HASH] === hash);
    const old = all.filter((rs) => rs !== newRS);
    const replicas = d.spec.replicas ?? DEPLOYMENT_DEFAULTS.replicas;
    const { maxSurge } = resolveFenceposts(d);
    if (!d.spec.paused) {
      const recreate = d.spec.strategy?.type === "Recreate";
      if (recreate) {
        for (const rs of old) if ((rs.spec.replicas ?? 0) > 0) this.scale(d, rs, 0);
        // oldPodsRunning (recreate.go): any pod of an old ReplicaSet that has not finished, terminating ones
        // included, holds the new ReplicaSet back.
        const oldRunning = old.some((rs) => {
          for (const p of this.pods.podsOwnedBy(rs.metadata.uid!)) if (p.status.phase !== "Succeeded" && p.status.phase !== "Failed") return true;
          return false;
        });
        if (oldRunning) return this.syncStatus(d, all, newRS);
        if (!newRS) newRS = this.createRS(d, hash, replicas, all);
        else if ((newRS.spec.replicas ?? 0) !== replicas) newRS = this.scale(d, newRS, replicas);
      } else {
        const current = all.reduce((s, rs) => s + (rs.spec.replicas ?? 0), 0);
        if (!newRS) {
          newRS = this.createRS(d, hash, old.length === 0 ? replicas : newRSNewReplicas(replicas, maxSurge, current, 0), all);
        } else {
          const cur = newRS.spec.replicas ?? 0;
          const next = cur > replicas ? replicas : newRSNewReplicas(replicas, maxSurge, current, cur);
          if (next !== cur) newRS = this.scale(d, newRS, next);
        }
        if (newRS) this.reconcileOldReplicaSets(d, old, newRS, replicas);
      }
      this.cleanupOldReplicaSets(d, old);
    }
    return this.syncStatus(d, all.map((rs) => (newRS && rs.metadata.uid === newRS.metadata.uid ? newRS : rs)), newRS);
  }

  /** reconcileOldReplicaSets: cleanupUnhealthyReplicas, then scaleDownOldReplicaSetsForRollingUpdate. */
  private reconcileOldReplicaSets(d: Deployment, old: ReplicaSet[], newRS: ReplicaSet, replicas: number): void {
    const oldCount = old.reduce((s, rs) => s + (rs.spec.replicas ?? 0), 0);
    if (oldCount === 0) return;
    const { maxUnavailable } = resolveFenceposts(d);
    const allCount = oldCount + (newRS.spec.replicas ?? 0);
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = (newRS.spec.replicas ?? 0) - (newRS.status?.availableReplicas ?? 0);
    let maxScaledDown = allCount - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    // Old pods that are not available go first: removing them costs no availability.
    const scaled = new Map<string, number>();
    for (const rs of old) {
      if (maxScaledDown <= 0) break;
      const cur = rs.spec.replicas ?? 0;
      const unhealthy = cur - (rs.status?.availableReplicas ?? 0);
      if (cur === 0 || unhealthy <= 0) continue;
      const down = Math.min(maxScaledDown, unhealthy);
      this.scale(d, rs, cur - down);
      scaled.set(rs.metadata.uid!, cur - down);
      maxScaledDown -= down;
    }
    const availableAll = [...old, newRS].reduce((s, rs) => s + (rs.status?.availableReplicas ?? 0), 0);
    if (availableAll <= minAvailable) return;
    let total = availableAll - minAvailable;
    for (const rs of old) {
      if (total <= 0) break;
      const cur = scaled.get(rs.metadata.uid!) ?? rs.spec.replicas ?? 0;
      if (cur === 0) continue;
      const down = Math.min(cur, total);
      this.scale(d, rs, cur - down);
      total -= down;
    }
  }

  /** cleanupDeployment: delete the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
  private cleanupOldReplicaSets(d: Deployment, old: ReplicaSet[]): void {
    const limit = d.spec.revisionHistoryLimit ?? DEPLOYMENT_DEFAULTS.revisionHistoryLimit;
    const idle = old.filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0);
    for (let k = 0; k < idle.length - limit; k++) {
      const { namespace, name } = idle[k]!.metadata;
      this.client.request(() => this.cp.api.delete("ReplicaSet", namespace, name));
    }
  }

  private createRS(d: Deployment, hash: string, replicas: number, all: ReplicaSet[]): ReplicaSet | undefined {
    const revision = 1 + all.reduce((m, rs) => Math.max(m, Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0)), 0);
    const labels = { ...(d.spec.template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const rs: ReplicaSet = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels,
        annotations: { [REVISION_ANNOTATION]: String(revision) },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        replicas,
        ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
        selector: {
          ...d.spec.selector,
          matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash },
        },
        template: { metadata: { ...(d.spec.template.metadata ?? {}), labels }, spec: d.spec.template.spec },
      },
      status: { replicas: 0 },
    };
    const r = this.cp.api.create(rs);
    if (!r.ok) return undefined;
    this.cp.events.record(d, "Normal", "ScalingReplicaSet", `Scaled up replica set ${rs.metadata.name} from 0 to ${replicas}`, "deployment-controller");
    return r.object;
  }

  private scale(d: Deployment, rs: ReplicaSet, to: number): ReplicaSet {
    const from = rs.spec.replicas ?? 0;
    const cur = this.cp.api.get<ReplicaSet>("ReplicaSet", rs.metadata.namespace, rs.metadata.name);
    if (!cur) return rs;
    const r = this.cp.api.update<ReplicaSet>({ ...cur, spec: { ...cur.spec, replicas: to } });
    if (!r.ok) return rs;
    const dir = to > from ? "up" : "down";
    this.cp.events.record(d, "Normal", "ScalingReplicaSet", `Scaled ${dir} replica set ${rs.metadata.name} from ${from} to ${to}`, "deployment-controller");
    return r.object;
  }

  /** calculateStatus and the Available / Progressing conditions; written only when something changed. */
  private syncStatus(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined): ReconcileResult | void {
    const sum = (f: (rs: ReplicaSet) => number) => all.reduce((s, rs) => s + f(rs), 0);
    const replicas = d.spec.replicas ?? DEPLOYMENT_DEFAULTS.replicas;
    const total = sum((rs) => rs.status?.replicas ?? 0);
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const updated = newRS?.status?.replicas ?? 0;
    const specTotal = sum((rs) => rs.spec.replicas ?? 0);
    const t = this.cp.clock.time();
    const isAvailable = available >= replicas - maxUnavailable(d);
    let conditions = setCondition(d.status?.conditions, {
      type: "Available",
      status: isAvailable ? "True" : "False",
      reason: isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
      message: isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
      lastUpdateTime: t,
      lastTransitionTime: t,
    });
    const complete = updated === replicas && total === replicas && available >= replicas;
    conditions = setCondition(conditions, {
      type: "Progressing",
      status: "True",
      reason: complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
      message: complete ? `ReplicaSet "${newRS?.metadata.name}" has successfully progressed.` : `ReplicaSet "${newRS?.metadata.name}" is progressing.`,
      lastUpdateTime: t,
      lastTransitionTime: t,
    });
    const status: Deployment["status"] = {
      observedGeneration: d.metadata.generation,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, specTotal - available),
      conditions,
    };
    const s = d.status ?? {};
    const same =
      s.observedGeneration === status.observedGeneration &&
      s.replicas === status.replicas &&
      s.updatedReplicas === status.updatedReplicas &&
      s.readyReplicas === status.readyReplicas &&
      s.availableReplicas === status.availableReplicas &&
      s.unavailableReplicas === status.unavailableReplicas &&
      sameConditions(s.conditions, conditions);
    if (same) return;
    const r = this.cp.api.updateStatus<Deployment>(withFields(d, { status }), { force: true });
    if (!r.ok && r.reason !== "NotFound") return { error: r.message };
  }

  private created(rs: ReplicaSet): number {
    return this.cp.clock.parse(rs.metadata.creationTimestamp ?? "");
  }
}

function sameConditions(a: Deployment["status"]["conditions"], b: Deployment["status"]["conditions"]): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return a.every((c, i) => c.type === b[i].type && c.status === b[i].status && c.reason === b[i].reason);
}
