import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  KUBERNETES_SCHEMA_VERSION,
  isServedKind,
  servedKinds,
  strictDecode,
  type DecodeProblem,
} from "../src/api/openapi/strict-decode.js";
import { SCHEMA_FILE, buildSchemas, serializeSchemas } from "../scripts/k8s-schemas/build.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A Deployment as `kubectl create deployment web --image=nginx --dry-run=client -o yaml` writes it. */
function deployment(): { [k: string]: Json } {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { creationTimestamp: null, labels: { app: "web" }, name: "web" },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      strategy: {},
      template: {
        metadata: { creationTimestamp: null, labels: { app: "web" } },
        spec: {
          containers: [
            { image: "nginx", name: "nginx", resources: {} },
            { image: "busybox", name: "sidecar", args: ["sleep", "3600"], env: [{ name: "MODE", value: "x" }] },
          ],
        },
      },
    },
    status: {},
  };
}

/** `obj` with the value at `path` replaced (created along the way); the fixture is never shared. */
function withValue(obj: { [k: string]: Json }, path: (string | number)[], value: Json): { [k: string]: Json } {
  let node = obj as Record<string | number, Json>;
  for (const seg of path.slice(0, -1)) {
    node[seg] ??= {};
    node = node[seg] as Record<string | number, Json>;
  }
  node[path[path.length - 1]!] = value;
  return obj;
}

const decodeDeployment = (obj: unknown): DecodeProblem[] => strictDecode("apps/v1", "Deployment", obj);
const CONTAINER0 = ["spec", "template", "spec", "containers", 0];

describe("strictDecode: accepted documents", () => {
  it("accepts a kubectl-generated Deployment, null timestamps and empty status included", () => {
    expect(decodeDeployment(deployment())).toEqual([]);
  });

  it("accepts JSON null for every kind of field, as encoding/json leaves the zero value", () => {
    const d = deployment();
    withValue(d, [...CONTAINER0, "resources"], null); // struct
    withValue(d, ["spec", "replicas"], null); // *int32
    withValue(d, ["spec", "template", "spec", "volumes"], null); // list
    withValue(d, ["spec", "template", "spec", "nodeSelector"], { zone: null }); // map value
    withValue(d, ["spec", "strategy"], { rollingUpdate: { maxSurge: null } }); // int-or-string
    withValue(d, ["metadata", "annotations"], null);
    withValue(d, ["spec", "template", "spec", "initContainers"], [null]); // list item
    expect(decodeDeployment(d)).toEqual([]);
  });

  it("accepts a full status, as `kubectl get -o yaml` prints it", () => {
    const d = withValue(deployment(), ["status"], {
      availableReplicas: 2,
      conditions: [
        {
          lastTransitionTime: "2025-01-01T00:00:00Z",
          lastUpdateTime: "2025-01-01T00:00:00Z",
          message: "Deployment has minimum availability.",
          reason: "MinimumReplicasAvailable",
          status: "True",
          type: "Available",
        },
      ],
      observedGeneration: 1,
      readyReplicas: 2,
      replicas: 2,
      updatedReplicas: 2,
    });
    expect(decodeDeployment(d)).toEqual([]);
  });

  it("accepts int-or-string as an integer or a string (maxSurge: 1, maxUnavailable: \"25%\")", () => {
    const d = withValue(deployment(), ["spec", "strategy"], {
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: "25%" },
    });
    expect(decodeDeployment(d)).toEqual([]);
  });

  it("accepts a quantity as a number or a string (cpu: 1, cpu: \"500m\", sizeLimit: 1)", () => {
    const d = deployment();
    withValue(d, [...CONTAINER0, "resources"], { limits: { cpu: 1, memory: "1Gi" }, requests: { cpu: "500m" } });
    withValue(d, ["spec", "template", "spec", "volumes"], [{ name: "scratch", emptyDir: { sizeLimit: 1 } }]);
    withValue(d, ["spec", "template", "spec", "overhead"], { cpu: 0.25 });
    expect(decodeDeployment(d)).toEqual([]);
  });

  it("does not check required fields or enum values: that is validation, not decoding", () => {
    expect(decodeDeployment({ apiVersion: "apps/v1", kind: "Deployment" })).toEqual([]);
    const d = withValue(deployment(), ["spec", "template", "spec", "restartPolicy"], "Sometimes");
    expect(decodeDeployment(d)).toEqual([]);
  });
});

