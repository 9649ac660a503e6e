/**
 * The namespace controller's pure parts (pkg/controller/namespace/deletion/namespaced_resources_deleter.go and
 * status_condition_utils.go): the grace estimate for terminating pods, what is left of one resource after its
 * DeleteCollection, the requeue delay, and the Terminating namespace's status conditions with upstream's reasons and
 * messages.
 */
import type { KubeObject, NamespaceCondition, Pod } from "../../api/types.js";

/** finalizerEstimateSeconds: the wait assumed for finalizers of remaining objects (seconds). */
export const FINALIZER_ESTIMATE_SECONDS = 15;

/** The condition types the deleter maintains, in the order it writes them (conditionTypes). */
export const NAMESPACE_CONDITION_TYPES = [
  "NamespaceDeletionDiscoveryFailure",
  "NamespaceDeletionGroupVersionParsingFailure",
  "NamespaceDeletionContentFailure",
  "NamespaceContentRemaining",
  "NamespaceFinalizersRemaining",
] as const;

type ConditionType = (typeof NAMESPACE_CONDITION_TYPES)[number];

/** okMessages / okReasons: the False ("it worked") variant of each condition. */
const OK: Record<ConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: "ResourcesDiscovered", message: "All resources successfully discovered" },
  NamespaceDeletionGroupVersionParsingFailure: { reason: "ParsedGroupVersions", message: "All legacy kube types successfully parsed" },
  NamespaceDeletionContentFailure: { reason: "ContentDeleted", message: "All content successfully deleted, may be waiting on finalization" },
  NamespaceContentRemaining: { reason: "ContentRemoved", message: "All content successfully removed" },
  NamespaceFinalizersRemaining: { reason: "ContentHasNoFinalizers", message: "All content-preserving finalizers finished" },
};

/**
 * estimateGracefulTerminationForPods: the longest terminationGracePeriodSeconds among the namespace's pods that have
 * not finished (Succeeded / Failed pods are skipped), 0 if none.
 */
export function estimatePodTermination(pods: Iterable<Pod>): number {
  let estimate = 0;
  for (const p of pods) {
    if (p.status.phase === "Succeeded" || p.status.phase === "Failed") continue;
    const g = p.spec.terminationGracePeriodSeconds;
    if (g !== undefined && g > estimate) estimate = g;
  }
  return estimate;
}

/** What deleteAllContentForGroupVersionResource reports for one resource. */
export interface ResourceRemaining {
  /** Seconds to wait before the next look. */
  estimate: number;
  numRemaining: number;
  /** Remaining objects per finalizer they carry, in first-seen order. */
  finalizersToNumRemaining: Map<string, number>;
  /** `unexpected items still remain in namespace: NS for gvr: GVR` when objects without finalizers remain and
   *  nothing else explains them. */
  error?: string;
}

/** The resource identity the deleter prints: `group/version, Resource=plural` (GroupVersionResource.String()). */
export interface ResourceName {
  group: string;
  version: string;
  plural: string;
}

/**
 * The tail of deleteAllContentForGroupVersionResource: given the objects listed after the DeleteCollection and the
 * pods' grace estimate, nothing left is done; with an estimate, wait for it; with finalizers on what is left, wait
 * finalizerEstimateSeconds; otherwise it is an error (they should have gone).
 */
export function resourceRemaining(res: ResourceName, namespace: string, remaining: readonly KubeObject[], estimate: number): ResourceRemaining {
  const finalizers = new Map<string, number>();
  if (remaining.length === 0) return { estimate: 0, numRemaining: 0, finalizersToNumRemaining: finalizers };
  for (const o of remaining) for (const f of o.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
  if (estimate !== 0) return { estimate, numRemaining: remaining.length, finalizersToNumRemaining: finalizers };
  if (finalizers.size > 0) return { estimate: FINALIZER_ESTIMATE_SECONDS, numRemaining: remaining.length, finalizersToNumRemaining: finalizers };
  return {
    estimate,
    numRemaining: remaining.length,
    finalizersToNumRemaining: finalizers,
    error: `unexpected items still remain in namespace: ${namespace} for gvr: ${res.group}/${res.version}, Resource=${res.plural}`,
  };
}

/** The wait after a ResourcesRemainingError: estimate / 2 + 1 seconds (integer division), in ms. */
export function remainingRequeueMs(estimateSeconds: number): number {
  return (Math.floor(estimateSeconds / 2) + 1) * 1000;
}

/**
 * The conditions one deleteAllContent pass asks for: namespaceConditionUpdater's ProcessContentTotals (resources and
 * finalizers remaining, each list sorted) and ProcessDeleteContentErr (errors sorted), as True conditions; every
 * other type gets its False variant in updateConditions.
 */
export function deletionConditions(
  remaining: readonly { res: ResourceName; r: ResourceRemaining }[],
  errors: readonly string[],
  now: string,
): NamespaceCondition[] {
  const out: NamespaceCondition[] = [];
  const resources: string[] = [];
  const byFinalizer = new Map<string, number>();
  for (const { res, r } of remaining) {
    if (r.numRemaining <= 0) continue;
    resources.push(`${res.plural}.${res.group} has ${r.numRemaining} resource instances`);
    for (const [f, n] of r.finalizersToNumRemaining) if (n > 0) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + n);
  }
  if (errors.length > 0) {
    const msgs = [...errors].sort();
    // utilerrors.NewAggregate's text: one error as is, several as `[a, b]`.
    const aggregate = msgs.length === 1 ? msgs[0] : `[${msgs.join(", ")}]`;
    out.push({ type: "NamespaceDeletionContentFailure", status: "True", lastTransitionTime: now, reason: "ContentDeletionFailed", message: `Failed to delete all resource types, ${errors.length} remaining: ${aggregate}` });
  }
  if (resources.length > 0) {
    out.push({ type: "NamespaceContentRemaining", status: "True", lastTransitionTime: now, reason: "SomeResourcesRemain", message: `Some resources are remaining: ${resources.sort().join(", ")}` });
  }
  if (byFinalizer.size > 0) {
    const list = [...byFinalizer].map(([f, n]) => `${f} in ${n} resource instances`).sort();
    out.push({ type: "NamespaceFinalizersRemaining", status: "True", lastTransitionTime: now, reason: "SomeFinalizersRemain", message: `Some content in the namespace has finalizers remaining: ${list.join(", ")}` });
  }
  return out;
}

/**
 * updateConditions: for each maintained type in order, the asked-for condition or its False variant; a missing one
 * is appended, a changed one (status, reason or message) updated in place, its lastTransitionTime moved only when
 * the status changed. Returns the new list and whether anything changed (then the controller writes the status).
 */
export function updateNamespaceConditions(
  old: readonly NamespaceCondition[] | undefined,
  asked: readonly NamespaceCondition[],
  now: string,
): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = (old ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of NAMESPACE_CONDITION_TYPES) {
    const next = asked.find((c) => c.type === type) ?? { type, status: "False" as const, lastTransitionTime: now, ...OK[type] };
    const cur = conditions.find((c) => c.type === type);
    if (cur === undefined) {
      conditions.push(next);
      changed = true;
    } else if (cur.status !== next.status || cur.message !== next.message || cur.reason !== next.reason) {
      if (cur.status !== next.status) cur.lastTransitionTime = now;
      cur.status = next.status;
      cur.reason = next.reason;
      cur.message = next.message;
      changed = true;
    }
  }
  return { conditions, changed };
}
