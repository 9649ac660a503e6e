/**
 * The kubelet's resource admission (src/kubelet/admission.ts, upstream pkg/kubelet/lifecycle/predicate.go
 * predicateAdmitHandler and pkg/kubelet/kubelet.go rejectPod): the pure decision, then whole runs in which a pod
 * named to a node without room for it is rejected: phase Failed, reason OutOf<resource>, "Pod was rejected: ..."
 * and a Warning event, never run and never counted.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { EventRecord } from "../src/api/events.js";
import type { Pod } from "../src/api/types.js";
import {
  addUsage,
  admitPod,
  admitPodOnNode,
  emptyUsage,
  insufficientResourceMessage,
  nodeCapacity,
  podDemand,
  subtractUsage,
} from "../src/kubelet/admission.js";
import { node, pod } from "./fixtures/builders.js";
import { load, removeScenarios, run, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const GiB = 1024 ** 3;
// A node with 1 cpu, 4Gi and room for 3 pods.
const small = node("n1").capacity({ cpu: "1", memory: "4Gi", pods: "3" }).build();
const cpu = (name: string, c: string) => pod(name).requests({ cpu: c }).on("n1").build();

describe("admitPod: the resource checks of the predicate admit handler", () => {
  it("admits a pod that fits exactly", () => {
    // cpu: 800 + 200 = 1000 <= 1000 allocatable
    expect(admitPodOnNode(cpu("b", "200m"), small, [cpu("a", "800m")])).toEqual({ admit: true });
  });

  it("rejects the second 800m pod on a 1-cpu node with OutOfcpu and upstream's message", () => {
    // cpu: 800 + 800 = 1600 > 1000 allocatable
    const d = admitPodOnNode(cpu("b", "800m"), small, [cpu("a", "800m")]);
    expect(d).toEqual({
      admit: false,
      reason: "OutOfcpu",
      message: "Node didn't have enough resource: cpu, requested: 800, used: 800, capacity: 1000",
      resource: "cpu",
      requested: 800,
      used: 800,
      capacity: 1000,
    });
  });

  it("reports memory in bytes as OutOfmemory", () => {
    // memory: 3Gi + 2Gi = 5Gi > 4Gi allocatable; cpu is not requested, so not checked
    const d = admitPodOnNode(pod("b").requests({ memory: "2Gi" }).build(), small, [pod("a").requests({ memory: "3Gi" }).build()]);
    expect(d.admit).toBe(false);
    if (d.admit) return;
    expect(d.reason).toBe("OutOfmemory");
    expect(d.message).toBe(`Node didn't have enough resource: memory, requested: ${2 * GiB}, used: ${3 * GiB}, capacity: ${4 * GiB}`);
  });

  it("counts pods first (OutOfpods), even a pod without requests and when cpu fails too", () => {
    const three = [cpu("a", "300m"), cpu("b", "300m"), cpu("c", "300m")];
    // pods: 3 + 1 = 4 > 3 allocatable
    expect(admitPodOnNode(pod("d").build(), small, three)).toMatchObject({ admit: false, reason: "OutOfpods", message: "Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3" });
    // pods: 4 > 3 and cpu: 900 + 500 = 1400 > 1000: the first failure (pods) is the one reported
    expect(admitPodOnNode(cpu("d", "500m"), small, three)).toMatchObject({ reason: "OutOfpods" });
  });

  it("checks only the pod count for a pod with no requests", () => {
    // cpu: 1000 used of 1000, but the pod requests none; pods: 1 + 1 = 2 <= 3
    expect(admitPodOnNode(pod("b").build(), small, [cpu("a", "1")])).toEqual({ admit: true });
  });

  it("reports cpu before memory when both are short", () => {
    // cpu: 600 + 600 = 1200 > 1000; memory: 3Gi + 3Gi = 6Gi > 4Gi
    const big = (n: string) => pod(n).requests({ cpu: "600m", memory: "3Gi" }).build();
    expect(admitPodOnNode(big("b"), small, [big("a")])).toMatchObject({ reason: "OutOfcpu" });
  });

  it("uses the effective requests of resources.ts podRequests: init containers, sidecars, limits as requests", () => {
    // init container 900m runs alone before the 100m app container: max(100, 900) = 900; 900 + 200 = 1100 > 1000
    const withInit = pod("b").requests({ cpu: "100m" }).initContainer("init", { cpu: "900m" }).build();
    expect(podDemand(withInit).cpuMilli).toBe(900);
    expect(admitPodOnNode(withInit, small, [cpu("a", "200m")])).toMatchObject({ reason: "OutOfcpu", message: insufficientResourceMessage("cpu", 900, 200, 1000) });
    // a limit without a request counts as the request (API defaulting): 700 + 400 = 1100 > 1000
    expect(admitPodOnNode(pod("b").limits({ cpu: "700m" }).build(), small, [cpu("a", "400m")])).toMatchObject({ reason: "OutOfcpu" });
    // a sidecar (restartable init container) adds to the app containers: 300 + 300 = 600; 600 + 500 = 1100 > 1000
    const withSidecar = pod("b").requests({ cpu: "300m" }).initContainer("proxy", { cpu: "300m" }, true).build();
    expect(podDemand(withSidecar).cpuMilli).toBe(600);
    expect(admitPodOnNode(withSidecar, small, [cpu("a", "500m")]).admit).toBe(false);
  });

  it("checks extended resources the node offers, reason OutOf<name>, and ignores those it does not list", () => {
    const gpuNode = node("g").capacity({ cpu: "4", memory: "16Gi", pods: "110", "example.com/gpu": "2" }).build();
    const gpus = (n: string, k: string) => pod(n).requests({ "example.com/gpu": k }).build();
    // example.com/gpu: 1 + 1 = 2 <= 2
    expect(admitPodOnNode(gpus("b", "1"), gpuNode, [gpus("a", "1")])).toEqual({ admit: true });
    // example.com/gpu: 1 + 2 = 3 > 2
    expect(admitPodOnNode(gpus("b", "2"), gpuNode, [gpus("a", "1")])).toMatchObject({
      admit: false,
      reason: "OutOfexample.com/gpu",
      message: "Node didn't have enough resource: example.com/gpu, requested: 2, used: 1, capacity: 2",
    });
    // a limit alone counts as the request: 2 + 1 = 3 > 2
    expect(admitPodOnNode(pod("b").limits({ "example.com/gpu": "1" }).build(), gpuNode, [gpus("a", "2")])).toMatchObject({ reason: "OutOfexample.com/gpu" });
    // the small node lists no example.com/gpu: the request is dropped (removeMissingExtendedResources), 5 fit
    expect(admitPodOnNode(gpus("b", "5"), small, [])).toEqual({ admit: true });
  });

  it("keeps a running sum: subtractUsage undoes addUsage", () => {
    const cap = nodeCapacity(small);
    const used = emptyUsage();
    const a = podDemand(pod("a").requests({ cpu: "800m", memory: "1Gi", "example.com/x": "3" }).build());
    addUsage(used, a);
    // cpu: 800 + 800 = 1600 > 1000
    expect(admitPod(podDemand(cpu("b", "800m")), cap, used).admit).toBe(false);
    subtractUsage(used, a);
    expect(used).toEqual(emptyUsage());
    // cpu: 0 + 800 = 800 <= 1000
    expect(admitPod(podDemand(cpu("b", "800m")), cap, used).admit).toBe(true);
  });
});

describe("a kubelet with a pod named to it that does not fit", () => {
  const scenario = (pods: string, timeline = "", settings = "") => `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: admission}
spec:
  duration: 2m
${settings}  cluster:
    nodePools:
      - {name: worker, count: 1, capacity: {cpu: "1", memory: 4Gi}}
  workloads:
${pods}${timeline ? `  timeline:\n${timeline}` : ""}`;
  const bare = (name: string, cpu: string) =>
    `    - manifest: {apiVersion: v1, kind: Pod, metadata: {name: ${name}}, spec: {nodeName: worker-1, containers: [{name: c, image: i, resources: {requests: {cpu: ${cpu}}}}]}}\n`;

  const endState = (yaml: string, extra: Record<string, string> = {}) => {
    const pods = new Map<string, Pod>();
    const outcome = run(load(writeScenario(yaml, extra)), undefined, (c) => {
      for (const p of c.cp.store.list<Pod>("Pod")) pods.set(p.metadata.name, p);
    });
    const eventsOf = (name: string) => outcome.events.filter((e: EventRecord) => e.involvedObject.kind === "Pod" && e.involvedObject.name === name);
    return { pods, outcome, eventsOf };
  };

  it("rejects the second of two 800m pods: Failed, OutOfcpu, upstream's message, a Warning event; the first runs", () => {
    const { pods, eventsOf } = endState(scenario(bare("a", "800m") + bare("b", "800m")));
    expect(pods.get("a")!.status.phase).toBe("Running");
    const b = pods.get("b")!;
    expect(b.status.phase).toBe("Failed");
    expect(b.status.reason).toBe("OutOfcpu");
    // cpu: 800 used by a + 800 requested = 1600 > 1000 allocatable
    expect(b.status.message).toBe("Pod was rejected: Node didn't have enough resource: cpu, requested: 800, used: 800, capacity: 1000");
    // rejectPod keeps only phase, reason, message (and the start time); no container ever existed
    expect(b.status.containerStatuses).toBeUndefined();
    expect(b.status.podIP).toBeUndefined();
    expect(eventsOf("b").map((e) => [e.type, e.reason, e.message, e.source.component, e.source.host])).toEqual([
      ["Warning", "OutOfcpu", "Node didn't have enough resource: cpu, requested: 800, used: 800, capacity: 1000", "kubelet", "worker-1"],
    ]);
  });

  it("does not count a rejected pod: a later pod that fits next to the running one runs", () => {
    // a 800m runs; b 800m rejected (800 + 800 > 1000); c 200m: 800 + 200 = 1000 <= 1000, runs
    const { pods } = endState(scenario(bare("a", "800m") + bare("b", "800m"), "    - {at: 10s, action: apply, file: c.yaml}\n"), {
      "c.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: c}\nspec: {nodeName: worker-1, containers: [{name: c, image: i, resources: {requests: {cpu: 200m}}}]}\n",
    });
    expect([pods.get("a")!.status.phase, pods.get("b")!.status.phase, pods.get("c")!.status.phase]).toEqual(["Running", "Failed", "Running"]);
  });

  it("frees the room of a deleted pod, and deletes a rejected pod without stopping containers", () => {
    // at 10s a (800m) and b (rejected) are deleted; at 30s d 800m: 0 + 800 <= 1000, runs
    const timeline = "    - {at: 10s, action: delete, target: pod/a}\n    - {at: 10s, action: delete, target: pod/b}\n    - {at: 30s, action: apply, file: d.yaml}\n";
    const { pods, eventsOf } = endState(scenario(bare("a", "800m") + bare("b", "800m"), timeline), {
      "d.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec: {nodeName: worker-1, containers: [{name: c, image: i, resources: {requests: {cpu: 800m}}}]}\n",
    });
    expect(pods.has("a")).toBe(false);
    expect(pods.has("b")).toBe(false);
    expect(pods.get("d")!.status.phase).toBe("Running");
    expect(eventsOf("a").map((e) => e.reason)).toContain("Killing");
    expect(eventsOf("b").map((e) => e.reason)).toEqual(["OutOfcpu"]);
  });

  it("after a restart re-admits what ran before and rejects what no longer fits, in creation order", () => {
    // a 600m runs; the node fails at 10s; b 300m (20s) and c 300m (21s) are named to it while it is down; at 40s it
    // recovers: a 600, b 600 + 300 = 900 <= 1000, c 900 + 300 = 1200 > 1000: rejected with used: 900
    const pod3 = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {nodeName: worker-1, containers: [{name: c, image: i, resources: {requests: {cpu: 300m}}}]}\n`;
    const timeline =
      "    - {at: 10s, action: nodeFailure, node: worker-1}\n    - {at: 20s, action: apply, file: b.yaml}\n    - {at: 21s, action: apply, file: c.yaml}\n    - {at: 40s, action: nodeRecover, node: worker-1}\n";
    const { pods } = endState(scenario(bare("a", "600m"), timeline), { "b.yaml": pod3("b"), "c.yaml": pod3("c") });
    expect(pods.get("a")!.status.phase).toBe("Running");
    expect(pods.get("b")!.status.phase).toBe("Running");
    expect(pods.get("c")!.status).toMatchObject({
      phase: "Failed",
      reason: "OutOfcpu",
      message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 300, used: 900, capacity: 1000",
    });
  });

  it("a ReplicaSet replaces its rejected pod, and the kubelet rejects the replacement too (upstream #72593)", () => {
    // The template names worker-1: the first pod runs (800m), every other one is rejected (800 + 800 > 1000) and the
    // ReplicaSet, counting Failed pods as inactive, creates another. With informerLatency 0 that would loop at one
    // instant; 100ms gives each round time.
    const rs = `    - manifest: {apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: web}, spec: {replicas: 2, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {nodeName: worker-1, containers: [{name: c, image: i, resources: {requests: {cpu: 800m}}}]}}}}\n`;
    const yaml = scenario(rs, "", "  settings: {informerLatency: 100ms}\n").replace("duration: 2m", "duration: 5s");
    const { pods } = endState(yaml);
    const all = [...pods.values()];
    const running = all.filter((p) => p.status.phase === "Running");
    const failed = all.filter((p) => p.status.phase === "Failed");
    expect(running).toHaveLength(1);
    expect(failed.length).toBeGreaterThan(3);
    expect(failed.every((p) => p.status.reason === "OutOfcpu")).toBe(true);
    // at most spec.replicas pods are active at any end state: the running one and at most one not yet rejected
    expect(all.length - failed.length).toBeLessThanOrEqual(2);
  });
});
