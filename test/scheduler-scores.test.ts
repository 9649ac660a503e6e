import { describe, expect, it } from "vitest";
import { podRequests } from "../src/api/resources.js";
import { stream } from "../src/engine/rng.js";
import { CycleState, NodeInfo, SKIP } from "../src/scheduler/framework.js";
import { BalancedAllocation } from "../src/scheduler/plugins/balanced-allocation.js";
import { NodeAffinityPlugin } from "../src/scheduler/plugins/node-affinity.js";
import { NodeResourcesFit } from "../src/scheduler/plugins/node-resources-fit.js";
import { TaintToleration } from "../src/scheduler/plugins/taint-toleration.js";
import { defaultProfile } from "../src/scheduler/profile.js";
import { prioritizeNodes, schedulePod } from "../src/scheduler/schedule-one.js";
import type { Pod } from "../src/api/types.js";
import type { ScorePlugin, PreScorePlugin } from "../src/scheduler/framework.js";
import { node, pod } from "./fixtures/builders.js";

/** Runs PreScore + Score (+ NormalizeScore) of one plugin over nodes, as the framework does. */
function scores(pl: ScorePlugin & Partial<PreScorePlugin>, p: Pod, nodes: NodeInfo[]): number[] | "skip" {
  const state = new CycleState();
  const s = pl.preScore?.(state, p, nodes) ?? null;
  if (s === SKIP) return "skip";
  const out = nodes.map((n) => pl.score(state, p, n));
  pl.normalizeScore?.(state, p, out);
  return out;
}

const n4x10k = () => new NodeInfo(node("n1").capacity({ cpu: "4", memory: "10000" }).build());
const n6x10k = (...pods: Pod[]) => new NodeInfo(node("n2").capacity({ cpu: "6", memory: "10000" }).build(), ...pods);

describe("NodeResourcesFit LeastAllocated (default)", () => {
  const fit = new NodeResourcesFit();
  it.each([
    {
      name: "empty node, pod 3 cpu / 5000 bytes",
      // CPU: ((4000 - 3000) * 100) / 4000 = 25; Memory: ((10000 - 5000) * 100) / 10000 = 50; (25 + 50) / 2 = 37
      node: n4x10k,
      pod: pod("p").requests({ cpu: "3", memory: "5000" }).build(),
      want: 37,
    },
    {
      name: "requested includes pods already on the node",
      // CPU: ((6000 - (3000 + 1000)) * 100) / 6000 = 33; Memory: ((10000 - (5000 + 2000)) * 100) / 10000 = 30;
      // (33 + 30) / 2 = 31
      node: () => n6x10k(pod("old").requests({ cpu: "3", memory: "5000" }).on("n2").build()),
      pod: pod("p").requests({ cpu: "1", memory: "2000" }).build(),
      want: 31,
    },
    {
      name: "a pod without requests counts 100m and 200Mi",
      // CPU: ((4000 - 100) * 100) / 4000 = 97; Memory: ((17179869184 - 209715200) * 100) / 17179869184 = 98;
      // (97 + 98) / 2 = 97
      node: () => new NodeInfo(node("n").capacity({ cpu: "4", memory: "16Gi" }).build()),
      pod: pod("p").build(),
      want: 97,
    },
    {
      name: "requested above capacity scores 0 for that resource",
      // CPU: 5000 > 4000 -> 0; Memory: ((10000 - 5000) * 100) / 10000 = 50; (0 + 50) / 2 = 25
      node: n4x10k,
      pod: pod("p").requests({ cpu: "5", memory: "5000" }).build(),
      want: 25,
    },
    {
      name: "an existing pod without requests counts its non-zero defaults",
      // existing: 100m, 209715200; incoming 1 cpu, 1Gi. Node 4 cpu, 16Gi.
      // CPU: ((4000 - 1100) * 100) / 4000 = 72; Memory: ((17179869184 - 1283457024) * 100) / 17179869184 = 92;
      // (72 + 92) / 2 = 82
      node: () => new NodeInfo(node("n").capacity({ cpu: "4", memory: "16Gi" }).build(), pod("old").on("n").build()),
      pod: pod("p").requests({ cpu: "1", memory: "1Gi" }).build(),
      want: 82,
    },
  ])("$name -> $want", ({ node: mk, pod: p, want }) => {
    expect(scores(fit, p, [mk()])).toEqual([want]);
  });

  it("weights resources: cpu 2, memory 1", () => {
    const weighted = new NodeResourcesFit({ scoringStrategy: { type: "LeastAllocated", resources: [{ name: "cpu", weight: 2 }, { name: "memory", weight: 1 }] } });
    // CPU: 25 x 2 = 50; Memory: 50 x 1 = 50; (50 + 50) / 3 = 33
    expect(scores(weighted, pod("p").requests({ cpu: "3", memory: "5000" }).build(), [n4x10k()])).toEqual([33]);
  });

  it("rejects an unknown strategy or resource at construction", () => {
    expect(() => new NodeResourcesFit({ scoringStrategy: { type: "Nope" as never, resources: [] } })).toThrow(/unsupported scoring strategy/);
    expect(() => new NodeResourcesFit({ scoringStrategy: { type: "MostAllocated", resources: [{ name: "gpu" as never, weight: 1 }] } })).toThrow(/unsupported resource/);
  });
});

