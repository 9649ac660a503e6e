/**
 * The Endpoints controller's pure address computation (pkg/controller/endpoint/endpoints_controller.go syncService:
 * podToEndpointAddressForService, addEndpointSubset, endpointPortFromServicePort) and the canonical layout of
 * pkg/api/v1/endpoints/util.go RepackSubsets / SortSubsets.
 */
import { isPodReady } from "../../api/pod-util.js";
import type { Pod } from "../../api/types.js";
import type { EndpointAddress, EndpointPort, EndpointSubset, Service, ServicePort } from "../../api/service/types.js";
import { findPort, podIPs, shouldPodBeInEndpoints, shouldSetHostname } from "./pod-endpoints.js";

/** What syncService computes before comparing with the stored Endpoints. */
export interface ComputedSubsets {
  subsets: EndpointSubset[];
  /** Ready (addresses) and not-ready entries added, one per pod and port, as upstream's log line counts them. */
  totalReady: number;
  totalNotReady: number;
}

/**
 * podToEndpointAddressForService: the pod's first IP of the Service's family (k8sim: IPv4 only, so the first IP),
 * its node and a targetRef. NOTE: upstream's targetRef has no resourceVersion since v1.30-ish; k8sim writes the
 * same four fields.
 */
export function podToEndpointAddress(svc: Service, pod: Pod): EndpointAddress | undefined {
  const ips = podIPs(pod);
  if (ips.length === 0) return undefined;
  const a: EndpointAddress = {
    ip: ips[0],
    nodeName: pod.spec.nodeName ?? "",
    targetRef: { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (shouldSetHostname(pod, svc)) a.hostname = pod.spec.hostname as string;
  return a;
}

/** One pod's address and ports for one Service (see computeSubsets' `cache`). */
export interface PodAddressMemo {
  svc: Service;
  epa: EndpointAddress | undefined;
  /** Per service port, the endpoint port, or undefined when the pod does not offer it. */
  ports: (EndpointPort | undefined)[];
}

/**
 * The subsets syncService builds for `svc` from the pods it selects, already repacked. Each pod that
 * ShouldPodBeInEndpoints (terminating ones only with publishNotReadyAddresses) contributes one address per service
 * port its containers offer (a named targetPort the pod lacks skips that port for that pod), in addresses when
 * ready or publishNotReadyAddresses, else in notReadyAddresses. A headless Service without ports publishes the
 * addresses without ports; any other Service without ports publishes nothing. `cache` (a controller's) remembers
 * each pod object's address and ports, so a sync where few pods changed allocates little.
 */
export function computeSubsets(svc: Service, pods: Iterable<Pod>, cache?: WeakMap<Pod, PodAddressMemo>): ComputedSubsets {
  const publishNotReady = svc.spec.publishNotReadyAddresses === true;
  const ports = svc.spec.ports ?? [];
  const b = new SubsetBuilder();
  let totalReady = 0;
  let totalNotReady = 0;
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    let memo = cache?.get(pod);
    if (!memo || memo.svc !== svc) {
      memo = { svc, epa: podToEndpointAddress(svc, pod), ports: ports.map((sp) => endpointPort(pod, sp)) };
      cache?.set(pod, memo);
    }
    const epa = memo.epa;
    if (!epa) continue;
    const ready = publishNotReady || isPodReady(pod);
    if (ports.length === 0) {
      if (svc.spec.clusterIP === "None") {
        b.add(epa, NO_PORT, ready);
        if (ready) totalReady++;
        else totalNotReady++;
      }
      continue;
    }
    for (const epp of memo.ports) {
      if (epp === undefined) continue;
      b.add(epa, epp, ready);
      if (ready) totalReady++;
      else totalNotReady++;
    }
  }
  return { subsets: b.build(), totalReady, totalNotReady };
}

/** endpointPortFromServicePort with FindPort's number; undefined when the pod lacks a named port. */
function endpointPort(pod: Pod, sp: ServicePort): EndpointPort | undefined {
  const num = findPort(pod, sp);
  if (num === undefined) return undefined;
  const epp: EndpointPort = { port: num, protocol: sp.protocol ?? "TCP" };
  if (sp.name !== undefined && sp.name !== "") epp.name = sp.name;
  if (sp.appProtocol !== undefined) epp.appProtocol = sp.appProtocol;
  return epp;
}

const NO_PORT: EndpointPort = { port: -1 };

/**
 * RepackSubsets: expands subsets to (address, port, ready) triples, de-duplicating addresses by IP + targetRef uid
 * (not ready wins over ready for the same port), groups ports that are offered by exactly the same addresses with
 * the same readiness into one subset, then sorts (SortSubsets). Subsets without ports are kept with a sentinel port
 * and come out without ports, as upstream.
 *
 * NOTE: upstream orders ports within a subset and the subsets themselves by the md5 of a Go spew dump of each
 * value, an arbitrary but fixed order; k8sim orders them by a readable key (port: name, number, protocol; subset:
 * its first address, then its first port). Addresses are ordered exactly as upstream (IP bytes, then uid).
 */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const b = new SubsetBuilder();
  for (const s of subsets) {
    const ports = s.ports && s.ports.length > 0 ? s.ports : [NO_PORT];
    for (const p of ports) {
      for (const a of s.addresses ?? []) b.add(a, p, true);
      for (const a of s.notReadyAddresses ?? []) b.add(a, p, false);
    }
  }
  return b.build();
}

