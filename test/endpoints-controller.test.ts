/**
 * The endpoints controller (src/controllers/endpoint/, upstream pkg/controller/endpoint/endpoints_controller.go):
 * pure address computation and truncation, then a Deployment behind a Service in a simulated cluster through a
 * node failure and recovery, with the virtual times a user would read from the Endpoints' history.
 */
import { describe, expect, it } from "vitest";
import { getCondition } from "../src/api/pod-util.js";
import type { Deployment, Node, Pod } from "../src/api/types.js";
import type { Endpoints, EndpointSlice, EndpointSubset, Service } from "../src/api/service/types.js";
import { Cluster } from "../src/cluster.js";
import type { EndpointSliceController } from "../src/controllers/endpointslice/endpointslice-controller.js";
import { expectedAddresses, expectedSliceAddresses, publishedAddresses, publishedSliceAddresses } from "../src/controllers/endpoint/expected-addresses.js";
import { ServicePodIndex, servicePodIndex } from "../src/controllers/endpoint/service-pods.js";
import { computeSubsets, truncateSubsets } from "../src/controllers/endpoint/subsets.js";
import { resolveSettings, type Settings } from "../src/settings.js";

function svc(extra: Partial<Service["spec"]> = {}): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "default", uid: "svc-uid" },
    spec: { selector: { app: "web" }, clusterIP: "10.96.0.10", ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }], ...extra },
  };
}

function pod(i: number, o: { ready?: boolean; deleting?: boolean; ip?: string | null; phase?: Pod["status"]["phase"]; ports?: { name: string; containerPort: number }[] } = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `web-${i}`, namespace: "default", uid: `uid-${i}`, labels: { app: "web" }, ...(o.deleting ? { deletionTimestamp: "2026-01-01T00:01:00Z" } : {}) },
    spec: { nodeName: "n1", containers: [{ name: "c", image: "i", ports: (o.ports ?? [{ name: "web", containerPort: 8080 }]).map((p) => ({ ...p, protocol: "TCP" })) }] },
    status: { phase: o.phase ?? "Running", ...(o.ip === null ? {} : { podIP: o.ip ?? `10.0.0.${i + 1}` }), conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True" }] },
  };
}

const ips = (s: EndpointSubset[], f: "addresses" | "notReadyAddresses") => s.flatMap((x) => (x[f] ?? []).map((a) => a.ip));

