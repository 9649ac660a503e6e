/**
 * LimitRanger (plugin/pkg/admission/limitranger/admission.go, v1.32): on a pod CREATE, the mutating phase gives each
 * container (init containers too) the requests and limits it lacks from the namespace's LimitRanges' Container
 * items (defaultRequest, default) and records what it set in the annotation `kubernetes.io/limit-ranger`; the
 * validating phase enforces each item's min, max and maxLimitRequestRatio per Container and per Pod, refusing with
 * `pods "NAME" is forbidden: maximum cpu usage per Container is 500m, but limit is 1`. Pod updates are not
 * handled (containers' resources cannot change), nor PersistentVolumeClaims (not simulated).
 */
import { compareStrings } from "../../engine/compare.js";
import { apiFailure } from "../api-result.js";
import { parseQuantity, type Quantity } from "../quantity.js";
import { formatQuantity } from "../quantity-format.js";
import { objectsInNamespace } from "../quota/namespace-index.js";
import type { LimitRange } from "../quota/types.js";
import type { Container, Pod } from "../types.js";
import type { AdmissionPlugin } from "./plugin.js";

/** The annotation LimitRanger writes (limitRangerAnnotation). */
export const LIMIT_RANGER_ANNOTATION = "kubernetes.io/limit-ranger";

/** defaultContainerResourceRequirements: the Container items' defaultRequest (requests) and default (limits). */
export function containerDefaults(lr: LimitRange): { requests: Record<string, string>; limits: Record<string, string> } {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== "Container") continue;
    Object.assign(requests, item.defaultRequest);
    Object.assign(limits, item.default);
  }
  return { requests, limits };
}

/** mergeContainerResources for one container: the container with what it lacked, and the annotation parts. */
function mergeContainer(c: Container, defaults: { requests: Record<string, string>; limits: Record<string, string> }, prefix: string, notes: string[]): Container {
  const limits = { ...c.resources?.limits };
  const requests = { ...c.resources?.requests };
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [k, v] of Object.entries(defaults.limits)) if (!(k in limits)) ((limits[k] = v), setLimits.push(k));
  for (const [k, v] of Object.entries(defaults.requests)) if (!(k in requests)) ((requests[k] = v), setRequests.push(k));
  if (setRequests.length > 0) notes.push(`${setRequests.sort(compareStrings).join(", ")} request for ${prefix} ${c.name}`);
  if (setLimits.length > 0) notes.push(`${setLimits.sort(compareStrings).join(", ")} limit for ${prefix} ${c.name}`);
  if (setLimits.length === 0 && setRequests.length === 0) return c;
  return { ...c, resources: { ...c.resources, requests, limits } };
}

/**
 * PodMutateLimitFunc for one LimitRange: the pod with the defaults merged and, when anything was set, the annotation
 * `LimitRanger plugin set: cpu, memory request for container app; cpu limit for container app` (containers, then
 * init containers). The same pod when the range sets nothing.
 */
