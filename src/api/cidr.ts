/**
 * IPv4 CIDR ranges (k8s.io/utils/net ParseCIDRSloppy as kube-controller-manager reads --cluster-cidr): the network
 * address as a 32-bit unsigned number and the prefix length. Only IPv4 is modelled.
 */

/** A parsed IPv4 CIDR: `base` is the network address (host bits cleared), `prefix` 0..32. */
export interface Cidr {
  base: number;
  prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "10.128.0.0/9"; refuses host bits set, as a CIDR naming a range must have none (net.ParseCIDR's
 *  network differs from the address otherwise, and upstream's allocator would silently use the network). */
export function parseCidr(text: string): { ok: true; value: Cidr } | { ok: false; error: string } {
  const m = CIDR_RE.exec(text);
  const bad = { ok: false as const, error: `invalid CIDR ${JSON.stringify(text)}: expected an IPv4 range such as 10.128.0.0/9` };
  if (!m) return bad;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o, i) => o > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith("0"))) || prefix > 32) return bad;
  const addr = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const base = prefix === 0 ? 0 : (addr & (0xffffffff << (32 - prefix))) >>> 0;
  if (base !== addr) return { ok: false, error: `invalid CIDR ${JSON.stringify(text)}: host bits are set; expected ${formatIPv4(base)}/${prefix}` };
  return { ok: true, value: { base, prefix } };
}

/** Dotted-quad text of a 32-bit address. */
export function formatIPv4(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
}

/** "a.b.c.d/p" of a range. */
export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}
