import { deploymentScenario } from "./fixtures/manifests.js";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_ADMISSION_PLUGINS, enabledPlugins } from "../src/api/admission/chain.js";
import { defaultTolerations } from "../src/api/admission/default-toleration-seconds.js";
import type { Pod } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import { DEFAULT_SETTINGS, resolveSettings, type Settings } from "../src/settings.js";
import { load, removeScenarios, run, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const names = (s: Partial<Settings>) => enabledPlugins(resolveSettings(s)).map((p) => p.name);

describe("enabledPlugins (--enable-admission-plugins / --disable-admission-plugins)", () => {
  const ALL = ["NamespaceLifecycle", "LimitRanger", "ServiceAccount", "Priority", "DefaultTolerationSeconds", "ResourceQuota"];
  const without = (...off: string[]) => ALL.filter((n) => !off.includes(n));

  it("runs the default-on plugins in AllOrderedPlugins order: NamespaceLifecycle, LimitRanger, ServiceAccount, Priority, DefaultTolerationSeconds, ResourceQuota", () => {
    // pkg/kubeapiserver/options/plugins.go: NamespaceLifecycle (3rd), LimitRanger (6th), ServiceAccount (7th),
    // Priority (14th), DefaultTolerationSeconds (15th), ResourceQuota (near the end, after the webhooks); all are
    // outside DefaultOffAdmissionPlugins.
    expect(DEFAULT_ADMISSION_PLUGINS).toEqual(ALL);
    expect(names({})).toEqual(ALL);
  });

  it.each([
    [{ disableAdmissionPlugins: ["Priority"] }, without("Priority")],
    [{ disableAdmissionPlugins: ["DefaultTolerationSeconds", "NamespaceLifecycle"] }, without("DefaultTolerationSeconds", "NamespaceLifecycle")],
    // The order they are written in does not count; enabling a default-on plugin changes nothing.
    [{ enableAdmissionPlugins: ["DefaultTolerationSeconds", "NamespaceLifecycle"] }, ALL],
    // Disable wins over enable for the same name.
    [{ enableAdmissionPlugins: ["Priority"], disableAdmissionPlugins: ["Priority"] }, without("Priority")],
    [{ disableAdmissionPlugins: ALL }, []],
  ] as [Partial<Settings>, string[]][])("%o -> %o", (settings, expected) => {
    expect(names(settings)).toEqual(expected);
  });
});

/** A cluster with no nodes and `settings`, for calling the API server directly. */
function apiOf(settings: Partial<Settings> = {}) {
  return new Cluster(1, resolveSettings(settings), Date.UTC(2026, 0, 1)).cp.api;
}

const pod = (name: string, spec: Partial<Pod["spec"]> = {}, namespace = "default"): Pod =>
  ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace }, spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...spec }, status: {} }) as Pod;

describe("NamespaceLifecycle", () => {
  it("refuses a pod in a namespace that does not exist: namespaces \"nope\" not found (404)", () => {
    // staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle: errors.NewNotFound(namespaces, ns).
    expect(apiOf().create(pod("x", {}, "nope"))).toEqual({ ok: false, code: 404, reason: "NotFound", message: 'namespaces "nope" not found' });
  });

  it("refuses to delete an immortal namespace (default, kube-system, kube-public)", () => {
    const api = apiOf();
    for (const ns of ["default", "kube-system", "kube-public"]) {
      expect(api.delete("Namespace", undefined, ns)).toEqual({ ok: false, code: 403, reason: "Forbidden", message: `namespaces "${ns}" is forbidden: this namespace may not be deleted` });
    }
  });

  it("disabled, it lets the pod into the missing namespace (ServiceAccount admission then refuses it: no `default` there)", () => {
    const r = apiOf({ disableAdmissionPlugins: ["NamespaceLifecycle", "ServiceAccount"] }).create(pod("x", {}, "nope"));
    expect(r.ok).toBe(true);
    const refused = apiOf({ disableAdmissionPlugins: ["NamespaceLifecycle"] }).create(pod("x", {}, "nope"));
    expect(refused.ok === false && refused.message).toBe('pods "x" is forbidden: error looking up service account nope/default: serviceaccount "default" not found');
  });
});

