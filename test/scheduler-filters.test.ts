import { describe, expect, it } from "vitest";
import { nonZeroPodRequests, podRequests } from "../src/api/resources.js";
import type { Pod } from "../src/api/types.js";
import { Code, CycleState, NodeInfo } from "../src/scheduler/framework.js";
import type { FilterPlugin, PreFilterPlugin } from "../src/scheduler/framework.js";
import { tolerates } from "../src/api/tolerations.js";
import { NodeAffinityPlugin } from "../src/scheduler/plugins/node-affinity.js";
import { NodeName } from "../src/scheduler/plugins/node-name.js";
import { NodeResourcesFit } from "../src/scheduler/plugins/node-resources-fit.js";
import { NodeUnschedulable } from "../src/scheduler/plugins/node-unschedulable.js";
import { TaintToleration } from "../src/scheduler/plugins/taint-toleration.js";
import { defaultProfile } from "../src/scheduler/profile.js";
import { fitErrorMessage, schedulePod } from "../src/scheduler/schedule-one.js";
import { node, pod } from "./fixtures/builders.js";

/** Runs PreFilter (a Skip passes) then Filter; returns the reasons, [] when the node passes. */
function run(pl: FilterPlugin & Partial<PreFilterPlugin>, p: Pod, ni: NodeInfo): string[] {
  const state = new CycleState();
  const pre = pl.preFilter?.(state, p, [ni]) ?? null;
  if (pre?.code === Code.Skip) return [];
  const s = pl.filter(state, p, ni);
  return s === null ? [] : [...s.reasons];
}

describe("resource requests", () => {
  it.each([
    { name: "sum of containers", pod: pod("p").requests({ cpu: "500m", memory: "1Gi" }).container("b", { cpu: "250m", memory: "512Mi" }), cpu: 750, mem: 1610612736 },
    { name: "limits stand in for missing requests", pod: pod("p").limits({ cpu: "2", memory: "1Gi" }), cpu: 2000, mem: 1073741824 },
    { name: "an init container larger than the sum wins", pod: pod("p").requests({ cpu: "1" }).initContainer("i", { cpu: "3" }), cpu: 3000, mem: 0 },
    { name: "a sidecar adds to the app containers", pod: pod("p").requests({ cpu: "1" }).initContainer("s", { cpu: "500m" }, true), cpu: 1500, mem: 0 },
    { name: "no requests is zero", pod: pod("p"), cpu: 0, mem: 0 },
  ])("$name", ({ pod: b, cpu, mem }) => {
    const r = podRequests(b.build());
    expect(r).toEqual({ cpuMilli: cpu, memory: mem });
  });

  it("non-zero requests fill missing cpu (100m) and memory (200Mi) per container, keep explicit zeros", () => {
    expect(nonZeroPodRequests(pod("p").build())).toEqual({ cpuMilli: 100, memory: 209715200 });
    // two containers, one with cpu only: 1000 + 100 cpu; 200Mi + 200Mi memory
    expect(nonZeroPodRequests(pod("p").requests({ cpu: "1" }).container("b").build())).toEqual({ cpuMilli: 1100, memory: 419430400 });
    expect(nonZeroPodRequests(pod("p").requests({ cpu: "0", memory: "0" }).build())).toEqual({ cpuMilli: 0, memory: 0 });
  });
});

