/**
 * A quota's usage as the resource quota controller computes it (k8s.io/apiserver/pkg/quota/v1/resources.go
 * CalculateUsage, generic/evaluator.go CalculateUsageStats; pkg/controller/resourcequota syncResourceQuota), and the
 * conversions between status maps of quantity strings and resource lists. Pure.
 */
import { parseQuantity, type Quantity } from "../quantity.js";
import { formatQuantity } from "../quantity-format.js";
import type { KubeObject } from "../types.js";
import { matchesQuotaScopes, QUOTA_EVALUATORS, quotaScopes, type QuotaClock, type QuotaEvaluator } from "./evaluators.js";
import type { ResourceList } from "./quota-check.js";
import type { Store } from "../store.js";
import { objectsInNamespace } from "./namespace-index.js";
import type { ResourceQuota } from "./types.js";

/** A status or spec map of quantity strings as a resource list (an unparsable entry is left out). */
export function toResourceList(map: Record<string, string> | undefined): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  if (!map) return out;
  for (const [k, v] of Object.entries(map)) {
    const q = parseQuantity(String(v));
    if (q.ok) out.set(k, q.value);
  }
  return out;
}

/** A resource list as a status map of quantity strings (Quantity.String() per entry), keys in list order. */
export function toQuantityMap(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, q] of list) out[k] = formatQuantity(q);
  return out;
}

/** Quantity.Add: the sum, in the receiver's format unless the receiver is zero (then the addend's). */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

/** quota.Add with Quantity.Add's format rule: per name, the sum. */
export function addLists(a: ResourceList, b: ResourceList): Map<string, Quantity> {
  const out = new Map<string, Quantity>(a);
  for (const [k, q] of b) {
    const x = out.get(k);
    out.set(k, x === undefined ? q : addQuantity(x, q));
  }
  return out;
}

/** quota.SubtractWithNonNegativeResult: a - b per name of `a`, never below zero. */
export function subtractNonNegative(a: ResourceList, b: ResourceList): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [k, q] of a) {
    const y = b.get(k);
    const n = y === undefined ? q.nanos : q.nanos - y.nanos;
    out.set(k, { nanos: n < 0n ? 0n : n, format: q.format });
  }
  return out;
}

/** quota.Equals: the same names with equal values. */
export function listsEqual(a: ResourceList, b: ResourceList): boolean {
  if (a.size !== b.size) return false;
  for (const [k, q] of a) {
    const y = b.get(k);
    if (y === undefined || y.nanos !== q.nanos) return false;
  }
  return true;
}

/** The objects of one kind in the quota's namespace. */
export type NamespaceObjects = (kind: string) => Iterable<KubeObject>;

/**
 * CalculateUsage for one quota: for each evaluator counting some of spec.hard's names, each counted name starts at
 * zero and every object of its kind in the namespace that falls under the quota's scopes adds its usage; the sum is
 * masked to the names some evaluator counts (a name no evaluator counts is absent).
 */
export function calculateUsage(quota: ResourceQuota, objects: NamespaceObjects, clock: QuotaClock, evaluators: readonly QuotaEvaluator[] = QUOTA_EVALUATORS): Map<string, Quantity> {
  const hardNames = Object.keys(quota.spec?.hard ?? {});
  const scopes = quotaScopes(quota);
  let total = new Map<string, Quantity>();
  const matched = new Set<string>();
  for (const ev of evaluators) {
    const names = ev.matchingResources(hardNames);
    if (names.length === 0) continue;
    let used = new Map<string, Quantity>();
    for (const n of names) {
      used.set(n, { nanos: 0n, format: "DecimalSI" });
      matched.add(n);
    }
    for (const obj of objects(ev.kind)) if (matchesQuotaScopes(ev, scopes, obj)) used = addLists(used, ev.usage(obj, clock));
    total = addLists(total, used);
  }
  const out = new Map<string, Quantity>();
  for (const n of hardNames) {
    const q = total.get(n);
    if (matched.has(n) && q !== undefined) out.set(n, q);
  }
  return out;
}

/**
 * syncResourceQuota's new status: hard is spec.hard; used is the previous status.used overwritten by the computed
 * usage, masked to the hard names. `changed` when hard or used differ from the stored status (or either is unset),
 * which is when the controller writes it.
 */
export function quotaStatusFor(quota: ResourceQuota, usage: ResourceList): { hard: Record<string, string>; used: Record<string, string>; changed: boolean } {
  const hard = quota.spec?.hard ?? {};
  const prev = toResourceList(quota.status?.used);
  const merged = new Map<string, Quantity>(prev);
  for (const [k, q] of usage) merged.set(k, q);
  const used = new Map<string, Quantity>();
  for (const k of Object.keys(hard)) {
    const q = merged.get(k);
    if (q !== undefined) used.set(k, q);
  }
  const statusHard = quota.status?.hard;
  const hardDirty = statusHard === undefined || quota.status?.used === undefined || !listsEqual(toResourceList(hard), toResourceList(statusHard)) || Object.keys(hard).length !== Object.keys(statusHard).length;
  return { hard: { ...hard }, used: toQuantityMap(used), changed: hardDirty || !listsEqual(used, prev) };
}

/**
 * The status.used a quota should hold given the store's objects (for the invariant "quota status.used equals the sum
 * of what it counts"): syncResourceQuota's result over `objects` (the namespace's objects of a kind) at `clock`,
 * as quantity strings. Compare it with status.used once the controller has caught up (no write in flight, informer
 * latency passed): admission charges and controller recomputes both converge on it.
 */
export function expectedQuotaUsed(quota: ResourceQuota, objects: NamespaceObjects, clock: QuotaClock): Record<string, string> {
  return quotaStatusFor(quota, calculateUsage(quota, objects, clock)).used;
}

/** expectedQuotaUsed over the store's objects of the quota's namespace (the invariant's form). */
export function expectedQuotaUsedInStore(store: Store, quota: ResourceQuota, clock: QuotaClock): Record<string, string> {
  return expectedQuotaUsed(quota, (kind) => objectsInNamespace(store, kind, quota.metadata.namespace ?? "default"), clock);
}
