/**
 * Validation of ResourceQuota and LimitRange as the API server runs it (pkg/apis/core/validation/validation.go,
 * v1.32: ValidateResourceQuota, ValidateResourceQuotaSpec, validateResourceQuotaScopes,
 * validateScopedResourceSelectorRequirement, ValidateResourceQuotaUpdate, ValidateLimitRange), with upstream's field
 * paths and texts. Quantities that do not parse are refused earlier, by the kinds' decode (a 400, as upstream's
 * JSON decoding refuses them).
 */
import { compareStrings } from "../../engine/compare.js";
import { parseQuantity, QUANTITY_FORMAT_WRONG, type Quantity } from "../quantity.js";
import { formatQuantity } from "../quantity-format.js";
import type { QuotaScope } from "../quota/pod-usage.js";
import {
  isIntegerResourceName,
  isOvercommitAllowed,
  isScopeValidForResource,
  isStandardContainerResourceName,
  isStandardQuotaResourceName,
  isStandardResourceName,
  isExtendedResourceName,
  isNativeResource,
  STANDARD_QUOTA_SCOPES,
} from "../quota/resource-names.js";
import type { LimitRange, ResourceQuota, ResourceQuotaSpec } from "../quota/types.js";
import { fieldError, type FieldError, type PathSegment } from "./field-errors.js";
import { qualifiedNameProblems } from "./object-meta.js";

const NANO = 1_000_000_000n;

/**
 * A quantity as Go's %#v prints a resource.Quantity (how field.Invalid shows one: Quantity's String has a pointer
 * receiver, so the value is no fmt.Stringer): `resource.Quantity{i:resource.int64Amount{value:2, scale:0},
 * d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2", Format:"DecimalSI"}`. `stringed`: the validator called
 * String() on it in the same statement, so the cached `s` holds the canonical text; otherwise `s` is what
 * ParseQuantity cached (the input itself when already canonical, else empty).
 * NOTE: a value ParseQuantity keeps as an inf.Dec (a fractional binary quantity, more than 18 digits) prints a heap
 * address upstream; k8sim prints the quoted text instead.
 */
export function goQuantity(text: string, stringed: boolean): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?([a-zA-Z]*|[eE][-+]?\d+)$/.exec(text);
  const q = parseQuantity(text);
  if (!m || !q.ok) return JSON.stringify(text);
  const [, sign, intPart, frac = "", suffix] = m as unknown as [string, string, string, string | undefined, string];
  const num = intPart.replace(/^0+/, "");
  const binary = q.value.format === "BinarySI";
  let value: bigint;
  let scale: number;
  let canonical: boolean;
  const shifted = num + frac;
  if (binary) {
    if (frac !== "") return JSON.stringify(text);
    const exp = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }[suffix as "Ki"] ?? 0;
    const n = BigInt(shifted === "" ? "0" : shifted);
    value = n << BigInt(exp);
    scale = 0;
    canonical = exp % 10 === 0 && (n & 7n) !== 0n;
  } else {
    const exp = /^[eE]/.test(suffix) ? Number(suffix.slice(1)) : ({ n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 } as Record<string, number>)[suffix] ?? 0;
    scale = exp - frac.length;
    if (shifted.length > 18 || scale < -9) return JSON.stringify(text);
    value = BigInt(shifted === "" ? "0" : shifted);
    canonical = scale % 3 === 0 && !shifted.endsWith("000") && shifted[0] !== "0";
  }
  if (sign === "-") value = -value;
  const s = stringed ? formatQuantity(q.value) : canonical ? text : "";
  return `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${JSON.stringify(s)}, Format:${JSON.stringify(q.value.format)}}`;
}

/** validateResourceName: a qualified name, and a standard one when it has no "/". */
function validateResourceName(name: string, path: readonly PathSegment[]): FieldError[] {
  const problems = qualifiedNameProblems(name);
  if (problems.length > 0) return problems.map((p) => fieldError.invalid(path, name, p));
  if (!name.includes("/") && !isStandardResourceName(name)) return [fieldError.invalid(path, name, "must be a standard resource type or fully qualified")];
  return [];
}

/** ValidateResourceQuotaResourceName: validateResourceName, then `must be a standard resource for quota`. */
function validateQuotaResourceName(name: string, path: readonly PathSegment[]): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes("/") && !isStandardQuotaResourceName(name)) errs.push(fieldError.invalid(path, name, "must be a standard resource for quota"));
  return errs;
}

/** ValidateResourceQuantityValue: not negative; whole for counted names. */
function validateQuantityValue(resource: string, text: string, q: Quantity, path: readonly PathSegment[]): FieldError[] {
  const errs: FieldError[] = [];
  if (q.nanos < 0n) errs.push(fieldError.invalid(path, formatQuantity(q), "must be greater than or equal to 0"));
  if (isIntegerResourceName(resource) && (q.nanos / 1_000_000n) % 1000n !== 0n) {
    errs.push({ ...fieldError.invalid(path, text, "must be an integer"), valueText: goQuantity(text, false) });
  }
  return errs;
}

