/**
 * What the Service REST storage does around a write (pkg/registry/core/service/storage/storage.go beginCreate,
 * beginUpdate, afterDelete; alloc.go Allocators; strategy.go dropTypeDependentFields), on k8sim's single-stack IPv4
 * cluster: cluster IPs from settings.serviceClusterIPRange (cluster-ip-allocator.ts), node ports and health-check
 * node ports from settings.serviceNodePortRange (node-port-allocator.ts). The API server owns one instance and calls
 * it before validation; a write that fails later gives back what it took (finish(false)), and a deleted Service's
 * addresses and ports are free again once it has left the store (release).
 */
import { apiFailure, type ApiFailure } from "../api-result.js";
import type { AllocationStep, KindAllocator } from "../registry/kind-spec.js";
import { fieldError, invalidMessage, type FieldError } from "../validation/field-errors.js";
import type { Rng } from "../../engine/rng.js";
import type { Settings } from "../../settings.js";
import { ClusterIPAllocator } from "./cluster-ip-allocator.js";
import { NodePortAllocator } from "./node-port-allocator.js";
import type { Service, ServicePort, ServiceSpec } from "./types.js";
import { goStringSlice, isHeadless, needsHealthCheck, validateClusterIPsRelatedFields } from "./validation.js";

/** Seeded stream names of the two allocators (one per pool, so that a Service's ports never shift another's IP). */
export const CLUSTER_IP_STREAM = "apiserver/service-cluster-ip";
export const NODE_PORT_STREAM = "apiserver/service-node-port";

/** "30000-32767" as base and size. */
export function parsePortRange(text: string): { base: number; size: number } {
  const m = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`invalid port range ${JSON.stringify(text)}`);
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  return { base: lo, size: hi - lo + 1 };
}

const needsClusterIP = (s: ServiceSpec) => s.type !== "ExternalName";
const needsNodePort = (s: ServiceSpec) => s.type === "NodePort" || s.type === "LoadBalancer";
/** shouldAllocateNodePorts: NodePort always, LoadBalancer unless allocateLoadBalancerNodePorts is false. */
const shouldAllocateNodePorts = (s: ServiceSpec) => s.type === "NodePort" || (s.type === "LoadBalancer" && s.allocateLoadBalancerNodePorts !== false);
const sameList = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined) => (a?.length ?? 0) === (b?.length ?? 0) && (a ?? []).every((x, i) => x === b![i]);

/** collectServiceNodePorts: the node ports of a Service's ports (0 is none), each once. */
function nodePortsOf(spec: ServiceSpec): number[] {
  const out: number[] = [];
  for (const p of spec.ports ?? []) if (p?.nodePort && !out.includes(p.nodePort)) out.push(p.nodePort);
  return out;
}

/** normalizeClusterIPs: a lone clusterIP becomes clusterIPs on create; on update the two are kept in step. */
export function normalizeClusterIPs(spec: ServiceSpec, old?: ServiceSpec): ServiceSpec {
  const out = { ...spec };
  if (!old) {
    if (out.clusterIP && !(out.clusterIPs?.length ?? 0)) out.clusterIPs = [out.clusterIP];
    return out;
  }
  if ((old.clusterIPs?.length ?? 0) > 0 && !(out.clusterIPs?.length ?? 0) && (old.clusterIP ?? "") === (out.clusterIP ?? "")) out.clusterIPs = old.clusterIPs;
  if ((old.clusterIP ?? "") !== (out.clusterIP ?? "")) {
    if (old.clusterIP && !out.clusterIP) {
      if (sameList(old.clusterIPs, out.clusterIPs)) delete out.clusterIPs;
    } else if (sameList(old.clusterIPs, out.clusterIPs)) out.clusterIPs = [out.clusterIP!];
  }
  return out;
}

/**
 * patchAllocatedValues: a client that resubmits its manifest without the values the server allocated keeps them
 * (cluster IPs, node ports by port name unless another port now uses them, the health-check node port).
 */
