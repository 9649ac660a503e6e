import type { Pod } from "../api/types.js";
import type { InvariantInfo, Violation } from "./types.js";

/** The pod-binding invariant. */
export const POD_BINDING: InvariantInfo = {
  name: "pod-binding",
  statement: "no pod is bound (spec.nodeName) to a node that does not exist",
  when: "every-event",
};

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
