import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deployment, Pod, ReplicaSet } from "../src/api/types.js";
import { POD_UPDATE_FORBIDDEN } from "../src/api/validation/pod-update.js";
import type { RunOutcome } from "../src/run.js";
import { load, removeScenarios, run, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

/** A Deployment manifest; template labels carry tier: x so that both selectors below match them. */
const WEB = (selector: string, image = "nginx:1.27") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {${selector}}
  template:
    metadata:
      labels: {app: web, tier: x}
    spec:
      containers:
        - name: web
          image: ${image}
`;

// Line numbers matter: the refusals are reported at the inline manifests' positions in this text.
const SCENARIO = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: apply-immutable}
spec:
  duration: 8m
  cluster:
    nodePools: [{name: w, count: 2, capacity: {cpu: "8", memory: 16Gi}}]
  workloads:
    - file: web.yaml
    - manifest:
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: bare}
        spec:
          replicas: 1
          selector: {matchLabels: {app: bare}}
          template:
            metadata: {labels: {app: bare, tier: y}}
            spec:
              containers: [{name: app, image: "busybox:1.36"}]
    - manifest:
        apiVersion: v1
        kind: Pod
        metadata: {name: solo}
        spec:
          containers: [{name: app, image: "app:1"}]
  timeline:
    - {at: 1m, action: apply, file: web-selector.yaml}
    - at: 1m
      action: apply
      manifest:
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: bare}
        spec:
          replicas: 1
          selector: {matchLabels: {app: bare, tier: y}}
          template:
            metadata: {labels: {app: bare, tier: y}}
            spec:
              containers: [{name: app, image: "busybox:1.36"}]
    - {at: 2m, action: scale, target: deployment/web, replicas: 5}
    - {at: 3m, action: apply, file: web.yaml}
    - at: 4m
      action: apply
      manifest:
        apiVersion: v1
        kind: Pod
        metadata: {name: solo}
        spec:
          containers: [{name: app, image: "app:1", resources: {requests: {cpu: 100m}}}]
    - at: 5m
      action: apply
      manifest:
        apiVersion: v1
        kind: Pod
        metadata: {name: solo}
        spec:
          containers: [{name: app, image: "app:2"}]
    - {at: 6m, action: apply, file: web-v2.yaml}
  expect:
    - {object: deployment/web, field: spec.replicas, "==": 5}
    - {object: deployment/web, field: status.availableReplicas, "==": 5}
`;

describe("apply of immutable fields is refused with upstream's message, and the run goes on", () => {
  let outcome: RunOutcome;
  let web: Deployment;
  let bare: ReplicaSet;
  let solo: Pod;
  /** The Pod's spec right after it was bound, and the Deployment's replicas after each apply or scale. */
  let soloBound: Pod | undefined;
  const replicasAt: [number, number][] = [];

  beforeAll(() => {
    const file = writeScenario(SCENARIO, { "web.yaml": WEB("app: web"), "web-selector.yaml": WEB("app: web, tier: x"), "web-v2.yaml": WEB("app: web", "nginx:1.28") });
    outcome = run(
      load(file),
      (c) => {
        c.cp.store.watch("Pod", (type, o, old) => {
          const p = o as Pod;
          if (type === "MODIFIED" && p.metadata.name === "solo" && p.spec.nodeName && !(old as Pod).spec.nodeName) soloBound = p;
        });
        c.cp.store.watch("Deployment", (_t, o, old) => {
          const d = o as Deployment;
          if (d.spec.replicas !== (old as Deployment | undefined)?.spec.replicas) replicasAt.push([c.sim.now, d.spec.replicas!]);
        });
      },
      (c) => {
        web = c.cp.api.get<Deployment>("Deployment", "default", "web")!;
        bare = c.cp.api.get<ReplicaSet>("ReplicaSet", "default", "bare")!;
        solo = c.cp.api.get<Pod>("Pod", "default", "solo")!;
      },
    );
  }, 60_000);

  const problems = () => outcome.summary.problems;

  it("a changed Deployment selector: `spec.selector: Invalid value: v1.LabelSelector{...}: field is immutable`", () => {
    // pkg/registry/apps/deployment/strategy.go ValidateUpdate -> apivalidation.ValidateImmutableField
    // (FieldImmutableErrorMsg "field is immutable"); the new *metav1.LabelSelector printed with %#v (1.32).
    // Reported at the manifest that was applied (web-selector.yaml, its first document at 1:1).
    expect(problems()[0]).toEqual({
      at: 60_000,
      message:
        'web-selector.yaml:1:1: The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    });
    expect(web.spec.selector).toEqual({ matchLabels: { app: "web" } });
  });

  it("a changed ReplicaSet selector is refused the same way (pkg/registry/apps/replicaset/strategy.go), at the inline manifest", () => {
    // scenario.yaml line 32 is the inline manifest's first key (apiVersion), column 9.
    expect(problems()[1]).toEqual({
      at: 60_000,
      message:
        'scenario.yaml:32:9: The ReplicaSet "bare" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"bare", "tier":"y"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    });
    expect(bare.spec.selector).toEqual({ matchLabels: { app: "bare" } });
  });

  it("the run goes on: the later scale happens, and every expectation passes", () => {
    expect(replicasAt).toEqual([
      [0, 2],
      [120_000, 5],
    ]);
    expect(outcome.summary.expectations.map((e) => [e.actual, e.passed])).toEqual([
      [5, true],
      [5, true],
    ]);
  });

  it("re-applying a manifest after a scale keeps the scaled replicas (kubectl apply's three-way merge)", () => {
    // web.yaml (3m) and web-v2.yaml (6m) say replicas: 2, as the last applied manifest did: the patch does not
    // mention replicas, so the live 5 stays; web-v2.yaml's new image is patched in and rolled out.
    expect(replicasAt.filter(([t]) => t >= 180_000)).toEqual([]);
    expect(web.spec.replicas).toBe(5);
    expect(web.spec.template.spec.containers[0]!.image).toBe("nginx:1.28");
    expect(web.status?.updatedReplicas).toBe(5);
  });

  it("a Pod spec change other than the image is Forbidden (ValidatePodUpdate), at the apply's manifest", () => {
    // scenario.yaml line 47 is that inline manifest's first key, column 9.
    // pkg/apis/core/validation/validation.go ValidatePodUpdate: field.Forbidden(spec, "pod updates may not change
    // fields other than ..."), the list joined by "," with no space. NOTE: upstream appends a go-cmp diff of the
    // specs after a newline; k8sim does not.
    expect(problems()[2]!.at).toBe(240_000);
    expect(problems()[2]!.message).toBe(`scenario.yaml:47:9: The Pod "solo" is invalid: spec: Forbidden: ${POD_UPDATE_FORBIDDEN}`);
    expect(POD_UPDATE_FORBIDDEN).toBe(
      "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    );
    expect(solo.spec.containers[0]!.resources).toBeUndefined();
  });

  it("an image-only change of a Pod is accepted: the pod keeps its node, tolerations and defaults", () => {
    expect(problems()).toHaveLength(3);
    expect(solo.spec.containers[0]!.image).toBe("app:2");
    expect(soloBound).toBeDefined();
    expect(solo.spec.nodeName).toBe(soloBound!.spec.nodeName);
    expect(solo.metadata.uid).toBe(soloBound!.metadata.uid);
    expect(solo.spec.tolerations).toEqual(soloBound!.spec.tolerations);
    // The defaults the user never wrote stay (the three-way merge keeps server-set fields).
    expect(solo.spec.containers[0]!.imagePullPolicy).toBe("IfNotPresent");
    expect(solo.spec.containers[0]!.terminationMessagePath).toBe("/dev/termination-log");
  });
});
