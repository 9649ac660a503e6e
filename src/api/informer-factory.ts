/**
 * The shared informer factory (client-go informers.SharedInformerFactory): one informer per kind, created on first
 * use, so a kind nobody watches costs nothing. The typed getters are the kinds today's components read.
 */
import type { Simulation } from "../engine/simulation.js";
import { Informer } from "./informer.js";
import type { ApiSlowdown } from "./slowdown.js";
import { mustKindSpec } from "./registry/registry.js";
import type { Store } from "./store.js";
import type { CronJob, Job } from "./batch/types.js";
import type { ConfigMap, Deployment, KubeObject, Lease, Node, Pod, ReplicaSet, Secret } from "./types.js";
import type { Endpoints, EndpointSlice, Service } from "./service/types.js";
import type { ServiceAccount } from "./serviceaccount/types.js";
import type { LimitRange, ResourceQuota } from "./quota/types.js";

/** One lazily created shared informer per registered kind; the getters name the kinds components read today. */
export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();

  constructor(
    private readonly sim: Simulation,
    private readonly store: Store,
    private readonly latency: number,
    private readonly slowdown: ApiSlowdown,
  ) {}

  /** The informer of a registered kind, created (listing the store, then watching it) on first use. */
  forKind<T extends KubeObject>(kind: string): Informer<T> {
    let inf = this.informers.get(kind);
    if (!inf) {
      mustKindSpec(kind);
      inf = new Informer<KubeObject>(kind, this.store, (name, h) => this.sim.register<null>(name, h), `informer/${kind}`, this.latency, this.slowdown);
      this.informers.set(kind, inf);
    }
    return inf as unknown as Informer<T>;
  }

  /** Every informer relists (Informer.relist), in the order they were made: the API server answers again. */
  relistAll(): void {
    for (const inf of this.informers.values()) inf.relist();
  }

  get pods(): Informer<Pod> {
    return this.forKind<Pod>("Pod");
  }
  get nodes(): Informer<Node> {
    return this.forKind<Node>("Node");
  }
  get leases(): Informer<Lease> {
    return this.forKind<Lease>("Lease");
  }
  get replicaSets(): Informer<ReplicaSet> {
    return this.forKind<ReplicaSet>("ReplicaSet");
  }
  get deployments(): Informer<Deployment> {
    return this.forKind<Deployment>("Deployment");
  }
  get jobs(): Informer<Job> {
    return this.forKind<Job>("Job");
  }
  get cronJobs(): Informer<CronJob> {
    return this.forKind<CronJob>("CronJob");
  }
  get configMaps(): Informer<ConfigMap> {
    return this.forKind<ConfigMap>("ConfigMap");
  }
  get secrets(): Informer<Secret> {
    return this.forKind<Secret>("Secret");
  }
  get serviceAccounts(): Informer<ServiceAccount> {
    return this.forKind<ServiceAccount>("ServiceAccount");
  }
  get services(): Informer<Service> {
    return this.forKind<Service>("Service");
  }
  get endpoints(): Informer<Endpoints> {
    return this.forKind<Endpoints>("Endpoints");
  }
  get endpointSlices(): Informer<EndpointSlice> {
    return this.forKind<EndpointSlice>("EndpointSlice");
  }
  get resourceQuotas(): Informer<ResourceQuota> {
    return this.forKind<ResourceQuota>("ResourceQuota");
  }
  get limitRanges(): Informer<LimitRange> {
    return this.forKind<LimitRange>("LimitRange");
  }
}
