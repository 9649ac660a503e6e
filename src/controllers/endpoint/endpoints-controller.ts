/**
 * The endpoints controller (pkg/controller/endpoint/endpoints_controller.go, v1.32): keeps one Endpoints object per
 * Service with a selector, named after it, listing the selected pods' addresses.
 */
import type { ApiClient } from "../../api/client.js";
import type { ControlPlane } from "../../api/control-plane.js";
import type { Informer } from "../../api/informer.js";
import type { Endpoints, Service } from "../../api/service/types.js";
import { keyId, WorkQueue, type ObjectKey, type ReconcileResult } from "../runtime.js";
import { DelayedEnqueue } from "./delayed-enqueue.js";
import { HEADLESS_LABEL, isServiceIPSet, LAST_CHANGE_TRIGGER_TIME, sameLabels } from "./pod-endpoints.js";
import { semanticEqual } from "./semantic-equal.js";
import { servicePodIndex, type ServicePodIndex } from "./service-pods.js";
import { computeSubsets, MAX_ENDPOINTS_CAPACITY, OVER_CAPACITY_ANNOTATION, truncateSubsets, type PodAddressMemo } from "./subsets.js";
import type { Pod } from "../../api/types.js";
import { TriggerTimeTracker } from "./trigger-time.js";
import type { EndpointSubset } from "../../api/service/types.js";

/** Upstream controller name (names.go EndpointsController). */
export const ENDPOINTS_CONTROLLER = "endpoints-controller";
/** The event source component (NewEndpointController's recorder). */
export const ENDPOINTS_COMPONENT = "endpoint-controller";
/** Annotation marking the leader-election Endpoints the controller leaves alone (resourcelock). */
const LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";

/**
 * See the module comment. syncService: the Endpoints of a deleted Service is deleted; ExternalName Services and
 * Services without a selector are left alone (their Endpoints are the user's); otherwise the subsets are computed
 * from the selected pods (src/controllers/endpoint/subsets.ts), and written only when they, the labels (the
 * Service's, plus service.kubernetes.io/headless for a headless Service) or the over-capacity annotation differ.
 * Pod changes enqueue the Service after endpointUpdatesBatchPeriod; Service and Endpoints events at once.
 */
export class EndpointsController {
  private readonly queue: WorkQueue;
  private readonly delayed: DelayedEnqueue;
  private readonly client: ApiClient;
  private readonly services: Informer<Service>;
  private readonly endpoints: Informer<Endpoints>;
  private readonly index: ServicePodIndex;
  private readonly triggers = new TriggerTimeTracker();
  private readonly memo = new WeakMap<Pod, PodAddressMemo>();
  /** staleEndpointsTracker: key -> the resourceVersion an update of ours replaced (a cache still showing it is stale). */
  private readonly stale = new Map<string, number>();
  /**
   * Keys whose write is still waiting in the rate-limited client, and those asked to sync meanwhile. Upstream's
   * sync blocks on its request and the work queue holds a key being processed back until it is done; k8sim's
   * client answers later, so the controller holds the key the same way (otherwise a second sync would send a
   * second update on the same resourceVersion, bound to conflict).
   */
  private readonly inFlight = new Set<string>();
  private readonly dirty = new Set<string>();
  /** Writes made (creates + updates + deletes). */
  readonly stats = { creates: 0, updates: 0, deletes: 0 };

  constructor(private readonly cp: ControlPlane) {
    this.queue = new WorkQueue(cp.sim, ENDPOINTS_CONTROLLER, (k) => this.syncService(k));
    this.delayed = new DelayedEnqueue(cp.sim, `${ENDPOINTS_CONTROLLER}/delayed`, this.queue, 5, 1_000_000);
    this.client = cp.client(ENDPOINTS_CONTROLLER, "controllerManager");
    this.services = cp.informers.forKind<Service>("Service");
    this.endpoints = cp.informers.forKind<Endpoints>("Endpoints");
    this.index = servicePodIndex(cp);
    this.services.addHandlers({
      onAdd: (s) => this.queue.add(s.metadata),
      onUpdate: (_o, s) => this.queue.add(s.metadata),
      onDelete: (s) => this.queue.add(s.metadata),
    });
    // checkLeftoverEndpoints: once at start, every Endpoints' Service is synced (an orphan is deleted). The
    // handler's replay of cached objects is that pass; afterwards only deletes matter (a deleted Endpoints of a
    // live Service is recreated).
    let starting = true;
    this.endpoints.addHandlers({
      onAdd: (e) => {
        if (starting && !e.metadata.annotations?.[LEADER_ANNOTATION]) this.queue.add(e.metadata);
      },
      onDelete: (e) => this.queue.add(e.metadata),
    });
    starting = false;
    const period = cp.settings.endpointUpdatesBatchPeriod;
    this.index.subscribe((k) => this.delayed.addAfter(k, period));
  }

