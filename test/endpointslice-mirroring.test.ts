/**
 * The EndpointSlice mirroring controller (src/controllers/endpointslice-mirroring/, upstream
 * pkg/controller/endpointslicemirroring/): the pure reconcile of a user-managed Endpoints, then the controller in a
 * simulated cluster (skip-mirror, the per-subset maximum's event, a Service that gains a selector).
 */
import { describe, expect, it } from "vitest";
import type { Endpoints, EndpointSlice, Service } from "../src/api/service/types.js";
import { Cluster } from "../src/cluster.js";
import { MIRRORING_MANAGER, reconcileMirror } from "../src/controllers/endpointslice-mirroring/reconciler.js";
import { resolveSettings, type Settings } from "../src/settings.js";

function endpoints(subsets: Endpoints["subsets"], labels?: Record<string, string>, annotations?: Record<string, string>): Endpoints {
  return { apiVersion: "v1", kind: "Endpoints", metadata: { name: "db", namespace: "default", uid: "ep-uid", ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) }, subsets };
}
const addrs = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ ip: `192.0.2.${from + i}` }));

describe("mirroring reconcile", () => {
  it("mirrors one subset into one slice: ready and not-ready addresses, ports, labels, annotations, owner", () => {
    const ep = endpoints([{ addresses: addrs(2), notReadyAddresses: addrs(1, 50), ports: [{ name: "pg", port: 5432, protocol: "TCP" }] }], { team: "data" }, {
      note: "kept",
      "endpoints.kubernetes.io/last-change-trigger-time": "2026-01-01T00:00:00Z",
    });
    const c = reconcileMirror(ep, [], 1000);
    expect(c.toCreate).toHaveLength(1);
    const s = c.toCreate[0];
    expect(s.metadata.generateName).toBe("db-");
    expect(s.metadata.labels).toEqual({ team: "data", "kubernetes.io/service-name": "db", "endpointslice.kubernetes.io/managed-by": MIRRORING_MANAGER });
    expect(s.metadata.annotations).toEqual({ note: "kept" });
    expect(s.metadata.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Endpoints", name: "db", uid: "ep-uid", controller: true, blockOwnerDeletion: true }]);
    expect(s.ports).toEqual([{ name: "pg", port: 5432, protocol: "TCP" }]);
    expect(s.endpoints!.map((e) => [e.addresses[0], e.conditions])).toEqual([
      ["192.0.2.1", { ready: true }],
      ["192.0.2.2", { ready: true }],
      ["192.0.2.50", { ready: false }],
    ]);
    expect(c.events).toEqual([]);
  });

  it("mirrors at most mirroringMaxEndpointsPerSubset addresses per subset, ready first, with upstream's warning", () => {
    // 3 ready + 2 not ready, max 4: the 4th slot goes to the first not-ready address; 1 skipped.
    const c = reconcileMirror(endpoints([{ addresses: addrs(3), notReadyAddresses: addrs(2, 10), ports: [{ port: 80 }] }]), [], 4);
    expect(c.toCreate[0].endpoints!.map((e) => e.addresses[0])).toEqual(["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.10"]);
    expect(c.events).toEqual([{ reason: "TooManyAddressesToMirror", message: "A max of 4 addresses can be mirrored to EndpointSlices per Endpoints subset. 1 addresses were skipped" }]);
  });

  it("skips invalid IPs with an InvalidIPAddress event", () => {
    const c = reconcileMirror(endpoints([{ addresses: [{ ip: "not-an-ip" }, { ip: "192.0.2.7" }], ports: [{ port: 80 }] }]), [], 1000);
    expect(c.toCreate[0].endpoints!.map((e) => e.addresses[0])).toEqual(["192.0.2.7"]);
    expect(c.events).toEqual([{ reason: "InvalidIPAddress", message: "Skipped 1 invalid IP addresses when mirroring to EndpointSlices" }]);
  });

  it("writes nothing when the slice already matches, updates it in place when an address changes", () => {
    const ep = endpoints([{ addresses: addrs(2), ports: [{ port: 80 }] }]);
    const created = reconcileMirror(ep, [], 1000).toCreate[0];
    const stored: EndpointSlice = { ...created, metadata: { ...created.metadata, name: "db-abcde", resourceVersion: "7" } };
    const same = reconcileMirror(ep, [stored], 1000);
    expect([same.toCreate.length, same.toUpdate.length, same.toDelete.length]).toEqual([0, 0, 0]);
    const changed = reconcileMirror(endpoints([{ addresses: addrs(3), ports: [{ port: 80 }] }]), [stored], 1000);
    expect([changed.toCreate.length, changed.toUpdate.length, changed.toDelete.length]).toEqual([0, 1, 0]);
    expect(changed.toUpdate[0].metadata.name).toBe("db-abcde");
    expect(changed.toUpdate[0].endpoints).toHaveLength(3);
    // A new port set: its create is recycled into the delete of the old slice (same address type).
    const ported = reconcileMirror(endpoints([{ addresses: addrs(2), ports: [{ port: 81 }] }]), [stored], 1000);
    expect([ported.toCreate.length, ported.toUpdate.length, ported.toDelete.length]).toEqual([0, 1, 0]);
    expect(ported.toUpdate[0].ports).toEqual([{ name: "", port: 81, protocol: "TCP" }]);
  });
});

const EPOCH = Date.UTC(2026, 0, 1);
const T0 = 10_000;

function cluster(settings: Partial<Settings> = {}): Cluster {
  const c = new Cluster(1, resolveSettings(settings), EPOCH);
  c.sim.run(T0);
  return c;
}
const selectorless: Service = { apiVersion: "v1", kind: "Service", metadata: { name: "db", namespace: "default" }, spec: { ports: [{ port: 5432, protocol: "TCP" }] } };
const mirrored = (c: Cluster) => [...c.cp.store.list<EndpointSlice>("EndpointSlice")].filter((s) => s.metadata.labels?.["endpointslice.kubernetes.io/managed-by"] === MIRRORING_MANAGER);

describe("the mirroring controller in a cluster", () => {
  it("mirrors a selectorless Service's Endpoints in the same millisecond, and follows its changes", () => {
    const c = cluster();
    expect(c.cp.api.create(selectorless).ok).toBe(true);
    const r = c.cp.api.create(endpoints([{ addresses: addrs(2), ports: [{ port: 5432 }] }]));
    expect(r.ok).toBe(true);
    const writes: number[] = [];
    c.cp.store.watch("EndpointSlice", () => writes.push(c.sim.now - T0));
    c.sim.run(T0 + 1_000);
    // Informer latency 0 and an unthrottled client: the slice is created at t=0.
    expect(writes).toEqual([0]);
    expect(mirrored(c)[0].endpoints!.map((e) => e.addresses[0])).toEqual(["192.0.2.1", "192.0.2.2"]);
    const cur = c.cp.store.get<Endpoints>("Endpoints", "default", "db")!;
    expect(c.cp.api.update({ ...cur, subsets: [{ addresses: addrs(1), ports: [{ port: 5432 }] }] }).ok).toBe(true);
    c.sim.run(T0 + 2_000);
    expect(writes).toEqual([0, 1_000]);
    expect(mirrored(c)[0].endpoints).toHaveLength(1);
  });

  it("does not mirror Endpoints labelled skip-mirror, and removes the mirror when the label is added", () => {
    const c = cluster();
    c.cp.api.create(selectorless);
    c.cp.api.create(endpoints([{ addresses: addrs(1), ports: [{ port: 5432 }] }]));
    c.sim.run(T0 + 1_000);
    expect(mirrored(c)).toHaveLength(1);
    const cur = c.cp.store.get<Endpoints>("Endpoints", "default", "db")!;
    c.cp.api.update({ ...cur, metadata: { ...cur.metadata, labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } } });
    c.sim.run(T0 + 2_000);
    expect(mirrored(c)).toHaveLength(0);
  });

  it("records TooManyAddressesToMirror on the Endpoints past the per-subset maximum", () => {
    const c = cluster({ mirroringMaxEndpointsPerSubset: 2 });
    c.cp.api.create(selectorless);
    c.cp.api.create(endpoints([{ addresses: addrs(3), ports: [{ port: 5432 }] }]));
    c.sim.run(T0 + 1_000);
    expect(mirrored(c)[0].endpoints).toHaveLength(2);
    const ev = c.cp.events.records.filter((e) => e.reason === "TooManyAddressesToMirror");
    expect(ev.map((e) => [e.type, e.involvedObject.kind, e.message])).toEqual([
      ["Warning", "Endpoints", "A max of 2 addresses can be mirrored to EndpointSlices per Endpoints subset. 1 addresses were skipped"],
    ]);
  });

  it("deletes the mirrored slices when the Service gets a selector", () => {
    const c = cluster();
    c.cp.api.create(selectorless);
    c.cp.api.create(endpoints([{ addresses: addrs(1), ports: [{ port: 5432 }] }]));
    c.sim.run(T0 + 1_000);
    const svc = c.cp.store.get<Service>("Service", "default", "db")!;
    expect(c.cp.api.update({ ...svc, spec: { ...svc.spec, selector: { app: "db" } } }).ok).toBe(true);
    c.sim.run(T0 + 2_000);
    expect(mirrored(c)).toHaveLength(0);
  });
});
