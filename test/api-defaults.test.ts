import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultPullPolicy } from "../src/api/defaults/pod.js";
import type { Deployment, Namespace, Pod, ReplicaSet } from "../src/api/types.js";
import type { RunOutcome } from "../src/run.js";
import { load, removeScenarios, run, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

/**
 * Minimal objects, as a user writes them: every field below that they leave out is filled in by the API server's
 * defaulting (pkg/apis/<group>/v1/defaults.go), the registry strategies and the admission plugins, and reads back
 * as a real cluster shows it. The expectations check the same defaults through `expect:`, as a scenario author would.
 */
const SCENARIO = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: defaults}
spec:
  duration: 1m
  cluster:
    nodePools: [{name: w, count: 2, capacity: {cpu: "4", memory: 8Gi}}]
  workloads:
    - manifest:
        apiVersion: v1
        kind: Namespace
        metadata: {name: team}
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - {name: web, image: nginx, ports: [{containerPort: 80}]}
    - manifest:
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: bare}
        spec:
          selector: {matchLabels: {app: bare}}
          template:
            metadata: {labels: {app: bare}}
            spec:
              containers: [{name: app, image: "busybox:1.36"}]
    - manifest:
        apiVersion: v1
        kind: Pod
        metadata: {name: solo}
        spec:
          containers:
            - {name: app, image: "nginx:1.27", ports: [{containerPort: 8080}]}
  expect:
    - {at: 30s, object: deployment/web, field: spec.strategy.rollingUpdate.maxSurge, "==": "25%"}
    - {at: 30s, object: deployment/web, field: spec.template.spec.restartPolicy, "==": Always}
    - {at: 30s, object: deployment/web, field: spec.replicas, "==": 1}
    - {at: 30s, object: deployment/web, field: spec.template.spec.containers.0.imagePullPolicy, "==": Always}
    - {at: 30s, object: pod/solo, field: spec.containers.0.imagePullPolicy, "==": IfNotPresent}
