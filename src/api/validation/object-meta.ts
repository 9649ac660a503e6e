/**
 * Name, namespace and label validation (k8s.io/apimachinery/pkg/util/validation/validation.go and
 * pkg/api/validation/objectmeta.go), with upstream's messages word for word.
 */
import type { LabelSelector } from "../types.js";
import { fieldError, type FieldError, type PathSegment } from "./field-errors.js";

/** DNS-1123 label (IsDNS1123Label). */
export const DNS1123_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain (IsDNS1123Subdomain). */
export const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** IsDNS1123Label's messages (validation.go dns1123LabelErrMsg, DNS1123LabelMaxLength 63). */
export function dns1123LabelProblems(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push("must be no more than 63 characters");
  if (!DNS1123_LABEL_RE.test(v)) {
    out.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
  }
  return out;
}

/** IsDNS1123Subdomain's messages (dns1123SubdomainErrorMsg, DNS1123SubdomainMaxLength 253). */
export function dns1123SubdomainProblems(v: string): string[] {
  const out: string[] = [];
  if (v.length > 253) out.push("must be no more than 253 characters");
  if (!DNS1123_SUBDOMAIN_RE.test(v)) {
    out.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }
  return out;
}

/** IsQualifiedName (label and annotation keys: an optional DNS subdomain prefix and a name part). */
export function qualifiedNameProblems(v: string): string[] {
  const parts = v.split("/");
  let name = v;
  const out: string[] = [];
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (prefix.length === 0) out.push("prefix part must be non-empty");
    else for (const m of dns1123SubdomainProblems(prefix)) out.push(`prefix part ${m}`);
  } else if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) out.push("name part must be non-empty");
  else if (name.length > 63) out.push("name part must be no more than 63 characters");
  if (name.length > 0 && !QUALIFIED_NAME_RE.test(name)) {
    out.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  }
  return out;
}

/** IsValidLabelValue. */
export function labelValueProblems(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push("must be no more than 63 characters");
  if (!LABEL_VALUE_RE.test(v)) {
    out.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  }
  return out;
}

/** ValidateLabels (metav1validation): each key a qualified name, each value a label value. */
export function validateLabels(labels: Record<string, unknown> | undefined, path: readonly PathSegment[]): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    // Reported at the labels map, as upstream; the file position points at the key itself.
    for (const m of qualifiedNameProblems(k)) errs.push({ ...fieldError.invalid(path, k, m), pointer: [...path, { key: k }] });
    if (typeof v === "string") for (const m of labelValueProblems(v)) errs.push(fieldError.invalid([...path, { key: k }], v, m));
  }
  return errs;
}

/**
 * metav1validation.ValidateLabelSelector: matchLabels as labels; each matchExpressions requirement with a known
 * operator, values for In / NotIn and none for Exists / DoesNotExist, and a qualified-name key
 * (ValidateLabelSelectorRequirement).
 */
export function validateLabelSelector(sel: LabelSelector, path: readonly PathSegment[]): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabels(sel.matchLabels as Record<string, unknown> | undefined, [...path, "matchLabels"]));
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const p = [...path, "matchExpressions", i];
    const ops = ["In", "NotIn", "Exists", "DoesNotExist"];
    if (!ops.includes(e.operator)) errs.push(fieldError.invalid([...p, "operator"], e.operator, "not a valid selector operator"));
    const n = e.values?.length ?? 0;
    if ((e.operator === "In" || e.operator === "NotIn") && n === 0) errs.push(fieldError.required([...p, "values"], "must be specified when `operator` is 'In' or 'NotIn'"));
    if ((e.operator === "Exists" || e.operator === "DoesNotExist") && n > 0) errs.push(fieldError.forbidden([...p, "values"], "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    if (typeof e.key === "string") for (const m of qualifiedNameProblems(e.key)) errs.push(fieldError.invalid([...p, "key"], e.key, m));
    (e.values ?? []).forEach((v, j) => {
      if (typeof v === "string") for (const m of labelValueProblems(v)) errs.push(fieldError.invalid([...p, "values", j], v, m));
    });
  });
  return errs;
}

/** How a kind's names are checked (ValidateObjectMeta's nameFn). */
export type NameRule = "subdomain" | "label";

/**
 * ValidateObjectMeta: name (or generateName) required and well-formed, namespace present exactly when the kind is
 * namespaced and a DNS label, labels well-formed.
 */
export function validateObjectMeta(
  meta: { name?: string; generateName?: string; namespace?: string; labels?: Record<string, unknown> },
  namespaced: boolean,
  nameRule: NameRule,
): FieldError[] {
  const errs: FieldError[] = [];
  const check = nameRule === "label" ? dns1123LabelProblems : dns1123SubdomainProblems;
  if (!meta.name && !meta.generateName) errs.push(fieldError.required(["metadata", "name"], "name or generateName is required"));
  if (meta.name) for (const m of check(meta.name)) errs.push(fieldError.invalid(["metadata", "name"], meta.name, m));
  if (namespaced && meta.namespace) {
    for (const m of dns1123LabelProblems(meta.namespace)) errs.push(fieldError.invalid(["metadata", "namespace"], meta.namespace, m));
  }
  if (!namespaced && meta.namespace) errs.push(fieldError.forbidden(["metadata", "namespace"], "not allowed on this type"));
  errs.push(...validateLabels(meta.labels, ["metadata", "labels"]));
  return errs;
}
