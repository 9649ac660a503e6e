/**
 * ValidateService and ValidateServiceUpdate (pkg/apis/core/validation/validation.go, v1.32), with upstream's field
 * paths and messages word for word. They see the Service as the registry does: defaulted (defaults.ts) and with
 * clusterIP / clusterIPs normalized (allocations.ts normalizeClusterIPs), so a headless Service is one whose
 * clusterIPs is exactly ["None"], as upstream's isHeadlessService.
 *
 * The node-port range and the cluster-IP range are not checked here: upstream refuses those at allocation
 * (allocations.ts), with their own messages.
 */
import { fieldError, type FieldError, type PathSegment } from "../validation/field-errors.js";
import { dns1123LabelProblems, dns1123SubdomainProblems, qualifiedNameProblems, validateLabels } from "../validation/object-meta.js";
import { externallyAccessible } from "./defaults.js";
import { isIP, isIPv6, parseIPv4 } from "./ip-address.js";
import { portNameProblems } from "./port-name.js";
import type { Service, ServicePort, ServiceSpec } from "./types.js";

/** core.MaxClientIPServiceAffinitySeconds: one day. */
export const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

/** sets.List of each enumeration: upstream prints the supported values sorted. */
const SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const AFFINITIES = ["ClientIP", "None"];
const TRAFFIC_POLICIES = ["Cluster", "Local"];
const IP_FAMILIES = ["IPv4", "IPv6"];
const IP_FAMILY_POLICIES = ["PreferDualStack", "RequireDualStack", "SingleStack"];

/** IsValidPortNum's message. */
export const PORT_NUM_MESSAGE = "must be between 1 and 65535, inclusive";
/** IsValidIP's message (1.32, before StrictIPCIDRValidation). */
export const INVALID_IP_MESSAGE = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

const DNS1035_LABEL_RE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** IsDNS1035Label's messages (ValidateServiceName = NameIsDNS1035Label). */
export function dns1035LabelProblems(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push("must be no more than 63 characters");
  if (!DNS1035_LABEL_RE.test(v)) {
    out.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  }
  return out;
}

/** A []string as field.Error prints it (%#v): `[]string{"10.96.0.5"}`. */
export function goStringSlice(v: readonly string[] | undefined): string {
  return v === undefined ? "[]string(nil)" : `[]string{${v.map((s) => JSON.stringify(s)).join(", ")}}`;
}

/** isHeadlessService: clusterIPs is exactly ["None"]. */
export function isHeadless(spec: ServiceSpec): boolean {
  return spec.clusterIPs?.length === 1 && spec.clusterIPs[0] === "None";
}

/** NeedsHealthCheck (pkg/api/service/util.go): a LoadBalancer with externalTrafficPolicy Local. */
export function needsHealthCheck(spec: ServiceSpec): boolean {
  return spec.type === "LoadBalancer" && spec.externalTrafficPolicy === "Local";
}

function invalidWithText(path: readonly PathSegment[], value: unknown, valueText: string, detail: string): FieldError {
  return { ...fieldError.invalid(path, value, detail), valueText };
}

/** ValidatePortNumOrName: a number 1..65535, or an IANA_SVC_NAME (IsValidPortName). */
export function validatePortNumOrName(port: number | string, path: readonly PathSegment[]): FieldError[] {
  if (typeof port === "number") return port >= 1 && port <= 65535 && Number.isInteger(port) ? [] : [fieldError.invalid(path, port, PORT_NUM_MESSAGE)];
  return portNameProblems(port).map((m) => fieldError.invalid(path, port, m));
}

