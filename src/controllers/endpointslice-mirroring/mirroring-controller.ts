/**
 * The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring/endpointslicemirroring_controller.go,
 * v1.32): mirrors the Endpoints of Services without a selector (written by users or other controllers) into
 * EndpointSlices managed by endpointslicemirroring-controller.k8s.io, so slice consumers see them too.
 */
import type { ApiClient } from "../../api/client.js";
import type { ControlPlane } from "../../api/control-plane.js";
import type { Informer } from "../../api/informer.js";
import type { Endpoints, EndpointSlice, Service } from "../../api/service/types.js";
import { DelayedEnqueue } from "../endpoint/delayed-enqueue.js";
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from "../endpointslice/reconciler.js";
import { sliceServiceKey } from "../endpointslice/endpointslice-controller.js";
import { sliceInformerHandlers, SliceTracker } from "../endpointslice/slice-tracker.js";
import { keyId, WorkQueue, type ObjectKey, type ReconcileResult } from "../runtime.js";
import { MIRRORING_MANAGER, reconcileMirror, SKIP_MIRROR_LABEL } from "./reconciler.js";

/** Upstream controller name (names.go EndpointSliceMirroringController). */
export const MIRRORING_CONTROLLER = "endpointslice-mirroring-controller";
/** The event source component (NewController's recorder). */
export const MIRRORING_COMPONENT = "endpoint-slice-mirroring-controller";
/** defaultSyncBackOff / maxSyncBackOff of the mirroring queue (ms). */
export const MIRRORING_SYNC_BACKOFF = 1_000;
/** See MIRRORING_SYNC_BACKOFF. */
export const MIRRORING_MAX_SYNC_BACKOFF = 100_000;
/**
 * --mirroring-endpointslice-updates-batch-period: delay of syncs caused by slice changes (ms). Upstream default 0
 * (pkg/controller/endpointslicemirroring/config/v1alpha1/defaults.go). NOTE: a constant until the setting exists.
 */
export const MIRRORING_UPDATES_BATCH_PERIOD = 0;
const LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";

/** shouldMirror: not labelled skip-mirror=true and not a leader-election record. */
export function shouldMirror(ep: Endpoints | undefined): boolean {
  if (!ep) return false;
  if (ep.metadata.labels?.[SKIP_MIRROR_LABEL] === "true") return false;
  return ep.metadata.annotations?.[LEADER_ANNOTATION] === undefined;
}

/**
 * See the module comment. syncEndpoints: the mirrored slices are deleted when the Endpoints is gone or must not be
 * mirrored, when its Service is missing, or when that Service has a selector (the EndpointSlice controller serves
 * it); otherwise the reconciler's writes are made and its events recorded on the Endpoints. Failures retry after
 * 1s doubling to 100s.
 */
export class EndpointSliceMirroringController {
  private readonly queue: WorkQueue;
  private readonly delayed: DelayedEnqueue;
  private readonly client: ApiClient;
  private readonly services: Informer<Service>;
  private readonly endpoints: Informer<Endpoints>;
  private readonly tracker = new SliceTracker(sliceServiceKey);
  private readonly slicesByKey = new Map<string, Map<string, EndpointSlice>>();
  /** Keys whose writes are still in the client, and those asked to sync meanwhile (see syncEndpoints). */
  private readonly inFlight = new Set<string>();
  private readonly dirty = new Set<string>();
  /** Slice writes sent. */
  readonly stats = { creates: 0, updates: 0, deletes: 0 };

  constructor(private readonly cp: ControlPlane) {
    this.queue = new WorkQueue(cp.sim, MIRRORING_CONTROLLER, (k) => this.syncEndpoints(k));
    this.delayed = new DelayedEnqueue(cp.sim, `${MIRRORING_CONTROLLER}/delayed`, this.queue, MIRRORING_SYNC_BACKOFF, MIRRORING_MAX_SYNC_BACKOFF);
    this.client = cp.client(MIRRORING_CONTROLLER, "controllerManager");
    this.endpoints = cp.informers.forKind<Endpoints>("Endpoints");
    this.services = cp.informers.forKind<Service>("Service");
    this.endpoints.addHandlers({
      onAdd: (e) => {
        if (shouldMirror(e)) this.queue.add(e.metadata);
      },
      onUpdate: (o, e) => {
        if (shouldMirror(e) || shouldMirror(o)) this.queue.add(e.metadata);
      },
      onDelete: (e) => {
        if (shouldMirror(e)) this.queue.add(e.metadata);
      },
    });
    this.services.addHandlers({
      onAdd: (s) => {
        if (s.spec.selector === undefined) this.queue.add(s.metadata);
      },
      onUpdate: (o, s) => {
        if ((s.spec.selector === undefined) !== (o.spec.selector === undefined)) this.queue.add(s.metadata);
      },
      onDelete: (s) => {
        if (s.spec.selector === undefined) this.queue.add(s.metadata);
      },
    });
    cp.informers.forKind<EndpointSlice>("EndpointSlice").addHandlers(
      sliceInformerHandlers({ tracker: this.tracker, managed, file: (s) => this.file(s), unfile: (s) => this.unfile(s), queueForSlice: (s) => this.queueForSlice(s) }),
    );
  }

