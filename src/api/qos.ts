/**
 * A pod's QoS class (pkg/apis/core/helper/qos GetPodQOS, as the pod strategy's PrepareForCreate sets
 * status.qosClass): BestEffort when no container (init containers included) requests or limits cpu or memory;
 * Guaranteed when every container limits both and each request, where given, equals its limit; else Burstable.
 */
import { parseQuantity } from "./quantity.js";
import type { Container, PodSpec } from "./types.js";

/** core/v1 PodQOSClass. */
export type QosClass = "Guaranteed" | "Burstable" | "BestEffort";

const QOS_RESOURCES = ["cpu", "memory"] as const;
const memo = new WeakMap<PodSpec, QosClass>();

/** The class of a pod spec (memoised per spec object: pods of one template share it). */
export function podQosClass(spec: PodSpec): QosClass {
  let q = memo.get(spec);
  if (q === undefined) memo.set(spec, (q = compute(spec)));
  return q;
}

const amount = (v: unknown): bigint | undefined => {
  if (v === undefined || v === null) return undefined;
  const r = parseQuantity(String(v));
  return r.ok ? r.value.nanos : undefined;
};

function compute(spec: PodSpec): QosClass {
  const containers: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = (c.resources?.requests ?? {}) as Record<string, unknown>;
    const lim = (c.resources?.limits ?? {}) as Record<string, unknown>;
    for (const r of QOS_RESOURCES) {
      const rq = amount(req[r]);
      const lm = amount(lim[r]);
      if ((rq !== undefined && rq !== 0n) || (lm !== undefined && lm !== 0n)) any = true;
      // A missing request defaults to the limit (SetDefaults_ResourceRequirements), so only a differing one counts;
      // a zero limit is no limit (GetPodQOS counts only quantities above zero).
      if (lm === undefined || lm === 0n || (rq !== undefined && rq !== lm)) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}