`;

describe("defaults: minimal objects read back from a simulated cluster", () => {
  let outcome: RunOutcome;
  let deploy: Deployment;
  let rs: ReplicaSet;
  let pod: Pod;
  let rsPod: Pod;
  let ns: Namespace;
  let kubeSystem: Namespace;

  beforeAll(() => {
    outcome = run(load(writeScenario(SCENARIO)), undefined, (c) => {
      const { api } = c.cp;
      deploy = api.get<Deployment>("Deployment", "default", "web")!;
      rs = api.get<ReplicaSet>("ReplicaSet", "default", "bare")!;
      pod = api.get<Pod>("Pod", "default", "solo")!;
      rsPod = [...api.list<Pod>("Pod")].find((p) => p.metadata.labels?.app === "web")!;
      ns = api.get<Namespace>("Namespace", undefined, "team")!;
      kubeSystem = api.get<Namespace>("Namespace", undefined, "kube-system")!;
    });
  }, 60_000);

  it("a Deployment gets SetDefaults_Deployment's values", () => {
    const s = deploy.spec;
    expect(s.replicas).toBe(1); // pkg/apis/apps/v1/defaults.go SetDefaults_Deployment: Replicas = 1
    expect(s.strategy?.type).toBe("RollingUpdate"); // same: Strategy.Type = RollingUpdateDeploymentStrategyType
    // same: MaxUnavailable and MaxSurge = intstr.FromString("25%"), strings, not numbers
    expect(s.strategy?.rollingUpdate).toEqual({ maxUnavailable: "25%", maxSurge: "25%" });
    expect(s.revisionHistoryLimit).toBe(10); // same: RevisionHistoryLimit = 10
    expect(s.progressDeadlineSeconds).toBe(600); // same: ProgressDeadlineSeconds = 600
  });

  it("the Deployment's pod template gets SetDefaults_PodSpec, SetDefaults_Container and port defaults", () => {
    const t = deploy.spec.template.spec;
    expect(t.restartPolicy).toBe("Always"); // pkg/apis/core/v1/defaults.go SetDefaults_PodSpec: RestartPolicyAlways
    expect(t.dnsPolicy).toBe("ClusterFirst"); // same: DNSClusterFirst
    expect(t.securityContext).toEqual({}); // same: SecurityContext = &v1.PodSecurityContext{}
    expect(t.terminationGracePeriodSeconds).toBe(30); // same: v1.DefaultTerminationGracePeriodSeconds = 30
    expect(t.schedulerName).toBe("default-scheduler"); // same: v1.DefaultSchedulerName
    const c = t.containers[0]!;
    expect(c.imagePullPolicy).toBe("Always"); // SetDefaults_Container: "nginx" has no tag, so tag "latest": PullAlways
    expect(c.terminationMessagePath).toBe("/dev/termination-log"); // same: TerminationMessagePathDefault
    expect(c.terminationMessagePolicy).toBe("File"); // same: TerminationMessageReadFile
    expect(c.ports).toEqual([{ containerPort: 80, protocol: "TCP" }]); // zz_generated.defaults.go: ContainerPort.Protocol "TCP"
    // SetDefaults_Pod runs on pods only, not on templates: no enableServiceLinks, and admission has not run either.
    expect(t.enableServiceLinks).toBeUndefined();
    expect(t.priority).toBeUndefined();
    expect(t.tolerations).toBeUndefined();
  });

  it("a bare Pod gets the pod spec defaults, SetDefaults_Pod's enableServiceLinks, and admission's priority and tolerations", () => {
    const s = pod.spec;
    expect(s.restartPolicy).toBe("Always"); // SetDefaults_PodSpec
    expect(s.dnsPolicy).toBe("ClusterFirst"); // SetDefaults_PodSpec
    expect(s.securityContext).toEqual({}); // SetDefaults_PodSpec
    expect(s.terminationGracePeriodSeconds).toBe(30); // SetDefaults_PodSpec: DefaultTerminationGracePeriodSeconds
    expect(s.schedulerName).toBe("default-scheduler"); // SetDefaults_PodSpec
    expect(s.enableServiceLinks).toBe(true); // SetDefaults_Pod: v1.DefaultEnableServiceLinks = true
    const c = s.containers[0]!;
    expect(c.imagePullPolicy).toBe("IfNotPresent"); // SetDefaults_Container: tag "1.27" is not "latest"
    expect(c.terminationMessagePath).toBe("/dev/termination-log");
    expect(c.terminationMessagePolicy).toBe("File");
    expect(c.ports).toEqual([{ containerPort: 8080, protocol: "TCP" }]);
    // plugin/pkg/admission/priority: no class and no globalDefault class: priority 0, PreemptLowerPriority.
    expect(s.priority).toBe(0);
    expect(s.preemptionPolicy).toBe("PreemptLowerPriority");
    // plugin/pkg/admission/defaulttolerationseconds: two NoExecute tolerations of 300 s.
    expect(s.tolerations).toEqual([
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ]);
  });

  it("a pod the ReplicaSet controller creates from the Deployment's template gets the pod-only defaults too", () => {
    expect(rsPod.metadata.generateName).toMatch(/^web-[a-z0-9]+-$/);
    expect(rsPod.spec.enableServiceLinks).toBe(true); // SetDefaults_Pod
    expect(rsPod.spec.priority).toBe(0); // Priority admission
    expect(rsPod.spec.tolerations?.map((t) => t.tolerationSeconds)).toEqual([300, 300]); // DefaultTolerationSeconds
    expect(rsPod.spec.containers[0]!.imagePullPolicy).toBe("Always");
  });

  it("a ReplicaSet without replicas gets 1 (SetDefaults_ReplicaSet) and runs one pod", () => {
    expect(rs.spec.replicas).toBe(1); // pkg/apis/apps/v1/defaults.go SetDefaults_ReplicaSet: Replicas = 1
    expect(rs.spec.template.spec.restartPolicy).toBe("Always");
    expect(rs.status?.replicas).toBe(1);
  });

  it("a Namespace gets its name label, the kubernetes finalizer and phase Active, as do the system namespaces", () => {
    for (const [n, name] of [
      [ns, "team"],
      [kubeSystem, "kube-system"],
    ] as const) {
      // pkg/apis/core/v1/defaults.go SetDefaults_Namespace: label kubernetes.io/metadata.name = name
      expect(n.metadata.labels).toEqual({ "kubernetes.io/metadata.name": name });
      // pkg/registry/core/namespace/strategy.go PrepareForCreate: Finalizers [kubernetes], Phase Active
      expect(n.spec?.finalizers).toEqual(["kubernetes"]);
      expect(n.status?.phase).toBe("Active");
    }
  });

  it("expectations in the scenario read the defaulted fields, and pass", () => {
    expect(outcome.summary.expectations.map((e) => [e.expect, e.actual, e.passed])).toEqual([
      ['deployment/web spec.strategy.rollingUpdate.maxSurge == "25%" at 30s', "25%", true],
      ['deployment/web spec.template.spec.restartPolicy == "Always" at 30s', "Always", true],
      ["deployment/web spec.replicas == 1 at 30s", 1, true],
      ['deployment/web spec.template.spec.containers.0.imagePullPolicy == "Always" at 30s', "Always", true],
      ['pod/solo spec.containers.0.imagePullPolicy == "IfNotPresent" at 30s', "IfNotPresent", true],
    ]);
    expect(outcome.passed).toBe(true);
    expect(outcome.summary.problems).toEqual([]);
  });
});

const DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

describe("defaultPullPolicy (SetDefaults_Container with parsers.ParseImageName)", () => {
  // ParseImageName: tag "latest" when neither tag nor digest is given; Always only for tag "latest".
  it.each([
    ["nginx", "Always"], // no tag, no digest: tag "latest"
    ["nginx:latest", "Always"],
    ["nginx:1.27", "IfNotPresent"],
    ["docker.io/library/nginx:1.27", "IfNotPresent"],
    [`nginx@${DIGEST}`, "IfNotPresent"], // digest only: tag "" (not defaulted), so not latest
    ["registry:5000/app", "Always"], // ":5000" is the registry's port, not a tag
    ["registry:5000/app:v2", "IfNotPresent"],
    ["registry:5000/team/app:latest", "Always"],
  ])("%s -> %s", (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  // A reference with both a tag and a digest is Tagged (distribution/reference), so ParseImageName returns tag
  // "latest" and SetDefaults_Container picks PullAlways.
  it(`nginx:latest@${DIGEST} -> Always (tag "latest" beside a digest)`, () => {
    expect(defaultPullPolicy(`nginx:latest@${DIGEST}`)).toBe("Always");
  });
});
