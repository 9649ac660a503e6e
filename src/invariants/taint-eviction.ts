import type { EventRecord } from "../api/events.js";
import { describe, type KubeObject, type Node, type Pod } from "../api/types.js";
import { Findings, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The taint-eviction invariant. */
export const TAINT_EVICTION: InvariantInfo = {
  name: "taint-eviction",
  statement:
    "a pod the taint eviction controller marks for deletion (TaintManagerEviction) is bound to a node that carries a NoExecute taint, or lost its last one at most the informer latency ago (the controller acts on its informer's view)",
  when: "every-event",
};

/** What the check knows of a node's NoExecute taints. */
export interface NoExecuteState {
  /** Whether the node (as last written) carries a NoExecute taint. */
  tainted: boolean;
  /** Virtual time (ms) it last went from some NoExecute taints to none; undefined if it never did. */
  untaintedAt: number | undefined;
}

/**
 * Violations of taint-eviction for `pod`, marked for deletion by the taint eviction controller at `time`, bound to
 * a node in state `node` (undefined: a node never seen), with informer latency `latency` ms. Pure.
 */
export function taintEvictionViolations(pod: Pod, node: NoExecuteState | undefined, latency: number, time: number): Violation[] {
  if (node?.tainted) return [];
  if (node?.untaintedAt !== undefined && time - node.untaintedAt <= latency) return [];
  const since = node?.untaintedAt === undefined ? "has no NoExecute taint" : `has had no NoExecute taint since ${node.untaintedAt} ms, more than the informer latency of ${latency} ms ago`;
  return [{ invariant: TAINT_EVICTION.name, time, object: describe(pod), message: `marked for deletion by the taint eviction controller, but its node ${JSON.stringify(pod.spec.nodeName ?? "")} ${since}` }];
}

/** The upstream message of the controller's eviction event (taint_eviction.go: "Marking for deletion Pod %s"). */
const MARKING = "Marking for deletion Pod ";

/** Whether `e`, recorded at `time`, is the taint eviction controller's eviction event for `pod`. */
function isEvictionOf(e: EventRecord | undefined, pod: KubeObject, time: number): boolean {
  return e !== undefined && e.simTime === time && e.reason === "TaintManagerEviction" && e.involvedObject.uid === pod.metadata.uid && e.message.startsWith(MARKING);
}

const hasNoExecute = (n: Node) => n.spec?.taints?.some((t) => t.effect === "NoExecute") ?? false;

/**
 * taint-eviction, attributed to the taint eviction controller (created only when it runs). Bookkeeping: each node's
 * NoExecuteState, from Node writes. A pod write that starts its deletion (deletionTimestamp newly set, or removed
 * without one) right after the controller recorded its eviction event for that pod (the controller records it, then
 * deletes) is judged at once: O(1) per write.
 *
 * NOTE: a deleted Node keeps its last state: the controller does not cancel pending evictions when a Node goes
 * (k8sim never deletes one today).
 */
export const TAINT_EVICTION_CHECK: InvariantRegistration = {
  ...TAINT_EVICTION,
  owners: [{ controller: "taint-eviction-controller" }],
  create(cluster) {
    const { store, events } = cluster.cp;
    const latency = cluster.settings.informerLatency;
    const nodes = new Map<string, NoExecuteState>();
    const found = new Findings();
    const trackNode = (n: Node) => {
      const name = n.metadata.name;
      const tainted = hasNoExecute(n);
      const s = nodes.get(name);
      if (s === undefined) nodes.set(name, { tainted, untaintedAt: undefined });
      else if (s.tainted !== tainted) {
        s.tainted = tainted;
        if (!tainted) s.untaintedAt = cluster.sim.now;
      }
    };
    for (const n of store.list<Node>("Node")) trackNode(n);
    return {
      watches: ["Node", "Pod"],
      onWrite(type, obj, old) {
        if (obj.kind === "Node") {
          if (type !== "DELETED") trackNode(obj as Node);
          return;
        }
        const starts =
          type === "DELETED" ? obj.metadata.deletionTimestamp === undefined : type === "MODIFIED" && obj.metadata.deletionTimestamp !== undefined && old?.metadata.deletionTimestamp === undefined;
        if (!starts) return;
        const now = cluster.sim.now;
        if (!isEvictionOf(events.records[events.records.length - 1], obj, now)) return;
        const pod = obj as Pod;
        const vs = taintEvictionViolations(pod, nodes.get(pod.spec.nodeName ?? ""), latency, now);
        if (vs.length > 0) found.add(vs);
      },
      afterEvent: () => found.take(),
      finish: () => found.take(),
    };
  },
};