describe("NodeResourcesFit MostAllocated", () => {
  const most = new NodeResourcesFit({ scoringStrategy: { type: "MostAllocated", resources: [{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }] } });
  it.each([
    {
      name: "empty node, pod 3 cpu / 5000 bytes",
      // CPU: (3000 * 100) / 4000 = 75; Memory: (5000 * 100) / 10000 = 50; (75 + 50) / 2 = 62
      node: n4x10k,
      pod: pod("p").requests({ cpu: "3", memory: "5000" }).build(),
      want: 62,
    },
    {
      name: "requested is clamped to capacity",
      // CPU: min(5000, 4000) = 4000 -> (4000 * 100) / 4000 = 100; Memory: 50; (100 + 50) / 2 = 75
      node: n4x10k,
      pod: pod("p").requests({ cpu: "5", memory: "5000" }).build(),
      want: 75,
    },
    {
      name: "with pods already on the node",
      // CPU: (4000 * 100) / 6000 = 66; Memory: (7000 * 100) / 10000 = 70; (66 + 70) / 2 = 68
      node: () => n6x10k(pod("old").requests({ cpu: "3", memory: "5000" }).on("n2").build()),
      pod: pod("p").requests({ cpu: "1", memory: "2000" }).build(),
      want: 68,
    },
  ])("$name -> $want", ({ node: mk, pod: p, want }) => {
    expect(scores(most, p, [mk()])).toEqual([want]);
  });
});

describe("NodeResourcesBalancedAllocation", () => {
  const ba = new BalancedAllocation();
  it.each([
    {
      name: "fractions 0.75 and 0.5",
      // CPU 3000 / 4000 = 0.75; Memory 5000 / 10000 = 0.5; std = |0.75 - 0.5| / 2 = 0.125; (1 - 0.125) * 100 = 87
      node: n4x10k,
      pod: pod("p").requests({ cpu: "3", memory: "5000" }).build(),
      want: 87,
    },
    {
      name: "real requests of pods on the node count",
      // CPU 4000 / 6000 = 0.667; Memory 7000 / 10000 = 0.7; std = 0.0167; (1 - 0.0167) * 100 = 98
      node: () => n6x10k(pod("old").requests({ cpu: "3", memory: "5000" }).on("n2").build()),
      pod: pod("p").requests({ cpu: "1", memory: "2000" }).build(),
      want: 98,
    },
    {
      name: "fractions are capped at 1",
      // CPU 5000 / 4000 -> 1; Memory 0.5; std = 0.25; (1 - 0.25) * 100 = 75
      node: n4x10k,
      pod: pod("p").requests({ cpu: "5", memory: "5000" }).build(),
      want: 75,
    },
    {
      name: "pods without requests add nothing to the node's real requests",
      // existing pod has no requests (real 0); CPU 2000 / 4000 = 0.5; Memory 5000 / 10000 = 0.5; std 0 -> 100
      node: () => new NodeInfo(node("n1").capacity({ cpu: "4", memory: "10000" }).build(), pod("old").on("n1").build()),
      pod: pod("p").requests({ cpu: "2", memory: "5000" }).build(),
      want: 100,
    },
  ])("$name -> $want", ({ node: mk, pod: p, want }) => {
    expect(scores(ba, p, [mk()])).toEqual([want]);
  });

  it("skips best-effort pods at PreScore (kubernetes#129138)", () => {
    expect(scores(ba, pod("p").build(), [n4x10k()])).toBe("skip");
  });
});

