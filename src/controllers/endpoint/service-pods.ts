/**
 * Which pods each Service selects, kept incrementally from the pod and Service informers, for the endpoints and
 * EndpointSlice controllers.
 *
 * NOTE: upstream's controllers list the namespace's Services on every pod event (GetPodServiceMemberships) and the
 * namespace's pods on every sync (podLister.List(selector)); at 1,000 Services over 30,000 pods that is quadratic,
 * so k8sim keeps the answer instead. The result is the same set: a Service with a selector selects the pods of its
 * namespace carrying every pair of it (an empty selector selects them all, as labels.Set{}.AsSelector does); a
 * Service without a selector selects nothing. A pod event costs O(its labels + candidate Services); a selector
 * change costs O(pods carrying its rarest pair).
 */
import type { ControlPlane } from "../../api/control-plane.js";
import type { Informer } from "../../api/informer.js";
import type { Pod } from "../../api/types.js";
import type { Service } from "../../api/service/types.js";
import type { ObjectKey } from "../runtime.js";
import { podEndpointsChanged, sameLabels } from "./pod-endpoints.js";

/** Called with a Service whose published endpoints may have changed because of a pod event. */
export type ServicePodListener = (svc: ObjectKey) => void;

interface SvcEntry {
  key: ObjectKey;
  selector: Record<string, string>;
  /** The pair this Service is filed under in `byPair` ("" for an empty selector). */
  anchor: string;
  /** Selected pods by name, latest object. */
  pods: Map<string, Pod>;
  /** `pods.values()` as an iterable that can be walked more than once (a sync reads it twice). */
  view: Iterable<Pod>;
}

const SEP = "\u0000";

/** See the module comment. One per control plane (`servicePodIndex`). */
export class ServicePodIndex {
  /** "ns/name" -> Service entry, for Services with a selector. */
  private readonly services = new Map<string, SvcEntry>();
  /** "ns\0key\0value" -> Services whose anchor pair it is; "ns" -> Services with an empty selector. */
  private readonly byPair = new Map<string, Set<SvcEntry>>();
  /** "ns\0key\0value" -> pods carrying the pair; "ns" -> every pod of the namespace. */
  private readonly podsByPair = new Map<string, Map<string, Pod>>();
  private readonly listeners: ServicePodListener[] = [];
  /** Pod events seen, and Service notifications sent (the cost the speed report counts). */
  readonly stats = { podEvents: 0, notifications: 0 };

  constructor(pods: Informer<Pod>, services: Informer<Service>) {
    // Services first, so pods replayed at registration find them.
    services.addHandlers({
      onAdd: (s) => this.setService(s),
      onUpdate: (_o, s) => this.setService(s),
      onDelete: (s) => this.removeService(s),
    });
    pods.addHandlers({
      onAdd: (p) => this.podAdded(p),
      onUpdate: (o, p) => this.podUpdated(o, p),
      onDelete: (p) => this.podDeleted(p),
    });
  }

  /** Registers a listener for pod-caused changes (addPod / updatePod / deletePod of the controllers). */
  subscribe(l: ServicePodListener): void {
    this.listeners.push(l);
  }

  /**
   * The pods the Service selects (informer view), in the order they were first seen; empty without a selector. The
   * result may be iterated several times and reflects later changes (copy it to keep a snapshot).
   */
  podsOf(namespace: string | undefined, name: string): Iterable<Pod> {
    return this.services.get(`${namespace}/${name}`)?.view ?? NONE;
  }

  /** Number of pods the Service selects. */
  countOf(namespace: string | undefined, name: string): number {
    return this.services.get(`${namespace}/${name}`)?.pods.size ?? 0;
  }

  private setService(s: Service): void {
    const id = `${s.metadata.namespace}/${s.metadata.name}`;
    const sel = s.spec.selector;
    const cur = this.services.get(id);
    if (cur && sel && sameLabels(cur.selector, sel) && Object.keys(sel).length === Object.keys(cur.selector).length) return;
    if (cur) this.unfile(cur);
    if (!sel) {
      this.services.delete(id);
      return;
    }
    const ns = s.metadata.namespace ?? "";
    const keys = Object.keys(sel);
    // File under the pair with the fewest pods now, then the fewest Services filed under it: a pod event tests the
    // Services filed under its pairs, so common pairs (tier=web) make poor anchors when a rarer one (app=x) exists.
    let anchor = ns;
    let bestPods = Infinity;
    let bestSvcs = Infinity;
    for (const k of keys) {
      const pk = `${ns}${SEP}${k}${SEP}${sel[k]}`;
      const n = this.podsByPair.get(pk)?.size ?? 0;
      const m = this.byPair.get(pk)?.size ?? 0;
      if (n < bestPods || (n === bestPods && m < bestSvcs)) {
        bestPods = n;
        bestSvcs = m;
        anchor = pk;
      }
    }
    const pods = new Map<string, Pod>();
    const e: SvcEntry = { key: { namespace: s.metadata.namespace, name: s.metadata.name }, selector: sel, anchor, pods, view: { [Symbol.iterator]: () => pods.values() } };
    this.services.set(id, e);
    let set = this.byPair.get(anchor);
    if (!set) this.byPair.set(anchor, (set = new Set()));
    set.add(e);
    const candidates = this.podsByPair.get(anchor);
    if (candidates) for (const p of candidates.values()) if (matches(sel, p)) e.pods.set(p.metadata.name, p);
  }

