import { describe, expect, it } from "vitest";
import { ControlPlane } from "../src/api/control-plane.js";
import { Informer } from "../src/api/informer.js";
import type { Lease } from "../src/api/types.js";
import { Simulation } from "../src/engine/simulation.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";

const lease = (name: string, renewTime: string): Lease => ({
  apiVersion: "coordination.k8s.io/v1",
  kind: "Lease",
  metadata: { name, namespace: "kube-node-lease" },
  spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime },
});

describe("informer", () => {
  function setup(latency: number) {
    const sim = new Simulation(1);
    const cp = new ControlPlane(sim, { ...DEFAULT_SETTINGS, informerLatency: latency }, 0);
    const inf = new Informer<Lease>("Lease", cp.store, (n, h) => sim.register(n, h), "test-informer", latency);
    const writer = sim.register<string>("writer", (t) => void cp.api.create(lease(`n-${t}`, t)));
    return { sim, cp, inf, writer };
  }

  it("delivers writes `latency` ms later, in write order, to handlers in their own event", () => {
    const { sim, inf, writer } = setup(250);
    const seen: [number, string][] = [];
    inf.addHandlers({ onAdd: (l) => seen.push([sim.now, l.metadata.name]) });
    writer.scheduleAt(1000, "a");
    writer.scheduleAt(1000, "b");
    writer.scheduleAt(1100, "c");
    sim.run(2000);
    // Written at 1000, 1000, 1100; seen 250 ms later each.
    expect(seen).toEqual([
      [1250, "n-a"],
      [1250, "n-b"],
      [1350, "n-c"],
    ]);
  });

  it("a cache without handlers shows exactly the writes due by the time it is read, with no engine event", () => {
    const { sim, inf, writer } = setup(250);
    writer.scheduleAt(1000, "a");
    const reads: [number, number][] = [];
    const reader = sim.register<null>("reader", () => reads.push([sim.now, inf.size]));
    for (const t of [1000, 1249, 1250, 2000]) reader.scheduleAt(t, null);
    const stats = sim.run(3000);
    // Due at 1250: not visible at 1000 or 1249, visible from 1250. Events: 1 write + 4 reads, no delivery event.
    expect(reads).toEqual([
      [1000, 0],
      [1249, 0],
      [1250, 1],
      [2000, 1],
    ]);
    expect(stats.events).toBe(5);
  });

  it("writes queued before the first handler are still delivered to it", () => {
    const { sim, inf, writer } = setup(250);
    writer.scheduleAt(0, "early");
    sim.run(100);
    const seen: string[] = [];
    inf.addHandlers({ onAdd: (l) => seen.push(`${sim.now}:${l.metadata.name}`) });
    sim.run(1000);
    expect(seen).toEqual(["250:n-early"]);
  });
});
