/**
 * The garbage collector's dependency graph (pkg/controller/garbagecollector/graph.go): one node per object of a
 * monitored kind, plus "virtual" nodes for owners named by an ownerReference and not observed yet. Each node knows
 * its owners (the object's ownerReferences) and its dependents (nodes whose ownerReferences name its uid).
 */
import type { OwnerReference } from "../../api/types.js";

/** objectReference: an ownerReference's coordinates plus the namespace ("" for cluster-scoped). */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** One node of the graph. `virtual` until an informer event for its uid is seen (isObserved is !virtual). */
export interface GraphNode {
  identity: ObjectIdentity;
  /** The object's ownerReferences as last observed (the object's own array, never modified). */
  owners: readonly OwnerReference[];
  /** Nodes naming this one as owner, in the order they did; allocated on the first. */
  dependents: Set<GraphNode> | undefined;
  virtual: boolean;
  /** deletionTimestamp was set (a one-way trip). */
  beingDeleted: boolean;
  /** Being deleted with the foregroundDeletion finalizer: waiting for its blocking dependents. */
  deletingDependents: boolean;
}

const NO_REFS: readonly OwnerReference[] = Object.freeze([]) as readonly OwnerReference[];

/** A new node. */
export function newNode(identity: ObjectIdentity, owners: readonly OwnerReference[] | undefined, virtual: boolean): GraphNode {
  return { identity, owners: owners ?? NO_REFS, dependents: undefined, virtual, beingDeleted: false, deletingDependents: false };
}

/** The identity an ownerReference names, in the dependent's namespace (as upstream builds virtual nodes). */
export function identityOfRef(ref: OwnerReference, namespace: string): ObjectIdentity {
  return { apiVersion: ref.apiVersion, kind: ref.kind, namespace, name: ref.name, uid: ref.uid };
}

/** Identities equal in every coordinate. */
export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.uid === b.uid && a.name === b.name && a.namespace === b.namespace && a.kind === b.kind && a.apiVersion === b.apiVersion;
}

/** ownerReferenceMatchesCoordinates: same uid, name, kind and apiVersion (controller / blockOwnerDeletion aside). */
export function refMatches(ref: OwnerReference, id: ObjectIdentity): boolean {
  return ref.uid === id.uid && ref.name === id.name && ref.kind === id.kind && ref.apiVersion === id.apiVersion;
}

/** objectReference.String(), as the OwnerRefInvalidNamespace message prints it. */
export function identityString(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

/** The cache key of an identity (absentOwnerCache, ReferenceCache). */
export function identityKey(id: ObjectIdentity): string {
  return `${id.apiVersion}\u0000${id.kind}\u0000${id.namespace}\u0000${id.name}\u0000${id.uid}`;
}

/** node.blockingDependents: dependents whose reference to this node has blockOwnerDeletion true. */
export function blockingDependents(n: GraphNode): GraphNode[] {
  const out: GraphNode[] = [];
  if (n.dependents === undefined) return out;
  for (const dep of n.dependents) {
    for (const ref of dep.owners) {
      if (ref.uid === n.identity.uid && ref.blockOwnerDeletion === true) {
        out.push(dep);
        break;
      }
    }
  }
  return out;
}

/**
 * partitionDependents: dependents whose reference to `id.uid` matches `id` (matching) and those with a reference to
 * that uid under other coordinates, or in another namespace than a namespaced `id` (nonmatching). A dependent may be
 * in both.
 */
export function partitionDependents(dependents: Iterable<GraphNode>, id: ObjectIdentity): { matching: GraphNode[]; nonmatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  const namespaced = id.namespace !== "";
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (namespaced && id.namespace !== dep.identity.namespace) mismatch = true;
    else {
      for (const ref of dep.owners) {
        if (ref.uid !== id.uid) continue;
        if (refMatches(ref, id)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonmatching.push(dep);
  }
  return { matching, nonmatching };
}

/**
 * referencesDiffs: ownerReferences added, removed and changed (same uid, another value) from `old` to `next`, by
 * uid; `removed` in `old`'s order.
 */
export function referencesDiffs(
  old: readonly OwnerReference[],
  next: readonly OwnerReference[],
): { added: OwnerReference[]; removed: OwnerReference[]; changed: { oldRef: OwnerReference; newRef: OwnerReference }[] } {
  const added: OwnerReference[] = [];
  const changed: { oldRef: OwnerReference; newRef: OwnerReference }[] = [];
  const oldByUid = new Map<string, OwnerReference>();
  for (const r of old) oldByUid.set(r.uid, r);
  const seen = new Set<string>();
  for (const r of next) {
    const o = oldByUid.get(r.uid);
    if (o === undefined) added.push(r);
    else {
      seen.add(r.uid);
      if (!sameRef(o, r)) changed.push({ oldRef: o, newRef: r });
    }
  }
  const removed: OwnerReference[] = [];
  for (const [uid, r] of oldByUid) if (!seen.has(uid)) removed.push(r);
  return { added, removed, changed };
}

function sameRef(a: OwnerReference, b: OwnerReference): boolean {
  return a === b || (a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.controller === b.controller && a.blockOwnerDeletion === b.blockOwnerDeletion);
}
