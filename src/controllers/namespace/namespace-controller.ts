/**
 * The namespace controller (pkg/controller/namespace/namespace_controller.go with
 * deletion/namespaced_resources_deleter.go): empties a namespace being deleted through the API, records its
 * progress in status conditions, and removes the `kubernetes` finalizer once nothing is left, after which the API
 * server removes the namespace.
 */
import { ApiClient } from "../../api/client.js";
import type { ControlPlane } from "../../api/control-plane.js";
import { withFields } from "../../api/copy.js";
import type { Informer } from "../../api/informer.js";
import { NAMESPACE_FINALIZER } from "../../api/registry/kinds/namespace.js";
import { mustKindSpec, NAMESPACED_KINDS } from "../../api/registry/registry.js";
import type { KubeObject, Namespace, Pod } from "../../api/types.js";
import type { Context } from "../../engine/simulation.js";
import { CONTROLLER_BASE_RETRY_MS } from "../runtime.js";
import { WorkerQueue, type ItemOutcome } from "../worker-queue.js";
import {
  deletionConditions,
  estimatePodTermination,
  remainingRequeueMs,
  resourceRemaining,
  updateNamespaceConditions,
  type ResourceName,
  type ResourceRemaining,
} from "./deletion-status.js";

/** The controller's name (names.go NamespaceController), its client's name too. */
export const NAMESPACE_COMPONENT = "namespace-controller";
/** --concurrent-namespace-syncs, default 10 (pkg/controller/namespace/config/v1alpha1/defaults.go). */
export const NAMESPACE_WORKERS = 10;
/** namespaceDeletionGracePeriod: a deleted namespace is first processed this long (ms) after it is seen. */
export const NAMESPACE_DELETION_GRACE_PERIOD_MS = 5_000;
/** nsControllerRateLimiter's per-item backoff cap: a failing namespace is retried at least every minute (ms). */
export const NAMESPACE_MAX_RETRY_MS = 60_000;
/** startNamespaceController multiplies the controller manager's client QPS by 20 and its burst by 100. */
export const NAMESPACE_CLIENT_QPS_FACTOR = 20;
/** See NAMESPACE_CLIENT_QPS_FACTOR. */
export const NAMESPACE_CLIENT_BURST_FACTOR = 100;

/** How one pass over a namespace ended. */
type SyncResult = { kind: "done" } | { kind: "remaining"; estimate: number } | { kind: "error" };

/**
 * The controller. Namespaces with a deletionTimestamp are queued NAMESPACE_DELETION_GRACE_PERIOD_MS after each
 * informer event (and after each resync, every Settings.namespaceSyncPeriod, while any is terminating); a pass
 * (namespacedResourcesDeleter.Delete) GETs the namespace, makes sure it reads Terminating, and, for every namespaced
 * kind in registry order: for pods LISTs them for the grace estimate (estimateGracefulTerminationForPods), issues a
 * DeleteCollection with propagationPolicy Background (pods go with their own grace period), and LISTs what is left.
 * The conditions are written when they change; content left means a retry after estimate / 2 + 1 seconds (a
 * ResourcesRemainingError); nothing left means the finalize call without `kubernetes`.
 *
 * Requests go through two clients (the typed and the metadata clientset upstream builds from one config) at 20x the
 * controller manager's QPS and 100x its burst, as startNamespaceController sets them.
 *
 * NOTE: upstream walks the discovered resources in map order (random); k8sim in registry order (pods first), so
 * runs are reproducible. Discovery never fails here (the registry is static), so
 * NamespaceDeletionDiscoveryFailure and NamespaceDeletionGroupVersionParsingFailure always read False, and the
 * discovery requests upstream makes each pass cost nothing.
 * NOTE: resyncs run only while a namespace is terminating (a resync of other namespaces enqueues nothing upstream),
 * on multiples of namespaceSyncPeriod from time 0.
 */
