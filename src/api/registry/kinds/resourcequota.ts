/** core/v1 ResourceQuota (pkg/registry/core/resourcequota/strategy.go). */
import type { ResourceQuota } from "../../quota/types.js";
import { quantityDecodeFailure, validateResourceQuota, validateResourceQuotaUpdate } from "../../validation/quota.js";
import { defineKind } from "../kind-spec.js";

/** The quantities of a map as strings, as a Quantity decoded from a JSON number is written back (`10` is "10"). */
export function quantityStrings(map: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (map === null || typeof map !== "object" || Object.values(map).every((v) => typeof v === "string")) return map as Record<string, string> | undefined;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)]));
}

/**
 * core/v1 ResourceQuota (short name quota): a status subresource (the quota controller and the ResourceQuota
 * admission plugin write status; a write of the main resource keeps it, PrepareForUpdate); PrepareForCreate drops
 * the status a create carries; ValidateResourceQuota(Update), scopes immutable.
 */
export const resourceQuotaKind = defineKind<ResourceQuota>({
  group: "",
  version: "v1",
  kind: "ResourceQuota",
  plural: "resourcequotas",
  singular: "resourcequota",
  shortNames: ["quota"],
  namespaced: true,
  statusSubresource: true,
  decode: (q) => {
    const bad = quantityDecodeFailure("ResourceQuota", [[["spec", "hard"], q.spec?.hard]]);
    if (bad) return bad;
    const hard = quantityStrings(q.spec?.hard);
    return { ok: true, object: hard === q.spec?.hard ? q : { ...q, spec: { ...q.spec, hard } } };
  },
  // resourcequotaStrategy.PrepareForCreate: `resourcequota.Status = api.ResourceQuotaStatus{}`.
  prepareForCreate: (q) => (q.status === undefined ? q : { ...q, status: {} }),
  validate: (q) => validateResourceQuota(q),
  validateUpdate: (q, old) => validateResourceQuotaUpdate(q, old),
});
