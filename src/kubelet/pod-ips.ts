/**
 * Pod IPs from a node's pod CIDR (Node spec.podCIDR, assigned by node IPAM: src/controllers/node-ipam.ts), as the
 * CNI host-local IPAM plugin hands them out on the node (containernetworking/plugins plugins/ipam/host-local, the
 * allocator behind the bridge / ptp / flannel setups that use the node's pod CIDR).
 *
 * host-local's default range for a subnet starts at the network address + 2 and ends at the broadcast address - 1:
 * the network address itself, the gateway (network + 1, the bridge's address) and the broadcast address are never
 * given to a pod. A /24 such as 10.128.0.0/24 therefore gives 10.128.0.2 .. 10.128.0.254, 253 addresses.
 *
 * host-local allocates round robin from the last address it reserved and skips addresses still in use; the kubelet
 * (src/kubelet/kubelet.ts takePodIP) does the same over these offsets, so no two pods of a node share an address,
 * and a pod finding none free fails its sandbox and waits.
 */
import { formatIPv4, parseCidr, type Cidr } from "../api/cidr.js";
import type { Node } from "../api/types.js";

/** Addresses of a range host-local never hands out: network, gateway (network + 1) and broadcast. */
const RESERVED = 3;

/** The node's spec.podCIDR, if node IPAM has assigned one. */
export function nodePodCIDR(node: Node): string | undefined {
  return node.spec.podCIDR;
}

/** How many pod addresses a pod CIDR holds: its size less network, gateway and broadcast (0 for /31 and /32). */
export function podIPCapacity(podCIDR: Cidr): number {
  return Math.max(0, 2 ** (32 - podCIDR.prefix) - RESERVED);
}

/**
 * The address of the `n`-th pod (0-based) started on a node with pod CIDR `podCIDR`: network + 2 + (n mod
 * capacity). Undefined when the range holds no pod address at all (a /31 or /32).
 */
export function podIPAt(podCIDR: Cidr, n: number): string | undefined {
  const capacity = podIPCapacity(podCIDR);
  if (capacity === 0) return undefined;
  return formatIPv4(podCIDR.base + 2 + (n % capacity));
}

/** As `podIPAt`, for a pod CIDR as written in Node spec.podCIDR ("10.128.3.0/24"); undefined if it does not parse. */
export function podIP(podCIDR: string, n: number): string | undefined {
  const r = parseCidr(podCIDR);
  return r.ok ? podIPAt(r.value, n) : undefined;
}
