import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultDeployment, defaultReplicaSet } from "../src/api/defaults/apps.js";
import type { Deployment, ReplicaSet } from "../src/api/types.js";
import { validateDeployment, validateReplicaSet } from "../src/api/validation/apps.js";
import { fieldError, fieldErrorText, goLabelSelector, invalidMessage } from "../src/api/validation/field-errors.js";
import { validateObjectMeta } from "../src/api/validation/object-meta.js";
import { validatePodSpec } from "../src/api/validation/pod-spec.js";
import { loadScenario } from "../src/scenario/load.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";

/**
 * Validation with upstream's field errors. Sources: pkg/apis/apps/validation/validation.go (ValidateDeploymentSpec,
 * ValidateRollingUpdateDeployment, ValidatePodTemplateSpecForReplicaSet), pkg/apis/core/validation/validation.go
 * (ValidatePodSpec, validateContainers, ValidateResourceRequirements), k8s.io/apimachinery util/validation and
 * field/errors.go (the `path: Type: value: detail` rendering), api/errors NewInvalid (the `Kind.group "name" is
 * invalid: [a, b]` message).
 */

type Edit = (d: Deployment) => void;

/** A valid minimal Deployment with `edit` applied, defaulted as the API server defaults it before validating. */
function deployment(edit: Edit = () => {}): Deployment {
  const d = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx" }] } },
    },
  } as unknown as Deployment;
  edit(d);
  return defaultDeployment(d, DEFAULT_SETTINGS);
}

/** The error texts of validating the edited Deployment. */
const errorsOf = (edit: Edit) => validateDeployment(deployment(edit)).map(fieldErrorText);
const container = (d: Deployment, i = 0) => d.spec.template.spec.containers[i]!;

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

