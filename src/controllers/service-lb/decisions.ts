/**
 * The service controller's pure decisions (k8s.io/cloud-provider/controllers/service/controller.go
 * wantsLoadBalancer, needsCleanup, needsUpdate; k8s.io/cloud-provider/service/helpers HasLBFinalizer), and its
 * retry timing (minRetryDelay / maxRetryDelay of its rate-limited queue).
 */
import type { Service } from "../../api/service/types.js";

/** The finalizer the controller puts on a Service before it creates its load balancer (servicehelper.LoadBalancerCleanupFinalizer). */
export const LB_CLEANUP_FINALIZER = "service.kubernetes.io/load-balancer-cleanup";

/** The controller's first and last retry delay after a failed sync (controller.go minRetryDelay 5s, maxRetryDelay 300s), ms. */
export const LB_MIN_RETRY_MS = 5_000;
export const LB_MAX_RETRY_MS = 300_000;

/** The delay before retry number `failures` (1 = first): 5s doubling up to 300s (ItemExponentialFailureRateLimiter). */
export function lbRetryDelay(failures: number): number {
  return Math.min(LB_MIN_RETRY_MS * 2 ** Math.max(0, failures - 1), LB_MAX_RETRY_MS);
}

/** wantsLoadBalancer: type LoadBalancer with no loadBalancerClass (a class means another controller implements it). */
export function wantsLoadBalancer(svc: Service): boolean {
  return svc.spec?.type === "LoadBalancer" && svc.spec.loadBalancerClass === undefined;
}

/** HasLBFinalizer. */
export function hasLBFinalizer(svc: Service): boolean {
  return svc.metadata.finalizers?.includes(LB_CLEANUP_FINALIZER) ?? false;
}

/** needsCleanup: the finalizer is on a Service being deleted or no longer of type LoadBalancer. */
export function needsCleanup(svc: Service): boolean {
  if (!hasLBFinalizer(svc)) return false;
  return svc.metadata.deletionTimestamp !== undefined || svc.spec?.type !== "LoadBalancer";
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** portsEqualForLB: the ports a load balancer forwards (name, protocol, port, nodePort), in order. */
function lbPorts(svc: Service): unknown[] {
  return (svc.spec?.ports ?? []).map((p) => [p.name ?? "", p.protocol ?? "", p.port, p.nodePort ?? 0]);
}

/**
 * needsUpdate: whether a change to a Service concerns its load balancer, and the Normal event upstream records for
 * the change when it has one (reason and message: "Type" "ClusterIP -> LoadBalancer").
 */
export function needsUpdate(old: Service, cur: Service): { update: boolean; event?: { reason: string; message: string } } {
  const was = wantsLoadBalancer(old);
  const wants = wantsLoadBalancer(cur);
  if (!was && !wants) return { update: false };
  if (was !== wants) return { update: true, event: { reason: "Type", message: `${old.spec?.type} -> ${cur.spec?.type}` } };
  const o = old.spec;
  const c = cur.spec;
  if (!same(o.loadBalancerSourceRanges, c.loadBalancerSourceRanges)) {
    return { update: true, event: { reason: "LoadBalancerSourceRanges", message: `[${(o.loadBalancerSourceRanges ?? []).join(" ")}] -> [${(c.loadBalancerSourceRanges ?? []).join(" ")}]` } };
  }
  if (!same(lbPorts(old), lbPorts(cur)) || o.sessionAffinity !== c.sessionAffinity || !same(o.sessionAffinityConfig, c.sessionAffinityConfig)) return { update: true };
  if ((o.loadBalancerIP ?? "") !== (c.loadBalancerIP ?? "")) return { update: true, event: { reason: "LoadbalancerIP", message: `${o.loadBalancerIP ?? ""} -> ${c.loadBalancerIP ?? ""}` } };
  const oe = o.externalIPs ?? [];
  const ce = c.externalIPs ?? [];
  if (oe.length !== ce.length) return { update: true, event: { reason: "ExternalIP", message: `Count: ${oe.length} -> ${ce.length}` } };
  for (let i = 0; i < oe.length; i++) if (oe[i] !== ce[i]) return { update: true, event: { reason: "ExternalIP", message: `Added: ${ce[i]}` } };
  if (!same(old.metadata.annotations, cur.metadata.annotations)) return { update: true };
  if (old.metadata.uid !== cur.metadata.uid) return { update: true, event: { reason: "UID", message: `${old.metadata.uid} -> ${cur.metadata.uid}` } };
  if ((o.externalTrafficPolicy ?? "") !== (c.externalTrafficPolicy ?? "")) {
    return { update: true, event: { reason: "ExternalTrafficPolicy", message: `${o.externalTrafficPolicy ?? ""} -> ${c.externalTrafficPolicy ?? ""}` } };
  }
  if ((o.healthCheckNodePort ?? 0) !== (c.healthCheckNodePort ?? 0)) {
    return { update: true, event: { reason: "HealthCheckNodePort", message: `${o.healthCheckNodePort ?? 0} -> ${c.healthCheckNodePort ?? 0}` } };
  }
  if ((o.ipFamilies?.length ?? 0) !== (c.ipFamilies?.length ?? 0)) {
    return { update: true, event: { reason: "IPFamilies", message: `Count: ${o.ipFamilies?.length ?? 0} -> ${c.ipFamilies?.length ?? 0}` } };
  }
  return { update: false };
}
