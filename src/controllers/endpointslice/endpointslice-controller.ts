/**
 * The EndpointSlice controller (pkg/controller/endpointslice/endpointslice_controller.go, v1.32): the slices of
 * every Service with a selector, managed by endpointslice-controller.k8s.io, computed by the reconciler
 * (src/controllers/endpointslice/reconciler.ts) and written through the controller's rate-limited client.
 */
import type { ApiClient } from "../../api/client.js";
import type { ControlPlane } from "../../api/control-plane.js";
import type { Informer } from "../../api/informer.js";
import type { Node, Pod } from "../../api/types.js";
import type { EndpointSlice, Service } from "../../api/service/types.js";
import { DelayedEnqueue } from "../endpoint/delayed-enqueue.js";
import { LAST_CHANGE_TRIGGER_TIME } from "../endpoint/pod-endpoints.js";
import { servicePodIndex, type ServicePodIndex } from "../endpoint/service-pods.js";
import { TriggerTimeTracker } from "../endpoint/trigger-time.js";
import { keyId, WorkQueue, type ObjectKey, type ReconcileResult } from "../runtime.js";
import { ENDPOINTSLICE_MANAGER, MANAGED_BY_LABEL, reconcileSlices, SERVICE_NAME_LABEL, type NodeLookup, type PodEndpointMemo } from "./reconciler.js";
import { sliceInformerHandlers, SliceTracker } from "./slice-tracker.js";
import { ZONE_LABEL } from "./slice-endpoint.js";

/** Upstream controller name (names.go EndpointSliceController). */
export const ENDPOINTSLICE_CONTROLLER = "endpointslice-controller";
/** The event source component (NewController's recorder). */
export const ENDPOINTSLICE_COMPONENT = "endpoint-slice-controller";
/** endpointSliceChangeMinSyncDelay: a slice change syncs its Service at least this long after (ms). */
export const SLICE_CHANGE_MIN_SYNC_DELAY = 1_000;
/** defaultSyncBackOff / maxSyncBackOff of the service queue's failure backoff (ms). */
export const SLICE_SYNC_BACKOFF = 1_000;
/** See SLICE_SYNC_BACKOFF. */
export const SLICE_MAX_SYNC_BACKOFF = 1_000_000;

/** ServiceControllerKey: the Service a slice belongs to, from its kubernetes.io/service-name label. */
export function sliceServiceKey(s: EndpointSlice): string | undefined {
  const n = s.metadata.labels?.[SERVICE_NAME_LABEL];
  return n ? `${s.metadata.namespace}/${n}` : undefined;
}

/**
 * See the module comment. syncService: nothing for a deleted Service (the garbage collector removes its slices
 * through their ownerReferences), an ExternalName one, or one without a selector; otherwise the reconciler's
 * creates, updates and deletes, each created or updated slice carrying the last-change-trigger-time annotation.
 * A failed sync records FailedToUpdateEndpointSlices and is retried after 1s doubling to 1000s, as upstream's queue.
 * Pod changes enqueue after endpointSliceUpdatesBatchPeriod; changes to slices by others after at least 1s.
 *
 * NOTE: the topology cache of the service.kubernetes.io/topology-mode annotation (proportional zone hints) is not
 * modelled: such Services get no hints; trafficDistribution PreferClose gets its zone hints as upstream.
 */
export class EndpointSliceController {
  private readonly queue: WorkQueue;
  private readonly delayed: DelayedEnqueue;
  private readonly client: ApiClient;
  private readonly services: Informer<Service>;
  private readonly nodes: Informer<Node>;
  private readonly index: ServicePodIndex;
  private readonly triggers = new TriggerTimeTracker();
  private readonly tracker = new SliceTracker(sliceServiceKey);
  /** Our slices by Service key ("ns/name"), by slice name, in the order the informer first saw them. */
  private readonly slicesByService = new Map<string, Map<string, EndpointSlice>>();
  private readonly nodeLookup: NodeLookup;
  private readonly memo = new WeakMap<Pod, PodEndpointMemo>();
  /** Keys with writes still in the rate-limited client, and keys asked to sync meanwhile (see EndpointsController). */
  private readonly inFlight = new Set<string>();
  private readonly dirty = new Set<string>();
  /** Slice writes sent (the "slice updates per pod change" counts these against pod events). */
  readonly stats = { creates: 0, updates: 0, deletes: 0, syncs: 0 };

