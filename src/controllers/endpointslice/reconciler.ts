/**
 * The EndpointSlice reconciler's decision (staging/src/k8s.io/endpointslice/reconciler.go Reconcile,
 * reconcileByAddressType, reconcileByPortMapping, finalize's create-to-update recycling; utils.go newEndpointSlice,
 * setEndpointSliceLabels, getSliceToFill; trafficdist/trafficdist.go for PreferClose hints), as a pure function
 * of the Service, its pods, the node zones and the slices that exist. The controller performs the writes.
 *
 * NOTE: upstream keeps the desired endpoints in a Go map and pops "any" of them, and lists slices in map order, so
 * which endpoint lands in which new slice varies between runs; k8sim uses the pods' order and the slices' order of
 * creation, so a run always places them the same way. The counts (how many slices, how full, which slices are
 * updated or reused) follow the algorithm exactly.
 */
import type { Pod } from "../../api/types.js";
import type { EndpointSlice, Service, SliceEndpoint, SlicePort } from "../../api/service/types.js";
import { HEADLESS_LABEL, isServiceIPSet, shouldPodBeInEndpoints } from "../endpoint/pod-endpoints.js";
import { endpointKey, endpointsEqualBeyondHash, getEndpointPorts, podToEndpoint, portMapKey } from "./slice-endpoint.js";

/** Slice label naming the Service (discovery.LabelServiceName). */
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
/** Slice label naming the managing controller (discovery.LabelManagedBy). */
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
/** The EndpointSlice controller's managed-by value (controllerQualifiedName). */
export const ENDPOINTSLICE_MANAGER = "endpointslice-controller.k8s.io";

/** What the reconciler needs from the node informer: whether the node exists, and its zone label. */
export type NodeLookup = (nodeName: string) => { zone: string | undefined } | undefined;

/** Inputs besides the objects. */
export interface ReconcileOptions {
  maxEndpointsPerSlice: number;
  nodes: NodeLookup;
  /** The managed-by value written on new slices (ENDPOINTSLICE_MANAGER). */
  controllerName?: string;
  /**
   * A controller's memo of each pod's endpoint (objects are never mutated, so a pod object that did not change
   * maps to the same endpoint): a sync of a Service whose pods mostly did not change allocates little.
   */
  cache?: WeakMap<Pod, PodEndpointMemo>;
}

/** One pod's endpoint and ports for one Service and zone (see ReconcileOptions.cache). */
export interface PodEndpointMemo {
  svc: Service;
  zone: string | undefined;
  ports: SlicePort[];
  portKey: string;
  ep: SliceEndpoint;
}

/** The writes one sync makes, in the order finalize issues them (creates, updates, deletes), and its errors. */
export interface SliceChanges {
  toCreate: EndpointSlice[];
  toUpdate: EndpointSlice[];
  toDelete: EndpointSlice[];
  /** Pods skipped because their node is missing (the sync is retried), as upstream's aggregate error. */
  errors: string[];
}

type AddressType = EndpointSlice["addressType"];

/** getAddressTypesForService: spec.ipFamilies; without them the clusterIP's family, or both for a headless one. */
export function addressTypesFor(svc: Service): AddressType[] {
  const fams = svc.spec.ipFamilies;
  if (fams && fams.length > 0) {
    const out: AddressType[] = [];
    if (fams.includes("IPv4")) out.push("IPv4");
    if (fams.includes("IPv6")) out.push("IPv6");
    return out;
  }
  if (isServiceIPSet(svc)) return [svc.spec.clusterIP!.includes(":") ? "IPv6" : "IPv4"];
  return ["IPv4", "IPv6"];
}

/** ownedBy: a controller reference to this Service (uid, kind Service, apiVersion v1). */
export function ownedBy(slice: EndpointSlice, svc: Service): boolean {
  for (const o of slice.metadata.ownerReferences ?? []) if (o.uid === svc.metadata.uid && o.kind === "Service" && o.apiVersion === "v1") return true;
  return false;
}

/**
 * setEndpointSliceLabels: the Service's labels (less the reserved ones), the headless label for a headless Service,
 * service-name and managed-by; `changed` when the slice's non-reserved labels differ from the Service's.
 */
export function sliceLabels(slice: EndpointSlice | undefined, svc: Service, controllerName: string): { labels: Record<string, string>; changed: boolean } {
  const epLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(slice?.metadata.labels ?? {})) if (!isReserved(k)) epLabels[k] = v;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (!isReserved(k)) labels[k] = v;
  const changed = !sameMap(epLabels, labels);
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = "";
  labels[SERVICE_NAME_LABEL] = svc.metadata.name;
  labels[MANAGED_BY_LABEL] = controllerName;
  return { labels, changed };
}

