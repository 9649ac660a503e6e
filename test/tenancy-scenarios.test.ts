/**
 * The four scenarios of issue 9 as a user reads them: each runs as-is with every expectation passing, and what the
 * issue promises is in the report: the guestbook's Services with their addresses and endpoints over time, a node
 * failure seen in a Service's endpoints, a quota stopping a scale-up with upstream's FailedCreate text until it
 * frees, and a namespace removed content first, then itself.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Service } from "../src/api/service/types.js";
import type { KubeObject, Namespace, ReplicaSet } from "../src/api/types.js";
import { column, load, run, SCENARIOS } from "./helpers/scenario-tmp.js";

const passed = (o: ReturnType<typeof run>) => o.summary.expectations.map((e: { expect: string; passed: boolean | null }) => [e.expect, e.passed]);

describe("web-stack.yaml", () => {
  let services: Service[] = [];
  const outcome = run(load(join(SCENARIOS, "web-stack.yaml")), undefined, (c) => (services = [...c.cp.store.list<Service>("Service")]));

  it("passes every expectation", () => {
    for (const [e, ok] of passed(outcome)) expect(ok, e as string).toBe(true);
  });

  it("gives each Service what its type asks for: cluster IPs from 10.96.0.0/12, none for the headless one, node ports from 30000-32767", () => {
    const byName = new Map(services.map((s) => [s.metadata.name, s]));
    // default/kubernetes holds the range's first address.
    expect(byName.get("kubernetes")!.spec.clusterIP).toBe("10.96.0.1");
    for (const n of ["redis-leader", "frontend", "frontend-debug"]) expect(byName.get(n)!.spec.clusterIP, n).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
    expect(byName.get("redis-follower")!.spec.clusterIP).toBe("None");
    const lbPort = byName.get("frontend")!.spec.ports![0]!.nodePort!;
    expect(lbPort).toBeGreaterThanOrEqual(30000);
    expect(lbPort).toBeLessThanOrEqual(32767);
    expect(byName.get("frontend-debug")!.spec.ports![0]!.nodePort).toBe(30080);
    expect(byName.get("redis-leader")!.spec.ports![0]!.nodePort).toBeUndefined();
  });

  it("records each Service's ready and not-ready endpoints in metrics.csv: the frontend not ready until 15s, a fourth endpoint during the rollout", () => {
    const ready = column(outcome, "endpoint_address_ready:guestbook/frontend");
    const notReady = column(outcome, "endpoint_address_not_ready:guestbook/frontend");
    const at = (xs: { t: number; v: number }[], t: number) => xs.find((x) => x.t === t)!.v;
    expect([at(ready, 10), at(notReady, 10)]).toEqual([0, 3]);
    expect([at(ready, 20), at(notReady, 20)]).toEqual([3, 0]);
    expect([at(ready, 245), at(notReady, 245)]).toEqual([3, 1]);
    expect([at(ready, 480), at(notReady, 480)]).toEqual([3, 0]);
    expect(outcome.metricsHeader).toContain("endpoint_address_ready:guestbook/redis-follower");
  });

  it("records the simulated cloud's load balancer events", () => {
    const lb = outcome.events.filter((e) => e.involvedObject.name === "frontend" && e.involvedObject.kind === "Service").map((e) => [e.simTime, e.reason, e.message]);
    expect(lb).toEqual([
      [0, "EnsuringLoadBalancer", "Ensuring load balancer"],
      [5000, "EnsuredLoadBalancer", "Ensured load balancer"],
    ]);
  });
});

describe("service-endpoints-during-outage.yaml", () => {
  const outcome = run(load(join(SCENARIOS, "service-endpoints-during-outage.yaml")));

  it("passes every expectation", () => {
    for (const [e, ok] of passed(outcome)) expect(ok, e as string).toBe(true);
  });

  it("shows the outage in metrics.csv: 6 ready, then 4 ready and 2 not ready from 2m45s (sampled at 2m50s), then 6 ready again after the eviction", () => {
    const ready = column(outcome, "endpoint_address_ready:default/web");
    const notReady = column(outcome, "endpoint_address_not_ready:default/web");
    const changes: [number, number, number][] = [];
    ready.forEach((r, i) => {
      const last = changes[changes.length - 1];
      if (!last || last[1] !== r.v || last[2] !== notReady[i]!.v) changes.push([r.t, r.v, notReady[i]!.v]);
    });
    // Sampled every 5s (the row at 0s precedes the Endpoints object): NotReady at 165s, after that instant's
    // sample, so first seen at 170s; evicted at 470s, the replacements ready at 471s.
    expect(changes).toEqual([
      [0, 0, 0],
      [5, 6, 0],
      [170, 4, 2],
      [475, 6, 0],
    ]);
  });
});

describe("quota-exhausted.yaml", () => {
  const failureCondition: [number, string | undefined][] = [];
  const outcome = run(load(join(SCENARIOS, "quota-exhausted.yaml")), (c) =>
    c.cp.store.watch("ReplicaSet", (_t, obj) => {
      const rs = obj as ReplicaSet;
      if (!rs.metadata.name.startsWith("api-")) return;
      const cond = rs.status?.conditions?.find((x) => x.type === "ReplicaFailure");
      const last = failureCondition[failureCondition.length - 1];
      if ((last?.[1] ?? undefined) !== cond?.reason) failureCondition.push([c.sim.now, cond?.reason]);
    }),
  );

  it("sets the ReplicaSet's ReplicaFailure condition (FailedCreate) while creates are refused, and removes it once they succeed", () => {
    expect(failureCondition.filter(([, r]) => r !== undefined).map(([t, r]) => [t, r])).toEqual([[120_000, "FailedCreate"]]);
    const cleared = failureCondition.find(([t, r]) => t > 120_000 && r === undefined);
    expect(cleared?.[0]).toBe(283_825);
  });

  it("passes every expectation", () => {
    for (const [e, ok] of passed(outcome)) expect(ok, e as string).toBe(true);
  });

  it("records FailedCreate with the API server's quota refusal from 2m, retried with the controller's back-off, until quota frees", () => {
    const failed = outcome.events.filter((e) => e.reason === "FailedCreate");
    expect(failed.length).toBeGreaterThan(5);
    for (const e of failed) {
      expect(e.message).toMatch(/^Error creating: pods "api-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: payments-quota, requested: pods=1, used: pods=10, limited: pods=10$/);
      expect(e.simTime).toBeGreaterThanOrEqual(120_000);
      expect(e.simTime).toBeLessThan(240_000);
    }
    // One retry chain (client-go's delaying queue keeps one wait per key): 5ms doubling from the first failure.
    const gaps = failed.slice(2).map((e, i) => e.simTime - failed[i + 1]!.simTime);
    expect(gaps.slice(0, 4)).toEqual([5, 20, 40, 80]);
    const created = outcome.events.filter((e) => e.reason === "SuccessfulCreate" && e.simTime > 240_000 && e.involvedObject.name.startsWith("api-"));
    expect(created.length).toBe(3);
  });
});

describe("namespace-teardown.yaml", () => {
  const order: [number, string, string][] = [];
  let gone: Namespace | undefined;
  const outcome = run(
    load(join(SCENARIOS, "namespace-teardown.yaml")),
    (c) => {
      for (const kind of ["Pod", "Deployment", "ReplicaSet", "Service", "ConfigMap", "Secret", "Job", "Namespace", "ServiceAccount"]) {
        c.cp.store.watch(kind, (type, obj: KubeObject) => {
          if (type === "DELETED" && (obj.metadata.namespace === "staging" || obj.metadata.name === "staging")) order.push([c.sim.now, kind, obj.metadata.name]);
          if (type === "DELETED" && kind === "Namespace") gone = obj as Namespace;
        });
      }
    },
  );

  it("passes every expectation and reports the refused create at its line", () => {
    for (const [e, ok] of passed(outcome)) expect(ok, e as string).toBe(true);
    expect(outcome.problems.map((p) => p.message)).toContainEqual(expect.stringContaining('configmaps "late-config" is forbidden: unable to create new content in namespace staging because it is being terminated'));
  });

  it("removes the content through the namespace controller 5s after the delete, the pods after they stop, the namespace last", () => {
    expect(order.length).toBeGreaterThan(8);
    const last = order[order.length - 1]!;
    expect(last[1]).toBe("Namespace");
    for (const [t] of order) expect(t).toBeGreaterThanOrEqual(125_000);
    const lastPod = Math.max(...order.filter((o) => o[1] === "Pod").map((o) => o[0]));
    expect(last[0]).toBeGreaterThan(lastPod);
    expect(gone!.status?.phase).toBe("Terminating");
    expect(order.filter((o) => o[1] === "ServiceAccount").map((o) => o[2])).toEqual(["default"]);
  });
});
