/**
 * The simulated cloud's load balancers through the service controller (src/controllers/service-lb/, upstream
 * k8s.io/cloud-provider/controllers/service/controller.go): events and their times, the cleanup finalizer, the
 * ingress address and its release, pool exhaustion with the controller's 5s-doubling retry, loadBalancerClass.
 */
import { describe, expect, it } from "vitest";
import { ControlPlane } from "../src/api/control-plane.js";
import type { Service, ServiceSpec } from "../src/api/service/types.js";
import { startControllers } from "../src/controllers/manager.js";
import { SimulatedCloud } from "../src/controllers/service-lb/cloud.js";
import { lbRetryDelay, needsUpdate } from "../src/controllers/service-lb/decisions.js";
import { Simulation } from "../src/engine/simulation.js";
import { DEFAULT_SETTINGS, type Settings } from "../src/settings.js";

function setup(settings: Partial<Settings> = {}) {
  const sim = new Simulation(1);
  const cp = new ControlPlane(sim, { ...DEFAULT_SETTINGS, controllers: ["service-lb-controller"], ...settings }, 0);
  startControllers(cp);
  const lbEvents = () =>
    cp.events.records.filter((e) => e.source.component === "service-controller").map((e) => `${e.simTime} ${e.type} ${e.reason} ${e.involvedObject.name}: ${e.message}`);
  const get = (name: string) => cp.api.get<Service>("Service", "default", name);
  return { sim, cp, lbEvents, get };
}

const lb = (name: string, spec: Partial<ServiceSpec> = {}): Service => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace: "default" },
  spec: { type: "LoadBalancer", selector: { app: name }, ports: [{ port: 80 }], ...spec },
});

