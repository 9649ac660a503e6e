/**
 * The reproductions of issue 5 (items 1-15) as hostile cases, each a CLI invocation on a fresh workspace
 * (workspace.ts) plus, where the issue states what must happen, the essence of the expected answer. Shared by
 * test/hostile-input.test.ts and `npm run fuzz`.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { livelockScenario } from "../fixtures/livelock.js";
import { deploymentYaml } from "../fixtures/manifests.js";
import type { CaseResult } from "./result.js";
import { BATCH_CASES } from "./batch-cases.js";
import { TENANCY_CASES } from "./tenancy-cases.js";
import { FAULT_CASES } from "./fault-cases.js";
import { FAULT_PROCESS_CASES } from "./fault-process-cases.js";
import { runtimeScenario, type RuntimeParts } from "./runtime-scenario.js";
import type { Workspace } from "./workspace.js";

/** How a case may be run. */
export type Isolation =
  /** Safe in the test process (test/helpers/cli.ts). */
  | "in-process"
  /** May hang, exhaust memory or abort today: only in a separate process (isolated runner or real CLI). */
  | "isolated"
  /** Needs a real process of its own (its cwd, environment, a closed pipe): the real CLI only. */
  | "real-process";

/** One hostile input. */
export interface HostileCase {
  /** Unique name, starting with the issue item: "1 expect at 4.0001s (run)". */
  name: string;
  /** The item of issue 5 it reproduces. */
  item: number;
  isolation: Isolation;
  /** Also run as a real `node dist/cli/main.js` child in CI (the representative subset). */
  child?: boolean;
  /** Writes the case's files into the workspace (the bundled scenarios are there already). */
  setup?: (ws: Workspace) => void;
  /** The CLI arguments. */
  argv: (ws: Workspace) => string[];
  /** Whether the property checks that ws.out is absent after an exit 2 (false for cases about --out itself). */
  checksOut?: boolean;
  /** Environment for real processes. */
  env?: Record<string, string>;
  /** Run with the workspace as the working directory (real processes). */
  cwdInWorkspace?: boolean;
  /** For real processes: close stdout after the first bytes, as `| head -5` does. */
  closeStdoutEarly?: boolean;
  /** The essence of what the issue asks for, beyond the general property; returns what is wrong (empty if fine). */
  expect?: (r: CaseResult, ws: Workspace) => string[];
}

/** Problems if `r` is not an exit 2 whose stderr matches every pattern. */
function invalid(...patterns: RegExp[]): (r: CaseResult) => string[] {
  return (r) => {
    const p: string[] = [];
    if (r.code !== 2) p.push(`expected exit 2, got ${r.code}`);
    for (const re of patterns) if (!re.test(r.err)) p.push(`stderr does not match ${re}`);
    return p;
  };
}

/** Problems if `r` is not a valid run (exit 0/1) — or, when `passes`, exit 0. */
function runs(passes = false): (r: CaseResult) => string[] {
  return (r) => (passes ? (r.code === 0 ? [] : [`expected exit 0, got ${r.code}`]) : r.code === 0 || r.code === 1 ? [] : [`expected a run (exit 0 or 1), got ${r.code}`]);
}

const run = (ws: Workspace, ...rest: string[]) => ["run", ws.scenario, "--out", ws.out, ...rest];
const validate = (ws: Workspace, ...rest: string[]) => ["validate", ws.scenario, ...rest];
const file = (ws: Workspace, name: string) => join(ws.dir, name);

/** The node-failure scenario with its `spec.duration` line replaced. */
function withDuration(ws: Workspace, d: string): void {
  const text = readFileSync(ws.scenario, "utf8").replace(/^ {2}duration: .*$/m, `  duration: ${d}`);
  writeFileSync(ws.scenario, text);
}

/** The node-failure scenario with its workload file replaced by `name`. */
function withWorkloadFile(ws: Workspace, name: string): void {
  writeFileSync(ws.scenario, readFileSync(ws.scenario, "utf8").replace("file: manifests/nginx.yaml", `file: ${JSON.stringify(name)}`));
}

/** A small scenario whose only workload is `manifest` (YAML text), written as manifests/case.yaml. */
function withManifest(ws: Workspace, manifest: string, extraSpec = ""): void {
  writeFileSync(join(ws.dir, "manifests", "case.yaml"), manifest);
  writeFileSync(
    ws.scenario,
    [
      "apiVersion: k8sim.dev/v1alpha1",
      "kind: Scenario",
      "metadata: {name: hostile}",
      "spec:",
      "  duration: 2m",
      "  cluster:",
      "    nodePools:",
      '      - {name: worker, count: 2, capacity: {cpu: "4", memory: 16Gi}}',
      "  workloads:",
      "    - file: manifests/case.yaml",
      extraSpec,
      "",
    ].join("\n"),
  );
}

