import { describe, expect, it } from "vitest";
import { stream } from "../src/engine/rng.js";
import { CycleState, NodeInfo, type PreScorePlugin, type ScorePlugin } from "../src/scheduler/framework.js";
import { defaultProfile } from "../src/scheduler/profile.js";
import { NodeResourcesFit } from "../src/scheduler/plugins/node-resources-fit.js";
import { nonZeroPodRequests } from "../src/api/resources.js";
import { node, pod } from "./fixtures/builders.js";

/**
 * `scoreAll` is a speed path: for every plugin that has one, it must give exactly what `score` gives node by node.
 * Checked on random clusters (seeded, so a failure replays): node sizes, pods already placed, PreferNoSchedule
 * taints, and incoming pods with and without requests and tolerations.
 */
describe("batch scoring equals per-node scoring", () => {
  const rng = stream(1, "test/score-batch");
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

  for (let round = 0; round < 20; round++) {
    it(`random cluster ${round}`, () => {
      const nodes: NodeInfo[] = [];
      for (let i = 0; i < 40; i++) {
        const b = node(`n${i}`).capacity({ cpu: pick(["2", "4", "8", "16"]), memory: pick(["4Gi", "16Gi", "64Gi"]) });
        if (rng() < 0.3) b.taint(pick(["a", "b"]), pick(["x", undefined]), "PreferNoSchedule");
        const placed = Array.from({ length: Math.floor(rng() * 5) }, (_, k) =>
          pod(`p${i}-${k}`).requests({ cpu: pick(["100m", "500m", "1"]), memory: pick(["128Mi", "1Gi"]) }).on(`n${i}`).build(),
        );
        nodes.push(new NodeInfo(b.build(), ...placed));
      }
      const incoming = pod("new");
      if (rng() < 0.7) incoming.requests({ cpu: pick(["250m", "2"]), memory: pick(["256Mi", "2Gi"]) });
      if (rng() < 0.5) incoming.toleration({ key: "a", operator: "Exists", effect: "PreferNoSchedule" });
      const p = incoming.build();
      // Alternate strategies and weights, so the folded weights of NodeResourcesFit's batch path are exercised.
      const fwk = defaultProfile(
        round % 2 === 0
          ? {}
          : { scoringStrategy: { type: round % 4 === 1 ? "MostAllocated" : "LeastAllocated", resources: [{ name: "cpu", weight: 3 }, { name: "memory", weight: 1 + (round % 3) }] } },
      );
      let batched = 0;
      for (const { plugin } of fwk.scorePlugins) {
        const pl = plugin as ScorePlugin & Partial<PreScorePlugin>;
        if (!pl.scoreAll) continue;
        batched++;
        const state = new CycleState();
        pl.preScore?.(state, p, nodes);
        const one = nodes.map((n) => pl.score(state, p, n));
        const all = new Array<number>(nodes.length).fill(-1);
        pl.scoreAll(state, p, nodes, nodes.length, all);
        expect(all, pl.name).toEqual(one);
        if (pl instanceof NodeResourcesFit) {
          // And the folded arithmetic equals the upstream sum over the strategy's entries, written out here.
          const ref = nodes.map((ni) => {
            const req = nonZeroPodRequests(p);
            let sum = 0;
            let w = 0;
            for (const r of pl.strategy.resources) {
              const cap = r.name === "cpu" ? ni.allocatable.cpuMilli : ni.allocatable.memory;
              if (cap === 0) continue;
              const used = (r.name === "cpu" ? ni.nonZeroRequested.cpuMilli + req.cpuMilli : ni.nonZeroRequested.memory + req.memory);
              const s = pl.strategy.type === "MostAllocated" ? Math.trunc((Math.min(used, cap) * 100) / cap) : used > cap ? 0 : Math.trunc(((cap - used) * 100) / cap);
              sum += s * r.weight;
              w += r.weight;
            }
            return w === 0 ? 0 : Math.trunc(sum / w);
          });
          expect(one, "NodeResourcesFit vs the per-entry sum").toEqual(ref);
        }
      }
      expect(batched).toBeGreaterThanOrEqual(3);
    });
  }
});

describe("filters that declare passesPlainNodes pass every plain node", () => {
  const rng = stream(2, "test/plain-filters");
  it("for random pods against schedulable, untainted nodes of any size and load", () => {
    const fwk = defaultProfile();
    const declared = fwk.filterPlugins.filter((f) => f.passesPlainNodes);
    expect(declared.map((f) => f.name).sort()).toEqual(["NodeUnschedulable", "TaintToleration"]);
    for (let i = 0; i < 200; i++) {
      const ni = new NodeInfo(
        node(`n${i}`).capacity({ cpu: rng() < 0.5 ? "1" : "8", memory: "2Gi" }).build(),
        ...Array.from({ length: Math.floor(rng() * 3) }, (_, k) => pod(`p${i}-${k}`).requests({ cpu: "500m" }).on(`n${i}`).build()),
      );
      expect(ni.plain).toBe(true);
      const p = pod("x").requests({ cpu: rng() < 0.5 ? "100m" : "16" });
      if (rng() < 0.5) p.toleration({ key: "k", operator: "Exists", effect: "NoSchedule" });
      const built = p.build();
      const state = new CycleState();
      for (const f of declared) expect(f.filter(state, built, ni), f.name).toBeNull();
    }
    const tainted = new NodeInfo(node("t").taint("k", "v", "NoSchedule").build());
    const cordoned = new NodeInfo(node("c").unschedulable().build());
    expect([tainted.plain, cordoned.plain]).toEqual([false, false]);
  });
});
