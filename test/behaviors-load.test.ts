/**
 * Loading the workload-model keys (issue 7): spec.behaviors, spec.images, preloadedImages, behavior annotations and
 * the runtime settings. Bad values give exactly these lines (file:line:col, the field, what was expected); valid
 * ones load into Scenario.behaviors, Scenario.images, the pools and the settings. The scenario text is
 * test/hostile/runtime-scenario.ts's, whose line numbers the positions below name.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Container, Pod } from "../src/api/types.js";
import { loadScenario } from "../src/scenario/load.js";
import { BehaviorResolver } from "../src/workload/profiles.js";
import { RUNTIME_IMAGE, runtimeScenario, type RuntimeParts } from "./hostile/runtime-scenario.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Loads runtime.yaml made of `parts` (plus --set `overrides`); file names in messages are made relative. */
function load(parts: RuntimeParts, overrides: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "k8sim-behaviors-"));
  dirs.push(dir);
  const file = join(dir, "runtime.yaml");
  writeFileSync(file, runtimeScenario(parts));
  const r = loadScenario(file, { overrides });
  const strip = (s: string) => s.split(`${dir}/`).join("");
  return r.ok ? { ok: true as const, scenario: r.scenario, warnings: r.warnings.map(strip), errors: [] as string[] } : { ok: false as const, errors: r.errors.map(strip), warnings: [] as string[] };
}

/** The distribution parser's list of what it accepts. */
const DIST = "expected a duration such as 30s or a distribution: uniform(MIN, MAX), exponential(MEAN), lognormal(MEDIAN, SIGMA), weibull(SCALE, SHAPE), empirical(D1, D2, ...)";
/** IsQualifiedName's message for a name part with a space. */
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const KEYS = "startLatency, runFor, exitCode, exitCodes, stopAfter, readinessFailures, livenessFailures, startupFailures, memory, logs";

