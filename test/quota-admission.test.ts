/**
 * ResourceQuota admission (src/api/admission/resource-quota.ts, upstream plugin/pkg/admission/resourcequota and
 * k8s.io/apiserver admission/plugin/resourcequota/controller.go CheckRequest): what a user sees when a create would
 * exceed a namespace's quota — upstream's 403 texts per resource family, scopes, the "must specify" refusal, the
 * status.used the admission charges, and LimitRanger's defaults applied before the quota counts them.
 *
 * Each cluster runs the control plane and the resource quota controller alone (no kubelet, no scheduler), so pods
 * stay Pending and are charged until deleted. The controller fills status.hard/used when a quota is added (at
 * informer latency + client latency); `settle()` runs the simulation 1s so it has.
 */
import { describe, expect, it } from "vitest";
import { ControlPlane } from "../src/api/control-plane.js";
import type { LimitRange, ResourceQuota } from "../src/api/quota/types.js";
import type { Service } from "../src/api/service/types.js";
import type { KubeObject, Pod } from "../src/api/types.js";
import { checkRequest } from "../src/api/admission/resource-quota.js";
import { serviceEvaluator, podEvaluator } from "../src/api/quota/evaluators.js";
import { ResourceQuotaController } from "../src/controllers/resourcequota/controller.js";
import { Simulation } from "../src/engine/simulation.js";
import { resolveSettings } from "../src/settings.js";

const START = Date.UTC(2026, 0, 1);

function cluster() {
  const sim = new Simulation(7);
  const cp = new ControlPlane(sim, resolveSettings({ disableAdmissionPlugins: ["ServiceAccount"] }), START);
  const controller = new ResourceQuotaController(cp);
  const create = (o: KubeObject) => cp.api.create(o);
  const mustCreate = <T extends KubeObject>(o: T): T => {
    const r = cp.api.create(o);
    if (!r.ok) throw new Error(r.message);
    return r.object;
  };
  const settle = () => sim.run(sim.now + 1000);
  const used = (name: string, ns = "default") => cp.api.get<ResourceQuota>("ResourceQuota", ns, name)?.status?.used;
  return { sim, cp, controller, create, mustCreate, settle, used };
}

const quota = (name: string, hard: Record<string, string>, extra: Partial<ResourceQuota["spec"]> = {}, ns = "default"): ResourceQuota => ({
  apiVersion: "v1",
  kind: "ResourceQuota",
  metadata: { name, namespace: ns },
  spec: { hard, ...extra },
});

const pod = (name: string, resources?: { requests?: Record<string, string>; limits?: Record<string, string> }, extra: Partial<Pod["spec"]> = {}, meta: Partial<Pod["metadata"]> = {}): Pod =>
  ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", ...meta },
    spec: { containers: [{ name: "app", image: "nginx", ...(resources ? { resources } : {}) }], ...extra },
    status: {},
  }) as Pod;

const message = (r: { ok: boolean; message?: string }) => (r.ok ? "admitted" : r.message);
const withMemory = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { memory } });

describe("a compute quota (pods 2, requests.cpu 1, requests.memory 1Gi, limits.memory 2Gi)", () => {
  const c = cluster();
  c.mustCreate(quota("compute", { pods: "2", "requests.cpu": "1", "requests.memory": "1Gi", "limits.memory": "2Gi" }));
  c.settle();
  const filled = c.cp.api.get<ResourceQuota>("ResourceQuota", "default", "compute")!.status;
  const a = message(c.create(pod("a", withMemory("500m", "512Mi"))));
  const afterA = c.used("compute");
  const b = message(c.create(pod("b", withMemory("600m", "512Mi"))));
  const missing = message(c.create(pod("c", { requests: { cpu: "100m" } })));
  const generated = c.create(pod("", withMemory("100m", "1Mi"), {}, { generateName: "web-" }));
  const afterWeb = c.used("compute");
  const full = c.create(pod("", withMemory("100m", "1Mi"), {}, { generateName: "web-" }));

  it("gets status.hard = spec.hard and every used at 0 from the controller before any pod", () => {
    expect(filled).toEqual({ hard: { pods: "2", "requests.cpu": "1", "requests.memory": "1Gi", "limits.memory": "2Gi" }, used: { pods: "0", "requests.cpu": "0", "requests.memory": "0", "limits.memory": "0" } });
  });

  it("admits a pod within it and charges status.used at once, before the controller runs", () => {
    expect(a).toBe("admitted");
    // 0 + 500m; a zero takes the addend's format (Quantity.Add): 0 + 512Mi prints 512Mi.
    expect(afterA).toEqual({ pods: "1", "requests.cpu": "500m", "requests.memory": "512Mi", "limits.memory": "512Mi" });
  });

  it("refuses a pod over requests.cpu naming only the exceeded resource (500m + 600m > 1)", () => {
    expect(b).toBe('pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=500m, limited: requests.cpu=1');
  });

  it("refuses a pod without the memory request and limit the quota needs, with upstream's must-specify text", () => {
    expect(missing).toBe('pods "c" is forbidden: failed quota: compute: must specify limits.memory for: app; requests.memory for: app');
  });

  it("names a generated pod by its generated name (the validating phase runs after name generation)", () => {
    expect(generated.ok).toBe(true);
    // 512Mi + 1Mi = 513Mi for both the memory request and limit.
    expect(afterWeb).toEqual({ pods: "2", "requests.cpu": "600m", "requests.memory": "513Mi", "limits.memory": "513Mi" });
    expect(full.ok ? "" : full.message).toMatch(/^pods "web-[a-z0-9]{5}" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2$/);
  });
});

