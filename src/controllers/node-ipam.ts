import { parseCidr, formatCidr, type Cidr } from "../api/cidr.js";
import type { ControlPlane } from "../api/control-plane.js";
import { withFields } from "../api/copy.js";
import type { Node, NodeSpec } from "../api/types.js";
import { WorkQueue, type ReconcileResult } from "./runtime.js";

/** The engine component name of node IPAM (kube-controller-manager's "node-ipam-controller"). */
export const NODE_IPAM_COMPONENT = "node-ipam-controller";

/** The event source component of the range allocator's events (its recorder's EventSource). */
export const CIDR_ALLOCATOR_COMPONENT = "cidrAllocator";

/** The reason of the event recorded on a Node no pod CIDR is left for (nodeutil.RecordNodeStatusChange). */
export const CIDR_NOT_AVAILABLE = "CIDRNotAvailable";

const podCIDRsOf = (node: Node): string[] | undefined => node.spec.podCIDRs;

/**
 * The cluster CIDR cut into node-sized blocks (pkg/controller/nodeipam/ipam/cidrset/cidr_set.go CidrSet): block i is
 * clusterCIDR's base + i x 2^(32 - nodeCIDRMaskSize). AllocateNext is next-fit, as upstream: it scans from the block
 * after the one it allocated last, wrapping around, and takes the first free one. So blocks are handed out in
 * address order, and a released block is only reused once the scan has wrapped around to it.
 */
export class CidrSet {
  /** Number of blocks (maxCIDRs). */
  readonly size: number;
  private readonly used = new Set<number>();
  private nextCandidate = 0;

  constructor(
    readonly cluster: Cidr,
    readonly nodeMaskSize: number,
  ) {
    if (!(Number.isInteger(nodeMaskSize) && nodeMaskSize >= cluster.prefix && nodeMaskSize <= 32)) {
      throw new RangeError(`node CIDR mask size ${nodeMaskSize} must be an integer from ${cluster.prefix} (the cluster CIDR's prefix) to 32`);
    }
    this.size = 2 ** (nodeMaskSize - cluster.prefix);
  }

  /** Blocks allocated or occupied. */
  get allocated(): number {
    return this.used.size;
  }

  /** The next free block (AllocateNext), or undefined when none is left (ErrCIDRRangeNoCIDRsRemaining). */
  allocateNext(): Cidr | undefined {
    if (this.used.size >= this.size) return undefined;
    let candidate = this.nextCandidate;
    while (this.used.has(candidate)) candidate = (candidate + 1) % this.size;
    this.nextCandidate = (candidate + 1) % this.size;
    this.used.add(candidate);
    return this.block(candidate);
  }

  /** Marks a block as used (Occupy), e.g. one a Node already carries; false if it is not a block of this set. */
  occupy(cidr: Cidr): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined) return false;
    this.used.add(i);
    return true;
  }

  /** Frees a block (Release); false if it is not a block of this set. */
  release(cidr: Cidr): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined) return false;
    this.used.delete(i);
    return true;
  }

  private block(i: number): Cidr {
    return { base: this.cluster.base + i * 2 ** (32 - this.nodeMaskSize), prefix: this.nodeMaskSize };
  }

  private indexOf(cidr: Cidr): number | undefined {
    if (cidr.prefix !== this.nodeMaskSize) return undefined;
    const i = (cidr.base - this.cluster.base) / 2 ** (32 - this.nodeMaskSize);
    return Number.isInteger(i) && i >= 0 && i < this.size ? i : undefined;
  }
}