/** The entries of a resource map in Go's map order stand-in: sorted by name (Go's is random). */
function entries(map: Record<string, unknown> | undefined): [string, string][] {
  if (map === null || typeof map !== "object") return [];
  return Object.entries(map)
    .map(([k, v]) => [k, String(v)] as [string, string])
    .sort(([a], [b]) => compareStrings(a, b));
}

/** `[]core.ResourceQuotaScope{"BestEffort"}`: the scopes as %#v prints them. */
function goScopes(scopes: readonly string[]): string {
  return `[]core.ResourceQuotaScope{${scopes.map((s) => JSON.stringify(s)).join(", ")}}`;
}

/** The scope selector as %#v prints the (dereferenced) *core.ScopeSelector. */
function goScopeSelector(sel: { matchExpressions?: QuotaScope[] }): string {
  const reqs = (sel.matchExpressions ?? []).map(
    (r) => `core.ScopedResourceSelectorRequirement{ScopeName:${JSON.stringify(r.scopeName)}, Operator:${JSON.stringify(r.operator ?? "")}, Values:${r.values ? `[]string{${r.values.map((v) => JSON.stringify(v)).join(", ")}}` : "[]string(nil)"}}`,
  );
  return `core.ScopeSelector{MatchExpressions:${sel.matchExpressions ? `[]core.ScopedResourceSelectorRequirement{${reqs.join(", ")}}` : "[]core.ScopedResourceSelectorRequirement(nil)"}}`;
}

/**
 * ValidateResourceQuotaSpec: each hard name a standard quota resource (or qualified with a "/"), each value not
 * negative and whole for counted names; scopes standard, valid for every standard hard name, not conflicting
 * (BestEffort with NotBestEffort, Terminating with NotTerminating); the same for scopeSelector's expressions, whose
 * Terminating / BestEffort / CrossNamespacePodAffinity scopes take only Exists, In / NotIn need values and Exists /
 * DoesNotExist none. Map entries are checked in name order (NOTE: Go ranges its map in random order).
 */
