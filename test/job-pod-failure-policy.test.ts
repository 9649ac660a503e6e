import { describe, expect, it } from "vitest";
import { matchPodFailurePolicy, type FailedPodFacts, type PodFailurePolicyRule } from "../src/controllers/job/pod-failure-policy.js";

const pod = (over: Partial<FailedPodFacts> = {}): FailedPodFacts => ({
  namespace: "default",
  name: "job-abc",
  containerStatuses: [{ name: "main", terminated: { exitCode: 42 } }],
  conditions: [{ type: "DisruptionTarget", status: "True" }],
  ...over,
});
const policy = (...rules: PodFailurePolicyRule[]) => ({ rules });

describe("matchPodFailurePolicy", () => {
  it("no policy: counted, no action", () => {
    expect(matchPodFailurePolicy(undefined, pod())).toEqual({ countFailed: true });
  });

  it.each([
    ["In matches: FailJob message", [{ action: "FailJob", onExitCodes: { operator: "In", values: [42] } }], pod(),
      { jobFailureMessage: "Container main for pod default/job-abc failed with exit code 42 matching FailJob rule at index 0", countFailed: true, action: "FailJob" }],
    ["NotIn excludes 42: no match", [{ action: "FailJob", onExitCodes: { operator: "NotIn", values: [42] } }], pod(), { countFailed: true }],
    ["exit code 0 never matches NotIn", [{ action: "Ignore", onExitCodes: { operator: "NotIn", values: [1] } }],
      pod({ containerStatuses: [{ name: "main", terminated: { exitCode: 0 } }] }), { countFailed: true }],
    ["containerName filters", [{ action: "FailJob", onExitCodes: { containerName: "other", operator: "In", values: [42] } }], pod(), { countFailed: true }],
    ["running containers are skipped; init containers are looked at after",
      [{ action: "FailJob", onExitCodes: { operator: "In", values: [3] } }],
      pod({ containerStatuses: [{ name: "main" }], initContainerStatuses: [{ name: "setup", terminated: { exitCode: 3 } }] }),
      { jobFailureMessage: "Container setup for pod default/job-abc failed with exit code 3 matching FailJob rule at index 0", countFailed: true, action: "FailJob" }],
    ["first matching rule wins: Ignore at 0 before FailJob at 1",
      [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }, { action: "FailJob", onExitCodes: { operator: "In", values: [42] } }],
      pod(), { countFailed: false, action: "Ignore" }],
    ["condition FailJob message, index 1",
      [{ action: "Count", onExitCodes: { operator: "In", values: [1] } }, { action: "FailJob", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }],
      pod(), { jobFailureMessage: "Pod default/job-abc has condition DisruptionTarget matching FailJob rule at index 1", countFailed: true, action: "FailJob" }],
    ["condition status must match", [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "False" }] }], pod(), { countFailed: true }],
    ["Count", [{ action: "Count", onExitCodes: { operator: "In", values: [42] } }], pod(), { countFailed: true, action: "Count" }],
    ["FailIndex", [{ action: "FailIndex", onExitCodes: { operator: "In", values: [42] } }], pod(), { countFailed: true, action: "FailIndex" }],
    ["an unknown action is skipped", [{ action: "Bogus", onExitCodes: { operator: "In", values: [42] } }, { action: "Count", onExitCodes: { operator: "In", values: [42] } }],
      pod(), { countFailed: true, action: "Count" }],
    ["onExitCodes set: onPodConditions of the same rule is not looked at",
      [{ action: "Ignore", onExitCodes: { operator: "In", values: [7] }, onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }], pod(), { countFailed: true }],
  ] as const)("%s", (_name, rules, p, expected) => {
    expect(matchPodFailurePolicy(policy(...rules), p)).toEqual(expected);
  });
});
