/**
 * Reading plain values parsed from YAML (documentValue) before or beside schema validation, where any shape may
 * turn up: a mapping is a non-null, non-list object.
 */

import { isRecord } from "../api/record.js";

export { isRecord };

/** `v` if it is a mapping, else an empty one: for reading fields the schema has checked (or reported) already. */
export function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

/** `v` if it is a list, else an empty one. */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