const DEPLOYMENT = (metadata: string, replicas = 2) =>
  deploymentYaml({ metadata, replicas, podSpec: "{containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]}" });

/** Nested flow sequences `depth` deep, as a value. */
const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

/** A YAML alias bomb: `levels` levels of `width` aliases to the level below. */
function aliasBomb(levels: number, width: number): string {
  const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(", ")}]`);
  return lines.join("\n");
}

/** Issue 7: runtime.yaml in the workspace, the workload-model scenario of runtime-scenario.ts with `parts`. */
function withRuntime(ws: Workspace, parts: RuntimeParts): void {
  writeFileSync(file(ws, "runtime.yaml"), runtimeScenario(parts));
}
const runRuntime = (ws: Workspace, ...rest: string[]) => ["run", file(ws, "runtime.yaml"), "--out", ws.out, ...rest];
const validateRuntime = (ws: Workspace, ...rest: string[]) => ["validate", file(ws, "runtime.yaml"), ...rest];

/** A regular expression matching `text` literally. */
const literal = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
/** Exit 2 with a line `runtime.yaml:<pos>: <text>...` (text literal: the field and what was expected) and `more`. */
const runtimeError = (pos: string, text: string, ...more: RegExp[]) => invalid(literal(`/runtime.yaml:${pos}: ${text}`), ...more);
/** The distribution parser's list of what it accepts, ending every distribution message. */
const EXPECTED_DISTRIBUTION = "expected a duration such as 30s or a distribution: uniform(MIN, MAX), exponential(MEAN), lognormal(MEDIAN, SIGMA)";

/** The cases, in issue order. */
export const HOSTILE_CASES: readonly HostileCase[] = [
  // 1. Durations the schema accepts but the parser drops.
  { name: "1 expect at 4.0001s (run)", item: 1, isolation: "in-process", child: true, argv: (ws) => run(ws, "--set", "spec.expect.0.at=4.0001s"), expect: invalid(/expect/, /millisecond/i) },
  { name: "1 expect at 4.0001s (validate)", item: 1, isolation: "in-process", argv: (ws) => validate(ws, "--set", "spec.expect.0.at=4.0001s"), expect: invalid(/expect/, /millisecond/i) },
  { name: "1 timeline at 1.5ms (run)", item: 1, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.timeline.0.at=1.5ms"), expect: invalid(/timeline/, /millisecond/i) },
  { name: "1 timeline at 1.5ms (validate)", item: 1, isolation: "in-process", argv: (ws) => validate(ws, "--set", "spec.timeline.0.at=1.5ms"), expect: invalid(/timeline/, /millisecond/i) },
  { name: "1 nodeMonitorPeriod 1.5ms (run)", item: 1, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.settings.nodeMonitorPeriod=1.5ms"), expect: invalid(/nodeMonitorPeriod/, /millisecond/i) },
  { name: "1 nodeMonitorPeriod 1.5ms (validate)", item: 1, isolation: "in-process", argv: (ws) => validate(ws, "--set", "spec.settings.nodeMonitorPeriod=1.5ms"), expect: invalid(/nodeMonitorPeriod/, /millisecond/i) },
  {
    name: "1 spec.duration 1500us in the file",
    item: 1,
    isolation: "in-process",
    setup: (ws) => withDuration(ws, "1500us"),
    argv: (ws) => run(ws),
    expect: (r) => [...invalid(/duration/, /millisecond/i)(r), ...(/:1:1: could not load/.test(r.err) ? ["still only 'could not load the scenario' at 1:1"] : [])],
  },
  { name: "1 spec.duration above the parser's maximum", item: 1, isolation: "in-process", setup: (ws) => withDuration(ws, "2562048h"), argv: (ws) => run(ws), expect: invalid(/duration/) },

  // 2. Size bounds.
  { name: "2 node count 1e9", item: 2, isolation: "isolated", child: true, argv: (ws) => run(ws, "--set", "spec.cluster.nodePools.0.count=1000000000"), expect: invalid(/nodes/) },
  { name: "2 node count 4294967296", item: 2, isolation: "isolated", argv: (ws) => run(ws, "--set", "spec.cluster.nodePools.0.count=4294967296"), expect: invalid(/nodes/) },
  { name: "2 replicas 10000000 in a manifest", item: 2, isolation: "isolated", setup: (ws) => withManifest(ws, DEPLOYMENT("{name: web}", 10_000_000)), argv: (ws) => run(ws), expect: invalid(/pods/) },
  {
    name: "2 scale action to 10000000 replicas",
    item: 2,
    isolation: "isolated",
    setup: (ws) => withManifest(ws, DEPLOYMENT("{name: web}"), "  timeline:\n    - {at: 1m, action: scale, target: deployment/web, replicas: 10000000}"),
    argv: (ws) => run(ws),
    expect: invalid(/pods/),
  },
  {
    name: "2 metrics interval 1ms for 1h",
    item: 2,
    isolation: "isolated",
    
    argv: (ws) => run(ws, "--set", "spec.metrics.interval=1ms", "--set", "spec.duration=1h"),
    expect: invalid(/metricsSamples|samples/),
  },

  // 3. Files outside the scenario's folder.
  {
    name: "3 /proc/self/environ as a workload file",
    item: 3,
    isolation: "in-process",
    child: true,
    env: { K8SIM_HOSTILE_MARKER: "marker-7f3a9c-secret" },
    argv: (ws) => run(ws, "--set", "spec.workloads.0.file=/proc/self/environ"),
    expect: (r) => [...invalid(/workloads/)(r), ...(/marker-7f3a9c-secret|PATH=|HOME=/.test(r.err + r.out) ? ["echoes the environment"] : [])],
  },
  { name: "3 a parent-folder path", item: 3, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.workloads.0.file=../../../etc/hostname"), expect: invalid(/workloads/) },
  {
    name: "3 a symlink leading out of the folder",
    item: 3,
    isolation: "in-process",
    setup: (ws) => {
      symlinkSync("/etc/hostname", file(ws, "manifests/link.yaml"));
      withWorkloadFile(ws, "manifests/link.yaml");
    },
    argv: (ws) => run(ws),
    expect: invalid(/outside|allow-outside/),
  },

  // 4. Hangs and quadratic loading.
  {
    name: "4 a FIFO as manifest file",
    item: 4,
    isolation: "isolated",
    child: true,
    setup: (ws) => {
      execFileSync("mkfifo", [file(ws, "manifests/fifo.yaml")]);
      withWorkloadFile(ws, "manifests/fifo.yaml");
    },
    argv: (ws) => run(ws),
    expect: invalid(/regular file|fifo|not a file/i),
  },
  {
    name: "4 /dev/zero as manifest file",
    item: 4,
    isolation: "isolated",
    setup: (ws) => withWorkloadFile(ws, "/dev/zero"),
    argv: (ws) => run(ws, "--allow-outside"),
    expect: invalid(/regular file|device|not a file/i),
  },
  {
    name: "4 a ConfigMap with 50,000 keys loads in a few seconds",
    item: 4,
    isolation: "isolated",
    child: true,
    setup: (ws) => {
      const keys = Array.from({ length: 50_000 }, (_, i) => `  key-${i}: value-${i}`).join("\n");
      withManifest(ws, `${DEPLOYMENT("{name: web}")}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n${keys}\n`);
    },
    argv: (ws) => validate(ws),
    expect: (r) => [...(r.code === 0 ? [] : [`expected valid, got exit ${r.code}`]), ...(r.ms > 15_000 ? [`took ${r.ms} ms, expected a few seconds (over 60 s when loading was quadratic)`] : [])],
  },

  // 6. Alias bombs and deep nesting.
  { name: "6 alias bomb 10x10 (run)", item: 6, isolation: "in-process",  setup: (ws) => writeFileSync(ws.scenario, aliasBomb(10, 10)), argv: (ws) => run(ws), expect: invalid(/alias/i) },
  { name: "6 alias bomb 10x10 (validate)", item: 6, isolation: "in-process", setup: (ws) => writeFileSync(ws.scenario, aliasBomb(10, 10)), argv: (ws) => validate(ws), expect: invalid(/alias/i) },
  {
    name: "6 nesting 10,000 deep",
    item: 6,
    isolation: "in-process",
    child: true,
    setup: (ws) => writeFileSync(ws.scenario, `apiVersion: k8sim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: deep}\nspec:\n  duration: 1m\n  x: ${nested(10_000)}\n`),
    argv: (ws) => run(ws),
    expect: (r) => [...invalid(/nest|depth|deep/i)(r), ...(/Maximum call stack/.test(r.err) ? ["still says 'Maximum call stack size exceeded'"] : [])],
  },

  // 7. Prototype keys are ordinary unknown fields.
  {
    name: "7 __proto__ in metadata does not make the Deployment act deleted",
    item: 7,
    isolation: "in-process",
    child: true,
    setup: (ws) =>
      withManifest(
        ws,
        DEPLOYMENT('{name: web, "__proto__": {deletionTimestamp: "2026-01-01T00:00:00Z"}}'),
        "  expect:\n    - {object: deployment/web, field: status.availableReplicas, \"==\": 2}",
      ),
    argv: (ws) => run(ws),
    expect: (r) => (r.code === 2 ? (/__proto__/.test(r.err) ? [] : ["refused without naming __proto__"]) : runs(true)(r)),
  },
  {
    name: "7 constructor and prototype keys in metadata",
    item: 7,
    isolation: "in-process",
    setup: (ws) =>
      withManifest(ws, DEPLOYMENT("{name: web, constructor: {name: x}, prototype: {deletionTimestamp: now}}"), "  expect:\n    - {object: deployment/web, field: status.availableReplicas, \"==\": 2}"),
    argv: (ws) => run(ws),
    expect: (r) => (r.code === 2 ? [] : runs(true)(r)),
  },

  // 8. Settings that keep the simulation finite.
  { name: "8 heartbeatJitterFactor 1e308", item: 8, isolation: "in-process",  argv: (ws) => run(ws, "--set", "spec.settings.heartbeatJitterFactor=1e308"), expect: invalid(/heartbeatJitterFactor/) },

  // 9. startTime range.
  { name: "9 startTime near 9999-12-31", item: 9, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.startTime=9999-12-31T23:55:00Z"), expect: invalid(/startTime/) },
  {
    name: "9 startTime in year 0050",
    item: 9,
    isolation: "in-process",
    argv: (ws) => run(ws, "--set", "spec.startTime=0050-06-01T00:00:00Z"),
    expect: (r, ws) => {
      if (r.code === 2) return /startTime/.test(r.err) ? [] : ["refused without naming startTime"];
      try {
        const s = JSON.parse(readFileSync(join(ws.out, "summary.json"), "utf8")) as { startTime: string };
        return s.startTime.startsWith("0050-") ? [] : [`summary.startTime is ${s.startTime}`];
      } catch (e) {
        return [`no readable summary.json: ${(e as Error).message}`];
      }
    },
  },
  { name: "9 startTime in year 0000", item: 9, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.startTime=0000-01-01T00:00:00Z"), expect: (r) => (r.code === 2 && !/startTime/.test(r.err) ? ["refused without naming startTime"] : []) },

  // 11. validate and run share one loading path.
  {
    name: "11 empty file (validate)",
    item: 11,
    isolation: "in-process",
    setup: (ws) => writeFileSync(ws.scenario, ""),
    argv: (ws) => validate(ws),
    expect: invalid(/empty|no document|nothing/i),
  },
  { name: "11 empty file (run)", item: 11, isolation: "in-process",  setup: (ws) => writeFileSync(ws.scenario, ""), argv: (ws) => run(ws), expect: invalid(/empty|no document|nothing/i) },

  // 12. --out checked before simulating.
  {
    name: '12 --out ""',
    item: 12,
    isolation: "real-process",
    child: true,
    cwdInWorkspace: true,
    checksOut: false,
    argv: (ws) => ["run", ws.scenario, "--out", ""],
    expect: (r) => (/wrote \d+ files to \/\n/.test(r.out) ? ["claims it wrote to /"] : r.code === 2 && !/^--out/m.test(r.err) ? ["refused without naming --out"] : []),
  },
  { name: "12 --out /proc/x", item: 12, isolation: "isolated", child: true, checksOut: false, argv: (ws) => ["run", ws.scenario, "--out", "/proc/x"], expect: invalid(/^--out/m) },
  {
    name: "12 --out is a file",
    item: 12,
    isolation: "in-process",
    checksOut: false,
    setup: (ws) => writeFileSync(ws.out, "not a folder"),
    argv: (ws) => run(ws),
    expect: (r) => [...invalid(/^--out/m)(r), ...(r.ms > 2000 ? [`found only after ${r.ms} ms (after simulating?)`] : [])],
  },

  // 13. Control bytes are escaped.
  {
    name: "13 control bytes in a YAML error",
    item: 13,
    isolation: "in-process",
    child: true,
    setup: (ws) => writeFileSync(ws.scenario, "apiVersion: k8sim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: \"a\x1b[31mred\x07\"}\nspec: {duration: \x1b]0;title\x07 5m\r\n  : : :\n"),
    argv: (ws) => run(ws),
  },
  {
    name: "13 control bytes in a --set value",
    item: 13,
    isolation: "in-process",
    argv: (ws) => run(ws, "--set", "spec.duration=5m\x1b[2J\x07\r"),
    expect: invalid(/duration/),
  },

  // 14. A closed stdout ends the output quietly.
  {
    name: "14 stdout closed early (| head -5)",
    item: 14,
    isolation: "real-process",
    child: true,
    closeStdoutEarly: true,
    argv: (ws) => run(ws),
    expect: (r, ws) => {
      const p = r.code === 0 || r.code === 1 || r.code === 141 || r.signal === "SIGPIPE" ? [] : [`exit ${r.code} signal ${r.signal}`];
      try {
        readFileSync(join(ws.out, "summary.json"), "utf8");
      } catch {
        p.push("the run's files were not written");
      }
      return p;
    },
  },

  // 15. YAML merge keys in manifests.
  {
    name: "15 merge keys in a manifest",
    item: 15,
    isolation: "in-process",
    
    setup: (ws) =>
      withManifest(
        ws,
        deploymentYaml({ podSpec: "\n      containers:\n        - &base {name: a, image: nginx, resources: {requests: {cpu: 100m}}}\n        - <<: *base\n          name: b" }),
        '  expect:\n    - {object: deployment/web, field: status.availableReplicas, "==": 2}',
      ),
    argv: (ws) => run(ws),
    expect: runs(true),
  },
  {
    name: "15 merge keys in the scenario",
    item: 15,
    isolation: "in-process",
    setup: (ws) =>
      writeFileSync(
        ws.scenario,
        readFileSync(ws.scenario, "utf8").replace("  cluster:\n    nodePools:\n      - name: worker", "  cluster:\n    nodePools:\n      - &pool {name: other, count: 1, capacity: {cpu: \"1\", memory: 1Gi}}\n      - <<: *pool\n        name: worker"),
      ),
    argv: (ws) => run(ws),
    expect: (r) => (r.code === 2 ? (/merge|<</.test(r.err) ? [] : ["refused without a clear message about merge keys"]) : []),
  },

  // 2 (limits). Bad limits, and a run that stalls at one instant (a zero-time loop): exit 2, never a hang.
  { name: "2 --limit with an unknown name", item: 2, isolation: "in-process", argv: (ws) => run(ws, "--limit", "nope=1"), expect: invalid(/^--limit nope=1: /m) },
  { name: "2 --limit eventsPerInstant=abc", item: 2, isolation: "in-process", argv: (ws) => validate(ws, "--limit", "eventsPerInstant=abc"), expect: invalid(/^--limit eventsPerInstant=abc: /m) },
  { name: "2 spec.limits.eventsPerInstant=-1", item: 2, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.limits.eventsPerInstant=-1"), expect: invalid(/eventsPerInstant/) },
  { name: "2 spec.limits.memory=lots", item: 2, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.limits.memory=lots"), expect: invalid(/memory/) },
  {
    name: "2 a zero-time evict/recreate loop stops as stalled",
    item: 2,
    isolation: "isolated",
    child: true,
    setup: (ws) => writeFileSync(ws.scenario, livelockScenario()),
    argv: (ws) => run(ws, "--limit", "eventsPerInstant=50000"),
    expect: invalid(/stalled at virtual time 3m/),
  },
  // Found by `npm run fuzz` (seed 862723610): a --set path with spaces and a C1 control character.
  // Issue 6: manifests judged as the API server judges them, and the new settings.
  {
    name: "6 a typo in a manifest (strict decoding)",
    item: 16,
    isolation: "in-process",
    child: true,
    setup: (ws) => withManifest(ws, deploymentYaml().replace("  replicas: 2", "  replica: 2")),
    argv: (ws) => run(ws),
    expect: invalid(/:5:3: Deployment\/web: strict decoding error: unknown field "spec\.replica"/),
  },
  {
    name: "6 a wrong type in a manifest",
    item: 16,
    isolation: "in-process",
    setup: (ws) => withManifest(ws, deploymentYaml().replace("  replicas: 2", '  replicas: "two"')),
    argv: (ws) => run(ws),
    expect: invalid(/Deployment\/web: json: cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32/),
  },
  {
    name: "6 a removed API version",
    item: 16,
    isolation: "in-process",
    setup: (ws) => withManifest(ws, deploymentYaml().replace("apps/v1", "extensions/v1beta1")),
    argv: (ws) => validate(ws),
    expect: invalid(/:1:13: Deployment\/web: no matches for kind "Deployment" in version "extensions\/v1beta1": the API was removed in Kubernetes 1\.16; use apiVersion apps\/v1/),
  },
  {
    name: "6 negative replicas: the field path and upstream's message",
    item: 16,
    isolation: "in-process",
    setup: (ws) => withManifest(ws, deploymentYaml({ replicas: -1 })),
    argv: (ws) => run(ws),
    expect: invalid(/Deployment\/web: spec\.replicas: Invalid value: -1: must be greater than or equal to 0/),
  },
  { name: "6 clusterCIDR with host bits", item: 16, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.settings.clusterCIDR=10.128.0.1/9"), expect: invalid(/clusterCIDR: invalid CIDR "10\.128\.0\.1\/9": host bits are set/) },
  { name: "6 nodeCIDRMaskSize below the cluster prefix", item: 16, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.settings.nodeCIDRMaskSize=8"), expect: invalid(/nodeCIDRMaskSize \(8\) must be at least the prefix length/) },
  { name: "6 an unknown controller", item: 16, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.settings.controllers=[\"*\", \"-replicasets\"]"), expect: invalid(/spec\.settings\.controllers\[1\]/) },
  { name: "6 an unknown admission plugin", item: 16, isolation: "in-process", argv: (ws) => validate(ws, "--set", "spec.settings.enableAdmissionPlugins=[AlwaysDeny]"), expect: invalid(/enableAdmissionPlugins\[0\]/) },
  { name: "6 controllerManagerQPS 0", item: 16, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.settings.controllerManagerQPS=0"), expect: invalid(/controllerManagerQPS: must be at least 0\.001/) },
  { name: "1 --set with spaces and a control character in its path", item: 13, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.template.spec.containers.\x8b- name.nginx image=NaN"), expect: invalid(/^--set spec\.template\.spec\.containers\.\\x8b- name\.nginx image=NaN: unknown key "template"/m) },

  // Issue 7: behaviors, images, preloadedImages, behavior annotations and the runtime settings (item 17, "7 ...";
  // item 7 is issue 5's prototype keys). Scenario: runtime-scenario.ts (profile keys from line 26).
  {
    name: "7 lognormal sigma 0 in runFor",
    item: 17,
    isolation: "in-process",
    child: true,
    setup: (ws) => withRuntime(ws, { behavior: ["runFor: lognormal(10s, 0)"] }),
    argv: (ws) => runRuntime(ws),
    expect: runtimeError("26:15", `spec.behaviors[0].runFor: invalid distribution "lognormal(10s, 0)": sigma must be greater than 0; ${EXPECTED_DISTRIBUTION}`),
  },
  {
    name: "7 lognormal sigma -0.5 in startLatency",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { behavior: ["startLatency: lognormal(10s, -0.5)"] }),
    argv: (ws) => validateRuntime(ws),
    expect: runtimeError("26:21", `spec.behaviors[0].startLatency: invalid distribution "lognormal(10s, -0.5)": sigma must be greater than 0; ${EXPECTED_DISTRIBUTION}`),
  },
  {
    name: "7 runFor -5s",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { behavior: ["runFor: -5s"] }),
    argv: (ws) => runRuntime(ws),
    expect: runtimeError("26:15", `spec.behaviors[0].runFor: invalid distribution "-5s": not a duration: must not be negative; ${EXPECTED_DISTRIBUTION}`),
  },
  {
    name: "7 runFor 5 minutes",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { behavior: ["runFor: 5 minutes"] }),
    argv: (ws) => validateRuntime(ws),
    expect: runtimeError("26:15", `spec.behaviors[0].runFor: invalid distribution "5 minutes": not a duration: unknown unit " minutes"; ${EXPECTED_DISTRIBUTION}`),
  },
  {
    name: "7 runFor 1.5ms",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { behavior: ["runFor: 1.5ms"] }),
    argv: (ws) => runRuntime(ws),
    expect: runtimeError("26:15", `spec.behaviors[0].runFor: invalid distribution "1.5ms": not a duration: not a whole number of milliseconds`),
  },
  ...(
    [
      ["256", "must be at most 255, got 256"],
      ["-1", "must be at least 0, got -1"],
      ["1.5", "expected an integer, got number 1.5"],
      ['"1"', 'expected an integer, got string "1"'],
    ] as const
  ).map(
    ([code, expected]): HostileCase => ({
      name: `7 exitCode ${code}`,
      item: 17,
      isolation: "in-process",
      setup: (ws) => withRuntime(ws, { behavior: [`exitCode: ${code}`] }),
      argv: (ws) => runRuntime(ws),
      expect: runtimeError("26:17", `spec.behaviors[0].exitCode: ${expected}`),
    }),
  ),
  {
    name: "7 an unknown image in a pool's preloadedImages",
    item: 17,
    isolation: "in-process",
    child: true,
    setup: (ws) => withRuntime(ws, { preloaded: '"registry.example.com/worker:1.5"' }),
    argv: (ws) => runRuntime(ws),
    expect: runtimeError("9:88", 'spec.cluster.nodePools[0].preloadedImages[0]: unknown image "registry.example.com/worker:1.5"; expected an image of spec.images ("registry.example.com/worker:1.4")'),
  },
  {
    name: "7 an unknown image in an addNodes pool's preloadedImages",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { tail: ["  timeline:", '    - {at: 1m, action: addNodes, pool: {name: burst, count: 1, capacity: {cpu: "4", memory: 16Gi}, preloadedImages: [nginx]}}'] }),
    argv: (ws) => validateRuntime(ws),
    expect: runtimeError("28:118", 'spec.timeline[0].pool.preloadedImages[0]: unknown image "nginx"; expected an image of spec.images'),
  },
  {
    name: "7 an unknown behavior key in a profile",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { behavior: ["runFr: 20s"] }),
    argv: (ws) => runRuntime(ws),
    expect: runtimeError("26:7", 'unknown key "runFr"; did you mean "runFor"?'),
  },
  {
    name: "7 a memory point with a bad quantity",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { behavior: ["memory: [{at: 0s, usage: 100MB}]"] }),
    argv: (ws) => runRuntime(ws),
    expect: runtimeError("26:32", 'spec.behaviors[0].memory[0].usage: invalid quantity "100MB": expected a number with an optional suffix (m, k, M, G, Ki, Mi, Gi, ...)'),
  },
  {
    name: "7 memory points out of time order",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { behavior: ["memory: [{at: 5m, usage: 100Mi}, {at: 1m, usage: 300Mi}]"] }),
    argv: (ws) => validateRuntime(ws),
    expect: runtimeError("26:45", "spec.behaviors[0].memory[1].at: must be later than the point before (5m); expected points in time order"),
  },
  ...(
    [
      ["readinessFailures", "{from: 2m, for: 0s}", "26:43"],
      ["livenessFailures", "{from: 2m, for: 0}", "26:42"],
      ["startupFailures", "{from: 0s, for: 0s}", "26:41"],
    ] as const
  ).map(
    ([key, window, pos]): HostileCase => ({
      name: `7 ${key} with for: 0`,
      item: 17,
      isolation: "in-process",
      setup: (ws) => withRuntime(ws, { behavior: [`${key}: [${window}]`] }),
      argv: (ws) => runRuntime(ws),
      expect: runtimeError(pos, `spec.behaviors[0].${key}[0].for: must be greater than 0; expected a duration such as 30s, or no "for" for a failure that lasts`),
    }),
  ),
  {
    name: '7 annotation behavior.k8sim.dev/runFor: "5 minutes"',
    item: 17,
    isolation: "in-process",
    child: true,
    setup: (ws) => withRuntime(ws, { annotations: '"behavior.k8sim.dev/runFor": "5 minutes"' }),
    argv: (ws) => runRuntime(ws),
    expect: runtimeError("19:54", `metadata.annotations["behavior.k8sim.dev/runFor"]: invalid distribution "5 minutes": not a duration: unknown unit " minutes"; ${EXPECTED_DISTRIBUTION}`),
  },
  {
    name: "7 an unknown behavior key in a container's annotation",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { annotations: '"behavior.k8sim.dev/worker.runFr": "5s"' }),
    argv: (ws) => validateRuntime(ws),
    expect: runtimeError("19:60", 'metadata.annotations["behavior.k8sim.dev/worker.runFr"]: unknown behavior key "runFr"; expected behavior.k8sim.dev/[<container>.]<key> with a key of startLatency, runFor,'),
  },
  {
    name: "7 invalid YAML in an annotation's list value",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { annotations: '"behavior.k8sim.dev/readinessFailures": "[{from: 2m, for: 1m"' }),
    argv: (ws) => runRuntime(ws),
    expect: runtimeError("19:65", 'metadata.annotations["behavior.k8sim.dev/readinessFailures"]: invalid YAML: ', /; expected one YAML value such as \[\{from: 2m, for: 1m\}\]$/m),
  },
  {
    name: "7 an annotation value nested 10,000 deep",
    item: 17,
    isolation: "isolated",
    setup: (ws) => withRuntime(ws, { annotations: `"behavior.k8sim.dev/memory": "${nested(10_000)}"` }),
    argv: (ws) => runRuntime(ws),
    expect: runtimeError("19:54", 'metadata.annotations["behavior.k8sim.dev/memory"]: the value nests more than 16 levels deep; expected one YAML value such as [{at: 0s, usage: 100Mi}]'),
  },
  {
    name: "7 logs every without line",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { behavior: ["logs: {every: 5s}"] }),
    argv: (ws) => runRuntime(ws),
    expect: runtimeError("26:21", 'spec.behaviors[0].logs.every: "every" and "line" go together: a line every so often; expected both or neither'),
  },
  {
    name: "7 a distribution text of 100,000 characters is refused at once",
    item: 17,
    isolation: "isolated",
    child: true,
    setup: (ws) => withRuntime(ws, { behavior: [`runFor: "exponential(${"1".repeat(100_000 - 14)}s)"`] }),
    argv: (ws) => runRuntime(ws),
    expect: (r) => [
      ...runtimeError("26:15", 'spec.behaviors[0].runFor: invalid distribution "exponential(1111111111111111111111111111"... (100000 characters): longer than 4096 characters; expected')(r),
      ...(r.ms > 5_000 ? [`took ${r.ms} ms`] : []),
    ],
  },
  {
    name: "7 an annotation distribution of 100,000 characters is refused at once",
    item: 17,
    isolation: "isolated",
    setup: (ws) => withRuntime(ws, { annotations: `"behavior.k8sim.dev/stopAfter": "uniform(1s, ${"9".repeat(100_000)}s)"` }),
    argv: (ws) => validateRuntime(ws),
    expect: (r) => [...runtimeError("19:57", 'metadata.annotations["behavior.k8sim.dev/stopAfter"]: invalid distribution "uniform(1s, ', /longer than 4096 characters/)(r), ...(r.ms > 5_000 ? [`took ${r.ms} ms`] : [])],
  },
  {
    name: "7 a huge sigma and a tiny shape: samples stay finite and the run ends",
    item: 17,
    isolation: "isolated",
    child: true,
    setup: (ws) =>
      withRuntime(ws, {
        settings: '"nodeBootDuration": "weibull(1m, 5e-324)"',
        behavior: ["runFor: lognormal(10s, 1e300)", "startLatency: weibull(1s, 1e-300)", "stopAfter: lognormal(1s, 1.7e308)", "exitCode: 3"],
        tail: ["  timeline:", "    - {at: 10s, action: addNodes, pool: {name: worker, count: 1}}", "    - {at: 1m, action: delete, target: pod/worker}"],
      }),
    argv: (ws) => runRuntime(ws),
    expect: (r, ws) => {
      const p = runs()(r);
      try {
        const summary = readFileSync(join(ws.out, "summary.json"), "utf8");
        if (/Infinity|NaN/.test(summary)) p.push("summary.json holds Infinity or NaN");
      } catch (e) {
        p.push(`no readable summary.json: ${(e as Error).message}`);
      }
      return p;
    },
  },
  {
    name: "7 heavy tails with zero samples: a crash loop on another seed",
    item: 17,
    isolation: "isolated",
    setup: (ws) => withRuntime(ws, { behavior: ["runFor: lognormal(1ms, 1e300)", "startLatency: weibull(1ms, 1e-300)", "exitCode: 255"] }),
    argv: (ws) => runRuntime(ws, "--seed", "7"),
    expect: runs(),
  },
  {
    name: "7 a profile whose selector matches nothing is a warning",
    item: 17,
    isolation: "in-process",
    child: true,
    setup: (ws) => withRuntime(ws, { selects: "wroker" }),
    argv: (ws) => runRuntime(ws),
    expect: (r) => [
      ...runs()(r),
      ...(new RegExp(`^warning: \\S*${literal(`/runtime.yaml:25:17: behavior "worker-crashes": its selector matches no pod of the scenario's manifests; it changes nothing`).source}`, "m").test(r.err)
        ? []
        : ["no warning naming the profile at its selector"]),
    ],
  },
  ...(["0", '"0Mi"'] as const).map(
    (v): HostileCase => ({
      name: `7 imagePullBandwidth ${v}`,
      item: 17,
      isolation: "in-process",
      setup: (ws) => withRuntime(ws, { settings: `imagePullBandwidth: ${v}` }),
      argv: (ws) => runRuntime(ws),
      expect: runtimeError("6:34", "spec.settings.imagePullBandwidth: must be greater than 0; expected a rate in bytes per second such as 50Mi"),
    }),
  ),
  { name: "7 imagePullBandwidth=0 by --set", item: 17, isolation: "in-process", argv: (ws) => run(ws, "--set", "spec.settings.imagePullBandwidth=0"), expect: invalid(/^--set spec\.settings\.imagePullBandwidth=0: spec\.settings\.imagePullBandwidth: must be greater than 0/m) },
  {
    name: "7 nodeBootDuration with an unknown function",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { settings: 'nodeBootDuration: "normal(90s, 10s)"' }),
    argv: (ws) => runRuntime(ws),
    expect: runtimeError("6:32", `spec.settings.nodeBootDuration: invalid distribution "normal(90s, 10s)": unknown function "normal"; ${EXPECTED_DISTRIBUTION}`),
  },
  {
    name: "7 nodeBootDuration weibull shape 0",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { settings: 'nodeBootDuration: "weibull(90s, 0)"' }),
    argv: (ws) => validateRuntime(ws),
    expect: runtimeError("6:32", `spec.settings.nodeBootDuration: invalid distribution "weibull(90s, 0)": shape must be greater than 0; ${EXPECTED_DISTRIBUTION}`),
  },
  {
    name: "7 nodeBootDuration -1m",
    item: 17,
    isolation: "in-process",
    setup: (ws) => withRuntime(ws, { settings: "nodeBootDuration: -1m" }),
    argv: (ws) => runRuntime(ws),
    expect: runtimeError("6:32", `spec.settings.nodeBootDuration: invalid distribution "-1m": not a duration: must not be negative; ${EXPECTED_DISTRIBUTION}`),
  },
  // Issue 8: Job, CronJob, ConfigMap, Secret and exitCodes (item 18, "8 ..."; item 8 is issue 5's settings).
  ...BATCH_CASES,
  ...TENANCY_CASES,
  // Issue 10: node fault actions of the timeline (item 20, "10 ...").
  ...FAULT_CASES,
  // Issue 10: spec.faults, the seeded fault processes (item 20, "10 spec.faults ...").
  ...FAULT_PROCESS_CASES,
];