function isReserved(k: string): boolean {
  return k === SERVICE_NAME_LABEL || k === MANAGED_BY_LABEL || k === HEADLESS_LABEL;
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (b[k] !== a[k]) return false;
  return true;
}

/** newEndpointSlice: generateName "<service>-", a controller reference to the Service, its labels, no endpoints yet. */
export function newEndpointSlice(svc: Service, ports: SlicePort[], addressType: AddressType, controllerName: string): EndpointSlice {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: "",
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: sliceLabels(undefined, svc, controllerName).labels,
      ownerReferences: [{ apiVersion: "v1", kind: "Service", name: svc.metadata.name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints: [],
    ports,
  };
}

/** A slice under construction: the object and its endpoints (a fresh array, so the informer's is never touched). */
interface Draft {
  slice: EndpointSlice;
  endpoints: SliceEndpoint[];
}

/**
 * Reconcile: for every address type of the Service, the creates, updates and deletes that make its slices hold
 * exactly the desired endpoints (every selected pod that ShouldPodBeInEndpoints, terminating ones included, on a
 * node that exists unless publishNotReadyAddresses), grouped by port set.
 */
export function reconcileSlices(svc: Service, pods: Iterable<Pod>, existing: readonly EndpointSlice[], opts: ReconcileOptions): SliceChanges {
  const controllerName = opts.controllerName ?? ENDPOINTSLICE_MANAGER;
  const types = addressTypesFor(svc);
  const out: SliceChanges = { toCreate: [], toUpdate: [], toDelete: [], errors: [] };
  const byType = new Map<AddressType, EndpointSlice[]>();
  const unsupported: EndpointSlice[] = [];
  for (const s of existing) {
    if (!types.includes(s.addressType)) {
      unsupported.push(s);
      continue;
    }
    let l = byType.get(s.addressType);
    if (!l) byType.set(s.addressType, (l = []));
    l.push(s);
  }
  const podList = Array.isArray(pods) ? (pods as Pod[]) : [...pods];
  for (const t of types) reconcileByAddressType(svc, podList, byType.get(t) ?? [], t, opts, controllerName, out);
  for (const s of unsupported) out.toDelete.push(s);
  return out;
}

function reconcileByAddressType(svc: Service, pods: readonly Pod[], existing: readonly EndpointSlice[], addressType: AddressType, opts: ReconcileOptions, controllerName: string, out: SliceChanges): void {
  const toCreate: Draft[] = [];
  const toUpdate: Draft[] = [];
  const toDelete: EndpointSlice[] = [];
  const existingByPortMap = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    if (ownedBy(s, svc)) {
      const k = portMapKey(s.ports);
      let l = existingByPortMap.get(k);
      if (!l) existingByPortMap.set(k, (l = []));
      l.push(s);
    } else toDelete.push(s);
  }

  const desiredPorts = new Map<string, SlicePort[]>();
  const desired = new Map<string, Map<string, SliceEndpoint>>();
  const publishNotReady = svc.spec.publishNotReadyAddresses === true;
  const cache = opts.cache;
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const node = pod.spec.nodeName ? opts.nodes(pod.spec.nodeName) : undefined;
    const zone = node?.zone;
    let memo = cache?.get(pod);
    if (!memo || memo.svc !== svc || memo.zone !== zone) {
      const ports = getEndpointPorts(svc, pod);
      memo = { svc, zone, ports, portKey: portMapKey(ports), ep: podToEndpoint(pod, zone, svc) };
      cache?.set(pod, memo);
    }
    const k = memo.portKey;
    let set = desired.get(k);
    if (!set) {
      desired.set(k, (set = new Map()));
      desiredPorts.set(k, memo.ports);
    }
    if (!node && !publishNotReady) {
      out.errors.push(`skipping Pod ${pod.metadata.name} for Service ${svc.metadata.namespace}/${svc.metadata.name}: Node ${pod.spec.nodeName ?? ""} Not Found`);
      continue;
    }
    // getEndpointAddresses: only the addresses of this slice's family.
    let ep = memo.ep;
    if (ep.addresses.some((ip) => familyOf(ip) !== addressType)) ep = { ...ep, addresses: ep.addresses.filter((ip) => familyOf(ip) === addressType) };
    if (ep.addresses.length > 0) set.set(keyOf(ep), ep);
  }

  for (const [k, set] of desired) {
    const r = reconcileByPortMapping(svc, existingByPortMap.get(k) ?? [], set, desiredPorts.get(k)!, addressType, opts.maxEndpointsPerSlice, controllerName);
    toCreate.push(...r.create);
    toUpdate.push(...r.update);
    toDelete.push(...r.del);
  }
  for (const [k, slices] of existingByPortMap) if (!desired.has(k)) toDelete.push(...slices);

  // The placeholder: a Service with no endpoints keeps one empty slice.
  if (existing.length === toDelete.length && toCreate.length < 1) {
    const placeholder = newEndpointSlice(svc, [], addressType, controllerName);
    if (toDelete.length === 1 && isPlaceholderEqual(toDelete[0], placeholder)) toDelete.length = 0;
    else toCreate.push({ slice: placeholder, endpoints: [] });
  }

  // Hints: PreferClose fills zone hints; otherwise hints are removed from what is written (RemoveHintsFromSlices).
  const unchanged = existing.filter((s) => !toUpdate.some((d) => d.slice.metadata.name === s.metadata.name) && !toDelete.includes(s));
  const preferClose = svc.spec.trafficDistribution === "PreferClose" && !hintsAnnotationEnabled(svc);
  if (preferClose) {
    for (const s of unchanged) if (needsCloseHints(s.endpoints ?? [])) toUpdate.push({ slice: s, endpoints: (s.endpoints ?? []).slice() });
    for (const d of toCreate) setCloseHints(d.endpoints);
    for (const d of toUpdate) setCloseHints(d.endpoints);
  } else {
    for (const d of toCreate) clearHints(d.endpoints);
    for (const d of toUpdate) clearHints(d.endpoints);
  }

  // finalize: a create and a delete of the same address type become an update of the deleted slice.
  for (let i = 0; i < toDelete.length; ) {
    if (toCreate.length === 0) break;
    const victim = toDelete[i];
    const d = toCreate[toCreate.length - 1];
    if (victim.addressType === d.slice.addressType && ownedBy(victim, svc)) {
      d.slice = { ...d.slice, metadata: { ...victim.metadata, labels: d.slice.metadata.labels, ownerReferences: d.slice.metadata.ownerReferences, generateName: d.slice.metadata.generateName } };
      toCreate.pop();
      toUpdate.push(d);
      toDelete.splice(i, 1);
    } else i++;
  }

  for (const d of toCreate) out.toCreate.push(build(d));
  for (const d of toUpdate) out.toUpdate.push(build(d));
  for (const s of toDelete) out.toDelete.push(s);
}

