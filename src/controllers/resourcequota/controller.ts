/**
 * The resource quota controller (pkg/controller/resourcequota/resource_quota_controller.go and
 * resource_quota_monitor.go): keeps each ResourceQuota's status.hard equal to spec.hard and status.used equal to what
 * the quota counts in its namespace.
 *
 * - A quota is synced when it is added or its spec.hard changes (addQuota; status-only writes are ignored, as
 *   upstream's UpdateFunc ignores them), every settings.resourceQuotaSyncPeriod (enqueueAll, at multiples of the
 *   period from time 0, as wait.Until started with the controller), and on replenishment: when a counted object is
 *   deleted, a pod stops being charged (QuotaV1Pod true -> false: terminal), or a Service's quota type changes,
 *   every quota of that namespace whose status.hard names something that kind counts is queued (de-duplicated).
 * - A sync (syncResourceQuota) recomputes usage for exactly the hard names (usage.ts calculateUsage) and writes
 *   status through the controller's client only when hard or used changed; a failed write (409 on a stale
 *   resourceVersion: admission charged the quota meanwhile) is retried with the queue's backoff.
 *
 * Cost: usage is computed from indexes by kind and namespace that this controller keeps from the informers, so a
 * sync costs the objects of its namespace; a kind is indexed only from the first quota that counts it, and nothing
 * (queue, client, resync timer) exists until the first quota does.
 *
 * NOTE: upstream runs two queues (quotas missing usage first, then the rest) with several workers each; k8sim has
 * one queue with one worker, so a burst of quotas syncs in the order they were queued. Upstream's monitors start an
 * informer for every listable resource at start; k8sim's start with the first quota that counts the kind.
 */
import type { ControlPlane } from "../../api/control-plane.js";
import type { ApiClient } from "../../api/client.js";
import { QUOTA_EVALUATORS, type QuotaClock, type QuotaEvaluator } from "../../api/quota/evaluators.js";
import { chargedForQuota } from "../../api/quota/pod-usage.js";
import type { ResourceQuota } from "../../api/quota/types.js";
import { calculateUsage, listsEqual, quotaStatusFor, toResourceList } from "../../api/quota/usage.js";
import { kindSpec } from "../../api/registry/registry.js";
import type { Service } from "../../api/service/types.js";
import type { KubeObject, Pod } from "../../api/types.js";
import type { Context } from "../../engine/simulation.js";
import { WorkQueue, type ObjectKey, type ReconcileResult } from "../runtime.js";

/** The controller's name (names.go ResourceQuotaController) and its client / event source. */
export const RESOURCE_QUOTA_CONTROLLER = "resourcequota-controller";

/** GetQuotaServiceType: NodePort and LoadBalancer count apart; every other type alike. */
function quotaServiceType(s: Service): string {
  return s.spec?.type === "NodePort" || s.spec?.type === "LoadBalancer" ? s.spec.type : "";
}

/** The quota controller. */
export class ResourceQuotaController {
  private queue: WorkQueue | undefined;
  private client: ApiClient | undefined;
  private timer: Context<null> | undefined;
  private timerArmed = false;
  /** Quotas by namespace, as the quota informer has them. */
  private readonly quotasByNs = new Map<string, Map<string, ResourceQuota>>();
  /** Counted objects by kind, namespace and name, for the kinds some quota needs. */
  private readonly index = new Map<string, Map<string, Map<string, KubeObject>>>();
  private readonly clock: QuotaClock;
  /** Syncs run, and status writes made. */
  readonly stats = { syncs: 0, writes: 0 };

  constructor(private readonly cp: ControlPlane) {
    this.clock = { get ms() { return cp.clock.ms; }, parse: (t) => cp.clock.parse(t) };
    cp.informers.resourceQuotas.addHandlers({
      onAdd: (q) => {
        this.remember(q);
        this.addQuota(q);
      },
      onUpdate: (old, q) => {
        this.remember(q);
        if (!sameHard(old.spec?.hard, q.spec?.hard)) this.addQuota(q);
      },
      onDelete: (q) => {
        this.quotasByNs.get(q.metadata.namespace!)?.delete(q.metadata.name);
        this.queue?.add(q.metadata);
      },
    });
  }

  /** The objects of `kind` in `namespace` this controller has indexed. */
  objectsIn(kind: string, namespace: string): Iterable<KubeObject> {
    return this.index.get(kind)?.get(namespace)?.values() ?? [];
  }

