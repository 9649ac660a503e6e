/**
 * The EndpointSlice reconciler's placement (src/controllers/endpointslice/reconciler.ts, upstream
 * staging/src/k8s.io/endpointslice/reconciler.go) and the mirroring reconciler
 * (src/controllers/endpointslice-mirroring/reconciler.ts): pure calls, no simulation. Slices "written" by a case
 * are given names and resourceVersions here as the API server would.
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../src/api/types.js";
import type { EndpointSlice, Service } from "../src/api/service/types.js";
import { ENDPOINTSLICE_MANAGER, MANAGED_BY_LABEL, reconcileSlices, SERVICE_NAME_LABEL, type SliceChanges } from "../src/controllers/endpointslice/reconciler.js";

function svc(extra: Partial<Service["spec"]> = {}, labels?: Record<string, string>): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "default", uid: "svc-uid", ...(labels ? { labels } : {}) },
    spec: { selector: { app: "web" }, clusterIP: "10.96.0.10", ipFamilies: ["IPv4"], ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }], ...extra },
  };
}

function pod(i: number, opts: { ready?: boolean; node?: string; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `web-${i}`, namespace: "default", uid: `uid-${i}`, labels: { app: "web" }, ...(opts.deleting ? { deletionTimestamp: "2026-01-01T00:01:00Z" } : {}) },
    spec: { nodeName: opts.node ?? "n1", containers: [{ name: "c", image: "i", ports: [{ name: "web", containerPort: 8080, protocol: "TCP" }] }] },
    status: { phase: "Running", podIP: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`, conditions: [{ type: "Ready", status: opts.ready === false ? "False" : "True" }] },
  };
}

const nodes = (name: string) => (name === "gone" ? undefined : { zone: name === "n2" ? "zone-b" : "zone-a" });
const opts = { maxEndpointsPerSlice: 100, nodes };

let rv = 100;
/** Applies a sync's writes as the API server would: names for creates, new resourceVersions. */
function apply(existing: EndpointSlice[], c: SliceChanges): EndpointSlice[] {
  const byName = new Map(existing.map((s) => [s.metadata.name, s]));
  for (const s of c.toDelete) byName.delete(s.metadata.name);
  for (const s of c.toUpdate) byName.set(s.metadata.name, { ...s, metadata: { ...s.metadata, resourceVersion: String(++rv) } });
  for (const s of c.toCreate) {
    const name = `${s.metadata.generateName}${String(++rv)}`;
    byName.set(name, { ...s, metadata: { ...s.metadata, name, resourceVersion: String(rv) } });
  }
  return [...byName.values()];
}

const sizes = (slices: EndpointSlice[]) => slices.map((s) => (s.endpoints ?? []).length);
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => pod(from + i));

