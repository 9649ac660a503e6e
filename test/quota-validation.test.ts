/**
 * Validation of ResourceQuota and LimitRange (src/api/validation/quota.ts; upstream
 * pkg/apis/core/validation/validation.go v1.32 ValidateResourceQuota, ValidateLimitRange), as the API server
 * answers a create: 422 with `ResourceQuota "NAME" is invalid: <path>: <error>` and upstream's texts, and the
 * LimitRange defaulting (SetDefaults_LimitRangeItem).
 */
import { describe, expect, it } from "vitest";
import { ControlPlane } from "../src/api/control-plane.js";
import type { LimitRange, LimitRangeItem, ResourceQuota } from "../src/api/quota/types.js";
import { goQuantity } from "../src/api/validation/quota.js";
import { Simulation } from "../src/engine/simulation.js";
import { resolveSettings } from "../src/settings.js";

const cp = new ControlPlane(new Simulation(1), resolveSettings({}), Date.UTC(2026, 0, 1));
let n = 0;
const createQuota = (spec: ResourceQuota["spec"]) => {
  const r = cp.api.create<ResourceQuota>({ apiVersion: "v1", kind: "ResourceQuota", metadata: { name: `q${++n}`, namespace: "default" }, spec });
  return r.ok ? r.object : r.message;
};
const createLimits = (...limits: LimitRangeItem[]) => {
  const r = cp.api.create<LimitRange>({ apiVersion: "v1", kind: "LimitRange", metadata: { name: `l${++n}`, namespace: "default" }, spec: { limits } });
  return r.ok ? r.object : r.message;
};

const Q = (fields: string) => `resource.Quantity{${fields}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}`;

