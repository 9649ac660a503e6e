/**
 * The cloud provider's service controller (k8s.io/cloud-provider/controllers/service/controller.go, run as
 * "service-lb-controller"; its events' source component is "service-controller"), against the simulated cloud
 * (cloud.ts). For a Service that wants a load balancer (type LoadBalancer, no loadBalancerClass) a sync records
 * EnsuringLoadBalancer, adds the load-balancer-cleanup finalizer and ensures the load balancer; once the cloud is
 * done (settings.loadBalancerProvisionDelay after the first ensure) it records EnsuredLoadBalancer and writes
 * status.loadBalancer.ingress [{ip, ipMode: VIP}]. A Service deleted or no longer of type LoadBalancer gets
 * DeletingLoadBalancer (when it has one), its address back in the pool, the finalizer removed and
 * DeletedLoadBalancer. A failed sync records SyncLoadBalancerFailed and is retried after 5s, doubling to 300s.
 *
 * NOTE: upstream runs this controller in the cloud-controller-manager, not in kube-controller-manager; k8sim runs
 * it with the other controllers (same client limits) since there is one simulated control plane.
 * NOTE: upstream syncs Services with --concurrent-service-syncs workers (default 1), each blocked for as long as
 * the cloud call takes; k8sim provisions every Service's load balancer in parallel, so loadBalancerProvisionDelay
 * is each Service's time from its first sync to its ingress address. Deleting a load balancer takes no time.
 */
import type { ApiClient } from "../../api/client.js";
import type { ControlPlane } from "../../api/control-plane.js";
import type { Service } from "../../api/service/types.js";
import type { Context } from "../../engine/simulation.js";
import { keyId, WorkQueue, type ObjectKey } from "../runtime.js";
import { SimulatedCloud } from "./cloud.js";
import { hasLBFinalizer, LB_CLEANUP_FINALIZER, lbRetryDelay, needsCleanup, needsUpdate, wantsLoadBalancer } from "./decisions.js";

/** The controller's name in --controllers (names.go ServiceLBController) and its events' component. */
export const SERVICE_LB_CONTROLLER = "service-lb-controller";
export const SERVICE_CONTROLLER_COMPONENT = "service-controller";

/** A provisioning that finishes later: the Service (namespace, name, uid) and the address the cloud reserved. */
interface Provisioned {
  key: ObjectKey;
  uid: string;
  ip: string;
  /** The Service as the sync that asked for it saw it. */
  seen: Service;
}

/** The controller; constructed by the controller manager. */
export class ServiceLBController {
  readonly cloud: SimulatedCloud;
  private readonly queue: WorkQueue;
  private readonly client: ApiClient;
  private readonly done: Context<Provisioned>;
  /** Load balancers still being provisioned, by Service uid. */
  private readonly provisioning = new Set<string>();
  /** Failed syncs in a row, by key id (the rate limiter's count; Forget on success). */
  private readonly failures = new Map<string, number>();
  /** The last Service seen per key (the controller's serviceCache), for the deletion of one gone without cleanup. */
  private readonly cache = new Map<string, Service>();

  constructor(private readonly cp: ControlPlane) {
    this.cloud = new SimulatedCloud(cp.settings.loadBalancerIPPool);
    this.queue = new WorkQueue(cp.sim, SERVICE_LB_CONTROLLER, (key) => this.sync(key));
    this.client = cp.client(SERVICE_LB_CONTROLLER, "controllerManager");
    this.done = cp.sim.register<Provisioned>(`${SERVICE_LB_CONTROLLER}/cloud`, (p) => this.provisioned(p));
    cp.informers.services.addHandlers({
      onAdd: (s) => {
        if (wantsLoadBalancer(s) || needsCleanup(s)) this.queue.add(s.metadata);
      },
      onUpdate: (old, s) => {
        const u = needsUpdate(old, s);
        if (u.event) this.event(s, "Normal", u.event.reason, u.event.message);
        if (u.update || needsCleanup(s)) this.queue.add(s.metadata);
      },
      onDelete: (s) => this.queue.add(s.metadata),
    });
  }

  private event(svc: Service, type: "Normal" | "Warning", reason: string, message: string): void {
    this.cp.events.record(svc, type, reason, message, SERVICE_CONTROLLER_COMPONENT);
  }

