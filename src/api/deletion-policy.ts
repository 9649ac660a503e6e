/**
 * The garbage-collection side of a DELETE request: which of the two GC finalizers a deleted object carries, given
 * the request's propagationPolicy, the finalizers it already has and its kind's default policy. Mirrors
 * k8s.io/apiserver/pkg/registry/generic/registry/store.go (shouldOrphanDependents, shouldDeleteDependents,
 * deletionFinalizersForGarbageCollection) and the namespace REST's variant
 * (pkg/registry/core/namespace/storage/storage.go shouldHaveOrphanFinalizer / shouldHaveDeleteDependentsFinalizer).
 * Pure functions: the API server and the tests call them.
 */

/** metav1.DeletionPropagation: what happens to an object's dependents when it is deleted. */
export type PropagationPolicy = "Orphan" | "Background" | "Foreground";

/** The propagation policies, in the order messages list them. */
export const PROPAGATION_POLICIES: readonly PropagationPolicy[] = ["Background", "Foreground", "Orphan"];

/**
 * A kind's rest.GarbageCollectionPolicy (its strategy's DefaultGarbageCollectionPolicy): "OrphanDependents" orphans
 * dependents when a delete names no policy; "DeleteDependents" (and a strategy without the method) deletes them in
 * the background; "Unsupported" never adds a GC finalizer.
 */
export type GarbageCollectionPolicy = "DeleteDependents" | "OrphanDependents" | "Unsupported";

/** metav1.FinalizerOrphanDependents: the garbage collector removes the owner's references from its dependents. */
export const FINALIZER_ORPHAN_DEPENDENTS = "orphan";
/** metav1.FinalizerDeleteDependents: the garbage collector deletes the blocking dependents first (foreground). */
export const FINALIZER_DELETE_DEPENDENTS = "foregroundDeletion";

/**
 * shouldOrphanDependents: an explicit policy wins (Orphan: yes; Background, Foreground: no), then a GC finalizer
 * the object already has, then the kind's default; never for a kind whose policy is Unsupported.
 */
export function shouldOrphanDependents(def: GarbageCollectionPolicy | undefined, finalizers: readonly string[] | undefined, policy: PropagationPolicy | undefined): boolean {
  if (def === "Unsupported") return false;
  if (policy !== undefined) return policy === "Orphan";
  for (const f of finalizers ?? []) {
    if (f === FINALIZER_ORPHAN_DEPENDENTS) return true;
    if (f === FINALIZER_DELETE_DEPENDENTS) return false;
  }
  return def === "OrphanDependents";
}

/**
 * shouldDeleteDependents (foreground): an explicit policy wins (Foreground: yes; Background, Orphan: no), then a GC
 * finalizer the object already has; no kind defaults to foreground.
 */
export function shouldDeleteDependents(def: GarbageCollectionPolicy | undefined, finalizers: readonly string[] | undefined, policy: PropagationPolicy | undefined): boolean {
  if (def === "Unsupported") return false;
  if (policy !== undefined) return policy === "Foreground";
  for (const f of finalizers ?? []) {
    if (f === FINALIZER_DELETE_DEPENDENTS) return true;
    if (f === FINALIZER_ORPHAN_DEPENDENTS) return false;
  }
  return false;
}

/**
 * deletionFinalizersForGarbageCollection: the object's finalizers without the two GC ones, then `orphan` and / or
 * `foregroundDeletion` as the request asks; `changed` is false (and `finalizers` the input) when the set is the
 * same, so a repeated delete with the same policy writes nothing.
 */
export function deletionFinalizers(
  def: GarbageCollectionPolicy | undefined,
  finalizers: readonly string[] | undefined,
  policy: PropagationPolicy | undefined,
): { changed: boolean; finalizers: readonly string[] | undefined } {
  if (def === "Unsupported") return { changed: false, finalizers };
  const out: string[] = [];
  for (const f of finalizers ?? []) if (f !== FINALIZER_ORPHAN_DEPENDENTS && f !== FINALIZER_DELETE_DEPENDENTS) out.push(f);
  if (shouldOrphanDependents(def, finalizers, policy)) out.push(FINALIZER_ORPHAN_DEPENDENTS);
  if (shouldDeleteDependents(def, finalizers, policy)) out.push(FINALIZER_DELETE_DEPENDENTS);
  return sameSet(finalizers ?? [], out) ? { changed: false, finalizers } : { changed: true, finalizers: out };
}

/**
 * The GC finalizers of a namespace's first delete (the namespace REST's Delete): each is kept or dropped by the
 * request's policy (Orphan adds `orphan`, Foreground `foregroundDeletion`), and without a policy the namespace keeps
 * what it has. Namespaces have no default policy.
 */
export function namespaceDeletionFinalizers(finalizers: readonly string[] | undefined, policy: PropagationPolicy | undefined): readonly string[] | undefined {
  const has = (f: string) => (finalizers ?? []).includes(f);
  const orphan = policy !== undefined ? policy === "Orphan" : has(FINALIZER_ORPHAN_DEPENDENTS);
  const foreground = policy !== undefined ? policy === "Foreground" : has(FINALIZER_DELETE_DEPENDENTS);
  const out = (finalizers ?? []).filter((f) => f !== FINALIZER_ORPHAN_DEPENDENTS && f !== FINALIZER_DELETE_DEPENDENTS);
  if (orphan) out.push(FINALIZER_ORPHAN_DEPENDENTS);
  if (foreground) out.push(FINALIZER_DELETE_DEPENDENTS);
  return sameSet(finalizers ?? [], out) ? finalizers : out;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const x of sa) if (!sb.has(x)) return false;
  return true;
}
