import { nodeAllocatable, podRequests } from "../api/resources.js";
import { describe, type Node, type Pod } from "../api/types.js";
import type { WatchType } from "../api/store.js";
import { Findings, NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

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
  return [{ invariant: SCHEDULER_FIT.name, time, object: describe(pod), message: `pod ${pod.metadata.namespace}/${pod.metadata.name}, bound by the scheduler to ${pod.spec.nodeName}, was rejected by the kubelet: ${reason}` }];
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
      object: describe(node),
      message: `node ${node.metadata.name}: bound pods request ${used} ${resource}, allocatable is ${have} (${count} pod(s): ${who})`,
    });
  if (cpu > alloc.cpuMilli) report("millicores of cpu", cpu, alloc.cpuMilli);
  if (memory > alloc.memory) report("bytes of memory", memory, alloc.memory);
  if (count > alloc.pods) report("pods", count, alloc.pods);
  return out;
}

/** The store key of a pod ("namespace/name"). */
const podKey = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;

/**
 * node-capacity, attributed to the Node kind and to the kubelet (whose admission is what keeps it). Bookkeeping:
 * the pods holding resources on each node and the node each pod is bound to, from Pod writes; a Pod or Node write
 * marks the nodes it touches dirty, and after the event only those are summed again (at most one node's pods each).
 */
export const NODE_CAPACITY_CHECK: InvariantRegistration = {
  ...NODE_CAPACITY,
  owners: [{ kind: "Node" }, { component: "kubelet" }],
  create(cluster) {
    const store = cluster.cp.store;
    const holders = new Map<string, Map<string, Pod>>();
    const boundTo = new Map<string, string>();
    const boundAtCreation = new Set<string>();
    const dirty = new Set<string>();
    const track = (type: WatchType, pod: Pod) => {
      const key = podKey(pod);
      const before = boundTo.get(key);
      if (before !== undefined) {
        holders.get(before)?.delete(key);
        dirty.add(before);
      }
      if (type === "DELETED" || !pod.spec.nodeName) {
        boundTo.delete(key);
        if (type === "DELETED") boundAtCreation.delete(key);
        return;
      }
      if (type === "ADDED") boundAtCreation.add(key);
      const node = pod.spec.nodeName;
      boundTo.set(key, node);
      dirty.add(node);
      if (holdsNodeResources(pod, boundAtCreation.has(key))) {
        let m = holders.get(node);
        if (!m) holders.set(node, (m = new Map()));
        m.set(key, pod);
      }
    };
    for (const p of store.list<Pod>("Pod")) track("ADDED", p);
    return {
      watches: ["Pod", "Node"],
      onWrite(type, obj) {
        if (obj.kind === "Pod") track(type, obj as Pod);
        else dirty.add(obj.metadata.name);
      },
      afterEvent(time) {
        if (dirty.size === 0) return NONE;
        const out: Violation[] = [];
        for (const n of dirty) out.push(...nodeCapacityViolations(store.get<Node>("Node", undefined, n), holders.get(n)?.values() ?? [], time));
        dirty.clear();
        return out;
      },
    };
  },
};

/**
 * scheduler-fit, attributed to the scheduler. Bookkeeping: the pods created already bound (they bypassed the
 * scheduler, so a kubelet rejection of one is no scheduler bug); each bound Pod write is judged as it is committed.
 */
export const SCHEDULER_FIT_CHECK: InvariantRegistration = {
  ...SCHEDULER_FIT,
  owners: [{ component: "scheduler" }],
  create(cluster) {
    const boundAtCreation = new Set<string>();
    for (const p of cluster.cp.store.list<Pod>("Pod")) if (p.spec.nodeName) boundAtCreation.add(podKey(p));
    const found = new Findings();
    return {
      watches: ["Pod"],
      onWrite(type, obj) {
        const pod = obj as Pod;
        const key = podKey(pod);
        if (type === "DELETED") {
          boundAtCreation.delete(key);
          return;
        }
        if (!pod.spec.nodeName) return;
        if (type === "ADDED") boundAtCreation.add(key);
        found.add(schedulerFitViolations(pod, boundAtCreation.has(key), cluster.sim.now));
      },
      afterEvent: () => found.take(),
      finish: () => found.take(),
    };
  },
};
