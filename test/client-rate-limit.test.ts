import { describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client.js";
import { TokenBucket } from "../src/api/token-bucket.js";
import { Simulation } from "../src/engine/simulation.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";

/**
 * client-go's rate limiter (util/flowcontrol NewTokenBucketRateLimiter = golang.org/x/time/rate.NewLimiter(qps,
 * burst)): the bucket starts with `burst` tokens and refills at `qps`; Wait reserves a token, letting the count go
 * negative, and waits until it would have arrived. kube-controller-manager's client: --kube-api-qps 20,
 * --kube-api-burst 30 (pkg/controller/apis/config/v1alpha1/defaults.go).
 */
describe("TokenBucket.reserve", () => {
  it("uses kube-controller-manager's defaults: 20 QPS, burst 30", () => {
    expect([DEFAULT_SETTINGS.controllerManagerQPS, DEFAULT_SETTINGS.controllerManagerBurst]).toEqual([20, 30]);
    // kube-scheduler clientConnection (pkg/scheduler/apis/config/v1/defaults.go): 50 QPS, burst 100.
    expect([DEFAULT_SETTINGS.schedulerQPS, DEFAULT_SETTINGS.schedulerBurst]).toEqual([50, 100]);
  });

  it("burst 30, 20 QPS, all at t=0: 30 requests wait nothing, the 31st 50 ms, the 40th 500 ms", () => {
    const b = new TokenBucket(20, 30, 0);
    const waits = Array.from({ length: 40 }, () => b.reserve(0));
    expect(waits.slice(0, 30)).toEqual(Array(30).fill(0));
    // Request n > 30 finds 30 - n tokens: it waits (n - 30) / 20 s.
    expect(waits[30]).toBe(50); // (31 - 30) / 20 s = 50 ms
    expect(waits[31]).toBe(100); // (32 - 30) / 20 s
    expect(waits[39]).toBe(500); // (40 - 30) / 20 s = 500 ms
  });

  it("refills at 20 tokens per second, so 40 requests at t=0 are paid back by t=1s", () => {
    const b = new TokenBucket(20, 30, 0);
    for (let i = 0; i < 40; i++) b.reserve(0);
    // t=0: 30 - 40 = -10 tokens; t=1000: -10 + 20 = 10, one taken: no wait.
    expect(b.reserve(1000)).toBe(0);
    // 9 left at t=1000: nine more free, the tenth waits 1/20 s.
    const waits = Array.from({ length: 10 }, () => b.reserve(1000));
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 50]);
  });

  it("never holds more than burst: after a long idle period still only 30 requests are free", () => {
    const b = new TokenBucket(20, 30, 0);
    const waits = Array.from({ length: 31 }, () => b.reserve(3_600_000));
    expect(waits.filter((w) => w === 0)).toHaveLength(30);
    expect(waits[30]).toBe(50);
  });

  it("tryAccept refuses without changing the state (x/time/rate AllowN)", () => {
    const b = new TokenBucket(20, 1, 0);
    expect(b.tryAccept(0)).toBe(true);
    expect(b.tryAccept(10)).toBe(false);
    expect(b.tryAccept(40)).toBe(false);
    // One token takes 50 ms from the last grant at t=0, however often it was asked in between.
    expect(b.tryAccept(50)).toBe(true);
  });
});

describe("ApiClient", () => {
  function client(latency = 0) {
    const sim = new Simulation(1);
    return { sim, c: new ApiClient(sim, "test", { qps: 20, burst: 30, latency }) };
  }

  it("runs requests that need no token wait and no latency synchronously, inside the caller's event", () => {
    const { c } = client();
    const log: string[] = [];
    for (let i = 1; i <= 30; i++) {
      c.request(
        () => (log.push(`call ${i}`), i * 10),
        (r) => log.push(`done ${r}`),
      );
      log.push(`returned ${i}`);
    }
    expect(log.slice(0, 3)).toEqual(["call 1", "done 10", "returned 1"]);
    expect(log).toHaveLength(90);
    expect(c.stats).toEqual({ requests: 30, throttled: 0 });
  });

  it("holds a throttled request until its token arrives, then runs it and hands the result to `done`, in order", () => {
    const { sim, c } = client();
    const ran: [number, number][] = [];
    for (let i = 1; i <= 32; i++) c.request(() => i, (r) => ran.push([r, sim.now]));
    expect(ran).toHaveLength(30);
    expect(c.stats).toEqual({ requests: 32, throttled: 2 });
    sim.run(49);
    expect(ran).toHaveLength(30);
    sim.run(100);
    expect(ran.slice(30)).toEqual([
      [31, 50],
      [32, 100],
    ]);
  });

  it("with apiRequestLatency every request commits that much later, even with tokens to spare", () => {
    const { sim, c } = client(5);
    const ran: number[] = [];
    c.request(() => 1, () => ran.push(sim.now));
    expect(ran).toEqual([]);
    sim.run(10);
    expect(ran).toEqual([5]);
  });
});