describe("validateDeployment: upstream field errors", () => {
  it("a minimal Deployment is valid once defaulted", () => {
    expect(errorsOf(() => {})).toEqual([]);
  });

  const cases: { name: string; edit: Edit; errors: string[] }[] = [
    {
      // ValidateNonnegativeField with IsNegativeErrorMsg; an int64 value prints bare.
      name: "negative replicas",
      edit: (d) => (d.spec.replicas = -1),
      errors: ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
    },
    {
      // field.Required(spec.selector, ""); LabelSelectorAsSelector(nil) is labels.Nothing(), which is not Empty()
      // and matches nothing, so the template's labels are reported as not matching too.
      name: "missing selector",
      edit: (d) => delete (d.spec as Partial<Deployment["spec"]>).selector,
      errors: ["spec.selector: Required value", 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    },
    {
      // The value is template.Labels, a map[string]string printed with %#v (keys sorted, ", " between entries).
      name: "template labels the selector does not match",
      edit: (d) => (d.spec.template.metadata!.labels = { app: "other", tier: "fe" }),
      errors: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"other", "tier":"fe"}: `selector` does not match template `labels`'],
    },
    {
      // ValidatePodTemplateSpecForReplicaSet: field.NotSupported(restartPolicy, ..., []string{"Always"}).
      name: "template restartPolicy Never",
      edit: (d) => (d.spec.template.spec.restartPolicy = "Never"),
      errors: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    {
      // ValidatePositiveIntOrPercent -> IsValidPercent. NOTE: 1.32 prints the value as %#v of the IntOrString
      // (intstr.IntOrString{Type:1, IntVal:0, StrVal:"50"}); k8sim prints it as JSON, as newer releases do.
      name: "maxSurge not a percent string",
      edit: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: "50" } } as Deployment["spec"]["strategy"]),
      errors: [`spec.strategy.rollingUpdate.maxSurge: Invalid value: "50": ${PERCENT_MSG}`],
    },
    {
      // getIntOrPercentValue(maxUnavailable) == 0 && getIntOrPercentValue(maxSurge) == 0 (backticks are upstream's).
      name: "maxUnavailable and maxSurge both 0",
      edit: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } as Deployment["spec"]["strategy"]),
      errors: ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"],
    },
    {
      name: "maxUnavailable 0% and maxSurge 0 (a percent of 0 is 0 too)",
      edit: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: "0%" } } as Deployment["spec"]["strategy"]),
      errors: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
    },
    {
      // IsNotMoreThan100Percent is checked for maxUnavailable only: maxSurge 150% is a valid Deployment.
      name: "maxUnavailable above 100% (maxSurge above 100% is allowed)",
      edit: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: "150%", maxUnavailable: "150%" } } as Deployment["spec"]["strategy"]),
      errors: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
    },
    {
      // validateContainers: field.Duplicate(containers[1].name, "app").
      name: "duplicate container name",
      edit: (d) => d.spec.template.spec.containers.push({ name: "app", image: "redis" }),
      errors: ['spec.template.spec.containers[1].name: Duplicate value: "app"'],
    },
    {
      name: "missing image",
      edit: (d) => delete (container(d) as { image?: string }).image,
      errors: ["spec.template.spec.containers[0].image: Required value"],
    },
    {
      name: "no containers",
      edit: (d) => (d.spec.template.spec.containers = []),
      errors: ["spec.template.spec.containers: Required value"],
    },
    {
      // ValidateResourceRequirements: field.Invalid(resources.requests, quantity.String(), "must be less than or
      // equal to %s limit of %s"): the path stops at requests, the value is quoted.
      name: "request above limit",
      edit: (d) => (container(d).resources = { requests: { cpu: "2" }, limits: { cpu: "1" } }),
      errors: ['spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    },
    {
      // ValidateDNS1123Label for container names (note the double space in "'my-name',  or").
      name: "container name not a DNS-1123 label",
      edit: (d) => (container(d).name = "My_App"),
      errors: [`spec.template.spec.containers[0].name: Invalid value: "My_App": ${LABEL_MSG}`],
    },
    {
      name: "several problems at once, in upstream's order",
      edit: (d) => {
        d.spec.replicas = -1;
        d.spec.template.spec.restartPolicy = "Never";
      },
      errors: ["spec.replicas: Invalid value: -1: must be greater than or equal to 0", 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
  ];
  it.each(cases)("$name", ({ edit, errors }) => {
    expect(errorsOf(edit)).toEqual(errors);
  });

  it("an empty selector {} is refused: empty selector is invalid for deployment", () => {
    const errs = validateDeployment(deployment((d) => (d.spec.selector = {})));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: "Invalid", path: ["spec", "selector"], detail: "empty selector is invalid for deployment" });
    expect(fieldErrorText(errs[0]!)).toMatch(/^spec\.selector: Invalid value: .*: empty selector is invalid for deployment$/);
  });

  // Upstream prints the *metav1.LabelSelector: with 1.32's %#v
  // `v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`
  // (the form k8sim itself uses for the selector-immutability error), or `{}` with the JSON rendering of newer
  // releases; never a string map.
  it("the empty selector's value is printed as a LabelSelector, not as a string map", () => {
    const text = fieldErrorText(validateDeployment(deployment((d) => (d.spec.selector = {})))[0]!);
    const value = text.slice("spec.selector: Invalid value: ".length, -": empty selector is invalid for deployment".length);
    expect([goLabelSelector({}), "{}"]).toContain(value);
  });

  // KNOWN DEVIATION (noted in src/api/validation/pod-spec.ts): upstream prints requests and limits with
  // resource.Quantity.String(), the canonical form (0.5 -> 500m, 2048Mi -> 2Gi); k8sim prints them as written.
  it.fails("request above limit: both quantities in canonical form (Quantity.String())", () => {
    expect(errorsOf((d) => (container(d).resources = { requests: { cpu: "0.5", memory: "2048Mi" }, limits: { cpu: "250m", memory: "1Gi" } }))).toEqual([
      'spec.template.spec.containers[0].resources.requests: Invalid value: "500m": must be less than or equal to cpu limit of 250m',
      'spec.template.spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi',
    ]);
  });

  it("a ReplicaSet's empty selector gets the same text, 'for deployment' (upstream's wording in ValidateReplicaSetSpec)", () => {
    const rs = defaultReplicaSet(
      {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: { name: "rs", namespace: "default" },
        spec: { selector: {}, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx" }] } } },
      } as unknown as ReplicaSet,
      DEFAULT_SETTINGS,
    );
    expect(validateReplicaSet(rs).map((e) => e.detail)).toEqual(["empty selector is invalid for deployment"]);
  });
});

