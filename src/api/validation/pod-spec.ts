/**
 * PodSpec validation (pkg/apis/core/validation/validation.go ValidatePodSpec, ValidateContainers,
 * ValidateResourceRequirements), limited to the fields k8sim acts on, with upstream's field paths and messages.
 */
import { isRecord } from "../record.js";
import { mustBeWhole, parseQuantity, parseResourceList, QUANTITY_FORMAT_WRONG } from "../quantity.js";
import type { Container, PodSpec } from "../types.js";
import { fieldError, type FieldError, type PathSegment } from "./field-errors.js";
import { dns1123LabelProblems } from "./object-meta.js";
import { portNameProblems } from "../service/port-name.js";

/** Values of enum fields (core/v1 types.go constants). */
export const RESTART_POLICIES = ["Always", "OnFailure", "Never"] as const;
/** See RESTART_POLICIES (PullPolicy). */
export const PULL_POLICIES = ["Always", "IfNotPresent", "Never"] as const;
/** See RESTART_POLICIES (Protocol: supportedPortProtocols). */
export const PROTOCOLS = ["SCTP", "TCP", "UDP"] as const;
/** See RESTART_POLICIES (DNSPolicy, in validation.go's order). */
export const DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"] as const;


/** ValidatePodSpec on the defaulted spec at `path` (spec, or spec.template.spec). */
export function validatePodSpec(spec: PodSpec, path: readonly PathSegment[]): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) errs.push(fieldError.required([...path, "containers"]));
  for (const field of ["initContainers", "containers"] as const) {
    const list = spec[field];
    if (Array.isArray(list)) list.forEach((c, i) => errs.push(...validateContainer(c, [...path, field, i], names), ...validateProbes(c, [...path, field, i], field === "initContainers")));
  }
  if (spec.restartPolicy !== undefined && !RESTART_POLICIES.includes(spec.restartPolicy)) {
    errs.push(fieldError.notSupported([...path, "restartPolicy"], spec.restartPolicy, RESTART_POLICIES));
  }
  const dns = spec.dnsPolicy;
  if (typeof dns === "string" && !(DNS_POLICIES as readonly string[]).includes(dns)) errs.push(fieldError.notSupported([...path, "dnsPolicy"], dns, DNS_POLICIES));
  for (const f of ["activeDeadlineSeconds"] as const) {
    const v = spec[f];
    if (typeof v === "number" && v < 1) errs.push(fieldError.invalid([...path, f], v, "must be between 1 and 2147483647, inclusive"));
  }
  return errs;
}

function validateContainer(c: Container, path: readonly PathSegment[], names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!isRecord(c)) return errs;
  if (!c.name) errs.push(fieldError.required([...path, "name"]));
  else {
    for (const m of dns1123LabelProblems(c.name)) errs.push(fieldError.invalid([...path, "name"], c.name, m));
    if (names.has(c.name)) errs.push(fieldError.duplicate([...path, "name"], c.name));
    names.add(c.name);
  }
  if (!c.image) errs.push(fieldError.required([...path, "image"]));
  const pull = c.imagePullPolicy;
  if (typeof pull === "string" && !(PULL_POLICIES as readonly string[]).includes(pull)) errs.push(fieldError.notSupported([...path, "imagePullPolicy"], pull, PULL_POLICIES));
  if (Array.isArray(c.ports)) {
    const names = new Set<string>();
    c.ports.forEach((port, i) => {
      if (!isRecord(port)) return;
      const pp = [...path, "ports", i];
      // validateContainerPorts: a port name is an IANA_SVC_NAME (IsValidPortName), unique within the container.
      if (typeof port.name === "string" && port.name.length > 0) {
        const problems = portNameProblems(port.name);
        for (const m of problems) errs.push(fieldError.invalid([...pp, "name"], port.name, m));
        if (problems.length === 0 && names.has(port.name)) errs.push(fieldError.duplicate([...pp, "name"], port.name));
        names.add(port.name);
      }
      const n = port.containerPort;
      // validateContainerPorts: containerPort in 1..65535, protocol one of the supported ones.
      if (typeof n === "number" && (n < 1 || n > 65535)) errs.push(fieldError.invalid([...pp, "containerPort"], n, "must be between 1 and 65535, inclusive"));
      if (typeof port.protocol === "string" && !(PROTOCOLS as readonly string[]).includes(port.protocol)) errs.push(fieldError.notSupported([...pp, "protocol"], port.protocol, PROTOCOLS));
    });
  }
  if (isRecord(c.resources)) errs.push(...validateResources(c.resources, [...path, "resources"]));
  return errs;
}