/** ValidateNonSpecialIP: no unspecified, loopback, link-local or link-local multicast address. */
export function nonSpecialIPErrors(ip: string, path: readonly PathSegment[]): FieldError[] {
  const errs: FieldError[] = [];
  const v4 = parseIPv4(ip);
  if (v4 === undefined && !isIPv6(ip)) return [fieldError.invalid(path, ip, "must be a valid IP address")];
  const lower = ip.toLowerCase();
  const unspecified = v4 === 0 || (v4 === undefined && /^[0:]*$/.test(lower));
  const loopback = v4 !== undefined ? v4 >>> 24 === 127 : /^(0{0,4}:){0,7}:?0{0,3}1$/.test(lower) && lower.replace(/[:0]/g, "") === "1";
  const linkLocal = v4 !== undefined ? v4 >>> 16 === 0xa9fe : /^fe[89ab][0-9a-f]?:/.test(lower);
  const linkLocalMulticast = v4 !== undefined ? v4 >>> 8 === 0xe00000 : /^ff[0-9a-f]2:/.test(lower);
  if (unspecified) errs.push(fieldError.invalid(path, ip, `may not be unspecified (${ip})`));
  if (loopback) errs.push(fieldError.invalid(path, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
  if (linkLocal) errs.push(fieldError.invalid(path, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
  if (linkLocalMulticast) errs.push(fieldError.invalid(path, ip, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
  return errs;
}

/** validateServicePort: name (required when the Service has several ports; a DNS-1123 label; unique), port, protocol, targetPort, appProtocol. */
function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, path: readonly PathSegment[]): FieldError[] {
  const errs: FieldError[] = [];
  const name = sp.name ?? "";
  if (requireName && name === "") errs.push(fieldError.required([...path, "name"]));
  else if (name !== "") {
    for (const m of dns1123LabelProblems(name)) errs.push(fieldError.invalid([...path, "name"], name, m));
    if (names.has(name)) errs.push(fieldError.duplicate([...path, "name"], name));
    else names.add(name);
  }
  const port = sp.port ?? 0;
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) errs.push(fieldError.invalid([...path, "port"], port, PORT_NUM_MESSAGE));
  if (!sp.protocol) errs.push(fieldError.required([...path, "protocol"]));
  else if (!PROTOCOLS.includes(sp.protocol)) errs.push(fieldError.notSupported([...path, "protocol"], sp.protocol, PROTOCOLS));
  if (sp.targetPort !== undefined) errs.push(...validatePortNumOrName(sp.targetPort, [...path, "targetPort"]));
  if (sp.appProtocol !== undefined) for (const m of qualifiedNameProblems(sp.appProtocol)) errs.push(fieldError.invalid([...path, "appProtocol"], sp.appProtocol, m));
  return errs;
}

/** validateClientIPAffinityConfig with validateAffinityTimeout: timeoutSeconds in (0, 86400]. */
function validateClientIPAffinityConfig(config: ServiceSpec["sessionAffinityConfig"], path: readonly PathSegment[]): FieldError[] {
  const why = "when session affinity type is ClientIP";
  if (!config) return [fieldError.required(path, why)];
  if (!config.clientIP) return [fieldError.required([...path, "clientIP"], why)];
  const t = config.clientIP.timeoutSeconds;
  const tPath = [...path, "clientIP", "timeoutSeconds"];
  if (t === undefined) return [fieldError.required(tPath, why)];
  if (!(t > 0 && t <= MAX_CLIENT_IP_AFFINITY_SECONDS)) return [fieldError.invalid(tPath, t, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  return [];
}

/**
 * ValidateServiceClusterIPsRelatedFields: clusterIP and clusterIPs agree, ipFamilies and ipFamilyPolicy are known
 * values, each cluster IP is "None" (first and only) or an IP, at most two, one per family, matching ipFamilies.
 * Also run by the allocator before it allocates (initIPFamilyFields' loose pre-validation).
 */
export function validateClusterIPsRelatedFields(spec: ServiceSpec): FieldError[] {
  if (spec.type === "ExternalName") return [];
  const errs: FieldError[] = [];
  const ipsPath = ["spec", "clusterIPs"];
  const ips = spec.clusterIPs ?? [];
  const ipsText = goStringSlice(spec.clusterIPs);
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(fieldError.required(ipsPath));
    else if (ips[0] !== spec.clusterIP) errs.push(invalidWithText(ipsPath, ips, ipsText, "first value must match `clusterIP`"));
  } else if (ips.length !== 0) {
    errs.push(invalidWithText(ipsPath, ips, ipsText, "must be empty when `clusterIP` is not specified"));
  }
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (!IP_FAMILIES.includes(f)) errs.push(fieldError.notSupported(["spec", "ipFamilies", i], f, IP_FAMILIES));
    if (seen.has(f)) errs.push(fieldError.duplicate(["spec", "ipFamilies", i], f));
    seen.add(f);
  });
  if (spec.ipFamilyPolicy !== undefined && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(fieldError.notSupported(["spec", "ipFamilyPolicy"], spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === "None") {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(invalidWithText(ipsPath, ips, ipsText, "'None' must be the first and only value"));
      }
      return;
    }
    if (!isIP(ip)) {
      badIPs = true;
      errs.push(fieldError.invalid([...ipsPath, i], ip, INVALID_IP_MESSAGE));
    }
  });
  if (ips.length > 2) errs.push(invalidWithText(ipsPath, ips, ipsText, "may only hold up to 2 values"));
  if (badIPs) return errs;
  if (ips.length > 1 && isIPv6(ips[0]) === isIPv6(ips[1])) errs.push(invalidWithText(ipsPath, ips, ipsText, "may specify no more than one IP for each IP family"));
  if (!isHeadless(spec) && ips.length > 0 && (spec.ipFamilies?.length ?? 0) > 0) {
    const fams = spec.ipFamilies!;
    for (let i = 0; i < ips.length && i < fams.length; i++) {
      if (fams[i] === "IPv4" && isIPv6(ips[i])) errs.push(fieldError.invalid([...ipsPath, i], ips[i], `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (fams[i] === "IPv6" && !isIPv6(ips[i])) errs.push(fieldError.invalid([...ipsPath, i], ips[i], `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    }
  }
  return errs;
}

/** validateLoadBalancerClassField: immutable while LoadBalancer, a qualified name, only on LoadBalancer. */
function validateLoadBalancerClass(spec: ServiceSpec, old?: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const path = ["spec", "loadBalancerClass"];
  if (old && old.type === "LoadBalancer" && spec.type === "LoadBalancer" && old.loadBalancerClass !== spec.loadBalancerClass) {
    errs.push(fieldError.invalid(path, spec.loadBalancerClass ?? null, "may not change once set"));
  }
  if (spec.type === "LoadBalancer") {
    if (spec.loadBalancerClass !== undefined) for (const m of qualifiedNameProblems(spec.loadBalancerClass)) errs.push(fieldError.invalid(path, spec.loadBalancerClass, m));
  } else if (spec.loadBalancerClass !== undefined) errs.push(fieldError.forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
  return errs;
}

/** validateServiceExternalTrafficPolicy: the policy only (and always) on externally accessible Services; healthCheckNodePort only (and always) when NeedsHealthCheck. */
function validateExternalTrafficPolicy(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const etp = spec.externalTrafficPolicy ?? "";
  if (!externallyAccessible(spec)) {
    if (etp !== "") errs.push(fieldError.invalid(["spec", "externalTrafficPolicy"], etp, "may only be set for externally-accessible services"));
  } else if (etp === "") errs.push(fieldError.required(["spec", "externalTrafficPolicy"]));
  else if (!TRAFFIC_POLICIES.includes(etp)) errs.push(fieldError.notSupported(["spec", "externalTrafficPolicy"], etp, TRAFFIC_POLICIES));
  const hc = spec.healthCheckNodePort ?? 0;
  if (!needsHealthCheck(spec)) {
    if (hc !== 0) errs.push(fieldError.invalid(["spec", "healthCheckNodePort"], hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (hc === 0) errs.push(fieldError.required(["spec", "healthCheckNodePort"]));
  else if (!(hc >= 1 && hc <= 65535)) errs.push(fieldError.invalid(["spec", "healthCheckNodePort"], hc, PORT_NUM_MESSAGE));
  return errs;
}

/** The spec checks of ValidateService, in upstream's order (metadata is validateObjectMeta's, run by the registry). */
export function validateService(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec: ServiceSpec = svc.spec ?? {};
  const name = svc.metadata?.name;
  // NOTE: ValidateServiceName is IsDNS1035Label; the registry checks names as DNS-1123 labels (object-meta.ts has no
  // DNS-1035 rule), so the one name that passes that check and not DNS-1035, one starting with a digit, is reported
  // here with upstream's DNS-1035 text.
  if (name && dns1123LabelProblems(name).length === 0) for (const m of dns1035LabelProblems(name)) errs.push(fieldError.invalid(["metadata", "name"], name, m));
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  if (ports.length === 0 && !isHeadless(spec) && spec.type !== "ExternalName") errs.push(fieldError.required(["spec", "ports"]));
  switch (spec.type) {
    case "LoadBalancer":
    case "NodePort":
      // Reported at spec.clusterIPs[0] as upstream, shown at the manifest's spec.clusterIP (its parent when absent).
      if (isHeadless(spec)) errs.push({ ...fieldError.invalid(["spec", "clusterIPs", 0], "None", `may not be set to 'None' for ${spec.type} services`), pointer: ["spec", "clusterIP"] });
      break;
    case "ExternalName": {
      if ((spec.clusterIPs?.length ?? 0) > 0) errs.push(fieldError.forbidden(["spec", "clusterIPs"], "may not be set for ExternalName services"));
      if ((spec.ipFamilies?.length ?? 0) > 0) errs.push(fieldError.forbidden(["spec", "ipFamilies"], "may not be set for ExternalName services"));
      if (spec.ipFamilyPolicy !== undefined) errs.push(fieldError.forbidden(["spec", "ipFamilyPolicy"], "may not be set for ExternalName services"));
      // The value (a CNAME) may end in a dot, marking it fully qualified.
      const cname = (spec.externalName ?? "").replace(/\.$/, "");
      if (cname) for (const m of dns1123SubdomainProblems(cname)) errs.push(fieldError.invalid(["spec", "externalName"], cname, m));
      else errs.push(fieldError.required(["spec", "externalName"]));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p ?? ({} as ServicePort), ports.length > 1, names, ["spec", "ports", i])));
  if (spec.selector !== undefined && spec.selector !== null) errs.push(...validateLabels(spec.selector, ["spec", "selector"]));
  if (!spec.sessionAffinity) errs.push(fieldError.required(["spec", "sessionAffinity"]));
  else if (!AFFINITIES.includes(spec.sessionAffinity)) errs.push(fieldError.notSupported(["spec", "sessionAffinity"], spec.sessionAffinity, AFFINITIES));
  if (spec.sessionAffinity === "ClientIP") errs.push(...validateClientIPAffinityConfig(spec.sessionAffinityConfig, ["spec", "sessionAffinityConfig"]));
  else if (spec.sessionAffinity === "None" && spec.sessionAffinityConfig !== undefined) {
    errs.push(fieldError.forbidden(["spec", "sessionAffinityConfig"], "must not be set when session affinity is None"));
  }
  errs.push(...validateClusterIPsRelatedFields(spec));
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (!isIP(ip)) errs.push(fieldError.invalid(["spec", "externalIPs", i], ip, INVALID_IP_MESSAGE));
    else errs.push(...nonSpecialIPErrors(ip, ["spec", "externalIPs", i]));
  });
  if (!spec.type) errs.push(fieldError.required(["spec", "type"]));
  else if (!SERVICE_TYPES.includes(spec.type)) errs.push(fieldError.notSupported(["spec", "type"], spec.type, SERVICE_TYPES));
  if (spec.type === "ClusterIP") {
    ports.forEach((p, i) => {
      if (p?.nodePort) errs.push(fieldError.forbidden(["spec", "ports", i, "nodePort"], "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p?.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(fieldError.duplicate(["spec", "ports", i, "nodePort"], p.nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p?.protocol}/${p?.port}`;
    // NOTE: upstream prints the duplicate as Go's %#v of a core.ServicePort holding protocol and port; k8sim prints
    // those two fields as JSON (field-errors.ts prints Duplicate values with formatValue).
    if (portKeys.has(key)) errs.push(fieldError.duplicate(["spec", "ports", i], { protocol: p?.protocol, port: p?.port }));
    portKeys.add(key);
  });
  const ranges = spec.loadBalancerSourceRanges ?? [];
  if (ranges.length > 0) {
    const path = ["spec", "LoadBalancerSourceRanges"];
    if (spec.type !== "LoadBalancer") errs.push(fieldError.forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => {
      const v = r.trim();
      if (!isCidr(v)) errs.push(fieldError.invalid([...path, i], v, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
    });
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.type !== "LoadBalancer") {
    errs.push(fieldError.forbidden(["spec", "allocateLoadBalancerNodePorts"], "may only be used when `type` is 'LoadBalancer'"));
  }
  // Upstream's path really is the bare field name here (field.NewPath("allocateLoadBalancerNodePorts")).
  if (spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts === undefined) errs.push(fieldError.required(["allocateLoadBalancerNodePorts"]));
  errs.push(...validateLoadBalancerClass(spec));
  errs.push(...validateExternalTrafficPolicy(spec));
  if (spec.internalTrafficPolicy === undefined) {
    if (spec.type === "NodePort" || spec.type === "LoadBalancer" || spec.type === "ClusterIP") errs.push(fieldError.required(["spec", "internalTrafficPolicy"]));
  } else if (!TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) {
    errs.push(fieldError.notSupported(["spec", "internalTrafficPolicy"], spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== "PreferClose") {
    errs.push(fieldError.notSupported(["spec", "trafficDistribution"], spec.trafficDistribution, ["PreferClose"]));
  }
  return errs;
}

/** IsValidCIDR's accepted forms: an IPv4 or IPv6 address with a prefix length. */
function isCidr(v: string): boolean {
  const m = /^(.+)\/(\d{1,3})$/.exec(v);
  if (!m) return false;
  const bits = Number(m[2]);
  return parseIPv4(m[1]) !== undefined ? bits <= 32 : isIPv6(m[1]) && bits <= 128;
}

/**
 * ValidateServiceUpdate: the primary cluster IP and IP family may not change (except to, from or on ExternalName,
 * and between headless and not), loadBalancerClass is immutable while LoadBalancer, healthCheckNodePort is
 * immutable while needed; then ValidateService of the new object.
 */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const was = old.spec ?? {};
  if (spec.type !== "ExternalName" && was.type !== "ExternalName" && !(isHeadless(spec) && isHeadless(was))) {
    const now = spec.clusterIPs ?? [];
    const before = was.clusterIPs ?? [];
    const text = goStringSlice(spec.clusterIPs);
    if (before.length === now.length) {
      before.forEach((ip, i) => {
        if (ip !== now[i]) errs.push(invalidWithText(["spec", "clusterIPs", i], now, text, "may not change once set"));
      });
    } else if (before.length > now.length) {
      if (now.length === 0) errs.push(invalidWithText(["spec", "clusterIPs", 0], now, text, "primary clusterIP can not be unset"));
      if (now.length > 0 && now[0] !== before[0]) errs.push(invalidWithText(["spec", "clusterIPs", 0], now, text, "may not change once set"));
      if (now.length === 1 && spec.ipFamilyPolicy !== "SingleStack") {
        errs.push(fieldError.invalid(["spec", "ipFamilyPolicy"], spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
      }
    } else if (before.length > 0 && now[0] !== before[0]) {
      errs.push(invalidWithText(["spec", "clusterIPs", 0], now, text, "may not change once set"));
    }
  }
  if (spec.type !== "ExternalName" && was.type !== "ExternalName" && isHeadless(spec) === isHeadless(was) && !isHeadless(spec)) {
    const now = spec.ipFamilies ?? [];
    const before = was.ipFamilies ?? [];
    const famText = `[]core.IPFamily{${now.map((f) => JSON.stringify(f)).join(", ")}}`;
    if (before.length === now.length) {
      before.forEach((f, i) => {
        if (f !== now[i]) errs.push(invalidWithText(["spec", "ipFamilies", 0], now, famText, "may not change once set"));
      });
    } else if (before.length > now.length && now.length > 0 && now[0] !== before[0]) {
      errs.push(invalidWithText(["spec", "ipFamilies", 0], spec.clusterIPs, goStringSlice(spec.clusterIPs), "may not change once set"));
    } else if (before.length < now.length && before.length > 0 && now[0] !== before[0]) {
      errs.push(invalidWithText(["spec", "ipFamilies", 0], spec.clusterIPs, goStringSlice(spec.clusterIPs), "may not change once set"));
    }
  }
  // validateLoadBalancerClassField(old, svc): its format checks repeat those of ValidateService below, as upstream.
  errs.push(...validateLoadBalancerClass(spec, was));
  if (needsHealthCheck(was) && needsHealthCheck(spec) && spec.healthCheckNodePort !== was.healthCheckNodePort) {
    errs.push(fieldError.forbidden(["spec", "healthCheckNodePort"], "field is immutable"));
  }
  return [...errs, ...validateService(svc)];
}
