import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario, validateFiles, type LoadOptions } from "../src/scenario/load.js";
import type { Scenario } from "../src/scenario/types.js";

// Line numbers matter: every expected error below names line:column in these texts.
const SCENARIO = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: node-failure}
spec:
  seed: 7
  duration: 30m
  cluster:
    nodePools:
      - {name: worker, count: 3, capacity: {cpu: "4", memory: 16Gi, pods: 110}}
  settings: {nodeMonitorGracePeriod: 40s}
  workloads:
    - file: manifests/web.yaml
  timeline:
    - {at: 12m, action: scale, target: deployment/web, replicas: 10}
    - {at: 5m, action: nodeFailure, node: worker-1}
    - {at: 6m, action: nodeRecover, node: worker-1}
  expect:
    - {at: 20m, object: deployment/web, field: status.availableReplicas, ">=": 3}
`;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
          resources:
            requests: {cpu: 500m, memory: 256Mi}
`;

/** Writes the files into a fresh temp dir and loads scenario.yaml; file names in messages are made relative. */
function load(files: Record<string, string>, opts?: LoadOptions) {
  const dir = mkdtempSync(join(tmpdir(), "k8sim-load-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const r = loadScenario(join(dir, "scenario.yaml"), opts);
  const strip = (s: string) => s.split(`${dir}/`).join("");
  return r.ok
    ? { ok: true as const, scenario: r.scenario, warnings: r.warnings.map(strip), errors: [] as string[] }
    : { ok: false as const, errors: r.errors.map(strip), warnings: [] as string[] };
}

/** The base scenario with each [from, to] replacement applied (each `from` must occur). */
function scenario(...edits: [string, string][]): string {
  return edits.reduce((text, [from, to]) => {
    expect(text).toContain(from);
    return text.replace(from, to);
  }, SCENARIO);
}

function loadOk(files: Record<string, string>, opts?: LoadOptions): Scenario {
  const r = load(files, opts);
  expect(r.errors).toEqual([]);
  if (!r.ok) throw new Error("unreachable");
  return r.scenario;
}

describe("loadScenario: a valid scenario", () => {
  it("loads with durations in ms, node pools, settings, and the timeline sorted by time", () => {
    const s = loadOk({ "scenario.yaml": SCENARIO, "manifests/web.yaml": WEB });
    expect(s).toMatchObject({
      name: "node-failure",
      seed: 7,
      duration: 1_800_000,
      startTime: Date.UTC(2026, 0, 1),
      metricsInterval: 10_000,
      settings: { nodeMonitorGracePeriod: 40_000 },
      nodePools: [{ name: "worker", count: 3, capacity: { cpu: "4", memory: "16Gi", pods: "110" }, labels: {}, taints: [] }],
      ignored: [],
    });
    expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(s.timeline.map((a) => [a.at, a.action])).toEqual([
      [300_000, "nodeFailure"],
      [360_000, "nodeRecover"],
      [720_000, "scale"],
    ]);
    expect(s.timeline[2]).toMatchObject({ kind: "Deployment", name: "web", namespace: "default", replicas: 10, source: { line: 14, col: 7 } });
    expect(s.workloads).toHaveLength(1);
    expect(s.workloads[0]!.object.metadata).toEqual({ name: "web", namespace: "default" });
    expect(s.workloads[0]!.source).toEqual({ file: expect.stringMatching(/manifests\/web\.yaml$/), line: 1, col: 1 });
    expect(s.expect).toEqual([
      {
        at: 1_200_000,
        kind: "Deployment",
        name: "web",
        namespace: "default",
        field: "status.availableReplicas",
        op: ">=",
        value: 3,
        text: "deployment/web status.availableReplicas >= 3 at 20m",
        source: { file: expect.stringMatching(/scenario\.yaml$/), line: 18, col: 7 },
      },
    ]);
  });

  it("keeps file order for actions at the same time, and defaults expect.at to the end of the run", () => {
    const s = loadOk({
      "scenario.yaml": scenario(
        ["    - {at: 6m, action: nodeRecover, node: worker-1}", "    - {at: 5m, action: nodeRecover, node: worker-1}"],
        [`{at: 20m, object: deployment/web`, `{object: deployment/web`],
      ),
      "manifests/web.yaml": WEB,
    });
    expect(s.timeline.map((a) => a.action)).toEqual(["nodeFailure", "nodeRecover", "scale"]);
    expect(s.expect[0]!.at).toBe(1_800_000);
  });

  it("defaults seed, startTime, settings and metrics; numbers nodes added to a pool after its last one", () => {
    const s = loadOk({
      "scenario.yaml": scenario(
        ["  seed: 7\n", ""],
        ["  settings: {nodeMonitorGracePeriod: 40s}\n", "  metrics: {interval: 250ms}\n  startTime: 2026-03-01T10:00:00+01:00\n"],
        ["    - {at: 5m, action: nodeFailure, node: worker-1}", "    - {at: 5m, action: nodeFailure, node: worker-5}"],
        ["    - {at: 6m, action: nodeRecover, node: worker-1}", "    - {at: 1m, action: addNodes, pool: {name: worker, count: 2}}"],
      ),
      "manifests/web.yaml": WEB,
    });
    expect(s.seed).toBe(42);
    expect(s.settings).toEqual({});
    expect(s.metricsInterval).toBe(250);
    expect(s.startTime).toBe(Date.UTC(2026, 2, 1, 9));
    expect(s.timeline[0]).toMatchObject({ action: "addNodes", pool: { name: "worker", count: 2, capacity: { cpu: "4", memory: "16Gi", pods: "110" } } });
  });

  it("reports kinds it does not simulate as ignored, with a warning at the document", () => {
    const r = load({
      "scenario.yaml": SCENARIO,
      "manifests/web.yaml": `${WEB}---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\n---\n`,
    });
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual(["manifests/web.yaml:19:1: StatefulSet/web: kind StatefulSet is not simulated yet; ignored"]);
    if (r.ok) expect(r.scenario.ignored).toEqual([{ kind: "StatefulSet", name: "web", source: { file: expect.any(String), line: 19, col: 1 } }]);
  });

  it("accepts inline manifests, and scales a Deployment that an earlier apply created", () => {
    const s = loadOk({
      "scenario.yaml": scenario(
        ["    - file: manifests/web.yaml", "    - manifest: {apiVersion: v1, kind: Namespace, metadata: {name: shop}}"],
        [
          "    - {at: 12m, action: scale, target: deployment/web, replicas: 10}",
          "    - {at: 12m, action: scale, target: deploy/web, namespace: shop, replicas: 10}\n    - {at: 1m, action: apply, file: web.yaml}",
        ],
        ["object: deployment/web,", "object: deployment/web, namespace: shop,"],
      ),
      "web.yaml": WEB.replace("  name: web\n", "  name: web\n  namespace: shop\n"),
    });
    expect(s.workloads.map((m) => m.object.kind)).toEqual(["Namespace"]);
    expect(s.timeline.find((a) => a.action === "apply")).toMatchObject({ at: 60_000, manifests: [{ object: { kind: "Deployment" } }] });
  });
});

describe("loadScenario: every bad input is reported at file:line:column", () => {
  const cases: { name: string; files: Record<string, string>; opts?: LoadOptions; errors: string[] }[] = [
    {
      name: "YAML syntax error",
      files: { "scenario.yaml": scenario(["  duration: 30m", "  duration: [30m"]), "manifests/web.yaml": WEB },
      errors: ["scenario.yaml:7:3: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    },
    {
      name: "unknown key",
      files: { "scenario.yaml": scenario(["  seed: 7", "  sed: 7"]), "manifests/web.yaml": WEB },
      errors: ['scenario.yaml:5:3: unknown key "sed"; did you mean "seed"?'],
    },
    {
      name: "unknown key far from any known one",
      files: { "scenario.yaml": scenario(["    nodePools:", "    colour: blue\n    nodePools:"]), "manifests/web.yaml": WEB },
      errors: ['scenario.yaml:8:5: unknown key "colour"; expected one of: nodePools'],
    },
    {
      name: "wrong type",
      files: { "scenario.yaml": scenario(["count: 3,", "count: three,"]), "manifests/web.yaml": WEB },
      errors: ['scenario.yaml:9:31: spec.cluster.nodePools[0].count: expected an integer, got string "three"'],
    },
    {
      name: "negative count",
      files: { "scenario.yaml": scenario(["count: 3,", "count: -1,"]), "manifests/web.yaml": WEB },
      errors: ["scenario.yaml:9:31: spec.cluster.nodePools[0].count: must be at least 0, got -1"],
    },
    {
      name: "bad duration",
      files: { "scenario.yaml": scenario(["duration: 30m", "duration: 5 minutes"]), "manifests/web.yaml": WEB },
      errors: [
        'scenario.yaml:6:13: spec.duration: invalid duration "5 minutes": unknown unit " minutes"; expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)',
      ],
    },
    {
      name: "bad duration in settings",
      files: { "scenario.yaml": scenario(["nodeMonitorGracePeriod: 40s", "nodeMonitorGracePeriod: 40"]), "manifests/web.yaml": WEB },
      errors: [
        'scenario.yaml:10:38: spec.settings.nodeMonitorGracePeriod: invalid duration "40": missing unit after 40; expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)',
      ],
    },
    {
      name: "bad quantity in a node pool",
      files: { "scenario.yaml": scenario(['cpu: "4"', "cpu: 4 cores"]), "manifests/web.yaml": WEB },
      errors: ['scenario.yaml:9:50: spec.cluster.nodePools[0].capacity.cpu: invalid quantity "4 cores": expected a number with an optional suffix (m, k, M, G, Ki, Mi, Gi, ...)'],
    },
    {
      name: "bad quantity in a manifest's container requests",
      files: { "scenario.yaml": SCENARIO, "manifests/web.yaml": WEB.replace("cpu: 500m", "cpu: 4 cores") },
      errors: ["manifests/web.yaml:17:29: Deployment/web: spec.template.spec.containers[0].resources.requests[cpu]: Invalid value: \"4 cores\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    },
    {
      name: "missing required key, at the mapping",
      files: { "scenario.yaml": scenario(['cpu: "4", ', ""]), "manifests/web.yaml": WEB },
      errors: ['scenario.yaml:9:44: spec.cluster.nodePools[0].capacity: missing required key "cpu"'],
    },
    {
      name: "node that does not exist",
      files: { "scenario.yaml": scenario(["node: worker-1}", "node: worker-4}"]), "manifests/web.yaml": WEB },
      errors: ['scenario.yaml:15:43: node "worker-4" does not exist at 5m; did you mean "worker-1"?'],
    },
    {
      name: "node that only exists after a later addNodes",
      files: {
        "scenario.yaml": scenario(
          ["node: worker-1}", "node: worker-4}"],
          ["  expect:", "    - {at: 10m, action: addNodes, pool: {name: worker, count: 1}}\n  expect:"],
        ),
        "manifests/web.yaml": WEB,
      },
      errors: ['scenario.yaml:15:43: node "worker-4" does not exist at 5m; did you mean "worker-1"?'],
    },
    {
      name: "node of a pool that does not exist",
      files: { "scenario.yaml": scenario(["node: worker-1}", "node: gpu-1}"]), "manifests/web.yaml": WEB },
      errors: ['scenario.yaml:15:43: node "gpu-1" does not exist at 5m; expected one of worker-1, worker-2, worker-3'],
    },
    {
      name: "scale of a Deployment that does not exist",
      files: { "scenario.yaml": scenario(["target: deployment/web,", "target: deployment/api,"]), "manifests/web.yaml": WEB },
      errors: ["scenario.yaml:14:40: Deployment default/api does not exist at 12m; expected it in spec.workloads or in an apply at or before 12m"],
    },
    {
      name: "scale of a Deployment in another namespace",
      files: { "scenario.yaml": scenario(["target: deployment/web,", "target: deployment/web, namespace: shop,"]), "manifests/web.yaml": WEB },
      errors: ["scenario.yaml:14:40: Deployment shop/web does not exist at 12m; expected it in spec.workloads or in an apply at or before 12m"],
    },
    {
      // An expectation may still name a deleted object (deletion is asynchronous); an action may not.
      name: "delete of a Deployment that does not exist, and use after delete",
      files: {
        "scenario.yaml": scenario([
          "  expect:",
          "    - {at: 1m, action: delete, target: deployment/nope}\n    - {at: 2m, action: delete, target: deployment/web}\n  expect:",
        ]),
        "manifests/web.yaml": WEB,
      },
      errors: [
        "scenario.yaml:14:40: Deployment default/web does not exist at 12m; it was deleted at 2m",
        "scenario.yaml:17:40: Deployment default/nope does not exist at 1m; expected it in spec.workloads or in an apply at or before 1m",
      ],
    },
    {
      name: "missing manifest file, at the file: value",
      files: { "scenario.yaml": scenario(["file: manifests/web.yaml", "file: manifests/wbe.yaml"]) },
      errors: [
        "scenario.yaml:12:13: cannot read manifest file manifests/wbe.yaml: no such file; expected a path relative to the scenario file's folder",
      ],
    },
    {
      name: "manifest without a name, and a selector that does not match",
      files: {
        "scenario.yaml": SCENARIO,
        "manifests/web.yaml": `${WEB.replace("labels: {app: web}", "labels: {app: wbe}")}---\napiVersion: v1\nkind: Pod\nmetadata: {labels: {a: b}}\nspec: {containers: []}\n`,
      },
      errors: [
        'manifests/web.yaml:11:15: Deployment/web: spec.template.metadata.labels: Invalid value: map[string]string{"app":"wbe"}: `selector` does not match template `labels`',
        'manifests/web.yaml:21:11: missing required key "name" (generateName is not supported)',
      ],
    },
    {
      name: "manifest of a removed apiVersion: the version to use",
      files: { "scenario.yaml": SCENARIO, "manifests/web.yaml": WEB.replace("apps/v1", "extensions/v1beta1") },
      errors: [
        'manifests/web.yaml:1:13: Deployment/web: no matches for kind "Deployment" in version "extensions/v1beta1": the API was removed in Kubernetes 1.16; use apiVersion apps/v1',
      ],
    },
    {
      name: "manifest with no image and a request above its limit: upstream's field paths and messages",
      files: {
        "scenario.yaml": SCENARIO,
        "manifests/web.yaml": WEB.replace("          image: nginx\n", "")
          .replace("requests: {cpu: 500m, memory: 256Mi}", "requests: {cpu: 500m, memory: 256Mi}\n            limits: {cpu: 250m}"),
      },
      errors: [
        "manifests/web.yaml:14:11: Deployment/web: spec.template.spec.containers[0].image: Required value",
        'manifests/web.yaml:16:29: Deployment/web: spec.template.spec.containers[0].resources.requests: Invalid value: "500m": must be less than or equal to cpu limit of 250m',
      ],
    },
    {
      name: "a typo in a real manifest: strict decoding, as kubectl apply's strict field validation",
      files: { "scenario.yaml": SCENARIO, "manifests/web.yaml": WEB.replace("replicas: 3", "replica: 3") },
      errors: ['manifests/web.yaml:6:3: Deployment/web: strict decoding error: unknown field "spec.replica"'],
    },
    {
      name: "every problem of the file at once, sorted by position",
      files: {
        "scenario.yaml": scenario(
          ["  seed: 7", "  seed: -7"],
          ["duration: 30m", "duration: 30 m"],
          ["count: 3,", "count: 1.5,"],
          ["action: nodeRecover", "action: nodeRecovery"],
          ['">=": 3', '">=": 3, "<": 9'],
        ),
        "manifests/web.yaml": WEB,
      },
      errors: [
        "scenario.yaml:5:9: spec.seed: must be at least 0, got -7",
        'scenario.yaml:6:13: spec.duration: invalid duration "30 m": unknown unit " m"; expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)',
        "scenario.yaml:9:31: spec.cluster.nodePools[0].count: expected an integer, got number 1.5",
        'scenario.yaml:16:24: spec.timeline[2].action: expected one of "nodeFailure", "nodeRecover", "scale", "apply", "delete", "addNodes", "kubeletStop", "kubeletStart", "networkPartition", "zoneOutage", "imageRegistryOutage", "apiServerOutage", "slowApiServer", "cordon", "uncordon", "podKill", "containerCrash", "drain"; got string "nodeRecovery"',
        "scenario.yaml:18:7: spec.expect[0]: expected exactly one comparison: ==, !=, >=, <=, > or <",
      ],
    },
    {
      name: "--set with an unknown key, a bad value, and a good one",
      files: { "scenario.yaml": SCENARIO, "manifests/web.yaml": WEB },
      opts: { overrides: ["spec.foo=1", "spec.duration=5 minutes", "spec.settings.podStartLatency=2s", "spec.cluster.nodePools.3.count=1", "spec"] },
      errors: [
        '--set spec.foo=1: unknown key "foo"; expected one of: seed, startTime, duration, cluster, settings, workloads, behaviors, images, timeline, faults, metrics, expect, limits',
        '--set spec.duration=5 minutes: spec.duration: invalid duration "5 minutes": unknown unit " minutes"; expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)',
        "--set spec.cluster.nodePools.3.count=1: index 3 is out of range: spec.cluster.nodePools has 1 item",
        "--set spec: expected path=value, e.g. spec.duration=1h",
      ],
    },
    {
      name: "names that are Object.prototype members are not special",
      files: {
        "scenario.yaml": scenario(["target: deployment/web,", "target: constructor/web,"]),
        "manifests/web.yaml": `${WEB}---\napiVersion: v1\nkind: constructor\nmetadata: {name: x}\n`,
      },
      errors: [
        'scenario.yaml:14:40: cannot scale "constructor/web": expected deployment/<name> or replicaset/<name>',
        'manifests/web.yaml:20:7: constructor/x: no matches for kind "constructor" in version "v1"',
      ],
    },
    {
      name: "--seed that is not a valid seed",
      files: { "scenario.yaml": SCENARIO, "manifests/web.yaml": WEB },
      opts: { seed: -1 },
      errors: ["--seed -1: spec.seed: must be at least 0, got -1"],
    },
  ];

  it.each(cases)("$name", ({ files, opts, errors }) => {
    const r = load(files, opts);
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual(errors);
  });
});

describe("--set and --seed", () => {
  it("override values before validation; values are YAML scalars", () => {
    const s = loadOk(
      { "scenario.yaml": SCENARIO, "manifests/web.yaml": WEB },
      {
        overrides: [
          "spec.duration=1h",
          "spec.settings.podStartLatency=2s",
          "spec.cluster.nodePools.0.count=5",
          "spec.cluster.nodePools.0.labels.topology\\.kubernetes\\.io/zone=zone-b",
          "spec.metrics.interval=1m",
        ],
        seed: 9,
      },
    );
    expect(s.duration).toBe(3_600_000);
    expect(s.settings).toEqual({ nodeMonitorGracePeriod: 40_000, podStartLatency: 2_000 });
    expect(s.nodePools[0]).toMatchObject({ count: 5, labels: { "topology.kubernetes.io/zone": "zone-b" } });
    expect(s.metricsInterval).toBe(60_000);
    expect(s.seed).toBe(9);
  });
});

describe("validateFiles", () => {
  it("checks scenarios and plain manifest files", () => {
    const dir = mkdtempSync(join(tmpdir(), "k8sim-validate-"));
    mkdirSync(join(dir, "manifests"));
    writeFileSync(join(dir, "scenario.yaml"), SCENARIO.replace("count: 3", "count: -3"));
    writeFileSync(join(dir, "manifests/web.yaml"), WEB.replace("image: nginx", "image: 5"));
    const r = validateFiles([join(dir, "scenario.yaml"), join(dir, "manifests/web.yaml")]);
    expect(r.errors.map((e) => e.replace(`${dir}/`, ""))).toEqual([
      "scenario.yaml:9:31: spec.cluster.nodePools[0].count: must be at least 0, got -3",
      "manifests/web.yaml:15:18: Deployment/web: json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string",
    ]);
  });
});
