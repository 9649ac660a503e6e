import type { ControlPlane } from "../api/control-plane.js";
import type { Node, Pod } from "../api/types.js";
import type { PodsByNode } from "../api/pods-by-node.js";
import type { NodePool } from "./node-pool.js";
import { Kubelet } from "./kubelet.js";
import { nodeFromPool } from "./node-object.js";

/**
 * All kubelets of the cluster. One pod-informer handler routes each pod event to the kubelet of its
 * spec.nodeName, so the cost of a pod change does not grow with the number of nodes (a real kubelet's
 * field-selected watch, without one watch per node).
 */
export class KubeletFleet {
  private readonly byNode = new Map<string, Kubelet>();
  private readonly poolSizes = new Map<string, number>();

  constructor(
    private readonly cp: ControlPlane,
    private readonly podsByNode: PodsByNode,
  ) {
    cp.informers.pods.addHandlers({
      onAdd: (p) => this.route(p),
      onUpdate: (_old, p) => this.route(p),
      onDelete: (p) => {
        if (p.spec.nodeName) this.byNode.get(p.spec.nodeName)?.podDeleted(p);
      },
    });
    // A kubelet watches its own Node for the pod CIDR node IPAM assigns: only a write that changes it matters (every
    // status report is a Node write too).
    cp.informers.nodes.addHandlers({
      onUpdate: (old, n) => {
        if (old.spec.podCIDR !== n.spec.podCIDR) this.byNode.get(n.metadata.name)?.nodeUpdated(n);
      },
    });
  }

  /** Number of nodes created so far. */
  get size(): number {
    return this.byNode.size;
  }

  /** The kubelet of a node, if it exists. */
  get(nodeName: string): Kubelet | undefined {
    return this.byNode.get(nodeName);
  }

  /** All kubelets, in creation order. */
  all(): IterableIterator<Kubelet> {
    return this.byNode.values();
  }

  /**
   * Creates `pool.count` nodes named `<pool>-<i>`, continuing the numbering of earlier nodes of the same pool, and
   * starts their kubelets (which register the Node objects). Returns the new node names.
   */
  addPool(pool: NodePool): string[] {
    const first = (this.poolSizes.get(pool.name) ?? 0) + 1;
    const names: string[] = [];
    for (let i = first; i < first + pool.count; i++) {
      const name = `${pool.name}-${i}`;
      const node: Node = nodeFromPool(name, this.byNode.size, pool, this.cp.settings.maxPods, this.cp.clock);
      const k = new Kubelet(this.cp, name, node, (n) => this.podsByNode.pods(n));
      this.byNode.set(name, k);
      names.push(name);
      k.start();
    }
    this.poolSizes.set(pool.name, first - 1 + pool.count);
    return names;
  }

  private route(p: Pod): void {
    if (p.spec.nodeName) this.byNode.get(p.spec.nodeName)?.syncPod(p);
  }
}
