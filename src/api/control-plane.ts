import type { Simulation } from "../engine/simulation.js";
import type { Settings } from "../settings.js";
import { ApiServer, SYSTEM_NAMESPACES } from "./apiserver.js";
import { bindServiceAccountAdmission } from "./admission/service-account.js";
import { ApiClient } from "./client.js";
import { firstServiceIP } from "./service/cluster-ip-allocator.js";
import { kubernetesEndpointSlice, kubernetesEndpoints, kubernetesService } from "./service/kubernetes-service.js";
import type { KubeObject } from "./types.js";
import { ApiClock } from "./clock.js";
import { EventRecorder } from "./events.js";
import { InformerFactory } from "./informer-factory.js";
import { PodsByNode } from "./pods-by-node.js";
import { Store } from "./store.js";
import { ApiSlowdown } from "./slowdown.js";

/**
 * The API side of a simulated cluster: store, API server, clock, event recorder and shared informers, wired to one
 * simulation. Components receive this and register their own engine contexts with `sim.register`.
 */
export class ControlPlane {
  readonly store: Store;
  readonly clock: ApiClock;
  readonly events: EventRecorder;
  readonly api: ApiServer;
  readonly informers: InformerFactory;
  /** A slow API server's added latency on client requests and watch deliveries (the slowApiServer fault). */
  readonly slowdown = new ApiSlowdown();
  private podIndex: PodsByNode | undefined;

  /**
   * Virtual ms from which the control plane writes and watches normally again: the end of the latest API server
   * outage or the settling of the latest slowdown (-Infinity: neither happened). Time-bounded invariants count lags
   * from here, since no controller could act in time before.
   */
  get disturbedUntilMs(): number {
    return Math.max(this.api.downUntilMs, this.slowdown.settledMs);
  }

  /** The pod informer's index by node (shared by the controllers and kubelets that act per node). */
  get podsByNode(): PodsByNode {
    return (this.podIndex ??= new PodsByNode(this.informers.pods));
  }

  /**
   * A new API client for a component (each controller has its own upstream: kube-controller-manager builds one
   * clientset per controller), with that component's QPS / burst settings and the request latency.
   */
  client(name: string, component: "controllerManager" | "scheduler"): ApiClient {
    const s = this.settings;
    // NOTE: kubelets (kubeAPIQPS 50 / kubeAPIBurst 100 upstream) write directly for now: at 110 pods per node their
    // writes rarely reach the limit, and their lease renewals are the engine's hottest path.
    const [qps, burst] = component === "controllerManager" ? [s.controllerManagerQPS, s.controllerManagerBurst] : [s.schedulerQPS, s.schedulerBurst];
    return new ApiClient(this.sim, name, { qps, burst, latency: s.apiRequestLatency, slowdown: this.slowdown });
  }

  /** @param startTime epoch ms of virtual time 0. */
  constructor(readonly sim: Simulation, readonly settings: Settings, startTime: number) {
    this.store = new Store(sim.digest);
    bindServiceAccountAdmission(this.store, sim.stream("admission/serviceaccount"));
    this.clock = new ApiClock(startTime, () => sim.now);
    this.events = new EventRecorder(this.clock);
    this.api = new ApiServer(this.store, this.clock, settings, sim.stream("apiserver/names"), this.events, (name) => sim.stream(name));
    for (const name of SYSTEM_NAMESPACES) {
      const r = this.api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
      if (!r.ok) throw new Error(`bootstrap: ${r.message}`);
    }
    // The `kubernetes` Service and its endpoints, as the API server's own controllers write them at start.
    for (const o of [kubernetesService(firstServiceIP(settings.serviceClusterIPRange)), kubernetesEndpoints(), kubernetesEndpointSlice()]) {
      const r = this.api.create<KubeObject>(o);
      if (!r.ok) throw new Error(`bootstrap: ${r.message}`);
    }
    this.informers = new InformerFactory(sim, this.store, settings.informerLatency, this.slowdown);
  }
}