describe("object counts", () => {
  const c = cluster();
  c.mustCreate(quota("objects", { configmaps: "1", "count/secrets": "1", "count/deployments.apps": "0", persistentvolumeclaims: "2", "requests.storage": "10Gi" }));
  c.settle();
  const cm = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data: {} });
  const secret = (name: string) => ({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "default" }, type: "Opaque", data: {} });
  const first = message(c.create(cm("one")));
  const second = message(c.create(cm("two")));
  const s1 = message(c.create(secret("s1")));
  const s2 = message(c.create(secret("s2")));
  const deploy = message(
    c.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default" },
      spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx" }] } } },
    } as KubeObject),
  );

  it("counts configmaps under the legacy name and count/<resource>.<group> for the others", () => {
    expect([first, second]).toEqual(["admitted", 'configmaps "two" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=1, limited: configmaps=1']);
    expect([s1, s2]).toEqual(["admitted", 'secrets "s2" is forbidden: exceeded quota: objects, requested: count/secrets=1, used: count/secrets=1, limited: count/secrets=1']);
    expect(deploy).toBe('deployments.apps "web" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=0, limited: count/deployments.apps=0');
  });

  it("tracks persistentvolumeclaims and requests.storage at 0 (k8sim has no PersistentVolumeClaims)", () => {
    expect(c.used("objects")).toEqual({ configmaps: "1", "count/secrets": "1", "count/deployments.apps": "0", persistentvolumeclaims: "0", "requests.storage": "0" });
  });
});

describe("scopes", () => {
  const c = cluster();
  c.mustCreate(quota("best-effort", { pods: "1" }, { scopes: ["BestEffort"] }));
  c.mustCreate(quota("not-best-effort", { pods: "5", "requests.cpu": "1" }, { scopes: ["NotBestEffort"] }));
  c.mustCreate(quota("critical", { pods: "1" }, { scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "In", values: ["system-cluster-critical"] }] } }));
  c.mustCreate(quota("terminating", { pods: "1" }, { scopes: ["Terminating"] }));
  c.settle();
  const be1 = message(c.create(pod("be1")));
  const be2 = message(c.create(pod("be2")));
  const burst = message(c.create(pod("burst", { requests: { cpu: "400m" } })));
  const crit1 = message(c.create(pod("crit1", { requests: { cpu: "100m" } }, { priorityClassName: "system-cluster-critical" })));
  const crit2 = message(c.create(pod("crit2", { requests: { cpu: "100m" } }, { priorityClassName: "system-cluster-critical" })));
  const job1 = message(c.create(pod("job1", { requests: { cpu: "100m" } }, { activeDeadlineSeconds: 60 })));
  const job2 = message(c.create(pod("job2", { requests: { cpu: "100m" } }, { activeDeadlineSeconds: 60 })));

  it("BestEffort counts only pods without requests or limits", () => {
    expect([be1, be2]).toEqual(["admitted", 'pods "be2" is forbidden: exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1']);
  });

  it("NotBestEffort counts the others; a PriorityClass selector and Terminating (activeDeadlineSeconds) count their own", () => {
    expect(burst).toBe("admitted");
    expect([crit1, crit2]).toEqual(["admitted", 'pods "crit2" is forbidden: exceeded quota: critical, requested: pods=1, used: pods=1, limited: pods=1']);
    expect([job1, job2]).toEqual(["admitted", 'pods "job2" is forbidden: exceeded quota: terminating, requested: pods=1, used: pods=1, limited: pods=1']);
    // NotBestEffort: burst 400m + crit1 100m + job1 100m.
    expect(c.used("not-best-effort")).toEqual({ pods: "3", "requests.cpu": "600m" });
    expect(c.used("best-effort")).toEqual({ pods: "1" });
  });
});

