import type { KubeObject } from "./types.js";

/**
 * Objects of one kind by (namespace, name), as a map of maps. Looking up by the two strings separately avoids
 * building a "namespace/name" key per access, which matters on the hot paths (lease renewals, pod status writes).
 * Iteration is deterministic: namespaces in the order first seen, objects in each in insertion order.
 * Cluster-scoped objects live under namespace "".
 */
export class ObjectMap<T extends KubeObject> {
  private readonly byNs = new Map<string, Map<string, T>>();
  private count = 0;

  /** Number of objects. */
  get size(): number {
    return this.count;
  }

  /** Number of objects in one namespace ("" for cluster-scoped ones). */
  sizeIn(namespace: string): number {
    return this.byNs.get(namespace)?.size ?? 0;
  }

  /** The object, or undefined. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.byNs.get(namespace ?? "")?.get(name);
  }

  /** Adds or replaces the object under its own namespace and name (a replaced object keeps its position). */
  set(obj: T): void {
    const ns = obj.metadata.namespace ?? "";
    let m = this.byNs.get(ns);
    if (!m) this.byNs.set(ns, (m = new Map()));
    const before = m.size;
    m.set(obj.metadata.name, obj);
    if (m.size !== before) this.count++;
  }

  /** Removes an object; returns it if it was there. */
  delete(namespace: string | undefined, name: string): T | undefined {
    const m = this.byNs.get(namespace ?? "");
    const o = m?.get(name);
    if (o !== undefined) {
      m!.delete(name);
      this.count--;
    }
    return o;
  }

  /** The objects of one namespace ("" for cluster-scoped ones), in insertion order. */
  valuesIn(namespace: string): IterableIterator<T> {
    return (this.byNs.get(namespace) ?? new Map<string, T>()).values();
  }

  /** Every object, namespaces in first-seen order, objects in insertion order. */
  values(): IterableIterator<T> {
    // One namespace (always so for cluster-scoped kinds) iterates the map itself, without a generator's cost.
    if (this.byNs.size === 1) return this.byNs.values().next().value!.values();
    return this.all();
  }

  private *all(): IterableIterator<T> {
    for (const m of this.byNs.values()) yield* m.values();
  }
}
