/**
 * The garbage collector's GraphBuilder (pkg/controller/garbagecollector/graph_builder.go): monitors of every kind
 * that can own or be owned feed one FIFO of graph changes; processGraphChanges applies each to the graph and puts
 * the nodes that may need work on the attemptToDelete / attemptToOrphan queues.
 */
import type { ControlPlane } from "../../api/control-plane.js";
import { FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN_DEPENDENTS } from "../../api/deletion-policy.js";
import { apiVersionOf } from "../../api/registry/kind-spec.js";
import { KINDS, kindSpec } from "../../api/registry/registry.js";
import type { WatchType } from "../../api/store.js";
import type { KubeObject, OwnerReference } from "../../api/types.js";
import type { Context } from "../../engine/simulation.js";
import type { WorkerQueue } from "../worker-queue.js";
import {
  type GraphNode,
  type ObjectIdentity,
  identityKey,
  identityOfRef,
  identityString,
  newNode,
  partitionDependents,
  refMatches,
  referencesDiffs,
  sameIdentity,
} from "./graph.js";

/** Kinds the garbage collector never monitors (ignoredResources: core and events.k8s.io events). */
export const GC_IGNORED_KINDS: ReadonlySet<string> = new Set(["Event"]);

/** Size of the absent-owner cache (NewReferenceCache(500) in NewGarbageCollector). */
export const ABSENT_OWNER_CACHE_SIZE = 500;

/** The engine component name of the garbage collector (upstream's controller name). */
export const GC_COMPONENT = "garbage-collector-controller";

/** One graph change: an informer event, or a virtual delete the collector produced for a node it found absent. */
interface GraphChange {
  type: WatchType;
  obj: KubeObject;
  old: KubeObject | undefined;
  /** Set for a virtual delete event: the identity found absent. */
  virtual?: ObjectIdentity;
}

/** An LRU set of identities (ReferenceCache): insertion order is recency, the oldest goes past the size. */
export class ReferenceCache {
  private readonly entries = new Map<string, true>();
  constructor(private readonly size: number) {}
  /** Records an identity as absent. */
  add(id: ObjectIdentity): void {
    const k = identityKey(id);
    this.entries.delete(k);
    this.entries.set(k, true);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
  }
  /** Whether the identity is recorded (and makes it the most recent). */
  has(id: ObjectIdentity): boolean {
    const k = identityKey(id);
    if (!this.entries.has(k)) return false;
    this.entries.delete(k);
    this.entries.set(k, true);
    return true;
  }
}

/**
 * The graph and its builder. Monitors watch the store of every registered kind but Event and deliver
 * `informerLatency` ms after each write, in write order across kinds (one FIFO, as upstream's graphChanges queue).
 *
 * NOTE: upstream's monitors enqueue every update (a TODO in controllerFor suggests filtering); k8sim drops, at the
 * watch, updates that change neither ownerReferences, deletionTimestamp nor finalizers, which processGraphChanges
 * would treat as no-ops. Pod status and lease renewals thus cost one comparison each and no engine event.
 * NOTE: with an informer latency of 0 a change is applied inside the write that made it, not in a delivery event at
 * the same instant; it only updates the graph and queues work (never writes), so nothing re-enters the writer.
 * NOTE: objects that exist when the collector starts are inserted in two passes (all nodes, then their owner
 * links), as if every monitor had synced before the first event was processed; upstream's informers sync in an
 * arbitrary order.
 */
export class GraphBuilder {
  /** uidToNode. */
  readonly nodes = new Map<string, GraphNode>();
  readonly absentOwnerCache = new ReferenceCache(ABSENT_OWNER_CACHE_SIZE);
  private readonly ctx: Context<null>;
  private dueAt: number[] = [];
  private changes: GraphChange[] = [];
  private head = 0;
  private virtualChanges: GraphChange[] = [];
  private flushAt: number | undefined;
  /** Graph changes processed so far. */
  processed = 0;

