/**
 * IP address text as the API validates it (k8s.io/utils/net ParseIPSloppy as used by pkg/apis/core/validation
 * ValidateIP*): an IPv4 dotted quad (leading zeros tolerated, as the sloppy parser does) or an IPv6 address.
 * k8sim's networks are IPv4; IPv6 is recognised so that validation can name the family.
 */

/** A dotted-quad IPv4 address as a 32-bit unsigned number, or undefined when `text` is not one. */
export function parseIPv4(text: string): number | undefined {
  // Pod IPs are validated on every Endpoints and EndpointSlice write; each address is parsed once.
  const known = PARSED.get(text);
  if (known !== undefined) return known === -1 ? undefined : known;
  const n = parseIPv4Text(text);
  if (PARSED.size >= PARSED_MAX) PARSED.clear();
  PARSED.set(text, n ?? -1);
  return n;
}

/** parseIPv4's results (-1: not an address), dropped whole when it holds PARSED_MAX (a cluster's pod IPs fit). */
const PARSED = new Map<string, number>();
const PARSED_MAX = 1 << 18;

function parseIPv4Text(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    n = n * 256 + o;
  }
  return n;
}

/** True when `text` is an IPv6 address (eight groups, one `::` elision, an optional trailing dotted quad). */
export function isIPv6(text: string): boolean {
  if (!text.includes(":") || /[^0-9a-fA-F:.]/.test(text)) return false;
  const halves = text.split("::");
  if (halves.length > 2) return false;
  let groups = 0;
  for (const h of halves) {
    if (h === "") continue;
    const parts = h.split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes(".") && h === halves[halves.length - 1]) {
        if (parseIPv4(p) === undefined) return false;
        groups += 2;
      } else if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return false;
      else groups++;
    }
  }
  return halves.length === 2 ? groups < 8 : groups === 8;
}

/** True when `text` is an IPv4 or IPv6 address (netutils.ParseIPSloppy(text) != nil). */
export function isIP(text: string): boolean {
  return parseIPv4(text) !== undefined || isIPv6(text);
}
