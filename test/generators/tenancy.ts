/**
 * Generated Services, ResourceQuotas and LimitRanges (issue 9): a Service in front of some workloads, of every type
 * (ClusterIP, NodePort with a chosen or an allocated port, LoadBalancer, headless), targeting a numeric port, a
 * named port some pods lack, or nothing at all (a Service selecting no pod is valid); and, in the generated
 * namespace, a quota tight or loose (so creates are refused with 403 now and then) with a LimitRange whose defaults
 * let pods without requests pass the quota's "must specify" check, or without one.
 */
import fc from "fast-check";
import type { Manifest } from "./workloads.js";

/** What fronts one workload. */
export interface GenService {
  type: "ClusterIP" | "NodePort" | "LoadBalancer" | "Headless";
  /** A fixed nodePort (NodePort only): two Services asking the same one make the second refused. */
  nodePort?: number;
  targetPort: number | string;
  publishNotReadyAddresses: boolean;
  /** Select nothing (a label no pod has). */
  selectsNothing: boolean;
}

export const serviceArb: fc.Arbitrary<GenService> = fc.record({
  type: fc.constantFrom("ClusterIP", "ClusterIP", "NodePort", "LoadBalancer", "Headless"),
  nodePort: fc.option(fc.constantFrom(30080, 30081, 32767), { nil: undefined }),
  targetPort: fc.constantFrom<number | string>(8080, 80, "http"),
  publishNotReadyAddresses: fc.boolean(),
  selectsNothing: fc.constantFrom(false, false, false, true),
});

/** The namespace's quota and limit range. */
export interface GenTenancy {
  quota?: { pods: string; cpu: string; deployments: string; services: string };
  limitRange: boolean;
}

export const tenancyArb: fc.Arbitrary<GenTenancy> = fc.record({
  quota: fc.option(
    fc.record({
      pods: fc.constantFrom("2", "5", "50"),
      cpu: fc.constantFrom("500m", "4", "100"),
      deployments: fc.constantFrom("1", "10"),
      services: fc.constantFrom("1", "10"),
    }),
    { nil: undefined },
  ),
  limitRange: fc.boolean(),
});

/** The Service manifest fronting the workload `app` (its pods carry label app=<app>). */
export function serviceManifest(s: GenService, name: string, app: string, namespace: string | undefined): Manifest {
  const port: Record<string, unknown> = { name: "web", port: 80, targetPort: s.targetPort };
  if (s.type === "NodePort" && s.nodePort !== undefined) port.nodePort = s.nodePort;
  const spec: Record<string, unknown> = { selector: { app: s.selectsNothing ? `${app}-nobody` : app }, ports: [port] };
  if (s.type === "Headless") spec.clusterIP = "None";
  else if (s.type !== "ClusterIP") spec.type = s.type;
  if (s.publishNotReadyAddresses) spec.publishNotReadyAddresses = true;
  return { apiVersion: "v1", kind: "Service", metadata: { name, ...(namespace ? { namespace } : {}) }, spec };
}

/** The ResourceQuota and LimitRange manifests of the namespace (none when the draw has neither). */
export function tenancyManifests(t: GenTenancy, namespace: string): Manifest[] {
  const out: Manifest[] = [];
  if (t.quota) {
    out.push({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "quota", namespace },
      spec: { hard: { pods: t.quota.pods, "requests.cpu": t.quota.cpu, "count/deployments.apps": t.quota.deployments, services: t.quota.services } },
    });
  }
  if (t.limitRange) {
    out.push({
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "defaults", namespace },
      spec: { limits: [{ type: "Container", defaultRequest: { cpu: "100m", memory: "64Mi" }, default: { cpu: "500m", memory: "256Mi" } }] },
    });
  }
  return out;
}
