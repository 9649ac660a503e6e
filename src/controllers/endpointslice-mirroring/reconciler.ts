/**
 * The EndpointSlice mirroring reconciler's decision (pkg/controller/endpointslicemirroring/reconciler.go reconcile,
 * reconcileByPortMapping, totalChanges; reconciler_helpers.go desiredCalc, recycleSlices; utils.go
 * newEndpointSlice, addressToEndpoint, epPortsToEpsPorts): a pure function of a user-managed Endpoints object and
 * the slices mirrored from it so far. Each subset becomes one slice per address type, of at most
 * mirroringMaxEndpointsPerSubset endpoints.
 */
import { isIP } from "node:net";
import type { EndpointAddress, EndpointPort, Endpoints, EndpointSlice, SliceEndpoint, SlicePort } from "../../api/service/types.js";
import { LAST_CHANGE_TRIGGER_TIME } from "../endpoint/pod-endpoints.js";
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from "../endpointslice/reconciler.js";
import { endpointKey, endpointsEqualBeyondHash, portMapKey } from "../endpointslice/slice-endpoint.js";

/** The mirroring controller's managed-by value (controllerName). */
export const MIRRORING_MANAGER = "endpointslicemirroring-controller.k8s.io";
/** Label that turns mirroring off for an Endpoints object (discovery.LabelSkipMirror). */
export const SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror";
/** kubectl's annotation, never mirrored (v1.LastAppliedConfigAnnotation). */
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

type AddressType = EndpointSlice["addressType"];
const ADDRESS_TYPES: readonly AddressType[] = ["IPv4", "IPv6"];

/** An event the reconcile records on the Endpoints. */
export interface MirrorEvent {
  reason: "InvalidIPAddress" | "TooManyAddressesToMirror";
  message: string;
}

/** The writes one sync makes (creates, updates, deletes, in that order) and its events. */
export interface MirrorChanges {
  toCreate: EndpointSlice[];
  toUpdate: EndpointSlice[];
  toDelete: EndpointSlice[];
  events: MirrorEvent[];
  /** Addresses left out, for being invalid or beyond the per-subset maximum (AddressesSkippedPerSync). */
  skipped: number;
}

/** epPortsToEpsPorts: each Endpoints port as a slice port (name "" when unnamed). */
export function toSlicePorts(ports: readonly EndpointPort[] | undefined): SlicePort[] {
  return (ports ?? []).map((p) => {
    const out: SlicePort = { name: p.name ?? "", port: p.port, protocol: p.protocol ?? "TCP" };
    if (p.appProtocol !== undefined) out.appProtocol = p.appProtocol;
    return out;
  });
}

/** addressToEndpoint: one address as an endpoint with only the ready condition, and its family; undefined if not an IP. */
export function addressToEndpoint(a: EndpointAddress, ready: boolean): { ep: SliceEndpoint; type: AddressType } | undefined {
  const fam = isIP(a.ip);
  if (fam === 0) return undefined;
  const ep: SliceEndpoint = { addresses: [a.ip], conditions: { ready } };
  if (a.targetRef) ep.targetRef = a.targetRef;
  if (a.nodeName !== undefined) ep.nodeName = a.nodeName;
  if (a.hostname) ep.hostname = a.hostname;
  return { ep, type: fam === 6 ? "IPv6" : "IPv4" };
}

/** newEndpointSlice: the Endpoints' labels and annotations (less trigger time and last-applied), owned by it. */
export function newMirroredSlice(ep: Endpoints, ports: SlicePort[], addressType: AddressType, name: string): EndpointSlice {
  const labels: Record<string, string> = { ...(ep.metadata.labels ?? {}) };
  labels[SERVICE_NAME_LABEL] = ep.metadata.name;
  labels[MANAGED_BY_LABEL] = MIRRORING_MANAGER;
  const annotations = mirroredAnnotations(ep);
  const metadata: EndpointSlice["metadata"] = {
    name,
    namespace: ep.metadata.namespace,
    labels,
    ownerReferences: [{ apiVersion: "v1", kind: "Endpoints", name: ep.metadata.name, uid: ep.metadata.uid!, controller: true, blockOwnerDeletion: true }],
  };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (name === "") metadata.generateName = `${ep.metadata.name}-`;
  return { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata, addressType, endpoints: [], ports };
}

function mirroredAnnotations(ep: Endpoints): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ep.metadata.annotations ?? {})) if (k !== LAST_CHANGE_TRIGGER_TIME && k !== LAST_APPLIED) out[k] = v;
  return out;
}

interface Desired {
  ports: SlicePort[];
  type: AddressType;
  endpoints: Map<string, SliceEndpoint>;
}

/**
 * reconcile: the desired endpoints of every subset (ready addresses, then not-ready ones, at most `maxPerSubset`
 * per subset), grouped by address type and port set; then per group the one slice that holds them (the first
 * existing slice updated in place unless it already matches in endpoints, labels and annotations; the others
 * deleted), deletes for groups no longer desired, and creates recycled into deletes of the same address type.
 */
