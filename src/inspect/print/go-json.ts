/**
 * `kubectl get -o json`: printers.JSONPrinter, json.MarshalIndent(obj, "", "    ") of the unstructured object kubectl
 * decoded, so every map's keys come out sorted and Go's HTML-safe escaping applies (<, >, & as \u003c, \u003e,
 * \u0026; U+2028 and U+2029 escaped too), followed by a newline. Written by hand rather than with JSON.stringify,
 * which would put integer-like keys ("10" before "9") ahead of the others.
 */
import { byteOrder } from "./sort-keys.js";

/** The object (or List) as kubectl -o json prints it, with the trailing newline. */
export function goJson(value: unknown): string {
  return encode(value, "") + "\n";
}

function encode(v: unknown, indent: string): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return quote(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  const inner = indent + "    ";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return "[\n" + v.map((x) => inner + encode(x, inner)).join(",\n") + "\n" + indent + "]";
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(byteOrder);
  if (keys.length === 0) return "{}";
  return "{\n" + keys.map((k) => `${inner}${quote(k)}: ${encode(o[k], inner)}`).join(",\n") + "\n" + indent + "}";
}

function quote(s: string): string {
  return JSON.stringify(s)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