describe("TaintToleration score", () => {
  const tt = new TaintToleration();
  const nodes = () => [
    new NodeInfo(node("n1").build()),
    new NodeInfo(node("n2").taint("a", "1", "PreferNoSchedule").taint("x", "1", "NoSchedule").build()),
    new NodeInfo(node("n3").taint("a", "1", "PreferNoSchedule").taint("b", "2", "PreferNoSchedule").build()),
  ];
  it("counts intolerable PreferNoSchedule taints, normalised reversed", () => {
    // raw 0, 1, 2 (NoSchedule is the filter's business); max 2: 100 - 100*0/2 = 100, 100 - 100*1/2 = 50, 100 - 100 = 0
    expect(scores(tt, pod("p").build(), nodes())).toEqual([100, 50, 0]);
  });
  it("tolerated taints do not count; NoSchedule-only tolerations do not help scoring", () => {
    const p = pod("p").toleration({ key: "b", operator: "Exists" }).toleration({ key: "a", operator: "Exists", effect: "NoSchedule" }).build();
    // raw 0, 1, 1 -> 100, 100 - 100 = 0, 0
    expect(scores(tt, p, nodes())).toEqual([100, 0, 0]);
  });
  it("all zero -> every node 100", () => {
    expect(scores(tt, pod("p").toleration({ operator: "Exists" }).build(), nodes())).toEqual([100, 100, 100]);
  });
});

describe("NodeAffinity score", () => {
  const na = new NodeAffinityPlugin();
  it("sums weights of matching preferred terms, normalised to 100", () => {
    const p = pod("p")
      .preferredNodeAffinity(2, { key: "topology.kubernetes.io/zone", operator: "In", values: ["a"] })
      .preferredNodeAffinity(5, { key: "disk", operator: "In", values: ["ssd"] })
      .build();
    const nodes = [
      new NodeInfo(node("n1").zone("a").build()),
      new NodeInfo(node("n2").labels({ disk: "ssd" }).build()),
      new NodeInfo(node("n3").zone("a").labels({ disk: "ssd" }).build()),
      new NodeInfo(node("n4").build()),
    ];
    // raw 2, 5, 7, 0; max 7: 100*2/7 = 28, 100*5/7 = 71, 100, 0
    expect(scores(na, p, nodes)).toEqual([28, 71, 100, 0]);
  });
  it("skips pods without preferred terms", () => {
    expect(scores(na, pod("p").build(), [n4x10k()])).toBe("skip");
  });
});

describe("default profile totals", () => {
  it("weights TaintToleration 3, NodeAffinity 2, Fit 1, Balanced 1", () => {
    const fwk = defaultProfile();
    const p = pod("p").requests({ cpu: "3", memory: "5000" }).build();
    const ni = [n4x10k(), new NodeInfo(node("n2").capacity({ cpu: "4", memory: "10000" }).taint("a", "", "PreferNoSchedule").build())];
    // n1: TaintToleration 100 x 3 + NodeAffinity skipped + LeastAllocated 37 x 1 + Balanced 87 x 1 = 424
    // n2: TaintToleration 0 x 3 + 37 + 87 = 124
    expect([...prioritizeNodes(fwk, new CycleState(), p, ni)]).toEqual([424, 124]);
  });
});

describe("a random small workload", () => {
  it("never puts a node over its allocatable", () => {
    const rng = stream(7, "test/workload");
    const fwk = defaultProfile();
    const nodes: NodeInfo[] = [];
    for (let i = 0; i < 12; i++) {
      const cpu = 1 + Math.floor(rng() * 8);
      const memGi = 1 + Math.floor(rng() * 16);
      const pods = String(2 + Math.floor(rng() * 10));
      nodes.push(new NodeInfo(node(`n${i}`).capacity({ cpu: String(cpu), memory: `${memGi}Gi`, pods }).build()));
    }
    const algo = { nextStartNodeIndex: 0 };
    let placed = 0;
    let failed = 0;
    for (let i = 0; i < 300; i++) {
      const b = pod(`p${i}`);
      if (rng() < 0.8) b.requests({ cpu: `${50 + Math.floor(rng() * 2000)}m`, memory: `${64 + Math.floor(rng() * 2048)}Mi` });
      const p = b.build();
      const r = schedulePod(fwk, new CycleState(), p, nodes, algo, rng, 0);
      if (r.kind === "scheduled") {
        r.node.addPod({ ...p, spec: { ...p.spec, nodeName: r.node.name } });
        placed++;
      } else {
        failed++;
      }
    }
    expect(placed).toBeGreaterThan(50);
    expect(failed).toBeGreaterThan(0);
    for (const ni of nodes) {
      expect(ni.requested.cpuMilli).toBeLessThanOrEqual(ni.allocatable.cpuMilli);
      expect(ni.requested.memory).toBeLessThanOrEqual(ni.allocatable.memory);
      expect(ni.requested.pods).toBeLessThanOrEqual(ni.allocatable.pods);
      // The incremental sums equal a recomputation over the node's pods.
      const sum = [...ni.pods.values()].reduce((a, q) => a + podRequests(q).cpuMilli, 0);
      expect(ni.requested.cpuMilli).toBe(sum);
    }
  });
});
