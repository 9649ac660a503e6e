/**
 * `k8sim run --check-invariants`: every registered invariant after every event. A sound run is unchanged (exit 0,
 * same report); a broken invariant stops the run with one line naming the invariant, the object, the virtual time
 * and the seed, exit 1, and nothing written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ended, requireBuild, startCli } from "./helpers/child.js";
import { cli } from "./helpers/cli.js";
import { removeScenarios, writeScenario } from "./helpers/scenario-tmp.js";

/** The break the in-process tests switch on: the kubelet admits every pod, room or not (vi.hoisted, as the mock
 *  factory below is hoisted above the imports). */
const broken = vi.hoisted(() => ({ admission: false }));
vi.mock("../src/kubelet/admission.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/kubelet/admission.js")>();
  return { ...real, admitPod: (...args: Parameters<typeof real.admitPod>) => (broken.admission ? { admit: true } : real.admitPod(...args)) };
});

const roots: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "k8sim-inv-"));
  roots.push(d);
  return d;
};
afterAll(() => {
  removeScenarios();
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

describe("the real executable", () => {
  beforeAll(() => {
    requireBuild();
    if (!readFileSync(new URL("../dist/cli/program.js", import.meta.url), "utf8").includes("--check-invariants")) {
      throw new Error("dist/ is stale (no --check-invariants): run `npm run build` before these tests");
    }
  });

  it("runs a bundled scenario checked: exit 0, and the same report as unchecked", async () => {
    const [plain, checked] = [join(tmp(), "r"), join(tmp(), "r")];
    const a = await ended(startCli(["run", "scenarios/node-failure.yaml", "--out", plain]));
    const b = await ended(startCli(["run", "scenarios/node-failure.yaml", "--check-invariants", "--out", checked]));
    expect(b.stderr).toBe(a.stderr);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(readdirSync(checked).sort()).toEqual(["changes.idx", "changes.log", "events.jsonl", "faults.csv", "logs.jsonl", "metrics.csv", "run-info.json", "summary.json"]);
    for (const f of ["summary.json", "metrics.csv", "events.jsonl", "logs.jsonl", "faults.csv", "changes.log", "changes.idx"]) expect(readFileSync(join(checked, f), "utf8"), f).toBe(readFileSync(join(plain, f), "utf8"));
  }, 60_000);
});

/** One 1-cpu node and two pods named to it that request 800m each: the kubelet must refuse the second. */
const OVERCOMMIT = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: overcommit}
spec:
  duration: 2m
  cluster:
    nodePools:
      - {name: worker, count: 1, capacity: {cpu: "1", memory: 4Gi}}
  workloads:
    - manifest: {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {nodeName: worker-1, containers: [{name: c, image: i, resources: {requests: {cpu: 800m}}}]}}
    - manifest: {apiVersion: v1, kind: Pod, metadata: {name: b}, spec: {nodeName: worker-1, containers: [{name: c, image: i, resources: {requests: {cpu: 800m}}}]}}
`;

describe("in-process", () => {
  it("a sound run: the kubelet refuses the pod that does not fit, and every invariant holds (exit 0)", async () => {
    broken.admission = false;
    const file = writeScenario(OVERCOMMIT);
    const out = join(dirname(file), "out");
    const r = await cli("run", file, "--check-invariants", "--seed", "42", "--out", out);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(existsSync(join(out, "summary.json"))).toBe(true);
  });

  it("a broken invariant stops the run: the invariant, the object, the virtual time and the seed; exit 1, nothing written", async () => {
    broken.admission = true;
    try {
      const file = writeScenario(OVERCOMMIT);
      const out = join(dirname(file), "out");
      const r = await cli("run", file, "--check-invariants", "--seed", "42", "--out", out);
      expect(r.code).toBe(1);
      // Both pods are admitted at once at 0s, 1600m on a 1000m node.
      expect(r.err).toBe(
        "k8sim: invariant node-capacity broken at 0s (seed 42): Node/worker-1: node worker-1: bound pods request 1600 millicores of cpu, allocatable is 1000 (2 pod(s): default/a, default/b); nothing was written\n",
      );
      expect(r.out).toBe("");
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dirname(file)).filter((f) => f.includes("staging"))).toEqual([]);
      // Without the flag the same broken kubelet runs to the end unnoticed.
      expect((await cli("run", file, "--seed", "42", "--out", out)).code).toBe(0);
    } finally {
      broken.admission = false;
    }
  });

  it("documents the flag and its exit code in the help", async () => {
    const r = await cli("run", "--help");
    expect(r.out.replace(/\s+/g, " ")).toMatch(/--check-invariants check every registered invariant after every event \(slower\); the first one broken stops the run with exit code 1, naming the invariant, the object, the virtual time and the seed, and nothing is written/);
  });
});
