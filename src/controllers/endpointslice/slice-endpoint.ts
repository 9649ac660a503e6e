/**
 * One pod as an EndpointSlice endpoint, and the keys the reconcilers group and match endpoints by
 * (staging/src/k8s.io/endpointslice/utils.go podToEndpoint, getEndpointPorts; util/endpointset.go hashEndpoint;
 * util/controller_utils.go NewPortMapKey, EndpointsEqualBeyondHash).
 */
import { isPodReady } from "../../api/pod-util.js";
import type { Pod } from "../../api/types.js";
import type { Service, SliceEndpoint, SlicePort } from "../../api/service/types.js";
import { findPort, podIPs, shouldSetHostname } from "../endpoint/pod-endpoints.js";

/** Node label holding the zone (v1.LabelTopologyZone). */
export const ZONE_LABEL = "topology.kubernetes.io/zone";

/**
 * podToEndpoint: serving = the pod is Ready; terminating = it has a deletionTimestamp; ready = serving and not
 * terminating, or always with publishNotReadyAddresses. nodeName when bound, zone from the node's
 * topology.kubernetes.io/zone label, hostname when ShouldSetHostname.
 */
export function podToEndpoint(pod: Pod, zone: string | undefined, svc: Service): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const ready = svc.spec.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: SliceEndpoint = {
    addresses: [...podIPs(pod)],
    conditions: { ready, serving, terminating },
    targetRef: { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  if (zone) ep.zone = zone;
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname as string;
  return ep;
}

/**
 * getEndpointPorts: one port per service port the pod offers (named targetPorts resolved with FindPort; a port the
 * pod lacks is left out), each with the service port's name ("" when unnamed), protocol and appProtocol. A headless
 * Service without ports has none.
 */
export function getEndpointPorts(svc: Service, pod: Pod): SlicePort[] {
  const out: SlicePort[] = [];
  const ports = svc.spec.ports ?? [];
  if (ports.length === 0 && svc.spec.clusterIP === "None") return out;
  for (const sp of ports) {
    const num = findPort(pod, sp);
    if (num === undefined) continue;
    const p: SlicePort = { name: sp.name ?? "", port: num, protocol: sp.protocol ?? "TCP" };
    if (sp.appProtocol !== undefined) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

/**
 * NewPortMapKey: the identity of a port set, order-insensitive. NOTE: upstream hashes a spew dump of the sorted
 * ports with FNV-128; k8sim joins the sorted fields, which groups exactly the same sets.
 */
export function portMapKey(ports: readonly SlicePort[] | null | undefined): string {
  if (!ports || ports.length === 0) return "";
  const parts = ports.map((p) => `${p.name ?? ""}\u0001${p.port ?? ""}\u0001${p.protocol ?? ""}\u0001${p.appProtocol ?? ""}`);
  parts.sort();
  return parts.join("\u0002");
}

/** hashEndpoint: an endpoint's identity in a set: sorted addresses, hostname, targetRef namespace and name. */
export function endpointKey(ep: SliceEndpoint): string {
  const addrs = ep.addresses.length > 1 ? [...ep.addresses].sort() : ep.addresses;
  return `${addrs.join(",")}\u0000${ep.hostname ?? ""}\u0000${ep.targetRef?.namespace ?? ""}\u0000${ep.targetRef?.name ?? ""}`;
}

/**
 * EndpointsEqualBeyondHash: equal node, zone, the three conditions and targetRef (its resourceVersion ignored).
 * Hints are not compared: the traffic distribution step reconciles them.
 */
export function endpointsEqualBeyondHash(a: SliceEndpoint, b: SliceEndpoint): boolean {
  if (a.nodeName !== b.nodeName || a.zone !== b.zone) return false;
  if (a.conditions.ready !== b.conditions.ready || a.conditions.serving !== b.conditions.serving || a.conditions.terminating !== b.conditions.terminating) return false;
  const x = a.targetRef;
  const y = b.targetRef;
  if (x === y) return true;
  if (!x || !y) return false;
  return x.kind === y.kind && x.namespace === y.namespace && x.name === y.name && x.uid === y.uid;
}
