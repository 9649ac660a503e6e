import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removedApi, removedApiMessage } from "../src/api/registry/removed-apis.js";
import { loadScenario } from "../src/scenario/load.js";
import { cli } from "./helpers/cli.js";

/**
 * Removed API versions, per the Deprecated API Migration Guide (kubernetes.io/docs/reference/using-api/
 * deprecation-guide/): a manifest of one is an error naming the release that stopped serving it and the version to
 * use, worded as kubectl's NoKindMatchError (`no matches for kind %q in version %q`).
 */
describe("removedApi / removedApiMessage", () => {
  it.each([
    // deprecation guide, v1.16: extensions/v1beta1, apps/v1beta1 and apps/v1beta2 Deployment -> apps/v1 (since 1.9)
    ["extensions/v1beta1", "Deployment", "1.16", "apps/v1"],
    ["apps/v1beta2", "ReplicaSet", "1.16", "apps/v1"],
    // v1.25: batch/v1beta1 CronJob -> batch/v1 (since 1.21)
    ["batch/v1beta1", "CronJob", "1.25", "batch/v1"],
    // v1.25: policy/v1beta1 PodDisruptionBudget -> policy/v1 (since 1.21)
    ["policy/v1beta1", "PodDisruptionBudget", "1.25", "policy/v1"],
    // v1.22: coordination.k8s.io/v1beta1 Lease -> coordination.k8s.io/v1 (since 1.14)
    ["coordination.k8s.io/v1beta1", "Lease", "1.22", "coordination.k8s.io/v1"],
  ])("%s %s: removed in %s, use %s", (apiVersion, kind, removedIn, replacement) => {
    const r = removedApi(apiVersion, kind);
    expect(r).toEqual({ apiVersion, kind, removedIn, replacement });
    expect(removedApiMessage(r!)).toBe(
      `no matches for kind "${kind}" in version "${apiVersion}": the API was removed in Kubernetes ${removedIn}; use apiVersion ${replacement}`,
    );
  });

  it("policy/v1beta1 PodSecurityPolicy: removed in 1.25 with no replacement (Pod Security Admission instead)", () => {
    const r = removedApi("policy/v1beta1", "PodSecurityPolicy");
    expect(r).toEqual({ apiVersion: "policy/v1beta1", kind: "PodSecurityPolicy", removedIn: "1.25", replacement: undefined });
    expect(removedApiMessage(r!)).toBe('no matches for kind "PodSecurityPolicy" in version "policy/v1beta1": the API was removed in Kubernetes 1.25 with no replacement');
  });

  it.each([
    ["apps/v1", "Deployment"],
    ["batch/v1", "CronJob"],
    ["policy/v1", "PodDisruptionBudget"],
    ["v1", "ConfigMap"],
    // A kind that was never at that version is not "removed" (the loader reports it otherwise).
    ["apps/v1beta9", "Deployment"],
  ])("%s %s is not a removed API", (apiVersion, kind) => {
    expect(removedApi(apiVersion, kind)).toBeUndefined();
  });
});

describe("manifests of removed, unsimulated and unserved versions through loadScenario and run", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const SCENARIO = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: removed}
spec:
  duration: 1m
  cluster:
    nodePools: [{name: w, count: 1, capacity: {cpu: "4", memory: 8Gi}}]
  workloads:
    - file: objects.yaml
`;

  function write(objects: string): { dir: string; file: string } {
    const dir = mkdtempSync(join(tmpdir(), "k8sim-removed-"));
    dirs.push(dir);
    writeFileSync(join(dir, "scenario.yaml"), SCENARIO);
    writeFileSync(join(dir, "objects.yaml"), objects);
    return { dir, file: join(dir, "scenario.yaml") };
  }

  function loadFrom(objects: string) {
    const { dir, file } = write(objects);
    const r = loadScenario(file);
    const strip = (s: string) => s.split(`${dir}/`).join("");
    return r.ok ? { errors: [] as string[], warnings: r.warnings.map(strip) } : { errors: r.errors.map(strip), warnings: [] as string[] };
  }

  const doc = (apiVersion: string, kind: string, name: string, rest = "") => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${rest}`;

  it.each([
    ["extensions/v1beta1", "Deployment", "1.16; use apiVersion apps/v1"],
    ["batch/v1beta1", "CronJob", "1.25; use apiVersion batch/v1"],
    ["policy/v1beta1", "PodDisruptionBudget", "1.25; use apiVersion policy/v1"],
    ["policy/v1beta1", "PodSecurityPolicy", "1.25 with no replacement"],
  ])("%s %s is an error at the apiVersion's value (line 1, column 13)", (apiVersion, kind, tail) => {
    const r = loadFrom(doc(apiVersion, kind, "x", "spec: {}\n"));
    expect(r.errors).toEqual([`objects.yaml:1:13: ${kind}/x: no matches for kind "${kind}" in version "${apiVersion}": the API was removed in Kubernetes ${tail}`]);
  });

  it("each removed object in a multi-document file is reported at its own apiVersion", () => {
    const r = loadFrom(`${doc("v1", "Namespace", "team")}---\n${doc("batch/v1beta1", "CronJob", "nightly")}---\n${doc("extensions/v1beta1", "Deployment", "web")}`);
    expect(r.errors).toEqual([
      'objects.yaml:6:13: CronJob/nightly: no matches for kind "CronJob" in version "batch/v1beta1": the API was removed in Kubernetes 1.25; use apiVersion batch/v1',
      'objects.yaml:11:13: Deployment/web: no matches for kind "Deployment" in version "extensions/v1beta1": the API was removed in Kubernetes 1.16; use apiVersion apps/v1',
    ]);
  });

  it("k8sim run exits 2 with the error and writes nothing", async () => {
    const { file, dir } = write(doc("extensions/v1beta1", "Deployment", "web", "spec: {}\n"));
    const out = join(dir, "report");
    const r = await cli("run", file, "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, "objects.yaml")}:1:13: Deployment/web: no matches for kind "Deployment" in version "extensions/v1beta1"`);
    expect(existsSync(out)).toBe(false);
  });

  it("a kind valid upstream but not simulated yet (an apps/v1 StatefulSet) is a warning at the document, and ignored", () => {
    const r = loadFrom(doc("apps/v1", "StatefulSet", "x", "spec: {}\n"));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual(["objects.yaml:1:1: StatefulSet/x: kind StatefulSet is not simulated yet; ignored"]);
  });

  it("a simulated kind at a version that is not served (apps/v1beta9 Deployment) is an error naming the served version", () => {
    const r = loadFrom(doc("apps/v1beta9", "Deployment", "web", "spec: {}\n"));
    expect(r.errors).toEqual(['objects.yaml:1:13: Deployment/web: no matches for kind "Deployment" in version "apps/v1beta9"; expected apiVersion apps/v1']);
  });
});