describe("strictDecode: unknown fields", () => {
  // [what, path of the unknown field, upstream message]
  const cases: [string, (string | number)[], string][] = [
    ["top level", ["replicas"], 'unknown field "replicas"'],
    ["in metadata", ["metadata", "label"], 'unknown field "metadata.label"'],
    ["nested in containers[0]", [...CONTAINER0, "imagee"], 'unknown field "spec.template.spec.containers[0].imagee"'],
    [
      "inside containers[1]",
      ["spec", "template", "spec", "containers", 1, "env", 0, "valeu"],
      'unknown field "spec.template.spec.containers[1].env[0].valeu"',
    ],
    // sigs.k8s.io/json matches field names case-sensitively: Replicas is not replicas.
    ["a field in the wrong case", ["spec", "Replicas"], 'unknown field "spec.Replicas"'],
  ];
  it.each(cases)("reports an unknown field %s", (_what, path, message) => {
    const d = withValue(deployment(), path, "x");
    expect(decodeDeployment(d)).toEqual([{ path, reason: "unknown-field", message }]);
  });

  it("does not look inside an unknown field", () => {
    const d = withValue(deployment(), ["spec", "templates"], { spec: { bogus: 1 } });
    expect(decodeDeployment(d)).toEqual([
      { path: ["spec", "templates"], reason: "unknown-field", message: 'unknown field "spec.templates"' },
    ]);
  });

  it("quotes the path as Go's strconv.Quote does", () => {
    const d = withValue(deployment(), ["metadata", 'we"ird\n'], 1);
    expect(decodeDeployment(d)[0]!.message).toBe('unknown field "metadata.we\\"ird\\n"');
  });

  // NOTE: none of the seven group-versions has a map whose values are structs (the maps are labels, ResourceLists,
  // configuration strings and PodDisruptionBudget's disruptedPods times), so an unknown field can never sit under a
  // map key here. Map keys do appear in the path of a type problem:
  it("puts map keys in the path of a problem inside a map value", () => {
    const d = withValue(deployment(), ["spec", "template", "metadata", "labels", "tier"], 3);
    expect(decodeDeployment(d)).toEqual([
      {
        path: ["spec", "template", "metadata", "labels", "tier"],
        reason: "type",
        message: "json: cannot unmarshal number into Go struct field ObjectMeta.spec.template.metadata.labels of type string",
      },
    ]);
  });
});

describe("strictDecode: wrong types, in encoding/json's words", () => {
  // [what, path, value, upstream message]. The Go struct is the one holding the field; the field path runs from the
  // root through struct fields only (no list indices, no map keys); the type is the target of the value.
  const cases: [string, (string | number)[], Json, string][] = [
    [
      "string into int32",
      ["spec", "replicas"],
      "3",
      "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
    ],
    [
      "fraction into int32",
      ["spec", "replicas"],
      1.5,
      "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
    ],
    [
      "int32 overflow",
      ["spec", "replicas"],
      3_000_000_000,
      "json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32",
    ],
    [
      "number into a label string",
      ["metadata", "labels", "version"],
      2,
      "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
    ],
    [
      "list into a string map",
      ["metadata", "labels"],
      ["app=web"],
      "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string",
    ],
    [
      "object into a list",
      ["spec", "template", "spec", "containers"],
      { name: "nginx" },
      "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container",
    ],
    [
      "string into a struct",
      ["spec", "template"],
      "web",
      "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.template of type v1.PodTemplateSpec",
    ],
    [
      "number into an env value (the classic)",
      ["spec", "template", "spec", "containers", 1, "env", 0, "value"],
      8080,
      "json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string",
    ],
    [
      "number into a list item",
      ["spec", "template", "spec", "containers", 1, "args", 1],
      3600,
      "json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.args of type string",
    ],
    [
      "string into bool",
      ["spec", "paused"],
      "true",
      "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool",
    ],
    [
      "string into a list item struct",
      ["spec", "template", "spec", "containers", 0],
      "nginx",
      "json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type v1.Container",
    ],
    [
      // metav1.Time.UnmarshalJSON decodes into a Go string first.
      "number into a timestamp",
      ["metadata", "creationTimestamp"],
      0,
      "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string",
    ],
    [
      // IntOrString.UnmarshalJSON decodes anything but a JSON string into its int32.
      "bool into int-or-string",
      ["spec", "strategy", "rollingUpdate", "maxSurge"],
      true,
      "json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32",
    ],
    [
      "fraction into int-or-string",
      ["spec", "strategy", "rollingUpdate", "maxUnavailable"],
      0.5,
      "json: cannot unmarshal number 0.5 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxUnavailable of type int32",
    ],
    [
      "string into a ResourceList",
      [...CONTAINER0, "resources", "limits"],
      "1",
      "json: cannot unmarshal string into Go struct field ResourceRequirements.spec.template.spec.containers.resources.limits of type v1.ResourceList",
    ],
    [
      // Quantity.UnmarshalJSON hands the raw text to ParseQuantity.
      "bool into a quantity",
      [...CONTAINER0, "resources", "requests", "cpu"],
      true,
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    ],
    [
      "number into status",
      ["status"],
      1,
      "json: cannot unmarshal number into Go struct field Deployment.status of type v1.DeploymentStatus",
    ],
    [
      "number into apiVersion (TypeMeta is inline in Deployment)",
      ["apiVersion"],
      1,
      "json: cannot unmarshal number into Go struct field Deployment.apiVersion of type string",
    ],
  ];
  it.each(cases)("%s", (_what, path, value, message) => {
    const d = withValue(deployment(), path, value);
    expect(decodeDeployment(d)).toEqual([{ path, reason: "type", message }]);
  });

  it("names []uint8 for Secret data, which is []byte", () => {
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { key: 1 } };
    expect(strictDecode("v1", "Secret", secret)).toEqual([
      {
        path: ["data", "key"],
        reason: "type",
        message: "json: cannot unmarshal number into Go struct field Secret.data of type []uint8",
      },
    ]);
  });

  it("reports only the outermost wrong-typed value, not its contents", () => {
    const d = withValue(deployment(), ["spec", "template", "spec", "containers"], [["nested", { imagee: 1 }]]);
    expect(decodeDeployment(d)).toHaveLength(1);
  });

  it("refuses a document root that is not an object", () => {
    expect(decodeDeployment([])).toEqual([
      { path: [], reason: "type", message: "json: cannot unmarshal array into Go value of type v1.Deployment" },
    ]);
    expect(decodeDeployment(null)).toEqual([{ path: [], reason: "type", message: "Object 'Kind' is missing in 'null'" }]);
  });

  it("lists every problem in document order, the same on every call", () => {
    const d = deployment();
    // Inserted in an order unlike the schema's (alphabetical) one.
    withValue(d, ["spec", "template", "spec", "containers", 1, "imagee"], "x");
    withValue(d, ["spec", "replicas"], "two");
    withValue(d, ["metadata", "zz"], 1);
    withValue(d, ["metadata", "labels", "app"], 1);
    withValue(d, ["spec", "template", "spec", "containers", 0, "ports"], "80");
    const paths = (ps: DecodeProblem[]) => ps.map((p) => p.path.join("."));
    const first = decodeDeployment(d);
    expect(paths(first)).toEqual([
      "metadata.labels.app",
      "metadata.zz",
      "spec.replicas",
      "spec.template.spec.containers.0.ports",
      "spec.template.spec.containers.1.imagee",
    ]);
    expect(decodeDeployment(d)).toEqual(first);
  });
});

