/**
 * Field errors as the API server reports them (k8s.io/apimachinery/pkg/util/validation/field/errors.go): a field
 * path, an error type and a detail, printed as `spec.replicas: Invalid value: -1: must be greater than or equal to
 * 0`. The path is kept as segments too, so a loader can point at the field's line and column.
 */
import { compareStrings } from "../../engine/compare.js";

/** One segment of a field path: a field name, a list index, or a map key (`{ key }`, printed `[key]`). */
export type PathSegment = string | number | { readonly key: string };

/** field.ErrorType values k8sim produces. */
export type FieldErrorType = "Invalid" | "Required" | "Forbidden" | "Duplicate" | "NotSupported" | "TooLong";

/** A field.Error. `value` is the offending value (printed for Invalid, Duplicate and NotSupported). */
export interface FieldError {
  type: FieldErrorType;
  path: readonly PathSegment[];
  value?: unknown;
  detail: string;
  /** Where the problem is, when more precise than `path` (a request above its limit is reported at
   *  resources.requests upstream; the file position points at the request itself). */
  pointer?: readonly PathSegment[];
  /** The value as upstream prints it when that is a Go literal k8sim can reproduce (a LabelSelector). */
  valueText?: string;
  /** Invalid only: upstream passes field.OmitValueType{}, so the text is `path: Invalid value: detail`. */
  omitValue?: true;
  /** NotSupported only: the values that would have been accepted. */
  supported?: readonly string[];
}

/** The path as plain segments (map keys as their strings), for finding the field's position in a file. */
export function plainPath(path: readonly PathSegment[]): (string | number)[] {
  return path.map((p) => (typeof p === "object" ? p.key : p));
}

/** Upstream's path text: fields joined by dots, list indices and map keys in brackets (field.Path.String). */
export function pathString(path: readonly PathSegment[]): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : typeof p === "object" ? `[${p.key}]` : s === "" ? p : `.${p}`;
  return s;
}

/**
 * A value as field.Error prints it: strings quoted (%q), numbers and booleans bare, maps of strings in Go's %#v
 * form (`map[string]string{"app":"web"}`), other values as JSON.
 * NOTE: upstream (1.32) prints other structs with Go's %#v of its internal types; k8sim prints those as JSON, which
 * reads the same fields without the Go type names (label selectors get their Go form, see goLabelSelector).
 */
export function formatValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string")) {
    const entries = Object.entries(v as Record<string, string>).sort(([a], [b]) => compareStrings(a, b));
    return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(", ")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** field.Error.ErrorBody: the error without its path. */
export function errorBody(e: FieldError): string {
  switch (e.type) {
    case "Required":
      return e.detail ? `Required value: ${e.detail}` : "Required value";
    case "Forbidden":
      return e.detail ? `Forbidden: ${e.detail}` : "Forbidden";
    case "Invalid":
      if (e.omitValue) return `Invalid value: ${e.detail}`;
      return `Invalid value: ${e.valueText ?? formatValue(e.value)}${e.detail ? `: ${e.detail}` : ""}`;
    case "Duplicate":
      return `Duplicate value: ${formatValue(e.value)}`;
    case "TooLong":
      return `Too long: ${e.detail}`;
    case "NotSupported":
      return `Unsupported value: ${formatValue(e.value)}${e.supported?.length ? `: supported values: ${e.supported.map((s) => JSON.stringify(s)).join(", ")}` : ""}`;
  }
}

/** field.Error.Error(): `path: body`. */
export function fieldErrorText(e: FieldError): string {
  const p = pathString(e.path);
  return p ? `${p}: ${errorBody(e)}` : errorBody(e);
}

/**
 * apierrors.NewInvalid's message (k8s.io/apimachinery/pkg/api/errors): `Deployment.apps "web" is invalid: ERR`,
 * several errors as `[a, b]`. `qualifiedKind` is Kind.group, or the bare Kind for the core group.
 */
export function invalidMessage(qualifiedKind: string, name: string, errors: readonly FieldError[]): string {
  const texts = errors.map(fieldErrorText);
  return `${qualifiedKind} ${JSON.stringify(name)} is invalid: ${texts.length === 1 ? texts[0] : `[${texts.join(", ")}]`}`;
}

/** Builders, as field.Invalid, field.Required, ... */
export const fieldError = {
  invalid: (path: readonly PathSegment[], value: unknown, detail: string): FieldError => ({ type: "Invalid", path, value, detail }),
  required: (path: readonly PathSegment[], detail = ""): FieldError => ({ type: "Required", path, detail }),
  forbidden: (path: readonly PathSegment[], detail: string): FieldError => ({ type: "Forbidden", path, detail }),
  duplicate: (path: readonly PathSegment[], value: unknown): FieldError => ({ type: "Duplicate", path, value, detail: "" }),
  notSupported: (path: readonly PathSegment[], value: unknown, supported: readonly string[]): FieldError => ({ type: "NotSupported", path, value, detail: "", supported }),
  tooLong: (path: readonly PathSegment[], max: number): FieldError => ({ type: "TooLong", path, detail: `may not be more than ${max} bytes` }),
};

/**
 * A metav1.LabelSelector as Go's %#v prints it, which is how the selector-immutability error shows it:
 * `v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`.
 */
export function goLabelSelector(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): string {
  if (!sel) return "null";
  const labels = sel.matchLabels ? formatValue(sel.matchLabels) : "map[string]string(nil)";
  const exprs = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${e.values ? `[]string{${e.values.map((v) => JSON.stringify(v)).join(", ")}}` : "[]string(nil)"}}`)
        .join(", ")}}`
    : "[]v1.LabelSelectorRequirement(nil)";
  return `v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}`;
}
