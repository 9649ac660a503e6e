/**
 * What the API server does to a Secret or a ConfigMap while decoding it, before validation: base64 decoding of
 * `data` (Secret) and `binaryData` (ConfigMap) with Go's encoding/base64 StdEncoding, the `stringData` merge
 * (pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret) and the type default
 * (pkg/apis/core/v1/defaults.go SetDefaults_Secret).
 */
import { compareStrings } from "../../engine/compare.js";
import type { ObjectMeta } from "../types.js";

/** A v1 Secret as a plain object; `data` values are base64 text, `stringData` values plain text. */
export interface SecretObject {
  apiVersion?: string;
  kind?: string;
  metadata: Partial<ObjectMeta>;
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  immutable?: boolean;
}

/** A v1 ConfigMap as a plain object; `binaryData` values are base64 text. */
export interface ConfigMapObject {
  apiVersion?: string;
  kind?: string;
  metadata: Partial<ObjectMeta>;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
}

/** SetDefaults_Secret: an empty type becomes Opaque (core.SecretTypeOpaque). */
export const DEFAULT_SECRET_TYPE = "Opaque";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE_MAP: readonly number[] = (() => {
  const m = new Array<number>(256).fill(0xff);
  for (let i = 0; i < B64.length; i++) m[B64.charCodeAt(i)] = i;
  return m;
})();
const PAD = 0x3d; // '='
const isNewline = (c: number | undefined): boolean => c === 0x0a || c === 0x0d;

/** The outcome of decoding base64 text as Go does: the bytes, or the byte offset of the first bad input byte. */
export type GoBase64Result = { ok: true; bytes: Uint8Array } | { ok: false; offset: number; message: string };

/**
 * base64.StdEncoding.Decode (Go encoding/base64, decodeQuantum), which encoding/json uses for a `[]byte` field:
 * padding required, `\r` and `\n` skipped anywhere, non-zero trailing bits accepted (the encoding is not Strict).
 * On failure the error is CorruptInputError, printed `illegal base64 data at input byte N`, N an offset in the
 * UTF-8 bytes of the text.
 */
export function decodeBase64Go(text: string): GoBase64Result {
  const src = Buffer.from(text, "utf8");
  const out: number[] = [];
  const fail = (offset: number): GoBase64Result => ({ ok: false, offset, message: `illegal base64 data at input byte ${offset}` });
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailing = -1;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { ok: true, bytes: Uint8Array.from(out) };
        return fail(si - j); // a short final quantum: StdEncoding requires padding
      }
      const c = src[si]!;
      si++;
      const v = DECODE_MAP[c]!;
      if (v !== 0xff) {
        dbuf[j] = v;
        continue;
      }
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== PAD) return fail(si - 1);
      // Padding: the quantum ends here.
      if (j === 0 || j === 1) return fail(si - 1);
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return fail(src.length); // "==" expected, one "=" seen
        if (src[si] !== PAD) return fail(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      if (si < src.length) trailing = si; // trailing garbage after the padding
      dlen = j;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (trailing >= 0) return fail(trailing);
  }
  return { ok: true, bytes: Uint8Array.from(out) };
}

/**
 * The decoding error the API server answers a create or update with when a base64 value does not decode (400
 * BadRequest; runtime/serializer wraps the json error): `Secret in version "v1" cannot be handled as a Secret:
 * illegal base64 data at input byte 4`. Checks Secret `data` and ConfigMap `binaryData`; undefined when all decode.
 * encoding/json decodes every value and reports the first failure in document order; k8sim takes the object's key
 * order for document order.
 */
export function decodeErrorMessage(obj: { kind: "Secret"; values: Record<string, unknown> | undefined } | { kind: "ConfigMap"; values: Record<string, unknown> | undefined }): string | undefined {
  for (const v of Object.values(obj.values ?? {})) {
    if (typeof v !== "string") continue;
    const r = decodeBase64Go(v);
    if (!r.ok) return `${obj.kind} in version "v1" cannot be handled as a ${obj.kind}: ${r.message}`;
  }
  return undefined;
}

/** decodeErrorMessage for a Secret's `data`. */
export function secretDecodeError(secret: SecretObject): string | undefined {
  return decodeErrorMessage({ kind: "Secret", values: secret.data });
}

/** decodeErrorMessage for a ConfigMap's `binaryData`. */
export function configMapDecodeError(cm: ConfigMapObject): string | undefined {
  return decodeErrorMessage({ kind: "ConfigMap", values: cm.binaryData });
}

/** Base64 text in the canonical form the API server stores (decode as Go does, re-encode); undefined if invalid. */
export function canonicalBase64(text: string): string | undefined {
  const r = decodeBase64Go(text);
  return r.ok ? Buffer.from(r.bytes).toString("base64") : undefined;
}

/**
 * Convert_v1_Secret_To_core_Secret: each `stringData` entry overwrites `data` under its key (as the UTF-8 bytes of
 * the text, so base64 here), and `stringData` is gone, since the internal type has no such field. `data` comes
 * back sorted by key (encoding/json sorts map keys) with values in canonical base64; an empty or absent `data`
 * stays as it was, since the update checks tell a nil map from an empty one (reflect.DeepEqual). A value that is not base64 is kept as written: the server would have refused
 * the object (secretDecodeError) before this step.
 */
export function mergeStringData(secret: SecretObject): SecretObject {
  const { stringData, data, ...rest } = secret;
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries(data ?? {})) merged[k] = canonicalBase64(v) ?? v;
  for (const [k, v] of Object.entries(stringData ?? {})) merged[k] = Buffer.from(v, "utf8").toString("base64");
  const keys = Object.keys(merged).sort(compareStrings);
  if (keys.length === 0) return data === undefined ? rest : { ...rest, data: {} };
  return { ...rest, data: Object.fromEntries(keys.map((k) => [k, merged[k]!])) };
}

/** SetDefaults_Secret: the type defaults to Opaque. Returns the same object when it already has a type. */
export function defaultSecret(secret: SecretObject): SecretObject {
  return secret.type ? secret : { ...secret, type: DEFAULT_SECRET_TYPE };
}
