/**
 * The fixed-latency container runtime (src/kubelet/runtime/fixed-latency-runtime.ts) behind the CRI-shaped interface
 * (src/kubelet/runtime/cri.ts): a pod's containers started at t are Running at t + podStartLatency, and stopped with
 * grace g they are Exited at t + min(podStopLatency, g). First the runtime alone on an engine, then through a kubelet.
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import { Simulation } from "../src/engine/simulation.js";
import type { PodSandboxRef, RuntimeEvent } from "../src/kubelet/runtime/cri.js";
import { FixedLatencyRuntime } from "../src/kubelet/runtime/fixed-latency-runtime.js";
import { resolveSettings } from "../src/settings.js";
import { pod } from "./fixtures/builders.js";

const START = 1_000;
const STOP = 2_000;

/** A runtime on its own engine component, as a kubelet hosts it; every completion is logged as [time, type]. */
function harness(latency = { podStartLatency: START, podStopLatency: STOP }) {
  const sim = new Simulation(1);
  const log: [number, RuntimeEvent["t"]][] = [];
  let runtime: FixedLatencyRuntime;
  const ctx = sim.register<RuntimeEvent | { t: "at"; fn: () => void }>("host", (e) => {
    if (e.t === "at") return e.fn();
    runtime.observe(e);
    log.push([ctx.now, e.t]);
  });
  runtime = new FixedLatencyRuntime(ctx, latency);
  /** Runs `fn` at virtual time `t` (as a kubelet handler would). */
  const at = (t: number, fn: () => void) => ctx.scheduleAt(t, { t: "at", fn });
  return { sim, runtime, log, at };
}

const web: PodSandboxRef = { key: "default/web", uid: "uid-web" };

/** What the kubelet does to start a pod: RunPodSandbox, then CreateContainer and StartContainer for each. */
function startPod(runtime: FixedLatencyRuntime, sandbox: PodSandboxRef, names: string[]): void {
  runtime.runPodSandbox(sandbox);
  for (const name of names) {
    runtime.createContainer(sandbox, { name, image: `registry.example/${name}:1` });
    runtime.startContainer(sandbox, name);
  }
}

describe("fixed-latency runtime: starting", () => {
  it("reports a pod started at t Running at t + podStartLatency, all its containers in one report", () => {
    const { sim, runtime, log, at } = harness();
    at(5_000, () => startPod(runtime, web, ["app", "sidecar"]));
    sim.run(5_999);
    expect(runtime.containerStatus(web, "app")).toMatchObject({ state: "Created", createdAt: 5_000, startedAt: undefined });
    sim.run(10_000);
    // 5000 + podStartLatency 1000 = 6000, one event for both containers
    expect(log).toEqual([[6_000, "containersStarted"]]);
    expect(runtime.listContainers(web).map((c) => [c.name, c.state, c.startedAt])).toEqual([
      ["app", "Running", 6_000],
      ["sidecar", "Running", 6_000],
    ]);
  });

  it("reports at the same instant with podStartLatency 0", () => {
    const { sim, runtime, log, at } = harness({ podStartLatency: 0, podStopLatency: STOP });
    at(3_000, () => startPod(runtime, web, ["app"]));
    sim.run(3_000);
    expect(log).toEqual([[3_000, "containersStarted"]]);
  });

  it("has every image already (ImageStatus) and completes a PullImage at once", () => {
    const { sim, runtime, log, at } = harness();
    expect(runtime.imageStatus("registry.example/app:1")).toEqual({ image: "registry.example/app:1" });
    at(1_000, () => runtime.pullImage("registry.example/app:1", web));
    sim.run(1_000);
    expect(log).toEqual([[1_000, "imagePulled"]]);
  });

  it("refuses a container in a sandbox that was never run, and a second container of the same name", () => {
    const { runtime } = harness();
    expect(() => runtime.createContainer(web, { name: "app", image: "i" })).toThrow(/has no sandbox/);
    runtime.runPodSandbox(web);
    runtime.createContainer(web, { name: "app", image: "i" });
    expect(() => runtime.createContainer(web, { name: "app", image: "i" })).toThrow(/already has a container/);
  });
});

