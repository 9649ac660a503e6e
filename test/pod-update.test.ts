/**
 * ValidatePodUpdate's spec rules (pkg/apis/core/validation/validation.go updatablePodSpecFields): images,
 * activeDeadlineSeconds (set or lowered), toleration additions and terminationGracePeriodSeconds from negative to 1
 * may change; anything else is Forbidden with upstream's message.
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../src/api/types.js";
import { fieldErrorText } from "../src/api/validation/field-errors.js";
import { POD_UPDATE_FORBIDDEN, validatePodSpecUpdate } from "../src/api/validation/pod-update.js";

const base: Pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "default" },
  spec: {
    containers: [{ name: "app", image: "nginx:1.26" }],
    tolerations: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }],
    nodeName: "worker-1",
  },
  status: {},
};
const change = (f: (s: Pod["spec"]) => void): string[] => {
  const next = structuredClone(base);
  f(next.spec);
  return validatePodSpecUpdate(next, base).map(fieldErrorText);
};

describe("pod spec updates", () => {
  it("allows an image change, an added toleration, a changed tolerationSeconds and a first activeDeadlineSeconds", () => {
    expect(change((s) => (s.containers[0]!.image = "nginx:1.27"))).toEqual([]);
    expect(change((s) => s.tolerations!.push({ key: "gpu", operator: "Exists", effect: "NoSchedule" }))).toEqual([]);
    expect(change((s) => (s.tolerations![0]!.tolerationSeconds = 60))).toEqual([]);
    expect(change((s) => (s.activeDeadlineSeconds = 600))).toEqual([]);
  });

  it("refuses a raised or removed activeDeadlineSeconds, a removed toleration and any other change", () => {
    const withDeadline = structuredClone(base);
    withDeadline.spec.activeDeadlineSeconds = 600;
    const raised = structuredClone(withDeadline);
    raised.spec.activeDeadlineSeconds = 900;
    expect(validatePodSpecUpdate(raised, withDeadline).map(fieldErrorText)).toEqual(["spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value"]);
    expect(change((s) => (s.tolerations = []))).toEqual(["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]);
    expect(change((s) => (s.nodeName = "worker-2"))).toEqual([`spec: Forbidden: ${POD_UPDATE_FORBIDDEN}`]);
    expect(change((s) => s.containers.push({ name: "side", image: "busybox" }))).toEqual(["spec.containers: Forbidden: pod updates may not add or remove containers"]);
  });

  it("allows terminationGracePeriodSeconds 1 only when it was negative", () => {
    const negative = structuredClone(base);
    negative.spec.terminationGracePeriodSeconds = -1;
    const one = structuredClone(negative);
    one.spec.terminationGracePeriodSeconds = 1;
    expect(validatePodSpecUpdate(one, negative)).toEqual([]);
    expect(change((s) => (s.terminationGracePeriodSeconds = 1))).toEqual([`spec: Forbidden: ${POD_UPDATE_FORBIDDEN}`]);
  });
});
