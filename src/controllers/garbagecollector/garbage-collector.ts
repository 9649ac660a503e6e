/**
 * The garbage collector (pkg/controller/garbagecollector/garbagecollector.go, operations.go): deletes objects whose
 * owners are all gone, finishes foreground deletions, and orphans the dependents of an owner deleted with the
 * orphan finalizer. Works from its own graph (graph-builder.ts) and two work queues, talking to the API server only
 * through its own rate-limited client (upstream's "generic-garbage-collector" clientset, kube-api-qps 20 / burst
 * 30), so its timing is the informer latency, the queues and the client.
 */
import type { ApiClient } from "../../api/client.js";
import type { ControlPlane } from "../../api/control-plane.js";
import { withFields } from "../../api/copy.js";
import { FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN_DEPENDENTS, type PropagationPolicy } from "../../api/deletion-policy.js";
import { servedKind } from "../../api/registry/registry.js";
import type { KindSpec } from "../../api/registry/kind-spec.js";
import type { KubeObject, ObjectMeta, OwnerReference } from "../../api/types.js";
import { CONTROLLER_BASE_RETRY_MS, CONTROLLER_MAX_RETRY_MS } from "../runtime.js";
import { WorkerQueue, type ItemOutcome } from "../worker-queue.js";
import { classifyRef, decideAttemptToDelete, type ClassifiedRefs } from "./decisions.js";
import { GC_COMPONENT, GraphBuilder } from "./graph-builder.js";
import { blockingDependents, identityOfRef, type GraphNode, type ObjectIdentity } from "./graph.js";

/** Workers per queue: --concurrent-gc-syncs, default 20 (pkg/controller/garbagecollector/config/v1alpha1/defaults.go). */
export const GC_WORKERS = 20;
/** The client name upstream gives the collector's clientset (ClientOrDie("generic-garbage-collector")). */
export const GC_CLIENT = "generic-garbage-collector";

/** How one attempt ended: done, failed (retry with backoff), or ended by a virtual delete or an invalid reference. */
type Attempt = "ok" | "error" | "virtualDelete" | "invalidOwnerScope";

/**
 * The controller. Queues: attemptToDelete (a node that may have to go: its owners vanished, an owner is deleting
 * dependents, or it is itself deleting dependents) and attemptToOrphan (an owner deleted with the orphan finalizer),
 * each with GC_WORKERS workers and client-go's default per-item backoff (5ms doubling to 1000s).
 *
 * NOTE: removeFinalizer's RetryOnConflict (up to 4 quick retries inside one attempt) becomes a retry of the whole
 * attempt with the queue's backoff; a conflict needs a write between the collector's GET and its PATCH.
 * NOTE: discovery and the REST mapper are the kind registry: a reference to an apiVersion / kind k8sim does not
 * serve is a restMappingError, retried with backoff and never collected, as upstream does for an unknown type.
 */
export class GarbageCollector {
  readonly graph: GraphBuilder;
  private readonly client: ApiClient;
  private readonly attemptToDelete: WorkerQueue<GraphNode>;
  private readonly attemptToOrphan: WorkerQueue<GraphNode>;
  /** Objects this collector deleted, and ownerReference / finalizer patches it made. */
  readonly stats = { deletes: 0, patches: 0 };

  constructor(private readonly cp: ControlPlane) {
    this.client = cp.client(GC_CLIENT, "controllerManager");
    const retry = { workers: GC_WORKERS, baseRetryMs: CONTROLLER_BASE_RETRY_MS, maxRetryMs: CONTROLLER_MAX_RETRY_MS };
    this.attemptToDelete = new WorkerQueue(cp.sim, `${GC_COMPONENT}/attempt-to-delete`, retry, (n, done) => this.attemptToDeleteWorker(n, done));
    this.attemptToOrphan = new WorkerQueue(cp.sim, `${GC_COMPONENT}/attempt-to-orphan`, retry, (n, done) => this.attemptToOrphanWorker(n, done));
    this.graph = new GraphBuilder(cp, this.attemptToDelete, this.attemptToOrphan);
  }

  /** attemptToDeleteWorker: a virtual node already replaced or removed is dropped; one not yet observed comes back. */
  private attemptToDeleteWorker(n: GraphNode, done: (o: ItemOutcome) => void): void {
    if (n.virtual) {
      const g = this.graph.node(n.identity.uid);
      if (g === undefined || !g.virtual) return done("forget");
    }
    this.attemptToDeleteItem(n, (r) => {
      if (r === "virtualDelete" || r === "invalidOwnerScope") return done("forget");
      if (r === "error") return done("requeue");
      done(n.virtual ? "requeue" : "forget");
    });
  }