describe("EndpointSlice placement", () => {
  it("splits 250 endpoints into 100 + 100 + 50, labelled, owned and named after the Service", () => {
    const c = reconcileSlices(svc(), range(250), [], opts);
    expect(c.toCreate.map((s) => (s.endpoints ?? []).length)).toEqual([100, 100, 50]);
    expect(c.toUpdate).toEqual([]);
    const s = c.toCreate[0];
    expect(s.metadata.generateName).toBe("web-");
    expect(s.metadata.labels).toEqual({ [SERVICE_NAME_LABEL]: "web", [MANAGED_BY_LABEL]: ENDPOINTSLICE_MANAGER });
    expect(s.metadata.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Service", name: "web", uid: "svc-uid", controller: true, blockOwnerDeletion: true }]);
    expect(s.ports).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);
    expect(s.addressType).toBe("IPv4");
    expect(s.endpoints![0]).toEqual({
      addresses: ["10.0.0.1"],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: "Pod", namespace: "default", name: "web-0", uid: "uid-0" },
      nodeName: "n1",
      zone: "zone-a",
    });
  });

  it("updates the slice that lost endpoints in place and fills it with the new ones: one write", () => {
    let slices = apply([], reconcileSlices(svc(), range(250), [], opts));
    // Pods 0-9 (in the first slice) go, 250-254 come: step 1 marks the first slice (90 left), step 2 fills it to 95.
    const pods = [...range(240, 10), ...range(5, 250)];
    const c = reconcileSlices(svc(), pods, slices, opts);
    expect([c.toCreate.length, c.toUpdate.length, c.toDelete.length]).toEqual([0, 1, 0]);
    expect(c.toUpdate[0].endpoints!.length).toBe(95);
    slices = apply(slices, c);
    expect(sizes(slices).sort()).toEqual([100, 50, 95].sort());
    // A second sync with nothing changed writes nothing.
    const again = reconcileSlices(svc(), pods, slices, opts);
    expect([again.toCreate.length, again.toUpdate.length, again.toDelete.length]).toEqual([0, 0, 0]);
  });

  it("puts a few new endpoints into the unchanged slice closest to full", () => {
    const slices = apply([], reconcileSlices(svc(), range(250), [], opts));
    // 30 new pods, no slice changed: 30 < 100, the 50-slice fits them (100 - 80 = 20 room left) and is the only
    // one that can take them; it is updated, nothing is created.
    const c = reconcileSlices(svc(), range(280), slices, opts);
    expect([c.toCreate.length, c.toUpdate.length]).toEqual([0, 1]);
    expect(c.toUpdate[0].endpoints!.length).toBe(80);
  });

  it("keeps one empty placeholder slice for a Service without endpoints, and reuses it for the first ones", () => {
    const c = reconcileSlices(svc(), [], [], opts);
    expect(c.toCreate).toHaveLength(1);
    expect(c.toCreate[0].endpoints).toEqual([]);
    expect(c.toCreate[0].ports).toEqual([]);
    let slices = apply([], c);
    // Nothing changed: the placeholder is not deleted and recreated.
    const same = reconcileSlices(svc(), [], slices, opts);
    expect([same.toCreate.length, same.toUpdate.length, same.toDelete.length]).toEqual([0, 0, 0]);
    // Pods arrive: the create of their slice and the delete of the placeholder become one update of it (finalize).
    const name = slices[0].metadata.name;
    const withPods = reconcileSlices(svc(), range(3), slices, opts);
    expect([withPods.toCreate.length, withPods.toUpdate.length, withPods.toDelete.length]).toEqual([0, 1, 0]);
    expect(withPods.toUpdate[0].metadata.name).toBe(name);
    slices = apply(slices, withPods);
    // Every pod goes: the slice is emptied; the placeholder comes back as an update of the same slice.
    const empty = reconcileSlices(svc(), [], slices, opts);
    expect([empty.toCreate.length, empty.toUpdate.length, empty.toDelete.length]).toEqual([0, 1, 0]);
    expect(empty.toUpdate[0].endpoints).toEqual([]);
    expect(empty.toUpdate[0].ports).toEqual([]);
  });

  it("computes ready / serving / terminating as upstream, publishNotReadyAddresses making ready true", () => {
    const pods = [pod(0), pod(1, { ready: false }), pod(2, { deleting: true }), pod(3, { deleting: true, ready: false })];
    const cond = (s: Service) => reconcileSlices(s, pods, [], opts).toCreate[0].endpoints!.map((e) => e.conditions);
    expect(cond(svc())).toEqual([
      { ready: true, serving: true, terminating: false },
      { ready: false, serving: false, terminating: false },
      { ready: false, serving: true, terminating: true },
      { ready: false, serving: false, terminating: true },
    ]);
    expect(cond(svc({ publishNotReadyAddresses: true })).map((c) => c.ready)).toEqual([true, true, true, true]);
  });

  it("skips a pod whose node does not exist and reports it, unless publishNotReadyAddresses", () => {
    const pods = [pod(0), pod(1, { node: "gone" })];
    const c = reconcileSlices(svc(), pods, [], opts);
    expect(c.toCreate[0].endpoints!.length).toBe(1);
    expect(c.errors).toEqual(["skipping Pod web-1 for Service default/web: Node gone Not Found"]);
    expect(reconcileSlices(svc({ publishNotReadyAddresses: true }), pods, [], opts).toCreate[0].endpoints!.length).toBe(2);
  });

  it("fills zone hints only for trafficDistribution PreferClose, on ready endpoints", () => {
    const pods = [pod(0), pod(1, { node: "n2" }), pod(2, { ready: false })];
    const none = reconcileSlices(svc(), pods, [], opts).toCreate[0].endpoints!;
    expect(none.map((e) => e.hints)).toEqual([undefined, undefined, undefined]);
    const close = reconcileSlices(svc({ trafficDistribution: "PreferClose" }), pods, [], opts).toCreate[0].endpoints!;
    expect(close.map((e) => e.hints)).toEqual([{ forZones: [{ name: "zone-a" }] }, { forZones: [{ name: "zone-b" }] }, undefined]);
  });

  it("groups pods by the ports they offer: a pod without the named port gets a slice of its own port set", () => {
    const s = svc({ ports: [{ name: "http", port: 80, targetPort: "web", protocol: "TCP" }] });
    const noPort = pod(9);
    noPort.spec.containers = [{ name: "c", image: "i" }];
    const c = reconcileSlices(s, [pod(0), noPort], [], opts);
    expect(c.toCreate.map((x) => [x.ports, x.endpoints!.length])).toEqual([
      [[{ name: "http", port: 8080, protocol: "TCP" }], 1],
      [[], 1],
    ]);
  });

  it("copies the Service's labels, and adds the headless label for a headless Service", () => {
    const c = reconcileSlices(svc({ clusterIP: "None" }, { tier: "front" }), [pod(0)], [], opts);
    expect(c.toCreate[0].metadata.labels).toEqual({ tier: "front", "service.kubernetes.io/headless": "", [SERVICE_NAME_LABEL]: "web", [MANAGED_BY_LABEL]: ENDPOINTSLICE_MANAGER });
  });
});
