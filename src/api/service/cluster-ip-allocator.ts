/**
 * The API server's Service cluster-IP allocator over --service-cluster-ip-range (settings.serviceClusterIPRange),
 * as kube-apiserver v1.32 runs it: pkg/registry/core/service/ipallocator/bitmap.go (Range) over
 * pkg/registry/core/service/allocator/bitmap.go (AllocationBitmap with randomScanStrategyWithOffset).
 *
 * The range's network address and (IPv4) broadcast address are never handed out nor accepted; offset 0 is the
 * first usable address (10.96.0.1 by default, the `kubernetes` Service's). A Service that names no IP gets a random
 * free one from the upper part of the range first, so that the lower band of min(max(16, size / 16), 256)
 * addresses (10.96.0.1-10.96.1.0 by default) stays free for the addresses users pick.
 *
 * NOTE: v1.32 has two allocators: this bitmap one and the IPAddress-object one (pkg/registry/core/service/ipallocator
 * ipallocator.go, networking.k8s.io ServiceCIDR / IPAddress objects). The second is behind the
 * MultiCIDRServiceAllocator feature gate, beta and off by default in 1.31 and 1.32 (pkg/features/kube_features.go;
 * on by default from 1.33), so k8sim mirrors the bitmap allocator, which is what a default 1.32 cluster runs.
 */
import { randInt, type Rng } from "../../engine/rng.js";
import { formatCidr, formatIPv4, parseCidr, type Cidr } from "../cidr.js";
import { parseIPv4 } from "./ip-address.js";

/** ipallocator's errors, word for word (interfaces.go: ErrFull, ErrAllocated, ErrNotInRange). */
export const IP_RANGE_FULL = "range is full";
export const IP_ALREADY_ALLOCATED = "provided IP is already allocated";

/** calculateRangeOffset (ipallocator/bitmap.go): min(max(16, cidrSize / 16), 256), 0 for a range of 16 or fewer. */
export function clusterIPRangeOffset(cidrSize: number): number {
  if (cidrSize <= 16) return 0;
  return Math.min(Math.max(Math.floor(cidrSize / 16), 16), 256);
}

/** The first usable address of a range, the `kubernetes` Service's (controlplane ServiceIPRange: network + 1). */
export function firstServiceIP(range: string): string {
  const parsed = parseCidr(range);
  if (!parsed.ok) throw new Error(parsed.error);
  return formatIPv4(parsed.value.base + 1);
}

/** An allocation's result: the address, or the error text as upstream words it. */
export type IPAllocation = { readonly ok: true; readonly ip: string } | { readonly ok: false; readonly detail: string };

/** One cluster's bitmap of service IPs. */
export class ClusterIPAllocator {
  /** The network and its text, as messages print it ("10.96.0.0/12"). */
  readonly cidr: Cidr;
  readonly cidrText: string;
  /** First usable address (network + 1), as a 32-bit number. */
  private readonly base: number;
  /** Usable addresses: the range minus network and broadcast. */
  readonly size: number;
  private readonly offset: number;
  private readonly taken = new Set<number>();

  /** @param range an IPv4 CIDR (settings.serviceClusterIPRange, validated when settings load). */
  constructor(
    private readonly rng: Rng,
    range: string,
  ) {
    const parsed = parseCidr(range);
    if (!parsed.ok) throw new Error(parsed.error);
    this.cidr = parsed.value;
    this.cidrText = formatCidr(this.cidr);
    const cidrSize = 2 ** (32 - this.cidr.prefix);
    this.base = this.cidr.base + 1;
    this.size = Math.max(0, cidrSize - 2);
    this.offset = clusterIPRangeOffset(cidrSize);
  }

  /** The first usable address of the range (the `kubernetes` Service's: controlplane's GetAPIServerServiceIP). */
  get firstAddress(): string {
    return formatIPv4(this.base);
  }

  /** Range.contains: the offset of an address inside the usable part of the range, else undefined. */
  private offsetOf(ip: string): number | undefined {
    const n = parseIPv4(ip);
    if (n === undefined) return undefined;
    const at = n - this.base;
    return at >= 0 && at < this.size ? at : undefined;
  }

  /** Allocate(ip): an address the Service names; refused when outside the usable range or already taken. */
  allocate(ip: string): IPAllocation {
    const at = this.offsetOf(ip);
    if (at === undefined) return { ok: false, detail: `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidrText}` };
    if (this.taken.has(at)) return { ok: false, detail: IP_ALREADY_ALLOCATED };
    this.taken.add(at);
    return { ok: true, ip: formatIPv4(this.base + at) };
  }

  /** AllocateNext: a random free address, the upper band first (randomScanStrategyWithOffset.AllocateBit). */
  allocateNext(): IPAllocation {
    if (this.taken.size >= this.size) return { ok: false, detail: IP_RANGE_FULL };
    const scan = (first: number, count: number): number | undefined => {
      if (count <= 0) return undefined;
      const start = randInt(this.rng, count);
      for (let i = 0; i < count; i++) {
        const at = first + ((start + i) % count);
        if (!this.taken.has(at)) return at;
      }
      return undefined;
    };
    const at = scan(this.offset, this.size - this.offset) ?? scan(0, this.offset);
    if (at === undefined) return { ok: false, detail: IP_RANGE_FULL };
    this.taken.add(at);
    return { ok: true, ip: formatIPv4(this.base + at) };
  }

  /** Release: the address is free again; an address outside the range or not taken is a no-op, as upstream. */
  release(ip: string): void {
    const at = this.offsetOf(ip);
    if (at !== undefined) this.taken.delete(at);
  }

  /** Has: the address is taken. */
  has(ip: string): boolean {
    const at = this.offsetOf(ip);
    return at !== undefined && this.taken.has(at);
  }

  /** How many addresses are taken. */
  get used(): number {
    return this.taken.size;
  }
}