  private removeService(s: Service): void {
    const id = `${s.metadata.namespace}/${s.metadata.name}`;
    const cur = this.services.get(id);
    if (!cur) return;
    this.unfile(cur);
    this.services.delete(id);
  }

  private unfile(e: SvcEntry): void {
    const set = this.byPair.get(e.anchor);
    if (!set) return;
    set.delete(e);
    if (set.size === 0) this.byPair.delete(e.anchor);
  }

  /** Calls `f` for every Service selecting a pod with these labels in `ns`. */
  private forServices(ns: string, labels: Record<string, string> | undefined, f: (e: SvcEntry) => void): void {
    const all = this.byPair.get(ns);
    if (all) for (const e of all) f(e);
    if (!labels) return;
    for (const k in labels) {
      const set = this.byPair.get(`${ns}${SEP}${k}${SEP}${labels[k]}`);
      if (set) for (const e of set) if (matchesLabels(e.selector, labels)) f(e);
    }
  }

  private indexPod(p: Pod, sign: 1 | -1): void {
    const ns = p.metadata.namespace ?? "";
    const name = p.metadata.name;
    const put = (k: string) => {
      let m = this.podsByPair.get(k);
      if (sign > 0) {
        if (!m) this.podsByPair.set(k, (m = new Map()));
        m.set(name, p);
      } else if (m) {
        m.delete(name);
        if (m.size === 0) this.podsByPair.delete(k);
      }
    };
    put(ns);
    const l = p.metadata.labels;
    if (l) for (const k in l) put(`${ns}${SEP}${k}${SEP}${l[k]}`);
  }

  private notify(e: SvcEntry): void {
    this.stats.notifications++;
    for (const l of this.listeners) l(e.key);
  }

  private podAdded(p: Pod): void {
    this.stats.podEvents++;
    this.indexPod(p, 1);
    this.forServices(p.metadata.namespace ?? "", p.metadata.labels, (e) => {
      e.pods.set(p.metadata.name, p);
      this.notify(e);
    });
  }

  private podDeleted(p: Pod): void {
    this.stats.podEvents++;
    this.indexPod(p, -1);
    this.forServices(p.metadata.namespace ?? "", p.metadata.labels, (e) => {
      e.pods.delete(p.metadata.name);
      this.notify(e);
    });
  }

  /**
   * updatePod (GetServicesToUpdateOnPodChange): the stored object is refreshed in every Service selecting the pod;
   * Services are notified only when podEndpointsChanged says so: all old and new ones when the pod changed, only
   * those gained or lost when just the labels did.
   */
  private podUpdated(o: Pod, p: Pod): void {
    this.stats.podEvents++;
    const ns = p.metadata.namespace ?? "";
    const [podChanged, labelsChanged] = podEndpointsChanged(o, p);
    if (!sameLabels(o.metadata.labels, p.metadata.labels)) {
      this.indexPod(o, -1);
      this.indexPod(p, 1);
      const before = new Set<SvcEntry>();
      this.forServices(ns, o.metadata.labels, (e) => before.add(e));
      const after = new Set<SvcEntry>();
      this.forServices(ns, p.metadata.labels, (e) => after.add(e));
      for (const e of before) {
        if (after.has(e)) {
          e.pods.set(p.metadata.name, p);
          if (podChanged) this.notify(e);
        } else {
          e.pods.delete(p.metadata.name);
          this.notify(e);
        }
      }
      for (const e of after) {
        if (before.has(e)) continue;
        e.pods.set(p.metadata.name, p);
        this.notify(e);
      }
      return;
    }
    this.indexPod(p, 1);
    this.forServices(ns, p.metadata.labels, (e) => {
      e.pods.set(p.metadata.name, p);
      if (podChanged || labelsChanged) this.notify(e);
    });
  }
}

const NONE: readonly Pod[] = Object.freeze([]);

function matches(sel: Record<string, string>, p: Pod): boolean {
  return matchesLabels(sel, p.metadata.labels ?? EMPTY);
}

function matchesLabels(sel: Record<string, string>, labels: Record<string, string>): boolean {
  for (const k in sel) if (labels[k] !== sel[k]) return false;
  return true;
}
const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;

const INDEXES = new WeakMap<ControlPlane, ServicePodIndex>();

/** The control plane's shared index, created (and wired to the informers) on first use. */
export function servicePodIndex(cp: ControlPlane): ServicePodIndex {
  let idx = INDEXES.get(cp);
  if (!idx) INDEXES.set(cp, (idx = new ServicePodIndex(cp.informers.pods, cp.informers.forKind<Service>("Service"))));
  return idx;
}
