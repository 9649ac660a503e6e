/**
 * Cell helpers shared by the kinds' table rows (pkg/printers/internalversion/printers.go and
 * k8s.io/apimachinery's labels / metav1 selector formatting).
 */
import type { Container, LabelSelector } from "../../api/types.js";
import { byteOrder } from "./sort-keys.js";

/** labels.FormatLabels: "k=v" sorted by key, joined by ","; "<none>" when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort(byteOrder);
  if (keys.length === 0) return "<none>";
  return keys.map((k) => `${k}=${labels![k]}`).join(",");
}

/**
 * metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key, matchLabels as "k=v", In / NotIn as
 * "k in (a,b)" with sorted values, Exists as "k", DoesNotExist as "!k"; "" for an empty or absent selector.
 */
export function selectorString(sel: LabelSelector | undefined): string {
  if (!sel) return "";
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const r of sel.matchExpressions ?? []) {
    const vals = [...(r.values ?? [])].sort(byteOrder).join(",");
    const text = r.operator === "In" ? `${r.key} in (${vals})` : r.operator === "NotIn" ? `${r.key} notin (${vals})` : r.operator === "Exists" ? r.key : `!${r.key}`;
    reqs.push({ key: r.key, text });
  }
  // labels.internalSelector sorts its requirements by key (a stable sort keeps matchLabels first on a tie).
  reqs.sort((a, b) => byteOrder(a.key, b.key));
  return reqs.map((r) => r.text).join(",");
}

/** metav1.FormatLabelSelector: selectorString, or "<none>" when that is empty. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  const s = selectorString(sel);
  return s === "" ? "<none>" : s;
}

/** layoutContainerCells: container names and images, each joined by ",". */
export function containerCells(containers: readonly Container[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name).join(","), cs.map((c) => c.image).join(",")];
}

/** printBoolPtr: "<unset>" for absent, else "True" / "False". */
export function boolPtr(v: boolean | undefined): string {
  return v === undefined ? "<unset>" : v ? "True" : "False";
}