export class NamespaceController {
  private readonly informer: Informer<Namespace>;
  private readonly queue: WorkerQueue<string>;
  private readonly client: ApiClient;
  private readonly metadataClient: ApiClient;
  private readonly terminating = new Set<string>();
  private readonly resyncCtx: Context<null>;
  private resyncScheduled = false;
  /** Passes run (namespacedResourcesDeleter.Delete calls). */
  passes = 0;

  constructor(private readonly cp: ControlPlane) {
    const s = cp.settings;
    const config = { qps: s.controllerManagerQPS * NAMESPACE_CLIENT_QPS_FACTOR, burst: s.controllerManagerBurst * NAMESPACE_CLIENT_BURST_FACTOR, latency: s.apiRequestLatency, slowdown: cp.slowdown };
    this.client = new ApiClient(cp.sim, NAMESPACE_COMPONENT, config);
    this.metadataClient = new ApiClient(cp.sim, `${NAMESPACE_COMPONENT}/metadata`, config);
    this.queue = new WorkerQueue<string>(
      cp.sim,
      NAMESPACE_COMPONENT,
      { workers: NAMESPACE_WORKERS, baseRetryMs: CONTROLLER_BASE_RETRY_MS, maxRetryMs: NAMESPACE_MAX_RETRY_MS },
      (name, done) => this.syncNamespaceFromKey(name, done),
    );
    this.resyncCtx = cp.sim.register<null>(`${NAMESPACE_COMPONENT}/resync`, () => this.resync());
    this.informer = cp.informers.forKind<Namespace>("Namespace");
    this.informer.addHandlers({
      onAdd: (ns) => this.enqueueNamespace(ns),
      onUpdate: (_, ns) => this.enqueueNamespace(ns),
      onDelete: (ns) => this.terminating.delete(ns.metadata.name),
    });
  }

  /** enqueueNamespace: only namespaces being deleted, after the deletion grace period. */
  private enqueueNamespace(ns: Namespace): void {
    if (ns.metadata.deletionTimestamp === undefined) return;
    this.terminating.add(ns.metadata.name);
    this.queue.addAfter(ns.metadata.name, NAMESPACE_DELETION_GRACE_PERIOD_MS);
    if (!this.resyncScheduled) {
      const period = this.cp.settings.namespaceSyncPeriod;
      if (period > 0) {
        this.resyncScheduled = true;
        this.resyncCtx.scheduleAt((Math.floor(this.cp.sim.now / period) + 1) * period, null);
      }
    }
  }

  /** The informer's resync: every terminating namespace is enqueued again as by an update event. */
  private resync(): void {
    this.resyncScheduled = false;
    for (const name of [...this.terminating]) {
      const ns = this.informer.get(undefined, name);
      if (ns === undefined || ns.metadata.deletionTimestamp === undefined) this.terminating.delete(name);
      else this.enqueueNamespace(ns);
    }
  }

  /** syncNamespaceFromKey and the worker's handling of its result. */
  private syncNamespaceFromKey(name: string, done: (o: ItemOutcome) => void): void {
    if (this.informer.get(undefined, name) === undefined) return done("forget");
    this.passes++;
    this.deleteNamespace(name, (r) => {
      if (r.kind === "done") return done("forget");
      if (r.kind === "error") return done("requeue");
      this.queue.addAfter(name, remainingRequeueMs(r.estimate));
      done("keep");
    });
  }

  /** namespacedResourcesDeleter.Delete. */
  private deleteNamespace(name: string, k: (r: SyncResult) => void): void {
    const { api } = this.cp;
    this.client.request(
      () => api.get<Namespace>("Namespace", undefined, name),
      (ns) => {
        if (ns === undefined || ns.metadata.deletionTimestamp === undefined) return k({ kind: "done" });
        const afterStatus = (cur: Namespace) => {
          if (!(cur.spec?.finalizers?.length ?? 0)) return k({ kind: "done" });
          this.deleteAllContent(cur, (estimate, errors) => {
            if (errors > 0) return k({ kind: "error" });
            if (estimate > 0) return k({ kind: "remaining", estimate });
            this.finalize(cur, k);
          });
        };
        if (ns.status?.phase === "Terminating") return afterStatus(ns);
        // updateNamespaceStatusFunc: a namespace being deleted reads Terminating.
        this.client.request(
          () => api.updateStatus(withFields(ns, { status: withFields(ns.status ?? { phase: "Terminating" as const }, { phase: "Terminating" as const }) })),
          (r) => (r.ok ? afterStatus(r.object) : k(r.reason === "NotFound" ? { kind: "done" } : { kind: "error" })),
        );
      },
    );
  }