  constructor(private readonly cp: ControlPlane) {
    this.queue = new WorkQueue(cp.sim, ENDPOINTSLICE_CONTROLLER, (k) => this.syncService(k));
    this.delayed = new DelayedEnqueue(cp.sim, `${ENDPOINTSLICE_CONTROLLER}/delayed`, this.queue, SLICE_SYNC_BACKOFF, SLICE_MAX_SYNC_BACKOFF);
    this.client = cp.client(ENDPOINTSLICE_CONTROLLER, "controllerManager");
    this.services = cp.informers.forKind<Service>("Service");
    this.nodes = cp.informers.nodes;
    this.nodeLookup = (name) => {
      const n = this.nodes.get(undefined, name);
      return n ? { zone: n.metadata.labels?.[ZONE_LABEL] || undefined } : undefined;
    };
    this.index = servicePodIndex(cp);
    this.services.addHandlers({
      onAdd: (s) => this.queue.add(s.metadata),
      onUpdate: (_o, s) => this.queue.add(s.metadata),
      onDelete: (s) => this.queue.add(s.metadata),
    });
    const slices = cp.informers.forKind<EndpointSlice>("EndpointSlice");
    slices.addHandlers(
      sliceInformerHandlers({ tracker: this.tracker, managed, file: (s) => this.file(s), unfile: (s) => this.unfile(s), queueForSlice: (s) => this.queueForSlice(s) }),
    );
    const period = cp.settings.endpointSliceUpdatesBatchPeriod;
    this.index.subscribe((k) => this.delayed.addAfter(k, period));
  }

  /** The slices this controller manages for a Service, as its informer sees them. */
  slicesOf(namespace: string | undefined, name: string): Iterable<EndpointSlice> {
    return this.slicesByService.get(`${namespace}/${name}`)?.values() ?? [];
  }

  private file(s: EndpointSlice): void {
    const k = sliceServiceKey(s);
    if (k === undefined || !managed(s)) return;
    let m = this.slicesByService.get(k);
    if (!m) this.slicesByService.set(k, (m = new Map()));
    m.set(s.metadata.name, s);
  }

  private unfile(s: EndpointSlice): void {
    const k = sliceServiceKey(s);
    const m = k === undefined ? undefined : this.slicesByService.get(k);
    if (!m) return;
    m.delete(s.metadata.name);
    if (m.size === 0) this.slicesByService.delete(k!);
  }

  /** queueServiceForEndpointSlice: after max(endpointSliceChangeMinSyncDelay, batch period). */
  private queueForSlice(s: EndpointSlice): void {
    const k = sliceServiceKey(s);
    if (k === undefined) return;
    const name = s.metadata.labels![SERVICE_NAME_LABEL];
    this.delayed.addAfter({ namespace: s.metadata.namespace, name }, Math.max(SLICE_CHANGE_MIN_SYNC_DELAY, this.cp.settings.endpointSliceUpdatesBatchPeriod));
  }

