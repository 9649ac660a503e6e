/**
 * ValidateEndpoints (pkg/apis/core/validation/validation.go validateEndpointSubsets, validateEndpointAddress,
 * validateEndpointPort) and ValidateEndpointSlice (pkg/apis/discovery/validation/validation.go), v1.32, with
 * upstream's field paths and messages. Metadata (names are DNS-1123 subdomains for both) is the registry's.
 */
import { fieldError, type FieldError, type PathSegment } from "../validation/field-errors.js";
import { dns1123LabelProblems, dns1123SubdomainProblems, labelValueProblems, qualifiedNameProblems, validateLabels } from "../validation/object-meta.js";
import { isIP, isIPv6, parseIPv4 } from "./ip-address.js";
import type { EndpointAddress, EndpointPort, EndpointSlice, EndpointSubset, Endpoints, SlicePort } from "./types.js";
import { INVALID_IP_MESSAGE, nonSpecialIPErrors, PORT_NUM_MESSAGE } from "./validation.js";

/** discovery validation's limits: endpoints per slice, addresses per endpoint, ports per slice, zone hints. */
export const MAX_SLICE_ENDPOINTS = 1000;
export const MAX_ENDPOINT_ADDRESSES = 100;
/** NOTE: 100 before Kubernetes 1.26; 20000 since (port ranges), v1.32 included. */
export const MAX_SLICE_PORTS = 20000;
export const MAX_ZONE_HINTS = 8;
const MAX_TOPOLOGY_LABELS = 16;

const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"];

/**
 * field.TooMany: `path: Too many: 1001: must have at most 1000 items`.
 * NOTE: field-errors.ts has no TooMany type; k8sim reports it as an Invalid value carrying the count, which reads
 * `path: Invalid value: 1001: must have at most 1000 items`.
 */
function tooMany(path: readonly PathSegment[], actual: number, max: number): FieldError {
  return fieldError.invalid(path, actual, `must have at most ${max} items`);
}

function dns1123Label(value: string, path: readonly PathSegment[]): FieldError[] {
  return dns1123LabelProblems(value).map((m) => fieldError.invalid(path, value, m));
}

function validateAddress(a: { ip?: string; hostname?: string; nodeName?: string } | undefined, path: readonly PathSegment[]): FieldError[] {
  const errs: FieldError[] = [];
  const ip = a?.ip ?? "";
  const ipValid = isIP(ip);
  if (!ipValid) errs.push(fieldError.invalid([...path, "ip"], ip, INVALID_IP_MESSAGE));
  if (a?.hostname) errs.push(...dns1123Label(a.hostname, [...path, "hostname"]));
  if (a?.nodeName !== undefined) for (const m of dns1123SubdomainProblems(a.nodeName)) errs.push(fieldError.invalid([...path, "nodeName"], a.nodeName, m));
  if (ipValid) errs.push(...nonSpecialIPErrors(ip, [...path, "ip"]));
  return errs;
}

function validateEndpointPort(p: EndpointPort, requireName: boolean, path: readonly PathSegment[]): FieldError[] {
  const errs: FieldError[] = [];
  const name = p.name ?? "";
  if (requireName && name === "") errs.push(fieldError.required([...path, "name"]));
  else if (name !== "") errs.push(...dns1123Label(name, [...path, "name"]));
  if (!(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535)) errs.push(fieldError.invalid([...path, "port"], p.port ?? 0, PORT_NUM_MESSAGE));
  if (!p.protocol) errs.push(fieldError.required([...path, "protocol"]));
  else if (!PROTOCOLS.includes(p.protocol)) errs.push(fieldError.notSupported([...path, "protocol"], p.protocol, PROTOCOLS));
  if (p.appProtocol !== undefined) for (const m of qualifiedNameProblems(p.appProtocol)) errs.push(fieldError.invalid([...path, "appProtocol"], p.appProtocol, m));
  return errs;
}

/** Slice endpoints already found valid, with the addressType they were checked against. */
const VALID_ENDPOINTS = new WeakMap<object, string>();
/** Endpoints addresses already found valid. */
const VALID_ADDRESSES = new WeakSet<object>();

/** validateEndpointSubsets: each subset has addresses or notReadyAddresses, valid IPs that are not special, and ports (named when several). */
export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  const subsets: EndpointSubset[] = Array.isArray(ep.subsets) ? ep.subsets : [];
  subsets.forEach((ss, i) => {
    const path = ["subsets", i];
    const ready = ss?.addresses ?? [];
    const notReady = ss?.notReadyAddresses ?? [];
    if (ready.length === 0 && notReady.length === 0) errs.push(fieldError.required(path, "must specify `addresses` or `notReadyAddresses`"));
    // An address object found valid before (the controller reuses a pod's address across writes) is valid again.
    const check = (a: EndpointAddress, p: readonly PathSegment[]) => {
      if (a && VALID_ADDRESSES.has(a)) return;
      const found = validateAddress(a, p);
      if (found.length === 0 && a) VALID_ADDRESSES.add(a);
      else errs.push(...found);
    };
    ready.forEach((a, j) => check(a, [...path, "addresses", j]));
    notReady.forEach((a, j) => check(a, [...path, "notReadyAddresses", j]));
    const ports = ss?.ports ?? [];
    ports.forEach((p, j) => errs.push(...validateEndpointPort(p ?? ({} as EndpointPort), ports.length > 1, [...path, "ports", j])));
  });
  return errs;
}

/** ValidateEndpointsUpdate: the same checks on the new object (metadata rules are the registry's). */
export function validateEndpointsUpdate(ep: Endpoints, _old: Endpoints): FieldError[] {
  return validateEndpoints(ep);
}

