/**
 * EndpointSliceTracker (staging/src/k8s.io/endpointslice/util/endpointslice_tracker.go): the version of each slice
 * a controller last wrote, per Service, so that its own writes coming back through the informer do not trigger
 * syncs, and a sync that would read a cache older than its own writes waits (StaleSlices).
 *
 * NOTE: upstream tracks metadata.generation by slice uid; k8sim tracks the resourceVersion (the store's global
 * counter, so also monotonic per slice) by slice name, which a slice keeps for life.
 */
import type { InformerHandlers } from "../../api/informer.js";
import type { EndpointSlice } from "../../api/service/types.js";
import { SERVICE_NAME_LABEL } from "./reconciler.js";

const DELETION_EXPECTED = -1;

/** See the module comment. `serviceKey` is "namespace/name" of the owning Service (or Endpoints). */
export class SliceTracker {
  private readonly byService = new Map<string, Map<string, number>>();

  constructor(private readonly serviceKeyOf: (s: EndpointSlice) => string | undefined) {}

  /** Has: the slice is tracked. */
  has(s: EndpointSlice): boolean {
    const k = this.serviceKeyOf(s);
    return k !== undefined && this.byService.get(k)?.has(s.metadata.name) === true;
  }

  /** ShouldSync: an untracked slice, or one newer than what was written (someone else changed it). */
  shouldSync(s: EndpointSlice): boolean {
    const k = this.serviceKeyOf(s);
    const v = k === undefined ? undefined : this.byService.get(k)?.get(s.metadata.name);
    if (v === undefined) return true;
    return Number(s.metadata.resourceVersion) > v;
  }

  /**
   * StaleSlices: the cache lacks a slice written, shows one older than written, or still shows one whose deletion
   * was sent.
   */
  stale(serviceKey: string, slices: readonly EndpointSlice[]): boolean {
    const m = this.byService.get(serviceKey);
    if (!m || m.size === 0) return false;
    const seen = new Set<string>();
    for (const s of slices) {
      seen.add(s.metadata.name);
      const v = m.get(s.metadata.name);
      if (v === undefined) continue;
      if (v === DELETION_EXPECTED || Number(s.metadata.resourceVersion) < v) return true;
    }
    for (const [name, v] of m) if (v !== DELETION_EXPECTED && !seen.has(name)) return true;
    return false;
  }

  /** Update: a write of ours succeeded with this object. */
  update(s: EndpointSlice): void {
    const k = this.serviceKeyOf(s);
    if (k === undefined) return;
    let m = this.byService.get(k);
    if (!m) this.byService.set(k, (m = new Map()));
    m.set(s.metadata.name, Number(s.metadata.resourceVersion));
  }

  /** ExpectDeletion: a delete of ours was sent. */
  expectDeletion(s: EndpointSlice): void {
    const k = this.serviceKeyOf(s);
    if (k === undefined) return;
    let m = this.byService.get(k);
    if (!m) this.byService.set(k, (m = new Map()));
    m.set(s.metadata.name, DELETION_EXPECTED);
  }

  /** HandleDeletion: forgets the slice; true when its deletion was expected (ours). */
  handleDeletion(s: EndpointSlice): boolean {
    const k = this.serviceKeyOf(s);
    const m = k === undefined ? undefined : this.byService.get(k);
    const v = m?.get(s.metadata.name);
    if (v === undefined) return true;
    m!.delete(s.metadata.name);
    if (m!.size === 0) this.byService.delete(k!);
    return v === DELETION_EXPECTED;
  }

  /** DeleteService. */
  deleteService(serviceKey: string): void {
    this.byService.delete(serviceKey);
  }
}

/** What the slice informer handlers of a slice-managing controller act on (see sliceInformerHandlers). */
export interface SliceOwner {
  readonly tracker: SliceTracker;
  /** Whether this controller manages the slice (its managed-by label). */
  managed(s: EndpointSlice): boolean;
  /** Files / unfiles the slice in the controller's index of slices by Service. */
  file(s: EndpointSlice): void;
  unfile(s: EndpointSlice): void;
  /** Queues the slice's Service for a sync. */
  queueForSlice(s: EndpointSlice): void;
}

/**
 * The EndpointSlice informer handlers both slice-writing controllers register (endpointslice_controller.go and
 * endpointslicemirroring_controller.go onEndpointSliceAdd / Update / Delete): a slice the controller manages and its
 * tracker did not expect (not its own write) syncs its Service; a slice moved between Services syncs both; a
 * deleted slice the controller did not delete syncs its Service.
 */
export function sliceInformerHandlers(o: SliceOwner): InformerHandlers<EndpointSlice> {
  return {
    onAdd: (s) => {
      o.file(s);
      if (o.managed(s) && o.tracker.shouldSync(s)) o.queueForSlice(s);
    },
    onUpdate: (old, s) => {
      o.unfile(old);
      o.file(s);
      if (old.metadata.labels?.[SERVICE_NAME_LABEL] !== s.metadata.labels?.[SERVICE_NAME_LABEL]) {
        o.queueForSlice(s);
        o.queueForSlice(old);
        return;
      }
      if (o.managed(old) !== o.managed(s) || (o.managed(s) && o.tracker.shouldSync(s))) o.queueForSlice(s);
    },
    onDelete: (s) => {
      o.unfile(s);
      if (o.managed(s) && o.tracker.has(s) && !o.tracker.handleDeletion(s)) o.queueForSlice(s);
    },
  };
}
