import type { Deployment } from "../api/types.js";

/** Defaults of apps/v1 Deployment (pkg/apis/apps/v1/defaults.go). */
export const DEPLOYMENT_DEFAULTS = Object.freeze({
  replicas: 1,
  maxSurge: "25%",
  maxUnavailable: "25%",
  revisionHistoryLimit: 10,
  progressDeadlineSeconds: 600,
});

/**
 * Resolves an int-or-percent against `total` (k8s.io/apimachinery/pkg/util/intstr GetScaledValueFromIntOrPercent):
 * a percentage is total x p / 100, rounded up or down as asked.
 */
export function scaledValue(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number.parseInt(v, 10) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/**
 * ResolveFenceposts (pkg/controller/deployment/util/deployment_util.go): maxSurge rounds up, maxUnavailable rounds
 * down, and if both come to 0, maxUnavailable is 1 so a rollout can progress.
 */
export function resolveFenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const replicas = d.spec.replicas ?? DEPLOYMENT_DEFAULTS.replicas;
  if (d.spec.strategy?.type === "Recreate") return { maxSurge: 0, maxUnavailable: replicas };
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  const maxSurge = scaledValue(ru.maxSurge ?? DEPLOYMENT_DEFAULTS.maxSurge, replicas, true);
  let maxUnavailable = scaledValue(ru.maxUnavailable ?? DEPLOYMENT_DEFAULTS.maxUnavailable, replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/**
 * NewRSNewReplicas for RollingUpdate: how many replicas the new ReplicaSet may have now, given the sum of all
 * ReplicaSets' spec.replicas, without exceeding replicas + maxSurge.
 */
export function newRSNewReplicas(replicas: number, maxSurge: number, currentPodCount: number, newRSReplicas: number): number {
  const maxTotal = replicas + maxSurge;
  if (currentPodCount >= maxTotal) return newRSReplicas;
  const scaleUp = Math.min(maxTotal - currentPodCount, replicas - newRSReplicas);
  return newRSReplicas + scaleUp;
}

/**
 * MaxUnavailable (deployment_util.go): the unavailability the Available condition tolerates: 0 for Recreate or
 * zero replicas, else the rolling maxUnavailable capped at replicas.
 */
export function maxUnavailable(d: Deployment): number {
  const replicas = d.spec.replicas ?? DEPLOYMENT_DEFAULTS.replicas;
  if (d.spec.strategy?.type === "Recreate" || replicas === 0) return 0;
  return Math.min(resolveFenceposts(d).maxUnavailable, replicas);
}