describe("served kinds", () => {
  const GROUP_VERSIONS = [
    "v1",
    "apps/v1",
    "batch/v1",
    "coordination.k8s.io/v1",
    "scheduling.k8s.io/v1",
    "policy/v1",
    "discovery.k8s.io/v1",
  ];

  it("serves the workload kinds k8sim simulates, in the seven group-versions only", () => {
    const keys = servedKinds().map((k) => `${k.apiVersion}/${k.kind}`);
    for (const k of ["v1/Pod", "v1/Node", "v1/Service", "apps/v1/Deployment", "apps/v1/StatefulSet", "batch/v1/Job",
      "batch/v1/CronJob", "coordination.k8s.io/v1/Lease", "scheduling.k8s.io/v1/PriorityClass",
      "policy/v1/PodDisruptionBudget", "discovery.k8s.io/v1/EndpointSlice"]) {
      expect(keys).toContain(k);
    }
    expect(new Set(servedKinds().map((k) => k.apiVersion))).toEqual(new Set(GROUP_VERSIONS));
    expect(keys.filter((k) => k.endsWith("List"))).toEqual([]);
    expect(isServedKind("apps/v1", "Deployment")).toBe(true);
    expect(isServedKind("apps/v1", "deployment")).toBe(false);
    expect(isServedKind("extensions/v1beta1", "Deployment")).toBe(false);
    expect(KUBERNETES_SCHEMA_VERSION).toBe("1.34.0");
  });

  it("compiles every served kind and accepts a minimal object of each", () => {
    for (const { apiVersion, kind } of servedKinds()) {
      expect(strictDecode(apiVersion, kind, { apiVersion, kind, metadata: { name: "x" } }), `${apiVersion} ${kind}`).toEqual([]);
      expect(strictDecode(apiVersion, kind, { apiVersion, kind, bogus: 1 })[0]?.reason).toBe("unknown-field");
    }
  });

  it("refuses a kind it does not serve", () => {
    expect(() => strictDecode("example.com/v1", "Widget", {})).toThrow(/no matches for kind "Widget"/);
  });
});

describe("performance", () => {
  it("decodes 10,000 Deployments in well under 2 s", () => {
    const docs = Array.from({ length: 10_000 }, (_, i) => withValue(deployment(), ["metadata", "name"], `web-${i}`));
    decodeDeployment(docs[0]); // compile outside the measurement
    const t0 = performance.now();
    let problems = 0;
    for (const d of docs) problems += decodeDeployment(d).length;
    const ms = performance.now() - t0;
    console.log(`strictDecode: 10,000 Deployments in ${ms.toFixed(1)} ms`);
    expect(problems).toBe(0);
    expect(ms).toBeLessThan(2000);
  });
});

describe("schema file", () => {
  it("is exactly what the generator makes from the pinned @kubernetes/client-node", async () => {
    const committed = readFileSync(new URL(`../${SCHEMA_FILE}`, import.meta.url), "utf8");
    // On failure: npm run schemas:k8s, and review the diff.
    expect(serializeSchemas(await buildSchemas()) === committed).toBe(true);
  });

  it("pins the package exactly", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      devDependencies: Record<string, string>;
    };
    expect(pkg.devDependencies["@kubernetes/client-node"]).toBe("1.4.0");
  });
});
