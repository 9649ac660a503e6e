import { describe, expect, it } from "vitest";
import { threeWayMerge } from "../src/api/patch/three-way-merge.js";

/**
 * kubectl apply's three-way merge (k8s.io/apimachinery/pkg/util/strategicpatch CreateThreeWayMergePatch applied to
 * the live object): live = what the cluster holds, last = the previously applied manifest
 * (kubectl.kubernetes.io/last-applied-configuration), next = the manifest applied now.
 */
describe("threeWayMerge", () => {
  it("a field the user did not change keeps the live value (a scale survives a re-apply)", () => {
    const live = { spec: { replicas: 5, paused: false } };
    const last = { spec: { replicas: 2 } };
    const next = { spec: { replicas: 2 } };
    expect(threeWayMerge(live, last, next)).toEqual({ spec: { replicas: 5, paused: false } });
  });

  it("a field the user changed takes the new value", () => {
    expect(threeWayMerge({ spec: { replicas: 5 } }, { spec: { replicas: 2 } }, { spec: { replicas: 3 } })).toEqual({ spec: { replicas: 3 } });
  });

  it("a field the user removed from the manifest is removed; one the cluster set (never applied) stays", () => {
    const live = { spec: { minReadySeconds: 10, revisionHistoryLimit: 10, replicas: 2 } };
    const last = { spec: { minReadySeconds: 10, replicas: 2 } };
    const next = { spec: { replicas: 2 } };
    expect(threeWayMerge(live, last, next)).toEqual({ spec: { revisionHistoryLimit: 10, replicas: 2 } });
  });

  it("null in the manifest deletes the field", () => {
    expect(threeWayMerge({ spec: { a: 1, b: 2 } }, { spec: { a: 1 } }, { spec: { a: null } })).toEqual({ spec: { b: 2 } });
  });

  it("without a last applied manifest (first apply of an object created otherwise) nothing is removed", () => {
    expect(threeWayMerge({ spec: { a: 1, b: 2 } }, undefined, { spec: { a: 3 } })).toEqual({ spec: { a: 3, b: 2 } });
  });

  it("containers merge by name (patchMergeKey): server-defaulted fields stay, the changed image is taken", () => {
    const defaulted = { imagePullPolicy: "IfNotPresent", terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File" };
    const live = {
      containers: [
        { name: "app", image: "app:1", ...defaulted },
        { name: "sidecar", image: "envoy:1", ...defaulted },
      ],
    };
    const last = { containers: [{ name: "app", image: "app:1" }, { name: "sidecar", image: "envoy:1" }] };
    // The user reorders nothing and changes one image.
    const next = { containers: [{ name: "app", image: "app:2" }, { name: "sidecar", image: "envoy:1" }] };
    expect(threeWayMerge(live, last, next)).toEqual({
      containers: [
        { name: "app", image: "app:2", ...defaulted },
        { name: "sidecar", image: "envoy:1", ...defaulted },
      ],
    });
  });

  it("a container the user removed is removed; one the user added is added; one only the cluster has stays", () => {
    const live = { containers: [{ name: "app", image: "a" }, { name: "old", image: "o" }, { name: "injected", image: "i" }] };
    const last = { containers: [{ name: "app", image: "a" }, { name: "old", image: "o" }] };
    const next = { containers: [{ name: "app", image: "a" }, { name: "new", image: "n" }] };
    expect(threeWayMerge(live, last, next)).toEqual({ containers: [{ name: "app", image: "a" }, { name: "new", image: "n" }, { name: "injected", image: "i" }] });
  });

  it("container ports merge by containerPort, keeping the defaulted protocol", () => {
    const live = { ports: [{ containerPort: 80, protocol: "TCP" }] };
    const last = { ports: [{ containerPort: 80 }] };
    const next = { ports: [{ containerPort: 80, name: "http" }] };
    expect(threeWayMerge(live, last, next)).toEqual({ ports: [{ containerPort: 80, protocol: "TCP", name: "http" }] });
  });

  it("a list without a merge key (args, tolerations) is replaced whole when the user changed it", () => {
    const live = { args: ["--a", "--b"], tolerations: [{ key: "x", operator: "Exists" }, { key: "added-by-admission", operator: "Exists" }] };
    const last = { args: ["--a", "--b"], tolerations: [{ key: "x", operator: "Exists" }] };
    const next = { args: ["--c"], tolerations: [{ key: "y", operator: "Exists" }] };
    expect(threeWayMerge(live, last, next)).toEqual({ args: ["--c"], tolerations: [{ key: "y", operator: "Exists" }] });
  });

  it("a list without a merge key the user did not change keeps the live list (admission-added items stay)", () => {
    const live = { tolerations: [{ key: "x", operator: "Exists" }, { key: "added-by-admission", operator: "Exists" }] };
    const last = { tolerations: [{ key: "x", operator: "Exists" }] };
    expect(threeWayMerge(live, last, { tolerations: [{ key: "x", operator: "Exists" }] })).toEqual(live);
  });

  it("key order does not count as a change (canonical equality)", () => {
    const live = { spec: { selector: { matchLabels: { a: "1", b: "2" } }, replicas: 7 } };
    const last = { spec: { selector: { matchLabels: { a: "1", b: "2" } }, replicas: 3 } };
    const next = { spec: { replicas: 3, selector: { matchLabels: { b: "2", a: "1" } } } };
    expect(threeWayMerge(live, last, next)).toEqual({ spec: { selector: { matchLabels: { a: "1", b: "2" } }, replicas: 7 } });
  });

  it("never mutates its arguments", () => {
    const live = { spec: { replicas: 5, containers: [{ name: "app", image: "a", imagePullPolicy: "Always" }] } };
    const last = { spec: { replicas: 2, containers: [{ name: "app", image: "a" }] } };
    const next = { spec: { replicas: 2, containers: [{ name: "app", image: "b" }] } };
    const copies = structuredClone([live, last, next]);
    threeWayMerge(live, last, next);
    expect([live, last, next]).toEqual(copies);
  });
});
