import { describe, type Pod } from "../api/types.js";
import type { Settings } from "../settings.js";
import type { WatchType } from "../api/store.js";
import { NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

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
    out.push({ invariant: POD_BINDING.name, time, object: describe(p), message: `pod ${p.metadata.namespace}/${p.metadata.name} is bound to node ${JSON.stringify(n)}, which does not exist` });
  }
  return out;
}

/**
 * pod-binding, attributed to the Pod kind and to the pod garbage collector (which removes such pods; without it the
 * check is not created). Bookkeeping: the pods bound to each node, from Pod writes. A Pod write, or the deletion of
 * the node a pod is bound to, marks the pod dirty; after the event a dirty pod bound to a missing node becomes an
 * orphan with the garbage collector's deadline (orphanDeadline), and only an orphan still there past its deadline is
 * reported, once.
 */
export const POD_BINDING_CHECK: InvariantRegistration = {
  ...POD_BINDING,
  owners: [{ kind: "Pod" }, { controller: "pod-garbage-collector-controller" }],
  create(cluster) {
    const store = cluster.cp.store;
    const nodeExists = (n: string) => store.get("Node", undefined, n) !== undefined;
    /** Pod keys bound to each node. */
    const onNode = new Map<string, Set<string>>();
    const boundTo = new Map<string, string>();
    const dirty = new Set<string>();
    const orphans = new Map<string, { deadline: number; reported: boolean }>();
    const getPod = (key: string) => {
      const i = key.indexOf("/");
      return store.get<Pod>("Pod", key.slice(0, i), key.slice(i + 1));
    };
    const track = (type: WatchType, pod: Pod) => {
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      const before = boundTo.get(key);
      const node = type === "DELETED" ? undefined : pod.spec.nodeName || undefined;
      if (before !== undefined && before !== node) {
        onNode.get(before)?.delete(key);
        boundTo.delete(key);
      }
      if (node === undefined) {
        orphans.delete(key);
        return;
      }
      if (before !== node) {
        boundTo.set(key, node);
        let s = onNode.get(node);
        if (!s) onNode.set(node, (s = new Set()));
        s.add(key);
      }
      dirty.add(key);
    };
    /** Reports each orphan still bound to a missing node whose deadline `overdue` says has passed, once. */
    const checkOrphans = (time: number, overdue: (deadline: number) => boolean): Violation[] => {
      const out: Violation[] = [];
      for (const [key, o] of orphans) {
        if (o.reported || !overdue(o.deadline)) continue;
        const pod = getPod(key);
        if (!pod) continue;
        o.reported = true;
        for (const v of podBindingViolations([pod], nodeExists, time)) out.push({ ...v, message: `${v.message}, past the pod garbage collector's deadline of ${o.deadline} ms` });
      }
      return out;
    };
    for (const p of store.list<Pod>("Pod")) track("ADDED", p);
    return {
      watches: ["Pod", "Node"],
      onWrite(type, obj) {
        if (obj.kind === "Pod") track(type, obj as Pod);
        else if (type === "DELETED") for (const k of onNode.get(obj.metadata.name) ?? []) dirty.add(k);
      },
      afterEvent(time) {
        if (dirty.size > 0) {
          for (const key of dirty) {
            const p = getPod(key);
            if (!p) continue;
            if (podBindingViolations([p], nodeExists, time).length > 0) {
              if (!orphans.has(key)) orphans.set(key, { deadline: orphanDeadline(time, cluster.settings), reported: false });
            } else {
              orphans.delete(key);
            }
          }
          dirty.clear();
        }
        return orphans.size > 0 ? checkOrphans(time, (deadline) => deadline < time) : NONE;
      },
      // Every event up to `end` has run: an orphan whose deadline is `end` or earlier should be gone.
      finish: (end) => (orphans.size > 0 ? checkOrphans(end, (deadline) => deadline <= end) : NONE),
    };
  },
};
