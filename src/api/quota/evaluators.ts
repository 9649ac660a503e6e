/**
 * The quota evaluators (pkg/quota/v1/evaluator/core/registry.go NewEvaluators, pods.go, services.go,
 * persistent_volume_claims.go; k8s.io/apiserver/pkg/quota/v1/generic/evaluator.go ObjectCountEvaluator): per kind,
 * which quota resource names it counts, which operations admission charges, what one object uses, and whether it
 * falls under a quota's scopes. Pure.
 */
import type { Quantity } from "../quantity.js";
import { KINDS } from "../registry/registry.js";
import type { Service } from "../service/types.js";
import type { KubeObject, Pod } from "../types.js";
import type { AdmissionOperation } from "../admission/plugin.js";
import { podMatchesScope, podQuotaConstraints, podQuotaUsage, type QuotaScope } from "./pod-usage.js";
import type { ResourceList } from "./quota-check.js";
import type { ResourceQuota } from "./types.js";

/** What an evaluator needs of the clock: now, and the parse of an RFC 3339 timestamp (both epoch ms). */
export interface QuotaClock {
  readonly ms: number;
  parse(t: string): number;
}

/** quota.Evaluator for one kind. */
export interface QuotaEvaluator {
  /** The object kind it evaluates. */
  readonly kind: string;
  /** MatchingResources: the names of `input` this evaluator counts, in input order. */
  matchingResources(input: readonly string[]): string[];
  /** Handles: the admission operations that charge this kind. */
  handles(op: AdmissionOperation): boolean;
  /** Usage: what one object counts. */
  usage(obj: KubeObject, clock: QuotaClock): ResourceList;
  /** The scope function: whether the object falls under one scope requirement. */
  matchesScope(scope: QuotaScope, obj: KubeObject): boolean;
  /** Constraints: the refusal detail when the object lacks what the quota's names require, or undefined. */
  constraints(required: readonly string[], obj: KubeObject): string | undefined;
}

const ONE: Quantity = { nanos: 1_000_000_000n, format: "DecimalSI" };
const ZERO: Quantity = { nanos: 0n, format: "DecimalSI" };

function intersect(input: readonly string[], known: ReadonlySet<string>): string[] {
  return input.filter((n) => known.has(n));
}

/** pods.go podResources plus the hugepages prefixes (extended `requests.<domain>/<name>` names too). */
const POD_RESOURCES: ReadonlySet<string> = new Set([
  "count/pods", "cpu", "memory", "ephemeral-storage", "pods", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
  "limits.cpu", "limits.memory", "limits.ephemeral-storage",
]);

/** The pod evaluator: every resource of pod-usage.ts; charged on CREATE (in-place resize is off by default in 1.32). */
export const podEvaluator: QuotaEvaluator = {
  kind: "Pod",
  matchingResources: (input) =>
    input.filter((n) => POD_RESOURCES.has(n) || n.startsWith("hugepages-") || n.startsWith("requests.hugepages-") || (n.startsWith("requests.") && n.includes("/"))),
  handles: (op) => op === "CREATE",
  usage: (obj, clock) => podQuotaUsage(obj as Pod, clock.ms, (t) => clock.parse(t)),
  matchesScope: (scope, obj) => podMatchesScope(obj as Pod, scope),
  constraints: (required, obj) => podQuotaConstraints(obj as Pod, required),
};

const SERVICE_RESOURCES: ReadonlySet<string> = new Set(["count/services", "services", "services.nodeports", "services.loadbalancers"]);

/**
 * The service evaluator (services.go): `services` and `count/services` 1; `services.loadbalancers` 1 for a
 * LoadBalancer; `services.nodeports` the number of ports of a NodePort or LoadBalancer Service (only the ports with
 * an explicit nodePort when allocateLoadBalancerNodePorts is false). Charged on CREATE and UPDATE (the type can change).
 */
export const serviceEvaluator: QuotaEvaluator = {
  kind: "Service",
  matchingResources: (input) => intersect(input, SERVICE_RESOURCES),
  handles: (op) => op === "CREATE" || op === "UPDATE",
  usage: (obj) => serviceQuotaUsage(obj as Service),
  matchesScope: () => false,
  constraints: () => undefined,
};