describe("service-lb-controller", () => {
  it("ensures a load balancer: finalizer at once, ingress after loadBalancerProvisionDelay", () => {
    const { sim, cp, lbEvents, get } = setup();
    expect(cp.api.create(lb("web")).ok).toBe(true);
    sim.run(1000);
    expect(get("web")!.metadata.finalizers).toEqual(["service.kubernetes.io/load-balancer-cleanup"]);
    expect(get("web")!.status).toEqual({ loadBalancer: {} });
    sim.run(10_000);
    // Default delay 5000 ms; the first address of 203.0.113.0/24 (network address skipped).
    expect(get("web")!.status?.loadBalancer?.ingress).toEqual([{ ip: "203.0.113.1", ipMode: "VIP" }]);
    expect(lbEvents()).toEqual(["0 Normal EnsuringLoadBalancer web: Ensuring load balancer", "5000 Normal EnsuredLoadBalancer web: Ensured load balancer"]);
  });

  it("deletes it when the Service goes: events, address back in the pool, finalizer off, Service gone", () => {
    const { sim, cp, lbEvents, get } = setup({ loadBalancerIPPool: "203.0.113.0/30" });
    cp.api.create(lb("a"));
    sim.run(6000);
    expect(cp.api.delete("Service", "default", "a").ok).toBe(true);
    // Held by the finalizer until the controller has deleted the load balancer.
    expect(get("a")?.metadata.deletionTimestamp).toBeDefined();
    sim.run(7000);
    expect(get("a")).toBeUndefined();
    expect(lbEvents().slice(2)).toEqual(["6000 Normal DeletingLoadBalancer a: Deleting load balancer", "6000 Normal DeletedLoadBalancer a: Deleted load balancer"]);
    // A /30 has two usable addresses: .1 was a's and is free again.
    cp.api.create(lb("b"));
    sim.run(13_000);
    expect(get("b")!.status?.loadBalancer?.ingress?.[0].ip).toBe("203.0.113.1");
  });

  it("cleans up on a change to ClusterIP, with the Type event", () => {
    const { sim, cp, lbEvents, get } = setup();
    cp.api.create(lb("web"));
    sim.run(6000);
    const cur = get("web")!;
    const r = cp.api.update({ ...cur, spec: { ...cur.spec, type: "ClusterIP", externalTrafficPolicy: undefined, allocateLoadBalancerNodePorts: undefined } });
    expect(r.ok).toBe(true);
    sim.run(7000);
    const after = get("web")!;
    expect([after.metadata.finalizers, after.status, after.spec.ports![0].nodePort]).toEqual([[], { loadBalancer: {} }, undefined]);
    expect(lbEvents().slice(2)).toEqual([
      "6000 Normal Type web: LoadBalancer -> ClusterIP",
      "6000 Normal DeletingLoadBalancer web: Deleting load balancer",
      "6000 Normal DeletedLoadBalancer web: Deleted load balancer",
    ]);
  });

  it("reports an exhausted pool and retries after 5s, 10s, 20s ... until an address frees", () => {
    const { sim, cp, lbEvents, get } = setup({ loadBalancerIPPool: "203.0.113.0/30" });
    cp.api.create(lb("a"));
    cp.api.create(lb("b"));
    cp.api.create(lb("c"));
    sim.run(20_000);
    const failed = lbEvents().filter((e) => e.includes("SyncLoadBalancerFailed"));
    // Syncs of c at 0, then 0 + 5000, + 10000 = 15000 (lbRetryDelay: 5s doubling to 300s).
    expect(failed).toEqual([0, 5000, 15000].map((t) => `${t} Warning SyncLoadBalancerFailed c: Error syncing load balancer: failed to ensure load balancer: no address left in the load balancer pool 203.0.113.0/30`));
    cp.api.delete("Service", "default", "a");
    // Next retry at 15000 + 20000 = 35000, then 5000 of provisioning.
    sim.run(39_000);
    expect(get("c")!.status?.loadBalancer?.ingress).toBeUndefined();
    sim.run(41_000);
    expect(get("c")!.status?.loadBalancer?.ingress).toEqual([{ ip: "203.0.113.1", ipMode: "VIP" }]);
    expect([lbRetryDelay(1), lbRetryDelay(2), lbRetryDelay(7), lbRetryDelay(8)]).toEqual([5000, 10000, 300000, 300000]);
  });

  it("leaves a Service with a loadBalancerClass to its own controller", () => {
    const { sim, cp, lbEvents, get } = setup();
    cp.api.create(lb("other", { loadBalancerClass: "example.com/lb" }));
    sim.run(10_000);
    expect([get("other")!.metadata.finalizers, get("other")!.status, lbEvents()]).toEqual([undefined, { loadBalancer: {} }, []]);
  });

  it("honours spec.loadBalancerIP in the pool", () => {
    const cloud = new SimulatedCloud("203.0.113.0/24");
    expect(cloud.ensure("u1", "203.0.113.50")).toEqual({ ok: true, ip: "203.0.113.50" });
    expect(cloud.ensure("u2", "203.0.113.50")).toEqual({ ok: false, error: "requested load balancer IP 203.0.113.50 is already in use" });
    expect(cloud.ensure("u3", "10.0.0.1")).toEqual({ ok: false, error: "requested load balancer IP 10.0.0.1 is not in the pool 203.0.113.0/24" });
    expect(cloud.ensure("u4")).toEqual({ ok: true, ip: "203.0.113.1" });
  });

  it("needsUpdate: only changes a load balancer cares about", () => {
    const a = lb("x");
    expect(needsUpdate(a, { ...a, metadata: { ...a.metadata, labels: { x: "y" } } }).update).toBe(false);
    expect(needsUpdate(a, { ...a, spec: { ...a.spec, ports: [{ port: 81 }] } }).update).toBe(true);
    expect(needsUpdate(a, { ...a, spec: { ...a.spec, loadBalancerIP: "203.0.113.9" } })).toEqual({ update: true, event: { reason: "LoadbalancerIP", message: " -> 203.0.113.9" } });
  });
});