describe("validatePodSpec on a bare Pod: paths start at spec", () => {
  it("reports restartPolicy and imagePullPolicy enums with every supported value", () => {
    const errs = validatePodSpec({ restartPolicy: "Sometimes", containers: [{ name: "app", image: "nginx", imagePullPolicy: "Maybe" }] } as never, ["spec"]);
    expect(errs.map(fieldErrorText)).toEqual([
      'spec.containers[0].imagePullPolicy: Unsupported value: "Maybe": supported values: "Always", "IfNotPresent", "Never"',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });
});

describe("validateObjectMeta: DNS names", () => {
  it.each([
    // NameIsDNSSubdomain for Deployments, ReplicaSets and Pods.
    [{ name: "Web_1", namespace: "default" }, "subdomain", [`metadata.name: Invalid value: "Web_1": ${SUBDOMAIN_MSG}`]],
    [{ name: "web.v1", namespace: "default" }, "subdomain", []],
    // IsDNS1123Subdomain: DNS1123SubdomainMaxLength 253.
    [{ name: "a".repeat(254), namespace: "default" }, "subdomain", [`metadata.name: Invalid value: "${"a".repeat(254)}": must be no more than 253 characters`]],
    // Namespace names are DNS-1123 labels (ValidateNamespaceName): a dot is not allowed.
    [{ name: "team.a" }, "label", [`metadata.name: Invalid value: "team.a": ${LABEL_MSG}`]],
    [{ name: "web", namespace: "Bad_NS" }, "subdomain", [`metadata.namespace: Invalid value: "Bad_NS": ${LABEL_MSG}`]],
    [{ namespace: "default" }, "subdomain", ["metadata.name: Required value: name or generateName is required"]],
  ] as const)("%o (%s)", (meta, rule, errors) => {
    expect(validateObjectMeta(meta, rule === "subdomain", rule).map(fieldErrorText)).toEqual(errors);
  });
});

describe("invalidMessage (apierrors.NewInvalid)", () => {
  it("one error prints bare after the qualified kind and quoted name", () => {
    expect(invalidMessage("Deployment.apps", "web", [fieldError.invalid(["spec", "replicas"], -1, "must be greater than or equal to 0")])).toBe(
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it("several errors print as [a, b] (utilerrors.Aggregate); the core group has no suffix", () => {
    expect(invalidMessage("Deployment.apps", "web", [fieldError.required(["spec", "selector"]), fieldError.required(["spec", "template", "spec", "containers"])])).toBe(
      'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.spec.containers: Required value]',
    );
    expect(invalidMessage("Pod", "p", [fieldError.required(["spec", "containers", 0, "image"])])).toBe('Pod "p" is invalid: spec.containers[0].image: Required value');
  });
});

describe("loadScenario: each field error at its file:line:col, prefixed with Kind/name", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const SCENARIO = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: v}
spec:
  duration: 1m
  cluster:
    nodePools: [{name: w, count: 1, capacity: {cpu: "4", memory: 8Gi}}]
  workloads:
    - file: web.yaml
`;

  function errorsFor(web: string): string[] {
    const dir = mkdtempSync(join(tmpdir(), "k8sim-validation-"));
    dirs.push(dir);
    writeFileSync(join(dir, "scenario.yaml"), SCENARIO);
    writeFileSync(join(dir, "web.yaml"), web);
    const r = loadScenario(join(dir, "scenario.yaml"));
    return r.ok ? [] : r.errors.map((e) => e.split(`${dir}/`).join(""));
  }

  it("reports every problem of one Deployment, each at the field's value", () => {
    // Columns count from 1; line numbers are those of this text.
    const web = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: -1
  selector:
    matchLabels: {app: web}
  strategy:
    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}
  template:
    metadata:
      labels: {app: other}
    spec:
      restartPolicy: Never
      containers:
        - name: app
          image: nginx
          resources:
            requests: {cpu: "2"}
            limits: {cpu: "1"}
        - name: app
        - name: Bad_Name
          image: x
`;
    expect(errorsFor(web)).toEqual([
      "web.yaml:6:13: Deployment/web: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
      "web.yaml:10:50: Deployment/web: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
      'web.yaml:13:15: Deployment/web: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
      'web.yaml:15:22: Deployment/web: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      // The request itself (line 20, `"2"` at column 29), though upstream's path ends at resources.requests.
      'web.yaml:20:29: Deployment/web: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      // A missing field is reported at the mapping that lacks it (the second container's first key).
      "web.yaml:22:11: Deployment/web: spec.template.spec.containers[1].image: Required value",
      'web.yaml:22:17: Deployment/web: spec.template.spec.containers[1].name: Duplicate value: "app"',
      `web.yaml:23:17: Deployment/web: spec.template.spec.containers[2].name: Invalid value: "Bad_Name": ${LABEL_MSG}`,
    ]);
  });

  it("a missing selector and a bad name", () => {
    const web = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: Web_1
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: app, image: nginx}]
`;
    expect(errorsFor(web)).toEqual([
      `web.yaml:4:9: Deployment/Web_1: metadata.name: Invalid value: "Web_1": ${SUBDOMAIN_MSG}`,
      // spec has no selector: reported at spec's mapping.
      "web.yaml:6:3: Deployment/Web_1: spec.selector: Required value",
      'web.yaml:8:15: Deployment/Web_1: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it("an empty selector, at the selector", () => {
    const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: nginx}]
`;
    const errs = errorsFor(web);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^web\.yaml:5:13: Deployment\/web: spec\.selector: Invalid value: .*: empty selector is invalid for deployment$/);
  });
});
