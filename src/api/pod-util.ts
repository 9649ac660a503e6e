import type { ApiClock } from "./clock.js";
import type { Condition, KubeObject, OwnerReference, Pod } from "./types.js";

/** The condition of a type, if present. */
export function getCondition(conds: Condition[] | undefined, type: string): Condition | undefined {
  if (!conds) return undefined;
  for (const c of conds) if (c.type === type) return c;
  return undefined;
}

/** Ready condition True (pkg/api/v1/pod/util.go IsPodReady). */
export function isPodReady(pod: Pod): boolean {
  return getCondition(pod.status.conditions, "Ready")?.status === "True";
}

/** Not terminal and not being deleted (pkg/controller/controller_utils.go IsPodActive). */
export function isPodActive(pod: Pod): boolean {
  const p = pod.status.phase;
  return p !== "Succeeded" && p !== "Failed" && pod.metadata.deletionTimestamp === undefined;
}

/**
 * Ready for at least minReadySeconds at virtual time `now` (pkg/api/v1/pod/util.go IsPodAvailable):
 * minReadySeconds 0 means ready is available.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number, clock: ApiClock): boolean {
  const c = getCondition(pod.status.conditions, "Ready");
  if (!c || c.status !== "True") return false;
  if (minReadySeconds === 0) return true;
  return c.lastTransitionTime !== undefined && clock.parse(c.lastTransitionTime) + minReadySeconds * 1000 <= now;
}

/** The controlling owner reference (metav1.GetControllerOf). */
export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  const refs = obj.metadata.ownerReferences;
  if (!refs) return undefined;
  for (const r of refs) if (r.controller) return r;
  return undefined;
}

/** Replaces (or appends) a condition, keeping lastTransitionTime when the status does not change. */
export function setCondition(conds: Condition[] | undefined, next: Condition): Condition[] {
  return setConditions(conds, [next]);
}

/** `setCondition` for several conditions in one pass (one new array): existing ones keep their order. */
export function setConditions(conds: Condition[] | undefined, next: readonly Condition[]): Condition[] {
  const out: Condition[] = [];
  let found = 0;
  for (const c of conds ?? []) {
    let n: Condition | undefined;
    for (const x of next) if (x.type === c.type) n = x;
    if (n === undefined) {
      out.push(c);
      continue;
    }
    found++;
    out.push(c.status === n.status ? { ...n, lastTransitionTime: c.lastTransitionTime } : n);
  }
  if (found < next.length) for (const x of next) if (!out.some((c) => c.type === x.type)) out.push(x);
  return out;
}
