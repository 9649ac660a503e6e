/**
 * ResourceQuota (plugin/pkg/admission/resourcequota/admission.go; k8s.io/apiserver/pkg/admission/plugin/
 * resourcequota/controller.go CheckRequest, checkQuotas), last of the validating plugins as AllOrderedPlugins puts
 * it: a CREATE (or, for kinds whose usage can change, an UPDATE) of a namespaced object is checked against each
 * ResourceQuota of its namespace whose status.hard names something the object's evaluator counts and whose scopes
 * it falls under. Per quota, in order: the Constraints (`failed quota: NAME: must specify ...`), the usage status
 * being known (`status unknown for quota: NAME, resources: ...`), then the request's usage (for an UPDATE, the
 * increase over the stored object) against status.hard - status.used (`exceeded quota: NAME, requested: ...,
 * used: ..., limited: ...`). Refusals are 403 Forbidden `pods "web-x7k2p" is forbidden: ...` (the generated name:
 * the validating phase runs after name generation, AdmissionToValidateObjectFunc). When every quota allows the
 * request, the plugin writes each charged quota's new status.used (the /status subresource) before the object is
 * stored, as upstream's evaluator does; the resource quota controller corrects any charge whose object never landed.
 *
 * NOTE: a quota whose status.hard is not written yet (the controller has not synced it) matches nothing and does
 * not restrict, as upstream (Matches reads status.hard). Quotas are checked in creation order (upstream's lister
 * order is unspecified). Upstream batches concurrent requests per namespace and retries conflicting status writes;
 * k8sim's requests are sequential, so each sees the status the previous one wrote.
 */
import { apiFailure, type ApiFailure } from "../api-result.js";
import { compareStrings } from "../../engine/compare.js";
import { evaluatorFor, matchesQuotaScopes, quotaScopes, type QuotaEvaluator, type QuotaClock } from "../quota/evaluators.js";
import { objectsInNamespace } from "../quota/namespace-index.js";
import { checkQuota, forbiddenMessage, type ResourceList } from "../quota/quota-check.js";
import type { ResourceQuota } from "../quota/types.js";
import { subtractNonNegative, toQuantityMap, toResourceList } from "../quota/usage.js";
import { mustKindSpec, NAMESPACED_KINDS } from "../registry/registry.js";
import type { KubeObject } from "../types.js";
import type { AdmissionContext, AdmissionPlugin, AdmissionRequest } from "./plugin.js";

/** The resource part of the refusal: `pods`, `deployments.apps` (schema.GroupResource.String()). */
function groupResource(kind: string): string {
  const k = mustKindSpec(kind);
  return k.group ? `${k.plural}.${k.group}` : k.plural;
}

/** The result of checking one request against a namespace's quotas: the refusal's reason, or the new statuses. */
export type QuotaDecision = { ok: true; charged: { quota: ResourceQuota; used: ResourceList }[] } | { ok: false; reason: string };

/**
 * CheckRequest, pure: the quotas `quotas` (in order) against an object `obj` (and, for an UPDATE, the stored
 * `old`). `charged` lists the quotas whose status.used rises, with the new value.
 */
export function checkRequest(ev: QuotaEvaluator, quotas: readonly ResourceQuota[], obj: KubeObject, old: KubeObject | undefined, clock: QuotaClock): QuotaDecision {
  const interesting: ResourceQuota[] = [];
  for (const q of quotas) {
    const hardNames = Object.keys(q.status?.hard ?? {});
    const restricted = ev.matchingResources(hardNames);
    // Matches: the quota names something this evaluator counts and the object falls under its scopes.
    if (restricted.length === 0 || !matchesQuotaScopes(ev, quotaScopes(q), obj)) continue;
    const missing = ev.constraints(restricted, obj);
    if (missing !== undefined) return { ok: false, reason: `failed quota: ${q.metadata.name}: ${missing}` };
    const used = q.status?.used ?? {};
    if (restricted.some((n) => !(n in used))) {
      return { ok: false, reason: `status unknown for quota: ${q.metadata.name}, resources: ${[...restricted].sort(compareStrings).join(",")}` };
    }
    interesting.push(q);
  }
  if (interesting.length === 0) return { ok: true, charged: [] };
  let delta: ResourceList = ev.usage(obj, clock);
  const negative = [...delta].filter(([, q]) => q.nanos < 0n).map(([k]) => k);
  if (negative.length > 0) return { ok: false, reason: `quota usage is negative for resource(s): ${negative.sort(compareStrings).join(",")}` };
  if (old !== undefined) delta = subtractNonNegative(delta, ev.usage(old, clock));
  const charged: { quota: ResourceQuota; used: ResourceList }[] = [];
  for (const q of interesting) {
    const r = checkQuota({ name: q.metadata.name, hard: toResourceList(q.status?.hard), used: toResourceList(q.status?.used) }, delta);
    if (!r.ok) return { ok: false, reason: r.message };
    charged.push({ quota: q, used: r.used });
  }
  return { ok: true, charged };
}

function evaluate(req: AdmissionRequest, ctx: AdmissionContext): ApiFailure | undefined {
  const ns = req.namespace;
  // isNamespaceCreation and cluster-scoped objects are not quota'd.
  if (ns === undefined || !ctx.clock) return undefined;
  const ev = evaluatorFor(req.kind);
  if (!ev || !ev.handles(req.operation)) return undefined;
  const quotas = [...objectsInNamespace<ResourceQuota>(ctx.store, "ResourceQuota", ns)];
  if (quotas.length === 0) return undefined;
  const old = req.operation === "UPDATE" ? ctx.store.get(req.kind, ns, req.name) : undefined;
  const d = checkRequest(ev, quotas, req.object, old, ctx.clock);
  if (!d.ok) return apiFailure(403, "Forbidden", forbiddenMessage(groupResource(req.kind), req.name, d.reason));
  for (const { quota, used } of d.charged) {
    const before = toResourceList(quota.status?.used);
    // A quota whose usage did not move is not written (upstream writes only the quotas the request changed).
    if ([...used].every(([k, q]) => before.get(k)?.nanos === q.nanos)) continue;
    const status = { hard: quota.status?.hard, used: { ...quota.status?.used, ...toQuantityMap(used) } };
    const r = ctx.updateStatus?.({ ...quota, status } as ResourceQuota);
    if (r && !r.ok) return apiFailure(403, "Forbidden", forbiddenMessage(groupResource(req.kind), req.name, r.message));
  }
  return undefined;
}

/**
 * The plugin: CREATE and UPDATE of the namespaced kinds (the evaluator decides which it charges).
 * NOTE: Leases and Events are left out of the chain's kinds, so node lease renewals (the hottest write path) cost no
 * admission work; their count/leases.coordination.k8s.io and count/events are counted by the controller but not
 * refused at admission.
 */
export const resourceQuota: AdmissionPlugin = {
  name: "ResourceQuota",
  kinds: NAMESPACED_KINDS.filter((k) => k !== "Lease" && k !== "Event"),
  enabledByDefault: true,
  operations: ["CREATE", "UPDATE"],
  validate: evaluate,
};