  /** syncService for one key. */
  private syncService(key: ObjectKey): ReconcileResult | void {
    const id = keyId(key);
    if (this.inFlight.has(id)) {
      this.dirty.add(id);
      return;
    }
    const svc = this.services.get(key.namespace, key.name);
    if (!svc) {
      this.triggers.delete(id);
      this.stale.delete(id);
      // NOTE: upstream sends the delete whether or not its cache holds the Endpoints (a NotFound is fine); k8sim
      // asks only when it does, so Service deletes cost no request for an Endpoints that never was.
      if (this.endpoints.get(key.namespace, key.name)) {
        this.stats.deletes++;
        this.client.request(
          () => this.cp.api.delete("Endpoints", key.namespace, key.name),
          (r) => {
            if (!r.ok && r.reason !== "NotFound") this.delayed.addRateLimited(key);
            else this.delayed.forget(key);
          },
        );
      }
      return;
    }
    if (svc.spec.type === "ExternalName" || svc.spec.selector === undefined) return;

    const pods = this.index.podsOf(key.namespace, key.name);
    const trigger = this.triggers.compute(id, svc, pods);
    const { subsets } = computeSubsets(svc, pods, this.memo);

    const current = this.endpoints.get(key.namespace, key.name);
    if (current) {
      const staleRV = this.stale.get(id);
      if (staleRV !== undefined && Number(current.metadata.resourceVersion) <= staleRV) {
        return { error: `endpoints informer cache is out of date, resource version ${current.metadata.resourceVersion} already processed for endpoints ${id}` };
      }
    }
    const create = current === undefined;
    const svcLabels = svc.metadata.labels;
    if (
      current &&
      semanticEqual(current.subsets, subsets) &&
      sameLabels(withoutKey(current.metadata.labels, HEADLESS_LABEL), svcLabels) &&
      capacityAnnotationSetCorrectly(current.metadata.annotations, current.subsets ?? [])
    ) {
      return;
    }

    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (trigger !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = trigger;
    else delete annotations[LAST_CHANGE_TRIGGER_TIME];
    const truncated = truncateSubsets(subsets);
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = "truncated";
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    const labels: Record<string, string> = { ...(svcLabels ?? {}) };
    if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = "";
    else delete labels[HEADLESS_LABEL];

    const metadata = { ...(current?.metadata ?? { name: svc.metadata.name, namespace: svc.metadata.namespace }) };
    if (Object.keys(labels).length > 0) metadata.labels = labels;
    else delete metadata.labels;
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
    const next: Endpoints = { apiVersion: "v1", kind: "Endpoints", metadata, subsets: truncated ?? subsets };
    if (next.subsets!.length === 0) delete next.subsets;

    let inSync = true;
    let syncError: string | undefined;
    if (create) this.stats.creates++;
    else this.stats.updates++;
    this.inFlight.add(id);
    this.client.request(
      () => (create ? this.cp.api.create<Endpoints>(next) : this.cp.api.update<Endpoints>(next)),
      (r) => {
        this.inFlight.delete(id);
        if (this.dirty.delete(id) && (r.ok || !inSync)) this.queue.add(key);
        if (r.ok) {
          // Forget: the next failure backs off from the start (and the failure count is not kept for ever).
          this.delayed.forget(key);
          if (!create && r.object.metadata.resourceVersion !== current!.metadata.resourceVersion) this.stale.set(id, Number(current!.metadata.resourceVersion));
          return;
        }
        // A namespace being terminated refuses every create: drop the key, as upstream.
        if (create && r.code === 403 && r.message.includes("because it is being terminated")) return;
        if (create) this.cp.events.record(next, "Warning", "FailedToCreateEndpoint", `Failed to create endpoint for service ${svc.metadata.namespace}/${svc.metadata.name}: ${r.message}`, ENDPOINTS_COMPONENT);
        else this.cp.events.record(next, "Warning", "FailedToUpdateEndpoint", `Failed to update endpoint ${svc.metadata.namespace}/${svc.metadata.name}: ${r.message}`, ENDPOINTS_COMPONENT);
        if (inSync) syncError = r.message;
        else this.delayed.addRateLimited(key);
      },
    );
    inSync = false;
    if (syncError !== undefined) return { error: syncError };
  }
}

/** capacityAnnotationSetCorrectly: over 1000 addresses is never "correct" (it must be truncated); else the annotation must be absent. */
function capacityAnnotationSetCorrectly(annotations: Record<string, string> | undefined, subsets: readonly EndpointSubset[]): boolean {
  let n = 0;
  for (const s of subsets) n += (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0);
  if (n > MAX_ENDPOINTS_CAPACITY) return false;
  return annotations?.[OVER_CAPACITY_ANNOTATION] === undefined;
}

function withoutKey(m: Record<string, string> | undefined, k: string): Record<string, string> | undefined {
  if (!m || !(k in m)) return m;
  const c = { ...m };
  delete c[k];
  return c;
}
