/**
 * The invariant registry (src/invariants/registry.ts): every registered kind and controller contributes a check;
 * every registered check fires on a deliberately broken state (a check that could not fail is not a test) and holds
 * on the bundled scenarios, run with every check after every event.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NODE_LEASE_NAMESPACE } from "../src/api/apiserver.js";
import { KINDS } from "../src/api/registry/registry.js";
import type { Store } from "../src/api/store.js";
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from "../src/api/taints.js";
import type { ContainerStatus, Deployment, KubeObject, Lease, Node, Pod, ReplicaSet } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import { CONTROLLERS } from "../src/controllers/manager.js";
import {
  INVARIANT_REGISTRY,
  invariantsOf,
  InvariantMonitor,
  orphanDeadline,
  ownerName,
  taintEvictionViolations,
  leaseViolations,
  type InvariantComponent,
  type Violation,
} from "../src/invariants/index.js";
import { simulate } from "../src/run.js";
import { resolveSettings, type Settings } from "../src/settings.js";
import { node, pod } from "./fixtures/builders.js";
import { describeViolations, simulateChecked } from "./helpers/invariant-run.js";
import { load, removeScenarios, SCENARIOS } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const COMPONENTS: readonly InvariantComponent[] = ["engine", "store", "informers", "scheduler", "kubelet"];

describe("the registry covers what it must", () => {
  it("names each invariant once, with a statement and at least one owner", () => {
    expect(new Set(INVARIANT_REGISTRY.map((r) => r.name)).size).toBe(INVARIANT_REGISTRY.length);
    for (const r of INVARIANT_REGISTRY) {
      expect(r.statement.length, r.name).toBeGreaterThan(20);
      expect(r.owners.length, r.name).toBeGreaterThan(0);
    }
  });
  it.each(KINDS.map((k) => k.kind))("kind %s contributes at least one invariant", (kind) => {
    expect(invariantsOf(kind).map((r) => r.name)).not.toEqual([]);
  });
  it.each(CONTROLLERS.map((c) => c.name))("controller %s contributes at least one invariant", (controller) => {
    expect(invariantsOf(controller).map((r) => r.name)).not.toEqual([]);
  });
  it("attributes invariants only to registered kinds, controllers and known components", () => {
    const known = new Set<string>([...KINDS.map((k) => k.kind), ...CONTROLLERS.map((c) => c.name), ...COMPONENTS]);
    for (const r of INVARIANT_REGISTRY) for (const o of r.owners) expect(known.has(ownerName(o)), `${r.name}: ${ownerName(o)}`).toBe(true);
  });
  it("does not create the checks of a controller that --controllers disabled", () => {
    const on = new InvariantMonitor(fresh()).checking;
    expect(on).toEqual(INVARIANT_REGISTRY.map((r) => r.name));
    const off = new InvariantMonitor(fresh({ controllers: ["*", "-podgc", "-nodeipam", "-replicaset"] })).checking;
    expect(INVARIANT_REGISTRY.map((r) => r.name).filter((n) => !off.includes(n))).toEqual(["pod-binding", "replicaset-status", "replica-convergence", "pod-cidr"]);
  });
});

const START = Date.UTC(2026, 0, 1);

/** A cluster built as a run builds it, before anything ran: no nodes, no workloads, nothing scheduled run. */
function fresh(settings: Partial<Settings> = {}): Cluster {
  return new Cluster(7, resolveSettings(settings), START);
}

/** Commits `obj` straight to the store (ADDED, or MODIFIED over what is stored), bypassing the API server's
 *  checks: the way to put the cluster in a state no component should ever produce. */
function write<T extends KubeObject>(store: Store, obj: T): T {
  const old = store.get(obj.kind, obj.metadata.namespace, obj.metadata.name);
  return store.put(old ? "MODIFIED" : "ADDED", structuredClone(obj), old) as T;
}

/** What a break gets: the cluster, its store, and the monitor of the one invariant under test. */
interface Rig {
  cluster: Cluster;
  store: Store;
  monitor: InvariantMonitor;
}

/** One deliberately broken state: how to break it, the object blamed, what the message says. */
interface Break {
  invariant: string;
  what: string;
  breakIt: (r: Rig) => void;
  object: string | undefined;
  message: RegExp;
  /** Virtual time the run "ends" at for finish (default now). */
  end?: (s: Settings) => number;
}

