import type { Simulation } from "../engine/simulation.js";
import type { Settings } from "../settings.js";
import { ApiServer, SYSTEM_NAMESPACES } from "./apiserver.js";
import { ApiClock } from "./clock.js";
import { EventRecorder } from "./events.js";
import { Informer } from "./informer.js";
import { Store } from "./store.js";
import type { Deployment, Lease, Node, Pod, ReplicaSet } from "./types.js";

/** The shared informers every component reads the cluster through (one per kind, as a SharedInformerFactory). */
export interface Informers {
  pods: Informer<Pod>;
  nodes: Informer<Node>;
  leases: Informer<Lease>;
  replicaSets: Informer<ReplicaSet>;
  deployments: Informer<Deployment>;
}

/**
 * The API side of a simulated cluster: store, API server, clock, event recorder and shared informers, wired to one
 * simulation. Components receive this and register their own engine contexts with `sim.register`.
 */
export class ControlPlane {
  readonly store: Store;
  readonly clock: ApiClock;
  readonly events: EventRecorder;
  readonly api: ApiServer;
  readonly informers: Informers;

  /** @param startTime epoch ms of virtual time 0. */
  constructor(readonly sim: Simulation, readonly settings: Settings, startTime: number) {
    this.store = new Store(sim.digest);
    this.clock = new ApiClock(startTime, () => sim.now);
    this.events = new EventRecorder(this.clock);
    this.api = new ApiServer(this.store, this.clock, settings, sim.stream("apiserver/names"), this.events);
    for (const name of SYSTEM_NAMESPACES) {
      const r = this.api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
      if (!r.ok) throw new Error(`bootstrap: ${r.message}`);
    }
    const reg = (name: string, h: (e: null) => void) => sim.register<null>(name, h);
    const inf = <T extends Pod | Node | Lease | ReplicaSet | Deployment>(kind: string) =>
      new Informer<T>(kind, this.store, reg, `informer/${kind}`, settings.informerLatency);
    this.informers = {
      pods: inf<Pod>("Pod"),
      nodes: inf<Node>("Node"),
      leases: inf<Lease>("Lease"),
      replicaSets: inf<ReplicaSet>("ReplicaSet"),
      deployments: inf<Deployment>("Deployment"),
    };
  }
}
