/**
 * The kind registry: every kind k8sim simulates, with its discovery names and strategy (registry/kind-spec.ts).
 * Adding a kind is one entry in KINDS (plus its controller, if it has one). Also the discovery table a later
 * read-only Kubernetes API will serve.
 */
import type { KubeObject } from "../types.js";
import type { FieldError } from "../validation/field-errors.js";
import { validateObjectMeta } from "../validation/object-meta.js";
import { apiVersionOf, type KindSpec } from "./kind-spec.js";
import { configMapKind } from "./kinds/configmap.js";
import { cronJobKind } from "./kinds/cronjob.js";
import { deploymentKind } from "./kinds/deployment.js";
import { eventKind } from "./kinds/event.js";
import { jobKind } from "./kinds/job.js";
import { leaseKind } from "./kinds/lease.js";
import { namespaceKind } from "./kinds/namespace.js";
import { nodeKind } from "./kinds/node.js";
import { podKind } from "./kinds/pod.js";
import { replicaSetKind } from "./kinds/replicaset.js";
import { secretKind } from "./kinds/secret.js";
import { serviceAccountKind } from "./kinds/serviceaccount.js";
import { serviceKind } from "./kinds/service.js";
import { endpointsKind } from "./kinds/endpoints.js";
import { endpointSliceKind } from "./kinds/endpointslice.js";
import { limitRangeKind } from "./kinds/limitrange.js";
import { resourceQuotaKind } from "./kinds/resourcequota.js";

/** Every simulated kind: the order of discovery and of "expected ..." lists, and the order the API server empties a
 *  deleted namespace in (pods first, then their owners). */
export const KINDS: readonly KindSpec[] = [
  namespaceKind,
  nodeKind,
  podKind,
  deploymentKind,
  replicaSetKind,
  jobKind,
  cronJobKind,
  configMapKind,
  secretKind,
  serviceAccountKind,
  serviceKind,
  endpointsKind,
  endpointSliceKind,
  resourceQuotaKind,
  limitRangeKind,
  leaseKind,
  eventKind,
] as readonly KindSpec[];

const byKind = new Map<string, KindSpec>(KINDS.map((k) => [k.kind, k]));
const byName = new Map<string, KindSpec>();
for (const k of KINDS) for (const n of [k.kind.toLowerCase(), k.singular, k.plural, ...k.shortNames]) byName.set(n, k);

/** The entry of a simulated kind, or undefined. */
export function kindSpec(kind: string): KindSpec | undefined {
  return byKind.get(kind);
}

/** The entry of a kind the caller knows is simulated (a stored object's kind); throws on a programming error. */
export function mustKindSpec<T extends KubeObject>(kind: string): KindSpec<T> {
  const k = byKind.get(kind);
  if (!k) throw new Error(`kind ${kind} is not registered`);
  return k as unknown as KindSpec<T>;
}

/** True when objects of `kind` live in a namespace. */
export function isNamespaced(kind: string): boolean {
  return byKind.get(kind)?.namespaced ?? false;
}

/** The kinds whose objects live in namespaces, in registry order. */
export const NAMESPACED_KINDS: readonly string[] = KINDS.filter((k) => k.namespaced).map((k) => k.kind);

/**
 * Resolves what a user writes for a resource, as kubectl does (case-insensitive kind, singular, plural or short
 * name: `deploy`, `deployments`, `Deployment`), to its entry.
 */
export function resolveResource(text: string): KindSpec | undefined {
  return byName.get(text.toLowerCase());
}

/** The names kubectl accepts for the simulated kinds, for "expected ..." messages: "deployment, pod, ...". */
export function resourceNames(filter: (k: KindSpec) => boolean = () => true): string {
  return KINDS.filter(filter).map((k) => k.singular).join(", ");
}

/** The simulated kind served at (apiVersion, kind), or undefined when that pair is not simulated. */
export function servedKind(apiVersion: string, kind: string): KindSpec | undefined {
  const k = byKind.get(kind);
  return k && apiVersionOf(k) === apiVersion ? k : undefined;
}

/**
 * The strategy's Validate of a new object: ValidateObjectMeta with the kind's scope and name rule (every kind), then
 * the kind's own checks.
 */
export function validateNew(spec: KindSpec, obj: KubeObject): FieldError[] {
  const meta = validateObjectMeta(obj.metadata, spec.namespaced, spec.nameRule);
  const own = spec.validate?.(obj) ?? [];
  return meta.length === 0 ? own : [...meta, ...own];
}
