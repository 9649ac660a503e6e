import { afterAll, describe, expect, it } from "vitest";
import type { Pod } from "../src/api/types.js";
import { load, removeScenarios, run, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const POD = (image: string, env = "") => `apiVersion: v1
kind: Pod
metadata: {name: solo}
spec:
  containers:
    - name: app
      image: ${image}${env}
      resources: {requests: {cpu: 100m, memory: 64Mi}}
`;

const scenario = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: apply-pod}
spec:
  duration: 5m
  cluster:
    nodePools: [{name: w, count: 2, capacity: {cpu: "2", memory: 4Gi}}]
  workloads:
    - file: pod-v1.yaml
  timeline:
    - {at: 1m, action: apply, file: pod-v1.yaml}
    - {at: 2m, action: apply, file: pod-v2.yaml}
    - {at: 3m, action: apply, file: pod-env.yaml}
`;

describe("apply of an existing Pod (pod specs are immutable but for images)", () => {
  const file = writeScenario(scenario, {
    "pod-v1.yaml": POD("app:1"),
    "pod-v2.yaml": POD("app:2"),
    "pod-env.yaml": POD("app:2", "\n      env: [{name: A, value: b}]"),
  });
  let end: Pod | undefined;
  const binds: string[] = [];
  const outcome = run(
    load(file),
    (c) =>
      c.cp.store.watch("Pod", (type, o, old) => {
        if (type === "MODIFIED" && (o as Pod).spec.nodeName !== (old as Pod).spec.nodeName) binds.push((o as Pod).spec.nodeName ?? "");
      }),
    (c) => (end = c.cp.api.get<Pod>("Pod", "default", "solo")),
  );

  it("re-applying the same manifest changes nothing: the pod stays bound where it was, scheduled once", () => {
    expect(binds).toHaveLength(1);
    expect(outcome.summary.totals.podsScheduled).toBe(1);
    expect(end?.spec.nodeName).toBe(binds[0]);
  });

  it("a new image is patched in, keeping the node and the admission-added tolerations", () => {
    expect(end?.spec.containers[0].image).toBe("app:2");
    expect(end?.spec.tolerations?.map((t) => t.key)).toEqual(["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]);
  });

  it("any other change is refused with upstream's Forbidden message, reported at the apply's file:line:col", () => {
    expect(outcome.summary.problems).toHaveLength(1);
    expect(outcome.summary.problems[0].message).toMatch(/pod-env\.yaml:1:1: The Pod "solo" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/);
    expect(outcome.summary.totals.podsCreated).toBe(1);
  });
});
