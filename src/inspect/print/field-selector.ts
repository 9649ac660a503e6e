/**
 * Field selectors as the API server applies them to a LIST: k8s.io/apimachinery/pkg/fields ParseSelector
 * (terms joined by ",", operators "=", "==" and "!=", a backslash escaping ",", "=" and "\"), each field checked
 * against the kind's field label conversion func (pkg/apis/<group>/v1/conversion.go) and matched against the
 * strategy's GetAttrs / ToSelectableFields values (pkg/registry/<group>/<kind>/strategy.go).
 */
import type { KubeObject, Node, Pod } from "../../api/types.js";
import type { CoreEvent } from "./correlate-events.js";

type Fields = (o: KubeObject) => Record<string, string>;

const meta = (o: KubeObject) => ({ "metadata.name": o.metadata.name, "metadata.namespace": o.metadata.namespace ?? "" });

/** The selectable fields of each kind beyond metadata.name and metadata.namespace. */
const FIELDS: Record<string, Fields> = {
  Pod: (o) => {
    const p = o as Pod;
    const ips = (p.status as { podIPs?: { ip: string }[] }).podIPs;
    return {
      ...meta(o),
      "spec.nodeName": p.spec.nodeName ?? "",
      "spec.restartPolicy": p.spec.restartPolicy ?? "",
      "spec.schedulerName": p.spec.schedulerName ?? "",
      "spec.serviceAccountName": p.spec.serviceAccountName ?? "",
      "spec.hostNetwork": String((p.spec as { hostNetwork?: boolean }).hostNetwork === true),
      "status.phase": p.status?.phase ?? "",
      "status.podIP": (ips && ips.length > 0 ? ips[0]!.ip : p.status?.podIP) ?? "",
      "status.nominatedNodeName": p.status?.nominatedNodeName ?? "",
    };
  },
  Node: (o) => ({ "metadata.name": o.metadata.name, "spec.unschedulable": String((o as Node).spec?.unschedulable === true) }),
  Namespace: (o) => ({ "metadata.name": o.metadata.name, "status.phase": (o as { status?: { phase?: string } }).status?.phase ?? "" }),
  Secret: (o) => ({ ...meta(o), type: (o as { type?: string }).type ?? "" }),
  ReplicaSet: (o) => ({ ...meta(o), "status.replicas": String((o as { status?: { replicas?: number } }).status?.replicas ?? 0) }),
  Job: (o) => ({ ...meta(o), "status.successful": String((o as { status?: { succeeded?: number } }).status?.succeeded ?? 0) }),
  Event: (o) => {
    const e = o as CoreEvent;
    const io = e.involvedObject;
    return {
      ...meta(o),
      "involvedObject.kind": io.kind ?? "",
      "involvedObject.namespace": io.namespace ?? "",
      "involvedObject.name": io.name ?? "",
      "involvedObject.uid": io.uid ?? "",
      "involvedObject.apiVersion": io.apiVersion ?? "",
      "involvedObject.resourceVersion": (io as { resourceVersion?: string }).resourceVersion ?? "",
      "involvedObject.fieldPath": io.fieldPath ?? "",
      reason: e.reason ?? "",
      reportingComponent: e.reportingComponent ?? "",
      source: e.source?.component ?? "",
      type: e.type ?? "",
    };
  },
};

/** One parsed term. */
export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

/** The parse of a field selector, or the error text the API server / kubectl gives. */
export type FieldSelectorResult = { ok: true; requirements: FieldRequirement[]; matches: (o: KubeObject) => boolean } | { ok: false; error: string };

/** Splits at unescaped commas, as fields.splitTerms. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "\\" && i + 1 < s.length) {
      cur += ch + s[i + 1];
      i++;
    } else if (ch === ",") {
      terms.push(cur);
      cur = "";
    } else cur += ch;
  }
  terms.push(cur);
  return terms;
}

/** The first unescaped operator of a term: fields.splitTerm tries "!=", "==", "=" at each position. */
function splitTerm(term: string): { lhs: string; op: "=" | "!="; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === "\\") {
      i++;
      continue;
    }
    for (const op of ["!=", "==", "="] as const) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op: op === "!=" ? "!=" : "=", rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescape(s: string): string | undefined {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\") {
      const n = s[i + 1];
      if (n !== "\\" && n !== "," && n !== "=") return undefined;
      out += n;
      i++;
    } else out += s[i];
  }
  return out;
}

/** The labels each kind's field label conversion func accepts beyond metadata.name and metadata.namespace. */
const LABELS: Record<string, readonly string[]> = {
  Pod: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
  Node: ["metadata.name", "spec.unschedulable"],
  Namespace: ["metadata.name", "status.phase"],
  Secret: ["type"],
  ReplicaSet: ["status.replicas"],
  Job: ["status.successful"],
  Event: [
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
  ],
};

/** The labels `kind` accepts in a field selector (metadata.name and metadata.namespace for every kind but Node
 *  and Namespace, which convert only their own). */
export function supportedFields(kind: string): string[] {
  const own = LABELS[kind] ?? [];
  if (kind === "Node" || kind === "Namespace") return [...own];
  return ["metadata.name", "metadata.namespace", ...own];
}

/** Parses `selector` for objects of `kind`: the matcher, or `field label not supported: <label>` and the like. */
export function matchFieldSelector(kind: string, selector: string): FieldSelectorResult {
  const requirements: FieldRequirement[] = [];
  if (selector.trim() !== "") {
    for (const term of splitTerms(selector)) {
      const t = splitTerm(term);
      if (!t) return { ok: false, error: `invalid selector: '${selector}'; can't understand '${term}'` };
      const field = t.lhs.trim();
      const value = unescape(t.rhs);
      if (value === undefined) return { ok: false, error: `invalid field selector: '${selector}': invalid escape sequence in '${t.rhs}'` };
      requirements.push({ field, op: t.op, value });
    }
  }
  const supported = new Set(supportedFields(kind));
  for (const r of requirements) if (!supported.has(r.field)) return { ok: false, error: `field label not supported: ${r.field}` };
  const fieldsOf: Fields = FIELDS[kind] ?? meta;
  const matches = (o: KubeObject) => {
    if (requirements.length === 0) return true;
    const f: Record<string, string> = { ...meta(o), ...fieldsOf(o) };
    return requirements.every((r) => ((f[r.field] ?? "") === r.value) === (r.op === "="));
  };
  return { ok: true, requirements, matches };
}