/** The probe fields validateProbe checks for non-negative values (pkg/apis/core/validation/validation.go). */
const PROBE_COUNTS = ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] as const;
/** A probe's handlers: exactly one is set (validateHandler: "must specify a handler type"). */
const PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"] as const;

/**
 * validateProbe, validateLivenessProbe and validateStartupProbe: counts non-negative, one handler, and for liveness
 * and startup probes successThreshold 1 (`livenessProbe.successThreshold: Invalid value: 2: must be 1`). An init
 * container may have probes only as a sidecar (restartPolicy Always): `Forbidden: may not be set for init
 * containers without restartPolicy=Always`.
 */
function validateProbes(c: Container, path: readonly PathSegment[], init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!isRecord(c)) return errs;
  for (const kind of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
    const p = c[kind];
    if (!isRecord(p)) continue;
    const pp = [...path, kind];
    if (init && c.restartPolicy !== "Always") {
      errs.push(fieldError.forbidden(pp, "may not be set for init containers without restartPolicy=Always"));
      continue;
    }
    for (const f of PROBE_COUNTS) {
      const v = p[f];
      if (typeof v === "number" && v < 0) errs.push(fieldError.invalid([...pp, f], v, "must be greater than or equal to 0"));
    }
    const handlers = PROBE_HANDLERS.filter((h) => p[h] !== undefined && p[h] !== null);
    if (handlers.length === 0) errs.push(fieldError.required(pp, "must specify a handler type"));
    else if (handlers.length > 1) errs.push(fieldError.forbidden([...pp, handlers[1]!], "may not specify more than 1 handler type"));
    if (kind !== "readinessProbe" && typeof p.successThreshold === "number" && p.successThreshold !== 1) {
      errs.push(fieldError.invalid([...pp, "successThreshold"], p.successThreshold, "must be 1"));
    }
  }
  return errs;
}

/** The quantity's upstream problem: unparsable (the decoder's message), negative, fractional where whole numbers
 *  are required, or (k8sim's limit) too large to hold exactly. */
function quantityProblem(name: string, raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const r = parseQuantity(String(raw));
  if (!r.ok) return QUANTITY_FORMAT_WRONG;
  if (r.value.nanos < 0n) return "must be greater than or equal to 0";
  // pods and extended resources must be whole (ValidateResourceQuantityValue / validateBasicResource).
  if (mustBeWhole(name) && r.value.nanos % 1_000_000_000n !== 0n) return "must be an integer";
  // What is left is k8sim's own bound: a value too large to hold exactly.
  const single = parseResourceList({ [name]: raw });
  return single.ok ? undefined : single.errors[0]!.error;
}

/**
 * ValidateResourceRequirements: each quantity parses and is not negative (a bad quantity is a decoding error
 * upstream, reported here at its field), whole numbers where required, and a request no larger than its limit:
 * `resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`.
 * NOTE: upstream prints both quantities canonically (Quantity.String(): 0.5 -> 500m); k8sim prints them as written.
 */
function validateResources(res: Record<string, unknown>, path: readonly PathSegment[]): FieldError[] {
  const errs: FieldError[] = [];
  const ok: Record<string, boolean> = {};
  for (const kind of ["limits", "requests"] as const) {
    const list = res[kind];
    if (!isRecord(list)) continue;
    ok[kind] = true;
    for (const [name, raw] of Object.entries(list)) {
      const problem = quantityProblem(name, raw);
      if (problem === undefined) continue;
      ok[kind] = false;
      errs.push(fieldError.invalid([...path, kind, { key: name }], typeof raw === "number" ? String(raw) : raw, problem));
    }
  }
  const req = res.requests;
  const lim = res.limits;
  if (ok.requests && ok.limits && isRecord(req) && isRecord(lim)) {
    for (const [name, rv] of Object.entries(req)) {
      if (lim[name] === undefined) continue;
      const rq = parseQuantity(String(rv));
      const lq = parseQuantity(String(lim[name]));
      if (rq.ok && lq.ok && rq.value.nanos > lq.value.nanos) {
        const e = fieldError.invalid([...path, "requests"], String(rv), `must be less than or equal to ${name} limit of ${String(lim[name])}`);
        errs.push({ ...e, pointer: [...path, "requests", { key: name }] });
      }
    }
  }
  return errs;
}