  /** syncService: create-or-update, or the deletion of a Service that is gone. */
  private sync(key: ObjectKey): void {
    const id = keyId(key);
    const svc = this.cp.informers.services.get(key.namespace, key.name);
    if (!svc) {
      // processServiceDeletion: only a Service whose load balancer was never cleaned up still has one.
      const last = this.cache.get(id);
      this.cache.delete(id);
      this.failures.delete(id);
      if (last && wantsLoadBalancer(last) && this.cloud.get(last.metadata.uid!) !== undefined) {
        this.event(last, "Normal", "DeletingLoadBalancer", "Deleting load balancer");
        this.cloud.delete(last.metadata.uid!);
        this.event(last, "Normal", "DeletedLoadBalancer", "Deleted load balancer");
      }
      return;
    }
    this.cache.set(id, svc);
    const error = this.syncLoadBalancerIfNeeded(key, svc);
    if (error === undefined) {
      this.failures.delete(id);
      return;
    }
    this.event(svc, "Warning", "SyncLoadBalancerFailed", `Error syncing load balancer: ${error}`);
    const n = (this.failures.get(id) ?? 0) + 1;
    this.failures.set(id, n);
    this.queue.addAfter(key, lbRetryDelay(n));
  }

  /** syncLoadBalancerIfNeeded: the error text of a failed sync, undefined on success (or while the cloud works). */
  private syncLoadBalancerIfNeeded(key: ObjectKey, svc: Service): string | undefined {
    const uid = svc.metadata.uid!;
    if (!wantsLoadBalancer(svc) || needsCleanup(svc)) {
      if (this.cloud.get(uid) !== undefined) {
        this.event(svc, "Normal", "DeletingLoadBalancer", "Deleting load balancer");
        this.cloud.delete(uid);
        this.provisioning.delete(uid);
      }
      if (hasLBFinalizer(svc)) this.write(key, uid, (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: cur.metadata.finalizers!.filter((f) => f !== LB_CLEANUP_FINALIZER) } }));
      this.event(svc, "Normal", "DeletedLoadBalancer", "Deleted load balancer");
      if ((svc.status?.loadBalancer?.ingress?.length ?? 0) > 0) this.writeStatus(key, uid, undefined);
      return undefined;
    }
    // A sync while the cloud is still provisioning waits for it (upstream's worker would be blocked in the call).
    if (this.provisioning.has(uid)) return undefined;
    this.event(svc, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer");
    if (!hasLBFinalizer(svc)) this.write(key, uid, (cur) => (hasLBFinalizer(cur) ? cur : { ...cur, metadata: { ...cur.metadata, finalizers: [...(cur.metadata.finalizers ?? []), LB_CLEANUP_FINALIZER] } }));
    const existed = this.cloud.get(uid) !== undefined;
    const r = this.cloud.ensure(uid, svc.spec.loadBalancerIP || undefined);
    if (!r.ok) return `failed to ensure load balancer: ${r.error}`;
    if (existed) {
      this.ensured(key, svc, r.ip);
      return undefined;
    }
    this.provisioning.add(uid);
    this.done.schedule(this.cp.settings.loadBalancerProvisionDelay, { key, uid, ip: r.ip, seen: svc });
    return undefined;
  }

  /** The cloud finished creating a load balancer: the sync that asked for it completes. */
  private provisioned(p: Provisioned): void {
    if (!this.provisioning.delete(p.uid)) return;
    const svc = this.cp.informers.services.get(p.key.namespace, p.key.name);
    if (svc && svc.metadata.uid === p.uid) this.ensured(p.key, svc, p.ip);
    // What changed meanwhile (a type change, a deletion, new ports) is the next sync's business, as the updates the
    // informer delivered during the blocked call would have queued it upstream.
    if (!svc || svc.metadata.uid !== p.uid || needsCleanup(svc) || needsUpdate(p.seen, svc).update) this.queue.add(p.key);
  }

  private ensured(key: ObjectKey, svc: Service, ip: string): void {
    this.event(svc, "Normal", "EnsuredLoadBalancer", "Ensured load balancer");
    const ingress = svc.status?.loadBalancer?.ingress;
    // patchStatus: no write when the status is already the cloud's (LoadBalancerStatusEqual).
    if (ingress?.length === 1 && ingress[0].ip === ip && ingress[0].ipMode === "VIP") return;
    this.writeStatus(key, svc.metadata.uid!, ip);
  }

  /** A metadata write (a finalizer), made on the stored object at the time the request runs, if it is still this Service. */
  private write(key: ObjectKey, uid: string, change: (cur: Service) => Service): void {
    this.client.request(() => {
      const cur = this.cp.api.get<Service>("Service", key.namespace, key.name);
      if (!cur || cur.metadata.uid !== uid) return;
      const next = change(cur);
      if (next !== cur) this.cp.api.update(next, { force: true });
    });
  }

  /** The status patch: ingress [{ip, ipMode: VIP}], or no load balancer status at all. */
  private writeStatus(key: ObjectKey, uid: string, ip: string | undefined): void {
    this.client.request(() => {
      const cur = this.cp.api.get<Service>("Service", key.namespace, key.name);
      if (!cur || cur.metadata.uid !== uid) return;
      const loadBalancer = ip === undefined ? {} : { ingress: [{ ip, ipMode: "VIP" as const }] };
      this.cp.api.updateStatus({ ...cur, status: { ...cur.status, loadBalancer } });
    });
  }
}
