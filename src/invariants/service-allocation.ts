/**
 * The Service allocation invariant (pkg/registry/core/service/storage/alloc.go, ipallocator, portallocator): the API
 * server hands each cluster IP and each node port to one Service at a time, from the configured ranges, and only to
 * the types that get one; the simulated cloud gives load balancer addresses only to LoadBalancer Services, each
 * address to one Service.
 */
import { parseCidr } from "../api/cidr.js";
import type { Service } from "../api/service/types.js";
import type { KubeObject } from "../api/types.js";
import { describe } from "../api/types.js";
import type { Settings } from "../settings.js";
import { Findings, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The service-allocation invariant. */
export const SERVICE_ALLOCATION: InvariantInfo = {
  name: "service-allocation",
  statement:
    "every cluster IP, node port and load balancer address is held by at most one Service, cluster IPs lie in serviceClusterIPRange and node ports in serviceNodePortRange, ExternalName and headless Services have no cluster IP, only NodePort and LoadBalancer Services have node ports and only LoadBalancer Services have ingress addresses",
  when: "every-event",
};

/** What one Service holds: its cluster IPs, node ports and ingress addresses. */
export interface ServiceHoldings {
  ips: string[];
  nodePorts: number[];
  ingress: string[];
}

/** The addresses and ports a stored Service holds. Pure. */
export function holdingsOf(svc: Service): ServiceHoldings {
  const ips = (svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : [])).filter((ip) => ip !== "None" && ip !== "");
  const nodePorts: number[] = [];
  for (const p of svc.spec.ports ?? []) if (p.nodePort !== undefined && p.nodePort !== 0) nodePorts.push(p.nodePort);
  if (svc.spec.healthCheckNodePort) nodePorts.push(svc.spec.healthCheckNodePort);
  const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? "").filter((x) => x !== "");
  return { ips, nodePorts, ingress };
}

/** The rules one Service must keep on its own (ranges, types). Pure; `ipInRange` and `portRange` from the settings. */
export function serviceShapeProblems(svc: Service, ipInRange: (ip: string) => boolean, portRange: readonly [number, number]): string[] {
  const out: string[] = [];
  const h = holdingsOf(svc);
  const type = svc.spec.type ?? "ClusterIP";
  if (type === "ExternalName" && h.ips.length > 0) out.push(`an ExternalName Service holds cluster IP ${h.ips.join(", ")}`);
  for (const ip of h.ips) if (!ipInRange(ip)) out.push(`cluster IP ${ip} is outside serviceClusterIPRange`);
  if (type !== "NodePort" && type !== "LoadBalancer" && h.nodePorts.length > 0) out.push(`a ${type} Service holds node port(s) ${h.nodePorts.join(", ")}`);
  for (const p of h.nodePorts) if (p < portRange[0] || p > portRange[1]) out.push(`node port ${p} is outside serviceNodePortRange ${portRange[0]}-${portRange[1]}`);
  if (type !== "LoadBalancer" && h.ingress.length > 0) out.push(`a ${type} Service has load balancer ingress ${h.ingress.join(", ")}`);
  return out;
}

function ipv4(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

/** A membership test for `cidr` (false for an address that is not IPv4). */
function inCidr(cidr: string): (ip: string) => boolean {
  const c = parseCidr(cidr);
  if (!c.ok) return () => true;
  const { base, prefix } = c.value;
  const size = 2 ** (32 - prefix);
  return (ip) => {
    const a = ipv4(ip);
    return a !== undefined && a >= base && a < base + size;
  };
}

/** The live check: per-Service shape on every write, and a holder per address / port to catch double allocation. */
function serviceAllocationCheck(settings: Settings, now: () => number): ReturnType<InvariantRegistration["create"]> {
  const found = new Findings();
  const inRange = inCidr(settings.serviceClusterIPRange);
  const [a, b] = settings.serviceNodePortRange.split("-").map(Number);
  const range = [a!, b!] as const;
  const held = new Map<string, string>();
  const mine = new Map<string, string[]>();
  const report = (obj: KubeObject, message: string): void => {
    const v: Violation = { invariant: SERVICE_ALLOCATION.name, time: now(), object: describe(obj), message };
    found.add([v]);
  };
  return {
    watches: ["Service"],
    onWrite(type, obj) {
      const svc = obj as Service;
      const id = describe(obj);
      for (const k of mine.get(id) ?? []) if (held.get(k) === id) held.delete(k);
      mine.delete(id);
      if (type === "DELETED") return;
      for (const p of serviceShapeProblems(svc, inRange, range)) report(obj, p);
      const h = holdingsOf(svc);
      const keys = [...h.ips.map((x) => `ip ${x}`), ...h.nodePorts.map((x) => `node port ${x}`), ...h.ingress.map((x) => `ingress ${x}`)];
      for (const k of keys) {
        const other = held.get(k);
        if (other !== undefined && other !== id) report(obj, `${k} is also held by ${other}`);
        else held.set(k, id);
      }
      mine.set(id, keys);
    },
    afterEvent: () => found.take(),
    finish: () => found.take(),
  };
}

/** service-allocation, attributed to the Service kind and the simulated cloud's load balancer controller. */
export const SERVICE_ALLOCATION_CHECK: InvariantRegistration = {
  ...SERVICE_ALLOCATION,
  owners: [{ kind: "Service" }, { controller: "service-lb-controller" }],
  appliesTo: () => true,
  create: (cluster) => serviceAllocationCheck(cluster.settings, () => cluster.sim.now),
};
