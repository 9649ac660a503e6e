import type { Digest } from "../engine/digest.js";
import type { KubeObject } from "./types.js";
import { ObjectMap } from "./object-map.js";

/** Watch event types, as in k8s.io/apimachinery/pkg/watch. */
export type WatchType = "ADDED" | "MODIFIED" | "DELETED";

/** A watcher of one kind; called synchronously, in registration order, after each committed write. */
export type WatchFn = (type: WatchType, object: KubeObject, old: KubeObject | undefined) => void;

/**
 * The versioned object store behind the API server (etcd semantics, in memory): one global resourceVersion counter
 * incremented by every write, objects per kind in insertion order (so every listing is deterministic), and watchers
 * per kind. Only `ApiServer` writes it; everything else reads through informers or `get`/`list`.
 */
export class Store {
  private rv = 0;
  private readonly kinds = new Map<string, ObjectMap<KubeObject>>();
  private readonly watchers = new Map<string, WatchFn[]>();
  /** Objects by the uid of each owner they reference, in the order they first named it (the GC's graph). */
  private readonly byOwner = new Map<string, Map<string, { kind: string; namespace: string | undefined; name: string }>>();

  /** @param digest every write is mixed into the run's digest (kind, key, resourceVersion, type). */
  constructor(private readonly digest?: Digest) {}

  /** The latest resourceVersion handed out (as etcd's revision). */
  get resourceVersion(): number {
    return this.rv;
  }

  /** The stored object, or undefined. */
  get<T extends KubeObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    return this.kinds.get(kind)?.get(namespace, name) as T | undefined;
  }

  /** Every stored object of a kind: namespaces in first-seen order, objects in each in creation order. */
  list<T extends KubeObject>(kind: string): IterableIterator<T> {
    return ((this.kinds.get(kind) ?? new ObjectMap()) as ObjectMap<T>).values();
  }

  /** Number of stored objects of a kind. */
  count(kind: string): number {
    return this.kinds.get(kind)?.size ?? 0;
  }

  /** Number of stored objects of a kind in one namespace. */
  countIn(kind: string, namespace: string): number {
    return this.kinds.get(kind)?.sizeIn(namespace) ?? 0;
  }

  /** Registers a watcher for a kind. Existing objects are not replayed: list first if you need them. */
  watch(kind: string, fn: WatchFn): void {
    let list = this.watchers.get(kind);
    if (!list) this.watchers.set(kind, (list = []));
    list.push(fn);
  }

  /**
   * Commits `object` (ADDED or MODIFIED) with the next resourceVersion and notifies watchers. The caller (the API
   * server) has already checked preconditions; `object` must be a fresh object no one else holds.
   */
  put(type: "ADDED" | "MODIFIED", object: KubeObject, old: KubeObject | undefined): KubeObject {
    const rv = ++this.rv;
    object.metadata.resourceVersion = String(rv);
    let m = this.kinds.get(object.kind);
    if (!m) this.kinds.set(object.kind, (m = new ObjectMap()));
    m.set(object);
    const refs = object.metadata.ownerReferences;
    // Most writes keep the ownerReferences array (metadata is copied shallowly), so they cost one comparison.
    if (old === undefined ? refs !== undefined : refs !== old.metadata.ownerReferences) {
      if (old) this.unindexOwners(old);
      if (refs) this.indexOwners(object);
    }
    this.notify(type, object, old, rv);
    return object;
  }

  /** Removes an object and notifies watchers with DELETED (the last state, as upstream). */
  remove(object: KubeObject): void {
    const rv = ++this.rv;
    this.kinds.get(object.kind)?.delete(object.metadata.namespace, object.metadata.name);
    if (object.metadata.ownerReferences) this.unindexOwners(object);
    this.notify("DELETED", object, object, rv);
  }

  /** The stored objects of `kind` that name `uid` in an ownerReference, in the order they first did. */
  dependents<T extends KubeObject>(uid: string, kind: string): T[] {
    const deps = this.byOwner.get(uid);
    const out: T[] = [];
    if (deps) {
      for (const d of deps.values()) {
        if (d.kind !== kind) continue;
        const o = this.get<T>(d.kind, d.namespace, d.name);
        if (o) out.push(o);
      }
    }
    return out;
  }

  private indexOwners(o: KubeObject): void {
    const id = `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
    for (const r of o.metadata.ownerReferences!) {
      let deps = this.byOwner.get(r.uid);
      if (!deps) this.byOwner.set(r.uid, (deps = new Map()));
      deps.set(id, { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });
    }
  }

  private unindexOwners(o: KubeObject): void {
    const refs = o.metadata.ownerReferences;
    if (!refs) return;
    const id = `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
    for (const r of refs) {
      const deps = this.byOwner.get(r.uid);
      if (deps && deps.delete(id) && deps.size === 0) this.byOwner.delete(r.uid);
    }
  }

  private notify(type: WatchType, object: KubeObject, old: KubeObject | undefined, rv: number): void {
    if (this.digest) {
      this.digest.string(object.kind);
      this.digest.string(object.metadata.namespace ?? "");
      this.digest.string(object.metadata.name);
      this.digest.number(rv);
      this.digest.number(type === "ADDED" ? 1 : type === "MODIFIED" ? 2 : 3);
    }
    const ws = this.watchers.get(object.kind);
    if (ws) for (const w of ws) w(type, object, old);
  }
}
