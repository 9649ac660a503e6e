import { afterAll, describe, expect, it } from "vitest";
import type { ReplicaSet } from "../src/api/types.js";
import { load, removeScenarios, run, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

describe("ReplicaSet status (calculateStatus)", () => {
  it("counts fullyLabeledReplicas against template labels the selector does not name", () => {
    const file = writeScenario(
      `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: rs-status}
spec:
  duration: 2m
  cluster:
    nodePools: [{name: w, count: 2, capacity: {cpu: "4", memory: 8Gi}}]
  workloads: [{file: rs.yaml}]
  timeline:
    - {at: 1m, action: scale, target: replicaset/web, replicas: 2}
`,
      {
        "rs.yaml": `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 5
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec:
      containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]
`,
      },
    );
    const seen: { t: number; status: ReplicaSet["status"] }[] = [];
    let end: ReplicaSet | undefined;
    run(
      load(file),
      (c) => c.cp.store.watch("ReplicaSet", (_t, o) => seen.push({ t: c.sim.now, status: (o as ReplicaSet).status })),
      (c) => (end = c.cp.api.get<ReplicaSet>("ReplicaSet", "default", "web")),
    );
    // Every pod comes from the template, so it carries app=web and version=v1: fully labeled = replicas throughout.
    for (const { status } of seen) if (status) expect(status.fullyLabeledReplicas ?? 0).toBe(status.replicas);
    expect(seen.some((x) => x.status?.replicas === 5)).toBe(true);
    expect(end?.status).toMatchObject({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
  });
});
