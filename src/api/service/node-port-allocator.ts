/**
 * The API server's NodePort allocator (pkg/registry/core/service/portallocator allocator.go, with
 * pkg/registry/core/service/allocator bitmap.go randomScanStrategyWithOffset): ports of --service-node-port-range
 * (default 30000-32767) held in a bitmap; a port a Service names is taken if free, and a Service that names none
 * gets a random free port, drawn first from the upper part of the range so that the lower band (min(max(16,
 * size / 32), 128) ports: 30000-30085 by default) stays free for ports users pick. Draws come from the caller's
 * seeded stream. Groundwork for issue 9 (not wired yet).
 */
import { randInt, type Rng } from "../../engine/rng.js";

/** kube-apiserver --service-node-port-range's default. */
export const DEFAULT_NODE_PORT_RANGE = { base: 30000, size: 2768 } as const;

/** calculateRangeOffset: the size of the band kept for static allocation, min(max(16, size / 32), 128), 0 for tiny ranges. */
export function nodePortRangeOffset(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(Math.floor(size / 32), 16), 128);
}

/** An allocation's result: the port, or the field error's detail as upstream words it. */
export type PortAllocation = { readonly ok: true; readonly port: number } | { readonly ok: false; readonly detail: string };

/** One cluster's NodePort bitmap. */
export class NodePortAllocator {
  private readonly taken = new Set<number>();
  private readonly offset: number;

  constructor(
    private readonly rng: Rng,
    readonly base: number = DEFAULT_NODE_PORT_RANGE.base,
    readonly size: number = DEFAULT_NODE_PORT_RANGE.size,
  ) {
    this.offset = nodePortRangeOffset(size);
  }

  /** `30000-32767`, as the messages print the range. */
  get rangeText(): string {
    return `${this.base}-${this.base + this.size - 1}`;
  }

  /** Allocate(port): a port the Service names. */
  allocate(port: number): PortAllocation {
    if (port < this.base || port >= this.base + this.size) return { ok: false, detail: `provided port is not in the valid range. The range of valid ports is ${this.rangeText}` };
    if (this.taken.has(port)) return { ok: false, detail: "provided port is already allocated" };
    this.taken.add(port);
    return { ok: true, port };
  }

  /** AllocateNext: a random free port, the upper band first (randomScanStrategyWithOffset.AllocateBit). */
  allocateNext(): PortAllocation {
    if (this.taken.size >= this.size) return { ok: false, detail: "range is full" };
    const upper = this.size - this.offset;
    const scan = (first: number, count: number): number | undefined => {
      const start = randInt(this.rng, count);
      for (let i = 0; i < count; i++) {
        const at = first + ((start + i) % count);
        if (!this.taken.has(this.base + at)) return at;
      }
      return undefined;
    };
    const at = scan(this.offset, upper) ?? (this.offset > 0 ? scan(0, this.offset) : undefined);
    if (at === undefined) return { ok: false, detail: "range is full" };
    this.taken.add(this.base + at);
    return { ok: true, port: this.base + at };
  }

  /** Release: the port is free again (its Service was deleted or changed type). */
  release(port: number): void {
    this.taken.delete(port);
  }

  /** How many ports are taken. */
  get used(): number {
    return this.taken.size;
  }
}
