import type { Pod } from "../api/types.js";
import type { Settings } from "../settings.js";
import type { InvariantInfo, Violation } from "./types.js";

/** The pod-binding invariant. */
export const POD_BINDING: InvariantInfo = {
  name: "pod-binding",
  statement: "no pod stays bound (spec.nodeName) to a node that does not exist past the pod garbage collector's deadline",
  when: "every-event",
};

/**
 * The latest virtual time (ms) by which the pod garbage collector removes a pod that became bound to a missing node
 * at `since`: its informer sees it after `informerLatency`, the next pass comes within one `podGCPeriod`, and the
 * node's quarantine of `podGCOrphanQuarantine` ends at a pass (pkg/controller/podgc/gc_controller.go). A pod bound
 * to a missing node until then is a breach; before then it is upstream's window too.
 */
export function orphanDeadline(since: number, s: Pick<Settings, "informerLatency" | "podGCPeriod" | "podGCOrphanQuarantine">): number {
  return since + s.informerLatency + s.podGCPeriod + Math.ceil(s.podGCOrphanQuarantine / s.podGCPeriod) * s.podGCPeriod;
}

/** Violations of pod-binding among `pods`, given which node names exist. Pure. */
export function podBindingViolations(pods: Iterable<Pod>, nodeExists: (name: string) => boolean, time: number): Violation[] {
  const out: Violation[] = [];
  for (const p of pods) {
    const n = p.spec.nodeName;
    if (n === undefined || n === "" || nodeExists(n)) continue;
    out.push({ invariant: POD_BINDING.name, time, message: `pod ${p.metadata.namespace}/${p.metadata.name} is bound to node ${JSON.stringify(n)}, which does not exist` });
  }
  return out;
}
