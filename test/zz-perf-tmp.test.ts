import { it } from "vitest";
import { ControlPlane } from "../src/api/control-plane.js";
import { Simulation } from "../src/engine/simulation.js";
import { Scheduler } from "../src/scheduler/scheduler.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { node, pod } from "./fixtures/builders.js";

const N = Number(process.env.NODES ?? 1000), P = Number(process.env.PODS ?? 30000);
it("perf", () => {
  const sim = new Simulation(1);
  const cp = new ControlPlane(sim, { ...DEFAULT_SETTINGS }, 0);
  const s = new Scheduler(cp);
  const zones = ["a", "b", "c"];
  for (let i = 0; i < N; i++) cp.api.create(node(`n${i}`).capacity({ cpu: "32", memory: "128Gi", pods: "110" }).zone(zones[i % 3]).build());
  const t0 = performance.now();
  const tmpl = pod("x").requests({ cpu: "500m", memory: "1Gi" });
  for (let i = 0; i < P; i++) {
    const p = tmpl.build();
    p.metadata.name = `p${i}`;
    cp.api.create(p);
  }
  const t1 = performance.now();
  sim.run(600_000);
  const t2 = performance.now();
  console.log(`create ${(t1 - t0).toFixed(0)}ms schedule ${(t2 - t1).toFixed(0)}ms`, s.stats.scheduled, s.stats.failedAttempts, s.queueCounts(), sim.eventsProcessed);
}, 600_000);