export function patchAllocatedValues(spec: ServiceSpec, old: ServiceSpec): ServiceSpec {
  const out = { ...spec };
  if (needsClusterIP(old) && needsClusterIP(out)) {
    if (!out.clusterIP && old.clusterIP) out.clusterIP = old.clusterIP;
    if (!(out.clusterIPs?.length ?? 0) && (old.clusterIPs?.length ?? 0) > 0) out.clusterIPs = old.clusterIPs;
  }
  if (needsNodePort(old) && needsNodePort(out) && out.ports) {
    const used = new Set(nodePortsOf(old).filter((n) => nodePortsOf(out).includes(n)));
    const byName = new Map<string, number>();
    for (const p of old.ports ?? []) byName.set(p.name ?? "", p.nodePort ?? 0);
    out.ports = out.ports.map((p) => {
      if (p.nodePort) return p;
      const was = byName.get(p.name ?? "") ?? 0;
      return was && !used.has(was) ? { ...p, nodePort: was } : p;
    });
  }
  if (needsHealthCheck(old) && needsHealthCheck(out) && !out.healthCheckNodePort && old.healthCheckNodePort) out.healthCheckNodePort = old.healthCheckNodePort;
  return out;
}

/**
 * dropTypeDependentFields (strategy.go PrepareForUpdate): on a type change, the fields the old type needed and the
 * new one does not are wiped when the client left them as they were (cluster IPs and IP families for
 * ExternalName, node ports, the health-check node port, allocateLoadBalancerNodePorts, loadBalancerClass,
 * internalTrafficPolicy, externalTrafficPolicy); a Service that is no LoadBalancer has no load-balancer status.
 */
