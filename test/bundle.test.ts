/**
 * Bug bundles (issue 10): `k8sim run --bundle` writes a reproducible .tgz, `k8sim replay` reruns it and says whether
 * the digest and report files match; hostile bundles (test/hostile/bundle-cases.ts) are refused with exit 2 and
 * nothing extracted.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBundle } from "../src/bundle/read.js";
import { writeBundle } from "../src/bundle/write.js";
import { K8SIM_VERSION } from "../src/version.js";
import { cli } from "./helpers/cli.js";
import { BUNDLE_CASES } from "./hostile/bundle-cases.js";

const tmp = () => mkdtempSync(join(tmpdir(), "k8sim-bundle-test-"));
const SCENARIO = "scenarios/node-failure.yaml";

/** Reads a bundle made by the CLI, for tests that then edit it. */
async function bundleOf(path: string) {
  const r = await readBundle(path);
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r.bundle;
}

describe("k8sim run --bundle and k8sim replay", () => {
  it("the same run gives byte-identical bundles, and the replay matches its digest and every report file", async () => {
    const d = tmp();
    const a = await cli("run", SCENARIO, "--out", join(d, "r1"), "--bundle", join(d, "a.tgz"));
    const b = await cli("run", SCENARIO, "--out", join(d, "r2"), "--bundle", join(d, "b.tgz"));
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.out).toContain(`bundle: ${join(d, "a.tgz")}`);
    expect(readFileSync(join(d, "a.tgz")).equals(readFileSync(join(d, "b.tgz")))).toBe(true);
    // No temporary file is left beside the bundle.
    expect(readdirSync(d).sort()).toEqual(["a.tgz", "b.tgz", "r1", "r2"]);

    const bundle = await bundleOf(join(d, "a.tgz"));
    const m = bundle.manifest;
    // node-failure.yaml names manifests/nginx.yaml: both are carried, relative to the scenario's folder.
    expect(bundle.inputs.map((f) => f.path)).toEqual(["manifests/nginx.yaml", "node-failure.yaml"]);
    expect(bundle.inputs.find((f) => f.path === "node-failure.yaml")!.bytes.equals(readFileSync(SCENARIO))).toBe(true);
    const summary = JSON.parse(readFileSync(join(d, "r1", "summary.json"), "utf8"));
    expect(m.digest).toBe(summary.digest);
    expect(m.k8simVersion).toBe(K8SIM_VERSION);
    expect(m.seed).toBe(42);
    expect(m.flags).toEqual({ seed: null, set: [], limit: [] });
    // Every report file but run-info.json (wall-clock facts) is hashed.
    expect(Object.keys(m.outputs)).toEqual(readdirSync(join(d, "r1")).filter((f) => f !== "run-info.json").sort());
    expect(m.outputs["summary.json"]).toMatch(/^[0-9a-f]{64}$/);

    const out = join(d, "replay");
    const r = await cli("replay", join(d, "a.tgz"), "--out", out);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}digest +match/m);
    expect(r.out).toMatch(/^ {2}summary\.json +match/m);
    expect(r.out).toContain(`report written to ${join(out, "report")}`);
    expect(r.out).toContain(`replay matches: the digest and all ${Object.keys(m.outputs).length} report file(s) are identical`);
    for (const f of Object.keys(m.outputs)) expect(readFileSync(join(out, "report", f)).equals(readFileSync(join(d, "r1", f)))).toBe(true);
    expect(readFileSync(join(out, "scenario", "manifests", "nginx.yaml")).equals(readFileSync("scenarios/manifests/nginx.yaml"))).toBe(true);
  });

  it("carries --set, --seed and --limit given at run time to the replay", async () => {
    const d = tmp();
    const flags = ["--seed", "7", "--set", "spec.duration=8m", "--limit", "pods=5000"];
    const a = await cli("run", SCENARIO, ...flags, "--out", join(d, "r"), "--bundle", join(d, "a.tgz"));
    // The 15m expectation is past the 8m end: it fails (exit 1), and the bundle is still written.
    expect(a.code).toBe(1);
    const m = (await bundleOf(join(d, "a.tgz"))).manifest;
    expect(m.flags).toEqual({ seed: 7, set: ["spec.duration=8m"], limit: ["pods=5000"] });
    expect(m.simulatedDuration).toBe("8m");
    const r = await cli("replay", join(d, "a.tgz"), "--out", join(d, "x"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("seed 7 (--set spec.duration=8m --limit pods=5000)");
    const s = JSON.parse(readFileSync(join(d, "x", "report", "summary.json"), "utf8"));
    // 8m = 480,000 ms, the --set duration, not the file's 15m.
    expect(s.simulatedMs).toBe(480_000);
    expect(s.seed).toBe(7);
  });

  it("says when the replay differs (exit 1), naming the file", async () => {
    const d = tmp();
    await cli("run", SCENARIO, "--out", join(d, "r"), "--bundle", join(d, "a.tgz"));
    const b = await bundleOf(join(d, "a.tgz"));
    writeBundle(join(d, "edited.tgz"), { ...b.manifest, outputs: { ...b.manifest.outputs, "metrics.csv": "0".repeat(64) } }, b.inputs);
    const r = await cli("replay", join(d, "edited.tgz"), "--out", join(d, "x"));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ {2}metrics\.csv +DIFFERS +bundle 0000000000000000…, replay [0-9a-f]{16}…$/m);
    expect(r.out).toMatch(/^ {2}events\.jsonl +match/m);
    expect(r.out).toContain("replay DIFFERS: metrics.csv");
  });

  it("refuses a bundle from another k8sim version unless --allow-version-mismatch", async () => {
    const d = tmp();
    await cli("run", SCENARIO, "--out", join(d, "r"), "--bundle", join(d, "a.tgz"));
    const b = await bundleOf(join(d, "a.tgz"));
    writeBundle(join(d, "old.tgz"), { ...b.manifest, k8simVersion: "0.0.9" }, b.inputs);
    const r = await cli("replay", join(d, "old.tgz"), "--out", join(d, "x"));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`k8sim: this bundle was made by k8sim 0.0.9; this is k8sim ${K8SIM_VERSION}.`);
    expect(r.err).toContain("--allow-version-mismatch");
    expect(existsSync(join(d, "x"))).toBe(false);
    const ok = await cli("replay", join(d, "old.tgz"), "--out", join(d, "y"), "--allow-version-mismatch");
    expect(ok.err).toContain(`warning: this bundle was made by k8sim 0.0.9; this is k8sim ${K8SIM_VERSION}; replaying it anyway`);
    // The run itself is this version's and the same: it matches.
    expect(ok.code).toBe(0);
  });

  it("--until stops the rerun at that virtual time and marks the report as stopped there", async () => {
    const d = tmp();
    await cli("run", SCENARIO, "--out", join(d, "r"), "--bundle", join(d, "a.tgz"));
    const r = await cli("replay", join(d, "a.tgz"), "--out", join(d, "x"), "--until", "6m");
    expect(r.code).toBe(0);
    expect(r.out).toContain("not compared: the replay stopped by --until at 6m");
    const s = JSON.parse(readFileSync(join(d, "x", "report", "summary.json"), "utf8"));
    // 6m = 360,000 ms.
    expect(s.interrupted).toEqual({ signal: "--until", atMs: 360_000, at: "6m", instantComplete: true });
    expect(s.simulatedMs).toBe(360_000);
    // The 15m expectation was not reached; the 4m and 6m ones were checked.
    expect(s.expectations.map((e: { passed: boolean | null }) => e.passed)).toEqual([true, true, null]);
    // The last metrics row is at (or before) 6m: 360 s.
    const rows = readFileSync(join(d, "x", "report", "metrics.csv"), "utf8").trim().split("\n");
    expect(Number(rows.at(-1)!.split(",")[1])).toBeLessThanOrEqual(360);
    // k8sim logs reads the stopped report.
    const logs = await cli("logs", join(d, "x", "report"), "-l", "app=nginx", "--tail", "1");
    expect(logs.code).toBe(0);
  });

  it("rejects a bad --until and an unusable --out (exit 2, nothing extracted)", async () => {
    const d = tmp();
    await cli("run", SCENARIO, "--out", join(d, "r"), "--bundle", join(d, "a.tgz"));
    const bad = await cli("replay", join(d, "a.tgz"), "--until", "13 minutes");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/invalid duration "13 minutes"/);
    mkdirSync(join(d, "full"));
    writeFileSync(join(d, "full", "keep.txt"), "mine");
    const full = await cli("replay", join(d, "a.tgz"), "--out", join(d, "full"));
    expect(full.code).toBe(2);
    expect(full.err).toContain(`--out ${join(d, "full")}: it is not empty`);
    expect(readdirSync(join(d, "full"))).toEqual(["keep.txt"]);
  });

  it("refuses --bundle before running when a file lies outside the scenario's folder or the path is unusable", async () => {
    const d = tmp();
    mkdirSync(join(d, "s"));
    writeFileSync(join(d, "web.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n");
    writeFileSync(join(d, "s", "sc.yaml"), ["apiVersion: k8sim.dev/v1alpha1", "kind: Scenario", "metadata: {name: sc}", "spec:", "  duration: 1m", "  workloads: [{file: ../web.yaml}]", ""].join("\n"));
    const r = await cli("run", join(d, "s", "sc.yaml"), "--allow-outside", "--out", join(d, "r"), "--bundle", join(d, "b.tgz"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("the scenario reads ../web.yaml, outside its own folder");
    expect(r.err).toContain("nothing was run");
    expect(existsSync(join(d, "r"))).toBe(false);
    expect(existsSync(join(d, "b.tgz"))).toBe(false);
    const noDir = await cli("run", SCENARIO, "--out", join(d, "r"), "--bundle", join(d, "missing", "b.tgz"));
    expect(noDir.code).toBe(2);
    expect(noDir.err).toContain("does not exist");
    expect(existsSync(join(d, "r"))).toBe(false);
  });
});

describe("writeBundle", () => {
  it("writes atomically: a failed write leaves neither a temporary file nor a partial bundle", async () => {
    const d = tmp();
    await cli("run", SCENARIO, "--out", join(d, "r"), "--bundle", join(d, "a.tgz"));
    const b = await bundleOf(join(d, "a.tgz"));
    // The destination is a folder holding a file: the final rename fails (EISDIR / ENOTEMPTY).
    mkdirSync(join(d, "dest.tgz"));
    writeFileSync(join(d, "dest.tgz", "keep"), "x");
    expect(() => writeBundle(join(d, "dest.tgz"), b.manifest, b.inputs)).toThrow();
    expect(readdirSync(d).sort()).toEqual(["a.tgz", "dest.tgz", "r"]);
    expect(readdirSync(join(d, "dest.tgz"))).toEqual(["keep"]);
  });
});

describe("hostile bundles", () => {
  for (const c of BUNDLE_CASES) {
    it(`${c.name}: exit 2, names the bundle, extracts nothing`, async () => {
      const d = tmp();
      const bundle = c.make(d);
      const out = join(d, "replay-out");
      const r = await cli("replay", bundle, "--out", out);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(c.error);
      expect(r.err).not.toMatch(/internal error|\n\s+at /);
      for (const line of r.err.trim().split("\n").slice(0, -1)) expect(line.startsWith(`${bundle}: `)).toBe(true);
      expect(r.err.trim().split("\n").at(-1)).toBe(`k8sim: ${bundle} is not a usable bundle; nothing was extracted`);
      expect(existsSync(out)).toBe(false);
      if (c.escapeTarget) expect(existsSync(join(d, c.escapeTarget))).toBe(false);
    });
  }
});