  /**
   * deleteAllContent: every namespaced kind in turn (estimate, DeleteCollection, LIST), then the conditions. Hands
   * `k` the largest estimate (seconds) and the number of resources whose content could not all be deleted.
   */
  private deleteAllContent(ns: Namespace, k: (estimate: number, errors: number) => void): void {
    const { api } = this.cp;
    const name = ns.metadata.name;
    const results: { res: ResourceName; r: ResourceRemaining }[] = [];
    const errors: string[] = [];
    let estimate = 0;
    const step = (i: number): void => {
      if (i === NAMESPACED_KINDS.length) return this.writeConditions(ns, results, errors, () => k(estimate, errors.length));
      const spec = mustKindSpec(NAMESPACED_KINDS[i]);
      const res: ResourceName = { group: spec.group, version: spec.version, plural: spec.plural };
      const afterEstimate = (podEstimate: number) => {
        this.metadataClient.request(
          () => api.deleteCollection(spec.kind, name, { propagationPolicy: "Background" }),
          () =>
            this.metadataClient.request(
              () => api.listIn<KubeObject>(spec.kind, name),
              (left) => {
                const r = resourceRemaining(res, name, left, podEstimate);
                if (r.error !== undefined) errors.push(r.error);
                if (r.estimate > estimate) estimate = r.estimate;
                if (r.numRemaining > 0) results.push({ res, r });
                step(i + 1);
              },
            ),
        );
      };
      if (spec.kind !== "Pod") return afterEstimate(0);
      this.client.request(() => estimatePodTermination(api.listIn<Pod>("Pod", name)), afterEstimate);
    };
    step(0);
  }

  /** The condition update (only when something changed; a failed write is only logged upstream). */
  private writeConditions(ns: Namespace, results: { res: ResourceName; r: ResourceRemaining }[], errors: string[], k: () => void): void {
    const now = this.cp.clock.time();
    const { conditions, changed } = updateNamespaceConditions(ns.status?.conditions, deletionConditions(results, errors, now), now);
    if (!changed) return k();
    const status = withFields(ns.status ?? { phase: "Terminating" as const }, { conditions });
    this.client.request(() => this.cp.api.updateStatus(withFields(ns, { status })), () => k());
  }

  /**
   * finalizeNamespace through retryOnConflictError: spec.finalizers without `kubernetes` (a sorted set), carrying
   * the resourceVersion read at the start of the pass; on a conflict (the condition write above bumped it) a fresh
   * GET and another try, refused if the uid changed.
   */
  private finalize(ns: Namespace, k: (r: SyncResult) => void): void {
    const { api } = this.cp;
    const finalizers = [...new Set((ns.spec?.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER))].sort();
    this.client.request(
      () => api.finalizeNamespace(withFields(ns, { spec: withFields(ns.spec ?? {}, { finalizers }) })),
      (r) => {
        if (r.ok || r.reason === "NotFound") return k({ kind: "done" });
        if (r.reason !== "Conflict") return k({ kind: "error" });
        this.client.request(
          () => api.get<Namespace>("Namespace", undefined, ns.metadata.name),
          (latest) => {
            if (latest === undefined) return k({ kind: "done" });
            if (latest.metadata.uid !== ns.metadata.uid) return k({ kind: "error" });
            this.finalize(latest, k);
          },
        );
      },
    );
  }
}
