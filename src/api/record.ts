/** True for a mapping (a plain object, not null, not a list): the one record guard of the code base. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
