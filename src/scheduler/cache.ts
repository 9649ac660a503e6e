/**
 * The scheduler cache (pkg/scheduler/backend/cache/cache.go, node_tree.go, snapshot.go): one NodeInfo per node with
 * the pods bound or assumed on it, and the node order scheduling cycles walk.
 *
 * NOTE: upstream takes a snapshot of the cache at the start of each cycle because the cache changes concurrently;
 * in k8sim a cycle is one engine event, so the cache cannot change during it and serves as its own snapshot.
 */
import type { Node, Pod } from "../api/types.js";
import { NodeInfo, podKey } from "./framework.js";
import { zoneKey } from "../api/topology.js";


/**
 * Node names by zone (node_tree.go nodeTree), listed zone-interleaved: the first node of each zone in zone order,
 * then the second of each, and so on, so that the first nodes a cycle examines span zones. Zones keep the order in
 * which they first appeared; nodes within a zone keep add order; removals keep the order of the rest.
 */
export class NodeTree {
  private readonly tree = new Map<string, string[]>();
  private readonly zones: string[] = [];
  /** Number of nodes in the tree. */
  numNodes = 0;

  /** Adds a node (no-op if its name is already in its zone). */
  addNode(node: Node): void {
    const zone = zoneKey(node);
    const name = node.metadata.name;
    let na = this.tree.get(zone);
    if (na === undefined) {
      this.tree.set(zone, (na = []));
      this.zones.push(zone);
    } else if (na.includes(name)) {
      return;
    }
    na.push(name);
    this.numNodes++;
  }

  /** Removes a node; false if it was not there. An emptied zone is removed. */
  removeNode(node: Node): boolean {
    const zone = zoneKey(node);
    const na = this.tree.get(zone);
    const i = na ? na.indexOf(node.metadata.name) : -1;
    if (!na || i < 0) return false;
    na.splice(i, 1);
    if (na.length === 0) {
      this.tree.delete(zone);
      this.zones.splice(this.zones.indexOf(zone), 1);
    }
    this.numNodes--;
    return true;
  }

  /** Moves a node whose zone changed; returns whether the order may have changed. */
  updateNode(old: Node, node: Node): boolean {
    if (zoneKey(old) === zoneKey(node)) return false;
    this.removeNode(old);
    this.addNode(node);
    return true;
  }

  /** All node names, zone-interleaved (nodeTree.list). */
  list(): string[] {
    const out: string[] = [];
    for (let idx = 0; out.length < this.numNodes; idx++) {
      for (const z of this.zones) {
        const na = this.tree.get(z)!;
        if (idx < na.length) out.push(na[idx]);
      }
    }
    return out;
  }
}

/**
 * NodeInfos for every known node plus assumed-pod bookkeeping (cache.go cacheImpl). Pods are tracked by podKey (the
 * UID) so that an update or delete finds the node the pod was counted on.
 */
export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly tree = new NodeTree();
  /** Node name of every pod counted in the cache (bound or assumed), by pod key. */
  private readonly podNodes = new Map<string, string>();
  /** Keys of pods assumed by the scheduler and not yet seen bound through the informer (cache.assumedPods). */
  private readonly assumed = new Set<string>();
  private list: NodeInfo[] = [];
  private listDirty = true;

  /**
   * NodeInfos of the nodes that exist, in node-tree order (Snapshot.nodeInfoList). Rebuilt only after a node is
   * added or removed or changes zone; the array is reused until then, so callers must not keep it across events.
   */
  nodeInfoList(): NodeInfo[] {
    if (this.listDirty) {
      this.list = this.tree.list().map((n) => this.nodes.get(n)!);
      this.listDirty = false;
    }
    return this.list;
  }

  /** The NodeInfo of a node name (including one known only through its pods), or undefined. */
  getNodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** Number of nodes that exist (pods-only NodeInfos excluded). */
  get nodeCount(): number {
    return this.tree.numNodes;
  }

  /** Whether the pod with this key is assumed and not yet confirmed. */
  isAssumed(key: string): boolean {
    return this.assumed.has(key);
  }

  /** Adds or replaces a node (Cache.AddNode). */
  addNode(node: Node): void {
    const name = node.metadata.name;
    let ni = this.nodes.get(name);
    if (ni === undefined) this.nodes.set(name, (ni = new NodeInfo()));
    const had = ni.node;
    if (had) {
      if (this.tree.updateNode(had, node)) this.listDirty = true;
    } else {
      this.tree.addNode(node);
      this.listDirty = true;
    }
    ni.setNode(node);
  }

  /** Updates a node (Cache.UpdateNode); same as addNode. */
  updateNode(_old: Node, node: Node): void {
    this.addNode(node);
  }

  /** Removes a node (Cache.RemoveNode); its NodeInfo stays while pods still reference it. */
  removeNode(node: Node): void {
    const name = node.metadata.name;
    const ni = this.nodes.get(name);
    if (!ni?.node) return;
    this.tree.removeNode(ni.node);
    this.listDirty = true;
    if (ni.pods.size === 0) this.nodes.delete(name);
    else ni.removeNode();
  }

  private nodeInfoFor(name: string): NodeInfo {
    let ni = this.nodes.get(name);
    if (ni === undefined) this.nodes.set(name, (ni = new NodeInfo()));
    return ni;
  }

  private add(pod: Pod, nodeName: string, key: string): void {
    this.nodeInfoFor(nodeName).addPod(pod);
    this.podNodes.set(key, nodeName);
  }

  private remove(key: string): void {
    const nodeName = this.podNodes.get(key);
    if (nodeName === undefined) return;
    this.podNodes.delete(key);
    const ni = this.nodes.get(nodeName);
    if (!ni) return;
    ni.removePod(key);
    if (!ni.node && ni.pods.size === 0) this.nodes.delete(nodeName);
  }

  /** Counts `pod` on `nodeName` before its binding is confirmed (Cache.AssumePod). */
  assumePod(pod: Pod, nodeName: string): void {
    const key = podKey(pod);
    this.remove(key);
    this.add(pod, nodeName, key);
    this.assumed.add(key);
  }

  /** Drops an assumed pod whose binding failed (Cache.ForgetPod); a no-op for a pod that is not assumed. */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    if (!this.assumed.delete(key)) return;
    this.remove(key);
  }

  /**
   * A pod seen bound through the informer (Cache.AddPod): confirms an assumption (moving it if it landed on
   * another node) or adds it.
   */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec.nodeName!;
    this.assumed.delete(key);
    const cur = this.podNodes.get(key);
    if (cur === nodeName) {
      this.nodes.get(nodeName)!.updatePod(pod);
      return;
    }
    if (cur !== undefined) this.remove(key);
    this.add(pod, nodeName, key);
  }

  /** A bound pod changed (Cache.UpdatePod): replaces the object, moving it if its node changed. */
  updatePod(_old: Pod, pod: Pod): void {
    this.addPod(pod);
  }

  /** A bound pod is gone or finished (Cache.RemovePod). */
  removePod(pod: Pod): void {
    const key = podKey(pod);
    this.assumed.delete(key);
    this.remove(key);
  }
}
