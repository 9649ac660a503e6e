/**
 * The simulated cloud's load balancers (the cloudprovider.LoadBalancer interface k8s.io/cloud-provider/cloud.go:
 * GetLoadBalancer, EnsureLoadBalancer, EnsureLoadBalancerDeleted), one per Service uid, each holding one address of
 * settings.loadBalancerIPPool. Model, no upstream counterpart: a real provider's addresses, timing and errors are
 * its own. Addresses are handed out lowest first (the pool's network and broadcast addresses excluded), so runs are
 * reproducible without drawing random numbers; spec.loadBalancerIP, when set, is honoured as most providers do.
 */
import { formatCidr, formatIPv4, parseCidr } from "../../api/cidr.js";
import { parseIPv4 } from "../../api/service/ip-address.js";

/** An EnsureLoadBalancer outcome: the address, or the cloud's error text. */
export type EnsureResult = { readonly ok: true; readonly ip: string } | { readonly ok: false; readonly error: string };

/** The pool and the load balancers that hold its addresses. */
export class SimulatedCloud {
  private readonly first: number;
  private readonly size: number;
  private readonly poolText: string;
  /** Address by load balancer (Service uid), and the reverse. */
  private readonly byLB = new Map<string, number>();
  private readonly taken = new Set<number>();
  /** Lowest offset that may be free (every offset below it is taken). */
  private low = 0;

  constructor(pool: string) {
    const p = parseCidr(pool);
    if (!p.ok) throw new Error(p.error);
    this.poolText = formatCidr(p.value);
    const n = 2 ** (32 - p.value.prefix);
    // A /31 or /32 pool has no network or broadcast address to skip.
    this.first = n > 2 ? p.value.base + 1 : p.value.base;
    this.size = n > 2 ? n - 2 : n;
  }

  /** GetLoadBalancer: the address of the Service's load balancer, if it has one. */
  get(lb: string): string | undefined {
    const a = this.byLB.get(lb);
    return a === undefined ? undefined : formatIPv4(a);
  }

  /** EnsureLoadBalancer: the existing load balancer's address, or a new one (the address asked for, or the lowest free). */
  ensure(lb: string, requestedIP?: string): EnsureResult {
    const have = this.byLB.get(lb);
    if (have !== undefined && (!requestedIP || parseIPv4(requestedIP) === have)) return { ok: true, ip: formatIPv4(have) };
    let at: number | undefined;
    if (requestedIP) {
      const n = parseIPv4(requestedIP);
      if (n === undefined || n < this.first || n >= this.first + this.size) return { ok: false, error: `requested load balancer IP ${requestedIP} is not in the pool ${this.poolText}` };
      if (this.taken.has(n - this.first)) return { ok: false, error: `requested load balancer IP ${requestedIP} is already in use` };
      at = n - this.first;
    } else {
      while (this.low < this.size && this.taken.has(this.low)) this.low++;
      if (this.low >= this.size) return { ok: false, error: `no address left in the load balancer pool ${this.poolText}` };
      at = this.low;
    }
    if (have !== undefined) this.free(lb);
    this.taken.add(at);
    this.byLB.set(lb, this.first + at);
    return { ok: true, ip: formatIPv4(this.first + at) };
  }

  /** EnsureLoadBalancerDeleted: the address goes back to the pool (a no-op without a load balancer). */
  delete(lb: string): void {
    if (this.byLB.has(lb)) this.free(lb);
  }

  private free(lb: string): void {
    const at = this.byLB.get(lb)! - this.first;
    this.byLB.delete(lb);
    this.taken.delete(at);
    if (at < this.low) this.low = at;
  }

  /** Load balancers that exist. */
  get count(): number {
    return this.byLB.size;
  }
}