describe("Priority", () => {
  it("refuses an unknown priorityClassName: pods \"x\" is forbidden: no PriorityClass with name gold was found (403)", () => {
    // plugin/pkg/admission/priority/admission.go: admission.NewForbidden(a, fmt.Errorf("no PriorityClass with name %v was found", ...)).
    expect(apiOf().create(pod("x", { priorityClassName: "gold" }))).toEqual({
      ok: false,
      code: 403,
      reason: "Forbidden",
      message: 'pods "x" is forbidden: no PriorityClass with name gold was found',
    });
  });

  it.each([
    // pkg/apis/scheduling/types.go: SystemCriticalPriority = 2 * HighestUserDefinablePriority = 2,000,000,000;
    // system-node-critical = SystemCriticalPriority + 1000.
    ["system-node-critical", 2_000_001_000],
    ["system-cluster-critical", 2_000_000_000],
    // No class and no globalDefault class: DefaultPriorityWhenNoDefaultClassExists = 0.
    [undefined, 0],
  ])("priorityClassName %s gives priority %d and preemptionPolicy PreemptLowerPriority", (cls, value) => {
    const r = apiOf().create(pod("x", cls ? { priorityClassName: cls } : {}));
    if (!r.ok) throw new Error(r.message);
    expect(r.object.spec.priority).toBe(value);
    expect(r.object.spec.preemptionPolicy).toBe("PreemptLowerPriority");
  });

  // A pod the ReplicaSet controller creates has name "" and a generateName; admission.NewForbidden
  // (extractResourceName) then names it by its generateName: `pods "web-<hash>-" is forbidden: ...` (the
  // FailedCreate event upstream users see).
  it("names a refused pod of a ReplicaSet by its generateName in the FailedCreate event", () => {
    const outcome = run(
      load(
        writeScenario(deploymentScenario({ name: "gold", duration: "1s", podSpecLines: ["priorityClassName: gold"] })),
      ),
    );
    const failed = outcome.events.find((e) => e.reason === "FailedCreate");
    expect(failed?.message).toMatch(/^Error creating: pods "web-[a-z0-9]+-" is forbidden: no PriorityClass with name gold was found$/);
  });

  it("disabled, a pod gets no priority and an unknown class is not refused", () => {
    const r = apiOf({ disableAdmissionPlugins: ["Priority"] }).create(pod("x", { priorityClassName: "gold" }));
    if (!r.ok) throw new Error(r.message);
    expect(r.object.spec.priority).toBeUndefined();
  });
});

describe("DefaultTolerationSeconds", () => {
  const NOT_READY = { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 } as const;
  const UNREACHABLE = { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 } as const;

  it.each([
    // plugin/pkg/admission/defaulttolerationseconds: both added, 300 s each (--default-not-ready-toleration-seconds,
    // --default-unreachable-toleration-seconds).
    ["none", undefined, [NOT_READY, UNREACHABLE]],
    ["its own not-ready toleration", [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 10 }], [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 10 }, UNREACHABLE]],
    // A toleration with an empty effect covers NoExecute too.
    ["unreachable with no effect", [{ key: "node.kubernetes.io/unreachable", operator: "Exists" }], [{ key: "node.kubernetes.io/unreachable", operator: "Exists" }, NOT_READY]],
    // An Exists toleration with no key tolerates every taint: nothing is added.
    ["tolerate everything", [{ operator: "Exists" }], [{ operator: "Exists" }]],
  ] as const)("a pod with %s", (_name, tolerations, expected) => {
    expect(defaultTolerations(tolerations as never, DEFAULT_SETTINGS)).toEqual(expected);
  });

  const SCENARIO = (settings: string) => `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: dts}
spec:
  duration: 10m
  cluster:
    nodePools: [{name: w, count: 2, capacity: {cpu: "4", memory: 8Gi}}]
  settings: ${settings}
  workloads:
    - manifest:
        apiVersion: v1
        kind: Pod
        metadata: {name: solo}
        spec:
          nodeName: w-1
          containers: [{name: app, image: "nginx:1.27"}]
  timeline:
    - {at: 1m, action: nodeFailure, node: w-1}
`;

  /** Runs the node failure; returns the pod's tolerations and when it was marked for deletion. */
  function nodeFailure(settings: string) {
    let tolerations: unknown;
    const marked: number[] = [];
    const outcome = run(
      load(writeScenario(SCENARIO(settings))),
      (c) =>
        c.cp.store.watch("Pod", (type, o, old) => {
          if (type === "MODIFIED" && (o as Pod).metadata.deletionTimestamp && !(old as Pod).metadata.deletionTimestamp) marked.push(c.sim.now);
        }),
      (c) => (tolerations = c.cp.api.get<Pod>("Pod", "default", "solo")?.spec.tolerations),
    );
    return { tolerations, marked, evictions: outcome.summary.totals.evictions };
  }

  it("on by default: a pod on a failed node is evicted 300 s after the node is tainted", () => {
    const r = nodeFailure("{}");
    expect(r.tolerations).toEqual([NOT_READY, UNREACHABLE]);
    // The node stops at 60 s and is tainted unreachable at 110 s (60 s + nodeMonitorGracePeriod 50 s, see the
    // test below, where that taint evicts at once); tolerationSeconds 300 later: 110 + 300 = 410 s.
    expect(r.marked).toEqual([410_000]);
    expect(r.evictions).toBe(1);
  });

  it("disabled through spec.settings.disableAdmissionPlugins: no default tolerations, evicted as soon as the node is tainted", () => {
    const r = nodeFailure("{disableAdmissionPlugins: [DefaultTolerationSeconds]}");
    expect(r.tolerations).toBeUndefined();
    expect(r.marked).toEqual([110_000]);
    expect(r.evictions).toBe(1);
  });
});
