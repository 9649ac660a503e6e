import { ControlPlane } from "./api/control-plane.js";
import { startControllers } from "./controllers/manager.js";
import { Simulation } from "./engine/simulation.js";
import { KubeletFleet } from "./kubelet/fleet.js";
import { Scheduler } from "./scheduler/scheduler.js";
import type { Settings } from "./settings.js";
import { mustParseQuantity, value as quantityValue } from "./api/quantity.js";
import type { ContainerLogSink } from "./kubelet/containers/pod-containers.js";
import { ImageRegistry, type ImageCatalogEntry } from "./kubelet/runtime/image-registry.js";
import { parseDistribution } from "./workload/distribution.js";
import { BehaviorResolver, type BehaviorProfile } from "./workload/profiles.js";

/** What runs inside the cluster's containers, and where their logs go (the scenario's spec.behaviors, spec.images). */
export interface WorkloadModel {
  readonly behaviors?: readonly BehaviorProfile[];
  readonly images?: readonly ImageCatalogEntry[];
  readonly logs?: ContainerLogSink;
}

/**
 * A whole simulated cluster on one simulation: the control plane (API server, store, informers), the controller
 * manager's controllers, the scheduler and one kubelet per node. Components are created in a fixed order, which
 * fixes the order of their start-up events and so the run.
 */
export class Cluster {
  readonly sim: Simulation;
  readonly cp: ControlPlane;
  readonly kubelets: KubeletFleet;
  readonly scheduler: Scheduler;
  /** The running controllers by upstream name (see controllers/manager.ts). */
  readonly controllers: ReadonlyMap<string, unknown>;

  /** A running controller by its upstream name (undefined when `controllers` disabled it). */
  controller<T>(name: string): T | undefined {
    return this.controllers.get(name) as T | undefined;
  }

  /** @param startTime epoch ms of virtual time 0. */
  constructor(seed: number, readonly settings: Settings, startTime: number, workload: WorkloadModel = {}) {
    this.sim = new Simulation(seed);
    this.cp = new ControlPlane(this.sim, settings, startTime);
    // The controller manager starts first, then the scheduler, then the kubelets (a fixed order fixes the run).
    this.controllers = startControllers(this.cp);
    this.scheduler = new Scheduler(this.cp);
    const boot = parseDistribution(settings.nodeBootDuration);
    if (!boot.ok) throw new Error(`settings.nodeBootDuration: ${boot.error}`);
    const registry = new ImageRegistry(workload.images ?? [], quantityValue(mustParseQuantity(settings.defaultImageSize)), quantityValue(mustParseQuantity(settings.imagePullBandwidth)));
    this.kubelets = new KubeletFleet(this.cp, this.cp.podsByNode, {
      registry,
      behaviors: new BehaviorResolver(workload.behaviors ?? []),
      nodeBoot: boot.value,
      logs: workload.logs,
    });
  }
}
