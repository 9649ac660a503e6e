import type { ControlPlane } from "../api/control-plane.js";
import type { Node, Pod } from "../api/types.js";
import type { PodsByNode } from "../api/pods-by-node.js";
import type { Context } from "../engine/simulation.js";
import type { Rng } from "../engine/rng.js";
import { sample, type Distribution } from "../workload/distribution.js";
import type { BehaviorResolver } from "../workload/profiles.js";
import type { ContainerLogSink, KubeletObserver } from "./containers/pod-containers.js";
import type { NodePool } from "./node-pool.js";
import { Kubelet } from "./kubelet.js";
import { nodeFromPool } from "./node-object.js";
import type { ImageRegistry } from "./runtime/image-registry.js";
import { simulatedRuntime } from "./runtime/simulated-runtime.js";

/** What every kubelet of the run shares: the registry, the workload model, the boot time, where logs go. */
export interface FleetOptions {
  readonly registry: ImageRegistry;
  readonly behaviors: BehaviorResolver;
  /** settings.nodeBootDuration, parsed. */
  readonly nodeBoot: Distribution;
  readonly logs?: ContainerLogSink;
}

/**
 * All kubelets of the cluster. One pod-informer handler routes each pod event to the kubelet of its
 * spec.nodeName, so the cost of a pod change does not grow with the number of nodes (a real kubelet's
 * field-selected watch, without one watch per node).
 */
export class KubeletFleet {
  private readonly byNode = new Map<string, Kubelet>();
  private readonly poolSizes = new Map<string, number>();
  /** Nodes being provisioned (addNodes): their kubelets start when the boot ends. */
  private readonly ctx: Context<{ t: "booted"; kubelet: Kubelet }>;
  /** The run's kubelet metrics observer (the metrics collector, made after the cluster). */
  observer: KubeletObserver | undefined;
  /** Pods waiting on configuration, over all kubelets (kept by the kubelets as they change). */
  private configWaiting = 0;
  private readonly configWaits = { add: (delta: number) => void (this.configWaiting += delta) };

  /** The registry every node pulls from (the fault injector's hand for registry outages). */
  get registry(): ImageRegistry {
    return this.options.registry;
  }

  constructor(
    private readonly cp: ControlPlane,
    private readonly podsByNode: PodsByNode,
    private readonly options: FleetOptions,
  ) {
    this.ctx = cp.sim.register("node-boot", (e) => {
      if (!e.kubelet.booting) return;
      // A kubelet cannot register while the API server is down (apiServerOutage): it keeps trying and registers
      // when it answers again. NOTE: upstream's registration retries back off (100ms doubling to 7s).
      if (!cp.api.reachable) this.ctx.scheduleAt(cp.api.downUntilMs, e);
      else e.kubelet.start();
    });
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

  /**
   * How many pods wait on configuration now: a container waits with CreateContainerConfigError (its env names a
   * missing ConfigMap, Secret or key), or the pod's sandbox waits for a configMap, secret or projected volume whose
   * object or key is missing (ContainerCreating with FailedMount events). A running count, not a scan.
   */
  podsWaitingOnConfig(): number {
    return this.configWaiting;
  }

  /** All kubelets, in creation order. */
  all(): IterableIterator<Kubelet> {
    return this.byNode.values();
  }

  /**
   * Creates `pool.count` nodes named `<pool>-<i>`, continuing the numbering of earlier nodes of the same pool, and
   * starts their kubelets (which register the Node objects). With `boot` (nodes added during the run), each node
   * first provisions for a draw of settings.nodeBootDuration from its own stream (`node-boot/<name>`), as a VM
   * boots, and its kubelet starts then. Returns the new node names.
   */
  addPool(pool: NodePool, boot = false): string[] {
    const first = (this.poolSizes.get(pool.name) ?? 0) + 1;
    const names: string[] = [];
    const { settings, sim } = this.cp;
    for (let i = first; i < first + pool.count; i++) {
      const name = `${pool.name}-${i}`;
      const node: Node = nodeFromPool(name, this.byNode.size, pool, settings.maxPods, this.cp.clock);
      const runtime = simulatedRuntime({ registry: this.options.registry, preloaded: pool.preloadedImages ?? [], rng: lazyStream(() => sim.stream(`image-pull/${name}`)), unknownStopMs: settings.podStopLatency });
      const k = new Kubelet(this.cp, name, node, (n) => this.podsByNode.pods(n), {
        runtime,
        behaviors: this.options.behaviors,
        logs: this.options.logs,
        observer: () => this.observer,
        podStream: (p) => lazyStream(() => sim.stream(`pod/${p.metadata.namespace}/${p.metadata.name}/${p.metadata.uid}`)),
        configWaits: this.configWaits,
      });
      this.byNode.set(name, k);
      names.push(name);
      const bootMs = boot ? sample(this.options.nodeBoot, sim.stream(`node-boot/${name}`)) : 0;
      if (bootMs === 0 && this.cp.api.reachable) k.start();
      else {
        k.booting = true;
        this.ctx.schedule(bootMs, { t: "booted", kubelet: k });
      }
    }
    this.poolSizes.set(pool.name, first - 1 + pool.count);
    return names;
  }

  private route(p: Pod): void {
    if (p.spec.nodeName) this.byNode.get(p.spec.nodeName)?.syncPod(p);
  }
}

/** A stream created on its first draw: most pods draw nothing (fixed behaviors), so most never pay for one. */
function lazyStream(make: () => Rng): Rng {
  let r: Rng | undefined;
  return () => (r ??= make())();
}