/** What one Service counts (services.go Usage). */
export function serviceQuotaUsage(svc: Service): ResourceList {
  const ports = svc.spec?.ports ?? [];
  const count = (n: number): Quantity => ({ nanos: BigInt(n) * ONE.nanos, format: "DecimalSI" });
  let nodePorts = ZERO;
  let lbs = ZERO;
  if (svc.spec?.type === "NodePort") nodePorts = count(ports.length);
  else if (svc.spec?.type === "LoadBalancer") {
    nodePorts = svc.spec.allocateLoadBalancerNodePorts === false ? count(ports.filter((p) => p.nodePort !== undefined && p.nodePort !== 0).length) : count(ports.length);
    lbs = ONE;
  }
  return new Map([
    ["count/services", ONE],
    ["services", ONE],
    ["services.loadbalancers", lbs],
    ["services.nodeports", nodePorts],
  ]);
}

const PVC_RESOURCES: ReadonlySet<string> = new Set(["persistentvolumeclaims", "count/persistentvolumeclaims", "requests.storage"]);

/**
 * The PersistentVolumeClaim evaluator (persistent_volume_claims.go): its names are tracked, per storage class too.
 * NOTE: k8sim has no PersistentVolumeClaim kind, so nothing is ever charged: these names always count 0.
 */
export const pvcEvaluator: QuotaEvaluator = {
  kind: "PersistentVolumeClaim",
  matchingResources: (input) =>
    input.filter((n) => PVC_RESOURCES.has(n) || n.endsWith(".storageclass.storage.k8s.io/requests.storage") || n.endsWith(".storageclass.storage.k8s.io/persistentvolumeclaims")),
  handles: (op) => op === "CREATE" || op === "UPDATE",
  usage: () => new Map(),
  matchesScope: () => false,
  constraints: () => undefined,
};

/** legacyObjectCountAliases: the kinds also counted under an unprefixed name. */
const LEGACY_ALIASES: Readonly<Record<string, string>> = { ConfigMap: "configmaps", Secret: "secrets", ResourceQuota: "resourcequotas" };

/**
 * generic.NewObjectCountEvaluator: `count/<resource>.<group>` (`count/configmaps`, `count/deployments.apps`) and the
 * legacy alias, 1 per object, charged on CREATE; no scope matches it (MatchesNoScopeFunc).
 */
export function objectCountEvaluator(kind: string, resource: string, alias?: string): QuotaEvaluator {
  const name = `count/${resource}`;
  const names = new Set(alias ? [name, alias] : [name]);
  const usage: ResourceList = new Map([...names].map((n) => [n, ONE]));
  return {
    kind,
    matchingResources: (input) => intersect(input, names),
    handles: (op) => op === "CREATE",
    usage: () => usage,
    matchesScope: () => false,
    constraints: () => undefined,
  };
}

/** The evaluators of every registered namespaced kind, in registry order, then the PVC evaluator. */
export const QUOTA_EVALUATORS: readonly QuotaEvaluator[] = [
  ...KINDS.filter((k) => k.namespaced).map((k) =>
    k.kind === "Pod" ? podEvaluator : k.kind === "Service" ? serviceEvaluator : objectCountEvaluator(k.kind, k.group ? `${k.plural}.${k.group}` : k.plural, LEGACY_ALIASES[k.kind]),
  ),
  pvcEvaluator,
];

const byKind = new Map(QUOTA_EVALUATORS.map((e) => [e.kind, e]));

/** The evaluator of a kind (every registered namespaced kind has one), or undefined. */
export function evaluatorFor(kind: string): QuotaEvaluator | undefined {
  return byKind.get(kind);
}

/** getScopeSelectorsFromQuota: each of spec.scopes as an Exists requirement, then scopeSelector's expressions. */
export function quotaScopes(quota: ResourceQuota): QuotaScope[] {
  const out: QuotaScope[] = (quota.spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: "Exists" }));
  for (const e of quota.spec?.scopeSelector?.matchExpressions ?? []) out.push(e);
  return out;
}

/** Whether an object falls under every scope requirement of the quota (no scope: it does). */
export function matchesQuotaScopes(ev: QuotaEvaluator, scopes: readonly QuotaScope[], obj: KubeObject): boolean {
  for (const s of scopes) if (!ev.matchesScope(s, obj)) return false;
  return true;
}
