/**
 * The ResourceQuota admission check of one request against one quota (plugin/pkg/admission/resourcequota
 * controller.go checkRequest, pkg/quota/v1/resources.go Mask / Add / LessThanOrEqual / RemoveZeros), and its
 * refusal as the API server words it. Pure: resource lists are maps of resource name to quantity.
 * Groundwork for issue 9 (not wired yet).
 */
import { compareStrings } from "../../engine/compare.js";
import type { Quantity } from "../quantity.js";
import { formatQuantity } from "../quantity-format.js";

/** corev1.ResourceList: resource name to quantity. */
export type ResourceList = ReadonlyMap<string, Quantity>;

/** One quota as the check reads it: its name, status.hard (spec.hard when status has none yet) and status.used. */
export interface QuotaState {
  readonly name: string;
  readonly hard: ResourceList;
  readonly used: ResourceList;
}

/** The check's result: the quota's new status.used, or the refusal's text (without the `... is forbidden: ` head). */
export type QuotaCheck = { readonly ok: true; readonly used: ResourceList } | { readonly ok: false; readonly message: string };

/** Mask: the entries of `list` whose names are in `names`. */
export function mask(list: ResourceList, names: Iterable<string>): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const n of names) {
    const q = list.get(n);
    if (q !== undefined) out.set(n, q);
  }
  return out;
}

/** Add: the sum per name (a name in one list only keeps its value); the format is the first operand's, unless that
 *  one is zero (Quantity.Add then takes the addend's: a used `0` plus `1Gi` is `1Gi`). */
export function add(a: ResourceList, b: ResourceList): Map<string, Quantity> {
  const out = new Map<string, Quantity>(a);
  for (const [k, q] of b) {
    const x = out.get(k);
    out.set(k, x === undefined ? q : { nanos: x.nanos + q.nanos, format: x.nanos === 0n ? q.format : x.format });
  }
  return out;
}

/** LessThanOrEqual(a, b): whether every name of `b` that `a` has is within `b`, and the names that are not. */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): { allowed: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [k, limit] of b) {
    const q = a.get(k);
    if (q !== undefined && q.nanos > limit.nanos) exceeded.push(k);
  }
  return { allowed: exceeded.length === 0, exceeded };
}

/** prettyPrint: `name=quantity` pairs sorted by name, joined by commas (`pods=1,requests.cpu=500m`). */
export function prettyPrint(list: ResourceList): string {
  return [...list.keys()].sort(compareStrings).map((k) => `${k}=${formatQuantity(list.get(k)!)}`).join(",");
}

/**
 * checkRequest for one quota: the request's usage `delta`, masked to what the quota limits and without zeros, is
 * added to status.used; any limited name that would then pass its hard limit refuses the request with
 * `exceeded quota: NAME, requested: pods=1, used: pods=10, limited: pods=10` (only the exceeded names). A request
 * using nothing the quota limits passes and leaves the quota as it was.
 */
export function checkQuota(quota: QuotaState, delta: ResourceList): QuotaCheck {
  const requested = new Map<string, Quantity>();
  for (const [k, q] of mask(delta, quota.hard.keys())) if (q.nanos !== 0n) requested.set(k, q);
  if (requested.size === 0) return { ok: true, used: quota.used };
  const newUsage = add(quota.used, requested);
  const { allowed, exceeded } = lessThanOrEqual(mask(newUsage, requested.keys()), quota.hard);
  if (!allowed) {
    return {
      ok: false,
      message: `exceeded quota: ${quota.name}, requested: ${prettyPrint(mask(requested, exceeded))}, used: ${prettyPrint(mask(quota.used, exceeded))}, limited: ${prettyPrint(mask(quota.hard, exceeded))}`,
    };
  }
  return { ok: true, used: mask(newUsage, quota.hard.keys()) };
}

/** admission.NewForbidden's text for a refused create: `pods "web-7d9c-xk2lp" is forbidden: <reason>`. */
export function forbiddenMessage(resource: string, name: string, reason: string): string {
  return `${resource} "${name}" is forbidden: ${reason}`;
}