  constructor(
    private readonly cp: ControlPlane,
    private readonly attemptToDelete: WorkerQueue<GraphNode>,
    private readonly attemptToOrphan: WorkerQueue<GraphNode>,
  ) {
    this.ctx = cp.sim.register<null>(`${GC_COMPONENT}/graph-changes`, () => this.flush());
    const kinds = KINDS.filter((k) => !GC_IGNORED_KINDS.has(k.kind));
    const initial: GraphNode[] = [];
    for (const k of kinds) {
      const apiVersion = apiVersionOf(k);
      for (const o of cp.store.list(k.kind)) {
        const n = newNode(identityOf(o, apiVersion), o.metadata.ownerReferences, false);
        markDeletion(n, o);
        this.nodes.set(n.identity.uid, n);
        initial.push(n);
      }
      cp.store.watch(k.kind, (type, obj, old) => this.watched(type, obj, old));
    }
    for (const n of initial) {
      this.addDependentToOwners(n, n.owners);
      if (n.deletingDependents) this.startsWaitingForDependentsDeleted(n);
      else if (n.beingDeleted && hasFinalizer(n, this.cp, FINALIZER_ORPHAN_DEPENDENTS)) this.attemptToOrphan.add(n);
    }
  }

  /** The node of a uid, if any. */
  node(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** enqueueVirtualDeleteEvent: the collector found `id` absent; processed before informer events due later. */
  enqueueVirtualDeleteEvent(id: ObjectIdentity): void {
    const obj: KubeObject = { apiVersion: id.apiVersion, kind: id.kind, metadata: { name: id.name, namespace: id.namespace || undefined, uid: id.uid } };
    this.virtualChanges.push({ type: "DELETED", obj, old: undefined, virtual: id });
    this.scheduleFlush(this.ctx.now);
  }

  private watched(type: WatchType, obj: KubeObject, old: KubeObject | undefined): void {
    if (type === "MODIFIED" && old !== undefined) {
      const m = obj.metadata;
      const o = old.metadata;
      if (m.ownerReferences === o.ownerReferences && m.deletionTimestamp === o.deletionTimestamp && m.finalizers === o.finalizers) return;
    }
    const latency = this.cp.settings.informerLatency;
    if (latency === 0) {
      // Due at once: applied inside the write (it only changes the graph and queues work, never writes), which saves
      // an engine event per pod created or deleted. The FIFO is empty whenever the latency is 0.
      this.processGraphChange({ type, obj, old: type === "MODIFIED" ? old : undefined });
      return;
    }
    const due = this.ctx.now + latency;
    this.dueAt.push(due);
    this.changes.push({ type, obj, old: type === "MODIFIED" ? old : undefined });
    this.scheduleFlush(this.dueAt[this.head]);
  }

  private scheduleFlush(at: number): void {
    if (this.flushAt !== undefined && this.flushAt <= at) return;
    this.flushAt = at;
    this.ctx.scheduleAt(at, null);
  }

  private flush(): void {
    if (this.flushAt !== this.ctx.now) return; // superseded by an earlier flush that already ran
    this.flushAt = undefined;
    const now = this.ctx.now;
    while (this.head < this.dueAt.length && this.dueAt[this.head] <= now) {
      const c = this.changes[this.head];
      this.changes[this.head++] = undefined as unknown as GraphChange;
      this.processGraphChange(c);
    }
    if (this.head === this.dueAt.length) {
      this.dueAt = [];
      this.changes = [];
      this.head = 0;
    }
    if (this.virtualChanges.length > 0) {
      const v = this.virtualChanges;
      this.virtualChanges = [];
      for (const c of v) this.processGraphChange(c);
    }
    if (this.head < this.dueAt.length) this.scheduleFlush(this.dueAt[this.head]);
    if (this.virtualChanges.length > 0) this.scheduleFlush(now);
  }

  /** processGraphChanges for one event. */
  private processGraphChange(c: GraphChange): void {
    this.processed++;
    const obj = c.obj;
    const uid = obj.metadata.uid!;
    let existing = this.nodes.get(uid);
    if (existing !== undefined && c.virtual === undefined && existing.virtual) {
      // Observed via an informer: dependents naming other coordinates may be invalid.
      const observed = identityOf(obj, apiVersionOfKind(obj));
      if (!sameIdentity(observed, existing.identity)) {
        const { nonmatching } = partitionDependents(existing.dependents ?? [], observed);
        for (const dep of nonmatching) {
          if (observed.namespace !== "" && dep.identity.namespace !== observed.namespace) this.reportInvalidNamespaceOwnerRef(dep, observed.uid);
          this.attemptToDelete.add(dep);
        }
        const clone: GraphNode = { ...existing, identity: observed };
        this.replaceNode(existing, clone);
        existing = clone;
      }
      existing.virtual = false;
    }
    if (c.type !== "DELETED") {
      if (existing === undefined) {
        const n = newNode(identityOf(obj, apiVersionOfKind(obj)), obj.metadata.ownerReferences, false);
        markDeletion(n, obj);
        this.nodes.set(uid, n);
        this.addDependentToOwners(n, n.owners);
        this.processTransitions(c.old, obj, n);
        return;
      }
      const next = obj.metadata.ownerReferences ?? [];
      if (next !== existing.owners) {
        const { added, removed, changed } = referencesDiffs(existing.owners, next);
        if (added.length > 0 || removed.length > 0 || changed.length > 0) {
          this.addUnblockedOwnersToDeleteQueue(removed, changed);
          existing.owners = next;
          this.addDependentToOwners(existing, added);
          this.removeDependentFromOwners(existing, removed);
        }
      }
      if (obj.metadata.deletionTimestamp !== undefined) existing.beingDeleted = true;
      this.processTransitions(c.old, obj, existing);
      return;
    }
    if (existing === undefined) return;
    let remove = true;
    if (c.virtual !== undefined) {
      const deleted = c.virtual;
      if (existing.virtual) {
        const { matching, nonmatching } = partitionDependents(existing.dependents ?? [], deleted);
        if (nonmatching.length > 0) {
          // Some dependents disagree on the owner's coordinates: keep the virtual node for them.
          remove = false;
          if (matching.length > 0) {
            this.absentOwnerCache.add(deleted);
            for (const dep of matching) this.attemptToDelete.add(dep);
          }
          if (sameIdentity(existing.identity, deleted)) {
            const alt = alternateOwnerIdentity(nonmatching, deleted);
            if (alt !== undefined) {
              const clone: GraphNode = { ...existing, identity: alt };
              this.replaceNode(existing, clone);
              this.attemptToDelete.addRateLimited(clone);
            }
          }
        }
      } else if (!sameIdentity(existing.identity, deleted)) {
        remove = false;
        const { matching } = partitionDependents(existing.dependents ?? [], deleted);
        if (matching.length > 0) {
          this.absentOwnerCache.add(deleted);
          for (const dep of matching) this.attemptToDelete.add(dep);
        }
      }
    }
    if (!remove) return;
    this.removeNode(existing);
    if (existing.dependents !== undefined && existing.dependents.size > 0) {
      this.absentOwnerCache.add(c.virtual ?? identityOf(obj, apiVersionOfKind(obj)));
      for (const dep of existing.dependents) this.attemptToDelete.add(dep);
    }
    for (const ref of existing.owners) {
      const owner = this.nodes.get(ref.uid);
      // Lets the owner check whether its last blocking dependent is gone.
      if (owner !== undefined && owner.deletingDependents) this.attemptToDelete.add(owner);
    }
  }

  /** A node replaced by its clone keeps its links: its dependents and its owners' dependents sets point at it. */
  private replaceNode(old: GraphNode, clone: GraphNode): void {
    this.nodes.set(clone.identity.uid, clone);
    for (const ref of old.owners) {
      const owner = this.nodes.get(ref.uid);
      if (owner?.dependents?.delete(old)) owner.dependents.add(clone);
    }
  }

  /**
   * addDependentToOwners: adds `n` to each owner's dependents, creating a virtual owner (queued for
   * attemptToDelete, which checks the owner against the API server) when the graph lacks it; a dependent whose
   * reference disagrees with an observed owner (another namespace, other coordinates) is queued for attemptToDelete,
   * with a Warning OwnerRefInvalidNamespace when the namespaces differ.
   */
  private addDependentToOwners(n: GraphNode, owners: readonly OwnerReference[]): void {
    let potentiallyInvalid = false;
    for (const ref of owners) {
      let owner = this.nodes.get(ref.uid);
      const found = owner !== undefined;
      if (owner === undefined) {
        owner = newNode(identityOfRef(ref, n.identity.namespace), undefined, true);
        this.nodes.set(ref.uid, owner);
      }
      (owner.dependents ??= new Set()).add(n);
      if (!found) {
        this.attemptToDelete.add(owner);
      } else if (!potentiallyInvalid) {
        const ownerNamespaced = owner.identity.namespace !== "";
        if (ownerNamespaced && owner.identity.namespace !== n.identity.namespace) {
          if (!owner.virtual) this.reportInvalidNamespaceOwnerRef(n, ref.uid);
          potentiallyInvalid = true;
        } else if (!refMatches(ref, owner.identity)) {
          potentiallyInvalid = true;
        } else if (!ownerNamespaced && owner.identity.namespace !== n.identity.namespace && owner.virtual) {
          potentiallyInvalid = true;
        }
      }
    }
    if (potentiallyInvalid) this.attemptToDelete.add(n);
  }

  private removeDependentFromOwners(n: GraphNode, owners: readonly OwnerReference[]): void {
    for (const ref of owners) this.nodes.get(ref.uid)?.dependents?.delete(n);
  }

  private removeNode(n: GraphNode): void {
    if (this.nodes.get(n.identity.uid) === n) this.nodes.delete(n.identity.uid);
    this.removeDependentFromOwners(n, n.owners);
  }

  /** addUnblockedOwnersToDeleteQueue: owners a removed or no-longer-blocking reference named may now finish. */
  private addUnblockedOwnersToDeleteQueue(removed: readonly OwnerReference[], changed: readonly { oldRef: OwnerReference; newRef: OwnerReference }[]): void {
    for (const ref of removed) {
      if (ref.blockOwnerDeletion !== true) continue;
      const owner = this.nodes.get(ref.uid);
      if (owner !== undefined) this.attemptToDelete.add(owner);
    }
    for (const c of changed) {
      if (c.oldRef.blockOwnerDeletion === true && c.newRef.blockOwnerDeletion !== true) {
        const owner = this.nodes.get(c.newRef.uid);
        if (owner !== undefined) this.attemptToDelete.add(owner);
      }
    }
  }

  /** processTransitions: an object that starts being deleted with `orphan` or `foregroundDeletion`. */
  private processTransitions(old: KubeObject | undefined, obj: KubeObject, n: GraphNode): void {
    if (startsWithFinalizer(old, obj, FINALIZER_ORPHAN_DEPENDENTS)) {
      this.attemptToOrphan.add(n);
      return;
    }
    if (startsWithFinalizer(old, obj, FINALIZER_DELETE_DEPENDENTS)) this.startsWaitingForDependentsDeleted(n);
  }

  private startsWaitingForDependentsDeleted(n: GraphNode): void {
    n.deletingDependents = true;
    if (n.dependents !== undefined) for (const dep of n.dependents) this.attemptToDelete.add(dep);
    this.attemptToDelete.add(n);
  }

  /** reportInvalidNamespaceOwnerRef: a Warning on the dependent naming the owner it cannot have. */
  reportInvalidNamespaceOwnerRef(n: GraphNode, ownerUid: string): void {
    const ref = n.owners.find((r) => r.uid === ownerUid);
    if (ref === undefined) return;
    const invalid = identityOfRef(ref, n.identity.namespace);
    const id = n.identity;
    const involved: KubeObject = { apiVersion: id.apiVersion, kind: id.kind, metadata: { name: id.name, namespace: id.namespace || undefined, uid: id.uid } };
    this.cp.events.record(involved, "Warning", "OwnerRefInvalidNamespace", `ownerRef ${identityString(invalid)} does not exist in namespace ${JSON.stringify(id.namespace)}`, GC_COMPONENT);
  }
}

/** identityFromEvent: the object's coordinates, apiVersion from its kind's registry entry. */
function identityOf(o: KubeObject, apiVersion: string): ObjectIdentity {
  return { apiVersion, kind: o.kind, namespace: o.metadata.namespace ?? "", name: o.metadata.name, uid: o.metadata.uid! };
}

/** The served apiVersion per kind, computed once per kind (this runs for every pod created). */
const API_VERSIONS = new Map<string, string>();

function apiVersionOfKind(o: KubeObject): string {
  let v = API_VERSIONS.get(o.kind);
  if (v === undefined) {
    const k = kindSpec(o.kind);
    v = k ? apiVersionOf(k) : o.apiVersion;
    API_VERSIONS.set(o.kind, v);
  }
  return v;
}

function markDeletion(n: GraphNode, o: KubeObject): void {
  n.beingDeleted = o.metadata.deletionTimestamp !== undefined;
  n.deletingDependents = n.beingDeleted && (o.metadata.finalizers ?? []).includes(FINALIZER_DELETE_DEPENDENTS);
}

function hasFinalizer(n: GraphNode, cp: ControlPlane, f: string): boolean {
  const spec = kindSpec(n.identity.kind);
  const o = spec ? cp.store.get(spec.kind, spec.namespaced ? n.identity.namespace : undefined, n.identity.name) : undefined;
  return (o?.metadata.finalizers ?? []).includes(f);
}

/** deletionStartsWithFinalizer: `obj` is being deleted with finalizer `f` and `old` was not (or had not `f`). */
export function startsWithFinalizer(old: KubeObject | undefined, obj: KubeObject, f: string): boolean {
  if (obj.metadata.deletionTimestamp === undefined || !(obj.metadata.finalizers ?? []).includes(f)) return false;
  if (old === undefined) return true;
  return old.metadata.deletionTimestamp === undefined || !(old.metadata.finalizers ?? []).includes(f);
}

/** referenceLessThan: kind, apiVersion, namespace, name, uid. */
function referenceLess(a: ObjectIdentity, b: ObjectIdentity): boolean {
  if (a.kind !== b.kind) return a.kind < b.kind;
  if (a.apiVersion !== b.apiVersion) return a.apiVersion < b.apiVersion;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace;
  if (a.name !== b.name) return a.name < b.name;
  return a.uid < b.uid;
}

/**
 * getAlternateOwnerIdentity: among the coordinates the dependents give `absent.uid` other than `absent`, the first
 * that sorts after it (referenceLessThan), else the first.
 */
function alternateOwnerIdentity(deps: readonly GraphNode[], absent: ObjectIdentity): ObjectIdentity | undefined {
  const clusterScoped = absent.namespace === "";
  const seen = new Set<string>([identityKey(absent)]);
  let first: ObjectIdentity | undefined;
  let firstFollowing: ObjectIdentity | undefined;
  for (const dep of deps) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (refMatches(ref, absent) && (clusterScoped || absent.namespace === dep.identity.namespace)) continue;
      let alt = identityOfRef(ref, dep.identity.namespace);
      if (clusterScoped && alt.apiVersion === absent.apiVersion && alt.kind === absent.kind) alt = { ...alt, namespace: "" };
      const k = identityKey(alt);
      if (seen.has(k)) continue;
      seen.add(k);
      if (first === undefined || referenceLess(alt, first)) first = alt;
      if (referenceLess(absent, alt) && (firstFollowing === undefined || referenceLess(alt, firstFollowing))) firstFollowing = alt;
    }
  }
  return firstFollowing ?? first;
}