describe("Endpoints addresses", () => {
  it("puts ready pods in addresses, unready ones in notReadyAddresses, and leaves out pods without IP, terminal or terminating", () => {
    const pods = [pod(0), pod(1, { ready: false }), pod(2, { deleting: true }), pod(3, { ip: null }), pod(4, { phase: "Succeeded" }), pod(5, { phase: "Failed" })];
    const { subsets } = computeSubsets(svc(), pods);
    expect(subsets).toEqual([
      {
        addresses: [{ ip: "10.0.0.1", nodeName: "n1", targetRef: { kind: "Pod", namespace: "default", name: "web-0", uid: "uid-0" } }],
        notReadyAddresses: [{ ip: "10.0.0.2", nodeName: "n1", targetRef: { kind: "Pod", namespace: "default", name: "web-1", uid: "uid-1" } }],
        ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      },
    ]);
  });

  it("with publishNotReadyAddresses lists every pod with an IP in addresses, terminating ones included", () => {
    const pods = [pod(0), pod(1, { ready: false }), pod(2, { deleting: true }), pod(3, { phase: "Failed" })];
    const { subsets } = computeSubsets(svc({ publishNotReadyAddresses: true }), pods);
    expect(ips(subsets, "addresses")).toEqual(["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    expect(ips(subsets, "notReadyAddresses")).toEqual([]);
  });

  it("resolves named targetPorts per pod; a pod lacking the name is left out of that port only", () => {
    const s = svc({ ports: [{ name: "http", port: 80, targetPort: "web", protocol: "TCP" }, { name: "metrics", port: 9090, targetPort: "metrics", protocol: "TCP" }] });
    const both = pod(0, { ports: [{ name: "web", containerPort: 8080 }, { name: "metrics", containerPort: 9100 }] });
    const webOnly = pod(1, { ports: [{ name: "web", containerPort: 8081 }] });
    const { subsets } = computeSubsets(s, [both, webOnly]);
    // RepackSubsets groups ports offered by the same addresses: 10.0.0.1 offers web:8080 and metrics:9100,
    // 10.0.0.2 offers web:8081 only: three distinct (port, address set) pairs, two address sets.
    expect(subsets.map((x) => [ips([x], "addresses"), x.ports])).toEqual([
      [["10.0.0.1"], [{ name: "http", port: 8080, protocol: "TCP" }, { name: "metrics", port: 9100, protocol: "TCP" }]],
      [["10.0.0.2"], [{ name: "http", port: 8081, protocol: "TCP" }]],
    ]);
  });

  it("sets the hostname when the pod's subdomain is the Service", () => {
    const p = pod(0);
    p.spec.hostname = "web-0";
    p.spec.subdomain = "web";
    expect(computeSubsets(svc(), [p]).subsets[0].addresses![0].hostname).toBe("web-0");
  });

  it("the invariant helper reads the same sets from a stored Endpoints", () => {
    const pods = [pod(0), pod(1, { ready: false }), pod(2, { deleting: true })];
    const e = expectedAddresses(svc(), pods);
    expect([...e.ready]).toEqual(["10.0.0.1"]);
    expect([...e.notReady]).toEqual(["10.0.0.2"]);
    expect(publishedAddresses(computeSubsets(svc(), pods).subsets)).toEqual(e);
    expect(expectedAddresses(svc({ selector: undefined }), pods).ready.size).toBe(0);
  });
});

describe("the Service membership index", () => {
  type H = { onAdd?(o: unknown): void; onUpdate?(a: unknown, b: unknown): void; onDelete?(o: unknown): void };
  const fake = () => {
    const hs: H[] = [];
    return { hs, inf: { addHandlers: (h: H) => void hs.push(h) } };
  };
  function setup() {
    const pods = fake();
    const services = fake();
    const idx = new ServicePodIndex(pods.inf as never, services.inf as never);
    const seen: string[] = [];
    idx.subscribe((k) => seen.push(k.name));
    return { idx, seen, pod: pods.hs[0], svc: services.hs[0] };
  }
  const s = (name: string, selector: Record<string, string> | undefined): Service => ({ ...svc(), metadata: { name, namespace: "default" }, spec: { selector } });
  const names = (idx: ServicePodIndex, svcName: string) => [...idx.podsOf("default", svcName)].map((p) => p.metadata.name);

  it("files pods under the Services whose selector they match, and none under a Service without selector", () => {
    const { idx, pod: ph, svc: sh } = setup();
    sh.onAdd!(s("web", { app: "web" }));
    sh.onAdd!(s("all", {}));
    sh.onAdd!(s("manual", undefined));
    ph.onAdd!(pod(0));
    const other = pod(1);
    other.metadata.labels = { app: "db" };
    ph.onAdd!(other);
    expect(names(idx, "web")).toEqual(["web-0"]);
    expect(names(idx, "all")).toEqual(["web-0", "web-1"]);
    expect(names(idx, "manual")).toEqual([]);
    // A selector change recomputes from the pods carrying the new pair.
    sh.onUpdate!(s("web", { app: "web" }), s("web", { app: "db" }));
    expect(names(idx, "web")).toEqual(["web-1"]);
  });

  it("notifies only the Services a change can matter to (podEndpointsChanged)", () => {
    const { seen, pod: ph, svc: sh } = setup();
    sh.onAdd!(s("web", { app: "web" }));
    sh.onAdd!(s("db", { app: "db" }));
    const p0 = pod(0);
    ph.onAdd!(p0);
    expect(seen.splice(0)).toEqual(["web"]);
    // An annotation-only change: nobody.
    const p1 = { ...p0, metadata: { ...p0.metadata, annotations: { a: "b" } } };
    ph.onUpdate!(p0, p1);
    expect(seen.splice(0)).toEqual([]);
    // Readiness: the Services selecting it.
    const p2 = { ...p1, status: { ...p1.status, conditions: [{ type: "Ready", status: "False" as const }] } };
    ph.onUpdate!(p1, p2);
    expect(seen.splice(0)).toEqual(["web"]);
    // Labels only: the Services gained and lost (web loses it, db gains it).
    const p3 = { ...p2, metadata: { ...p2.metadata, labels: { app: "db" } } };
    ph.onUpdate!(p2, p3);
    expect(seen.splice(0)).toEqual(["web", "db"]);
    ph.onDelete!(p3);
    expect(seen.splice(0)).toEqual(["db"]);
  });
});

describe("Endpoints truncation at 1000 addresses", () => {
  const addrs = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ ip: `10.1.${Math.floor((from + i) / 250)}.${(from + i) % 250}` }));
  const count = (s: EndpointSubset[] | undefined) => s!.map((x) => [x.addresses?.length ?? 0, x.notReadyAddresses?.length ?? 0]);

  it("keeps ready addresses first, cutting not-ready ones to 1000 - ready", () => {
    // 800 ready + 400 not ready: room for 1000 - 800 = 200 not ready.
    expect(count(truncateSubsets([{ addresses: addrs(800, 0), notReadyAddresses: addrs(400, 800), ports: [{ port: 80 }] }]))).toEqual([[800, 200]]);
  });

  it("cuts ready ones proportionally (rounded up) and drops every not-ready one when ready alone exceed 1000", () => {
    // 700 + 500 ready: subset A ceil(700/1200 x 1000) = ceil(583.3) = 584, B ceil(500/1200 x 1000) = 417 capped to
    // the 416 left.
    const t = truncateSubsets([
      { addresses: addrs(700, 0), notReadyAddresses: addrs(5, 2000), ports: [{ port: 80 }] },
      { addresses: addrs(500, 700), ports: [{ port: 81 }] },
    ]);
    expect(count(t)).toEqual([[584, 0], [416, 0]]);
  });

  it("spreads the not-ready room over subsets in proportion", () => {
    // 300 ready, not ready 500 (A) + 400 (B): room 700; A ceil(500/900 x 700) = ceil(388.9) = 389, B ceil(311.1) =
    // 312 capped to the 311 left.
    const t = truncateSubsets([
      { addresses: addrs(300, 0), notReadyAddresses: addrs(500, 300), ports: [{ port: 80 }] },
      { notReadyAddresses: addrs(400, 800), ports: [{ port: 81 }] },
    ]);
    expect(count(t)).toEqual([[300, 389], [0, 311]]);
  });

  it("leaves 1000 addresses alone", () => {
    expect(truncateSubsets([{ addresses: addrs(1000, 0), ports: [{ port: 80 }] }])).toBeUndefined();
  });
});

