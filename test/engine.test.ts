import { describe, expect, it } from "vitest";
import { Simulation, StalledError } from "../src/engine/simulation.js";
import { stream } from "../src/engine/rng.js";

describe("event loop ordering", () => {
  it("runs equal-time events in the order they were scheduled", () => {
    const sim = new Simulation(1);
    const seen: string[] = [];
    const a = sim.register<string>("a", (e) => seen.push(e));
    const b = sim.register<string>("b", (e) => seen.push(e));
    a.schedule(10, "a1");
    b.schedule(10, "b1");
    a.schedule(5, "a0");
    b.schedule(10, "b2");
    a.schedule(10, "a2");
    sim.run(100);
    expect(seen).toEqual(["a0", "a1", "b1", "b2", "a2"]);
  });

  it("orders by time first, whatever the insertion order", () => {
    const sim = new Simulation(1);
    const seen: number[] = [];
    const c = sim.register<number>("c", (t) => {
      expect(sim.now).toBe(t);
      seen.push(t);
    });
    for (const t of [30, 10, 20, 10, 0, 30]) c.scheduleAt(t, t);
    sim.run(30);
    expect(seen).toEqual([0, 10, 10, 20, 30, 30]);
  });

  it("keeps FIFO order among many ties across slot reuse", () => {
    const sim = new Simulation(1);
    const seen: number[] = [];
    const c = sim.register<number>("c", (i) => seen.push(i));
    for (let i = 0; i < 5000; i++) c.schedule(0, i);
    sim.run(0);
    for (let i = 5000; i < 10000; i++) c.schedule(1, i);
    sim.run(1);
    expect(seen).toEqual(Array.from({ length: 10000 }, (_, i) => i));
  });

  it("refuses to schedule into the past", () => {
    const sim = new Simulation(1);
    const c = sim.register<null>("c", () => {});
    c.schedule(100, null);
    sim.run(100);
    expect(() => c.scheduleAt(99, null)).toThrow(/cannot schedule at 99 ms, now is 100 ms/);
    expect(() => c.schedule(-1, null)).toThrow(RangeError);
    expect(() => sim.run(50)).toThrow(RangeError);
  });

  it("skips cancelled events and does not count them", () => {
    const sim = new Simulation(1);
    const seen: string[] = [];
    const c = sim.register<string>("c", (e) => seen.push(e));
    c.schedule(1, "keep");
    const id = c.schedule(1, "drop");
    c.cancel(id);
    expect(sim.run(10).events).toBe(1);
    expect(seen).toEqual(["keep"]);
  });

  it("runs events at exactly `until` and leaves the clock there", () => {
    const sim = new Simulation(1);
    const seen: number[] = [];
    const c = sim.register<number>("c", (e) => seen.push(e));
    c.scheduleAt(50, 50);
    c.scheduleAt(51, 51);
    expect(sim.run(50).now).toBe(50);
    expect(seen).toEqual([50]);
  });

  it("propagates a handler's exception (nothing is swallowed)", () => {
    const sim = new Simulation(1);
    const c = sim.register<null>("c", () => {
      throw new Error("boom");
    });
    c.schedule(0, null);
    expect(() => sim.run(1)).toThrow("boom");
  });
});

describe("random streams and digest", () => {
  it("derives each stream from seed and name, independent of other streams", () => {
    const a1 = stream(42, "scheduler");
    const a2 = stream(42, "scheduler");
    const other = stream(42, "kubelet/worker-1");
    other();
    other();
    const xs = [a1(), a1(), a1()];
    expect([a2(), a2(), a2()]).toEqual(xs);
    expect(stream(43, "scheduler")()).not.toBe(xs[0]);
  });

  it("gives the same digest for the same run and a different one when an event moves", () => {
    const run = (delay: number) => {
      const sim = new Simulation(7);
      const c = sim.register<number>("c", () => {});
      c.schedule(10, 0);
      c.schedule(delay, 1);
      sim.run(100);
      return sim.digest.hex();
    };
    expect(run(20)).toBe(run(20));
    expect(run(20)).not.toBe(run(21));
    expect(run(20)).toMatch(/^[0-9a-f]{16}$/);
  });

  it("refuses two components with the same name (they would share a random stream)", () => {
    const sim = new Simulation(1);
    sim.register("x", () => {});
    expect(() => sim.register("x", () => {})).toThrow(/registered twice/);
  });
});

describe("a stalled instant", () => {
  it("throws StalledError once more events than the limit run at one virtual time, naming the time", () => {
    const sim = new Simulation(1);
    // Two components answering each other with zero delay: time can never advance.
    const ping: { ctx?: ReturnType<typeof sim.register<null>> } = {};
    const pong = sim.register<null>("pong", () => ping.ctx!.schedule(0, null));
    ping.ctx = sim.register<null>("ping", () => pong.schedule(0, null));
    ping.ctx.scheduleAt(5, null);
    sim.setInstantLimit(1000);
    let err: unknown;
    try {
      sim.run(10);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StalledError);
    // The first event at t=5 opens the instant; 1000 more are allowed; the 1001st extra one throws.
    expect(err).toMatchObject({ time: 5, events: 1001 });
  });

  it("does not fire on many events spread over time, or on a large instant within the limit", () => {
    const sim = new Simulation(1);
    let n = 0;
    const c = sim.register<number>("c", (t) => {
      n++;
      if (t < 5000) c.schedule(t % 2 === 0 ? 0 : 1, t + 1);
    });
    c.scheduleAt(0, 0);
    sim.setInstantLimit(3);
    // Pairs of events share an instant (delay 0 then 1): 2 per instant, under the limit of 3 extra.
    expect(() => sim.run(10_000)).not.toThrow();
    expect(n).toBe(5001);
  });
});