describe("bad behaviors, images and settings: exact error lines", () => {
  const cases: [string, RuntimeParts, string[]][] = [
    ["lognormal sigma 0", { behavior: ["runFor: lognormal(10s, 0)"] }, [`runtime.yaml:26:15: spec.behaviors[0].runFor: invalid distribution "lognormal(10s, 0)": sigma must be greater than 0; ${DIST}`]],
    ["lognormal sigma < 0", { behavior: ["startLatency: lognormal(10s, -0.5)"] }, [`runtime.yaml:26:21: spec.behaviors[0].startLatency: invalid distribution "lognormal(10s, -0.5)": sigma must be greater than 0; ${DIST}`]],
    ["negative runFor", { behavior: ["runFor: -5s"] }, [`runtime.yaml:26:15: spec.behaviors[0].runFor: invalid distribution "-5s": not a duration: must not be negative; ${DIST}`]],
    ["malformed runFor", { behavior: ["runFor: 5 minutes"] }, [`runtime.yaml:26:15: spec.behaviors[0].runFor: invalid distribution "5 minutes": not a duration: unknown unit " minutes"; ${DIST}`]],
    [
      "sub-millisecond runFor",
      { behavior: ["runFor: 1.5ms"] },
      [`runtime.yaml:26:15: spec.behaviors[0].runFor: invalid distribution "1.5ms": not a duration: not a whole number of milliseconds (the simulation's time resolution); ${DIST}`],
    ],
    [
      "an unknown image in a pool's preloadedImages",
      { preloaded: '"registry.example.com/worker:1.5"' },
      ['runtime.yaml:9:88: spec.cluster.nodePools[0].preloadedImages[0]: unknown image "registry.example.com/worker:1.5"; expected an image of spec.images ("registry.example.com/worker:1.4")'],
    ],
    [
      "an unknown image in an addNodes pool's preloadedImages",
      { tail: ["  timeline:", '    - {at: 1m, action: addNodes, pool: {name: burst, count: 1, capacity: {cpu: "4", memory: 16Gi}, preloadedImages: [nginx]}}'] },
      ['runtime.yaml:28:118: spec.timeline[0].pool.preloadedImages[0]: unknown image "nginx"; expected an image of spec.images ("registry.example.com/worker:1.4")'],
    ],
    ["an unknown behavior key (a typo)", { behavior: ["runFr: 20s"] }, ['runtime.yaml:26:7: unknown key "runFr"; did you mean "runFor"?']],
    [
      "an unknown behavior key",
      { behavior: ["restartDelay: 20s"] },
      [`runtime.yaml:26:7: unknown key "restartDelay"; expected one of: name, selector, namespaces, container, ${KEYS}`],
    ],
    [
      "memory points out of time order",
      { behavior: ["memory: [{at: 5m, usage: 100Mi}, {at: 1m, usage: 300Mi}]"] },
      ["runtime.yaml:26:45: spec.behaviors[0].memory[1].at: must be later than the point before (5m); expected points in time order"],
    ],
    [
      "memory points at the same time",
      { behavior: ["memory: [{at: 1m, usage: 100Mi}, {at: 1m, usage: 300Mi}]"] },
      ["runtime.yaml:26:45: spec.behaviors[0].memory[1].at: must be later than the point before (1m); expected points in time order"],
    ],
    [
      "readinessFailures for: 0s",
      { behavior: ["readinessFailures: [{from: 2m, for: 0s}]"] },
      ['runtime.yaml:26:43: spec.behaviors[0].readinessFailures[0].for: must be greater than 0; expected a duration such as 30s, or no "for" for a failure that lasts'],
    ],
    [
      "livenessFailures for: 0",
      { behavior: ["livenessFailures: [{from: 2m, for: 0}]"] },
      ['runtime.yaml:26:42: spec.behaviors[0].livenessFailures[0].for: must be greater than 0; expected a duration such as 30s, or no "for" for a failure that lasts'],
    ],
    [
      "startupFailures for: 0s",
      { behavior: ["startupFailures: [{from: 0s, for: 0s}]"] },
      ['runtime.yaml:26:41: spec.behaviors[0].startupFailures[0].for: must be greater than 0; expected a duration such as 30s, or no "for" for a failure that lasts'],
    ],
    ["logs every without line", { behavior: ["logs: {every: 5s}"] }, ['runtime.yaml:26:21: spec.behaviors[0].logs.every: "every" and "line" go together: a line every so often; expected both or neither']],
    ["logs line without every", { behavior: ["logs: {line: tick}"] }, ['runtime.yaml:26:20: spec.behaviors[0].logs.line: "every" and "line" go together: a line every so often; expected both or neither']],
    ["logs every 0s", { behavior: ["logs: {every: 0s, line: tick}"] }, ["runtime.yaml:26:21: spec.behaviors[0].logs.every: must be greater than 0; expected a duration such as 30s"]],
    [
      "a distribution text of 100,000 characters",
      { behavior: [`runFor: "exponential(${"1".repeat(100_000 - 14)}s)"`] },
      [`runtime.yaml:26:15: spec.behaviors[0].runFor: invalid distribution "exponential(1111111111111111111111111111"... (100000 characters): longer than 4096 characters; ${DIST}`],
    ],
    ["imagePullBandwidth 0", { settings: "imagePullBandwidth: 0" }, ["runtime.yaml:6:34: spec.settings.imagePullBandwidth: must be greater than 0; expected a rate in bytes per second such as 50Mi"]],
    ['imagePullBandwidth "0Mi"', { settings: 'imagePullBandwidth: "0Mi"' }, ["runtime.yaml:6:34: spec.settings.imagePullBandwidth: must be greater than 0; expected a rate in bytes per second such as 50Mi"]],
    [
      "nodeBootDuration with an unknown function",
      { settings: 'nodeBootDuration: "normal(90s, 10s)"' },
      [`runtime.yaml:6:32: spec.settings.nodeBootDuration: invalid distribution "normal(90s, 10s)": unknown function "normal"; ${DIST}`],
    ],
    ["nodeBootDuration weibull shape 0", { settings: 'nodeBootDuration: "weibull(90s, 0)"' }, [`runtime.yaml:6:32: spec.settings.nodeBootDuration: invalid distribution "weibull(90s, 0)": shape must be greater than 0; ${DIST}`]],
    ["nodeBootDuration -1m", { settings: "nodeBootDuration: -1m" }, [`runtime.yaml:6:32: spec.settings.nodeBootDuration: invalid distribution "-1m": not a duration: must not be negative; ${DIST}`]],
    [
      "crashLoopBackOffInitial 10 seconds",
      { settings: "crashLoopBackOffInitial: 10 seconds" },
      ['runtime.yaml:6:39: spec.settings.crashLoopBackOffInitial: invalid duration "10 seconds": unknown unit " seconds"; expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)'],
    ],
    ["maxParallelImagePulls -1", { settings: "maxParallelImagePulls: -1" }, ["runtime.yaml:6:37: spec.settings.maxParallelImagePulls: must be at least 0, got -1"]],
    ['serializeImagePulls "yes"', { settings: 'serializeImagePulls: "yes"' }, ['runtime.yaml:6:35: spec.settings.serializeImagePulls: expected true or false, got string "yes"']],
    [
      "a duplicate image",
      { images: [`{image: ${JSON.stringify(RUNTIME_IMAGE)}}`] },
      ['runtime.yaml:12:15: duplicate image "registry.example.com/worker:1.4" (first at images[0]); expected each image once'],
    ],
  ];
  for (const [name, parts, errors] of cases) {
    it(name, () => {
      expect(load(parts).errors).toEqual(errors);
    });
  }

  it("an exit code outside 0..255 or not an integer is reported once at the value, in the schema's words", () => {
    expect(load({ behavior: ["exitCode: 256"] }).errors).toEqual(["runtime.yaml:26:17: spec.behaviors[0].exitCode: must be at most 255, got 256"]);
    expect(load({ behavior: ["exitCode: -1"] }).errors).toEqual(["runtime.yaml:26:17: spec.behaviors[0].exitCode: must be at least 0, got -1"]);
    expect(load({ behavior: ['exitCode: "1"'] }).errors).toEqual(['runtime.yaml:26:17: spec.behaviors[0].exitCode: expected an integer, got string "1"']);
    // The schema's own words for a number that is not an integer.
    expect(load({ behavior: ["exitCode: 1.5"] }).errors).toEqual(["runtime.yaml:26:17: spec.behaviors[0].exitCode: expected an integer, got number 1.5"]);
  });

  it("a memory point with a bad quantity is reported once at the value, in parseResourceList's words", () => {
    expect(load({ behavior: ["memory: [{at: 0s, usage: 100MB}]"] }).errors).toEqual([
      'runtime.yaml:26:32: spec.behaviors[0].memory[0].usage: invalid quantity "100MB": expected a number with an optional suffix (m, k, M, G, Ki, Mi, Gi, ...)',
    ]);
    expect(load({ behavior: ["memory: [{at: 0s, usage: -1Mi}]"] }).errors).toEqual(['runtime.yaml:26:32: spec.behaviors[0].memory[0].usage: invalid quantity "-1Mi": must be greater than or equal to 0']);
  });

  it("a --set value is reported at the flag", () => {
    expect(load({}, ["spec.settings.imagePullBandwidth=0"]).errors).toEqual([
      "--set spec.settings.imagePullBandwidth=0: spec.settings.imagePullBandwidth: must be greater than 0; expected a rate in bytes per second such as 50Mi",
    ]);
  });
});

