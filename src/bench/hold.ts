/**
 * Hold-model benchmark of the engine (the classic priority-queue benchmark): keep Q events pending; each handled
 * event schedules one more at now + a random delay. Goes through the real engine API (Simulation.register,
 * Context.schedule, Simulation.run), with one reused payload object, as periodic components do.
 */
import { Simulation } from "../engine/simulation.js";

/** Events per second for a steady queue of `q` pending events, over `n` handled events. */
export function holdModel(q: number, n: number): { q: number; events: number; seconds: number; eventsPerSecond: number } {
  const sim = new Simulation(1);
  const draw = sim.stream("bench/hold");
  const payload = { type: "tick" };
  let handled = 0;
  // Delays uniform in [0, 1000) ms, so ties at equal times are common, as in a cluster.
  const ctx = sim.register<typeof payload>("hold", (e) => {
    handled++;
    ctx.schedule(Math.floor(draw() * 1000), e);
  });
  for (let i = 0; i < q; i++) ctx.schedule(Math.floor(draw() * 1000), payload);
  // Warm up the JIT before timing.
  let until = 0;
  while (handled < Math.min(n / 10, 200_000)) sim.run((until += 100));
  const start = handled;
  const t0 = process.hrtime.bigint();
  while (handled - start < n) sim.run((until += 100));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const events = handled - start;
  return { q, events, seconds, eventsPerSecond: Math.round(events / seconds) };
}
