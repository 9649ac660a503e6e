import type { ApiClock } from "../api/clock.js";
import { getCondition, isPodReady } from "../api/pod-util.js";
import type { Pod } from "../api/types.js";

/** Annotation that orders scale-down victims (pkg/apis/core/annotation_key_constants.go PodDeletionCost). */
export const POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * The scale-down order of a ReplicaSet's pods (pkg/controller/controller_utils.go ActivePodsWithRanks.Less):
 * returns < 0 when `a` should be deleted before `b`. In order: unassigned before assigned; Pending < Unknown <
 * Running; not ready before ready; lower pod-deletion-cost first; more siblings on the same node (higher rank)
 * first; ready more recently first; more restarts first; created more recently first.
 * NOTE: upstream's LogarithmicScaleDown compares ready and creation times in log2 buckets of their age; k8sim
 * compares the times exactly. Remaining ties keep the input order (a stable sort).
 */
export function compareForDeletion(a: Pod, rankA: number, b: Pod, rankB: number, clock: ApiClock): number {
  const na = a.spec.nodeName ? 1 : 0;
  const nb = b.spec.nodeName ? 1 : 0;
  if (na !== nb) return na - nb;
  const pa = PHASE_RANK[a.status.phase ?? "Pending"] ?? 0;
  const pb = PHASE_RANK[b.status.phase ?? "Pending"] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  if (rankA !== rankB) return rankB - rankA;
  if (ra === 1) {
    const ta = readyTime(a, clock);
    const tb = readyTime(b, clock);
    if (ta !== tb) return tb - ta;
  }
  const xa = restarts(a);
  const xb = restarts(b);
  if (xa !== xb) return xb - xa;
  const ka = clock.parse(a.metadata.creationTimestamp ?? "");
  const kb = clock.parse(b.metadata.creationTimestamp ?? "");
  if (ka !== kb) return kb - ka;
  return 0;
}

function deletionCost(p: Pod): number {
  const v = p.metadata.annotations?.[POD_DELETION_COST];
  const n = v === undefined ? 0 : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
}

function readyTime(p: Pod, clock: ApiClock): number {
  const t = getCondition(p.status.conditions, "Ready")?.lastTransitionTime;
  return t ? clock.parse(t) : 0;
}

function restarts(p: Pod): number {
  let max = 0;
  for (const s of p.status.containerStatuses ?? []) max = Math.max(max, s.restartCount);
  return max;
}