const webService = () => ({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }], clusterIP: "10.96.0.9" } }) as KubeObject;
/** A Running, Ready pod labelled app=web on node n1 with `ip`. */
const readyWebPod = (name: string, ip: string): Pod => {
  const p = running(pod(name).labels({ app: "web" }).on("n1"));
  Object.assign(p.status, { podIP: ip, podIPs: [{ ip }], conditions: [{ type: "Ready", status: "True" }] });
  return p;
};

const running = (b: ReturnType<typeof pod>) => {
  const p = b.phase("Running").build();
  p.status.startTime = "2026-01-01T00:00:00Z";
  return p;
};

const withContainers = (p: Pod, statuses: ContainerStatus[]): Pod => {
  p.status.containerStatuses = statuses;
  return p;
};

const web = { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "i" }] } } };
const deployment = (status: Deployment["status"]): Deployment =>
  ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default", uid: "d-1", generation: 1 }, spec: { replicas: 3, ...web }, status }) as Deployment;
const replicaSet = (status: ReplicaSet["status"], replicas = 3): ReplicaSet =>
  ({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web", namespace: "default", uid: "rs-1", generation: 1 }, spec: { replicas, ...web }, status }) as ReplicaSet;
const lease = (name: string, spec: Partial<Lease["spec"]>): Lease =>
  ({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name, namespace: NODE_LEASE_NAMESPACE }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: "2026-01-01T00:00:00.000000Z", ...spec } }) as Lease;
const withCIDR = (name: string, cidr: string): Node => {
  const n = node(name).build();
  Object.assign(n.spec, { podCIDR: cidr, podCIDRs: [cidr] });
  return n;
};