export function validateResourceQuotaSpec(spec: ResourceQuotaSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const hard = entries(spec?.hard);
  for (const [k, text] of hard) {
    const path = ["spec", "hard", { key: k }];
    errs.push(...validateQuotaResourceName(k, path));
    const q = parseQuantity(text);
    if (q.ok) errs.push(...validateQuantityValue(k, text, q.value, path));
  }
  const scopes = spec?.scopes ?? [];
  if (scopes.length > 0) {
    const path = ["spec", "scopes"];
    const bad = (detail: string) => errs.push({ ...fieldError.invalid(path, scopes, detail), valueText: goScopes(scopes) });
    for (const scope of scopes) {
      if (!STANDARD_QUOTA_SCOPES.has(scope)) bad("unsupported scope");
      for (const [k] of hard) if (isStandardQuotaResourceName(k) && !isScopeValidForResource(scope, k)) bad("unsupported scope applied to resource");
    }
    if (conflicting(new Set(scopes))) bad("conflicting scopes");
  }
  const sel = spec?.scopeSelector;
  if (sel) {
    const path = ["spec", "scopeSelector", "matchExpressions"];
    const seen = new Set<string>();
    for (const req of sel.matchExpressions ?? []) {
      if (!STANDARD_QUOTA_SCOPES.has(req.scopeName)) errs.push(fieldError.invalid([...path, "scopeName"], req.scopeName, "unsupported scope"));
      for (const [k] of hard) {
        if (isStandardQuotaResourceName(k) && !isScopeValidForResource(req.scopeName, k)) {
          errs.push({ ...fieldError.invalid(path, sel, "unsupported scope applied to resource"), valueText: goScopeSelector(sel) });
        }
      }
      if (["BestEffort", "NotBestEffort", "Terminating", "NotTerminating", "CrossNamespacePodAffinity"].includes(req.scopeName) && req.operator !== "Exists") {
        errs.push(
          fieldError.invalid(
            [...path, "operator"],
            req.operator ?? "",
            "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
          ),
        );
      }
      switch (req.operator) {
        case "In":
        case "NotIn":
          if (!req.values || req.values.length === 0) errs.push(fieldError.required([...path, "values"], "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
          break;
        case "Exists":
        case "DoesNotExist":
          if (req.values && req.values.length > 0) {
            errs.push({ ...fieldError.invalid([...path, "values"], req.values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"), valueText: `[]string{${req.values.map((v) => JSON.stringify(v)).join(", ")}}` });
          }
          break;
        default:
          errs.push(fieldError.invalid([...path, "operator"], req.operator ?? "", "not a valid selector operator"));
      }
      seen.add(req.scopeName);
    }
    // Upstream reports the pair conflict with spec.scopes as the value (what it prints, even when scopes is empty).
    if (conflicting(seen)) errs.push({ ...fieldError.invalid(path, scopes, "conflicting scopes"), valueText: spec?.scopes ? goScopes(scopes) : "[]core.ResourceQuotaScope(nil)" });
  }
  return distinct(errs);
}

/**
 * The errors without repeats: upstream appends "unsupported scope applied to resource" once per offending hard name,
 * and ErrorList.ToAggregate prints each distinct text once (NOTE: the 422's causes keep the repeats upstream).
 */
function distinct(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const key = `${JSON.stringify(e.path)}|${e.type}|${e.valueText ?? JSON.stringify(e.value)}|${e.detail}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function conflicting(set: ReadonlySet<string>): boolean {
  return (set.has("BestEffort") && set.has("NotBestEffort")) || (set.has("Terminating") && set.has("NotTerminating"));
}

/** ValidateResourceQuotaStatus (a create may carry status; the controller overwrites it). */
function validateQuotaStatus(q: ResourceQuota): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of ["hard", "used"] as const) {
    for (const [k, text] of entries(q.status?.[field])) {
      const path = ["status", field, { key: k }];
      errs.push(...validateQuotaResourceName(k, path));
      const v = parseQuantity(text);
      if (v.ok) errs.push(...validateQuantityValue(k, text, v.value, path));
    }
  }
  return errs;
}

/** ValidateResourceQuota: the spec, then the status. */
export function validateResourceQuota(q: ResourceQuota): FieldError[] {
  return [...validateResourceQuotaSpec(q.spec), ...validateQuotaStatus(q)];
}

/** ValidateResourceQuotaUpdate: the spec, and spec.scopes immutable (as a set). */
export function validateResourceQuotaUpdate(q: ResourceQuota, old: ResourceQuota): FieldError[] {
  const errs = validateResourceQuotaSpec(q.spec);
  const a = new Set(q.spec?.scopes ?? []);
  const b = new Set(old.spec?.scopes ?? []);
  if (a.size !== b.size || [...a].some((s) => !b.has(s))) {
    const scopes = q.spec?.scopes ?? [];
    errs.push({ ...fieldError.invalid(["spec", "scopes"], scopes, "field is immutable"), valueText: q.spec?.scopes ? goScopes(scopes) : "[]core.ResourceQuotaScope(nil)" });
  }
  return errs;
}

/** validateLimitRangeResourceName: container resource names for Pod and Container, any resource name otherwise. */
function validateLimitRangeResourceName(type: string, name: string, path: readonly PathSegment[]): FieldError[] {
  if (type !== "Pod" && type !== "Container") return validateResourceName(name, path);
  const errs = validateResourceName(name, path);
  if (!name.includes("/")) {
    if (!isStandardContainerResourceName(name)) return [...errs, fieldError.invalid(path, name, "must be a standard resource for containers")];
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    return [...errs, fieldError.invalid(path, name, "doesn't follow extended resource name standard")];
  }
  return errs;
}

/** Go's %f: six decimals. */
function goFloat(x: number): string {
  return x.toFixed(6);
}

/**
 * ValidateLimitRange: each item's type standard (Pod, Container, PersistentVolumeClaim) or qualified and not repeated;
 * resource names valid for the type; default / defaultRequest forbidden for Pod; a PersistentVolumeClaim item needs
 * min or max storage; per resource min <= defaultRequest <= default <= max (`min value 2 is greater than max value
 * 1`), maxLimitRequestRatio >= 1 and <= max/min, and default = defaultRequest for resources that cannot overcommit.
 * Resources are checked in name order (NOTE: upstream ranges a Go set, in random order).
 */
export function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs: FieldError[] = [];
  const types = new Set<string>();
  const limits = Array.isArray(lr.spec?.limits) ? lr.spec.limits : [];
  limits.forEach((item, i) => {
    const idx: PathSegment[] = ["spec", "limits", i];
    const type = String(item.type ?? "");
    const typeProblems = qualifiedNameProblems(type);
    if (typeProblems.length > 0) for (const p of typeProblems) errs.push(fieldError.invalid([...idx, "type"], type, p));
    else if (!type.includes("/") && !["Pod", "Container", "PersistentVolumeClaim"].includes(type)) errs.push(fieldError.invalid([...idx, "type"], type, "must be a standard limit type or fully qualified"));
    if (types.has(type)) errs.push(fieldError.duplicate([...idx, "type"], type));
    types.add(type);
    const keys = new Set<string>();
    const read = (field: "max" | "min" | "default" | "defaultRequest" | "maxLimitRequestRatio") => {
      const out = new Map<string, { text: string; q: Quantity }>();
      for (const [k, text] of entries(item[field])) {
        errs.push(...validateLimitRangeResourceName(type, k, [...idx, field, { key: k }]));
        keys.add(k);
        const q = parseQuantity(text);
        if (q.ok) out.set(k, { text, q: q.value });
      }
      return out;
    };
    const max = read("max");
    const min = read("min");
    let defaults = new Map<string, { text: string; q: Quantity }>();
    let defaultRequests = new Map<string, { text: string; q: Quantity }>();
    if (type === "Pod") {
      if (entries(item.default).length > 0) errs.push(fieldError.forbidden([...idx, "default"], "may not be specified when `type` is 'Pod'"));
      if (entries(item.defaultRequest).length > 0) errs.push(fieldError.forbidden([...idx, "defaultRequest"], "may not be specified when `type` is 'Pod'"));
    } else {
      defaults = read("default");
      defaultRequests = read("defaultRequest");
    }
    if (type === "PersistentVolumeClaim" && item.min?.storage === undefined && item.max?.storage === undefined) {
      errs.push(fieldError.required([...idx, "limits"], "either minimum or maximum storage value is required, but neither was provided"));
    }
    const ratios = read("maxLimitRequestRatio");
    for (const k of [...keys].sort(compareStrings)) {
      const mn = min.get(k);
      const mx = max.get(k);
      const df = defaults.get(k);
      const dr = defaultRequests.get(k);
      const ratio = ratios.get(k);
      const s = (x: { q: Quantity }) => formatQuantity(x.q);
      const invalid = (field: string, v: { text: string }, detail: string) => errs.push({ ...fieldError.invalid([...idx, field, { key: k }], v.text, detail), valueText: goQuantity(v.text, true) });
      if (mn && mx && mn.q.nanos > mx.q.nanos) invalid("min", mn, `min value ${s(mn)} is greater than max value ${s(mx)}`);
      if (dr && mn && mn.q.nanos > dr.q.nanos) invalid("defaultRequest", dr, `min value ${s(mn)} is greater than default request value ${s(dr)}`);
      if (dr && mx && dr.q.nanos > mx.q.nanos) invalid("defaultRequest", dr, `default request value ${s(dr)} is greater than max value ${s(mx)}`);
      if (dr && df && dr.q.nanos > df.q.nanos) invalid("defaultRequest", dr, `default request value ${s(dr)} is greater than default limit value ${s(df)}`);
      if (df && mn && mn.q.nanos > df.q.nanos) invalid("default", mn, `min value ${s(mn)} is greater than default value ${s(df)}`);
      if (df && mx && df.q.nanos > mx.q.nanos) invalid("default", mx, `default value ${s(df)} is greater than max value ${s(mx)}`);
      if (ratio && ratio.q.nanos < NANO) invalid("maxLimitRequestRatio", ratio, `ratio ${s(ratio)} is less than 1`);
      if (ratio && mn && mx) {
        // Milli-values when they fit (they always do for simulated quantities): max/min as a float64.
        const maxRatioValue = Number(ratio.q.nanos / 1_000_000n) / 1000;
        const limit = Number(mx.q.nanos / 1_000_000n) / Number(mn.q.nanos / 1_000_000n);
        if (maxRatioValue > limit) invalid("maxLimitRequestRatio", ratio, `ratio ${s(ratio)} is greater than max/min = ${goFloat(limit)}`);
      }
      if (!isOvercommitAllowed(k) && df && dr && df.q.nanos !== dr.q.nanos) invalid("defaultRequest", dr, `default value ${s(df)} must equal to defaultRequest value ${s(dr)} in ${k}`);
    }
  });
  return errs;
}

/**
 * The decode check of a request body (kind-spec.ts `decode`): every quantity of `maps` must parse, else the 400
 * upstream's JSON decoding returns: `ResourceQuota in version "v1" cannot be handled as a ResourceQuota: quantities
 * must match the regular expression ...`.
 */
export function quantityDecodeFailure(kind: string, maps: [(string | number)[], Record<string, unknown> | undefined][]): { ok: false; message: string; path: (string | number)[] } | undefined {
  for (const [path, map] of maps) {
    if (map === null || typeof map !== "object") continue;
    for (const [k, v] of Object.entries(map)) {
      if ((typeof v !== "string" && typeof v !== "number") || !parseQuantity(String(v)).ok) {
        return { ok: false, message: `${kind} in version "v1" cannot be handled as a ${kind}: ${QUANTITY_FORMAT_WRONG}`, path: [...path, k] };
      }
    }
  }
  return undefined;
}
