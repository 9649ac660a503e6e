import type { LabelSelector } from "./types.js";

/**
 * Label selector matching with metav1.LabelSelector semantics (k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go
 * LabelSelectorAsSelector): matchLabels and every matchExpressions requirement must hold. An empty selector matches
 * everything; a null (undefined) one matches nothing, as upstream.
 */
export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  if (selector.matchLabels) {
    for (const k in selector.matchLabels) if (l[k] !== selector.matchLabels[k]) return false;
  }
  if (selector.matchExpressions) {
    for (const r of selector.matchExpressions) {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.operator) {
        case "In":
          if (!has || !(r.values ?? []).includes(l[r.key])) return false;
          break;
        case "NotIn":
          if (has && (r.values ?? []).includes(l[r.key])) return false;
          break;
        case "Exists":
          if (!has) return false;
          break;
        case "DoesNotExist":
          if (has) return false;
          break;
      }
    }
  }
  return true;
}

/**
 * Parses a kubectl-style equality selector ("app=web,tier!=db,env", "!legacy") into a predicate over labels, or
 * returns an error message naming the bad term. Set-based terms ("env in (a,b)") are also accepted.
 */
export function parseSelector(text: string): { ok: true; matches: (labels: Record<string, string> | undefined) => boolean } | { ok: false; error: string } {
  const terms: ((l: Record<string, string>) => boolean)[] = [];
  const re = /\s*([^,(]+?\([^)]*\)|[^,]+)\s*(,|$)/g;
  const src = text.trim();
  if (src === "") return { ok: true, matches: () => true };
  let m: RegExpExecArray | null;
  let consumed = 0;
  while (consumed < src.length && (m = re.exec(src)) !== null) {
    consumed = re.lastIndex;
    const term = m[1].trim();
    let t: RegExpMatchArray | null;
    if ((t = term.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/))) {
      const [, k, op, v] = t;
      // Own properties only: a key such as "constructor" must not find Object.prototype's.
      terms.push(op === "!=" ? (l) => (Object.hasOwn(l, k) ? l[k] : undefined) !== v : (l) => Object.hasOwn(l, k) && l[k] === v);
    } else if ((t = term.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const [, k, op, list] = t;
      const vals = list.split(",").map((s) => s.trim());
      terms.push(op === "in" ? (l) => Object.hasOwn(l, k) && vals.includes(l[k]!) : (l) => !Object.hasOwn(l, k) || !vals.includes(l[k]!));
    } else if ((t = term.match(/^!([\w./-]+)$/))) {
      const k = t[1];
      terms.push((l) => !Object.hasOwn(l, k));
    } else if ((t = term.match(/^([\w./-]+)$/))) {
      const k = t[1];
      terms.push((l) => Object.hasOwn(l, k));
    } else {
      return { ok: false, error: `invalid label selector term "${term}": expected key=value, key!=value, key, !key or key in (a,b)` };
    }
    if (m[2] === "") break;
  }
  return { ok: true, matches: (labels) => terms.every((f) => f(labels ?? {})) };
}
