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
 * terminating ones included (they hold their resources until removed), as the scheduler cache counts them. A pod
 * created with spec.nodeName already set (`boundAtCreation`: it bypassed the scheduler) holds them only once the
 * kubelet has admitted it (status.startTime set): until then the kubelet may still reject it (OutOfcpu, ...), as
 * upstream's does, and an overcommit that the kubelet refuses is no breach of the node's capacity.
 */
export function holdsNodeResources(pod: Pod, boundAtCreation = false): boolean {
  const phase = pod.status?.phase;
  if (pod.spec.nodeName === undefined || pod.spec.nodeName === "" || phase === "Succeeded" || phase === "Failed") return false;
  return !boundAtCreation || pod.status?.startTime !== undefined;
}

/** The scheduler-fit invariant: what the scheduler binds, the kubelet admits. */
export const SCHEDULER_FIT: InvariantInfo = {
  name: "scheduler-fit",
  statement: "no pod the scheduler bound is rejected by the kubelet's admission for lack of resources (reason OutOf...)",
  when: "every-event",
};

/** Violations of scheduler-fit for one pod write (`boundAtCreation` as in holdsNodeResources). Pure. */
export function schedulerFitViolations(pod: Pod, boundAtCreation: boolean, time: number): Violation[] {
  const reason = pod.status?.reason;
  if (boundAtCreation || pod.status?.phase !== "Failed" || typeof reason !== "string" || !reason.startsWith("OutOf")) return [];
  return [{ invariant: SCHEDULER_FIT.name, time, message: `pod ${pod.metadata.namespace}/${pod.metadata.name}, bound by the scheduler to ${pod.spec.nodeName}, was rejected by the kubelet: ${reason}` }];
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
