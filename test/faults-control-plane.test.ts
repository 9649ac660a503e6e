/**
 * apiServerOutage (src/faults/injector.ts, ApiServer.goDown): writes fail with client-go's connection-refused
 * error, kubelets are cut off, and the node lifecycle controller sees the silence only after the outage, with
 * every zone fully disrupted: master disruption mode, no NoExecute taint, no eviction. Checked on the bundled
 * scenarios/api-server-outage.yaml at the times a user reads off `k8sim get` / events.jsonl (upstream's defaults:
 * lease renewed every 10s, nodeMonitorGracePeriod 50s, nodeMonitorPeriod 5s, lease retry 200ms doubling to 7s).
 */
import { afterAll, describe, expect, it } from "vitest";
import { getCondition } from "../src/api/pod-util.js";
import type { Lease, Node } from "../src/api/types.js";
import { loadScenario } from "../src/scenario/load.js";
import { load, removeScenarios, run, SCENARIOS, writeScenario } from "./helpers/scenario-tmp.js";
import { FAULT_CASES } from "./hostile/fault-cases.js";
import { runHostileCase } from "./hostile/run-case.js";

afterAll(removeScenarios);

const DOWN = 180_000; // 3m
const UP = 600_000; // 10m

/** One run of `file`: lease renewals, Ready transitions and NoExecute taints per node, and the outcome. */
function trace(file: string) {
  const renewals: number[] = [];
  const unknownAt = new Map<string, number>();
  const readyAt = new Map<string, number>();
  const noExecute: string[] = [];
  let failedWrite = "";
  const outcome = run(load(file), (c) => {
    const now = () => c.sim.now;
    c.cp.store.watch("Lease", (_t, o) => void ((o as Lease).metadata.namespace === "kube-node-lease" && renewals.push(now())));
    c.cp.store.watch("Node", (_t, o, old) => {
      const n = o as Node;
      const was = getCondition((old as Node | undefined)?.status.conditions, "Ready")?.status;
      const is = getCondition(n.status.conditions, "Ready")?.status;
      if (is === "Unknown" && was !== "Unknown") unknownAt.set(n.metadata.name, now());
      if (is === "True" && was === "Unknown") readyAt.set(n.metadata.name, now());
      if ((n.spec.taints ?? []).some((t) => t.effect === "NoExecute")) noExecute.push(n.metadata.name);
    });
    // A write at 4m, inside the window, as a controller would make it.
    c.sim.register("probe", () => {
      const r = c.cp.api.bind("default", "nope", "zone-a-1");
      failedWrite = r.ok ? "" : `${r.code} ${r.reason}: ${r.message}`;
    }).scheduleAt(240_000, null);
  });
  return { outcome, renewals, unknownAt, readyAt, noExecute, failedWrite };
}

describe("scenarios/api-server-outage.yaml", () => {
  const t = trace(`${SCENARIOS}/api-server-outage.yaml`);

  it("refuses every write inside the window with client-go's connection-refused error", () => {
    expect(t.failedWrite).toBe('503 ServiceUnavailable: Post "https://172.16.0.2:6443/api/v1/namespaces/default/pods/nope/binding": dial tcp 172.16.0.2:6443: connect: connection refused');
    expect(t.outcome.summary.problems).toEqual([
      { at: 300_000, message: expect.stringMatching(/api-server-outage\.yaml:\d+:7: Put "https:\/\/172\.16\.0\.2:6443\/apis\/apps\/v1\/namespaces\/default\/deployments\/web": dial tcp 172\.16\.0\.2:6443: connect: connection refused$/) },
    ]);
  });

  it("renews no lease during the outage; every node renews within 7s after it (the lease retry's cap)", () => {
    expect(t.renewals.filter((x) => x > DOWN && x < UP)).toEqual([]);
    const after = t.renewals.filter((x) => x >= UP && x <= UP + 7_000);
    expect(after.length).toBeGreaterThanOrEqual(6);
  });

  it("turns all 6 nodes Ready=Unknown at the first monitor pass after the end (10m), none during it", () => {
    // The controller's status writes fail during the outage; at 600s (a 5s pass) its writes succeed, and no
    // kubelet has renewed yet: each is 50s past its last renewal, long before.
    expect([...t.unknownAt.values()]).toEqual([UP, UP, UP, UP, UP, UP]);
  });

  it("taints no node NoExecute and evicts nothing: every zone is fully disrupted (master disruption mode)", () => {
    expect(t.noExecute).toEqual([]);
    expect(t.outcome.summary.totals.evictions).toBe(0);
  });

  it("has every node Ready again within the kubelets' next status post (10s + 4% jitter) and meets its expectations", () => {
    expect(t.readyAt.size).toBe(6);
    for (const at of t.readyAt.values()) expect(at).toBeLessThanOrEqual(UP + 10_400);
    expect(t.outcome.passed).toBe(true);
  });
});

/** A two-node scenario (pool w) with web (2 replicas) and `timeline`. */
function scenario(timeline: readonly string[]): string {
  return [
    "apiVersion: k8sim.dev/v1alpha1",
    "kind: Scenario",
    "metadata: {name: api}",
    "spec:",
    "  duration: 12m",
    "  cluster:",
    "    nodePools:",
    '      - {name: w, count: 2, capacity: {cpu: "4", memory: 8Gi, pods: 110}}',
    "  workloads:",
    "    - manifest: {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 2, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: app, image: nginx}]}}}}",
    "  timeline:",
    ...timeline.map((x) => `    - ${x}`),
    "",
  ].join("\n");
}

