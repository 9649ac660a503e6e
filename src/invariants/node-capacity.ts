import { nodeAllocatable, podRequests } from "../api/resources.js";
import type { Node, Pod } from "../api/types.js";
import type { InvariantInfo, Violation } from "./types.js";

/** The node-capacity invariant. */
export const NODE_CAPACITY: InvariantInfo = {
  name: "node-capacity",
  statement: "the requests of the pods bound to a node never exceed its allocatable, per resource (cpu, memory, pods)",
  when: "every-event",
};

/**
 * Whether a bound pod holds node resources: every pod with spec.nodeName that has not reached Succeeded or Failed,
 * terminating ones included (they hold their resources until removed), as the scheduler cache counts them.
 */
export function holdsNodeResources(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return pod.spec.nodeName !== undefined && pod.spec.nodeName !== "" && phase !== "Succeeded" && phase !== "Failed";
}

/**
 * Violations of node-capacity for one node: `pods` are the pods bound to it that hold resources (see
 * holdsNodeResources); their summed requests (cpu millicores, memory bytes, pod count) are compared with the node's
 * status.allocatable. A missing node is not this invariant's business (pod-binding reports it). Pure.
 */
export function nodeCapacityViolations(node: Node | undefined, pods: Iterable<Pod>, time: number): Violation[] {
  if (node === undefined) return [];
  const alloc = nodeAllocatable(node);
  let cpu = 0;
  let memory = 0;
  let count = 0;
  const names: string[] = [];
  for (const p of pods) {
    const r = podRequests(p);
    cpu += r.cpuMilli;
    memory += r.memory;
    count++;
    if (names.length < 5) names.push(`${p.metadata.namespace}/${p.metadata.name}`);
  }
  const out: Violation[] = [];
  const who = `${names.join(", ")}${count > names.length ? ", ..." : ""}`;
  const report = (resource: string, used: number, have: number) =>
    out.push({
      invariant: NODE_CAPACITY.name,
      time,
      message: `node ${node.metadata.name}: bound pods request ${used} ${resource}, allocatable is ${have} (${count} pod(s): ${who})`,
    });
  if (cpu > alloc.cpuMilli) report("millicores of cpu", cpu, alloc.cpuMilli);
  if (memory > alloc.memory) report("bytes of memory", memory, alloc.memory);
  if (count > alloc.pods) report("pods", count, alloc.pods);
  return out;
}