  private remember(q: ResourceQuota): void {
    const ns = q.metadata.namespace!;
    let m = this.quotasByNs.get(ns);
    if (!m) this.quotasByNs.set(ns, (m = new Map()));
    m.set(q.metadata.name, q);
  }

  /** addQuota: start what the quota needs (queue, client, resync, the kinds it counts), then queue it. */
  private addQuota(q: ResourceQuota): void {
    if (!this.queue) {
      this.queue = new WorkQueue(this.cp.sim, RESOURCE_QUOTA_CONTROLLER, (key) => this.sync(key));
      this.client = this.cp.client(RESOURCE_QUOTA_CONTROLLER, "controllerManager");
      this.timer = this.cp.sim.register<null>(`${RESOURCE_QUOTA_CONTROLLER}/resync`, () => this.resync());
    }
    const names = Object.keys(q.spec?.hard ?? {});
    for (const ev of QUOTA_EVALUATORS) if (ev.matchingResources(names).length > 0) this.watch(ev);
    this.armResync();
    this.queue.add(q.metadata);
  }

  /** Schedules the next enqueueAll at the next multiple of the sync period, unless one is scheduled. */
  private armResync(): void {
    const period = this.cp.settings.resourceQuotaSyncPeriod;
    if (this.timerArmed || period <= 0 || !this.timer) return;
    this.timerArmed = true;
    this.timer.scheduleAt((Math.floor(this.timer.now / period) + 1) * period, null);
  }

  /** enqueueAll: every quota; the timer runs on while quotas exist. */
  private resync(): void {
    this.timerArmed = false;
    let any = false;
    for (const m of this.quotasByNs.values()) for (const q of m.values()) ((any = true), this.queue!.add(q.metadata));
    if (any) this.armResync();
  }

  /** Starts indexing a kind (its informer replays what it holds), with its replenishment handlers. */
  private watch(ev: QuotaEvaluator): void {
    const kind = ev.kind;
    if (this.index.has(kind) || !kindSpec(kind)) return;
    const byNs = new Map<string, Map<string, KubeObject>>();
    this.index.set(kind, byNs);
    const put = (o: KubeObject) => {
      const ns = o.metadata.namespace!;
      let m = byNs.get(ns);
      if (!m) byNs.set(ns, (m = new Map()));
      m.set(o.metadata.name, o);
    };
    this.cp.informers.forKind<KubeObject>(kind).addHandlers({
      onAdd: put,
      onUpdate: (old, o) => {
        put(o);
        if (kind === "Pod") {
          const parse = (t: string) => this.cp.clock.parse(t);
          const now = this.cp.clock.ms;
          if (chargedForQuota(old as Pod, now, parse) && !chargedForQuota(o as Pod, now, parse)) this.replenish(ev, o.metadata.namespace!);
        } else if (kind === "Service" && quotaServiceType(old as Service) !== quotaServiceType(o as Service)) {
          this.replenish(ev, o.metadata.namespace!);
        }
      },
      onDelete: (o) => {
        byNs.get(o.metadata.namespace!)?.delete(o.metadata.name);
        this.replenish(ev, o.metadata.namespace!);
      },
    });
  }

  /** replenishQuota: queue the namespace's quotas whose status.hard names something `ev` counts. */
  private replenish(ev: QuotaEvaluator, namespace: string): void {
    const quotas = this.quotasByNs.get(namespace);
    if (!quotas) return;
    for (const q of quotas.values()) if (ev.matchingResources(Object.keys(q.status?.hard ?? {})).length > 0) this.queue!.add(q.metadata);
  }

  /** syncResourceQuota for one key. */
  private sync(key: ObjectKey): ReconcileResult | void {
    const q = this.cp.informers.resourceQuotas.get(key.namespace, key.name);
    if (!q) return;
    this.stats.syncs++;
    const ns = q.metadata.namespace!;
    const usage = calculateUsage(q, (kind) => this.objectsIn(kind, ns), this.clock);
    const status = quotaStatusFor(q, usage);
    if (!status.changed) return;
    this.stats.writes++;
    this.client!.request(
      () => this.cp.api.updateStatus<ResourceQuota>({ ...q, status: { hard: status.hard, used: status.used } }),
      (r) => {
        if (!r.ok) this.queue!.addRateLimited(key);
        else this.queue!.forget(key);
      },
    );
    // The write's outcome decides the key's back-off (runtime.ts `pending`).
    return { pending: true };
  }
}

/** quota.Equals over spec.hard maps: the same names with equal quantities. */
function sameHard(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  return Object.keys(a ?? {}).length === Object.keys(b ?? {}).length && listsEqual(toResourceList(a), toResourceList(b));
}
