/**
 * The garbage collector's invariants (pkg/controller/garbagecollector/garbagecollector.go): an owner deleted in the
 * foreground goes only after every dependent that blocks its deletion is gone, and once the cluster has settled no
 * object keeps an ownerReference to an owner that no longer exists (the collector deletes such dependents, or drops
 * the reference when another owner remains).
 */
import { KINDS } from "../api/registry/registry.js";
import { describe, type KubeObject } from "../api/types.js";
import { Findings, NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The foreground-deletion invariant. */
export const FOREGROUND_DELETION: InvariantInfo = {
  name: "foreground-deletion",
  statement: "an object deleted with propagationPolicy Foreground is removed only after every dependent with blockOwnerDeletion naming it is gone",
  when: "every-event",
};

/** The owner-references invariant. */
export const OWNER_REFERENCES: InvariantInfo = {
  name: "owner-references",
  statement: "at a quiescent end no object that is not being deleted has an ownerReference whose owner (by uid) does not exist",
  when: "end",
};

/** The kinds whose objects can own or be owned: every registered kind but Event. */
const OWNABLE_KINDS = (): string[] => KINDS.map((k) => k.kind).filter((k) => k !== "Event");

/** The uids of `objects`. */
function uidIndex(objects: Iterable<KubeObject>): Set<string> {
  const s = new Set<string>();
  for (const o of objects) if (o.metadata.uid) s.add(o.metadata.uid);
  return s;
}

/** foreground-deletion, attributed to the garbage collector. Bookkeeping: blocking dependents per owner uid. */
export const FOREGROUND_DELETION_CHECK: InvariantRegistration = {
  ...FOREGROUND_DELETION,
  owners: [{ controller: "garbage-collector-controller" }],
  create(cluster) {
    const found = new Findings();
    // owner uid -> blocking dependents ("Kind/ns/name")
    const blocking = new Map<string, Set<string>>();
    const index = (o: KubeObject, sign: 1 | -1) => {
      for (const r of o.metadata.ownerReferences ?? []) {
        if (r.blockOwnerDeletion !== true) continue;
        let s = blocking.get(r.uid);
        if (sign > 0) {
          if (!s) blocking.set(r.uid, (s = new Set()));
          s.add(describe(o));
        } else if (s) {
          s.delete(describe(o));
          if (s.size === 0) blocking.delete(r.uid);
        }
      }
    };
    const present = OWNABLE_KINDS();
    for (const k of present) for (const o of cluster.cp.store.list(k)) index(o, 1);
    return {
      watches: present,
      onWrite(type, obj, old) {
        if (type !== "ADDED" && old) index(old, -1);
        if (type !== "DELETED") {
          index(obj, 1);
          return;
        }
        if (!obj.metadata.finalizers?.includes("foregroundDeletion") && !(obj.metadata.deletionTimestamp && old?.metadata.finalizers?.includes("foregroundDeletion"))) return;
        const left = blocking.get(obj.metadata.uid ?? "");
        if (left && left.size > 0) {
          const v: Violation = { invariant: FOREGROUND_DELETION.name, time: cluster.sim.now, object: describe(obj), message: `${describe(obj)}, deleted in the foreground, was removed while ${[...left].join(", ")} still blocked its deletion` };
          found.add([v]);
        }
      },
      afterEvent: () => found.take(),
      finish: () => found.take(),
    };
  },
};

/** owner-references, attributed to the garbage collector: checked once, at a quiescent end. */
export const OWNER_REFERENCES_CHECK: InvariantRegistration = {
  ...OWNER_REFERENCES,
  owners: [{ controller: "garbage-collector-controller" }],
  create(cluster) {
    return {
      finish(_end, quiescent) {
        if (!quiescent) return NONE;
        const store = cluster.cp.store;
        const all: KubeObject[] = [];
        for (const k of OWNABLE_KINDS()) for (const o of store.list(k)) all.push(o);
        const uids = uidIndex(all);
        const out: Violation[] = [];
        for (const o of all) {
          // Deletion requested: the collector did its part (a pod on an unreachable node stays Terminating).
          if (o.metadata.deletionTimestamp !== undefined) continue;
          for (const r of o.metadata.ownerReferences ?? []) {
            if (!uids.has(r.uid)) out.push({ invariant: OWNER_REFERENCES.name, time: cluster.sim.now, object: describe(o), message: `${describe(o)} still references ${r.kind} ${r.name} (uid ${r.uid}), which does not exist` });
          }
        }
        return out;
      },
    };
  },
};