describe("bad behavior annotations: exact error lines at the annotation's value", () => {
  const cases: [string, string, string[]][] = [
    [
      'runFor: "5 minutes"',
      '"behavior.k8sim.dev/runFor": "5 minutes"',
      [`runtime.yaml:19:54: metadata.annotations["behavior.k8sim.dev/runFor"]: invalid distribution "5 minutes": not a duration: unknown unit " minutes"; ${DIST}`],
    ],
    [
      "an unknown behavior key",
      '"behavior.k8sim.dev/runFr": "5s"',
      [`runtime.yaml:19:53: metadata.annotations["behavior.k8sim.dev/runFr"]: unknown behavior key "runFr"; expected behavior.k8sim.dev/[<container>.]<key> with a key of ${KEYS}`],
    ],
    [
      "an unknown behavior key for one container",
      '"behavior.k8sim.dev/worker.runFr": "5s"',
      [`runtime.yaml:19:60: metadata.annotations["behavior.k8sim.dev/worker.runFr"]: unknown behavior key "runFr"; expected behavior.k8sim.dev/[<container>.]<key> with a key of ${KEYS}`],
    ],
    ["an exit code of 256", '"behavior.k8sim.dev/exitCode": "256"', ['runtime.yaml:19:56: metadata.annotations["behavior.k8sim.dev/exitCode"]: must be at most 255, got 256']],
    ['an exit code of "1" (a YAML string)', '"behavior.k8sim.dev/exitCode": "\\"1\\""', ['runtime.yaml:19:56: metadata.annotations["behavior.k8sim.dev/exitCode"]: expected an integer, got string "1"']],
    ["an exit code of -1", '"behavior.k8sim.dev/exitCode": "-1"', ['runtime.yaml:19:56: metadata.annotations["behavior.k8sim.dev/exitCode"]: must be at least 0, got -1']],
    ["an exit code of 1.5", '"behavior.k8sim.dev/exitCode": "1.5"', ['runtime.yaml:19:56: metadata.annotations["behavior.k8sim.dev/exitCode"]: expected an integer, got 1.5']],
    [
      "a lognormal with sigma 0",
      '"behavior.k8sim.dev/worker.runFor": "lognormal(1s, 0)"',
      [`runtime.yaml:19:61: metadata.annotations["behavior.k8sim.dev/worker.runFor"]: invalid distribution "lognormal(1s, 0)": sigma must be greater than 0; ${DIST}`],
    ],
    [
      "a memory point with a bad quantity",
      '"behavior.k8sim.dev/memory": "[{at: 0s, usage: 1MB}]"',
      ['runtime.yaml:19:54: metadata.annotations["behavior.k8sim.dev/memory"]: [0].usage: invalid quantity "1MB": expected a number with an optional suffix (m, k, M, G, Ki, Mi, Gi, ...)'],
    ],
    [
      "memory points out of time order",
      '"behavior.k8sim.dev/memory": "[{at: 5m, usage: 1Mi}, {at: 1m, usage: 2Mi}]"',
      ['runtime.yaml:19:54: metadata.annotations["behavior.k8sim.dev/memory"]: [1].at: must be later than the point before (5m); expected points in time order'],
    ],
    [
      "a failure window with for: 0s",
      '"behavior.k8sim.dev/livenessFailures": "[{from: 1m, for: 0s}]"',
      ['runtime.yaml:19:64: metadata.annotations["behavior.k8sim.dev/livenessFailures"]: [0].for: must be greater than 0; expected a duration such as 30s, or no "for" for a failure that lasts'],
    ],
    [
      "logs every without line",
      '"behavior.k8sim.dev/logs": "{every: 10s}"',
      ['runtime.yaml:19:52: metadata.annotations["behavior.k8sim.dev/logs"]: every: "every" and "line" go together: a line every so often; expected both or neither'],
    ],
    [
      "a number where annotations hold strings (strict decoding)",
      '"behavior.k8sim.dev/exitCode": 1',
      ["runtime.yaml:19:56: Pod/worker: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string"],
    ],
  ];
  for (const [name, annotations, errors] of cases) {
    it(name, () => {
      expect(load({ annotations }).errors).toEqual(errors);
    });
  }

  it("invalid YAML in an annotation's list value is reported at the annotation, with what was expected", () => {
    expect(load({ annotations: '"behavior.k8sim.dev/readinessFailures": "[{from: 2m, for: 1m"' }).errors).toEqual([
      'runtime.yaml:19:65: metadata.annotations["behavior.k8sim.dev/readinessFailures"]: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }; expected one YAML value such as [{from: 2m, for: 1m}]',
    ]);
  });

  it("an annotation value nested 10,000 deep is an error at the annotation, not a crash", () => {
    expect(load({ annotations: `"behavior.k8sim.dev/memory": "${"[".repeat(10_000)}${"]".repeat(10_000)}"` }).errors).toEqual([
      'runtime.yaml:19:54: metadata.annotations["behavior.k8sim.dev/memory"]: the value nests more than 16 levels deep; expected one YAML value such as [{at: 0s, usage: 100Mi}]',
    ]);
  });
});