describe("a quota the controller has not synced yet, and one whose usage is unknown", () => {
  const q = (status: ResourceQuota["status"]): ResourceQuota => ({ ...quota("fresh", { pods: "1" }), status });
  const clock = { ms: 0, parse: () => 0 };

  it("does not restrict before status.hard is written (Matches reads status.hard)", () => {
    expect(checkRequest(podEvaluator, [q(undefined)], pod("a"), undefined, clock)).toEqual({ ok: true, charged: [] });
  });

  it("refuses while a hard resource has no used entry: status unknown for quota", () => {
    const d = checkRequest(podEvaluator, [q({ hard: { pods: "1", "requests.cpu": "1" }, used: { pods: "0" } })], pod("a", { requests: { cpu: "1" } }), undefined, clock);
    expect(d).toEqual({ ok: false, reason: "status unknown for quota: fresh, resources: pods,requests.cpu" });
  });
});

describe("Services (services.go usage, charged on create and on update by the difference)", () => {
  const svc = (type: Service["spec"]["type"], ports: number, extra: Partial<Service["spec"]> = {}): Service =>
    ({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default", resourceVersion: "1" }, spec: { type, ports: Array.from({ length: ports }, (_, i) => ({ port: 80 + i })), ...extra } }) as Service;
  const synced: ResourceQuota = { ...quota("svc", { services: "2", "services.nodeports": "2", "services.loadbalancers": "0" }), status: { hard: { services: "2", "services.nodeports": "2", "services.loadbalancers": "0" }, used: { services: "1", "services.nodeports": "0", "services.loadbalancers": "0" } } };
  const clock = { ms: 0, parse: () => 0 };

  it("counts each port of a NodePort Service as a node port", () => {
    const d = checkRequest(serviceEvaluator, [synced], svc("NodePort", 3), undefined, clock);
    expect(d).toEqual({ ok: false, reason: "exceeded quota: svc, requested: services.nodeports=3, used: services.nodeports=0, limited: services.nodeports=2" });
  });

  it("charges an update from ClusterIP to LoadBalancer only the increase (the service itself already counted)", () => {
    const d = checkRequest(serviceEvaluator, [synced], svc("LoadBalancer", 1), svc("ClusterIP", 1), clock);
    expect(d).toEqual({ ok: false, reason: "exceeded quota: svc, requested: services.loadbalancers=1, used: services.loadbalancers=0, limited: services.loadbalancers=0" });
  });

  it("counts only explicit node ports of a LoadBalancer with allocateLoadBalancerNodePorts false", () => {
    const lb = { ...synced, status: { ...synced.status, hard: { ...synced.status!.hard, "services.loadbalancers": "1" } } };
    const d = checkRequest(serviceEvaluator, [lb], svc("LoadBalancer", 2, { allocateLoadBalancerNodePorts: false, ports: [{ port: 80, nodePort: 30080 }, { port: 81 }] }), undefined, clock);
    expect(d.ok && d.charged.map((x) => Object.fromEntries([...x.used].map(([k, v]) => [k, v.nanos / 1_000_000_000n])))).toEqual([{ services: 2n, "services.nodeports": 1n, "services.loadbalancers": 1n }]);
  });
});

describe("LimitRanger runs before ResourceQuota", () => {
  const c = cluster();
  const lr: LimitRange = { apiVersion: "v1", kind: "LimitRange", metadata: { name: "defaults", namespace: "default" }, spec: { limits: [{ type: "Container", defaultRequest: { cpu: "200m" }, default: { cpu: "400m" } }] } };
  c.mustCreate(lr);
  c.mustCreate(quota("cpu", { "requests.cpu": "300m", "limits.cpu": "1" }));
  c.settle();
  const first = message(c.create(pod("first")));
  const second = message(c.create(pod("second")));

  it("admits a pod without resources (the defaults satisfy must-specify) and charges the defaults", () => {
    expect(first).toBe("admitted");
    expect(c.used("cpu")).toEqual({ "requests.cpu": "200m", "limits.cpu": "400m" });
  });

  it("refuses the next with the defaulted request: 200m + 200m > 300m", () => {
    expect(second).toBe('pods "second" is forbidden: exceeded quota: cpu, requested: requests.cpu=200m, used: requests.cpu=200m, limited: requests.cpu=300m');
  });
});