// --- In a simulated cluster -------------------------------------------------------------------------------------

const EPOCH = Date.UTC(2026, 0, 1);
const T0 = 10_000;

function deployment(replicas: number): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx", ports: [{ name: "http", containerPort: 8080 }], resources: { requests: { cpu: "100m" } } }] } },
    },
  } as unknown as Deployment;
}

interface History {
  cluster: Cluster;
  /** Every Endpoints write: virtual ms, ready and not-ready IP counts. */
  endpoints: [number, number, number][];
  /** Slice writes (create, update, delete). */
  sliceWrites: number;
  /** When each pod's Ready condition last changed, by pod name: [ms, status][]. */
  readyChanges: Map<string, [number, string][]>;
  /** When worker-1 turned Ready=Unknown and back to True. */
  nodeUnknownAt: number;
  nodeReadyAgainAt: number;
}

function run(settings: Partial<Settings>, replicas: number, script: (c: Cluster, h: History) => void, until: number): History {
  const cluster = new Cluster(7, resolveSettings(settings), EPOCH);
  cluster.kubelets.addPool({ name: "worker", count: 2, capacity: { cpu: "4", memory: "16Gi", pods: "110" }, labels: { "topology.kubernetes.io/zone": "zone-a" }, taints: [], preloadedImages: ["nginx"] });
  const h: History = { cluster, endpoints: [], sliceWrites: 0, readyChanges: new Map(), nodeUnknownAt: -1, nodeReadyAgainAt: -1 };
  const { store } = cluster.cp;
  store.watch("Endpoints", (type, o) => {
    if (type === "DELETED") return;
    const e = publishedAddresses((o as Endpoints).subsets);
    h.endpoints.push([cluster.sim.now - T0, e.ready.size, e.notReady.size]);
  });
  store.watch("EndpointSlice", () => h.sliceWrites++);
  store.watch("Pod", (_t, o, old) => {
    const p = o as Pod;
    const now = getCondition(p.status.conditions, "Ready")?.status;
    const before = old ? getCondition((old as Pod).status.conditions, "Ready")?.status : undefined;
    if (now !== undefined && now !== before) {
      const l = h.readyChanges.get(p.metadata.name) ?? [];
      l.push([cluster.sim.now - T0, now]);
      h.readyChanges.set(p.metadata.name, l);
    }
  });
  store.watch("Node", (_t, o) => {
    const n = o as Node;
    if (n.metadata.name !== "worker-1") return;
    const s = getCondition(n.status.conditions, "Ready")?.status;
    if (s === "Unknown" && h.nodeUnknownAt < 0) h.nodeUnknownAt = cluster.sim.now - T0;
    if (s === "True" && h.nodeUnknownAt >= 0 && h.nodeReadyAgainAt < 0) h.nodeReadyAgainAt = cluster.sim.now - T0;
  });
  cluster.sim.run(T0);
  const r1 = cluster.cp.api.create(svc({ clusterIP: undefined }));
  if (!r1.ok) throw new Error(r1.message);
  const r2 = cluster.cp.api.create(deployment(replicas));
  if (!r2.ok) throw new Error(r2.message);
  script(cluster, h);
  cluster.sim.run(T0 + until);
  return h;
}

