import { describe, expect, it } from "vitest";
import { setDefaultsJob } from "../src/api/batch/job-defaults.js";
import type { PlainJobSpec } from "../src/api/batch/job-spec.js";
import { jobFieldErrorText, validateJob, validateJobSpec } from "../src/api/batch/job-validation.js";

const template = { restartPolicy: "Never", containers: ["main"] };
const spec = (over: Partial<PlainJobSpec> = {}): PlainJobSpec => ({ template, ...over });

describe("setDefaultsJob (defaults.go SetDefaults_Job)", () => {
  it("an empty spec", () => {
    expect(setDefaultsJob({ name: "j", spec: spec() }).spec).toEqual({
      template, completions: 1, parallelism: 1, backoffLimit: 6, completionMode: "NonIndexed", suspend: false,
      podReplacementPolicy: "TerminatingOrFailed", manualSelector: false,
    });
  });
  it.each([
    ["completions alone: parallelism 1", { completions: 5 }, { completions: 5, parallelism: 1 }],
    ["backoffLimitPerIndex: backoffLimit MaxInt32", { backoffLimitPerIndex: 1 }, { backoffLimit: 2_147_483_647 }],
    ["explicit backoffLimit kept", { backoffLimit: 0, backoffLimitPerIndex: 1 }, { backoffLimit: 0 }],
    ["podFailurePolicy: podReplacementPolicy Failed", { podFailurePolicy: { rules: [] } }, { podReplacementPolicy: "Failed" }],
  ] as const)("%s", (_n, over, expected) => {
    expect(setDefaultsJob({ name: "j", spec: spec(over) }).spec).toMatchObject(expected);
  });
  it("parallelism alone leaves completions unset (a work-queue Job)", () => {
    const s = setDefaultsJob({ name: "j", spec: spec({ parallelism: 3 }) }).spec;
    expect(s.parallelism).toBe(3);
    expect("completions" in s).toBe(false);
  });
  it("onPodConditions status defaults to True; template labels become the Job's when it has none", () => {
    const j = setDefaultsJob({
      name: "j",
      spec: spec({ template: { ...template, labels: { app: "a" } }, podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "" }] }] } }),
    });
    expect(j.spec.podFailurePolicy!.rules[0]!.onPodConditions![0]!.status).toBe("True");
    expect(j.labels).toEqual({ app: "a" });
    expect(setDefaultsJob({ name: "j", labels: { own: "x" }, spec: spec({ template: { ...template, labels: { app: "a" } } }) }).labels).toEqual({ own: "x" });
  });
});

const texts = (s: PlainJobSpec) => validateJobSpec(s).map(jobFieldErrorText);

describe("validateJobSpec (validation.go validateJobSpec)", () => {
  it.each([
    ["a valid defaulted Job", setDefaultsJob({ name: "j", spec: spec() }).spec, []],
    ["completions < parallelism is allowed", spec({ completions: 1, parallelism: 5 }), []],
    ["Indexed without completions", spec({ completionMode: "Indexed" }), ["spec.completions: Required value: when completion mode is Indexed"]],
    ["Indexed parallelism above 100000", spec({ completionMode: "Indexed", completions: 2, parallelism: 100_001 }),
      ["spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed"]],
    ["Indexed completions above 100000 without backoffLimitPerIndex is fine", spec({ completionMode: "Indexed", completions: 1_000_000, parallelism: 10 }), []],
    ["backoffLimitPerIndex needs Indexed", spec({ backoffLimitPerIndex: 1 }), ["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"]],
    ["maxFailedIndexes needs backoffLimitPerIndex and Indexed", spec({ maxFailedIndexes: 1 }), [
      "spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified",
      "spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode"]],
    ["maxFailedIndexes above completions", spec({ completionMode: "Indexed", completions: 10, backoffLimitPerIndex: 1, maxFailedIndexes: 11 }),
      ["spec.maxFailedIndexes: Invalid value: 11: must be less than or equal to completions"]],
    // completions 200000 > 100000 with backoffLimitPerIndex: maxFailedIndexes required, parallelism 20000 > 10000
    ["high completions with backoffLimitPerIndex", spec({ completionMode: "Indexed", completions: 200_000, parallelism: 20_000, backoffLimitPerIndex: 1 }), [
      "spec.maxFailedIndexes: Required value: must be specified when completions is above 100000",
      "spec.parallelism: Invalid value: 20000: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index"]],
    ["negative fields", spec({ parallelism: -1, backoffLimit: -2 }), [
      "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
      "spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0"]],
    ["unknown completionMode", spec({ completionMode: "Sparse" }), ['spec.completionMode: Unsupported value: "Sparse": supported values: "NonIndexed", "Indexed"']],
    ["restartPolicy Always", spec({ template: { restartPolicy: "Always" } }), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']],
    ["podFailurePolicy needs Never", spec({ template: { restartPolicy: "OnFailure" }, podFailurePolicy: { rules: [{ action: "Count", onExitCodes: { operator: "In", values: [1] } }] } }),
      ['spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified']],
    ["podReplacementPolicy with podFailurePolicy", spec({ podReplacementPolicy: "TerminatingOrFailed", podFailurePolicy: { rules: [{ action: "Count", onExitCodes: { operator: "In", values: [1] } }] } }),
      ['spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"']],
    ["pod failure policy rules", spec({ podFailurePolicy: { rules: [
      { action: "FailJob" },
      { action: "FailIndex", onExitCodes: { operator: "In", containerName: "nope", values: [0, 13, 11, 11] } },
      { action: "", onPodConditions: [{ type: "Ready", status: "Maybe" }] },
    ] } }), [
      "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
      'spec.podFailurePolicy.rules[1].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
      'spec.podFailurePolicy.rules[1].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template',
      "spec.podFailurePolicy.rules[1].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
      "spec.podFailurePolicy.rules[1].onExitCodes.values[3]: Duplicate value: 11",
      "spec.podFailurePolicy.rules[1].onExitCodes.values: Invalid value: []int32{0, 13, 11, 11}: must be ordered",
      'spec.podFailurePolicy.rules[2].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]',
      'spec.podFailurePolicy.rules[2].onPodConditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
    ]],
  ] as const)("%s", (_n, s, expected) => {
    expect(texts(s)).toEqual(expected);
  });
});

describe("validateJob", () => {
  it("the largest Indexed pod hostname must be a DNS label", () => {
    // 60 + "-" + "99" = 63 characters: fine; with completions 1000, "-999" makes 64
    const name = "a".repeat(60);
    expect(validateJob({ name, spec: spec({ completionMode: "Indexed", completions: 100 }) })).toEqual([]);
    expect(validateJob({ name, spec: spec({ completionMode: "Indexed", completions: 1000 }) }).map(jobFieldErrorText)).toEqual([
      `metadata.name: Invalid value: "${name}": will not able to create pod with invalid DNS label: ${name}-999`,
    ]);
  });
});
