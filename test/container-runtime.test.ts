/**
 * The simulated container runtime (src/kubelet/runtime/simulated-runtime.ts) behind the CRI-shaped interface
 * (src/kubelet/runtime/cri.ts): each container runs its program (start latency, run time, exit code, OOM time,
 * SIGTERM handling), and pulls fill the node's image store. First the runtime alone on an engine, then through a
 * kubelet.
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import { Simulation } from "../src/engine/simulation.js";
import type { PodSandboxRef, RuntimeEvent } from "../src/kubelet/runtime/cri.js";
import { ImageRegistry } from "../src/kubelet/runtime/image-registry.js";
import { SimulatedRuntime } from "../src/kubelet/runtime/simulated-runtime.js";
import { resolveSettings } from "../src/settings.js";
import type { ContainerProgram } from "../src/workload/program.js";
import { pod } from "./fixtures/builders.js";

const MI = 2 ** 20;

/** A program: starts in 1s and runs forever unless told otherwise; exits 1s after SIGTERM. */
const program = (p: Partial<ContainerProgram> = {}): ContainerProgram => ({ startLatencyMs: 1_000, runForMs: Infinity, exitCode: 0, stopAfterMs: 1_000, oomAfterMs: Infinity, spec: {}, ...p });

/** A runtime on its own engine component, as a kubelet hosts it; every completion is logged as [time, type, name]. */
function harness() {
  const sim = new Simulation(1);
  const log: [number, RuntimeEvent["t"], string][] = [];
  let runtime: SimulatedRuntime;
  const ctx = sim.register<RuntimeEvent | { t: "at"; fn: () => void }>("host", (e) => {
    if (e.t === "at") return e.fn();
    runtime.observe(e);
    log.push([ctx.now, e.t, e.t === "imagePulled" ? e.image : e.name]);
  });
  // 100Mi at 50Mi/s: 2s per pull; "gone:1" is missing from the registry.
  const registry = new ImageRegistry([{ image: "big:1", sizeBytes: 500 * MI }, { image: "gone:1", missing: true }], 100 * MI, 50 * MI);
  runtime = new SimulatedRuntime(ctx, { registry, preloaded: ["cached:1"], rng: () => 0.5, unknownStopMs: 1_000 });
  const at = (t: number, fn: () => void) => ctx.scheduleAt(t, { t: "at", fn });
  return { sim, runtime, log, at };
}

const web: PodSandboxRef = { key: "default/web", uid: "uid-web" };

function start(runtime: SimulatedRuntime, name: string, p: ContainerProgram): void {
  runtime.runPodSandbox(web);
  runtime.createContainer(web, { name, image: "cached:1", program: p });
  runtime.startContainer(web, name);
}

describe("simulated runtime: a container's program", () => {
  it("runs at t + startLatency and exits on its own at start + runFor with its exit code", () => {
    const { sim, runtime, log, at } = harness();
    at(5_000, () => start(runtime, "app", program({ runForMs: 20_000, exitCode: 1 })));
    sim.run(60_000);
    // 5000 + 1000 start latency = 6000 running; 6000 + 20000 = 26000 exited
    expect(log).toEqual([
      [6_000, "containerStarted", "app"],
      [26_000, "containerExited", "app"],
    ]);
    expect(runtime.containerStatus(web, "app")).toMatchObject({ state: "Exited", startedAt: 6_000, finishedAt: 26_000, exitCode: 1, reason: "Error" });
  });

  it("reports exit 0 as Completed", () => {
    const { sim, runtime, at } = harness();
    at(0, () => start(runtime, "job", program({ runForMs: 3_000 })));
    sim.run(10_000);
    expect(runtime.containerStatus(web, "job")).toMatchObject({ exitCode: 0, reason: "Completed", finishedAt: 4_000 });
  });

  it("is OOM-killed (137, OOMKilled) when that comes before its own end", () => {
    const { sim, runtime, at } = harness();
    at(0, () => start(runtime, "leaky", program({ runForMs: 60_000, oomAfterMs: 30_000 })));
    sim.run(100_000);
    // running at 1000, killed at 1000 + 30000
    expect(runtime.containerStatus(web, "leaky")).toMatchObject({ exitCode: 137, reason: "OOMKilled", finishedAt: 31_000 });
  });
});

