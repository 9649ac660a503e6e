import { NODE_LEASE_NAMESPACE } from "../api/apiserver.js";
import { describe, type Lease } from "../api/types.js";
import { Findings, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The node-lease invariant. */
export const NODE_LEASE: InvariantInfo = {
  name: "node-lease",
  statement:
    "a Lease's leaseDurationSeconds is a whole number > 0 and its renewTime is never in the future nor earlier than the renewal before; a node Lease (kube-node-lease) is held by the node it is named after, and that Node exists",
  when: "every-event",
};

/**
 * Violations of node-lease for one written Lease at virtual time `time` (`previous`: the version it replaced, if
 * any; `parse` reads a timestamp as virtual ms). The node's existence is checked apart (nodeLeaseOwnerViolations).
 * Pure.
 */
export function leaseViolations(lease: Lease, previous: Lease | undefined, time: number, parse: (ts: string) => number): Violation[] {
  const out: Violation[] = [];
  const report = (message: string) => out.push({ invariant: NODE_LEASE.name, time, object: describe(lease), message });
  const spec = lease.spec ?? ({} as Partial<Lease["spec"]>);
  const d = spec.leaseDurationSeconds;
  if (d !== undefined && !(Number.isInteger(d) && d > 0)) report(`spec.leaseDurationSeconds is ${d}, not a whole number > 0`);
  if (spec.renewTime !== undefined) {
    const at = parse(spec.renewTime);
    if (!(at <= time)) report(`spec.renewTime ${spec.renewTime} is after the current time (${time} ms)`);
    const before = previous?.spec?.renewTime;
    if (before !== undefined && parse(before) > at) report(`spec.renewTime went back from ${before} to ${spec.renewTime}`);
  }
  if (lease.metadata.namespace === NODE_LEASE_NAMESPACE && spec.holderIdentity !== undefined && spec.holderIdentity !== lease.metadata.name) {
    report(`node lease held by ${JSON.stringify(spec.holderIdentity)}, not by the node it is named after`);
  }
  return out;
}

/** Violations of node-lease for node lease `lease`, given whether its Node exists. Pure. */
export function nodeLeaseOwnerViolations(lease: Lease, nodeExists: boolean, time: number): Violation[] {
  if (nodeExists || lease.metadata.namespace !== NODE_LEASE_NAMESPACE) return [];
  return [{ invariant: NODE_LEASE.name, time, object: describe(lease), message: `node lease of node ${JSON.stringify(lease.metadata.name)}, which does not exist` }];
}

/**
 * node-lease, attributed to the Lease kind (the kubelet writes node leases; the Node's deletion removes its lease
 * upstream, through the ownerReference the kubelet sets). Every Lease write is judged as written; a node lease
 * written, or a Node deleted, marks that name, and after the event the node lease and Node of each marked name are
 * looked up: O(1) per write.
 *
 * NOTE: k8sim never deletes a Node today (a failed node stays, NotReady), so a node lease always has its Node;
 * the day Nodes can go, their leases must go with them, and this check says so.
 */
export const NODE_LEASE_CHECK: InvariantRegistration = {
  ...NODE_LEASE,
  owners: [{ kind: "Lease" }],
  create(cluster) {
    const { store, clock } = cluster.cp;
    const parse = (ts: string) => clock.parse(ts);
    const found = new Findings();
    const dirty = new Set<string>();
    return {
      watches: ["Lease", "Node"],
      onWrite(type, obj, old) {
        if (obj.kind === "Node") {
          if (type === "DELETED") dirty.add(obj.metadata.name);
          return;
        }
        if (type === "DELETED") return;
        const lease = obj as Lease;
        const vs = leaseViolations(lease, type === "MODIFIED" ? (old as Lease) : undefined, cluster.sim.now, parse);
        if (vs.length > 0) found.add(vs);
        if (lease.metadata.namespace === NODE_LEASE_NAMESPACE) dirty.add(lease.metadata.name);
      },
      afterEvent(time) {
        if (dirty.size > 0) {
          for (const name of dirty) {
            const lease = store.get<Lease>("Lease", NODE_LEASE_NAMESPACE, name);
            if (lease) found.add(nodeLeaseOwnerViolations(lease, store.get("Node", undefined, name) !== undefined, time));
          }
          dirty.clear();
        }
        return found.take();
      },
      finish: () => found.take(),
    };
  },
};