function familyOf(ip: string): AddressType {
  return ip.includes(":") ? "IPv6" : "IPv4";
}

/** endpointKey, memoised per endpoint object (stored slices' endpoints and memoised desired ones recur). */
const KEYS = new WeakMap<SliceEndpoint, string>();
function keyOf(ep: SliceEndpoint): string {
  let k = KEYS.get(ep);
  if (k === undefined) KEYS.set(ep, (k = endpointKey(ep)));
  return k;
}

function build(d: Draft): EndpointSlice {
  return { ...d.slice, endpoints: d.endpoints };
}

interface PortMappingResult {
  create: Draft[];
  update: Draft[];
  del: EndpointSlice[];
}

/**
 * reconcileByPortMapping: (1) keep each existing slice's still-desired endpoints (updated to their desired form),
 * marking a slice for update when one changed or went away (for deletion when none is left) or when its labels
 * differ from the Service's; (2) fill the slices marked for update, fullest first, up to the maximum; (3) put what
 * remains into the unchanged slice that comes closest to full when it fits in one (fewer than the maximum left),
 * else into new slices.
 */
function reconcileByPortMapping(svc: Service, existing: readonly EndpointSlice[], desired: Map<string, SliceEndpoint>, ports: SlicePort[], addressType: AddressType, max: number, controllerName: string): PortMappingResult {
  const drafts = new Map<string, Draft>();
  const unchanged = new Map<string, EndpointSlice>();
  const toUpdate = new Set<string>();
  const toDelete: EndpointSlice[] = [];
  for (const s of existing) {
    const kept: SliceEndpoint[] = [];
    let updated = false;
    const eps = s.endpoints ?? [];
    for (const ep of eps) {
      const k = keyOf(ep);
      const got = desired.get(k);
      if (got === undefined) continue;
      // The desired form replaces the stored one (hints included: the traffic distribution step sets them).
      kept.push(got);
      if (!endpointsEqualBeyondHash(got, ep)) updated = true;
      desired.delete(k);
    }
    const { labels, changed } = sliceLabels(s, svc, controllerName);
    if (updated || eps.length !== kept.length) {
      if (kept.length === 0) toDelete.push(s);
      else {
        drafts.set(s.metadata.name, { slice: { ...s, metadata: { ...s.metadata, labels } }, endpoints: kept });
        toUpdate.add(s.metadata.name);
      }
    } else if (changed) {
      drafts.set(s.metadata.name, { slice: { ...s, metadata: { ...s.metadata, labels } }, endpoints: kept });
      toUpdate.add(s.metadata.name);
    } else unchanged.set(s.metadata.name, s);
  }

  const rest = desired.values();
  let left = desired.size;
  const pop = (): SliceEndpoint => {
    left--;
    return rest.next().value as SliceEndpoint;
  };

  // 2. Fill the slices already being updated, fullest first.
  if (left > 0 && toUpdate.size > 0) {
    const list = [...toUpdate].map((n) => drafts.get(n)!);
    list.sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const d of list) while (left > 0 && d.endpoints.length < max) d.endpoints.push(pop());
  }

  // 3. The rest: into the closest-to-full unchanged slice if it fits in one, else new slices.
  const create: Draft[] = [];
  while (left > 0) {
    let fill: Draft | undefined;
    if (left < max && unchanged.size > 0) {
      const s = sliceToFill([...unchanged.values()], left, max);
      if (s) {
        fill = { slice: s, endpoints: (s.endpoints ?? []).slice() };
        drafts.set(s.metadata.name, fill);
      }
    }
    if (!fill) fill = { slice: newEndpointSlice(svc, ports, addressType, controllerName), endpoints: [] };
    while (left > 0 && fill.endpoints.length < max) fill.endpoints.push(pop());
    if (fill.slice.metadata.name !== "") {
      toUpdate.add(fill.slice.metadata.name);
      unchanged.delete(fill.slice.metadata.name);
    } else create.push(fill);
  }

  return { create, update: [...toUpdate].map((n) => drafts.get(n)!), del: toDelete };
}