export function applyLimitRangeDefaults(pod: Pod, lr: LimitRange): Pod {
  const defaults = containerDefaults(lr);
  if (Object.keys(defaults.requests).length === 0 && Object.keys(defaults.limits).length === 0) return pod;
  const notes: string[] = [];
  const containers = pod.spec.containers.map((c) => mergeContainer(c, defaults, "container", notes));
  const inits = pod.spec.initContainers?.map((c) => mergeContainer(c, defaults, "init container", notes));
  if (notes.length === 0) return pod;
  const spec = { ...pod.spec, containers, ...(inits ? { initContainers: inits } : {}) };
  const annotations = { ...pod.metadata.annotations, [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join("; ")}` };
  return { ...pod, metadata: { ...pod.metadata, annotations }, spec };
}

/** A resource map's parsed quantities (what does not parse was refused by pod validation already). */
function parsed(map: Record<string, string> | undefined): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [k, v] of Object.entries(map ?? {})) {
    const q = parseQuantity(String(v));
    if (q.ok) out.set(k, q.value);
  }
  return out;
}

/** MilliValue (rounded up, as ScaledValue), the precise comparison requestLimitEnforcedValues makes. */
function milli(q: Quantity | undefined): bigint {
  if (q === undefined) return 0n;
  return q.nanos >= 0n ? (q.nanos + 999_999n) / 1_000_000n : q.nanos / 1_000_000n;
}

type Check = (limitType: string, resource: string, enforced: Quantity, requests: Map<string, Quantity>, limits: Map<string, Quantity>) => string | undefined;

/** minConstraint. */
const minConstraint: Check = (t, r, enforced, requests, limits) => {
  const req = requests.get(r);
  const lim = limits.get(r);
  const e = formatQuantity(enforced);
  if (req === undefined) return `minimum ${r} usage per ${t} is ${e}.  No request is specified`;
  if (milli(req) < milli(enforced)) return `minimum ${r} usage per ${t} is ${e}, but request is ${formatQuantity(req)}`;
  if (lim !== undefined && milli(lim) < milli(enforced)) return `minimum ${r} usage per ${t} is ${e}, but limit is ${formatQuantity(lim)}`;
  return undefined;
};

/** maxConstraint. */
const maxConstraint: Check = (t, r, enforced, requests, limits) => {
  const req = requests.get(r);
  const lim = limits.get(r);
  const e = formatQuantity(enforced);
  if (lim === undefined) return `maximum ${r} usage per ${t} is ${e}.  No limit is specified`;
  if (milli(lim) > milli(enforced)) return `maximum ${r} usage per ${t} is ${e}, but limit is ${formatQuantity(lim)}`;
  if (req !== undefined && milli(req) > milli(enforced)) return `maximum ${r} usage per ${t} is ${e}, but request is ${formatQuantity(req)}`;
  return undefined;
};

/** limitRequestRatioConstraint: limit / request at most the ratio (compared in milli-units; %f shows the ratio). */
const ratioConstraint: Check = (t, r, enforced, requests, limits) => {
  const req = milli(requests.get(r));
  const lim = milli(limits.get(r));
  const e = formatQuantity(enforced);
  if (!requests.has(r) || req === 0n) return `${r} max limit to request ratio per ${t} is ${e}, but no request is specified or request is 0`;
  if (!limits.has(r) || lim === 0n) return `${r} max limit to request ratio per ${t} is ${e}, but no limit is specified or limit is 0`;
  const observed = Number(lim) / Number(req);
  if (observed * 1000 > Number(milli(enforced))) return `${r} max limit to request ratio per ${t} is ${e}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
};

/**
 * podRequests / podLimits of the limitranger package: per resource stated by some container, app containers add
 * up, init containers max (restartable ones add), in the format of the first container stating it.
 */
function podTotals(pod: Pod, field: "requests" | "limits"): Map<string, Quantity> {
  const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  const names = new Set<string>();
  for (const c of all) for (const k of Object.keys(c.resources?.[field] ?? {})) names.add(k);
  const out = new Map<string, Quantity>();
  for (const r of names) {
    let format: Quantity["format"] | undefined;
    const amount = (c: Container): bigint => {
      const q = parsed(c.resources?.[field]).get(r);
      if (q === undefined) return 0n;
      format ??= q.format;
      return q.nanos;
    };
    out.set(r, { nanos: combine(pod, amount), format: format ?? "DecimalSI" });
  }
  return out;
}

/** resources.ts combinePodAmounts, exact (BigInt nano-units). */
function combine(pod: Pod, amount: (c: Container) => bigint): bigint {
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  let total = 0n;
  for (const c of pod.spec.containers) total += amount(c);
  let restartable = 0n;
  let initMax = 0n;
  for (const c of pod.spec.initContainers ?? []) {
    const a = amount(c);
    if (c.restartPolicy === "Always") {
      total += a;
      restartable += a;
      initMax = max(initMax, restartable);
    } else initMax = max(initMax, a + restartable);
  }
  return max(total, initMax);
}

/**
 * PodValidateLimitFunc for one LimitRange: every violation, Container items checked per container (then init
 * containers), Pod items against the pod's totals; min, then max, then ratio, each in resource-name order (NOTE:
 * upstream ranges Go maps, in random order).
 */
export function podLimitViolations(lr: LimitRange, pod: Pod): string[] {
  const errs: string[] = [];
  for (const item of lr.spec?.limits ?? []) {
    const checks: [Check, Map<string, Quantity>][] = [
      [minConstraint, parsed(item.min)],
      [maxConstraint, parsed(item.max)],
      [ratioConstraint, parsed(item.maxLimitRequestRatio)],
    ];
    const run = (requests: Map<string, Quantity>, limits: Map<string, Quantity>) => {
      for (const [check, enforced] of checks) {
        for (const r of [...enforced.keys()].sort(compareStrings)) {
          const e = check(item.type, r, enforced.get(r)!, requests, limits);
          if (e !== undefined) errs.push(e);
        }
      }
    };
    if (item.type === "Container") {
      for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) run(parsed(c.resources?.requests), parsed(c.resources?.limits));
    } else if (item.type === "Pod") {
      run(podTotals(pod, "requests"), podTotals(pod, "limits"));
    }
  }
  return errs;
}

/** utilerrors.NewAggregate's text: one error as is, several de-duplicated as `[a, b]`. */
export function aggregateMessage(errs: readonly string[]): string {
  const seen = [...new Set(errs)];
  return seen.length === 1 ? seen[0]! : `[${seen.join(", ")}]`;
}

/** The plugin: pods on CREATE; each LimitRange of the namespace in creation order. */
export const limitRanger: AdmissionPlugin = {
  name: "LimitRanger",
  kinds: ["Pod"],
  enabledByDefault: true,
  operations: ["CREATE"],
  admit(req, { store }) {
    if (req.namespace === undefined) return req.object;
    let pod = req.object as Pod;
    for (const lr of objectsInNamespace<LimitRange>(store, "LimitRange", req.namespace)) pod = applyLimitRangeDefaults(pod, lr);
    return pod;
  },
  validate(req, { store }) {
    if (req.namespace === undefined) return undefined;
    // Every range's violations in one aggregate (NewAggregate flattens the per-range aggregates and drops repeats).
    const errs: string[] = [];
    for (const lr of objectsInNamespace<LimitRange>(store, "LimitRange", req.namespace)) errs.push(...podLimitViolations(lr, req.object as Pod));
    if (errs.length > 0) return apiFailure(403, "Forbidden", `pods "${req.name}" is forbidden: ${aggregateMessage(errs)}`);
    return undefined;
  },
};
