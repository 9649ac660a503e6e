import { formatCidr, parseCidr, type Cidr } from "../api/cidr.js";
import { describe, type Node } from "../api/types.js";
import { Findings, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The pod-cidr invariant. */
export const POD_CIDR: InvariantInfo = {
  name: "pod-cidr",
  statement:
    "a Node's pod CIDR (spec.podCIDR, equal to spec.podCIDRs[0]) is a block of the cluster CIDR of the node mask size, never changes once set, and no two Nodes hold the same block",
  when: "every-event",
};

/** The pod CIDR a node carries (spec.podCIDR), or undefined. */
export function podCIDROf(node: Node): string | undefined {
  return node.spec?.podCIDR;
}

/**
 * Violations of pod-cidr for one written node at `time`: its pod CIDR against the cluster CIDR `cluster` cut into
 * /`maskSize` blocks, the one it had before (`previous`), and `holder`, the other node holding that block, if any.
 * Pure.
 */
export function podCIDRViolations(node: Node, previous: string | undefined, holder: string | undefined, cluster: Cidr, maskSize: number, time: number): Violation[] {
  const out: Violation[] = [];
  const report = (message: string) => out.push({ invariant: POD_CIDR.name, time, object: describe(node), message });
  const spec = node.spec;
  const cidr = spec?.podCIDR;
  if (previous !== undefined && cidr !== previous) report(`spec.podCIDR changed from ${previous} to ${cidr ?? "(none)"}: it is set once`);
  if (cidr === undefined) return out;
  if (spec?.podCIDRs?.[0] !== cidr) report(`spec.podCIDRs ${JSON.stringify(spec?.podCIDRs ?? [])} does not start with spec.podCIDR ${cidr}`);
  const c = parseCidr(cidr);
  const size = 2 ** (32 - cluster.prefix);
  if (!c.ok) report(`spec.podCIDR: ${c.error}`);
  else if (c.value.prefix !== maskSize || c.value.base < cluster.base || c.value.base >= cluster.base + size) {
    report(`spec.podCIDR ${cidr} is no /${maskSize} block of the cluster CIDR ${formatCidr(cluster)}`);
  }
  if (holder !== undefined) report(`spec.podCIDR ${cidr} is Node/${holder}'s too`);
  return out;
}

/**
 * pod-cidr, attributed to node IPAM (created only when it runs). Bookkeeping: which node holds each block and each
 * node's block, from Node writes; every Node write is judged as written, O(1).
 */
export const POD_CIDR_CHECK: InvariantRegistration = {
  ...POD_CIDR,
  owners: [{ controller: "node-ipam-controller" }],
  create(cluster) {
    const { clusterCIDR, nodeCIDRMaskSize } = cluster.settings;
    const parsed = parseCidr(clusterCIDR);
    if (!parsed.ok) throw new Error(`pod-cidr: clusterCIDR: ${parsed.error}`);
    const range = parsed.value;
    const holderOf = new Map<string, string>();
    const cidrOf = new Map<string, string>();
    const found = new Findings();
    const track = (node: Node, deleted: boolean) => {
      const name = node.metadata.name;
      const before = cidrOf.get(name);
      const now = deleted ? undefined : podCIDROf(node);
      if (before !== undefined && before !== now) {
        if (holderOf.get(before) === name) holderOf.delete(before);
        cidrOf.delete(name);
      }
      if (now === undefined) return;
      cidrOf.set(name, now);
      if (!holderOf.has(now)) holderOf.set(now, name);
    };
    for (const n of cluster.cp.store.list<Node>("Node")) track(n, false);
    return {
      watches: ["Node"],
      onWrite(type, obj) {
        const node = obj as Node;
        if (type !== "DELETED") {
          const name = node.metadata.name;
          const cidr = podCIDROf(node);
          const before = cidrOf.get(name);
          // Most Node writes are status reports that leave the block as it was, judged already.
          const same = cidr === before && (cidr === undefined || node.spec.podCIDRs?.[0] === cidr);
          if (!same) {
            const holder = cidr === undefined ? undefined : holderOf.get(cidr);
            const vs = podCIDRViolations(node, before, holder === name ? undefined : holder, range, nodeCIDRMaskSize, cluster.sim.now);
            if (vs.length > 0) found.add(vs);
          }
        }
        track(node, type === "DELETED");
      },
      afterEvent: () => found.take(),
      finish: () => found.take(),
    };
  },
};
