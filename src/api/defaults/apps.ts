/**
 * apps/v1 defaulting (pkg/apis/apps/v1/defaults.go SetDefaults_Deployment, SetDefaults_ReplicaSet), plus the pod
 * template's own defaults (SetDefaults_PodSpec runs on every PodTemplateSpec).
 */
import type { Settings } from "../../settings.js";
import type { Deployment, PodTemplateSpec, ReplicaSet } from "../types.js";
import { defaultPodSpecFields } from "./pod.js";

/** SetDefaults_Deployment / SetDefaults_ReplicaSet: Replicas 1. */
export const DEFAULT_REPLICAS = 1;
/** SetDefaults_Deployment: Strategy.Type RollingUpdate when empty. */
export const DEFAULT_STRATEGY_TYPE = "RollingUpdate";
/** SetDefaults_Deployment: RollingUpdate.MaxUnavailable and MaxSurge 25% (strings, as the API shows them). */
export const DEFAULT_MAX_UNAVAILABLE = "25%";
/** See DEFAULT_MAX_UNAVAILABLE. */
export const DEFAULT_MAX_SURGE = "25%";
/** SetDefaults_Deployment: RevisionHistoryLimit 10. */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
/** SetDefaults_Deployment: ProgressDeadlineSeconds 600. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

function defaultTemplate(t: PodTemplateSpec, settings: Settings): PodTemplateSpec {
  if (t === null || typeof t !== "object" || t.spec === undefined) return t;
  const spec = defaultPodSpecFields(t.spec, settings);
  return spec === t.spec ? t : { ...t, spec };
}

/** SetDefaults_Deployment; the same object when nothing was missing. */
export function defaultDeployment(d: Deployment, settings: Settings): Deployment {
  const s = d.spec;
  if (s === null || typeof s !== "object") return d;
  const ru = s.strategy?.rollingUpdate;
  const complete =
    s.replicas !== undefined &&
    s.strategy?.type !== undefined &&
    (s.strategy.type !== "RollingUpdate" || (ru?.maxUnavailable !== undefined && ru.maxSurge !== undefined)) &&
    s.revisionHistoryLimit !== undefined &&
    s.progressDeadlineSeconds !== undefined;
  if (complete && defaultTemplate(s.template, settings) === s.template) return d;
  const spec = { ...s };
  spec.replicas ??= DEFAULT_REPLICAS;
  const strategy = { ...(s.strategy ?? {}) };
  strategy.type ??= DEFAULT_STRATEGY_TYPE;
  if (strategy.type === "RollingUpdate") {
    const ru = { ...(strategy.rollingUpdate ?? {}) };
    ru.maxUnavailable ??= DEFAULT_MAX_UNAVAILABLE;
    ru.maxSurge ??= DEFAULT_MAX_SURGE;
    strategy.rollingUpdate = ru;
  }
  spec.strategy = strategy;
  spec.revisionHistoryLimit ??= DEFAULT_REVISION_HISTORY_LIMIT;
  spec.progressDeadlineSeconds ??= DEFAULT_PROGRESS_DEADLINE_SECONDS;
  spec.template = defaultTemplate(s.template, settings);
  return { ...d, spec };
}

/** SetDefaults_ReplicaSet; the same object when nothing was missing. */
export function defaultReplicaSet(rs: ReplicaSet, settings: Settings): ReplicaSet {
  const s = rs.spec;
  if (s === null || typeof s !== "object") return rs;
  const template = defaultTemplate(s.template, settings);
  if (s.replicas !== undefined && template === s.template) return rs;
  return { ...rs, spec: { ...s, replicas: s.replicas ?? DEFAULT_REPLICAS, template } };
}