describe("composition with node faults", () => {
  it("a machine recovering during the outage starts its kubelet at the end (Starting kubelet. at 10m)", () => {
    const out = run(load(writeScenario(scenario(["{at: 1m, action: nodeFailure, node: w-1}", "{at: 3m, action: apiServerOutage, until: 10m}", "{at: 5m, action: nodeRecover, node: w-1}"]))));
    const starts = out.events.filter((e) => e.reason === "Starting" && e.involvedObject.name === "w-1").map((e) => e.simTime);
    expect(starts).toEqual([0, UP]);
  });

  it("a partition healing inside the outage stays cut off until the outage ends", () => {
    const renewals: number[] = [];
    run(load(writeScenario(scenario(["{at: 2m, action: networkPartition, nodes: [w-1], until: 5m}", "{at: 3m, action: apiServerOutage, until: 10m}"]))), (c) => {
      c.cp.store.watch("Lease", (_t, o) => void ((o as Lease).metadata.name === "w-1" && renewals.push(c.sim.now)));
    });
    expect(renewals.filter((x) => x > 120_000 && x < UP)).toEqual([]);
    expect(renewals.some((x) => x >= UP && x <= UP + 7_000)).toBe(true);
  });

  it("refuses a cordon inside the window at load time, naming the window", () => {
    const r = loadScenario(writeScenario(scenario(["{at: 3m, action: apiServerOutage, duration: 2m}", "{at: 4m, action: cordon, node: w-1}"])));
    // Line 13 is the second item; "{at: 4m, action: " puts the value cordon at offset 17, column 7 + 17 = 24.
    expect(r.ok ? [] : r.errors.map((e) => e.replace(/^.*?\.yaml:/, ""))).toEqual([
      "13:24: spec.timeline[1].action: cordon at 4m needs the API server, which is down then (apiServerOutage from 3m until 5m); expected a time outside the outage",
    ]);
  });
});

describe("hostile apiServerOutage and slowApiServer actions (also run by hostile-input.test.ts)", () => {
  for (const c of FAULT_CASES.filter((x) => x.name.includes("apiServerOutage") || x.name.includes("slowApiServer") || x.name.includes("API server") || x.name.includes("apiServerOutage window"))) {
    it(c.name, async () => {
      const { result, problems } = await runHostileCase(c, { kind: "in-process" });
      expect(problems.join("; "), result.err).toBe("");
    });
  }
});

describe("slowApiServer", () => {
  /** The times nodes turn NotReady (NodeNotReady events of Nodes) with `latency` added from 3m to 7m. */
  const notReadyWith = (latency: string) => {
    const out = run(load(writeScenario(scenario([`{at: 3m, action: slowApiServer, latency: ${latency}, until: 7m}`]))));
    return { out, times: out.events.filter((e) => e.reason === "NodeNotReady" && e.involvedObject.kind === "Node").map((e) => e.simTime) };
  };

  it("records the window: +latency until its end, and its end", () => {
    const { out } = notReadyWith("30s");
    expect(out.faultsRows.map((r) => [r[1], r[3], r[4], r[5]])).toEqual([
      [180, "slowApiServer", "apiserver", "+30s until 7m"],
      [420, "slowApiServerEnded", "apiserver", ""],
    ]);
  });

  it("30s on every watch: lease renewals arrive late but 10s apart, the longest gap 10s + 30s < 50s grace: no node NotReady", () => {
    expect(notReadyWith("30s").times).toEqual([]);
  });

  it("55s: the gap at the window's start is 10s + 55s > 50s, so the node lifecycle controller marks both nodes NotReady", () => {
    const { times } = notReadyWith("55s");
    expect(times).toHaveLength(2);
    // The last renewal seen on time is at most 10.4s before 3m, so the grace runs out before 3m + 55s.
    for (const t of times) expect(t).toBeGreaterThan(180_000);
    for (const t of times) expect(t).toBeLessThan(235_000);
  });

  it("delays the controllers' writes: a scale inside the window creates its pods latency later", () => {
    const created = (timeline: string[]) => {
      const times: number[] = [];
      run(load(writeScenario(scenario(timeline))), (c) => c.cp.store.watch("Pod", (type) => void (type === "ADDED" && times.push(c.sim.now))));
      return times.filter((t) => t >= 240_000);
    };
    const fast = created(["{at: 4m, action: scale, target: deployment/web, replicas: 3}"]);
    const slow = created(["{at: 3m, action: slowApiServer, latency: 20s, until: 7m}", "{at: 4m, action: scale, target: deployment/web, replicas: 3}"]);
    expect(fast).toHaveLength(1);
    expect(slow).toHaveLength(1);
    // The scale reaches the Deployment controller 20s late (watch); its ReplicaSet update is a direct write (no
    // client, no delay); that update reaches the ReplicaSet controller 20s late (watch), and its pod create through
    // the controller's client takes 20s more: 3 x 20s.
    expect(slow[0]! - fast[0]!).toBe(60_000);
  });
});