describe("NodeUnschedulable", () => {
  const pl = new NodeUnschedulable();
  it("rejects a cordoned node", () => {
    expect(run(pl, pod("p").build(), new NodeInfo(node("n").unschedulable().build()))).toEqual(["node(s) were unschedulable"]);
  });
  it("passes pods that tolerate node.kubernetes.io/unschedulable:NoSchedule", () => {
    const p = pod("p").toleration({ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" }).build();
    expect(run(pl, p, new NodeInfo(node("n").unschedulable().build()))).toEqual([]);
  });
  it("passes schedulable nodes", () => {
    expect(run(pl, pod("p").build(), new NodeInfo(node("n").build()))).toEqual([]);
  });
});

describe("NodeName", () => {
  const pl = new NodeName();
  it("matches only the named node", () => {
    expect(run(pl, pod("p").on("n1").build(), new NodeInfo(node("n1").build()))).toEqual([]);
    expect(run(pl, pod("p").on("n1").build(), new NodeInfo(node("n2").build()))).toEqual(["node(s) didn't match the requested node name"]);
    expect(run(pl, pod("p").build(), new NodeInfo(node("n2").build()))).toEqual([]);
  });
});

describe("TaintToleration filter", () => {
  const pl = new TaintToleration();
  it("formats the first untolerated NoSchedule/NoExecute taint as upstream", () => {
    const ni = new NodeInfo(node("n").taint("soft", "x", "PreferNoSchedule").taint("dedicated", "gpu", "NoSchedule").taint("other", "y", "NoExecute").build());
    expect(run(pl, pod("p").build(), ni)).toEqual(["node(s) had untolerated taint {dedicated: gpu}"]);
  });
  it("prints an empty value as `{key: }`", () => {
    const ni = new NodeInfo(node("n").taint("node.kubernetes.io/unreachable", undefined, "NoExecute").build());
    expect(run(pl, pod("p").build(), ni)).toEqual(["node(s) had untolerated taint {node.kubernetes.io/unreachable: }"]);
  });
  it("ignores PreferNoSchedule and tolerated taints", () => {
    const ni = new NodeInfo(node("n").taint("soft", "x", "PreferNoSchedule").taint("dedicated", "gpu", "NoSchedule").build());
    expect(run(pl, pod("p").toleration({ key: "dedicated", value: "gpu", effect: "NoSchedule" }).build(), ni)).toEqual([]);
  });
  it("rejections are UnschedulableAndUnresolvable", () => {
    const s = pl.filter(new CycleState(), pod("p").build(), new NodeInfo(node("n").taint("k", "v", "NoSchedule").build()));
    expect(s?.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(s?.plugin).toBe("TaintToleration");
  });

  it.each([
    { tol: { key: "k", operator: "Equal" as const, value: "v" }, taint: { key: "k", value: "v", effect: "NoSchedule" as const }, want: true },
    { tol: { key: "k", value: "v" }, taint: { key: "k", value: "w", effect: "NoSchedule" as const }, want: false },
    { tol: { key: "k", operator: "Exists" as const }, taint: { key: "k", value: "any", effect: "NoExecute" as const }, want: true },
    { tol: { operator: "Exists" as const }, taint: { key: "whatever", effect: "NoSchedule" as const }, want: true },
    { tol: { key: "k", operator: "Exists" as const, effect: "NoSchedule" as const }, taint: { key: "k", effect: "NoExecute" as const }, want: false },
    { tol: { key: "k" }, taint: { key: "k", effect: "NoSchedule" as const }, want: true },
    { tol: { key: "other", operator: "Exists" as const }, taint: { key: "k", effect: "NoSchedule" as const }, want: false },
  ])("tolerates($tol, $taint) = $want", ({ tol, taint, want }) => {
    expect(tolerates(tol, taint)).toBe(want);
  });
});

describe("NodeAffinity filter", () => {
  const pl = new NodeAffinityPlugin();
  const msg = ["node(s) didn't match Pod's node affinity/selector"];
  const n = new NodeInfo(node("n1").zone("a").labels({ disk: "ssd", cores: "16" }).build());
  it.each([
    { name: "nodeSelector match", pod: pod("p").nodeSelector({ disk: "ssd" }), want: [] },
    { name: "nodeSelector mismatch", pod: pod("p").nodeSelector({ disk: "hdd" }), want: msg },
    { name: "In", pod: pod("p").requiredNodeAffinity({ key: "topology.kubernetes.io/zone", operator: "In", values: ["a", "b"] }), want: [] },
    { name: "NotIn", pod: pod("p").requiredNodeAffinity({ key: "topology.kubernetes.io/zone", operator: "NotIn", values: ["a"] }), want: msg },
    { name: "Exists", pod: pod("p").requiredNodeAffinity({ key: "disk", operator: "Exists" }), want: [] },
    { name: "DoesNotExist", pod: pod("p").requiredNodeAffinity({ key: "disk", operator: "DoesNotExist" }), want: msg },
    { name: "Gt", pod: pod("p").requiredNodeAffinity({ key: "cores", operator: "Gt", values: ["8"] }), want: [] },
    { name: "Lt", pod: pod("p").requiredNodeAffinity({ key: "cores", operator: "Lt", values: ["8"] }), want: msg },
    {
      name: "terms are ORed",
      pod: pod("p").requiredNodeAffinity({ key: "disk", operator: "In", values: ["hdd"] }).requiredNodeAffinity({ key: "disk", operator: "In", values: ["ssd"] }),
      want: [],
    },
    {
      name: "expressions of a term are ANDed",
      pod: pod("p").requiredNodeAffinity({ key: "disk", operator: "In", values: ["ssd"] }, { key: "cores", operator: "Gt", values: ["32"] }),
      want: msg,
    },
    { name: "selector and affinity must both hold", pod: pod("p").nodeSelector({ disk: "ssd" }).requiredNodeAffinity({ key: "disk", operator: "DoesNotExist" }), want: msg },
    { name: "no constraints", pod: pod("p"), want: [] },
  ])("$name", ({ pod: b, want }) => {
    expect(run(pl, b.build(), n)).toEqual(want);
  });
});

describe("NodeResourcesFit filter", () => {
  const pl = new NodeResourcesFit();
  const mk = (...pods: Pod[]) => new NodeInfo(node("n").capacity({ cpu: "4", memory: "8Gi", pods: "3" }).build(), ...pods);
  const used = (name: string, cpu: string, memory: string) => pod(name).requests({ cpu, memory }).on("n").build();
  it.each([
    { name: "exactly filling the node fits (requested + pod > allocatable fails, = does not)", node: () => mk(used("a", "3", "6Gi")), pod: pod("p").requests({ cpu: "1", memory: "2Gi" }), want: [] },
    { name: "one millicore too many", node: () => mk(used("a", "3", "6Gi")), pod: pod("p").requests({ cpu: "1001m" }), want: ["Insufficient cpu"] },
    { name: "memory", node: () => mk(used("a", "1", "7Gi")), pod: pod("p").requests({ memory: "2Gi" }), want: ["Insufficient memory"] },
    {
      name: "every failing resource is reported, pods first",
      node: () => mk(used("a", "3", "7Gi"), used("b", "0", "0"), used("c", "0", "0")),
      pod: pod("p").requests({ cpu: "2", memory: "2Gi" }),
      want: ["Too many pods", "Insufficient cpu", "Insufficient memory"],
    },
    { name: "a pod without requests fits an overcommitted node", node: () => mk(used("a", "5", "9Gi")), pod: pod("p"), want: [] },
    { name: "filtering uses real requests, not the scoring defaults", node: () => mk(pod("a").on("n").build(), pod("b").on("n").build()), pod: pod("p").requests({ cpu: "4" }), want: [] },
    { name: "init containers count as their max", node: () => mk(used("a", "2", "0")), pod: pod("p").requests({ cpu: "1" }).initContainer("i", { cpu: "3" }), want: ["Insufficient cpu"] },
  ])("$name", ({ node: n, pod: b, want }) => {
    expect(run(pl, b.build(), n())).toEqual(want);
  });

  it("a request larger than the whole node is UnschedulableAndUnresolvable, else Unschedulable", () => {
    const st = new CycleState();
    const big = pod("p").requests({ cpu: "5" }).build();
    pl.preFilter(st, big);
    expect(pl.filter(st, big, mk())?.code).toBe(Code.UnschedulableAndUnresolvable);
    const st2 = new CycleState();
    const small = pod("q").requests({ cpu: "2" }).build();
    pl.preFilter(st2, small);
    expect(pl.filter(st2, small, mk(used("a", "3", "0")))?.code).toBe(Code.Unschedulable);
  });
});

describe("FitError messages", () => {
  const fwk = defaultProfile();
  const fail = (p: Pod, nodes: NodeInfo[]) => {
    const r = schedulePod(fwk, new CycleState(), p, nodes, { nextStartNodeIndex: 0 }, () => 0, 0);
    if (r.kind !== "unschedulable") throw new Error(`expected a FitError, got ${r.kind}`);
    return r.error;
  };

  it("0/3 nodes are available: 3 Insufficient cpu.", () => {
    const nodes = ["a", "b", "c"].map((n) => new NodeInfo(node(n).capacity({ cpu: "2" }).build()));
    expect(fail(pod("p").requests({ cpu: "3" }).build(), nodes).message).toBe("0/3 nodes are available: 3 Insufficient cpu.");
  });

  it("counts per reason, sorted as strings", () => {
    const nodes = [
      ...["a", "b"].map((n) => new NodeInfo(node(n).capacity({ cpu: "2" }).build())),
      ...["c", "d", "e"].map((n) => new NodeInfo(node(n).taint("node.kubernetes.io/unreachable", undefined, "NoExecute").build())),
    ];
    const e = fail(pod("p").requests({ cpu: "3" }).build(), nodes);
    expect(e.message).toBe("0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.");
    expect([...e.unschedulablePlugins].sort()).toEqual(["NodeResourcesFit", "TaintToleration"]);
    expect(e.nodeToStatus.get("c")?.message()).toBe("node(s) had untolerated taint {node.kubernetes.io/unreachable: }");
  });

  it("a node failing several resources counts in each", () => {
    const nodes = [new NodeInfo(node("a").capacity({ cpu: "2", memory: "1Gi" }).build()), new NodeInfo(node("b").capacity({ cpu: "2", memory: "8Gi" }).build())];
    expect(fail(pod("p").requests({ cpu: "3", memory: "2Gi" }).build(), nodes).message).toBe("0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.");
  });

  it("filtering stops at the first rejecting plugin, in upstream order", () => {
    const nodes = [new NodeInfo(node("a").unschedulable().taint("k", "v", "NoSchedule").capacity({ cpu: "1" }).build())];
    expect(fail(pod("p").requests({ cpu: "3" }).build(), nodes).message).toBe("0/1 nodes are available: 1 node(s) were unschedulable.");
  });

  it("sorts counts as Go's sort.Strings does: 10 before 9", () => {
    const m = new Map([
      ["Insufficient cpu", 9],
      ["node(s) were unschedulable", 10],
    ]);
    expect(fitErrorMessage(19, m)).toBe("0/19 nodes are available: 10 node(s) were unschedulable, 9 Insufficient cpu.");
  });

  it("no nodes at all is an error, not a FitError", () => {
    const r = schedulePod(fwk, new CycleState(), pod("p").build(), [], { nextStartNodeIndex: 0 }, () => 0, 0);
    expect(r).toEqual({ kind: "error", message: "no nodes available to schedule pods", noNodes: true });
  });
});
