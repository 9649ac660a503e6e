/**
 * `kubectl apply`'s three-way merge (k8s.io/apimachinery/pkg/util/strategicpatch CreateThreeWayMergePatch, applied
 * to the live object): what the user changed between the last applied manifest and the new one is applied to the
 * live object; what the user never wrote (defaults, fields set by controllers, a replica count changed by a scale)
 * stays as it is live; what the user removed from the manifest is removed. Lists of named items merge by their
 * patch merge key (containers by name), other lists are replaced whole.
 */
import { canonicalJson } from "../canonical-json.js";
import { isRecord } from "../record.js";

/**
 * patchMergeKey of the list fields of the simulated kinds (k8s.io/api core/v1 and apps/v1 types.go struct tags).
 * NOTE: upstream keys this by Go type; k8sim by field name, which is unambiguous for the kinds simulated today
 * (a later Service's `ports` merge by `port`, not containerPort, and will need the type).
 */
export const PATCH_MERGE_KEYS: Readonly<Record<string, string>> = Object.freeze({
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  env: "name",
  ports: "containerPort",
  volumeMounts: "mountPath",
  imagePullSecrets: "name",
  ownerReferences: "uid",
  hostAliases: "ip",
});

const same = (a: unknown, b: unknown) => a === b || canonicalJson(a ?? null) === canonicalJson(b ?? null);

/**
 * The live object after applying `next` over `last` (the previous manifest; undefined on the first apply of an
 * object created otherwise, when nothing is removed). Never mutates its arguments.
 */
export function threeWayMerge(live: unknown, last: unknown, next: unknown, field = ""): unknown {
  if (isRecord(next) && isRecord(live)) {
    const out: Record<string, unknown> = { ...live };
    const lastRec = isRecord(last) ? last : undefined;
    for (const [k, v] of Object.entries(next)) {
      const merged = threeWayMerge(live[k], lastRec?.[k], v, k);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
    if (lastRec) for (const k of Object.keys(lastRec)) if (!Object.hasOwn(next, k)) delete out[k];
    return out;
  }
  const key = PATCH_MERGE_KEYS[field];
  if (key !== undefined && Array.isArray(next) && Array.isArray(live) && next.every((x) => isRecord(x) && x[key] !== undefined)) {
    return mergeList(live, Array.isArray(last) ? last : undefined, next as Record<string, unknown>[], key);
  }
  // A value the user did not change keeps what the cluster holds (the patch does not mention it).
  if (last !== undefined && same(last, next)) return live;
  return next === null ? undefined : next;
}

function mergeList(live: unknown[], last: unknown[] | undefined, next: Record<string, unknown>[], key: string): unknown[] {
  const id = (x: unknown) => (isRecord(x) ? canonicalJson(x[key] ?? null) : "");
  const liveBy = new Map(live.map((x) => [id(x), x]));
  const lastBy = new Map((last ?? []).map((x) => [id(x), x]));
  const nextIds = new Set(next.map(id));
  const out: unknown[] = next.map((item) => {
    const k = id(item);
    const l = liveBy.get(k);
    return l === undefined ? item : threeWayMerge(l, lastBy.get(k), item);
  });
  // Items the cluster added (never in a manifest) stay; items the user removed go.
  for (const x of live) if (!nextIds.has(id(x)) && !lastBy.has(id(x))) out.push(x);
  return out;
}