describe("a Deployment behind a Service through a node failure", () => {
  const STOP = 60_000;
  const RESTART = 150_000;
  const h = run({}, 4, (c) => {
    const ctx = c.sim.register<string>("test/script", (what) => (what === "stop" ? c.kubelets.get("worker-1")!.stop() : c.kubelets.get("worker-1")!.start()));
    ctx.scheduleAt(T0 + STOP, "stop");
    ctx.scheduleAt(T0 + RESTART, "start");
  }, 240_000);

  it("publishes the pods as they come, moves worker-1's to notReadyAddresses while it is down, and back", () => {
    // [virtual ms after the Service's create, ready, not ready], one row per Endpoints write:
    // - 0: the Service's first sync creates the Endpoints empty; the ReplicaSet's pods get their IPs in the same
    //   millisecond (the sandbox is up at once, the containers after podStartLatency 1s), not ready, in two syncs
    //   (two pods per node, each kubelet's status writes land in their own informer delivery);
    // - 1,000: the containers run, the pods are Ready (no readiness probe) and move to addresses;
    // - 105,000: worker-1's kubelet stopped at 60,000; its last lease renewal was at 55,000, so the node controller's
    //   monitor pass at 55,000 + 50,000 (node-monitor-grace-period) marks it Ready=Unknown and its pods Ready=False
    //   (MarkPodsNotReady): the Endpoints follows in the same millisecond (batch period 0, informer latency 0);
    // - 150,000: the kubelet restarts and recreates the sandboxes: the pods get new IPs, still not ready;
    // - 151,000: their containers run again (podStartLatency): all four ready.
    expect(h.nodeUnknownAt).toBe(105_000);
    expect(h.endpoints).toEqual([
      [0, 0, 0],
      [0, 0, 2],
      [0, 0, 4],
      [1_000, 4, 0],
      [105_000, 2, 2],
      [150_000, 2, 2],
      [151_000, 4, 0],
    ]);
    // Every write but the first followed a pod change of the same millisecond.
    const podChangeTimes = new Set([...h.readyChanges.values()].flatMap((l) => l.map(([t]) => t)));
    for (const [t] of h.endpoints.slice(1)) expect(podChangeTimes.has(t) || t === 0 || t === RESTART).toBe(true);
  });

  it("keeps the EndpointSlice in step: one slice, same ready count, few writes per pod change", () => {
    const esc = h.cluster.controller<EndpointSliceController>("endpointslice-controller")!;
    const slices = [...esc.slicesOf("default", "web")];
    expect(slices).toHaveLength(1);
    expect(slices[0].endpoints!.filter((e) => e.conditions.ready).length).toBe(4);
    expect(slices[0].endpoints!.every((e) => e.zone === "zone-a")).toBe(true);
    // Slice updates per pod change: the slice controller's writes against the pod events the Service index saw
    // (every write of a pod of this Service: create, bind, sandbox with IP, Ready, the node controller's Ready=False,
    // the restart's new IP and Ready). The slice changes exactly when the Endpoints does: the placeholder create at
    // 0, then the six changes of the Endpoints history above: 7 writes for 22 pod events, in 8 syncs.
    const idx = servicePodIndex(h.cluster.cp);
    expect(h.sliceWrites).toBe(7);
    expect(esc.stats).toEqual({ creates: 1, updates: 6, deletes: 0, syncs: 8 });
    expect(idx.stats.podEvents).toBe(22);
    // The invariant helpers agree with what was published, at the end of the run.
    const svcNow = h.cluster.cp.store.get<Service>("Service", "default", "web")!;
    const pods = [...h.cluster.cp.store.list<Pod>("Pod")];
    expect(publishedSliceAddresses(slices)).toEqual(expectedSliceAddresses(svcNow, pods, (n) => h.cluster.cp.store.get("Node", undefined, n) !== undefined));
    expect(publishedAddresses(h.cluster.cp.store.get<Endpoints>("Endpoints", "default", "web")!.subsets)).toEqual(expectedAddresses(svcNow, pods));
  });
});

