import { describe, expect, it } from "vitest";
import { apiVersionOf, qualifiedKind } from "../src/api/registry/kind-spec.js";
import { isNamespaced, KINDS, kindSpec, mustKindSpec, NAMESPACED_KINDS, resolveResource, resourceNames, servedKind } from "../src/api/registry/registry.js";

/**
 * The kind registry is also the discovery table: each entry's group/version, resource name, short names and scope
 * as `kubectl api-resources` lists them on a real cluster (the kinds' types.go / strategy.go upstream).
 */
describe("KINDS: the discovery table", () => {
  it("lists each simulated kind as kubectl api-resources shows it", () => {
    expect(KINDS.map((k) => [k.plural, k.shortNames.join(","), apiVersionOf(k), k.namespaced, k.kind])).toEqual([
      ["namespaces", "ns", "v1", false, "Namespace"],
      ["nodes", "no", "v1", false, "Node"],
      ["pods", "po", "v1", true, "Pod"],
      ["deployments", "deploy", "apps/v1", true, "Deployment"],
      ["replicasets", "rs", "apps/v1", true, "ReplicaSet"],
      ["jobs", "", "batch/v1", true, "Job"],
      ["cronjobs", "cj", "batch/v1", true, "CronJob"],
      ["configmaps", "cm", "v1", true, "ConfigMap"],
      ["secrets", "", "v1", true, "Secret"],
      ["serviceaccounts", "sa", "v1", true, "ServiceAccount"],
      ["services", "svc", "v1", true, "Service"],
      ["endpoints", "ep", "v1", true, "Endpoints"],
      ["endpointslices", "", "discovery.k8s.io/v1", true, "EndpointSlice"],
      ["resourcequotas", "quota", "v1", true, "ResourceQuota"],
      ["limitranges", "limits", "v1", true, "LimitRange"],
      ["leases", "", "coordination.k8s.io/v1", true, "Lease"],
      ["events", "ev", "v1", true, "Event"],
    ]);
  });

  it("subresources: status for pods, nodes, namespaces, the workloads, Services and quotas; scale for Deployment and ReplicaSet only", () => {
    expect(KINDS.filter((k) => k.statusSubresource).map((k) => k.kind)).toEqual(["Namespace", "Node", "Pod", "Deployment", "ReplicaSet", "Job", "CronJob", "Service", "ResourceQuota"]);
    expect(KINDS.filter((k) => k.scaleSubresource).map((k) => k.kind)).toEqual(["Deployment", "ReplicaSet"]);
    expect(KINDS.filter((k) => k.tracksGeneration).map((k) => k.kind)).toEqual(["Deployment", "ReplicaSet", "Job", "CronJob"]);
  });

  it("garbage collection follows ownership: a Deployment owns ReplicaSets, a ReplicaSet owns Pods, a CronJob Jobs, a Job Pods", () => {
    expect(KINDS.filter((k) => k.dependents.length > 0).map((k) => [k.kind, k.dependents])).toEqual([
      ["Deployment", ["ReplicaSet"]],
      ["ReplicaSet", ["Pod"]],
      ["Job", ["Pod"]],
      ["CronJob", ["Job"]],
    ]);
  });

  it("NAMESPACED_KINDS and isNamespaced agree with the table; an unknown kind is not namespaced", () => {
    expect(NAMESPACED_KINDS).toEqual(["Pod", "Deployment", "ReplicaSet", "Job", "CronJob", "ConfigMap", "Secret", "ServiceAccount", "Service", "Endpoints", "EndpointSlice", "ResourceQuota", "LimitRange", "Lease", "Event"]);
    for (const k of KINDS) expect(isNamespaced(k.kind), k.kind).toBe(k.namespaced);
    expect(isNamespaced("StatefulSet")).toBe(false);
  });

  it("qualifiedKind names kinds as API errors do: Deployment.apps, Lease.coordination.k8s.io, Pod", () => {
    expect(["Deployment", "Lease", "Pod"].map((k) => qualifiedKind(mustKindSpec(k)))).toEqual(["Deployment.apps", "Lease.coordination.k8s.io", "Pod"]);
  });
});

describe("lookups", () => {
  it.each([
    ["deploy", "Deployment"],
    ["deployment", "Deployment"],
    ["deployments", "Deployment"],
    ["Deployment", "Deployment"],
    ["DEPLOYMENTS", "Deployment"],
    ["rs", "ReplicaSet"],
    ["po", "Pod"],
    ["pods", "Pod"],
    ["ns", "Namespace"],
    ["no", "Node"],
    ["ev", "Event"],
    ["lease", "Lease"],
    ["cj", "CronJob"],
    ["cm", "ConfigMap"],
    ["jobs", "Job"],
    ["secret", "Secret"],
    ["svc", "Service"],
    ["ep", "Endpoints"],
    ["endpointslices", "EndpointSlice"],
  ])("resolveResource(%s) is %s (kubectl's case-insensitive kind, singular, plural or short name)", (text, kind) => {
    expect(resolveResource(text)?.kind).toBe(kind);
  });

  it.each(["sts", "statefulset", "deploys", ""])("resolveResource(%o) is undefined", (text) => {
    expect(resolveResource(text)).toBeUndefined();
  });

  it("kindSpec answers undefined for an unsimulated kind; mustKindSpec throws, naming it", () => {
    expect(kindSpec("Deployment")?.plural).toBe("deployments");
    expect(kindSpec("StatefulSet")).toBeUndefined();
    expect(() => mustKindSpec("StatefulSet")).toThrow("kind StatefulSet is not registered");
  });

  it.each([
    ["apps/v1", "Deployment", "Deployment"],
    ["v1", "Pod", "Pod"],
    ["coordination.k8s.io/v1", "Lease", "Lease"],
    ["v1", "Deployment", undefined], // right kind, wrong group
    ["apps/v1beta2", "Deployment", undefined], // no longer served
    ["apps/v1", "StatefulSet", undefined], // not simulated
    ["discovery.k8s.io/v1", "EndpointSlice", "EndpointSlice"],
    ["batch/v1", "CronJob", "CronJob"],
  ])("servedKind(%s, %s) is %s", (apiVersion, kind, expected) => {
    expect(servedKind(apiVersion, kind)?.kind).toBe(expected);
  });

  it("resourceNames lists singular names for messages, filtered", () => {
    expect(resourceNames()).toBe("namespace, node, pod, deployment, replicaset, job, cronjob, configmap, secret, serviceaccount, service, endpoints, endpointslice, resourcequota, limitrange, lease, event");
    expect(resourceNames((k) => k.scaleSubresource)).toBe("deployment, replicaset");
  });
});