  /** attemptToDeleteItem. */
  private attemptToDeleteItem(item: GraphNode, k: (r: Attempt) => void): void {
    // Being deleted is a one-way trip: wait for the removal, then the dependents are looked at.
    if (item.beingDeleted && !item.deletingDependents) return k("ok");
    this.getObject(item.identity, (latest) => {
      if (latest === "error") return k("error");
      if (latest === undefined || latest.metadata.uid !== item.identity.uid) {
        this.graph.enqueueVirtualDeleteEvent(item.identity);
        return k("virtualDelete");
      }
      if (item.deletingDependents) return this.processDeletingDependentsItem(item, k);
      const refs = latest.metadata.ownerReferences ?? [];
      if (refs.length === 0) return k("ok");
      this.classifyReferences(item, refs, (cls) => {
        if (cls === "error" || cls === "invalidOwnerScope") return k(cls);
        let depDeleting = false;
        if (item.dependents !== undefined) for (const d of item.dependents) if (d.deletingDependents) depDeleting = true;
        const d = decideAttemptToDelete(latest.metadata.finalizers, cls, (item.dependents?.size ?? 0) > 0, depDeleting);
        switch (d.kind) {
          case "keep":
            return k("ok");
          case "removeRefs":
            return this.patchRefs(item.identity, (refs) => refs.filter((r) => !d.uids.includes(r.uid)), k);
          case "delete": {
            const del = () => this.deleteObject(item.identity, d.policy, k);
            if (!d.unblockFirst) return del();
            const unblock = (refs: readonly OwnerReference[]) => refs.map((r) => (r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r));
            return this.patchRefs(item.identity, unblock, (r) => (r === "ok" ? del() : k(r)));
          }
        }
      });
    });
  }

  /** processDeletingDependentsItem: the owner loses foregroundDeletion once no blocking dependent is left. */
  private processDeletingDependentsItem(item: GraphNode, k: (r: Attempt) => void): void {
    const blocking = blockingDependents(item);
    if (blocking.length === 0) return this.removeFinalizer(item.identity, FINALIZER_DELETE_DEPENDENTS, k);
    for (const dep of blocking) if (!dep.deletingDependents) this.attemptToDelete.add(dep);
    k("ok");
  }

  /** attemptToOrphanWorker: remove the owner's references from every dependent, then the orphan finalizer. */
  private attemptToOrphanWorker(owner: GraphNode, done: (o: ItemOutcome) => void): void {
    const deps = [...(owner.dependents ?? [])];
    const uid = owner.identity.uid;
    let pending = deps.length;
    let failed = false;
    const finish = () => {
      if (failed) return done("requeue");
      this.removeFinalizer(owner.identity, FINALIZER_ORPHAN_DEPENDENTS, (r) => done(r === "ok" ? "forget" : "requeue"));
    };
    if (pending === 0) return finish();
    // orphanDependents patches the dependents concurrently; one that is gone already is fine.
    for (const dep of deps) {
      this.patchRefs(dep.identity, (refs) => refs.filter((r) => r.uid !== uid), (r) => {
        if (r === "error") failed = true;
        if (--pending === 0) finish();
      }, true);
    }
  }

  /**
   * classifyReferences with isDangling per reference, in order: the absent-owner cache (cluster-scoped, then in the
   * dependent's namespace), else a GET of the owner through the client; an owner not found or with another uid is
   * recorded absent. A cluster-scoped object naming a namespaced owner is invalid (OwnerRefInvalidNamespace).
   */
  private classifyReferences(item: GraphNode, refs: readonly OwnerReference[], k: (r: ClassifiedRefs | "error" | "invalidOwnerScope") => void): void {
    const out: ClassifiedRefs = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
    const next = (i: number): void => {
      if (i === refs.length) return k(out);
      const ref = refs[i];
      const clusterKey = identityOfRef(ref, "");
      const nsKey = identityOfRef(ref, item.identity.namespace);
      const cache = this.graph.absentOwnerCache;
      if (cache.has(clusterKey) || cache.has(nsKey)) {
        out.dangling.push(ref);
        return next(i + 1);
      }
      const spec = servedKind(ref.apiVersion, ref.kind);
      if (spec === undefined) return k("error");
      if (item.identity.namespace === "" && spec.namespaced) {
        this.graph.reportInvalidNamespaceOwnerRef(item, ref.uid);
        return k("invalidOwnerScope");
      }
      const ns = spec.namespaced ? item.identity.namespace : undefined;
      this.client.request(
        () => this.cp.api.get<KubeObject>(spec.kind, ns, ref.name),
        (owner) => {
          if (owner === undefined || owner.metadata.uid !== ref.uid) cache.add(spec.namespaced ? nsKey : clusterKey);
          const c = classifyRef(ref, owner?.metadata);
          (c === "dangling" ? out.dangling : c === "solid" ? out.solid : out.waitingForDependentsDeletion).push(ref);
          next(i + 1);
        },
      );
    };
    next(0);
  }

