/**
 * What the endpoints controller should publish for a Service, from the pods the store holds: for the invariant
 * "Endpoints and slices equal the ready / not-ready selected pods after each change". Pure; costs a pass over the
 * given pods, so an invariant checker calls it per Service with the pods of the Service's namespace.
 */
import { isPodReady } from "../../api/pod-util.js";
import type { Pod } from "../../api/types.js";
import type { EndpointSlice, Service } from "../../api/service/types.js";
import { podIPs, shouldPodBeInEndpoints } from "./pod-endpoints.js";
import { computeSubsets } from "./subsets.js";

/** The IPs a Service's Endpoints should list, before truncation: ready (addresses) and not ready. */
export interface ExpectedAddresses {
  ready: Set<string>;
  notReady: Set<string>;
}

/**
 * The addresses syncService would write for `svc` given `pods` (any pods: those of other namespaces or not matching
 * the selector are ignored). A Service without a selector, or of type ExternalName, expects nothing (its Endpoints,
 * if any, are the user's). An IP is in `notReady` only if it is not ready for every port (RepackSubsets puts a pod
 * not ready for a port in that port's notReadyAddresses; the endpoints controller decides readiness per pod, so in
 * practice a pod is one or the other).
 */
export function expectedAddresses(svc: Service, pods: Iterable<Pod>): ExpectedAddresses {
  const out: ExpectedAddresses = { ready: new Set(), notReady: new Set() };
  const sel = svc.spec.selector;
  if (sel === undefined || svc.spec.type === "ExternalName") return out;
  const selected: Pod[] = [];
  for (const p of pods) {
    if (p.metadata.namespace !== svc.metadata.namespace) continue;
    const l = p.metadata.labels ?? {};
    let ok = true;
    for (const k in sel) if (l[k] !== sel[k]) ok = false;
    if (ok) selected.push(p);
  }
  for (const s of computeSubsets(svc, selected).subsets) {
    for (const a of s.addresses ?? []) out.ready.add(a.ip);
    for (const a of s.notReadyAddresses ?? []) out.notReady.add(a.ip);
  }
  for (const ip of out.ready) out.notReady.delete(ip);
  return out;
}

/** The same sets read from a stored Endpoints object (for comparing with `expectedAddresses`). */
export function publishedAddresses(subsets: readonly { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[] }[] | undefined): ExpectedAddresses {
  const out: ExpectedAddresses = { ready: new Set(), notReady: new Set() };
  for (const s of subsets ?? []) {
    for (const a of s.addresses ?? []) out.ready.add(a.ip);
    for (const a of s.notReadyAddresses ?? []) out.notReady.add(a.ip);
  }
  for (const ip of out.ready) out.notReady.delete(ip);
  return out;
}

/**
 * What the EndpointSlice controller should publish for a Service across its slices: `ready` = endpoints with
 * condition ready, `notReady` = the others. It differs from the Endpoints view in two ways upstream has: terminating
 * pods stay in slices (ready false, terminating true) where Endpoints drop them, and a pod whose node the node
 * informer lacks is left out of slices (unless publishNotReadyAddresses). `hasNode` answers the latter.
 */
export function expectedSliceAddresses(svc: Service, pods: Iterable<Pod>, hasNode: (name: string) => boolean): ExpectedAddresses {
  const out: ExpectedAddresses = { ready: new Set(), notReady: new Set() };
  const sel = svc.spec.selector;
  if (sel === undefined || svc.spec.type === "ExternalName") return out;
  const publishNotReady = svc.spec.publishNotReadyAddresses === true;
  for (const p of pods) {
    if (p.metadata.namespace !== svc.metadata.namespace) continue;
    const l = p.metadata.labels ?? {};
    let ok = true;
    for (const k in sel) if (l[k] !== sel[k]) ok = false;
    if (!ok || !shouldPodBeInEndpoints(p, true)) continue;
    if (!publishNotReady && !(p.spec.nodeName && hasNode(p.spec.nodeName))) continue;
    const ready = publishNotReady || (isPodReady(p) && p.metadata.deletionTimestamp === undefined);
    for (const ip of podIPs(p)) (ready ? out.ready : out.notReady).add(ip);
  }
  return out;
}

/** The same sets read from a Service's stored slices. */
export function publishedSliceAddresses(slices: Iterable<EndpointSlice>): ExpectedAddresses {
  const out: ExpectedAddresses = { ready: new Set(), notReady: new Set() };
  for (const s of slices) for (const e of s.endpoints ?? []) for (const ip of e.addresses) (e.conditions.ready ? out.ready : out.notReady).add(ip);
  return out;
}