  /** The slices mirrored for the Endpoints of this name, as the informer sees them. */
  slicesOf(namespace: string | undefined, name: string): EndpointSlice[] {
    return [...(this.slicesByKey.get(`${namespace}/${name}`)?.values() ?? [])];
  }

  private file(s: EndpointSlice): void {
    const k = sliceServiceKey(s);
    if (k === undefined || !managed(s)) return;
    let m = this.slicesByKey.get(k);
    if (!m) this.slicesByKey.set(k, (m = new Map()));
    m.set(s.metadata.name, s);
  }

  private unfile(s: EndpointSlice): void {
    const k = sliceServiceKey(s);
    const m = k === undefined ? undefined : this.slicesByKey.get(k);
    if (!m) return;
    m.delete(s.metadata.name);
    if (m.size === 0) this.slicesByKey.delete(k!);
  }

  private queueForSlice(s: EndpointSlice): void {
    const name = s.metadata.labels?.[SERVICE_NAME_LABEL];
    if (name) this.delayed.addAfter({ namespace: s.metadata.namespace, name }, MIRRORING_UPDATES_BATCH_PERIOD);
  }

  /** syncEndpoints for one key. */
  private syncEndpoints(key: ObjectKey): ReconcileResult | void {
    const id = keyId(key);
    // Writes of an earlier sync still in the client: this one waits for them (upstream's sync blocks on its
    // requests), else it would reconcile from the same cache and create the same slices again.
    if (this.inFlight.has(id)) {
      this.dirty.add(id);
      return;
    }
    const ep = this.endpoints.get(key.namespace, key.name);
    const svc = this.services.get(key.namespace, key.name);
    if (!ep || !shouldMirror(ep) || !svc || svc.spec.selector !== undefined) {
      this.tracker.deleteService(id);
      this.deleteAll(key, this.slicesOf(key.namespace, key.name));
      return;
    }
    const slices = this.slicesOf(key.namespace, key.name);
    if (this.tracker.stale(id, slices)) {
      this.delayed.addRateLimited(key);
      return;
    }
    const c = reconcileMirror(ep, slices, this.cp.settings.mirroringMaxEndpointsPerSubset);
    for (const e of c.events) this.cp.events.record(ep, "Warning", e.reason, e.message, MIRRORING_COMPONENT);
    let pending = 0;
    let finished = false;
    let error: string | undefined;
    const done = () => {
      if (pending > 0 || !finished) return;
      this.inFlight.delete(id);
      if (this.dirty.delete(id)) this.queue.add(key);
      if (error !== undefined) this.delayed.addRateLimited(key);
      else this.delayed.forget(key);
    };
    const ns = key.namespace;
    const writes: [EndpointSlice, "create" | "update" | "delete"][] = [];
    if (ep.metadata.deletionTimestamp === undefined) for (const s of c.toCreate) writes.push([s, "create"]);
    for (const s of c.toUpdate) writes.push([s, "update"]);
    for (const s of c.toDelete) writes.push([s, "delete"]);
    for (const [s, op] of writes) {
      pending++;
      this.stats[op === "create" ? "creates" : op === "update" ? "updates" : "deletes"]++;
      this.client.request(
        () => (op === "create" ? this.cp.api.create<EndpointSlice>(s) : op === "update" ? this.cp.api.update<EndpointSlice>(s) : this.cp.api.delete("EndpointSlice", ns, s.metadata.name)),
        (r) => {
          pending--;
          if (r.ok) {
            if (op === "delete") this.tracker.expectDeletion(s);
            else this.tracker.update(r.object as EndpointSlice);
          } else if (!(op === "delete" && r.reason === "NotFound") && !(op === "create" && r.code === 403 && r.message.includes("because it is being terminated"))) {
            error ??= `failed to ${op} ${op === "create" ? "" : `${s.metadata.name} `}EndpointSlice for Endpoints ${ns}/${key.name}: ${r.message}`;
          }
          done();
        },
      );
    }
    finished = true;
    if (pending > 0) this.inFlight.add(id);
    done();
  }

  /** deleteMirroredSlices. */
  private deleteAll(key: ObjectKey, slices: readonly EndpointSlice[]): void {
    for (const s of slices) {
      this.stats.deletes++;
      this.client.request(
        () => this.cp.api.delete("EndpointSlice", s.metadata.namespace, s.metadata.name),
        (r) => {
          if (!r.ok && r.reason !== "NotFound") this.delayed.addRateLimited(key);
        },
      );
    }
  }
}

function managed(s: EndpointSlice): boolean {
  return s.metadata.labels?.[MANAGED_BY_LABEL] === MIRRORING_MANAGER;
}
