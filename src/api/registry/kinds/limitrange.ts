/** core/v1 LimitRange (pkg/registry/core/limitrange/strategy.go; defaults pkg/apis/core/v1/defaults.go). */
import type { LimitRange, LimitRangeItem } from "../../quota/types.js";
import { quantityDecodeFailure, validateLimitRange } from "../../validation/quota.js";
import { defineKind } from "../kind-spec.js";
import { quantityStrings } from "./resourcequota.js";

const FIELDS = ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] as const;

/**
 * SetDefaults_LimitRangeItem for a Container item: a default limit missing for a resource with a max is the max; a
 * default request missing for a resource with a default limit is that default, else the min. Other items as written.
 * The same object when nothing was missing.
 */
export function defaultLimitRangeItem(item: LimitRangeItem): LimitRangeItem {
  if (item.type !== "Container") return item;
  const def: Record<string, string> = { ...item.default };
  const req: Record<string, string> = { ...item.defaultRequest };
  let changed = false;
  for (const [k, v] of Object.entries(item.max ?? {})) if (!(k in def)) ((def[k] = v), (changed = true));
  for (const [k, v] of Object.entries(def)) if (!(k in req)) ((req[k] = v), (changed = true));
  for (const [k, v] of Object.entries(item.min ?? {})) if (!(k in req)) ((req[k] = v), (changed = true));
  if (!changed) return item;
  // Empty maps are omitted on the wire (omitempty), so only non-empty ones are written.
  const out: LimitRangeItem = { ...item };
  if (Object.keys(def).length > 0) out.default = def;
  if (Object.keys(req).length > 0) out.defaultRequest = req;
  return out;
}

/** core/v1 LimitRange (short name limits): defaulted per item, ValidateLimitRange on create and update. */
export const limitRangeKind = defineKind<LimitRange>({
  group: "",
  version: "v1",
  kind: "LimitRange",
  plural: "limitranges",
  singular: "limitrange",
  shortNames: ["limits"],
  namespaced: true,
  decode: (lr) => {
    const limits = Array.isArray(lr.spec?.limits) ? lr.spec.limits : [];
    const maps: [(string | number)[], Record<string, unknown> | undefined][] = [];
    limits.forEach((item, i) => {
      for (const f of FIELDS) maps.push([["spec", "limits", i, f], item?.[f]]);
    });
    const bad = quantityDecodeFailure("LimitRange", maps);
    if (bad) return bad;
    let changed = false;
    const items = limits.map((item) => {
      const next: LimitRangeItem = { ...item };
      for (const f of FIELDS) {
        const s = quantityStrings(item?.[f]);
        if (s !== item?.[f]) ((next[f] = s), (changed = true));
      }
      return next;
    });
    return { ok: true, object: changed ? { ...lr, spec: { ...lr.spec, limits: items } } : lr };
  },
  default: (lr) => {
    const limits = Array.isArray(lr.spec?.limits) ? lr.spec.limits : undefined;
    if (!limits) return lr;
    const items = limits.map(defaultLimitRangeItem);
    return items.every((x, i) => x === limits[i]) ? lr : { ...lr, spec: { ...lr.spec, limits: items } };
  },
  validate: (lr) => validateLimitRange(lr),
  validateUpdate: (lr) => validateLimitRange(lr),
});
