import { NAMESPACED_KINDS } from "../api/registry/registry.js";
import { describe, type KubeObject } from "../api/types.js";
import { NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The namespace-exists invariant. */
export const NAMESPACE_EXISTS: InvariantInfo = {
  name: "namespace-exists",
  statement: "every namespaced object lives in a namespace that exists: none is created in a missing one, and deleting a namespace empties it first",
  when: "every-event",
};

/**
 * Violations of namespace-exists for namespace `ns`, which holds `count` objects (`example` one of them) and exists
 * or not. Pure.
 */
export function namespaceViolations(ns: string, exists: boolean, count: number, example: KubeObject | undefined, time: number): Violation[] {
  if (exists || count === 0) return [];
  const what = example ? `${describe(example)}${count > 1 ? ` and ${count - 1} other object(s)` : ""}` : `${count} object(s)`;
  return [{ invariant: NAMESPACE_EXISTS.name, time, object: example ? describe(example) : `Namespace/${ns}`, message: `${what} live in namespace ${JSON.stringify(ns)}, which does not exist` }];
}

/**
 * namespace-exists, attributed to the Namespace kind. Bookkeeping: the number of stored objects per namespace,
 * from ADDED and DELETED writes of every namespaced kind. A namespace is looked at after the event only when an
 * object was added to it or it was deleted; O(1) per write. Finding an example object to name scans the store, only
 * when the invariant is broken.
 *
 * The namespace controller (src/controllers/namespace) empties a Terminating namespace and finalizes it only once
 * nothing is left, and NamespaceLifecycle refuses creates meanwhile, so a removed namespace holds nothing.
 */
export const NAMESPACE_EXISTS_CHECK: InvariantRegistration = {
  ...NAMESPACE_EXISTS,
  owners: [{ kind: "Namespace" }],
  create(cluster) {
    const store = cluster.cp.store;
    const counts = new Map<string, number>();
    const dirty = new Set<string>();
    const bump = (ns: string, by: 1 | -1) => {
      const n = (counts.get(ns) ?? 0) + by;
      if (n === 0) counts.delete(ns);
      else counts.set(ns, n);
    };
    for (const kind of NAMESPACED_KINDS) for (const o of store.list(kind)) bump(o.metadata.namespace ?? "", 1);
    const example = (ns: string) => {
      for (const kind of NAMESPACED_KINDS) for (const o of store.list(kind)) if (o.metadata.namespace === ns) return o;
      return undefined;
    };
    return {
      watches: ["Namespace", ...NAMESPACED_KINDS],
      onWrite(type, obj) {
        if (obj.kind === "Namespace") {
          if (type === "DELETED") dirty.add(obj.metadata.name);
          return;
        }
        if (type === "MODIFIED") return;
        const ns = obj.metadata.namespace ?? "";
        bump(ns, type === "ADDED" ? 1 : -1);
        if (type === "ADDED") dirty.add(ns);
      },
      afterEvent(time) {
        if (dirty.size === 0) return NONE;
        let out: Violation[] | undefined;
        for (const ns of dirty) {
          const count = counts.get(ns) ?? 0;
          if (count === 0 || store.get("Namespace", undefined, ns) !== undefined) continue;
          (out ??= []).push(...namespaceViolations(ns, false, count, example(ns), time));
        }
        dirty.clear();
        return out ?? NONE;
      },
    };
  },
};
