/**
 * Defaulting of core/v1 Service, Endpoints and discovery.k8s.io/v1 EndpointSlice as the API server decodes them
 * (pkg/apis/core/v1/defaults.go SetDefaults_Service, SetDefaults_Endpoints; pkg/apis/discovery/v1/defaults.go
 * SetDefaults_EndpointPort). The IP-family fields the Service REST layer fills in (ipFamilyPolicy, ipFamilies) are set
 * where upstream sets them, at allocation (allocations.ts initIPFamilyFields). Every function returns a new object
 * and never mutates its argument.
 */
import type { Endpoints, EndpointSlice, Service, ServicePort, ServiceSpec } from "./types.js";

/** v1.DefaultClientIPServiceAffinitySeconds: 3 hours. */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

/** ExternallyAccessible (pkg/api/v1/service/util.go): NodePort, LoadBalancer, or ClusterIP with externalIPs. */
export function externallyAccessible(spec: ServiceSpec): boolean {
  return spec.type === "LoadBalancer" || spec.type === "NodePort" || (spec.type === "ClusterIP" && (spec.externalIPs?.length ?? 0) > 0);
}

/** SetDefaults_ServicePort (the loop in SetDefaults_Service): protocol TCP, targetPort = port when 0 or "". */
export function defaultServicePort(p: ServicePort): ServicePort {
  const needsProtocol = !p.protocol;
  const needsTarget = p.targetPort === undefined || p.targetPort === 0 || p.targetPort === "";
  if (!needsProtocol && !needsTarget) return p;
  const out: ServicePort = { ...p };
  if (needsProtocol) out.protocol = "TCP";
  if (needsTarget) out.targetPort = p.port;
  return out;
}

/**
 * SetDefaults_Service: sessionAffinity None (and no sessionAffinityConfig with None; ClientIP gets timeoutSeconds
 * 10800 when unset), type ClusterIP, each port defaulted, externalTrafficPolicy Cluster when externally accessible,
 * internalTrafficPolicy Cluster for every type but ExternalName, allocateLoadBalancerNodePorts true for
 * LoadBalancer, ipMode VIP on a LoadBalancer's ingress IPs without one (LoadBalancerIPMode, GA in 1.32).
 * The cluster-IP conversion (clusterIPs from a lone clusterIP) is normalizeClusterIPs, done where upstream does it:
 * at allocation (allocations.ts).
 */
export function defaultService(svc: Service): Service {
  const spec: ServiceSpec = { ...(svc.spec ?? {}) };
  if (!spec.sessionAffinity) spec.sessionAffinity = "None";
  if (spec.sessionAffinity === "None") delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === "ClientIP" && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  if (!spec.type) spec.type = "ClusterIP";
  if (Array.isArray(spec.ports)) spec.ports = spec.ports.map((p) => (p !== null && typeof p === "object" ? defaultServicePort(p) : p));
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = "Cluster";
  if (spec.internalTrafficPolicy === undefined && (spec.type === "NodePort" || spec.type === "LoadBalancer" || spec.type === "ClusterIP")) {
    spec.internalTrafficPolicy = "Cluster";
  }
  if (spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  let status = svc.status;
  const ingress = status?.loadBalancer?.ingress;
  if (spec.type === "LoadBalancer" && ingress?.some((i) => i.ip && !i.ipMode)) {
    status = { ...status, loadBalancer: { ...status!.loadBalancer, ingress: ingress.map((i) => (i.ip && !i.ipMode ? { ...i, ipMode: "VIP" as const } : i)) } };
  }
  const out: Service = { ...svc, spec };
  if (status !== undefined) out.status = status;
  return out;
}

/** SetDefaults_Endpoints: every subset port's protocol defaults to TCP. */
export function defaultEndpoints(ep: Endpoints): Endpoints {
  if (!Array.isArray(ep.subsets) || !ep.subsets.some((s) => s?.ports?.some((p) => p && !p.protocol))) return ep;
  return { ...ep, subsets: ep.subsets.map((s) => (s?.ports ? { ...s, ports: s.ports.map((p) => (p && !p.protocol ? { ...p, protocol: "TCP" as const } : p)) } : s)) };
}

/** SetDefaults_EndpointPort (discovery/v1): a nil name becomes "", a nil protocol TCP. */
export function defaultEndpointSlice(slice: EndpointSlice): EndpointSlice {
  if (!Array.isArray(slice.ports) || !slice.ports.some((p) => p && (p.name === undefined || !p.protocol))) return slice;
  return { ...slice, ports: slice.ports.map((p) => (p && (p.name === undefined || !p.protocol) ? { ...p, name: p.name ?? "", protocol: p.protocol ?? "TCP" } : p)) };
}
