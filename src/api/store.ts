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

  /** Depth of watcher notifications in progress, and the work deferred until they end (afterDelivery). */
  private notifying = 0;
  private deferred: (() => void)[] = [];

  /**
   * Sees every committed write before the watchers do, in resourceVersion order (the run's change log). It must
   * not write; one per store.
   */
  recorder: ((type: WatchType, object: KubeObject, old: KubeObject | undefined) => void) | undefined;

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

  /** The stored objects of a kind in one namespace, in creation order (a LIST in that namespace). */
  listIn<T extends KubeObject>(kind: string, namespace: string): IterableIterator<T> {
    return ((this.kinds.get(kind) ?? new ObjectMap()) as ObjectMap<T>).valuesIn(namespace);
  }

  /** The kinds that have held an object, in the order they first did. */
  kindNames(): IterableIterator<string> {
    return this.kinds.keys();
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
    this.notify(type, object, old, rv);
    return object;
  }

  /** Removes an object and notifies watchers with DELETED (the last state, as upstream). */
  remove(object: KubeObject): void {
    const rv = ++this.rv;
    this.kinds.get(object.kind)?.delete(object.metadata.namespace, object.metadata.name);
    this.notify("DELETED", object, object, rv);
  }

  private notify(type: WatchType, object: KubeObject, old: KubeObject | undefined, rv: number): void {
    if (this.digest) {
      this.digest.string(object.kind);
      this.digest.string(object.metadata.namespace ?? "");
      this.digest.string(object.metadata.name);
      this.digest.number(rv);
      this.digest.number(type === "ADDED" ? 1 : type === "MODIFIED" ? 2 : 3);
    }
    this.recorder?.(type, object, old);
    const ws = this.watchers.get(object.kind);
    if (!ws) return;
    this.notifying++;
    try {
      for (const w of ws) w(type, object, old);
    } finally {
      this.notifying--;
    }
    if (this.notifying === 0 && this.deferred.length > 0) this.runDeferred();
  }

  /**
   * Runs `fn` once every watcher has seen the write being delivered now (at once when no write is being
   * delivered), before the write call returns to the API server. A watcher that must answer a write with a write of
   * its own in the same instant (the ServiceAccount controller's `default` account for a new namespace) defers it
   * here: a write made inside a notification would reach the watchers after it before the write that caused it,
   * and out of resourceVersion order.
   */
  afterDelivery(fn: () => void): void {
    if (this.notifying === 0) fn();
    else this.deferred.push(fn);
  }

  private runDeferred(): void {
    // Deferred work may write, and those writes may defer more: drained in order until none is left.
    while (this.deferred.length > 0) {
      const batch = this.deferred;
      this.deferred = [];
      for (const fn of batch) fn();
    }
  }
}