/** IsFullyQualifiedDomainName: a DNS-1123 subdomain of at least two labels, a trailing dot allowed. */
function fqdnErrors(address: string, path: readonly PathSegment[]): FieldError[] {
  if (address === "") return [fieldError.required(path)];
  const name = address.endsWith(".") ? address.slice(0, -1) : address;
  const sub = dns1123SubdomainProblems(name);
  if (sub.length > 0) return [fieldError.invalid(path, name, sub.join(","))];
  const labels = name.split(".");
  if (labels.length < 2) return [fieldError.invalid(path, name, "should be a domain with at least two segments separated by dots")];
  for (const l of labels) {
    const p = dns1123LabelProblems(l);
    if (p.length > 0) return [fieldError.invalid(path, l, p.join(","))];
  }
  return [];
}

/**
 * ValidateEndpointSlice: addressType required and known; at most 1000 endpoints, each with 1..100 addresses of the
 * slice's type (IPv4 / IPv6 addresses also pass ValidateEndpointIP; FQDN names IsFullyQualifiedDomainName), a
 * valid nodeName and hostname, at most 8 distinct zone hints; at most 20000 ports, names DNS-1123 labels and
 * unique, protocol required and known.
 */
export function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  const type = slice.addressType;
  if (!type) errs.push(fieldError.required(["addressType"]));
  else if (!ADDRESS_TYPES.includes(type)) errs.push(fieldError.notSupported(["addressType"], type, ADDRESS_TYPES));
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > MAX_SLICE_ENDPOINTS) errs.push(tooMany(["endpoints"], endpoints.length, MAX_SLICE_ENDPOINTS));
  else {
    endpoints.forEach((e, i) => {
      // An endpoint object found valid before (the controller reuses a pod's endpoint across writes) is valid
      // again: the checks below read only the endpoint and the slice's addressType.
      if (e && VALID_ENDPOINTS.get(e) === type) return;
      const before = errs.length;
      const path = ["endpoints", i];
      const addrPath = [...path, "addresses"];
      const addrs = e?.addresses ?? [];
      if (addrs.length === 0) errs.push(fieldError.required(addrPath, "must contain at least 1 address"));
      else if (addrs.length > MAX_ENDPOINT_ADDRESSES) errs.push(tooMany(addrPath, addrs.length, MAX_ENDPOINT_ADDRESSES));
      addrs.forEach((a, j) => {
        const p = [...addrPath, j];
        if (type === "IPv4" || type === "IPv6") {
          const ok = type === "IPv4" ? parseIPv4(a) !== undefined : isIPv6(a);
          if (!ok) errs.push(fieldError.invalid(p, a, `must be a valid ${type} address`));
          errs.push(...nonSpecialIPErrors(a, p));
        } else if (type === "FQDN") errs.push(...fqdnErrors(a, p));
      });
      if (e?.nodeName !== undefined) for (const m of dns1123SubdomainProblems(e.nodeName)) errs.push(fieldError.invalid([...path, "nodeName"], e.nodeName, m));
      const topology = (e as { deprecatedTopology?: Record<string, string> } | undefined)?.deprecatedTopology;
      if (topology && Object.keys(topology).length > MAX_TOPOLOGY_LABELS) errs.push(tooMany([...path, "deprecatedTopology"], Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
      if (topology) errs.push(...validateLabels(topology, [...path, "deprecatedTopology"]));
      if (e?.hostname !== undefined) errs.push(...dns1123Label(e.hostname, [...path, "hostname"]));
      const zones = e?.hints?.forZones;
      if (zones) {
        const zPath = [...path, "hints", "forZones"];
        if (zones.length > MAX_ZONE_HINTS) errs.push(tooMany(zPath, zones.length, MAX_ZONE_HINTS));
        else {
          const seen = new Set<string>();
          zones.forEach((z, k) => {
            const p = [...zPath, k, "name"];
            if (seen.has(z.name)) errs.push(fieldError.duplicate(p, z.name));
            else seen.add(z.name);
            for (const m of labelValueProblems(z.name)) errs.push(fieldError.invalid(p, z.name, m));
          });
        }
      }
      if (e && errs.length === before && type !== undefined) VALID_ENDPOINTS.set(e, type);
    });
  }
  const ports: SlicePort[] = slice.ports ?? [];
  if (ports.length > MAX_SLICE_PORTS) errs.push(tooMany(["ports"], ports.length, MAX_SLICE_PORTS));
  else {
    const names = new Set<string>();
    ports.forEach((p, i) => {
      const path = ["ports", i];
      const name = p?.name ?? "";
      if (name !== "") errs.push(...dns1123Label(name, [...path, "name"]));
      if (names.has(name)) errs.push(fieldError.duplicate([...path, "name"], name));
      else names.add(name);
      if (!p?.protocol) errs.push(fieldError.required([...path, "protocol"]));
      else if (!PROTOCOLS.includes(p.protocol)) errs.push(fieldError.notSupported([...path, "protocol"], p.protocol, PROTOCOLS));
      if (p?.appProtocol !== undefined) for (const m of qualifiedNameProblems(p.appProtocol)) errs.push(fieldError.invalid([...path, "appProtocol"], p.appProtocol, m));
    });
  }
  return errs;
}

/** ValidateEndpointSliceUpdate: ValidateEndpointSlice, and addressType is immutable. */
export function validateEndpointSliceUpdate(slice: EndpointSlice, old: EndpointSlice): FieldError[] {
  const errs = validateEndpointSlice(slice);
  if (slice.addressType !== old.addressType) errs.push(fieldError.invalid(["addressType"], slice.addressType, "field is immutable"));
  return errs;
}