describe("simulated runtime: StopContainer", () => {
  it("exits 0 at t + stopAfter when that is within the timeout (it handled SIGTERM)", () => {
    const { sim, runtime, at } = harness();
    at(0, () => start(runtime, "app", program({ stopAfterMs: 4_000 })));
    at(10_000, () => runtime.stopContainer(web, "app", 30_000));
    sim.run(60_000);
    expect(runtime.containerStatus(web, "app")).toMatchObject({ exitCode: 0, reason: "Completed", finishedAt: 14_000 });
  });

  it("is killed with SIGKILL (137, Error) at the timeout when it outlives it", () => {
    const { sim, runtime, at } = harness();
    at(0, () => start(runtime, "app", program({ stopAfterMs: 45_000 })));
    at(10_000, () => runtime.stopContainer(web, "app", 30_000));
    sim.run(60_000);
    expect(runtime.containerStatus(web, "app")).toMatchObject({ exitCode: 137, reason: "Error", finishedAt: 40_000 });
  });

  it("keeps an own exit that comes sooner than the stop", () => {
    const { sim, runtime, at } = harness();
    at(0, () => start(runtime, "app", program({ runForMs: 11_000, exitCode: 3, stopAfterMs: 5_000 })));
    at(10_000, () => runtime.stopContainer(web, "app", 30_000));
    sim.run(60_000);
    // own end at 1000 + 11000 = 12000, before the stop's 15000
    expect(runtime.containerStatus(web, "app")).toMatchObject({ exitCode: 3, finishedAt: 12_000 });
  });

  it("ends a container that is not running yet at once", () => {
    const { sim, runtime, log, at } = harness();
    at(0, () => start(runtime, "app", program({ startLatencyMs: 5_000 })));
    at(2_000, () => runtime.stopContainer(web, "app", 30_000));
    sim.run(60_000);
    expect(log).toEqual([[2_000, "containerExited", "app"]]);
  });

  it("a second stop with a shorter timeout brings the end forward, never back", () => {
    const { sim, runtime, at } = harness();
    at(0, () => start(runtime, "app", program({ stopAfterMs: 60_000 })));
    at(10_000, () => runtime.stopContainer(web, "app", 30_000));
    at(12_000, () => runtime.stopContainer(web, "app", 5_000));
    at(13_000, () => runtime.stopContainer(web, "app", 50_000));
    sim.run(100_000);
    // killed at 12000 + 5000
    expect(runtime.containerStatus(web, "app")).toMatchObject({ exitCode: 137, finishedAt: 17_000 });
  });
});

describe("simulated runtime: images", () => {
  it("has the preloaded images and pulls others in size / bandwidth", () => {
    const { sim, runtime, log, at } = harness();
    expect(runtime.imageStatus("cached:1")).toEqual({ image: "cached:1", sizeBytes: 100 * MI });
    expect(runtime.imageStatus("app:1")).toBeUndefined();
    at(0, () => runtime.pullImage("app:1"));
    at(0, () => runtime.pullImage("big:1"));
    sim.run(60_000);
    // 100Mi / 50Mi/s = 2s; 500Mi / 50Mi/s = 10s
    expect(log).toEqual([
      [2_000, "imagePulled", "app:1"],
      [10_000, "imagePulled", "big:1"],
    ]);
    expect(runtime.imageStatus("big:1")).toEqual({ image: "big:1", sizeBytes: 500 * MI });
  });

  it("fails the pull of an image the registry lacks with containerd's NotFound", () => {
    const sim = new Simulation(1);
    const got: RuntimeEvent[] = [];
    let runtime: SimulatedRuntime;
    const ctx = sim.register<RuntimeEvent>("host", (e) => {
      runtime.observe(e);
      got.push(e);
    });
    const registry = new ImageRegistry([{ image: "gone:1", missing: true }], 100 * MI, 50 * MI);
    runtime = new SimulatedRuntime(ctx, { registry, preloaded: [], rng: () => 0.5, unknownStopMs: 1_000 });
    runtime.pullImage("gone:1");
    sim.run(1);
    // A one-word name is docker.io/library/<name> to containerd.
    const ref = "docker.io/library/gone:1";
    expect(got).toEqual([{ t: "imagePulled", image: "gone:1", error: `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found` }]);
    expect(runtime.imageStatus("gone:1")).toBeUndefined();
  });
});

describe("through the kubelet", () => {
  /** A one-node cluster at virtual time 0; the pod is created already bound to the node. */
  function boundPod(settings: Record<string, number | string>) {
    const cluster = new Cluster(1, resolveSettings(settings), Date.UTC(2026, 0, 1));
    cluster.kubelets.addPool({ name: "n", count: 1, capacity: { cpu: "4", memory: "16Gi" }, labels: {}, taints: [], preloadedImages: ["registry.example/app:1"] });
    const get = () => cluster.cp.api.get<Pod>("Pod", "default", "web");
    return { cluster, get };
  }

  it("runs a pod bound at t from ContainerCreating to Running at t + podStartLatency (its image cached)", () => {
    const { cluster, get } = boundPod({ podStartLatency: 3_000 });
    cluster.sim.run(10_000);
    const r = cluster.cp.api.create(pod("web").image("registry.example/app:1").on("n-1").build());
    expect(r.ok).toBe(true);
    cluster.sim.run(12_999);
    expect(get()!.status.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: "ContainerCreating" } });
    cluster.sim.run(13_000);
    // created at 10000, podStartLatency 3000
    expect(get()!.status.phase).toBe("Running");
    expect(get()!.status.containerStatuses?.[0]?.state.running?.startedAt).toBe(cluster.cp.clock.time(13_000));
  });

  it("confirms the deletion of a running pod min(podStopLatency, grace) after it was requested", () => {
    const { cluster, get } = boundPod({ podStartLatency: 1_000, podStopLatency: 4_000 });
    cluster.cp.api.create(pod("web").image("registry.example/app:1").on("n-1").build());
    cluster.sim.run(20_000);
    expect(get()!.status.phase).toBe("Running");
    cluster.cp.api.delete("Pod", "default", "web", { gracePeriodSeconds: 3 });
    // min(podStopLatency 4000, grace 3000) = 3000: still there at 22999, gone at 23000
    cluster.sim.run(22_999);
    expect(get()).toBeDefined();
    cluster.sim.run(23_000);
    expect(get()).toBeUndefined();
  });
});