  /** getObject: a GET of the node's object through the client; "error" for a kind k8sim does not serve. */
  private getObject(id: ObjectIdentity, k: (o: KubeObject | undefined | "error") => void): void {
    const spec = servedKind(id.apiVersion, id.kind);
    if (spec === undefined) return k("error");
    this.client.request(() => this.cp.api.get<KubeObject>(spec.kind, spec.namespaced ? id.namespace : undefined, id.name), k);
  }

  /**
   * A patch of the object's ownerReferences (GenerateDeleteOwnerRefStrategicMergeBytes, or the unblock patch): the
   * stored object of that uid gets `edit(refs)`; none left drops the field. Not found: an error, unless
   * `ignoreMissing` (orphanDependents ignores NotFound).
   */
  private patchRefs(id: ObjectIdentity, edit: (refs: readonly OwnerReference[]) => OwnerReference[], k: (r: Attempt) => void, ignoreMissing = false): void {
    const spec = servedKind(id.apiVersion, id.kind);
    if (spec === undefined) return k("error");
    this.client.request(
      () => {
        const cur = this.get(spec, id);
        if (cur === undefined) return ignoreMissing ? "ok" : "error";
        const refs = cur.metadata.ownerReferences ?? [];
        const next = edit(refs);
        // A patch that changes nothing is not written (GuaranteedUpdate skips a no-op).
        if (next.length === refs.length && next.every((r, i) => r === refs[i])) return "ok" as Attempt;
        return this.writeMeta(cur, { ownerReferences: next });
      },
      k,
    );
  }

  /** removeFinalizer: GET, then a merge patch of finalizers carrying the resourceVersion read (409 on a change). */
  private removeFinalizer(id: ObjectIdentity, finalizer: string, k: (r: Attempt) => void): void {
    const spec = servedKind(id.apiVersion, id.kind);
    if (spec === undefined) return k("error");
    this.client.request(
      () => this.get(spec, id),
      (got) => {
        if (got === undefined || !(got.metadata.finalizers ?? []).includes(finalizer)) return k("ok");
        const rv = got.metadata.resourceVersion;
        this.client.request(
          () => {
            const cur = this.get(spec, id);
            if (cur === undefined) return "ok" as Attempt;
            if (cur.metadata.resourceVersion !== rv) return "error" as Attempt;
            return this.writeMeta(cur, { finalizers: (cur.metadata.finalizers ?? []).filter((f) => f !== finalizer) });
          },
          k,
        );
      },
    );
  }

  /** deleteObject: a DELETE with the uid as precondition and the propagation policy. */
  private deleteObject(id: ObjectIdentity, policy: PropagationPolicy, k: (r: Attempt) => void): void {
    const spec = servedKind(id.apiVersion, id.kind);
    if (spec === undefined) return k("error");
    this.client.request(
      () => {
        const cur = this.get(spec, id);
        if (cur === undefined) return "error" as Attempt;
        const r = this.cp.api.delete(spec.kind, cur.metadata.namespace, cur.metadata.name, { propagationPolicy: policy });
        if (!r.ok) return "error" as Attempt;
        this.stats.deletes++;
        return "ok" as Attempt;
      },
      k,
    );
  }

  /** The stored object of the identity's uid (a precondition on uid), or undefined. */
  private get(spec: KindSpec, id: ObjectIdentity): KubeObject | undefined {
    const cur = this.cp.api.get<KubeObject>(spec.kind, spec.namespaced ? id.namespace : undefined, id.name);
    return cur !== undefined && cur.metadata.uid === id.uid ? cur : undefined;
  }

  /** Writes metadata fields (an empty list drops the field, as omitempty does). */
  private writeMeta(cur: KubeObject, fields: Pick<ObjectMeta, "ownerReferences" | "finalizers">): Attempt {
    const meta = withFields(cur.metadata, fields);
    for (const key of ["ownerReferences", "finalizers"] as const) if (key in fields && (meta[key]?.length ?? 0) === 0) delete meta[key];
    const r = this.cp.api.update(withFields(cur, { metadata: meta }), { force: true });
    if (!r.ok) return "error";
    this.stats.patches++;
    return "ok";
  }
}
