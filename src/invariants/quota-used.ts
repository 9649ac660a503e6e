/**
 * The resource quota invariant (pkg/controller/resourcequota/resource_quota_controller.go syncResourceQuota, the
 * quota admission's charges): a quota's status.used equals the sum of what it counts. Admission raises it as it
 * admits; the controller lowers it when counted objects go (replenishment) and recomputes it every
 * resourceQuotaSyncPeriod, so it may differ for a while: a quota whose status.used differs from the store's count is
 * a violation if it still does a sync period and a minute later, and at a quiescent end every quota must match.
 */
import type { ResourceQuota } from "../api/quota/types.js";
import { expectedQuotaUsedInStore } from "../api/quota/usage.js";
import { canonicalJson } from "../api/canonical-json.js";
import { NAMESPACED_KINDS } from "../api/registry/registry.js";
import { describe } from "../api/types.js";
import { NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The quota-used invariant. */
export const QUOTA_USED: InvariantInfo = {
  name: "quota-used",
  statement:
    "a ResourceQuota's status.used equals the sum of what it counts in its namespace, within a resourceQuotaSyncPeriod and a minute of any change, and exactly at a quiescent end; status.hard equals spec.hard once synced",
  when: "every-event",
};

/** The difference between a quota's status and what it should say, or undefined. Pure (the expected used given). */
export function quotaDifference(q: ResourceQuota, expectedUsed: Record<string, string>): string | undefined {
  if (q.status?.used === undefined) return undefined;
  if (canonicalJson(q.status.hard ?? {}) !== canonicalJson(q.spec?.hard ?? {})) return `status.hard ${canonicalJson(q.status.hard ?? {})} is not spec.hard ${canonicalJson(q.spec?.hard ?? {})}`;
  const got = q.status.used;
  const diffs: string[] = [];
  for (const k of Object.keys(expectedUsed).sort()) if (got[k] !== expectedUsed[k]) diffs.push(`${k}: used ${got[k] ?? "(none)"}, counted ${expectedUsed[k]}`);
  return diffs.length ? diffs.join("; ") : undefined;
}

/** quota-used, attributed to the ResourceQuota kind and the resource quota controller. */
export const QUOTA_USED_CHECK: InvariantRegistration = {
  ...QUOTA_USED,
  owners: [{ kind: "ResourceQuota" }, { controller: "resourcequota-controller" }],
  create(cluster) {
    const store = cluster.cp.store;
    const clock = cluster.cp.clock;
    const bound = cluster.settings.resourceQuotaSyncPeriod + 60_000 + 4 * cluster.settings.informerLatency;
    const differing = new Map<string, number>();
    const reported = new Set<string>();
    let quotas = 0;
    // Namespaces written since the last look: only their quotas can have changed (a pod passing its deletion
    // grace without a write is seen at the next write or at the end).
    const dirty = new Set<string>();
    const judge = (q: ResourceQuota, time: number, out: Violation[] | undefined, atEnd: boolean): Violation[] | undefined => {
      const id = describe(q);
      const d = quotaDifference(q, expectedQuotaUsedInStore(store, q, clock));
      if (d === undefined) {
        differing.delete(id);
        reported.delete(id);
        return out;
      }
      const since = differing.get(id) ?? time;
      differing.set(id, since);
      // No controller can act in time while the API server is down or slow: the lag counts from the end of that.
      if ((atEnd || time - Math.max(since, cluster.cp.disturbedUntilMs) > bound) && !reported.has(id)) {
        reported.add(id);
        (out ??= []).push({ invariant: QUOTA_USED.name, time, object: id, message: atEnd ? `at the quiescent end ${d}` : `status differs from what the quota counts for ${time - since}ms: ${d}` });
      }
      return out;
    };
    return {
      watches: NAMESPACED_KINDS.filter((k) => k !== "Event" && k !== "Lease"),
      onWrite(type, obj) {
        if (obj.kind === "ResourceQuota") {
          if (type === "ADDED") quotas++;
          else if (type === "DELETED") quotas--;
        }
        if (quotas > 0) dirty.add(obj.metadata.namespace ?? "");
      },
      afterEvent(time) {
        // Cheap when there is no quota; otherwise the quotas of written namespaces, and those still differing, are
        // recounted (test-sized clusters only).
        if (quotas === 0 || (dirty.size === 0 && differing.size === 0)) return NONE;
        let out: Violation[] | undefined;
        for (const q of store.list<ResourceQuota>("ResourceQuota")) {
          if (dirty.has(q.metadata.namespace ?? "") || differing.has(describe(q))) out = judge(q, time, out, false);
        }
        dirty.clear();
        return out ?? NONE;
      },
      finish(end, quiescent) {
        if (!quiescent) return NONE;
        let out: Violation[] | undefined;
        for (const q of store.list<ResourceQuota>("ResourceQuota")) out = judge(q, end, out, true);
        return out ?? NONE;
      },
    };
  },
};