describe("warnings", () => {
  it("a profile whose selector matches no pod loads, with a warning naming it at its selector", () => {
    const r = load({ selects: "wroker" });
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([`runtime.yaml:25:17: behavior "worker-crashes": its selector matches no pod of the scenario's manifests; it changes nothing`]);
  });

  it("a profile naming a container no matching pod has loads, with a warning naming the container", () => {
    const r = load({ behavior: ["container: sidecar", "runFor: 20s"] });
    expect(r.warnings).toEqual([`runtime.yaml:25:17: behavior "worker-crashes": its selector matches no pod of the scenario's manifests with a container "sidecar"; it changes nothing`]);
  });
});

describe("valid behaviors, images and settings load into the Scenario", () => {
  it("a profile with every key", () => {
    const r = load({
      behavior: [
        "startLatency: uniform(1s, 2s)",
        "runFor: exponential(30s)",
        "stopAfter: lognormal(10s, 0.5)",
        "exitCode: 1",
        "readinessFailures: [{from: 2m, for: 1m}]",
        "livenessFailures: [{from: 3m}]",
        "startupFailures: [{from: 0s, for: 5s}]",
        "memory: [{at: 0s, usage: 50Mi}, {at: 10m, usage: 306Mi}]",
        'logs: {every: 5s, line: "processed batch {n}", start: starting, ready: ready, exit: "exit {exitCode}"}',
      ],
    });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.scenario!.behaviors).toEqual([
      {
        name: "worker-crashes",
        selector: { matchLabels: { app: "worker" } },
        spec: {
          startLatency: { kind: "uniform", minMs: 1000, maxMs: 2000 },
          runFor: { kind: "exponential", meanMs: 30_000 },
          stopAfter: { kind: "lognormal", medianMs: 10_000, sigma: 0.5 },
          exitCode: 1,
          readinessFailures: [{ fromMs: 120_000, untilMs: 180_000 }],
          livenessFailures: [{ fromMs: 180_000, untilMs: Infinity }],
          startupFailures: [{ fromMs: 0, untilMs: 5000 }],
          memory: [
            { atMs: 0, bytes: 50 * 2 ** 20 },
            { atMs: 600_000, bytes: 306 * 2 ** 20 },
          ],
          logs: { every: 5000, line: "processed batch {n}", start: "starting", ready: "ready", exit: "exit {exitCode}" },
        },
      },
    ]);
  });

  it("profiles with matchExpressions, namespaces and a container; weibull and empirical distributions", () => {
    const r = load({
      behavior: ["runFor: weibull(1h, 1.5)"],
      tail: [
        "    - name: by-expression",
        "      selector: {matchExpressions: [{key: app, operator: In, values: [worker, api]}]}",
        "      namespaces: [default]",
        "      container: worker",
        '      stopAfter: "empirical(1s, 2s)"',
      ],
    });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.scenario!.behaviors.map((b) => ({ ...b }))).toEqual([
      { name: "worker-crashes", selector: { matchLabels: { app: "worker" } }, spec: { runFor: { kind: "weibull", scaleMs: 3_600_000, shape: 1.5 } } },
      {
        name: "by-expression",
        selector: { matchExpressions: [{ key: "app", operator: "In", values: ["worker", "api"] }] },
        namespaces: ["default"],
        container: "worker",
        spec: { stopAfter: { kind: "empirical", valuesMs: [1000, 2000] } },
      },
    ]);
  });

  it("the image catalog and preloadedImages", () => {
    const r = load({
      preloaded: `${JSON.stringify(RUNTIME_IMAGE)}, "busybox:1.36"`,
      images: ['{image: "busybox:1.36", pullTime: "uniform(1s, 3s)"}', '{image: "ghost:1", missing: true}', '{image: "big:1", size: 2Gi, pullTime: 40s}'],
    });
    expect(r.errors).toEqual([]);
    expect(r.scenario!.images).toEqual([
      { image: RUNTIME_IMAGE, sizeBytes: 80 * 2 ** 20 },
      { image: "busybox:1.36", pullTime: { kind: "uniform", minMs: 1000, maxMs: 3000 } },
      { image: "ghost:1", missing: true },
      { image: "big:1", sizeBytes: 2 * 2 ** 30, pullTime: { kind: "fixed", valueMs: 40_000 } },
    ]);
    expect(r.scenario!.nodePools[0]!.preloadedImages).toEqual([RUNTIME_IMAGE, "busybox:1.36"]);
  });

  it("an addNodes pool's preloadedImages", () => {
    const r = load({ tail: ["  timeline:", `    - {at: 1m, action: addNodes, pool: {name: burst, count: 1, capacity: {cpu: "4", memory: 16Gi}, preloadedImages: [${JSON.stringify(RUNTIME_IMAGE)}]}}`] });
    expect(r.errors).toEqual([]);
    const add = r.scenario!.timeline.find((a) => a.action === "addNodes") as { pool: { preloadedImages?: string[] } } | undefined;
    expect(add?.pool.preloadedImages).toEqual([RUNTIME_IMAGE]);
  });

  it("the runtime settings", () => {
    const r = load({
      settings:
        'crashLoopBackOffInitial: 5s, crashLoopBackOffMax: 2m, crashLoopBackOffReset: 5m, imagePullBackOffInitial: 2s, imagePullBackOffMax: 1m, serializeImagePulls: false, maxParallelImagePulls: 2, imagePullBandwidth: 20Mi, defaultImageSize: 200Mi, nodeBootDuration: "weibull(1h, 1.5)"',
    });
    expect(r.errors).toEqual([]);
    expect(r.scenario!.settings).toEqual({
      crashLoopBackOffInitial: 5000,
      crashLoopBackOffMax: 120_000,
      crashLoopBackOffReset: 300_000,
      imagePullBackOffInitial: 2000,
      imagePullBackOffMax: 60_000,
      serializeImagePulls: false,
      maxParallelImagePulls: 2,
      imagePullBandwidth: "20Mi",
      defaultImageSize: "200Mi",
      nodeBootDuration: "weibull(1h, 1.5)",
    });
  });

  it("behavior annotations load with the pod and win over the profile, per container over the pod's", () => {
    const r = load({
      annotations: '"behavior.k8sim.dev/runFor": "empirical(1s, 2s)", "behavior.k8sim.dev/exitCode": "2", "behavior.k8sim.dev/worker.exitCode": "3", "behavior.k8sim.dev/worker.readinessFailures": "[{from: 2m, for: 1m}]", "behavior.k8sim.dev/logs": "{every: 1m, line: tick}"',
      behavior: ["runFor: 20s", "exitCode: 1", "stopAfter: 5s"],
    });
    expect(r.errors).toEqual([]);
    const pod = r.scenario!.workloads[0]!.object as unknown as Pod;
    expect(pod.metadata.annotations).toMatchObject({ "behavior.k8sim.dev/worker.exitCode": "3" });
    const resolved = new BehaviorResolver(r.scenario!.behaviors).resolve(pod, pod.spec.containers[0] as Container);
    expect(resolved.spec).toEqual({
      runFor: { kind: "empirical", valuesMs: [1000, 2000] },
      exitCode: 3,
      stopAfter: { kind: "fixed", valueMs: 5000 },
      readinessFailures: [{ fromMs: 120_000, untilMs: 180_000 }],
      logs: { every: 60_000, line: "tick" },
    });
  });
});

