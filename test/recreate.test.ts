import { afterAll, describe, expect, it } from "vitest";
import type { Deployment, Pod } from "../src/api/types.js";
import { load, removeScenarios, run, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: rc}
spec:
  replicas: 2
  strategy: {type: Recreate}
  selector: {matchLabels: {app: rc}}
  template:
    metadata: {labels: {app: rc}}
    spec:
      terminationGracePeriodSeconds: 30
      containers: [{name: c, image: "${image}", resources: {requests: {cpu: 100m}}}]
`;

describe("Recreate strategy (pkg/controller/deployment/recreate.go)", () => {
  const file = writeScenario(
    `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: recreate}
spec:
  duration: 3m
  settings: {podStopLatency: 5s}
  cluster:
    nodePools: [{name: w, count: 2, capacity: {cpu: "2", memory: 4Gi}}]
  workloads: [{file: d1.yaml}]
  timeline:
    - {at: 1m, action: apply, file: d2.yaml}
`,
    { "d1.yaml": deployment("app:1"), "d2.yaml": deployment("app:2") },
  );
  // Every store write: how many pods of each image exist (terminating ones included).
  const overlaps: number[] = [];
  let lastOldGone = -1;
  let firstNew = -1;
  const availableCondition: { available: number; status: string }[] = [];
  const outcome = run(load(file), (c) => {
    c.cp.store.watch("Deployment", (_t, o) => {
      const d = o as Deployment;
      const cond = d.status?.conditions?.find((x) => x.type === "Available");
      if (cond) availableCondition.push({ available: d.status.availableReplicas ?? 0, status: cond.status });
    });
    c.cp.store.watch("Pod", (type, o) => {
      const pods = [...c.cp.store.list<Pod>("Pod")];
      const old = pods.filter((p) => p.spec.containers[0].image === "app:1").length;
      const neu = pods.filter((p) => p.spec.containers[0].image === "app:2").length;
      if (old > 0 && neu > 0) overlaps.push(c.sim.now);
      if (type === "DELETED" && (o as Pod).spec.containers[0].image === "app:1") lastOldGone = c.sim.now;
      if (type === "ADDED" && (o as Pod).spec.containers[0].image === "app:2" && firstNew < 0) firstNew = c.sim.now;
    });
  });

  it("creates no new pod while an old one still exists, terminating ones included", () => {
    expect(overlaps).toEqual([]);
    // Old pods are asked to stop at 60s and take podStopLatency (5s) to go: new pods come at 65s, not at 60s.
    expect(lastOldGone).toBe(65_000);
    expect(firstNew).toBe(65_000);
  });

  it("reports Available=False while fewer than all replicas are available (MaxUnavailable is 0 for Recreate)", () => {
    // replicas 2 - MaxUnavailable 0 = 2 must be available; with RollingUpdate's 25% it would be 2 - 0 = 2 as well,
    // so the difference shows with 0 available: the old code compared against replicas - replicas = 0.
    const down = availableCondition.filter((x) => x.available < 2);
    expect(down.length).toBeGreaterThan(0);
    for (const x of down) expect(x.status).toBe("False");
    expect(availableCondition[availableCondition.length - 1]).toEqual({ available: 2, status: "True" });
    expect(outcome.summary.availability["default/rc"]).toMatchObject({ desiredReplicas: 2, availableReplicasAtEnd: 2 });
  });
});
