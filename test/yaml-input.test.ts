/**
 * Hostile YAML and hostile files (issue 5 items 3, 4, 6, 7, 13, 15): every case ends in exit 2 with a position, or
 * loads as kubectl would read it; nothing hangs, aborts, echoes a file's content or drives the terminal.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "../src/scenario/load.js";
import { deploymentYaml } from "./fixtures/manifests.js";
import { cli } from "./helpers/cli.js";
import { removeScenarios, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

/** A small valid scenario whose only workload is the file `manifest.yaml` next to it (or `file`). */
function scenarioWith(file = "manifest.yaml", extra = ""): string {
  return [
    "apiVersion: k8sim.dev/v1alpha1",
    "kind: Scenario",
    "metadata: {name: hostile}",
    "spec:",
    "  duration: 1m",
    "  cluster:",
    "    nodePools:",
    '      - {name: w, count: 2, capacity: {cpu: "4", memory: 8Gi}}',
    "  workloads:",
    `    - file: ${JSON.stringify(file)}`,
    extra,
  ].join("\n");
}

const DEPLOYMENT = deploymentYaml();

/** Runs `k8sim run` and `k8sim validate` on the scenario; both must give exit 2 and the same error lines. */
async function bothRefuse(file: string, ...flags: string[]): Promise<string> {
  const out = join(dirname(file), "out");
  const run = await cli("run", file, "--out", out, ...flags);
  const val = await cli("validate", file, ...flags);
  expect(run.code, run.err).toBe(2);
  expect(val.code, val.err).toBe(2);
  const lines = (s: string) => s.split("\n").filter((l) => l && !l.startsWith("k8sim:") && !l.startsWith("warning:"));
  expect(lines(val.err)).toEqual(lines(run.err));
  expect(run.err).not.toMatch(/\n\s+at /);
  expect(run.err).not.toContain("internal error");
  return run.err;
}