  /** syncService for one key. */
  private syncService(key: ObjectKey): ReconcileResult | void {
    const id = keyId(key);
    const svc = this.services.get(key.namespace, key.name);
    if (!svc) {
      this.triggers.delete(id);
      this.tracker.deleteService(id);
      this.delayed.forget(key);
      return;
    }
    if (svc.spec.type === "ExternalName" || svc.spec.selector === undefined) return;
    if (this.inFlight.has(id)) {
      this.dirty.add(id);
      return;
    }
    this.stats.syncs++;
    const existing: EndpointSlice[] = [];
    for (const s of this.slicesOf(key.namespace, key.name)) if (s.metadata.deletionTimestamp === undefined) existing.push(s);
    if (this.tracker.stale(id, existing)) {
      // NewStaleInformerCache: retried with the queue's backoff, no event.
      this.delayed.addRateLimited(key);
      return;
    }
    const pods = this.index.podsOf(key.namespace, key.name);
    const trigger = this.triggers.compute(id, svc, pods);
    const changes = reconcileSlices(svc, pods, existing, { maxEndpointsPerSlice: this.cp.settings.maxEndpointsPerSlice, nodes: this.nodeLookup, cache: this.memo });

    const errors = [...changes.errors];
    let pending = 0;
    let finished = false;
    let failed = false;
    const done = () => {
      if (pending > 0 || !finished) return;
      this.inFlight.delete(id);
      // A sync asked for while the writes were in flight runs now (unless the failure backoff below requeues).
      if (this.dirty.delete(id) && errors.length === 0) this.queue.add(key);
      if (errors.length > 0) {
        const msg = errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`;
        this.cp.events.record(svc, "Warning", "FailedToUpdateEndpointSlices", `Error updating Endpoint Slices for Service ${svc.metadata.namespace}/${svc.metadata.name}: ${msg}`, ENDPOINTSLICE_COMPONENT);
        this.delayed.addRateLimited(key);
      } else this.delayed.forget(key);
    };
    const fail = (msg: string) => {
      // finalize stops at its first failed write; later writes already sent still land.
      if (failed) return;
      failed = true;
      errors.push(msg);
    };
    const ns = svc.metadata.namespace;
    const sname = svc.metadata.name;
    this.inFlight.add(id);
    if (svc.metadata.deletionTimestamp === undefined) {
      for (const s of changes.toCreate) {
        pending++;
        this.stats.creates++;
        const body = withTrigger(s, trigger);
        this.client.request(
          () => this.cp.api.create<EndpointSlice>(body),
          (r) => {
            pending--;
            if (r.ok) this.tracker.update(r.object);
            else if (!(r.code === 403 && r.message.includes("because it is being terminated"))) fail(`failed to create EndpointSlice for Service ${ns}/${sname}: ${r.message}`);
            done();
          },
        );
      }
    }
    for (const s of changes.toUpdate) {
      pending++;
      this.stats.updates++;
      const body = withTrigger(s, trigger);
      this.client.request(
        () => this.cp.api.update<EndpointSlice>(body),
        (r) => {
          pending--;
          if (r.ok) this.tracker.update(r.object);
          else fail(`failed to update ${s.metadata.name} EndpointSlice for Service ${ns}/${sname}: ${r.message}`);
          done();
        },
      );
    }
    for (const s of changes.toDelete) {
      pending++;
      this.stats.deletes++;
      this.client.request(
        () => this.cp.api.delete("EndpointSlice", s.metadata.namespace, s.metadata.name),
        (r) => {
          pending--;
          if (r.ok) this.tracker.expectDeletion(s);
          else if (r.reason !== "NotFound") fail(`failed to delete ${s.metadata.name} EndpointSlice for Service ${ns}/${sname}: ${r.message}`);
          done();
        },
      );
    }
    finished = true;
    done();
  }
}

function managed(s: EndpointSlice): boolean {
  return s.metadata.labels?.[MANAGED_BY_LABEL] === ENDPOINTSLICE_MANAGER;
}

/** addTriggerTimeAnnotation: set to the trigger time, or removed when there is none. */
function withTrigger(s: EndpointSlice, trigger: string | undefined): EndpointSlice {
  const annotations: Record<string, string> = { ...(s.metadata.annotations ?? {}) };
  if (trigger !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = trigger;
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  const metadata = { ...s.metadata };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { ...s, metadata };
}
