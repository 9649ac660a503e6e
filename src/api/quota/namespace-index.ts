/**
 * The objects of a kind in one namespace, straight from the store, for admission plugins (upstream's plugins read
 * their informers' namespace index: ResourceQuotas(namespace).List, LimitRanges(namespace).List). One index per
 * store and kind, built on first use from a listing and kept by the store's watch, so a lookup costs the objects of
 * that namespace, never a scan of the kind.
 */
import type { Store } from "../store.js";
import type { KubeObject } from "../types.js";

type ByNamespace = Map<string, Map<string, KubeObject>>;
const indexes = new WeakMap<Store, Map<string, ByNamespace>>();
const EMPTY: ReadonlyMap<string, KubeObject> = new Map();

/** The stored objects of `kind` in `namespace`, in creation order (as the store lists them). */
export function objectsInNamespace<T extends KubeObject>(store: Store, kind: string, namespace: string): Iterable<T> {
  let perStore = indexes.get(store);
  if (!perStore) indexes.set(store, (perStore = new Map()));
  let idx = perStore.get(kind);
  if (!idx) {
    const built: ByNamespace = new Map();
    const put = (o: KubeObject) => {
      const ns = o.metadata.namespace ?? "";
      let m = built.get(ns);
      if (!m) built.set(ns, (m = new Map()));
      m.set(o.metadata.name, o);
    };
    for (const o of store.list(kind)) put(o);
    store.watch(kind, (type, o) => {
      if (type === "DELETED") built.get(o.metadata.namespace ?? "")?.delete(o.metadata.name);
      else put(o);
    });
    perStore.set(kind, (idx = built));
  }
  return (idx.get(namespace) ?? EMPTY).values() as Iterable<T>;
}
