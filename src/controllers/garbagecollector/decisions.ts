/**
 * The garbage collector's pure decisions (pkg/controller/garbagecollector/garbagecollector.go): how one owner
 * reference is classified, and what attemptToDeleteItem does with an object given its classified references.
 */
import { FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN_DEPENDENTS, type PropagationPolicy } from "../../api/deletion-policy.js";
import type { ObjectMeta, OwnerReference } from "../../api/types.js";

/** What an owner reference points at: nothing (dangling), an owner deleting its dependents first, or a live owner. */
export type RefClass = "dangling" | "waitingForDependentsDeletion" | "solid";

/**
 * isDangling and classifyReferences for one reference: the owner found by a GET of its kind and name is the
 * reference's only if the uid matches (an object of the same name with another uid is absent); an owner being
 * deleted with the foregroundDeletion finalizer is waiting for its dependents.
 */
export function classifyRef(ref: OwnerReference, owner: Pick<ObjectMeta, "uid" | "deletionTimestamp" | "finalizers"> | undefined): RefClass {
  if (owner === undefined || owner.uid !== ref.uid) return "dangling";
  if (owner.deletionTimestamp !== undefined && (owner.finalizers ?? []).includes(FINALIZER_DELETE_DEPENDENTS)) return "waitingForDependentsDeletion";
  return "solid";
}

/** The references of an object sorted by class, each in the object's order. */
export interface ClassifiedRefs {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  waitingForDependentsDeletion: OwnerReference[];
}

/** What attemptToDeleteItem does. */
export type DeleteDecision =
  /** Nothing (no owner reference, or every reference solid). */
  | { kind: "keep" }
  /** A solid owner remains: remove the dangling and waiting references (uids), so waiting owners are not stuck. */
  | { kind: "removeRefs"; uids: string[] }
  /** Delete the object with this policy; `unblockFirst`: first set blockOwnerDeletion false on its references
   *  (a dependent of it is itself deleting dependents: upstream's cycle guard). */
  | { kind: "delete"; policy: PropagationPolicy; unblockFirst: boolean };

/**
 * The switch of attemptToDeleteItem: with a solid owner, drop the other references; with an owner waiting for its
 * dependents and dependents of its own, delete in foreground (after unblocking its references when one of those
 * dependents deletes dependents too); otherwise (no solid owner) delete with the policy its own GC finalizer asks
 * (orphan, then foreground), else background.
 */
export function decideAttemptToDelete(
  finalizers: readonly string[] | undefined,
  refs: ClassifiedRefs,
  hasDependents: boolean,
  aDependentDeletesDependents: boolean,
): DeleteDecision {
  if (refs.solid.length > 0) {
    if (refs.dangling.length === 0 && refs.waitingForDependentsDeletion.length === 0) return { kind: "keep" };
    return { kind: "removeRefs", uids: [...refs.dangling, ...refs.waitingForDependentsDeletion].map((r) => r.uid) };
  }
  if (refs.waitingForDependentsDeletion.length > 0 && hasDependents) {
    return { kind: "delete", policy: "Foreground", unblockFirst: aDependentDeletesDependents };
  }
  const f = finalizers ?? [];
  const policy: PropagationPolicy = f.includes(FINALIZER_ORPHAN_DEPENDENTS) ? "Orphan" : f.includes(FINALIZER_DELETE_DEPENDENTS) ? "Foreground" : "Background";
  return { kind: "delete", policy, unblockFirst: false };
}
