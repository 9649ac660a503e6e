/** A deep copy of a JSON-like value with every object's keys in byte order, as Go's encoding/json writes a map. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort(byteOrder)) if (o[k] !== undefined) out[k] = sortKeysDeep(o[k]);
    return out;
  }
  return value;
}

/** Go's string comparison (UTF-8 bytes; code units agree for the ASCII keys of API objects). */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