describe("endpointUpdatesBatchPeriod", () => {
  it("syncs once, a batch period after the first pod change of the window", () => {
    const h = run({ endpointUpdatesBatchPeriod: 5_000 }, 3, () => {}, 30_000);
    const firstReady = Math.min(...[...h.readyChanges.values()].map((l) => l.find(([, s]) => s === "True")![0]));
    // The Service's own sync is immediate (t=0, empty); the pods' add events at t=0 (created by the ReplicaSet in
    // the same millisecond) queue the key for t=0+5s; every later pod change before 5s (scheduling, start, Ready at
    // 1s) finds it already waiting, so the one write at 5s carries all three ready pods.
    expect(firstReady).toBeLessThan(5_000);
    expect(h.endpoints).toEqual([
      [0, 0, 0],
      [5_000, 3, 0],
    ]);
  });
});

describe("a Service without a selector", () => {
  it("gets no Endpoints from the controller, and its user-written Endpoints are mirrored to a slice", () => {
    const cluster = new Cluster(1, resolveSettings({}), EPOCH);
    cluster.sim.run(T0);
    const s = svc({ selector: undefined, clusterIP: undefined });
    expect(cluster.cp.api.create(s).ok).toBe(true);
    cluster.sim.run(T0 + 1_000);
    expect(cluster.cp.store.get("Endpoints", "default", "web")).toBeUndefined();
    const ep: Endpoints = { apiVersion: "v1", kind: "Endpoints", metadata: { name: "web", namespace: "default" }, subsets: [{ addresses: [{ ip: "192.0.2.10" }], ports: [{ name: "http", port: 8080 }] }] };
    const r = cluster.cp.api.create(ep);
    expect(r.ok, r.ok ? "" : r.message).toBe(true);
    cluster.sim.run(T0 + 2_000);
    const slices = [...cluster.cp.store.list<EndpointSlice>("EndpointSlice")].filter((x) => x.metadata.labels?.["kubernetes.io/service-name"] === "web");
    expect(slices.map((x) => [x.metadata.labels?.["endpointslice.kubernetes.io/managed-by"], x.endpoints?.map((e) => e.addresses[0])])).toEqual([["endpointslicemirroring-controller.k8s.io", ["192.0.2.10"]]]);
  });
});

describe("deleting the Service", () => {
  it("deletes its Endpoints in the same millisecond; the garbage collector removes its slices (ownerReference)", () => {
    const cluster = new Cluster(1, resolveSettings({}), EPOCH);
    cluster.sim.run(T0);
    expect(cluster.cp.api.create(svc({ clusterIP: undefined })).ok).toBe(true);
    cluster.sim.run(T0 + 1_000);
    const own = () => [...cluster.cp.store.list<EndpointSlice>("EndpointSlice")].filter((x) => x.metadata.labels?.["kubernetes.io/service-name"] === "web");
    expect(cluster.cp.store.get("Endpoints", "default", "web")).toBeDefined();
    expect(own()).toHaveLength(1);
    let gone = -1;
    cluster.cp.store.watch("Endpoints", (t) => {
      if (t === "DELETED") gone = cluster.sim.now - T0;
    });
    expect(cluster.cp.api.delete("Service", "default", "web").ok).toBe(true);
    cluster.sim.run(T0 + 60_000);
    expect(gone).toBe(1_000);
    expect(cluster.cp.store.get("Endpoints", "default", "web")).toBeUndefined();
    expect(own()).toEqual([]);
  });
});
