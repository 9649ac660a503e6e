/** The request-body decoding Secrets and ConfigMaps share (kind-spec.ts `decode`): base64 values checked as Go decodes them. */
import { decodeBase64Go } from "../../defaults/config.js";

/** The first value of `field` (in key order, as encoding/json reads the document) that is not base64, as a decode failure. */
export function base64Failure(kind: "Secret" | "ConfigMap", field: string, values: Record<string, unknown> | undefined): { ok: false; message: string; path: string[] } | undefined {
  if (values === null || typeof values !== "object") return undefined;
  for (const [key, v] of Object.entries(values)) {
    if (typeof v !== "string") continue;
    const r = decodeBase64Go(v);
    if (!r.ok) return { ok: false, message: `${kind} in version "v1" cannot be handled as a ${kind}: ${r.message}`, path: [field, key] };
  }
  return undefined;
}
