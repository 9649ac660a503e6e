/**
 * The Eviction API (policy/v1 Eviction on pods/eviction, pkg/registry/core/pod/storage/eviction.go) as kubectl drain
 * calls it. With no PodDisruptionBudget to consult, an eviction is allowed: the pod gets the condition
 * DisruptionTarget=True (reason EvictionByEvictionAPI, message "Eviction API: evicting"; PodDisruptionConditions,
 * GA since v1.31), then it is deleted with the eviction's DeleteOptions (gracePeriodSeconds unset: the pod's own
 * terminationGracePeriodSeconds).
 *
 * NOTE: k8sim has no PodDisruptionBudget kind yet, so every eviction is allowed. When the kind comes, the budget
 * check goes in `evictPod` before the condition: a pod whose budget allows no disruption is refused with 429
 * TooManyRequests ("Cannot evict pod as it would violate the pod's disruption budget."), which drain retries every
 * 5s (src/faults/drain.ts handles the 429 already).
 */
import type { ApiServer } from "../api/apiserver.js";
import type { ApiClock } from "../api/clock.js";
import { withFields } from "../api/copy.js";
import { getCondition, setCondition } from "../api/pod-util.js";
import type { Pod } from "../api/types.js";

/** The answer of one eviction: allowed (the pod is being deleted), or the HTTP error kubectl sees. */
export type EvictionResult = { ok: true } | { ok: false; code: 404 | 429 | 500; message: string };

/** The condition the Eviction API adds before it deletes the pod. */
export const EVICTION_CONDITION = { type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI", message: "Eviction API: evicting" } as const;

/**
 * Evicts pod `namespace/name` (uid `uid`: a pod of the same name created since is not touched, a 404 as for a gone
 * pod). `gracePeriodSeconds` undefined leaves the pod's own.
 */
export function evictPod(api: ApiServer, clock: ApiClock, namespace: string, name: string, uid: string, gracePeriodSeconds: number | undefined): EvictionResult {
  const cur = api.get<Pod>("Pod", namespace, name);
  if (cur === undefined || cur.metadata.uid !== uid) return { ok: false, code: 404, message: `pods ${JSON.stringify(name)} not found` };
  // (The PodDisruptionBudget check belongs here; see the NOTE above.)
  // A pod already being deleted is deleted again (the grace period may shorten); its condition is already set.
  if (cur.metadata.deletionTimestamp === undefined) {
    const prev = getCondition(cur.status.conditions, EVICTION_CONDITION.type);
    const cond = { ...EVICTION_CONDITION, lastProbeTime: null, lastTransitionTime: prev?.status === "True" ? prev.lastTransitionTime : clock.time() };
    const r = api.updateStatus(withFields(cur, { status: withFields(cur.status, { conditions: setCondition(cur.status.conditions, cond) }) }), { force: true });
    if (!r.ok) return { ok: false, code: 500, message: r.message };
  }
  const d = api.delete("Pod", namespace, name, gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds });
  return d.ok ? { ok: true } : { ok: false, code: 500, message: d.message };
}
