import { it } from "vitest";
import { CycleState, NodeInfo } from "../src/scheduler/framework.js";
import { defaultProfile } from "../src/scheduler/profile.js";
import { ScheduleScratch, schedulePod } from "../src/scheduler/schedule-one.js";
import { stream } from "../src/engine/rng.js";
import { node, pod } from "./fixtures/builders.js";

it("algo perf", () => {
  const N = 1000, P = 30000;
  const zones = ["a", "b", "c"];
  const nodes = Array.from({ length: N }, (_, i) => new NodeInfo(node(`n${i}`).capacity({ cpu: "32", memory: "128Gi", pods: "110" }).zone(zones[i % 3]).build()));
  const fwk = defaultProfile();
  const state = new CycleState();
  const scratch = new ScheduleScratch();
  const algo = { nextStartNodeIndex: 0 };
  const rng = stream(1, "x");
  const tmpl = pod("x").requests({ cpu: "500m", memory: "1Gi" }).build();
  const t0 = performance.now();
  for (let i = 0; i < P; i++) {
    const p = { ...tmpl, metadata: { ...tmpl.metadata, name: `p${i}` } };
    state.reset();
    const r = schedulePod(fwk, state, p, nodes, algo, rng, 0, scratch);
    if (r.kind === "scheduled") r.node.addPod({ ...p, spec: { ...p.spec, nodeName: r.node.name } });
  }
  console.log(`algo ${(performance.now() - t0).toFixed(0)}ms`);
}, 600_000);