/**
 * Node IPAM with the range allocator (kube-controller-manager --allocate-node-cidrs with --cluster-cidr and
 * --node-cidr-mask-size: pkg/controller/nodeipam/ipam/range_allocator.go): gives every Node one block of
 * Settings.clusterCIDR of size /Settings.nodeCIDRMaskSize as spec.podCIDR and spec.podCIDRs (PatchNodeCIDRs), picked
 * by CidrSet.allocateNext, and frees it when the Node is deleted. A Node that already carries a pod CIDR keeps it
 * (occupyCIDRs). When no block is left, the Node gets none and the event `Node <name> status is now:
 * CIDRNotAvailable` (reason CIDRNotAvailable, source cidrAllocator) is recorded on it; the sync fails and is retried
 * with the work queue's rate-limited backoff, each attempt recording the event again, as upstream's workqueue-based
 * allocator does. The kubelet of such a node has no pod network (src/kubelet/kubelet.ts).
 *
 * NOTE: recorded as a Normal event, as RecordNodeStatusChange did for years; a later upstream revision of
 * range_allocator.go passes v1.EventTypeWarning instead.
 * NOTE: upstream enqueues a Node on every update; here only updates of a Node without a pod CIDR are (the others
 * are no-ops for the allocator), which saves an engine event per node status report. Only IPv4 single-stack.
 */
export class NodeIpamController {
  readonly cidrs: CidrSet;
  private readonly queue: WorkQueue;

  constructor(private readonly cp: ControlPlane) {
    const { clusterCIDR, nodeCIDRMaskSize } = cp.settings;
    const cluster = parseCidr(clusterCIDR);
    // The scenario loader has checked both settings; a cluster built by hand with bad ones fails here, at once.
    if (!cluster.ok) throw new Error(`node IPAM: clusterCIDR: ${cluster.error}`);
    this.cidrs = new CidrSet(cluster.value, nodeCIDRMaskSize);
    this.queue = new WorkQueue(cp.sim, NODE_IPAM_COMPONENT, (key) => this.sync(key.name));
    cp.informers.nodes.addHandlers({
      onAdd: (n) => this.queue.add(n.metadata),
      onUpdate: (_old, n) => {
        if (podCIDRsOf(n) === undefined) this.queue.add(n.metadata);
      },
      // Released in the handler, as upstream (the informer no longer has the Node by the time a sync runs).
      onDelete: (n) => this.release(n),
    });
  }

  /** syncNode: occupy the Node's pod CIDR, or allocate one and write it. */
  private sync(name: string): ReconcileResult | void {
    const node = this.cp.informers.nodes.get(undefined, name);
    if (node === undefined) return;
    if (node.metadata.deletionTimestamp !== undefined) return this.release(node);
    const existing = podCIDRsOf(node);
    if (existing !== undefined && existing.length > 0) {
      for (const c of existing) {
        const r = parseCidr(c);
        if (r.ok) this.cidrs.occupy(r.value);
      }
      return;
    }
    const block = this.cidrs.allocateNext();
    if (block === undefined) {
      this.cp.events.record(node, "Normal", CIDR_NOT_AVAILABLE, `Node ${name} status is now: ${CIDR_NOT_AVAILABLE}`, CIDR_ALLOCATOR_COMPONENT);
      return { error: "failed to allocate cidr from cluster cidr at idx:0: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range" };
    }
    return this.assign(name, block);
  }

  /** updateCIDRsAllocation: write the block to the Node as it is now, unless it has one by then. */
  private assign(name: string, block: Cidr): ReconcileResult | void {
    const cur = this.cp.api.get<Node>("Node", undefined, name);
    if (cur === undefined || (podCIDRsOf(cur)?.length ?? 0) > 0) {
      this.cidrs.release(block);
      return;
    }
    const podCIDR = formatCidr(block);
    const spec = withFields<NodeSpec>(cur.spec, { podCIDR, podCIDRs: [podCIDR] });
    const r = this.cp.api.update<Node>(withFields(cur, { spec }));
    if (!r.ok) {
      this.cidrs.release(block);
      return { error: r.message };
    }
  }

  /** ReleaseCIDR: free the Node's pod CIDRs. */
  private release(node: Node): void {
    for (const c of podCIDRsOf(node) ?? []) {
      const r = parseCidr(c);
      if (r.ok) this.cidrs.release(r.value);
    }
  }
}