export function dropTypeDependentFields(svc: Service, old: Service): Service {
  const spec: ServiceSpec = { ...svc.spec };
  const was = old.spec;
  if (needsClusterIP(was) && !needsClusterIP(spec)) {
    if ((was.clusterIP ?? "") === (spec.clusterIP ?? "") && sameList(was.clusterIPs, spec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(was.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if (was.ipFamilyPolicy === spec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(was) && !needsNodePort(spec) && spec.ports && sameList(nodePortsOfAll(was), nodePortsOfAll(spec))) {
    spec.ports = spec.ports.map((p) => (p.nodePort ? withoutNodePort(p) : p));
  }
  if (needsHealthCheck(was) && !needsHealthCheck(spec) && was.healthCheckNodePort === spec.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (was.type === "LoadBalancer" && spec.type !== "LoadBalancer") {
    if (spec.allocateLoadBalancerNodePorts !== undefined && was.allocateLoadBalancerNodePorts === spec.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (was.loadBalancerClass === spec.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (was.type !== "ExternalName" && spec.type === "ExternalName" && was.internalTrafficPolicy === spec.internalTrafficPolicy) delete spec.internalTrafficPolicy;
  const accessible = (s: ServiceSpec) => s.type === "NodePort" || s.type === "LoadBalancer" || (s.externalIPs?.length ?? 0) > 0;
  if (accessible(was) && !accessible(spec) && was.externalTrafficPolicy === spec.externalTrafficPolicy) delete spec.externalTrafficPolicy;
  const out: Service = { ...svc, spec };
  if (spec.type !== "LoadBalancer" && svc.status?.loadBalancer && Object.keys(svc.status.loadBalancer).length > 0) out.status = { ...svc.status, loadBalancer: {} };
  return out;
}

/** Every port's nodePort in order, 0 for none (sameNodePorts compares them position by position). */
function nodePortsOfAll(spec: ServiceSpec): number[] {
  return (spec.ports ?? []).map((p) => p?.nodePort ?? 0);
}

function withoutNodePort(p: ServicePort): ServicePort {
  const { nodePort: _drop, ...rest } = p;
  return rest;
}

/** The failures allocation produces: 422 Invalid (a field), 500 InternalError (a pool is full). */
function invalid(name: string, errs: FieldError[]): ApiFailure {
  return { ...apiFailure(422, "Invalid", invalidMessage("Service", name, errs)), details: { kind: "Service", name, causes: errs } };
}
function internal(text: string): ApiFailure {
  return apiFailure(500, "InternalError", `Internal error occurred: ${text}`);
}

/** True for the failure side of an allocation step's parts (a spec never carries ok: false). */
function isFail<T>(x: T | ApiFailure): x is ApiFailure {
  return (x as { ok?: unknown }).ok === false;
}

/** The work of one write: what it took (given back on failure) and what it gives up (freed on success). */
class Txn {
  readonly ips: string[] = [];
  readonly ports: number[] = [];
  readonly releaseIPs: string[] = [];
  readonly releasePorts: number[] = [];
}

/**
 * The API server's Service allocators (storage/alloc.go Allocators with the Service REST's hooks). Every decision
 * is upstream's; the only state is the two bitmaps.
 */
export class ServiceAllocations implements KindAllocator<Service> {
  readonly clusterIPs: ClusterIPAllocator;
  readonly nodePorts: NodePortAllocator;

  constructor(settings: Pick<Settings, "serviceClusterIPRange" | "serviceNodePortRange">, stream: (name: string) => Rng) {
    this.clusterIPs = new ClusterIPAllocator(stream(CLUSTER_IP_STREAM), settings.serviceClusterIPRange);
    const r = parsePortRange(settings.serviceNodePortRange);
    this.nodePorts = new NodePortAllocator(stream(NODE_PORT_STREAM), r.base, r.size);
  }

  /** beginCreate: normalizeClusterIPs, then allocateCreate (IP families, cluster IPs, node ports, health check). */
  beginCreate(svc: Service): AllocationStep<Service> {
    const txn = new Txn();
    const name = svc.metadata.name;
    const families = this.initIPFamilyFields(normalizeClusterIPs(svc.spec ?? {}), undefined, name);
    if (isFail(families)) return families;
    let spec = families;
    const ips = this.allocClusterIPs(spec, txn, name);
    if (isFail(ips)) return this.fail(txn, ips);
    spec = ips;
    if (needsNodePort(spec)) {
      const ports = this.initNodePorts(spec, txn, name);
      if (isFail(ports)) return this.fail(txn, ports);
      spec = ports;
    }
    if (needsHealthCheck(spec)) {
      const hc = this.allocHealthCheckNodePort(spec, txn);
      if (isFail(hc)) return this.fail(txn, hc);
      spec = hc;
    }
    return this.step({ ...svc, spec }, txn);
  }

  /** beginUpdate with PrepareForUpdate's dropTypeDependentFields: patch, normalize, allocate the differences. */
  beginUpdate(svc: Service, old: Service): AllocationStep<Service> {
    const txn = new Txn();
    const name = svc.metadata.name;
    const dropped = dropTypeDependentFields(svc, old);
    const was = old.spec;
    const families = this.initIPFamilyFields(normalizeClusterIPs(patchAllocatedValues(dropped.spec ?? {}, was), was), was, name);
    if (isFail(families)) return families;
    let spec = families;
    // updateClusterIPs: from ExternalName, allocate; to ExternalName, give back (headless held none).
    if (was.type === "ExternalName" && spec.type !== "ExternalName") {
      const ips = this.allocClusterIPs(spec, txn, name);
      if (isFail(ips)) return this.fail(txn, ips);
      spec = ips;
    } else if (!isHeadless(was) && was.type !== "ExternalName" && spec.type === "ExternalName") {
      for (const ip of was.clusterIPs ?? []) txn.releaseIPs.push(ip);
    }
    // txnUpdateNodePorts.
    if (needsNodePort(was) && (spec.type === "ExternalName" || spec.type === "ClusterIP")) txn.releasePorts.push(...nodePortsOf(was));
    if (needsNodePort(spec)) {
      const ports = this.updateNodePorts(spec, was, txn, name);
      if (isFail(ports)) return this.fail(txn, ports);
      spec = ports;
    }
    // updateHealthCheckNodePort.
    if (!needsHealthCheck(was) && needsHealthCheck(spec)) {
      const hc = this.allocHealthCheckNodePort(spec, txn);
      if (isFail(hc)) return this.fail(txn, hc);
      spec = hc;
    } else if (needsHealthCheck(was) && !needsHealthCheck(spec) && was.healthCheckNodePort) {
      txn.releasePorts.push(was.healthCheckNodePort);
    }
    return this.step({ ...dropped, spec }, txn);
  }

  /** releaseAllocatedResources (afterDelete): cluster IPs, node ports and the health-check node port. */
  release(svc: Service): void {
    const spec = svc.spec ?? {};
    if (needsClusterIP(spec)) for (const ip of spec.clusterIPs ?? []) if (ip !== "None") this.clusterIPs.release(ip);
    for (const p of nodePortsOf(spec)) this.nodePorts.release(p);
    if (needsHealthCheck(spec) && spec.healthCheckNodePort) this.nodePorts.release(spec.healthCheckNodePort);
  }

  private step(object: Service, txn: Txn): AllocationStep<Service> {
    return {
      ok: true,
      object,
      finish: (success) => {
        if (success) {
          for (const ip of txn.releaseIPs) this.clusterIPs.release(ip);
          for (const p of txn.releasePorts) this.nodePorts.release(p);
        } else this.revert(txn);
      },
    };
  }

  private revert(txn: Txn): void {
    for (const ip of txn.ips) this.clusterIPs.release(ip);
    for (const p of txn.ports) this.nodePorts.release(p);
  }

  private fail<F>(txn: Txn, failure: F): F {
    this.revert(txn);
    return failure;
  }

  /**
   * initIPFamilyFields on a single-stack IPv4 range: ipFamilyPolicy (the old one, else RequireDualStack for a
   * headless Service without selector, else SingleStack), ValidateServiceClusterIPsRelatedFields, the SingleStack
   * checks, families inferred from the cluster IPs given (IPv6 is not configured here), the headless-selectorless
   * special case ([IPv4, IPv6] unless SingleStack), and the dual-stack refusals.
   */
  private initIPFamilyFields(spec: ServiceSpec, old: ServiceSpec | undefined, name: string): ServiceSpec | ApiFailure {
    if (spec.type === "ExternalName") return spec;
    const out: ServiceSpec = { ...spec };
    const headlessSelectorless = out.clusterIP === "None" && Object.keys(out.selector ?? {}).length === 0;
    if (out.ipFamilyPolicy === undefined) out.ipFamilyPolicy = old?.ipFamilyPolicy ?? (headlessSelectorless ? "RequireDualStack" : "SingleStack");
    const pre = validateClusterIPsRelatedFields(out);
    if (pre.length > 0) return invalid(name, pre);
    const errs: FieldError[] = [];
    if (out.ipFamilyPolicy === "SingleStack") {
      if (out.clusterIPs?.length === 2) errs.push(fieldError.invalid(["spec", "ipFamilyPolicy"], out.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
      if (out.ipFamilies?.length === 2) errs.push(fieldError.invalid(["spec", "ipFamilyPolicy"], out.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
    const families = [...(out.ipFamilies ?? [])];
    const ips = out.clusterIPs ?? [];
    for (let i = 0; i < ips.length && ips[i] !== "None"; i++) {
      if (i < families.length) continue;
      const fam = ips[i].includes(":") ? "IPv6" : "IPv4";
      if (fam === "IPv6") errs.push({ ...fieldError.invalid(["spec", "clusterIPs", i], ips, "IPv6 is not configured on this cluster"), valueText: goStringSlice(ips) });
      else families.push(fam);
    }
    if (errs.length > 0) return invalid(name, errs);
    if (headlessSelectorless) {
      if (families.length === 0) families.push("IPv4");
      if (families.length < 2 && out.ipFamilyPolicy !== "SingleStack") families.push(families[0] === "IPv4" ? "IPv6" : "IPv4");
      out.ipFamilies = families;
      return out;
    }
    if (out.ipFamilyPolicy === "RequireDualStack") errs.push(fieldError.invalid(["spec", "ipFamilyPolicy"], out.ipFamilyPolicy, "this cluster is not configured for dual-stack services"));
    families.forEach((f, i) => {
      if (f !== "IPv4") errs.push(fieldError.invalid(["spec", "ipFamilies", i], f, "not configured on this cluster"));
    });
    if (errs.length > 0) return invalid(name, errs);
    if (families.length === 0) families.push("IPv4");
    out.ipFamilies = families;
    return out;
  }

  /** allocClusterIPs: none for ExternalName or headless; the one IPv4 address, asked for or the next free one. */
  private allocClusterIPs(spec: ServiceSpec, txn: Txn, name: string): ServiceSpec | ApiFailure {
    if (!needsClusterIP(spec) || spec.clusterIPs?.[0] === "None") return spec;
    const asked = spec.clusterIPs?.[0] ?? "";
    if (asked === "") {
      const r = this.clusterIPs.allocateNext();
      if (!r.ok) return internal(`failed to allocate a serviceIP: ${r.detail}`);
      txn.ips.push(r.ip);
      return { ...spec, clusterIP: r.ip, clusterIPs: [r.ip] };
    }
    const r = this.clusterIPs.allocate(asked);
    if (!r.ok) {
      const ips = spec.clusterIPs!;
      return invalid(name, [{ ...fieldError.invalid(["spec", "clusterIPs"], ips, `failed to allocate IP ${asked}: ${r.detail}`), valueText: goStringSlice(ips) }]);
    }
    txn.ips.push(r.ip);
    return { ...spec, clusterIP: r.ip, clusterIPs: [r.ip, ...(spec.clusterIPs?.slice(1) ?? [])] };
  }

  /** initNodePorts: ports of the same number share one node port; a named one is taken, else the next free one. */
  private initNodePorts(spec: ServiceSpec, txn: Txn, name: string): ServiceSpec | ApiFailure {
    const ports = (spec.ports ?? []).map((p) => ({ ...p }));
    const byPort = new Map<number, number>();
    for (let i = 0; i < ports.length; i++) {
      const sp = ports[i];
      if (!sp.nodePort && !shouldAllocateNodePorts(spec)) continue;
      const allocated = byPort.get(sp.port) ?? 0;
      if (allocated === 0) {
        // findRequestedNodePort: the first port of this number, from here on, that names a node port.
        const np = ports.slice(i).find((p) => p.port === sp.port && p.nodePort)?.nodePort ?? 0;
        if (np) {
          const r = this.nodePorts.allocate(np);
          if (!r.ok) return invalid(name, [fieldError.invalid(["spec", "ports", i, "nodePort"], np, r.detail)]);
          txn.ports.push(np);
          sp.nodePort = np;
        } else {
          const r = this.nodePorts.allocateNext();
          if (!r.ok) return internal(`failed to allocate a nodePort: ${r.detail}`);
          txn.ports.push(r.port);
          sp.nodePort = r.port;
        }
        byPort.set(sp.port, sp.nodePort);
      } else if (sp.nodePort !== allocated) {
        if (!sp.nodePort) sp.nodePort = allocated;
        else {
          const r = this.nodePorts.allocate(sp.nodePort);
          if (!r.ok) return invalid(name, [fieldError.invalid(["spec", "ports", i, "nodePort"], sp.nodePort, r.detail)]);
          txn.ports.push(sp.nodePort);
        }
      }
    }
    return { ...spec, ports };
  }

  /** updateNodePorts: new node ports are taken (asked for or next), the old ones no port keeps are given up. */
  private updateNodePorts(spec: ServiceSpec, was: ServiceSpec, txn: Txn, name: string): ServiceSpec | ApiFailure {
    const oldPorts = nodePortsOf(was);
    const taken = new Set<number>();
    const ports = (spec.ports ?? []).map((p) => ({ ...p }));
    for (let i = 0; i < ports.length; i++) {
      const sp = ports[i];
      if (!sp.nodePort && !shouldAllocateNodePorts(spec)) continue;
      if (sp.nodePort) {
        if (!oldPorts.includes(sp.nodePort) && !taken.has(sp.nodePort)) {
          const r = this.nodePorts.allocate(sp.nodePort);
          if (!r.ok) return invalid(name, [fieldError.invalid(["spec", "ports", i, "nodePort"], sp.nodePort, r.detail)]);
          txn.ports.push(sp.nodePort);
          taken.add(sp.nodePort);
        }
      } else {
        const r = this.nodePorts.allocateNext();
        if (!r.ok) return internal(`failed to allocate a nodePort: ${r.detail}`);
        txn.ports.push(r.port);
        sp.nodePort = r.port;
      }
    }
    const kept = nodePortsOf({ ...spec, ports });
    for (const p of oldPorts) if (!kept.includes(p)) txn.releasePorts.push(p);
    return { ...spec, ports };
  }

  /** allocHealthCheckNodePort: the port asked for, or the next free one (both refusals are internal errors upstream). */
  private allocHealthCheckNodePort(spec: ServiceSpec, txn: Txn): ServiceSpec | ApiFailure {
    const asked = spec.healthCheckNodePort ?? 0;
    if (asked) {
      const r = this.nodePorts.allocate(asked);
      if (!r.ok) return internal(`failed to allocate requested HealthCheck NodePort ${asked}: ${r.detail}`);
      txn.ports.push(asked);
      return spec;
    }
    const r = this.nodePorts.allocateNext();
    if (!r.ok) return internal(`failed to allocate a HealthCheck NodePort 0: ${r.detail}`);
    txn.ports.push(r.port);
    return { ...spec, healthCheckNodePort: r.port };
  }
}

/**
 * The allocation refusals of a new Service that depend on no other object: a named node port outside
 * --service-node-port-range, a named cluster IP outside --service-cluster-ip-range (or the range's network or
 * broadcast address), with the field errors the API server's create reports. For the scenario loader, which
 * validates manifests without an API server (conflicts between manifests are the API server's to report).
 */
export function staticAllocationErrors(svc: Service, settings: Pick<Settings, "serviceClusterIPRange" | "serviceNodePortRange">): FieldError[] {
  const errs: FieldError[] = [];
  const spec = normalizeClusterIPs(svc.spec ?? {});
  const probe = new ServiceAllocations(settings, () => () => 0);
  const asked = spec.clusterIPs?.[0];
  if (needsClusterIP(spec) && asked && asked !== "None") {
    const r = probe.clusterIPs.allocate(asked);
    // The address the kubernetes Service holds is a conflict, not a range error: only out-of-range is reported.
    if (!r.ok) errs.push({ ...fieldError.invalid(["spec", "clusterIPs"], spec.clusterIPs, `failed to allocate IP ${asked}: ${r.detail}`), valueText: goStringSlice(spec.clusterIPs), pointer: ["spec", "clusterIP"] });
  }
  if (needsNodePort(spec)) {
    (spec.ports ?? []).forEach((p, i) => {
      if (!p?.nodePort) return;
      const base = probe.nodePorts.base;
      if (p.nodePort < base || p.nodePort >= base + probe.nodePorts.size) {
        errs.push(fieldError.invalid(["spec", "ports", i, "nodePort"], p.nodePort, `provided port is not in the valid range. The range of valid ports is ${probe.nodePorts.rangeText}`));
      }
    });
  }
  return errs;
}