describe("YAML that attacks the parser", () => {
  it("refuses an alias bomb (10 levels of 10 aliases) at the alias, in run and validate", async () => {
    let bomb = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 10; i++) bomb += `  a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
    const file = writeScenario(scenarioWith(), { "manifest.yaml": bomb });
    const err = await bothRefuse(file);
    expect(err).toMatch(/manifest\.yaml:\d+:\d+: .*aliases expand this document to more than 10,000 values \(an alias bomb\?\)/);
  });

  it("refuses nesting 10,000 levels deep (block and flow) and names the limit of 256 levels", async () => {
    const deepFlow = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`;
    const deepBlock = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n${"- ".repeat(10_000)}1\n`;
    for (const text of [deepFlow, deepBlock]) {
      const file = writeScenario(scenarioWith(), { "manifest.yaml": text });
      const err = await bothRefuse(file);
      expect(err).toMatch(/manifest\.yaml:[45]:\d+: YAML nested more than 256 levels deep; k8sim reads at most 256 levels/);
    }
  });

  it("refuses a million unclosed brackets quickly, without exhausting memory", async () => {
    const file = writeScenario(scenarioWith(), { "manifest.yaml": `data: ${"[".repeat(1_000_000)}` });
    const t0 = process.hrtime.bigint();
    const err = await bothRefuse(file);
    expect(err).toContain("nested more than 256 levels");
    expect(Number(process.hrtime.bigint() - t0) / 1e9).toBeLessThan(10);
  });

  it("accepts 256 levels, the documented limit", () => {
    // A custom resource (a group k8sim has no schema for) may hold any shape; it is ignored with a warning.
    const file = writeScenario(scenarioWith(), { "manifest.yaml": `apiVersion: example.com/v1\nkind: Deep\nmetadata: {name: ok}\nx: ${"[".repeat(254)}${"]".repeat(254)}\n` });
    const r = loadScenario(file);
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it("reports a duplicate key at the second occurrence, naming the first (in scenarios and manifests)", async () => {
    const file = writeScenario(scenarioWith() + "  duration: 2m\n", { "manifest.yaml": DEPLOYMENT });
    expect(await bothRefuse(file)).toContain(`${file}:11:3: spec.duration: duplicate key "duration" (first at line 5, column 3); expected each key once in a mapping`);
    const manifest = writeScenario(scenarioWith(), { "manifest.yaml": DEPLOYMENT.replace("  replicas: 2\n", "  replicas: 2\n  replicas: 3\n") });
    expect(await bothRefuse(manifest)).toMatch(/manifest\.yaml:6:3: spec\.replicas: duplicate key "replicas" \(first at line 5, column 3\)/);
  });

  it("loads a 50,000-key ConfigMap in a few seconds (linear in the file size)", () => {
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n";
    for (let i = 0; i < 50_000; i++) cm += `  key-${i}: value-${i}\n`;
    const file = writeScenario(scenarioWith(), { "manifest.yaml": cm });
    const t0 = process.hrtime.bigint();
    const r = loadScenario(file);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    expect(r.ok).toBe(true);
    // Measured about 0.3 s here; quadratic key checks took over 60 s.
    expect(seconds).toBeLessThan(5);
  });
});

describe("every problem at once, and the right one", () => {
  it("reports a duplicate key and a bad quantity in the same manifest together", async () => {
    const manifest = DEPLOYMENT.replace("  replicas: 2\n", "  replicas: 2\n  replicas: 3\n").replace("image: nginx}", "image: nginx, resources: {requests: {cpu: lots}}}");
    const file = writeScenario(scenarioWith(), { "manifest.yaml": manifest });
    const err = await bothRefuse(file);
    expect(err).toMatch(/manifest\.yaml:6:3: spec\.replicas: duplicate key "replicas"/);
    expect(err).toMatch(/manifest\.yaml:\d+:\d+: Deployment\/web: spec\.template\.spec\.containers\[0\]\.resources\.requests\[cpu\]: Invalid value: "lots": quantities must match/);
  });

  it("validate on a multi-document manifest file with a duplicate key reports the key, as run does", async () => {
    const file = writeScenario(scenarioWith(), { "manifest.yaml": DEPLOYMENT.replace("metadata: {name: web}", "metadata: {name: a, name: b}") + "---\n" + DEPLOYMENT.replace("name: web}", "name: other}") });
    const manifest = join(dirname(file), "manifest.yaml");
    const v = await cli("validate", manifest);
    expect(v.code).toBe(2);
    // "metadata: {name: a, name: b}": the second name key is at column 21.
    expect(v.err).toContain(`${manifest}:3:21: metadata.name: duplicate key "name" (first at line 3, column 12)`);
    expect(v.err).not.toContain("expected one YAML document");
  });

  it("an alias to no anchor is named as such", async () => {
    const file = writeScenario(scenarioWith().replace("  duration: 1m", "  duration: *dur"), { "manifest.yaml": DEPLOYMENT });
    expect(await bothRefuse(file)).toContain(`${file}:5:13: spec.duration: alias *dur refers to no anchor; expected an anchor (&dur) set earlier in the same document`);
  });

  it("a file that is no scenario at all (a mapping without apiVersion or kind) gets one line, not one per key", async () => {
    const file = writeScenario("root: x\ndaemon: y\nbin: z\nsys: w\n");
    const err = await bothRefuse(file);
    expect(err.split("\n").filter((l) => l.startsWith(file))).toEqual([`${file}:1:1: not a k8sim scenario: expected apiVersion: k8sim.dev/v1alpha1 and kind: Scenario at the top of the file, found neither`]);
    expect(err).not.toContain("daemon");
  });
});

describe("__proto__ and other prototype keys", () => {
  it("refuses __proto__ in a manifest's metadata at its key; it cannot make the Deployment act deleted", async () => {
    const manifest = DEPLOYMENT.replace("metadata: {name: web}", 'metadata: {name: web, __proto__: {deletionTimestamp: "2026-01-01T00:00:00Z"}}');
    const file = writeScenario(scenarioWith(), { "manifest.yaml": manifest });
    const err = await bothRefuse(file);
    expect(err).toMatch(/manifest\.yaml:3:23: metadata\.__proto__: unknown field "__proto__"/);
  });

  it("refuses __proto__ in the scenario and in a --set value", async () => {
    const file = writeScenario(scenarioWith("manifest.yaml", "  __proto__: {x: 1}"), { "manifest.yaml": DEPLOYMENT });
    expect(await bothRefuse(file)).toContain(`${file}:11:3: spec.__proto__: unknown field "__proto__"`);
    const ok = writeScenario(scenarioWith(), { "manifest.yaml": DEPLOYMENT });
    const err = await bothRefuse(ok, "--set", "spec.settings={__proto__: {maxPods: 1}}");
    expect(err).toContain('--set spec.settings={__proto__: {maxPods: 1}}: invalid YAML value: __proto__: unknown field "__proto__"');
  });

  it("treats constructor and prototype as ordinary keys: labels may use them, the scenario schema does not know them", async () => {
    const labelled = DEPLOYMENT.replace("metadata: {name: web}", "metadata: {name: web, labels: {constructor: a, prototype: b}}");
    const file = writeScenario(scenarioWith(), { "manifest.yaml": labelled });
    const r = loadScenario(file);
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (r.ok) expect(r.scenario.workloads[0]!.object.metadata.labels).toEqual({ constructor: "a", prototype: "b" });
    const bad = writeScenario(scenarioWith("manifest.yaml", "  constructor: 1"), { "manifest.yaml": DEPLOYMENT });
    expect(await bothRefuse(bad)).toContain(`${bad}:11:3: unknown key "constructor"`);
    const setting = writeScenario(scenarioWith(), { "manifest.yaml": DEPLOYMENT });
    expect(await bothRefuse(setting, "--set", "spec.settings.constructor=1")).toContain('unknown key "constructor"');
  });
});

describe("YAML merge keys, as kubectl reads them", () => {
  it("expands <<: *defaults in a manifest: written keys win, then earlier merged mappings", () => {
    const manifest = deploymentYaml({
      podSpec: [
        "",
        "      containers:",
        "        - &base {name: base, image: nginx:1.25, resources: {requests: {cpu: 100m}}}",
        "        - <<: [*base, {image: ignored, imagePullPolicy: Always}]",
        "          name: sidecar",
      ].join("\n"),
    });
    const file = writeScenario(scenarioWith(), { "manifest.yaml": manifest });
    const r = loadScenario(file);
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (!r.ok) return;
    const spec = r.scenario.workloads[0]!.object.spec as { template: { spec: { containers: unknown[] } } };
    expect(spec.template.spec.containers[1]).toEqual({ name: "sidecar", image: "nginx:1.25", resources: { requests: { cpu: "100m" } }, imagePullPolicy: "Always" });
  });

  it("expands merge keys in scenarios too, and reports errors inside merged values at the anchor", async () => {
    const text = scenarioWith().replace(
      '      - {name: w, count: 2, capacity: {cpu: "4", memory: 8Gi}}',
      '      - &pool {name: w, count: 2, capacity: {cpu: "4", memory: 8Gi}}\n      - {<<: *pool, name: v}',
    );
    const file = writeScenario(text, { "manifest.yaml": DEPLOYMENT });
    const r = loadScenario(file);
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (r.ok) expect(r.scenario.nodePools.map((p) => [p.name, p.count])).toEqual([["w", 2], ["v", 2]]);
    const bad = writeScenario(text.replace("count: 2,", "count: many,"), { "manifest.yaml": DEPLOYMENT });
    // The merged count is the anchor's value: both pools report it there.
    expect(await bothRefuse(bad)).toContain(`${bad}:8:32: spec.cluster.nodePools[1].count: expected an integer, got string "many"`);
  });

  it("refuses a merge of something that is not a mapping", async () => {
    const file = writeScenario(scenarioWith(), { "manifest.yaml": DEPLOYMENT.replace("  replicas: 2\n", "  <<: [1]\n  replicas: 2\n") });
    expect(await bothRefuse(file)).toMatch(/manifest\.yaml:5:8: spec\.<<: a merge key \(<<\) takes a mapping, an alias to one, or a list of those/);
  });
});

describe("files a scenario names", () => {
  it("refuses files outside the scenario's folder tree, and symlinks that lead out of it, unless --allow-outside", async () => {
    const file = writeScenario(scenarioWith("/proc/self/environ"));
    const err = await bothRefuse(file);
    expect(err).toContain(`${file}:10:13: cannot read manifest file /proc/self/environ: it is outside the scenario's folder`);
    expect(err).toContain("unless run with --allow-outside");
    const dir = dirname(file);
    mkdirSync(join(dir, "sub"));
    symlinkSync("/etc/hostname", join(dir, "sub", "link.yaml"));
    const linked = writeScenario(scenarioWith(join(dir, "sub", "link.yaml")));
    expect(await bothRefuse(linked)).toContain("it resolves to /etc/hostname");
  });

  it("with --allow-outside, a file that is not YAML is refused without echoing its content", async () => {
    process.env.K8SIM_TEST_SECRET = "do-not-print-this-secret-value";
    // A child process, so that /proc/self/environ is one that holds the secret.
    const file = writeScenario(scenarioWith("/proc/self/environ"));
    let stderr = "";
    try {
      execFileSync(process.execPath, ["dist/cli/main.js", "validate", file, "--allow-outside"], { env: { ...process.env }, encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      stderr = String((e as { stderr: string }).stderr);
      expect((e as { status: number }).status).toBe(2);
    }
    expect(stderr).toMatch(/environ:\d+:\d+: /);
    expect(stderr).not.toContain("do-not-print-this-secret-value");
    expect(stderr).not.toContain("K8SIM_TEST_SECRET");
  });

  it("refuses a FIFO and a device at once instead of blocking or reading forever", async () => {
    const file = writeScenario(scenarioWith("pipe.yaml"));
    execFileSync("mkfifo", [join(dirname(file), "pipe.yaml")]);
    expect(await bothRefuse(file)).toContain("cannot read manifest file");
    expect(await bothRefuse(file)).toContain("pipe.yaml: it is a named pipe (FIFO); expected a regular file");
    const dev = writeScenario(scenarioWith("/dev/zero"));
    expect(await bothRefuse(dev, "--allow-outside")).toContain("/dev/zero: it is a character device; expected a regular file");
  });

  it("refuses a file above limits.fileSize, and says how to raise it", async () => {
    const file = writeScenario(scenarioWith(), { "manifest.yaml": DEPLOYMENT + "#".repeat(2000) + "\n" });
    const err = await bothRefuse(file, "--limit", "fileSize=1Ki");
    expect(err).toContain("manifest.yaml: it is 2,");
    expect(err).toContain("above the limit of 1Ki per file (limits.fileSize); raise it with --limit fileSize=<size>");
  });

  it("refuses a scenario that is not UTF-8", async () => {
    const file = writeScenario("");
    writeFileSync(file, Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    expect(await bothRefuse(file)).toContain("it is not UTF-8 text");
  });
});

describe("control characters", () => {
  it("escapes ESC, BEL and CR from the file in error messages", async () => {
    const file = writeScenario(scenarioWith("manifest.yaml", '  "evil\\e[31mkey\\a\\r": 1'), { "manifest.yaml": DEPLOYMENT });
    const err = await bothRefuse(file);
    expect(err).toContain('unknown key "evil\\u001b[31mkey\\u0007\\r"');
    expect(err).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it("escapes control characters in file names and YAML syntax errors", async () => {
    const file = writeScenario("a: [\x1b\n");
    const err = await bothRefuse(file);
    expect(err).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it("escapes control characters in a scenario's file name on every line it prints, for run and validate", async () => {
    const ok = writeScenario(scenarioWith(), { "manifest.yaml": DEPLOYMENT });
    const evil = join(dirname(ok), "e\x1b[31m.yaml");
    copyFileSync(ok, evil);
    for (const argv of [["run", evil, "--out", join(dirname(ok), "o")], ["validate", evil], ["run", evil, "--set", "spec.duration=x"]]) {
      const r = await cli(...argv);
      if (r.code !== 0) expect(r.out + r.err, argv.join(" ")).toContain("e\\x1b[31m.yaml");
      expect(r.out + r.err, argv.join(" ")).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    }
  });
});

describe("timeline warnings for actions that do nothing", () => {
  it("warns at a second nodeFailure of a node that has not recovered, as at a nodeRecover of a healthy node", () => {
    const text = scenarioWith() + ["  timeline:", "    - {at: 10s, action: nodeFailure, node: w-1}", "    - {at: 20s, action: nodeFailure, node: w-1}", "    - {at: 30s, action: nodeRecover, node: w-2}", ""].join("\n");
    const file = writeScenario(text, { "manifest.yaml": DEPLOYMENT });
    const r = loadScenario(file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // "    - {at: 20s, action: nodeFailure, node: w-1}": 4 + 3 ("- {") + 9 ("at: 20s, ") + 21 + 6 ("node: ") = 43, so column 44.
    expect(r.warnings).toEqual([
      `${file}:13:44: node "w-1" has already failed by 20s (and not recovered); nodeFailure does nothing`,
      `${file}:14:44: node "w-2" has not failed by 30s; nodeRecover does nothing`,
    ]);
  });
});