const BREAKS: Break[] = [
  {
    invariant: "virtual-time",
    what: "an event earlier than the one before",
    breakIt: (r) => r.monitor.afterEvent(10),
    object: undefined,
    message: /event at 0 ms after one at 10 ms: virtual time went back/,
  },
  {
    invariant: "resource-version",
    what: "a write whose resourceVersion is not above the previous one",
    breakIt: (r) => {
      (r.store as unknown as { rv: number }).rv -= 3;
      write(r.store, pod("a").build());
    },
    object: "Pod/default/a",
    message: /store resourceVersion \d+ is not above the previous write's \d+/,
  },
  {
    invariant: "watch-delivery",
    what: "an informer delivering an event no write produced",
    breakIt: (r) => (r.cluster.cp.informers.nodes as unknown as { deliver: (t: string, o: unknown, old: unknown) => void }).deliver("ADDED", node("ghost").build(), undefined),
    object: "Node/ghost",
    message: /informer\/Node: onAdd\(\/ghost rv undefined\) delivered with no write pending/,
  },
  {
    invariant: "namespace-exists",
    what: "a pod created in a namespace that does not exist",
    breakIt: (r) => write(r.store, pod("a").namespace("ghost").build()),
    object: "Pod/ghost/a",
    message: /Pod\/ghost\/a live in namespace "ghost", which does not exist/,
  },
  {
    invariant: "namespace-exists",
    what: "a namespace deleted with a pod still in it",
    breakIt: (r) => {
      const ns = write(r.store, { apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
      write(r.store, pod("a").namespace("team").build());
      write(r.store, pod("b").namespace("team").build());
      r.store.remove(ns);
    },
    object: "Pod/team/a",
    message: /Pod\/team\/a and 1 other object\(s\) live in namespace "team", which does not exist/,
  },
  {
    invariant: "node-capacity",
    what: "two running pods that do not fit on their node",
    breakIt: (r) => {
      write(r.store, node("n1").capacity({ cpu: "1" }).build());
      for (const name of ["a", "b"]) {
        write(r.store, pod(name).requests({ cpu: "800m" }).build());
        write(r.store, running(pod(name).requests({ cpu: "800m" }).on("n1")));
      }
    },
    object: "Node/n1",
    message: /node n1: bound pods request 1600 millicores of cpu, allocatable is 1000/,
  },
  {
    invariant: "pod-lifecycle",
    what: "a bound pod moved to another node",
    breakIt: (r) => {
      write(r.store, running(pod("a").on("n1")));
      write(r.store, running(pod("a").on("n2")));
    },
    object: "Pod/default/a",
    message: /spec.nodeName changed from "n1" to "n2": a binding is final/,
  },
  {
    invariant: "pod-lifecycle",
    what: "a Succeeded pod running again",
    breakIt: (r) => {
      write(r.store, pod("a").on("n1").phase("Succeeded").build());
      write(r.store, running(pod("a").on("n1")));
    },
    object: "Pod/default/a",
    message: /phase went from Succeeded to Running: a terminal phase is final/,
  },
  {
    invariant: "pod-lifecycle",
    what: "a Running pod bound to no node",
    breakIt: (r) => write(r.store, running(pod("a"))),
    object: "Pod/default/a",
    message: /phase Running, but the pod is bound to no node/,
  },
  {
    invariant: "container-status",
    what: "a container ready while it waits in CrashLoopBackOff",
    breakIt: (r) => write(r.store, withContainers(running(pod("a").on("n1")), [{ name: "c", image: "i", ready: true, restartCount: 1, state: { waiting: { reason: "CrashLoopBackOff" } } }])),
    object: "Pod/default/a",
    message: /container c is ready but not running/,
  },
  {
    invariant: "container-status",
    what: "a restartCount that goes down",
    breakIt: (r) => {
      const run = { running: { startedAt: "2026-01-01T00:00:01Z" } };
      write(r.store, withContainers(running(pod("a").on("n1")), [{ name: "c", image: "i", ready: true, started: true, restartCount: 3, state: run }]));
      write(r.store, withContainers(running(pod("a").on("n1")), [{ name: "c", image: "i", ready: true, started: true, restartCount: 2, state: run }]));
    },
    object: "Pod/default/a",
    message: /container c's restartCount went from 3 to 2/,
  },
  {
    invariant: "container-status",
    what: "a Succeeded pod whose container exited 1",
    breakIt: (r) => {
      const p = withContainers(pod("a").on("n1").phase("Succeeded").build(), [{ name: "c", image: "i", ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: "Error", finishedAt: "2026-01-01T00:00:09Z" } } }]);
      write(r.store, p);
    },
    object: "Pod/default/a",
    message: /phase Succeeded, but container c did not exit 0/,
  },
  {
    invariant: "container-status",
    what: "a Ready pod with a container not ready",
    breakIt: (r) => {
      const p = withContainers(running(pod("a").on("n1")), [{ name: "c", image: "i", ready: false, started: true, restartCount: 0, state: { running: { startedAt: "2026-01-01T00:00:01Z" } } }]);
      p.status.conditions = [{ type: "Ready", status: "True" }];
      write(r.store, p);
    },
    object: "Pod/default/a",
    message: /condition Ready is True with containers not ready: c/,
  },
  {
    invariant: "pod-binding",
    what: "a pod bound to a missing node past the pod garbage collector's deadline",
    breakIt: (r) => write(r.store, pod("a").on("ghost").build()),
    end: (s) => orphanDeadline(0, s),
    object: "Pod/default/a",
    message: /pod default\/a is bound to node "ghost", which does not exist, past the pod garbage collector's deadline of \d+ ms/,
  },
  {
    invariant: "deployment-status",
    what: "a Deployment claiming a generation it never had",
    breakIt: (r) => write(r.store, deployment({ observedGeneration: 2 })),
    object: "Deployment/default/web",
    message: /status.observedGeneration 2 is above metadata.generation 1/,
  },
  {
    invariant: "deployment-status",
    what: "a Deployment with more available than ready replicas",
    breakIt: (r) => write(r.store, deployment({ replicas: 3, readyReplicas: 2, availableReplicas: 3 })),
    object: "Deployment/default/web",
    message: /status.availableReplicas 3 is above status.readyReplicas 2/,
  },
  {
    invariant: "replicaset-status",
    what: "a ReplicaSet with more ready pods than pods",
    breakIt: (r) => write(r.store, replicaSet({ replicas: 2, readyReplicas: 3 })),
    object: "ReplicaSet/default/web",
    message: /status.readyReplicas 3 is above status.replicas 2/,
  },
  {
    invariant: "replicaset-status",
    what: "a ReplicaSet with a negative count",
    breakIt: (r) => write(r.store, replicaSet({ replicas: -1 })),
    object: "ReplicaSet/default/web",
    message: /status.replicas is -1, not a whole number >= 0/,
  },
  {
    invariant: "job-status",
    what: "a Job both Complete and Failed",
    breakIt: (r) =>
      write(r.store, {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: "pi", namespace: "default" },
        spec: { template: { spec: { containers: [] } } },
        status: { completionTime: "2026-01-01T00:00:00Z", conditions: [{ type: "Complete", status: "True" }, { type: "Failed", status: "True" }] },
      } as KubeObject),
    object: "Job/default/pi",
    message: /conditions Complete and Failed are both True/,
  },
  {
    invariant: "cronjob-status",
    what: "a CronJob listing a Job not named after it",
    breakIt: (r) =>
      write(r.store, {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name: "tick", namespace: "default" },
        spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
        status: { active: [{ name: "other-1" }] },
      } as KubeObject),
    object: "CronJob/default/tick",
    message: /status.active lists Job other-1, which is not named after the CronJob/,
  },
  {
    invariant: "ttl-after-finished",
    what: "a finished Job with a TTL left in place past it",
    breakIt: (r) =>
      write(r.store, {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: "pi", namespace: "default", uid: "job-1" },
        spec: { ttlSecondsAfterFinished: 0, template: { spec: { containers: [] } } },
        status: { completionTime: "2026-01-01T00:00:00Z", conditions: [{ type: "Complete", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z" }] },
      } as KubeObject),
    end: () => 10_000,
    object: "Job/default/pi",
    message: /still exists \d+ ms after its ttlSecondsAfterFinished ran out/,
  },
  {
    invariant: "config-data",
    what: "a Secret stored with its stringData",
    breakIt: (r) => write(r.store, { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "default" }, stringData: { k: "v" } } as KubeObject),
    object: "Secret/default/s",
    message: /stringData is stored/,
  },
  {
    invariant: "service-allocation",
    what: "two Services holding the same cluster IP",
    breakIt: (r) => {
      const svc = (name: string) => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: "default" }, spec: { type: "ClusterIP", clusterIP: "10.96.0.50", clusterIPs: ["10.96.0.50"], ports: [{ port: 80 }] } }) as KubeObject;
      write(r.store, svc("a"));
      write(r.store, svc("b"));
    },
    object: "Service/default/b",
    message: /ip 10\.96\.0\.50 is also held by Service\/default\/a/,
  },
  {
    invariant: "service-allocation",
    what: "a ClusterIP Service holding a node port",
    breakIt: (r) => write(r.store, { apiVersion: "v1", kind: "Service", metadata: { name: "c", namespace: "default" }, spec: { type: "ClusterIP", clusterIP: "10.96.0.51", ports: [{ port: 80, nodePort: 30001 }] } } as KubeObject),
    object: "Service/default/c",
    message: /a ClusterIP Service holds node port\(s\) 30001/,
  },
  {
    invariant: "namespace-terminating",
    what: "a ConfigMap created in a Terminating namespace",
    breakIt: (r) => {
      write(r.store, { apiVersion: "v1", kind: "Namespace", metadata: { name: "gone", deletionTimestamp: "2026-01-01T00:00:00Z" }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Terminating" } } as KubeObject);
      write(r.store, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "late", namespace: "gone" }, data: {} } as KubeObject);
    },
    object: "ConfigMap/gone/late",
    message: /was created in namespace gone, which is Terminating/,
  },
  {
    invariant: "foreground-deletion",
    what: "an owner deleted in the foreground removed while a blocking dependent remains",
    breakIt: (r) => {
      const rs = write(r.store, { ...replicaSet({}), metadata: { ...replicaSet({}).metadata, deletionTimestamp: "2026-01-01T00:00:00Z", finalizers: ["foregroundDeletion"] } });
      write(r.store, { ...running(pod("web-1")), metadata: { ...running(pod("web-1")).metadata, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: "rs-1", controller: true, blockOwnerDeletion: true }] } });
      r.store.remove(rs);
    },
    object: "ReplicaSet/default/web",
    message: /deleted in the foreground, was removed while Pod\/default\/web-1 still blocked its deletion/,
  },
  {
    invariant: "owner-references",
    what: "a pod still owned by a ReplicaSet that is gone, at a quiescent end",
    breakIt: (r) => void write(r.store, { ...running(pod("web-2")), metadata: { ...running(pod("web-2")).metadata, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: "rs-gone", controller: true }] } }),
    object: "Pod/default/web-2",
    message: /still references ReplicaSet web \(uid rs-gone\), which does not exist/,
  },
  {
    invariant: "endpoints-match",
    what: "a Service with a ready pod and no Endpoints, at a quiescent end",
    breakIt: (r) => {
      write(r.store, webService());
      write(r.store, readyWebPod("web-1", "10.1.0.5"));
    },
    object: "Service/default/web",
    message: /has no Endpoints object; expected 1 ready and 0 not ready/,
  },
  {
    invariant: "endpointslices-match",
    what: "a Service with a ready pod on a node and no slices, at a quiescent end",
    breakIt: (r) => {
      write(r.store, node("n1").build());
      write(r.store, webService());
      write(r.store, readyWebPod("web-1", "10.1.0.6"));
    },
    object: "Service/default/web",
    message: /ready missing: 10\.1\.0\.6/,
  },
  {
    invariant: "endpointslice-mirroring",
    what: "user-managed Endpoints of a Service without a selector, never mirrored",
    breakIt: (r) => {
      write(r.store, { apiVersion: "v1", kind: "Service", metadata: { name: "db", namespace: "default" }, spec: { ports: [{ port: 5432 }] } } as KubeObject);
      write(r.store, { apiVersion: "v1", kind: "Endpoints", metadata: { name: "db", namespace: "default" }, subsets: [{ addresses: [{ ip: "10.2.0.1" }], ports: [{ port: 5432 }] }] } as KubeObject);
    },
    object: "Service/default/db",
    message: /ready missing: 10\.2\.0\.1/,
  },
  {
    invariant: "quota-used",
    what: "a quota whose status.used misses a pod, at a quiescent end",
    breakIt: (r) => {
      write(r.store, { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q", namespace: "default" }, spec: { hard: { pods: "2" } }, status: { hard: { pods: "2" }, used: { pods: "0" } } } as KubeObject);
      write(r.store, running(pod("counted")));
    },
    object: "ResourceQuota/default/q",
    message: /pods: used 0, counted 1/,
  },
  {
    invariant: "pod-service-account",
    what: "a pod created naming a ServiceAccount that does not exist",
    breakIt: (r) => {
      const p = running(pod("lost"));
      p.spec.serviceAccountName = "ghost";
      write(r.store, p);
    },
    object: "Pod/default/lost",
    message: /naming ServiceAccount ghost, which does not exist in namespace default/,
  },
  {
    invariant: "limit-range-admitted",
    what: "a pod created above its namespace's LimitRange max",
    breakIt: (r) => {
      write(r.store, { apiVersion: "v1", kind: "LimitRange", metadata: { name: "caps", namespace: "default" }, spec: { limits: [{ type: "Container", max: { cpu: "1" } }] } } as KubeObject);
      write(r.store, running(pod("big").requests({ cpu: "2" }).limits({ cpu: "2" })));
    },
    object: "Pod/default/big",
    message: /created outside LimitRange caps: maximum cpu usage per Container is 1, but limit is 2/,
  },
  {
    invariant: "namespace-defaults",
    what: "the default ServiceAccount removed and never restored, at a quiescent end",
    breakIt: (r) => r.store.remove(r.store.get("ServiceAccount", "kube-public", "default")!),
    object: "Namespace/kube-public",
    message: /Active namespace kube-public lacks ServiceAccount default/,
  },
  {
    invariant: "service-account-tokens",
    what: "a token Secret of an account that does not exist, at a quiescent end",
    breakIt: (r) => write(r.store, { apiVersion: "v1", kind: "Secret", metadata: { name: "t", namespace: "default", annotations: { "kubernetes.io/service-account.name": "ghost" } }, type: "kubernetes.io/service-account-token" } as KubeObject),
    object: "Secret/default/t",
    message: /token Secret of ServiceAccount ghost, which does not exist, is still there/,
  },
  {
    invariant: "node-lease",
    what: "a node lease of a node that does not exist",
    breakIt: (r) => write(r.store, lease("ghost", {})),
    object: "Lease/kube-node-lease/ghost",
    message: /node lease of node "ghost", which does not exist/,
  },
  {
    invariant: "node-lease",
    what: "a lease renewed in the future",
    breakIt: (r) => {
      write(r.store, node("n1").build());
      write(r.store, lease("n1", { renewTime: "2026-01-01T00:01:00.000000Z" }));
    },
    object: "Lease/kube-node-lease/n1",
    message: /spec.renewTime 2026-01-01T00:01:00.000000Z is after the current time \(0 ms\)/,
  },
  {
    invariant: "node-lease",
    what: "a lease of no duration, held by another node",
    breakIt: (r) => {
      write(r.store, node("n1").build());
      write(r.store, lease("n1", { leaseDurationSeconds: 0, holderIdentity: "n2" }));
    },
    object: "Lease/kube-node-lease/n1",
    message: /spec.leaseDurationSeconds is 0, not a whole number > 0/,
  },
  {
    invariant: "event-record",
    what: "an event about an object of no registered kind",
    breakIt: (r) => r.cluster.cp.events.record({ apiVersion: "v1", kind: "Widget", metadata: { name: "w" } }, "Normal", "Made", "made it", "test"),
    object: "Event/Made",
    message: /event about Widget\/w: involvedObject kind "Widget" is not a registered kind/,
  },
  {
    invariant: "scheduler-fit",
    what: "a pod the scheduler bound that the kubelet rejected for lack of cpu",
    breakIt: (r) => {
      write(r.store, pod("a").requests({ cpu: "1" }).build());
      const rejected = pod("a").requests({ cpu: "1" }).on("n1").phase("Failed").build();
      rejected.status.reason = "OutOfcpu";
      write(r.store, rejected);
    },
    object: "Pod/default/a",
    message: /pod default\/a, bound by the scheduler to n1, was rejected by the kubelet: OutOfcpu/,
  },
  {
    invariant: "lifecycle-taints",
    what: "a node with both lifecycle NoExecute taints",
    breakIt: (r) => write(r.store, node("n1").taint(TAINT_NOT_READY, undefined, "NoExecute").taint(TAINT_UNREACHABLE, undefined, "NoExecute").build()),
    object: "Node/n1",
    message: /carries the NoExecute taints node.kubernetes.io\/not-ready, node.kubernetes.io\/unreachable at once/,
  },
  {
    invariant: "taint-eviction",
    what: "a pod evicted from a node that was never tainted",
    breakIt: (r) => {
      write(r.store, node("n1").build());
      const p = write(r.store, running(pod("a").uid("u-a").on("n1")));
      // What the controller does, on a node without a NoExecute taint: record its event, then delete.
      r.cluster.cp.events.record(p, "Normal", "TaintManagerEviction", "Marking for deletion Pod default/a", "taint-eviction-controller");
      write(r.store, { ...p, metadata: { ...p.metadata, deletionTimestamp: "2026-01-01T00:00:30Z", deletionGracePeriodSeconds: 30 } });
    },
    object: "Pod/default/a",
    message: /marked for deletion by the taint eviction controller, but its node "n1" has no NoExecute taint/,
  },
  {
    invariant: "replica-convergence",
    what: "a ReplicaSet owning no pods at quiescence",
    breakIt: (r) => write(r.store, replicaSet({ replicas: 0 })),
    object: "ReplicaSet/default/web",
    message: /replicaset default\/web: owns 0 active pod\(s\) at quiescence, spec.replicas is 3/,
  },
  {
    invariant: "pod-cidr",
    what: "two nodes holding one pod CIDR",
    breakIt: (r) => {
      write(r.store, withCIDR("n1", "10.128.0.0/24"));
      write(r.store, withCIDR("n2", "10.128.0.0/24"));
    },
    object: "Node/n2",
    message: /spec.podCIDR 10.128.0.0\/24 is Node\/n1's too/,
  },
  {
    invariant: "pod-cidr",
    what: "a pod CIDR outside the cluster CIDR, changed after it was set",
    breakIt: (r) => {
      write(r.store, withCIDR("n1", "10.128.0.0/24"));
      write(r.store, withCIDR("n1", "10.0.0.0/24"));
    },
    object: "Node/n1",
    message: /spec.podCIDR changed from 10.128.0.0\/24 to 10.0.0.0\/24: it is set once/,
  },
];

/** The violations of `invariant` after `b` broke a fresh cluster watched by that invariant only. */
function violationsAfter(b: Break): Violation[] {
  const cluster = fresh();
  const registration = INVARIANT_REGISTRY.find((r) => r.name === b.invariant);
  if (!registration) throw new Error(`no invariant ${b.invariant} is registered`);
  const monitor = new InvariantMonitor(cluster, { registry: [registration] });
  expect(monitor.checking).toEqual([b.invariant]);
  b.breakIt({ cluster, store: cluster.cp.store, monitor });
  monitor.afterEvent(cluster.sim.now);
  monitor.finish(b.end?.(cluster.settings) ?? cluster.sim.now, true);
  return monitor.violations;
}

describe("every registered invariant fires on a deliberately broken state", () => {
  it("has a broken state for every registered invariant", () => {
    expect([...new Set(BREAKS.map((b) => b.invariant))].sort()).toEqual(INVARIANT_REGISTRY.map((r) => r.name).sort());
  });
  it.each(BREAKS.map((b) => [`${b.invariant}: ${b.what}`, b] as const))("%s", (_name, b) => {
    const vs = violationsAfter(b);
    expect(vs.length, describeViolations(vs)).toBeGreaterThan(0);
    const v = vs.find((x) => b.message.test(x.message));
    expect(v, describeViolations(vs)).toBeDefined();
    expect(v!.invariant).toBe(b.invariant);
    expect(v!.object).toBe(b.object);
  });
});

describe("and stays quiet where the state is sound", () => {
  const p = running(pod("a").on("n1"));
  it("taint-eviction: a tainted node, or one untainted no longer ago than the informer latency", () => {
    expect(taintEvictionViolations(p, { tainted: true, untaintedAt: undefined }, 0, 50)).toEqual([]);
    expect(taintEvictionViolations(p, { tainted: false, untaintedAt: 40 }, 10, 50)).toEqual([]);
    expect(taintEvictionViolations(p, { tainted: false, untaintedAt: 39 }, 10, 50)[0]!.message).toMatch(/since 39 ms, more than the informer latency of 10 ms ago/);
  });
  it("node-lease: a renewal at or before now, after the one before", () => {
    const parse = (ts: string) => Date.parse(ts) - START;
    const at = (ms: number) => lease("n1", { renewTime: new Date(START + ms).toISOString().replace("Z", "000Z") });
    expect(leaseViolations(at(10_000), at(0), 10_000, parse)).toEqual([]);
    expect(leaseViolations(at(0), at(10_000), 10_000, parse)[0]!.message).toMatch(/renewTime went back/);
  });
  it("namespace-exists: deleting a namespace through the API server empties it first", () => {
    const cluster = fresh();
    const monitor = new InvariantMonitor(cluster, { registry: INVARIANT_REGISTRY.filter((r) => r.name === "namespace-exists") });
    const { api } = cluster.cp;
    expect(api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } }).ok).toBe(true);
    expect(api.create(pod("a").namespace("team").build()).ok).toBe(true);
    expect(api.delete("Namespace", undefined, "team").ok).toBe(true);
    monitor.afterEvent(0);
    expect(describeViolations(monitor.violations)).toBe("");
  });
});

describe("the bundled scenarios keep every registered invariant after every event", () => {
  const files = readdirSync(SCENARIOS).filter((f) => f.endsWith(".yaml"));
  it("include node-failure and scale-up", () => expect(files).toEqual(expect.arrayContaining(["node-failure.yaml", "scale-up.yaml"])));
  it.each(files)("%s: every check created, none fires, the digest is the unchecked run's", (f) => {
    const s = load(join(SCENARIOS, f));
    const checked = simulateChecked(s);
    expect(checked.checking).toEqual(INVARIANT_REGISTRY.map((r) => r.name));
    expect(describeViolations(checked.violations)).toBe("");
    expect(checked.outcome!.summary.digest).toBe(simulate(s).summary.digest);
  });
});
