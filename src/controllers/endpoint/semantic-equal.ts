/**
 * apiequality.Semantic.DeepEqual as the endpoint controllers compare what they would write with what is stored
 * (k8s.io/apimachinery third_party/forked/golang/reflect: nil and empty slices and maps are equal), ignoring the
 * resourceVersion of object references (semanticIgnoreResourceVersion in endpoints_controller.go and
 * staging/src/k8s.io/endpointslice/util/controller_utils.go). An absent field equals an empty one, because JSON
 * omits empty optional fields.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], bb[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k in x) if (k !== "resourceVersion" && !semanticEqual(x[k], y[k])) return false;
  for (const k in y) if (k !== "resourceVersion" && !(k in x) && !isEmpty(y[k])) return false;
  return true;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") {
    for (const _k in v as object) return false;
    return true;
  }
  return false;
}