/** The expand-and-regroup core of RepackSubsets, fed one (address, port, ready) triple at a time. */
class SubsetBuilder {
  private readonly allAddrs = new Map<string, EndpointAddress>();
  // port key -> (address key -> ready)
  private readonly portAddrs = new Map<string, { port: EndpointPort; addrs: Map<string, boolean> }>();

  add(addr: EndpointAddress, port: EndpointPort, ready: boolean): void {
    const ak = addr.targetRef?.uid === undefined ? addr.ip : `${addr.ip}\u0000${addr.targetRef.uid}`;
    if (!this.allAddrs.has(ak)) this.allAddrs.set(ak, addr);
    const pk = portKey(port);
    let e = this.portAddrs.get(pk);
    if (!e) this.portAddrs.set(pk, (e = { port, addrs: new Map() }));
    const was = e.addrs.get(ak);
    if (was === undefined || was) e.addrs.set(ak, ready);
  }

  build(): EndpointSubset[] {
    // Group ports by their exact (address, readiness) set.
    const groups = new Map<string, { ports: EndpointPort[]; addrs: Map<string, boolean> }>();
    for (const { port, addrs } of this.portAddrs.values()) {
      const keys = [...addrs.keys()].sort();
      let gk = "";
      for (const k of keys) gk += `${k}\u0001${addrs.get(k) ? 1 : 0}\u0002`;
      let g = groups.get(gk);
      if (!g) groups.set(gk, (g = { ports: [], addrs }));
      g.ports.push(port);
    }
    const out: EndpointSubset[] = [];
    for (const g of groups.values()) {
      const ready: EndpointAddress[] = [];
      const notReady: EndpointAddress[] = [];
      for (const [k, r] of g.addrs) (r ? ready : notReady).push(this.allAddrs.get(k)!);
      ready.sort(compareAddress);
      notReady.sort(compareAddress);
      const subset: EndpointSubset = {};
      if (ready.length > 0) subset.addresses = ready;
      if (notReady.length > 0) subset.notReadyAddresses = notReady;
      const ports = g.ports.length === 1 && g.ports[0].port === -1 ? [] : g.ports.length === 1 ? g.ports : g.ports.slice().sort((a, b) => cmp(portKey(a), portKey(b)));
      if (ports.length > 0) subset.ports = ports;
      out.push(subset);
    }
    if (out.length > 1) out.sort((a, b) => cmp(subsetKey(a), subsetKey(b)));
    return out;
  }
}

/** LessEndpointAddress: IP bytes, then targetRef uid (no targetRef first). */
export function compareAddress(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid;
  const ub = b.targetRef?.uid;
  if (ua === ub) return 0;
  if (ub === undefined) return 1;
  if (ua === undefined) return -1;
  return ua < ub ? -1 : 1;
}

function portKey(p: EndpointPort): string {
  return `${p.name ?? ""}\u0000${String(p.port).padStart(6, "0")}\u0000${p.protocol ?? ""}\u0000${p.appProtocol ?? ""}`;
}

function subsetKey(s: EndpointSubset): string {
  const a = s.addresses?.[0] ?? s.notReadyAddresses?.[0];
  return `${a?.ip ?? ""}\u0000${a?.targetRef?.uid ?? ""}\u0000${s.ports?.[0] ? portKey(s.ports[0]) : ""}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** maxCapacity: addresses an Endpoints object holds at most (endpoints_controller.go). */
export const MAX_ENDPOINTS_CAPACITY = 1000;
/** Annotation set when the controller truncated (v1.EndpointsOverCapacity). */
export const OVER_CAPACITY_ANNOTATION = "endpoints.kubernetes.io/over-capacity";

/**
 * truncateEndpoints: above 1000 addresses in all, keeps ready addresses first and spreads the room over the
 * subsets in proportion to their size, each share rounded up (so the last subsets may get less): when the ready
 * ones alone exceed 1000 they are cut and every not-ready one dropped; otherwise only the not-ready ones are cut, to
 * 1000 - ready. Returns new subsets, or undefined when nothing needed cutting.
 */
export function truncateSubsets(subsets: readonly EndpointSubset[], max: number = MAX_ENDPOINTS_CAPACITY): EndpointSubset[] | undefined {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= max) return undefined;
  const truncateReady = totalReady > max;
  const room = truncateReady ? max : max - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = room;
  return subsets.map((s) => {
    const inSubset = truncateReady ? s.addresses?.length ?? 0 : s.notReadyAddresses?.length ?? 0;
    let toBeAdded = Math.ceil((inSubset / numTotal) * room);
    if (toBeAdded > canBeAdded) toBeAdded = canBeAdded;
    // Empty lists serialise as absent (omitempty), so they are left out.
    const out: EndpointSubset = {};
    if (truncateReady) {
      const addresses = (s.addresses ?? []).slice(0, toBeAdded);
      canBeAdded -= addresses.length;
      if (addresses.length > 0) out.addresses = addresses;
    } else {
      const notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, toBeAdded);
      canBeAdded -= notReadyAddresses.length;
      if (s.addresses && s.addresses.length > 0) out.addresses = s.addresses;
      if (notReadyAddresses.length > 0) out.notReadyAddresses = notReadyAddresses;
    }
    if (s.ports && s.ports.length > 0) out.ports = s.ports;
    return out;
  });
}
