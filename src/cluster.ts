import { ControlPlane } from "./api/control-plane.js";
import { DeploymentController } from "./controllers/deployment.js";
import { NodeLifecycleController } from "./controllers/node-lifecycle.js";
import { PodGCController } from "./controllers/podgc.js";
import { PodsByNode } from "./controllers/pods-by-node.js";
import { ReplicaSetController } from "./controllers/replicaset.js";
import { TaintEvictionController } from "./controllers/taint-eviction.js";
import { Simulation } from "./engine/simulation.js";
import { KubeletFleet } from "./kubelet/fleet.js";
import { Scheduler } from "./scheduler/scheduler.js";
import type { Settings } from "./settings.js";

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
  readonly nodeLifecycle: NodeLifecycleController;
  readonly podGC: PodGCController;

  /** @param startTime epoch ms of virtual time 0. */
  constructor(seed: number, readonly settings: Settings, startTime: number) {
    this.sim = new Simulation(seed);
    this.cp = new ControlPlane(this.sim, settings, startTime);
    const podsByNode = new PodsByNode(this.cp.informers.pods);
    this.nodeLifecycle = new NodeLifecycleController(this.cp, podsByNode);
    new TaintEvictionController(this.cp, podsByNode);
    const replicaSets = new ReplicaSetController(this.cp);
    new DeploymentController(this.cp, replicaSets);
    this.podGC = new PodGCController(this.cp, podsByNode);
    this.scheduler = new Scheduler(this.cp);
    this.kubelets = new KubeletFleet(this.cp, podsByNode);
  }
}