describe("fixed-latency runtime: stopping within the grace period", () => {
  // Stopped at 10000 with grace g: Exited at 10000 + min(podStopLatency 2000, g).
  it.each([
    [30_000, 12_000], // min(2000, 30000) = 2000: the stop latency
    [500, 10_500], // min(2000, 500) = 500: the grace period cuts it short
    [0, 10_000], // grace 0 (a force delete): at once
  ])("grace %i ms: Exited at %i", (grace, end) => {
    const { sim, runtime, log, at } = harness();
    at(0, () => startPod(runtime, web, ["app", "sidecar"]));
    at(10_000, () => {
      runtime.stopContainer(web, "app", grace);
      runtime.stopContainer(web, "sidecar", grace);
    });
    sim.run(60_000);
    expect(log).toEqual([
      [1_000, "containersStarted"],
      [end, "containersStopped"],
    ]);
    expect(runtime.containerStatus(web, "sidecar")).toMatchObject({ state: "Exited", startedAt: 1_000, finishedAt: end });
  });

  it("brings the end forward for a shorter grace period, never back for a longer one", () => {
    const { sim, runtime, log, at } = harness();
    at(0, () => startPod(runtime, web, ["app"]));
    at(10_000, () => runtime.stopContainer(web, "app", 30_000)); // due 10000 + min(2000, 30000) = 12000
    at(10_500, () => runtime.stopContainer(web, "app", 1_000)); // 10500 + min(2000, 1000) = 11500 < 12000: forward
    at(10_600, () => runtime.stopContainer(web, "app", 30_000)); // 10600 + 2000 = 12600 > 11500: no change
    sim.run(60_000);
    expect(log).toEqual([
      [1_000, "containersStarted"],
      [11_500, "containersStopped"],
    ]);
  });

  it("cancels a pending start when the pod is stopped before its containers run", () => {
    const { sim, runtime, log, at } = harness();
    at(0, () => startPod(runtime, web, ["app"])); // would be Running at 1000
    at(400, () => runtime.stopContainer(web, "app", 30_000)); // 400 + 2000 = 2400
    sim.run(60_000);
    expect(log).toEqual([[2_400, "containersStopped"]]);
    expect(runtime.containerStatus(web, "app")).toMatchObject({ state: "Exited", startedAt: undefined, finishedAt: 2_400 });
  });

  it("stops a container it does not have (a pod found being deleted after the node restarted) as if it ran", () => {
    const { sim, runtime, log, at } = harness();
    at(7_000, () => runtime.stopContainer(web, "app", 30_000)); // 7000 + min(2000, 30000)
    sim.run(60_000);
    expect(log).toEqual([[9_000, "containersStopped"]]);
  });
});

describe("fixed-latency runtime: removal", () => {
  it("drops a sandbox's pending completion with RemovePodSandbox (a pod gone from the API)", () => {
    const { sim, runtime, log, at } = harness();
    at(0, () => startPod(runtime, web, ["app"]));
    at(500, () => runtime.removePodSandbox(web));
    sim.run(60_000);
    expect(log).toEqual([]);
    expect(runtime.listContainers()).toEqual([]);
    // Removing it again, or a sandbox never run, is a no-op.
    runtime.removePodSandbox(web);
  });

  it("keeps other sandboxes: two pods of the same name are told apart by uid", () => {
    const { sim, runtime, log, at } = harness();
    const again: PodSandboxRef = { key: "default/web", uid: "uid-web-2" };
    at(0, () => startPod(runtime, web, ["app"]));
    at(0, () => startPod(runtime, again, ["app"]));
    at(500, () => runtime.removePodSandbox(web));
    sim.run(60_000);
    expect(log).toEqual([[1_000, "containersStarted"]]);
    expect(runtime.listContainers().map((c) => c.sandbox.uid)).toEqual(["uid-web-2"]);
  });

  it("drops one container with RemoveContainer, and the sandbox's completion with its last container", () => {
    const { sim, runtime, log, at } = harness();
    at(0, () => startPod(runtime, web, ["app", "sidecar"]));
    at(100, () => runtime.removeContainer(web, "app"));
    at(200, () => runtime.removeContainer(web, "sidecar"));
    sim.run(60_000);
    expect(log).toEqual([]);
    expect(runtime.containerStatus(web, "app")).toBeUndefined();
  });
});

describe("through the kubelet", () => {
  /** A one-node cluster at virtual time 0 with these latencies; the pod is created already bound to the node. */
  function boundPod(settings: Record<string, number>) {
    const cluster = new Cluster(1, resolveSettings(settings), Date.UTC(2026, 0, 1));
    cluster.kubelets.addPool({ name: "n", count: 1, capacity: { cpu: "4", memory: "16Gi" }, labels: {}, taints: [] });
    const get = () => cluster.cp.api.get<Pod>("Pod", "default", "web");
    return { cluster, get };
  }

  it("runs a pod bound at t from ContainerCreating to Running at t + podStartLatency", () => {
    const { cluster, get } = boundPod({ podStartLatency: 3_000 });
    cluster.sim.run(10_000);
    const r = cluster.cp.api.create(pod("web").on("n-1").build());
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
    cluster.cp.api.create(pod("web").on("n-1").build());
    cluster.sim.run(20_000);
    expect(get()!.status.phase).toBe("Running");
    cluster.cp.api.delete("Pod", "default", "web", { gracePeriodSeconds: 2 });
    // min(podStopLatency 4000, grace 2000) = 2000: still there at 21999, gone at 22000
    cluster.sim.run(21_999);
    expect(get()).toBeDefined();
    cluster.sim.run(22_000);
    expect(get()).toBeUndefined();
  });
});