describe("messages improved: one line per problem, saying what was expected", () => {
  it("an exit code of 256 is reported once, not by the schema and the behavior parser both", () => {
    expect(load({ behavior: ["exitCode: 256"] }).errors).toEqual(["runtime.yaml:26:17: spec.behaviors[0].exitCode: must be at most 255, got 256"]);
  });

  it("a bad memory quantity is reported once", () => {
    expect(load({ behavior: ["memory: [{at: 0s, usage: 100MB}]"] }).errors).toHaveLength(1);
  });

  it("invalid YAML in an annotation says what was expected and does not end with the YAML library's dangling colon", () => {
    const r = load({ annotations: '"behavior.k8sim.dev/readinessFailures": "[{from: 2m, for: 1m"' });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).not.toMatch(/:$/);
    expect(r.errors[0]).not.toMatch(/ at line \d+, column \d+/);
    expect(r.errors[0]).toMatch(/; expected one YAML value such as \[\{from: 2m, for: 1m\}\]$/);
  });

  it("an annotation nested too deep says so, not 'Maximum call stack size exceeded'", () => {
    expect(load({ annotations: `"behavior.k8sim.dev/memory": "${"[".repeat(1000)}${"]".repeat(1000)}"` }).errors).toEqual([
      'runtime.yaml:19:54: metadata.annotations["behavior.k8sim.dev/memory"]: the value nests more than 16 levels deep; expected one YAML value such as [{at: 0s, usage: 100Mi}]',
    ]);
  });

  it("an annotation holding two YAML documents says how many, not the YAML library's API", () => {
    expect(load({ annotations: '"behavior.k8sim.dev/exitCode": "1\\n---\\n2"' }).errors).toEqual([
      'runtime.yaml:19:56: metadata.annotations["behavior.k8sim.dev/exitCode"]: the value holds 2 YAML documents; expected one YAML value such as 1',
    ]);
  });

  it("an annotation value over 65,536 characters is refused with its length", () => {
    expect(load({ annotations: `"behavior.k8sim.dev/logs": "${"a".repeat(70_000)}"` }).errors).toEqual([
      'runtime.yaml:19:52: metadata.annotations["behavior.k8sim.dev/logs"]: the value is 70000 characters long, more than 65536; expected one YAML value such as {every: 1m, line: "tick {n}"}',
    ]);
  });

  it("an annotation for a container the pod does not have is an error naming the pod's containers", () => {
    expect(load({ annotations: '"behavior.k8sim.dev/wroker.runFor": "5s"' }).errors).toEqual([
      'runtime.yaml:19:61: metadata.annotations["behavior.k8sim.dev/wroker.runFor"]: the pod has no container "wroker"; expected one of "worker"',
    ]);
  });

  it("an annotation with an empty container name is an error", () => {
    expect(load({ annotations: '"behavior.k8sim.dev/.runFor": "5s"' }).errors).toEqual([
      'runtime.yaml:19:55: metadata.annotations["behavior.k8sim.dev/.runFor"]: expected behavior.k8sim.dev/<key> or behavior.k8sim.dev/<container>.<key>, got an empty container name',
    ]);
  });

  it("a selector with operator In and no values is refused as upstream's LabelSelector validation refuses it", () => {
    expect(load({ tail: ["    - name: no-values", "      selector: {matchExpressions: [{key: app, operator: In}]}", "      runFor: 1s"] }).errors).toEqual([
      "runtime.yaml:28:37: spec.behaviors[1].selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
  });

  it("a selector with values for Exists, or an invalid label key, is refused with upstream's messages", () => {
    expect(load({ tail: ["    - name: x", "      selector: {matchExpressions: [{key: app, operator: Exists, values: [a]}]}", "      runFor: 1s"] }).errors).toEqual([
      "runtime.yaml:28:74: spec.behaviors[1].selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ]);
    expect(load({ tail: ["    - name: x", "      selector: {matchExpressions: [{key: 'a b', operator: Exists}]}", "      runFor: 1s"] }).errors).toEqual([
      `runtime.yaml:28:43: spec.behaviors[1].selector.matchExpressions[0].key: Invalid value: "a b": ${NAME_PART}`,
    ]);
    expect(load({ tail: ["    - name: x", "      selector: {matchLabels: {'a b': x}}", "      runFor: 1s"] }).errors).toEqual([
      `runtime.yaml:28:39: spec.behaviors[1].selector.matchLabels: Invalid value: "a b": ${NAME_PART}`,
    ]);
  });
});

/**
 * Messages still reported to the maintainers as needing improvement (src/ is not this suite's to change). Each
 * states what the message should be and fails today (it.fails); when src/ is fixed it passes and it.fails turns
 * red, so these are turned into plain tests then.
 */
describe("messages that were poor once: one line each, in words that say what was expected", () => {
  // The schema says "got number 1.5", "got boolean true", "got nothing"; the behavior parser "got 1.5", "got true",
  // "got null", so the two lines differ and both are printed.
  it("an exit code of 1.5, true or null is reported once", () => {
    for (const code of ["1.5", "true", "null"]) expect(load({ behavior: [`exitCode: ${code}`] }).errors).toHaveLength(1);
  });

  // The schema: 'expected a quantity such as "500m", "2" or "16Gi", got boolean true'; the behavior parser:
  // "expected a memory quantity such as 100Mi or 1Gi, got true".
  it("a memory usage that is not a string or a number is reported once", () => {
    expect(load({ behavior: ["memory: [{at: 0s, usage: true}]"] }).errors).toHaveLength(1);
  });

  // The schema's enum line and validateLabelSelector's "Unsupported value" line (upstream words it
  // 'Invalid value: "Gt": not a valid selector operator').
  it("a selector operator that is not one is reported once", () => {
    expect(load({ tail: ["    - name: x", "      selector: {matchExpressions: [{key: app, operator: Gt, values: [a]}]}", "      runFor: 1s"] }).errors).toHaveLength(1);
  });

  // The nesting check counts brackets inside quoted strings.
  it("a log line with brackets in it is not nesting", () => {
    expect(load({ annotations: `"behavior.k8sim.dev/logs": "{every: 1m, line: '${"[".repeat(20)}'}"` }).errors).toEqual([]);
  });
});
