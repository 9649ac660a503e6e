/**
 * What a pod counts against a ResourceQuota (pkg/quota/v1/evaluator/core/pods.go PodUsageFunc,
 * podComputeUsageHelper, QuotaV1Pod, Constraints, podMatchesScopeFunc). Pure. Groundwork for issue 9 (not wired yet).
 */
import { parseQuantity, type Quantity } from "../quantity.js";
import { podQosClass } from "../qos.js";
import { combinePodAmounts } from "../resources.js";
import type { Container, Pod } from "../types.js";
import type { ResourceList } from "./quota-check.js";

const NANO = 1_000_000_000n;

/** The resources whose quota makes every container state its request or limit (pods.go validationSet). */
export const QUOTA_VALIDATION_SET: ReadonlySet<string> = new Set(["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]);

/** A quantity of one resource of a container's requests or limits, or undefined (absent or unparsable). */
function quantityOf(list: Record<string, string> | undefined, resource: string): Quantity | undefined {
  const text = list?.[resource];
  if (text === undefined) return undefined;
  const r = parseQuantity(text);
  return r.ok ? r.value : undefined;
}

/**
 * resourcehelper.PodRequests / PodLimits for one resource, as a quantity: app containers add up, init containers
 * max (sidecars add), in the format of the first container that states it (Quantity.Add keeps the receiver's).
 * NOTE: summed in milli-units: a request written in u or n rounds up to the next milli (upstream adds exactly).
 */
function podAmount(pod: Pod, field: "requests" | "limits", resource: string): Quantity | undefined {
  let format: Quantity["format"] | undefined;
  const nanosOf = (c: Container): number => {
    const q = quantityOf(c.resources?.[field], resource);
    if (q === undefined) return 0;
    format ??= q.format;
    // Milli-units, rounded up as ScaledValue does: exact for m and whole quantities up to 8 TiB of memory.
    return Number((q.nanos + 999_999n) / 1_000_000n);
  };
  const micros = combinePodAmounts(pod.spec, nanosOf);
  return format === undefined ? undefined : { nanos: BigInt(micros) * 1_000_000n, format };
}

/** QuotaV1Pod: a pod is charged unless it is terminal or its deletion's grace period has passed. */
export function chargedForQuota(pod: Pod, nowMs: number, parse: (t: string) => number): boolean {
  if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return false;
  const m = pod.metadata;
  if (m.deletionTimestamp !== undefined && m.deletionGracePeriodSeconds !== undefined && nowMs > parse(m.deletionTimestamp) + m.deletionGracePeriodSeconds * 1000) return false;
  return true;
}

/**
 * PodUsageFunc: `count/pods` 1 always; a charged pod also `pods` 1 and its requests and limits of cpu, memory and
 * ephemeral-storage, under both the bare name and `requests.` (requests) or `limits.` (limits).
 */
export function podQuotaUsage(pod: Pod, nowMs: number, parse: (t: string) => number): ResourceList {
  const out = new Map<string, Quantity>([["count/pods", { nanos: NANO, format: "DecimalSI" }]]);
  if (!chargedForQuota(pod, nowMs, parse)) return out;
  out.set("pods", { nanos: NANO, format: "DecimalSI" });
  for (const r of ["cpu", "memory", "ephemeral-storage"]) {
    const req = podAmount(pod, "requests", r);
    if (req !== undefined) {
      out.set(r, req);
      out.set(`requests.${r}`, req);
    }
    const lim = podAmount(pod, "limits", r);
    if (lim !== undefined) out.set(`limits.${r}`, lim);
  }
  return out;
}

/** The names podComputeUsageHelper gives one container: pods, and each cpu / memory / ephemeral-storage it states. */
function containerUsageNames(c: Container): Set<string> {
  const names = new Set(["pods"]);
  for (const r of ["cpu", "memory", "ephemeral-storage"]) {
    if (c.resources?.requests?.[r] !== undefined) names.add(r).add(`requests.${r}`);
    if (c.resources?.limits?.[r] !== undefined) names.add(`limits.${r}`);
  }
  return names;
}

/**
 * Constraints: when a quota limits cpu or memory (QUOTA_VALIDATION_SET), every container, init containers too, must
 * state it; the refusal lists each missing resource with its containers, both sorted:
 * `must specify limits.cpu for: app; requests.memory for: app,init`. Undefined when nothing is missing.
 */
export function podQuotaConstraints(pod: Pod, required: Iterable<string>): string | undefined {
  const needed = [...required].filter((r) => QUOTA_VALIDATION_SET.has(r));
  if (needed.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
    const have = containerUsageNames(c);
    for (const r of needed) if (!have.has(r)) (missing.get(r) ?? missing.set(r, new Set()).get(r)!).add(c.name);
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(",")}`);
  return `must specify ${parts.join("; ")}`;
}

/** A quota scope (corev1.ResourceQuotaScope) with a scopeSelector's operator and values. */
export interface QuotaScope {
  readonly scopeName: "Terminating" | "NotTerminating" | "BestEffort" | "NotBestEffort" | "PriorityClass" | "CrossNamespacePodAffinity" | string;
  readonly operator?: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: readonly string[];
}

/**
 * podMatchesScopeFunc: Terminating is activeDeadlineSeconds >= 0; BestEffort is the BestEffort QoS class;
 * PriorityClass matches spec.priorityClassName by the selector's operator (Exists: any class).
 * NOTE: CrossNamespacePodAffinity is not modelled (k8sim has no pod affinity yet): it never matches.
 */
export function podMatchesScope(pod: Pod, scope: QuotaScope): boolean {
  const terminating = typeof pod.spec.activeDeadlineSeconds === "number" && pod.spec.activeDeadlineSeconds >= 0;
  switch (scope.scopeName) {
    case "Terminating":
      return terminating;
    case "NotTerminating":
      return !terminating;
    case "BestEffort":
      return podQosClass(pod.spec) === "BestEffort";
    case "NotBestEffort":
      return podQosClass(pod.spec) !== "BestEffort";
    case "PriorityClass": {
      const pc = typeof pod.spec.priorityClassName === "string" ? pod.spec.priorityClassName : "";
      const op = scope.operator ?? "Exists";
      if (op === "Exists") return pc !== "";
      if (op === "DoesNotExist") return pc === "";
      const listed = pc !== "" && (scope.values ?? []).includes(pc);
      return op === "In" ? listed : !listed;
    }
    default:
      return false;
  }
}
