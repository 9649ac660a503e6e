import type { WatchType } from "../api/store.js";
import { KINDS } from "../api/registry/registry.js";
import { describe } from "../api/types.js";
import { Findings, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The resource-version invariant. */
export const RESOURCE_VERSION: InvariantInfo = {
  name: "resource-version",
  statement: "every store write gets a resourceVersion strictly above the previous write's, and a written object carries it",
  when: "every-event",
};

/** One committed write as a store watcher sees it. */
export interface ObservedWrite {
  type: WatchType;
  /** `Kind/namespace/name` (cluster-scoped: `Kind/name`). */
  key: string;
  /** metadata.resourceVersion of the object passed to watchers (the previous one for DELETED, as upstream). */
  objectVersion: string | undefined;
  /** The store's resourceVersion right after the write. */
  storeVersion: number;
}

/**
 * Violations of resource-version for one write, given the store's version after the previous write. ADDED and
 * MODIFIED objects must carry the new version; every write must raise the store's version. Pure.
 */
export function resourceVersionViolations(previous: number, w: ObservedWrite, time: number): Violation[] {
  const out: Violation[] = [];
  if (!(w.storeVersion > previous)) {
    out.push({ invariant: RESOURCE_VERSION.name, time, object: w.key, message: `${w.type} ${w.key}: store resourceVersion ${w.storeVersion} is not above the previous write's ${previous}` });
  }
  if (w.type !== "DELETED" && w.objectVersion !== String(w.storeVersion)) {
    out.push({ invariant: RESOURCE_VERSION.name, time, object: w.key, message: `${w.type} ${w.key}: object carries resourceVersion ${JSON.stringify(w.objectVersion)}, the store is at ${w.storeVersion}` });
  }
  return out;
}

/**
 * resource-version, attributed to the store (the one counter every kind shares). Watches every registered kind;
 * bookkeeping: the store's version after the previous write. O(1) per write.
 */
export const RESOURCE_VERSION_CHECK: InvariantRegistration = {
  ...RESOURCE_VERSION,
  owners: [{ component: "store" }],
  create(cluster) {
    const store = cluster.cp.store;
    let last = store.resourceVersion;
    const found = new Findings();
    return {
      watches: KINDS.map((k) => k.kind),
      onWrite(type, obj) {
        found.add(resourceVersionViolations(last, { type, key: describe(obj), objectVersion: obj.metadata.resourceVersion, storeVersion: store.resourceVersion }, cluster.sim.now));
        last = store.resourceVersion;
      },
      afterEvent: () => found.take(),
      finish: () => found.take(),
    };
  },
};