export function reconcileMirror(ep: Endpoints, existing: readonly EndpointSlice[], maxPerSubset: number): MirrorChanges {
  const desired = new Map<string, Desired>();
  let invalid = 0;
  let skipped = 0;
  for (const subset of ep.subsets ?? []) {
    const ports = toSlicePorts(subset.ports);
    const pk = portMapKey(ports);
    const keys = new Map<AddressType, Desired>();
    for (const t of ADDRESS_TYPES) {
      const k = `${t}/${pk}`;
      let d = desired.get(k);
      if (!d) desired.set(k, (d = { ports, type: t, endpoints: new Map() }));
      d.ports = ports;
      keys.set(t, d);
    }
    const total = (subset.addresses?.length ?? 0) + (subset.notReadyAddresses?.length ?? 0);
    let added = 0;
    const add = (list: EndpointAddress[] | undefined, ready: boolean) => {
      for (const a of list ?? []) {
        if (added >= maxPerSubset) break;
        const r = addressToEndpoint(a, ready);
        if (!r) {
          invalid++;
          continue;
        }
        keys.get(r.type)!.endpoints.set(endpointKey(r.ep), r.ep);
        added++;
      }
    };
    add(subset.addresses, true);
    add(subset.notReadyAddresses, false);
    skipped += total - added;
  }
  const events: MirrorEvent[] = [];
  if (invalid > 0) events.push({ reason: "InvalidIPAddress", message: `Skipped ${invalid} invalid IP addresses when mirroring to EndpointSlices` });
  if (skipped > invalid) {
    events.push({ reason: "TooManyAddressesToMirror", message: `A max of ${maxPerSubset} addresses can be mirrored to EndpointSlices per Endpoints subset. ${skipped} addresses were skipped` });
  }

  const existingByKey = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    const k = `${s.addressType}/${portMapKey(s.ports)}`;
    let l = existingByKey.get(k);
    if (!l) existingByKey.set(k, (l = []));
    l.push(s);
  }
  const out: MirrorChanges = { toCreate: [], toUpdate: [], toDelete: [], events, skipped };
  for (const [k, d] of desired) reconcileByPortMapping(ep, existingByKey.get(k) ?? [], d, maxPerSubset, out);
  for (const [k, slices] of existingByKey) if (!desired.has(k)) out.toDelete.push(...slices);
  recycle(out);
  return out;
}

function reconcileByPortMapping(ep: Endpoints, existing: readonly EndpointSlice[], d: Desired, max: number, out: MirrorChanges): void {
  if (d.endpoints.size === 0) {
    out.toDelete.push(...existing);
    return;
  }
  if (existing.length > 0) {
    out.toDelete.push(...existing.slice(1));
    const first = existing[0];
    if (unchanged(first, d.endpoints) && sameMap(ep.metadata.labels, withoutKeys(first.metadata.labels, MANAGED_BY_LABEL, SERVICE_NAME_LABEL)) && sameMap(mirroredAnnotations(ep), first.metadata.annotations)) return;
  }
  const slice = newMirroredSlice(ep, d.ports, d.type, existing[0]?.metadata.name ?? "");
  const eps: SliceEndpoint[] = [];
  for (const e of d.endpoints.values()) {
    if (eps.length >= max) break;
    eps.push(e);
  }
  slice.endpoints = eps;
  if (existing.length > 0) {
    // An update keeps the stored object's identity (uid, resourceVersion for the optimistic write).
    slice.metadata = { ...existing[0].metadata, labels: slice.metadata.labels, annotations: slice.metadata.annotations, ownerReferences: slice.metadata.ownerReferences };
    if (slice.metadata.annotations === undefined) delete slice.metadata.annotations;
    out.toUpdate.push(slice);
  } else out.toCreate.push(slice);
}

/** totalChanges is all zero: every stored endpoint is desired, in its desired form, and none is missing. */
function unchanged(s: EndpointSlice, desired: Map<string, SliceEndpoint>): boolean {
  let matches = 0;
  for (const e of s.endpoints ?? []) {
    const got = desired.get(endpointKey(e));
    if (!got || !endpointsEqualBeyondHash(got, e)) return false;
    matches++;
  }
  return matches === desired.size;
}

/** recycleSlices: per address type, the i-th create becomes an update of the i-th delete. */
function recycle(c: MirrorChanges): void {
  for (const t of ADDRESS_TYPES) {
    const creates = c.toCreate.filter((s) => s.addressType === t);
    const deletes = c.toDelete.filter((s) => s.addressType === t);
    for (let i = 0; i < creates.length && i < deletes.length; i++) {
      c.toCreate.splice(c.toCreate.indexOf(creates[i]), 1);
      c.toDelete.splice(c.toDelete.indexOf(deletes[i]), 1);
      const meta = { ...deletes[i].metadata, labels: creates[i].metadata.labels, ownerReferences: creates[i].metadata.ownerReferences };
      if (creates[i].metadata.annotations) meta.annotations = creates[i].metadata.annotations;
      else delete meta.annotations;
      c.toUpdate.push({ ...creates[i], metadata: meta });
    }
  }
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  for (const k of kx) if (y[k] !== x[k]) return false;
  return true;
}

function withoutKeys(m: Record<string, string> | undefined, ...keys: string[]): Record<string, string> {
  const c = { ...(m ?? {}) };
  for (const k of keys) delete c[k];
  return c;
}