/** getSliceToFill: the slice left with the least room after taking `n` endpoints, if any can take them. */
export function sliceToFill(slices: readonly EndpointSlice[], n: number, max: number): EndpointSlice | undefined {
  let closestDiff = max;
  let closest: EndpointSlice | undefined;
  for (const s of slices) {
    const diff = max - (n + (s.endpoints?.length ?? 0));
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (diff === 0) return closest;
    }
  }
  return closest;
}

/** placeholderSliceCompare: same namespace and labels, address type, no endpoints and no ports. */
function isPlaceholderEqual(a: EndpointSlice, b: EndpointSlice): boolean {
  if (a.metadata.namespace !== b.metadata.namespace) return false;
  if (!sameMap(a.metadata.labels ?? {}, b.metadata.labels ?? {})) return false;
  if (a.addressType !== b.addressType) return false;
  return (a.endpoints ?? []).length === 0 && (a.ports ?? []).length === 0;
}

/** hintsEnabled: the service.kubernetes.io/topology-mode (or the deprecated topology-aware-hints) annotation is Auto. */
function hintsAnnotationEnabled(svc: Service): boolean {
  const a = svc.metadata.annotations;
  const v = a?.["service.kubernetes.io/topology-aware-hints"] ?? a?.["service.kubernetes.io/topology-mode"];
  return v === "Auto" || v === "auto";
}

/** preferCloseHeuristic.needsUpdate (v1.32: zone hints only): a ready endpoint whose hint is not its own zone. */
function needsCloseHints(eps: readonly SliceEndpoint[]): boolean {
  for (const ep of eps) {
    if (!ep.conditions.ready) continue;
    if (ep.zone !== undefined) {
      const z = ep.hints?.forZones;
      if (!z || z.length !== 1 || z[0].name !== ep.zone) return true;
    } else if (ep.hints?.forZones && ep.hints.forZones.length > 0) return true;
  }
  return false;
}

/** preferCloseHeuristic.update: every ready endpoint with a zone is hinted for that zone; others lose hints. */
function setCloseHints(eps: SliceEndpoint[]): void {
  for (let i = 0; i < eps.length; i++) {
    const ep = eps[i];
    if (!ep.conditions.ready) continue;
    if (ep.zone !== undefined) {
      const z = ep.hints?.forZones;
      if (!z || z.length !== 1 || z[0].name !== ep.zone) eps[i] = { ...ep, hints: { forZones: [{ name: ep.zone }] } };
    } else if (ep.hints !== undefined) {
      const { hints: _h, ...rest } = ep;
      eps[i] = rest;
    }
  }
}

/** RemoveHintsFromSlices: no endpoint of a written slice keeps hints. */
function clearHints(eps: SliceEndpoint[]): void {
  for (let i = 0; i < eps.length; i++) {
    if (eps[i].hints === undefined) continue;
    const { hints: _h, ...rest } = eps[i];
    eps[i] = rest;
  }
}
