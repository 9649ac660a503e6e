/**
 * Pod IPs from per-node pod CIDRs: the pure address picking of src/kubelet/pod-ips.ts (host-local's range: network +
 * 2 up to broadcast - 1), node IPAM's block picking (src/controllers/node-ipam.ts CidrSet, upstream cidr_set.go
 * AllocateNext), and whole clusters in which nodes get their pod CIDRs, pods their IPs, and a node the cluster CIDR
 * has no room for gets CIDRNotAvailable and no pod network.
 */
import { describe, expect, it } from "vitest";
import { formatCidr, parseCidr, type Cidr } from "../src/api/cidr.js";
import { getCondition } from "../src/api/pod-util.js";
import type { Node, Pod } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import { CidrSet } from "../src/controllers/node-ipam.js";
import { NETWORK_NOT_READY_MESSAGE } from "../src/kubelet/node-object.js";
import { nodePodCIDR, podIP, podIPAt, podIPCapacity } from "../src/kubelet/pod-ips.js";
import { resolveSettings, type Settings } from "../src/settings.js";
import { pod } from "./fixtures/builders.js";

const cidr = (text: string): Cidr => {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe("podIPAt: host-local's range of a node's pod CIDR", () => {
  it.each([
    ["10.128.0.0/24", 0, "10.128.0.2"], // network .0 and gateway .1 are skipped: the first pod gets .2
    ["10.128.0.0/24", 1, "10.128.0.3"],
    ["10.128.0.0/24", 252, "10.128.0.254"], // the 253rd and last address: .255 is the broadcast address
    ["10.128.0.0/24", 253, "10.128.0.2"], // then it wraps around
    ["10.128.5.0/24", 0, "10.128.5.2"],
    ["10.128.0.0/23", 254, "10.128.1.0"], // a /23 runs on across the octet: .0.2 + 254 = .1.0
    ["10.128.0.0/30", 0, "10.128.0.2"], // a /30 holds a single pod address
    ["10.128.0.0/30", 1, "10.128.0.2"],
  ])("%s, pod %i: %s", (range, n, want) => {
    expect(podIPAt(cidr(range), n)).toBe(want);
    expect(podIP(range, n)).toBe(want);
  });

  it("counts the addresses of a range less network, gateway and broadcast", () => {
    // 2^(32-24) - 3 = 253; 2^(32-22) - 3 = 1021; a /31 or /32 has none
    expect([24, 22, 30, 31, 32].map((p) => podIPCapacity({ base: 0, prefix: p }))).toEqual([253, 1021, 1, 0, 0]);
    expect(podIPAt(cidr("10.128.0.0/31"), 0)).toBeUndefined();
    expect(podIP("not a cidr", 0)).toBeUndefined();
  });
});

describe("CidrSet: the range allocator's blocks (AllocateNext)", () => {
  it("cuts a /22 cluster CIDR into four /24 blocks in address order, then has none left", () => {
    const set = new CidrSet(cidr("10.128.0.0/22"), 24);
    expect(set.size).toBe(4); // 2^(24 - 22)
    const got = [1, 2, 3, 4, 5].map(() => set.allocateNext());
    expect(got.map((c) => c && formatCidr(c))).toEqual(["10.128.0.0/24", "10.128.1.0/24", "10.128.2.0/24", "10.128.3.0/24", undefined]);
  });

  it("is next-fit: a released block is reused only when the scan wraps around to it", () => {
    const set = new CidrSet(cidr("10.128.0.0/22"), 24);
    for (let i = 0; i < 3; i++) set.allocateNext(); // 0, 1, 2
    expect(set.release(cidr("10.128.0.0/24"))).toBe(true);
    // The scan starts after block 2: block 3 first, then it wraps to the freed block 0.
    expect(formatCidr(set.allocateNext()!)).toBe("10.128.3.0/24");
    expect(formatCidr(set.allocateNext()!)).toBe("10.128.0.0/24");
    expect(set.allocateNext()).toBeUndefined();
  });

  it("occupies the block a node already carries, and refuses blocks that are not its own", () => {
    const set = new CidrSet(cidr("10.128.0.0/22"), 24);
    expect(set.occupy(cidr("10.128.0.0/24"))).toBe(true);
    expect(formatCidr(set.allocateNext()!)).toBe("10.128.1.0/24");
    expect(set.occupy(cidr("10.129.0.0/24"))).toBe(false); // outside the cluster CIDR
    expect(set.occupy(cidr("10.128.0.0/25"))).toBe(false); // not a node-sized block
    expect(set.allocated).toBe(2);
  });

  it("refuses a node mask shorter than the cluster prefix", () => {
    expect(() => new CidrSet(cidr("10.128.0.0/22"), 21)).toThrow(/mask size 21/);
  });

  it("holds 32,768 node blocks in the default 10.128.0.0/9, room for the 5,000-node scale limit", () => {
    expect(new CidrSet(cidr("10.128.0.0/9"), 24).size).toBe(32_768); // 2^(24 - 9)
  });
});

/** A cluster of `count` nodes n-1 .. n-<count>, started at virtual time 0. */
function cluster(count: number, settings: Partial<Settings> = {}) {
  const c = new Cluster(7, resolveSettings(settings), Date.UTC(2026, 0, 1));
  c.kubelets.addPool({ name: "n", count, capacity: { cpu: "4", memory: "16Gi", pods: "110" }, labels: {}, taints: [] });
  const node = (name: string) => c.cp.api.get<Node>("Node", undefined, name)!;
  const getPod = (name: string) => c.cp.api.get<Pod>("Pod", "default", name)!;
  const events = (reason: string) => c.cp.events.records.filter((e) => e.reason === reason);
  return { c, node, getPod, events };
}

describe("node IPAM and pod IPs in a cluster", () => {
  it("gives node 0 10.128.0.0/24 (spec.podCIDR and podCIDRs) and its pods 10.128.0.2, 10.128.0.3, ...", () => {
    const { c, node, getPod } = cluster(2);
    c.sim.run(0);
    expect(node("n-1").spec).toMatchObject({ podCIDR: "10.128.0.0/24", podCIDRs: ["10.128.0.0/24"] });
    expect(nodePodCIDR(node("n-2"))).toBe("10.128.1.0/24");
    for (const name of ["a", "b", "c"]) c.cp.api.create(pod(name).on("n-1").build());
    c.cp.api.create(pod("d").on("n-2").build());
    c.sim.run(5_000);
    expect(["a", "b", "c", "d"].map((p) => getPod(p).status.podIP)).toEqual(["10.128.0.2", "10.128.0.3", "10.128.0.4", "10.128.1.2"]);
  });

  it("holds 4 nodes in a /22 with mask 24; the 5th gets CIDRNotAvailable, no pod CIDR and no pod network", () => {
    const { c, node, getPod, events } = cluster(5, { clusterCIDR: "10.128.0.0/22", nodeCIDRMaskSize: 24 });
    c.sim.run(0);
    expect(["n-1", "n-2", "n-3", "n-4", "n-5"].map((n) => nodePodCIDR(node(n)))).toEqual(["10.128.0.0/24", "10.128.1.0/24", "10.128.2.0/24", "10.128.3.0/24", undefined]);
    const first = events("CIDRNotAvailable")[0]!;
    expect(first).toMatchObject({ type: "Normal", message: "Node n-5 status is now: CIDRNotAvailable", involvedObject: { kind: "Node", name: "n-5" }, source: { component: "cidrAllocator" } });
    expect(events("CIDRNotAvailable").every((e) => e.involvedObject.name === "n-5")).toBe(true);

    // A pod bound to it is admitted but never started: no sandbox without a network.
    c.cp.api.create(pod("stuck").on("n-5").build());
    c.sim.run(30_000);
    expect(getPod("stuck").status.phase).toBe("Pending");
    expect(getPod("stuck").status.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: "ContainerCreating" } });
    expect(getPod("stuck").status.podIP).toBeUndefined();
    const nn = events("NetworkNotReady");
    expect(nn).toHaveLength(1);
    expect(nn[0]).toMatchObject({ type: "Warning", message: `network is not ready: ${NETWORK_NOT_READY_MESSAGE}`, involvedObject: { name: "stuck" }, source: { component: "kubelet", host: "n-5" } });
    // The status loop's first tick (nodeStatusUpdateFrequency, 10s) found no pod network: Ready=False.
    expect(getCondition(node("n-5").status.conditions, "Ready")).toMatchObject({ status: "False", reason: "KubeletNotReady", message: NETWORK_NOT_READY_MESSAGE });
    expect(getCondition(node("n-4").status.conditions, "Ready")?.status).toBe("True");
  });

  it("gives the block of a deleted node to the node that waited, whose pods then start", () => {
    const { c, node, getPod } = cluster(5, { clusterCIDR: "10.128.0.0/22", nodeCIDRMaskSize: 24 });
    c.cp.api.create(pod("stuck").on("n-5").build());
    c.sim.run(60_000);
    expect(getPod("stuck").status.phase).toBe("Pending");
    c.cp.api.delete("Node", undefined, "n-2"); // frees 10.128.1.0/24
    c.sim.run(600_000);
    // The waiting node's next sync (a retry or its next update) takes the freed block.
    expect(nodePodCIDR(node("n-5"))).toBe("10.128.1.0/24");
    expect(getCondition(node("n-5").status.conditions, "Ready")?.status).toBe("True");
    expect(getPod("stuck").status).toMatchObject({ phase: "Running", podIP: "10.128.1.2" });
  });

  it("never gives two pods one address: with a /30 node range (one pod address) the second pod's sandbox fails until the first is gone", () => {
    const { c, getPod, events } = cluster(1, { clusterCIDR: "10.0.0.0/28", nodeCIDRMaskSize: 30 });
    c.cp.api.create(pod("a").on("n-1").build());
    c.cp.api.create(pod("b").on("n-1").build());
    c.sim.run(10_000);
    expect(getPod("a").status).toMatchObject({ phase: "Running", podIP: "10.0.0.2" });
    expect(getPod("b").status.phase).toBe("Pending");
    expect(getPod("b").status.podIP).toBeUndefined();
    // host-local's answer when its range set is used up (the pod stays ContainerCreating).
    expect(events("FailedCreatePodSandBox")[0]).toMatchObject({
      type: "Warning",
      involvedObject: { name: "b" },
      message:
        'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type="host-local" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.0.0.2-10.0.0.2',
    });
    c.cp.api.delete("Pod", "default", "a", { gracePeriodSeconds: 0 });
    c.sim.run(20_000);
    expect(getPod("b").status).toMatchObject({ phase: "Running", podIP: "10.0.0.2" });
  });

  it("keeps every node's pod CIDR in the cluster CIDR and distinct", () => {
    const { c, node } = cluster(40, { clusterCIDR: "10.200.0.0/16", nodeCIDRMaskSize: 26 });
    c.sim.run(0);
    const blocks = Array.from({ length: 40 }, (_, i) => nodePodCIDR(node(`n-${i + 1}`))!);
    expect(new Set(blocks).size).toBe(40);
    // 64 addresses per /26: node i starts at 10.200.0.0 + 64 i
    expect(blocks.slice(0, 5)).toEqual(["10.200.0.0/26", "10.200.0.64/26", "10.200.0.128/26", "10.200.0.192/26", "10.200.1.0/26"]);
    expect(blocks[39]).toBe("10.200.9.192/26");
  });
});
