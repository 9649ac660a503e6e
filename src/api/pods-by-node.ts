import type { Informer } from "./informer.js";
import type { Pod } from "./types.js";
import { objectKey } from "./types.js";

/**
 * An informer index of pods by spec.nodeName (client-go's Indexer with a nodeName index function), so controllers
 * that act per node do not scan every pod of the cluster. Pods are listed in the order they were bound.
 */
export class PodsByNode {
  private readonly index = new Map<string, Map<string, Pod>>();

  constructor(pods: Informer<Pod>) {
    pods.addHandlers({
      onAdd: (p) => this.put(p),
      onUpdate: (old, p) => {
        if (old.spec.nodeName && old.spec.nodeName !== p.spec.nodeName) this.drop(old);
        this.put(p);
      },
      onDelete: (p) => this.drop(p),
    });
  }

  /** The pods bound to a node (the informer's view). */
  pods(nodeName: string): IterableIterator<Pod> {
    return (this.index.get(nodeName) ?? new Map<string, Pod>()).values();
  }

  private put(p: Pod): void {
    const n = p.spec.nodeName;
    if (!n) return;
    let m = this.index.get(n);
    if (!m) this.index.set(n, (m = new Map()));
    m.set(objectKey(p.metadata.namespace, p.metadata.name), p);
  }

  private drop(p: Pod): void {
    const n = p.spec.nodeName;
    if (n) this.index.get(n)?.delete(objectKey(p.metadata.namespace, p.metadata.name));
  }
}
