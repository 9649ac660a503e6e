import { canonicalJson } from "../api/canonical-json.js";
import { SAFE_ALPHANUMS } from "../api/names.js";
import type { PodTemplateSpec } from "../api/types.js";


/**
 * The pod-template-hash of a Deployment's template (pkg/controller/controller_utils.go ComputeHash): a 32-bit
 * FNV-1a hash of the template, plus the collision count when set, written in decimal and passed through
 * SafeEncodeString. NOTE: upstream hashes a spew dump of the Go struct; k8sim hashes the template's JSON with keys
 * sorted, so hashes differ from a real cluster's but are stable and change exactly when the template changes.
 */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  // Stored objects are never mutated, so a template object keeps its hash: every sync of a Deployment reads the
  // same one until the Deployment is written.
  const memo = HASHES.get(template);
  const key = collisionCount ?? -1;
  const known = memo?.get(key);
  if (known !== undefined) return known;
  const out = hashOf(template, collisionCount);
  if (memo) memo.set(key, out);
  else HASHES.set(template, new Map([[key, out]]));
  return out;
}

/** computeHash's results by template object and collision count (-1: none). */
const HASHES = new WeakMap<PodTemplateSpec, Map<number, string>>();

function hashOf(template: PodTemplateSpec, collisionCount: number | undefined): string {
  let h = 0x811c9dc5;
  const text = canonicalJson(template) + (collisionCount !== undefined ? String(collisionCount) : "");
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  const decimal = String(h >>> 0);
  let out = "";
  for (let i = 0; i < decimal.length; i++) out += SAFE_ALPHANUMS[decimal.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}