describe("ResourceQuota", () => {
  it.each([
    [
      "a name that is no resource at all (both checks of ValidateResourceQuotaResourceName)",
      { hard: { foo: "1" } },
      'ResourceQuota "q1" is invalid: [spec.hard[foo]: Invalid value: "foo": must be a standard resource type or fully qualified, spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota]',
    ],
    ["a known resource that quota does not track", { hard: { storage: "1Gi" } }, 'ResourceQuota "q2" is invalid: spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota'],
    ["a negative value (printed by String())", { hard: { pods: "-1" } }, 'ResourceQuota "q3" is invalid: spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0'],
    [
      // The value is a resource.Quantity printed with %#v: 1500m is value 1500 at scale -3, already canonical.
      "a fractional count",
      { hard: { pods: "1500m" } },
      `ResourceQuota "q4" is invalid: spec.hard[pods]: Invalid value: ${Q("i:resource.int64Amount{value:1500, scale:-3}")}, s:"1500m", Format:"DecimalSI"}: must be an integer`,
    ],
    [
      "BestEffort with compute and object resources (one error per distinct text)",
      { hard: { "requests.cpu": "1", secrets: "1", pods: "1" }, scopes: ["BestEffort"] },
      'ResourceQuota "q5" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource',
    ],
    ["conflicting scopes", { hard: { pods: "1" }, scopes: ["BestEffort", "NotBestEffort"] }, 'ResourceQuota "q6" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes'],
    ["an unknown scope", { hard: { pods: "1" }, scopes: ["Foo"] }, 'ResourceQuota "q7" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"Foo"}: unsupported scope'],
    [
      "a PriorityClass selector with In and no values",
      { hard: { pods: "1" }, scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "In" }] } },
      "ResourceQuota \"q8\" is invalid: spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
    ],
    [
      "a Terminating selector with In",
      { hard: { pods: "1" }, scopeSelector: { matchExpressions: [{ scopeName: "Terminating", operator: "In", values: ["x"] }] } },
      "ResourceQuota \"q9\" is invalid: spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
    ],
  ] as const)("refuses %s", (_, spec, msg) => {
    expect(createQuota(spec as ResourceQuota["spec"])).toBe(msg);
  });

  it("refuses a value that is no quantity at decode (400), as the JSON decoder does", () => {
    expect(createQuota({ hard: { pods: "abc" } })).toBe(`ResourceQuota in version "v1" cannot be handled as a ResourceQuota: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  });

  it("accepts count/<resource>.<group>, scoped pod quotas and numbers written as YAML numbers (stored as strings)", () => {
    const q = createQuota({ hard: { "count/deployments.apps": 3 as unknown as string, pods: "10", "requests.cpu": "4" }, scopes: ["NotTerminating"] });
    expect(typeof q === "string" ? q : q.spec).toEqual({ hard: { "count/deployments.apps": "3", pods: "10", "requests.cpu": "4" }, scopes: ["NotTerminating"] });
  });

  it("refuses a change of scopes", () => {
    const q = createQuota({ hard: { pods: "1" }, scopes: ["BestEffort"] }) as ResourceQuota;
    const r = cp.api.update<ResourceQuota>({ ...q, spec: { ...q.spec, scopes: ["NotBestEffort"] } });
    expect(r.ok ? "" : r.message).toBe(`ResourceQuota "${q.metadata.name}" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"NotBestEffort"}: field is immutable`);
  });
});

describe("LimitRange", () => {
  it("refuses min above max, with the errors the defaulted default (= max) and default request (= default) add", () => {
    // SetDefaults_LimitRangeItem: default cpu = max 1, defaultRequest cpu = default 1; then min 2 exceeds all three.
    const two = `${Q("i:resource.int64Amount{value:2, scale:0}")}, s:"2", Format:"DecimalSI"}`;
    const one = `${Q("i:resource.int64Amount{value:1, scale:0}")}, s:"1", Format:"DecimalSI"}`;
    expect(createLimits({ type: "Container", min: { cpu: "2" }, max: { cpu: "1" } })).toMatch(
      new RegExp(
        `^LimitRange "l\\d+" is invalid: \\[${esc(`spec.limits[0].min[cpu]: Invalid value: ${two}: min value 2 is greater than max value 1, spec.limits[0].defaultRequest[cpu]: Invalid value: ${one}: min value 2 is greater than default request value 1, spec.limits[0].default[cpu]: Invalid value: ${two}: min value 2 is greater than default value 1`)}\\]$`,
      ),
    );
  });

  it.each([
    ["default on a Pod item", [{ type: "Pod", default: { cpu: "2" } }], "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'"],
    ["a ratio below 1", [{ type: "Container", maxLimitRequestRatio: { cpu: "500m" } }], `spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: ${Q("i:resource.int64Amount{value:500, scale:-3}")}, s:"500m", Format:"DecimalSI"}: ratio 500m is less than 1`],
    [
      "a default request below min",
      [{ type: "Container", min: { memory: "1Gi" }, defaultRequest: { memory: "512Mi" } }],
      `spec.limits[0].defaultRequest[memory]: Invalid value: ${Q("i:resource.int64Amount{value:536870912, scale:0}")}, s:"512Mi", Format:"BinarySI"}: min value 1Gi is greater than default request value 512Mi`,
    ],
    ["an unknown type", [{ type: "Widget" }], 'spec.limits[0].type: Invalid value: "Widget": must be a standard limit type or fully qualified'],
    ["a repeated type", [{ type: "Pod" }, { type: "Pod" }], 'spec.limits[1].type: Duplicate value: "Pod"'],
    ["a PersistentVolumeClaim item without storage", [{ type: "PersistentVolumeClaim" }], "spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided"],
  ] as const)("refuses %s", (_, limits, err) => {
    const r = createLimits(...(limits as unknown as LimitRangeItem[]));
    expect(typeof r === "string" ? r.replace(/^LimitRange "l\d+" is invalid: /, "") : r).toBe(err);
  });

  it("defaults a Container item: default from max, defaultRequest from default, then from min", () => {
    const r = createLimits({ type: "Container", max: { cpu: "2", memory: "1Gi" }, min: { "ephemeral-storage": "1Gi" } }, { type: "Pod", max: { cpu: "4" } });
    expect(typeof r === "string" ? r : r.spec.limits).toEqual([
      { type: "Container", max: { cpu: "2", memory: "1Gi" }, min: { "ephemeral-storage": "1Gi" }, default: { cpu: "2", memory: "1Gi" }, defaultRequest: { cpu: "2", memory: "1Gi", "ephemeral-storage": "1Gi" } },
      { type: "Pod", max: { cpu: "4" } },
    ]);
  });
});

describe("goQuantity (a Quantity as %#v prints it)", () => {
  it.each([
    ["2", false, 'resource.Quantity{i:resource.int64Amount{value:2, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2", Format:"DecimalSI"}'],
    // 2000m is not canonical (its digits end in 000): ParseQuantity caches no string; String() would cache "2".
    ["2000m", false, 'resource.Quantity{i:resource.int64Amount{value:2000, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}'],
    ["2000m", true, 'resource.Quantity{i:resource.int64Amount{value:2000, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2", Format:"DecimalSI"}'],
    // 1.5 is value 15 at scale -1 (not a multiple of 3: not canonical).
    ["1.5", false, 'resource.Quantity{i:resource.int64Amount{value:15, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}'],
  ] as const)("%s (String() called: %s)", (text, stringed, out) => {
    expect(goQuantity(text, stringed)).toBe(out);
  });
});

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
