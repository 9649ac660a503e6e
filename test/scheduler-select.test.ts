import { describe, expect, it } from "vitest";
import { stream } from "../src/engine/rng.js";
import { NodeTree } from "../src/scheduler/cache.js";
import { CycleState, NodeInfo } from "../src/scheduler/framework.js";
import { defaultProfile } from "../src/scheduler/profile.js";
import { findNodesThatFit, numFeasibleNodesToFind, schedulePod, selectHost } from "../src/scheduler/schedule-one.js";
import { node, pod } from "./fixtures/builders.js";

describe("numFeasibleNodesToFind", () => {
  it.each([
    { nodes: 50, pct: 0, want: 50 }, // under 100: all
    { nodes: 99, pct: 0, want: 99 },
    { nodes: 100, pct: 0, want: 100 }, // 50 - 0 = 50% -> 50, raised to the minimum 100
    { nodes: 1000, pct: 0, want: 420 }, // 50 - 1000/125 = 42% -> 420
    { nodes: 5000, pct: 0, want: 500 }, // 50 - 40 = 10% -> 500
    { nodes: 6000, pct: 0, want: 300 }, // 50 - 48 = 2% -> floor 5% -> 300
    { nodes: 1000, pct: 30, want: 300 },
    { nodes: 1000, pct: 5, want: 100 }, // 50, raised to 100
    { nodes: 1000, pct: 100, want: 1000 },
  ])("$nodes nodes at $pct% -> $want", ({ nodes, pct, want }) => {
    expect(numFeasibleNodesToFind(nodes, pct)).toBe(want);
  });
});

describe("selectHost", () => {
  it("a unique maximum wins without drawing", () => {
    expect(selectHost([3, 9, 1], () => { throw new Error("no draw expected"); })).toBe(1);
  });

  it("is deterministic for a seed and uniform among ties", () => {
    const totals = [5, 9, 9, 2, 9];
    const a = stream(42, "tie");
    const b = stream(42, "tie");
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const x = selectHost(totals, a);
      expect(selectHost(totals, b)).toBe(x);
      counts[x]++;
    }
    expect(counts[0] + counts[3]).toBe(0);
    for (const i of [1, 2, 4]) expect(counts[i]).toBeGreaterThan(850); // ~1000 each
  });

  it("returns -1 for no nodes", () => {
    expect(selectHost([], () => 0)).toBe(-1);
  });
});

describe("round-robin start index", () => {
  const nodes = Array.from({ length: 200 }, (_, i) => new NodeInfo(node(`n${i}`).build()));
  it("stops after numFeasibleNodesToFind and advances by the nodes processed", () => {
    const algo = { nextStartNodeIndex: 0 };
    const fwk = defaultProfile();
    const r1 = schedulePod(fwk, new CycleState(), pod("a").build(), nodes, algo, () => 0, 0);
    expect(r1.kind === "scheduled" && r1.feasibleNodes).toBe(100); // 200 nodes: max(100, 200 * 48%) = 100
    expect(algo.nextStartNodeIndex).toBe(100);
    schedulePod(fwk, new CycleState(), pod("b").build(), nodes, algo, () => 0, 0);
    expect(algo.nextStartNodeIndex).toBe(0); // (100 + 100) % 200
  });

  it("counts rejected nodes as processed", () => {
    const mixed = Array.from({ length: 150 }, (_, i) => new NodeInfo(i % 3 === 0 ? node(`n${i}`).unschedulable().build() : node(`n${i}`).build()));
    const r = findNodesThatFit(defaultProfile(), new CycleState(), pod("a").build(), mixed, 10, 100);
    expect(r.feasible.length).toBe(100);
    expect(r.processed).toBe(100 + r.diagnosis.count);
    expect(r.feasible[0].name).toBe("n10");
  });
});

describe("node order (node tree)", () => {
  it("interleaves zones, keeping add order within a zone", () => {
    const t = new NodeTree();
    for (const [n, z] of [["a1", "a"], ["a2", "a"], ["a3", "a"], ["b1", "b"], ["c1", "c"], ["b2", "b"]]) t.addNode(node(n).zone(z).build());
    expect(t.list()).toEqual(["a1", "b1", "c1", "a2", "b2", "a3"]);
    t.removeNode(node("b1").zone("b").build());
    expect(t.list()).toEqual(["a1", "b2", "c1", "a2", "a3"]);
  });
});
