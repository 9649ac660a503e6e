/**
 * Workload behaviors (src/workload/behavior.ts, program.ts, profiles.ts): the one parser of a behavior with its
 * error messages, the pod annotations `behavior.k8sim.dev/[<container>.]<key>`, `sleep N` commands, the OOM time
 * of a memory curve, and how profiles and annotations layer into one container's behavior.
 */
import { describe, expect, it } from "vitest";
import type { Container, Pod } from "../src/api/types.js";
import { annotationBehaviors, behaviorAnnotation, mergeBehaviors, parseBehavior, sleepDuration, shellProgram, type BehaviorSpec } from "../src/workload/behavior.js";
import { oomAfter } from "../src/workload/program.js";
import { BehaviorResolver, type BehaviorProfile } from "../src/workload/profiles.js";
import { pod } from "./fixtures/builders.js";

const KEYS = "startLatency, runFor, exitCode, exitCodes, stopAfter, readinessFailures, livenessFailures, startupFailures, memory, logs";
const DIST_EXPECTED =
  "expected a duration such as 30s or a distribution: uniform(MIN, MAX), exponential(MEAN), lognormal(MEDIAN, SIGMA), weibull(SCALE, SHAPE), empirical(D1, D2, ...)";
const DURATION_EXPECTED = "expected a duration such as 250ms, 90s, 5m or 1h30m (units ns, us, ms, s, m, h)";
const Mi = 1024 * 1024;

describe("parseBehavior: what a valid behavior becomes", () => {
  it("reads every key: durations and distributions in ms, windows as [from, from + for), memory in bytes, log lines", () => {
    const r = parseBehavior(
      {
        startLatency: "2s",
        runFor: "exponential(30s)",
        exitCode: 3,
        stopAfter: "uniform(1s, 5s)",
        readinessFailures: [{ from: "2m", for: "1m" }],
        livenessFailures: [{ from: "3m" }],
        startupFailures: [{ from: "0s", for: "30s" }, { from: "1h", for: "1ms" }],
        memory: [{ at: "0s", usage: "100Mi" }, { at: "10m", usage: "1Gi" }],
        logs: { start: "hello", ready: "ready", every: "30s", line: "tick {n}", exit: "bye {exitCode}" },
      },
      true,
    );
    expect(r.problems).toEqual([]);
    expect(r.spec).toEqual({
      startLatency: { kind: "fixed", valueMs: 2_000 },
      runFor: { kind: "exponential", meanMs: 30_000 },
      exitCode: 3,
      stopAfter: { kind: "uniform", minMs: 1_000, maxMs: 5_000 },
      readinessFailures: [{ fromMs: 120_000, untilMs: 180_000 }], // 2m .. 2m + 1m
      livenessFailures: [{ fromMs: 180_000, untilMs: Infinity }], // no "for": until the container ends
      startupFailures: [
        { fromMs: 0, untilMs: 30_000 },
        { fromMs: 3_600_000, untilMs: 3_600_001 },
      ],
      memory: [
        { atMs: 0, bytes: 100 * Mi },
        { atMs: 600_000, bytes: 1024 * Mi },
      ],
      logs: { start: "hello", ready: "ready", every: 30_000, line: "tick {n}", exit: "bye {exitCode}" },
    });
  });

  it("takes exit codes 0 and 255, the ends of a process's exit status", () => {
    expect(parseBehavior({ exitCode: 0 }, true)).toEqual({ spec: { exitCode: 0 }, problems: [] });
    expect(parseBehavior({ exitCode: 255 }, true)).toEqual({ spec: { exitCode: 255 }, problems: [] });
  });

  it("ignores unknown keys without strictKeys (the loader's schema reports them for profiles)", () => {
    expect(parseBehavior({ runFor: "1m", colour: "red" }, false)).toEqual({ spec: { runFor: { kind: "fixed", valueMs: 60_000 } }, problems: [] });
  });
});

describe("parseBehavior: every problem, with its path and an exact message", () => {
  const cases: [string, unknown, { path: (string | number)[]; message: string }[]][] = [
    ["not a mapping", "runFor: 1m", [{ path: [], message: `expected a mapping of behavior keys (${KEYS})` }]],
    ["a list", [1], [{ path: [], message: `expected a mapping of behavior keys (${KEYS})` }]],
    ["an unknown key", { colour: "red" }, [{ path: ["colour"], message: `unknown behavior key "colour"; expected one of ${KEYS}` }]],
    ["exit code 256", { exitCode: 256 }, [{ path: ["exitCode"], message: "must be at most 255, got 256" }]],
    ["exit code -1", { exitCode: -1 }, [{ path: ["exitCode"], message: "must be at least 0, got -1" }]],
    ["exit code 1.5", { exitCode: 1.5 }, [{ path: ["exitCode"], message: "expected an integer, got 1.5" }]],
    ["exit code as text", { exitCode: "1" }, [{ path: ["exitCode"], message: 'expected an integer, got string "1"' }]],
    ["a duration that is not one", { runFor: "ten" }, [{ path: ["runFor"], message: `invalid distribution "ten": not a duration; ${DIST_EXPECTED}` }]],
    ["a bare number (no unit)", { startLatency: 20 }, [{ path: ["startLatency"], message: `invalid distribution "20": not a duration: missing unit after 20; ${DIST_EXPECTED}` }]],
    ["a boolean duration", { stopAfter: true }, [{ path: ["stopAfter"], message: "expected a duration such as 30s or a distribution such as exponential(30s), got true" }]],
    ["uniform with min > max", { runFor: "uniform(2s, 1s)" }, [{ path: ["runFor"], message: `invalid distribution "uniform(2s, 1s)": min 2s is greater than max 1s; ${DIST_EXPECTED}` }]],
    ["windows not a list", { readinessFailures: { from: "1m" } }, [{ path: ["readinessFailures"], message: "expected a list of windows such as [{from: 2m, for: 1m}], got a mapping" }]],
    ["a window not a mapping", { livenessFailures: [3] }, [{ path: ["livenessFailures", 0], message: "expected a window such as {from: 2m, for: 1m}, got 3" }]],
    ["a window without from", { livenessFailures: [{ for: "1m" }] }, [{ path: ["livenessFailures", 0], message: 'missing required key "from"' }]],
    [
      "a window with a bad from, for 0 and an unknown key",
      { startupFailures: [{ from: "x", for: "0s", until: "1m" }] },
      [
        { path: ["startupFailures", 0, "until"], message: "unknown key \"until\"; expected one of from, for" },
        { path: ["startupFailures", 0, "from"], message: `invalid duration "x": ${DURATION_EXPECTED}` },
        { path: ["startupFailures", 0, "for"], message: 'must be greater than 0; expected a duration such as 30s, or no "for" for a failure that lasts' },
      ],
    ],
    ["memory empty", { memory: [] }, [{ path: ["memory"], message: "expected a non-empty list of points such as [{at: 0s, usage: 100Mi}, {at: 10m, usage: 600Mi}], got a list" }]],
    [
      "memory points out of order, with a bad usage, missing keys and an unknown key",
      { memory: [{ at: "1m", usage: "100Mi" }, { at: "30s", usage: "lots" }, { usage: "1Gi" }, { at: "2m" }, { at: "3m", usage: "1Gi", rss: 1 }] },
      [
        { path: ["memory", 1, "usage"], message: 'invalid quantity "lots": expected a number with an optional suffix (m, k, M, G, Ki, Mi, Gi, ...)' },
        { path: ["memory", 1, "at"], message: "must be later than the point before (1m); expected points in time order" },
        { path: ["memory", 2], message: 'missing required key "at"' },
        { path: ["memory", 3], message: 'missing required key "usage"' },
        { path: ["memory", 4, "rss"], message: "unknown key \"rss\"; expected one of at, usage" },
      ],
    ],
    ["negative memory", { memory: [{ at: "0s", usage: "-1Mi" }] }, [{ path: ["memory", 0, "usage"], message: 'invalid quantity "-1Mi": must be greater than or equal to 0' }]],
    ["logs not a mapping", { logs: "hello" }, [{ path: ["logs"], message: 'expected a mapping such as {every: 1m, line: "processed batch {n}"}, got "hello"' }]],
    ["logs every without line", { logs: { every: "1m" } }, [{ path: ["logs", "every"], message: '"every" and "line" go together: a line every so often; expected both or neither' }]],
    ["logs line without every", { logs: { line: "tick" } }, [{ path: ["logs", "line"], message: '"every" and "line" go together: a line every so often; expected both or neither' }]],
    ["a log template with a line break", { logs: { exit: "bye\nnow" } }, [{ path: ["logs", "exit"], message: "expected one line of text, got a line break; write one template per line" }]],
    [
      "logs with a non-string line, every 0 and an unknown key",
      { logs: { line: 3, every: "0s", colour: 1 } },
      [
        { path: ["logs", "colour"], message: "unknown key \"colour\"; expected one of every, line, start, ready, exit" },
        { path: ["logs", "line"], message: "expected a string, got 3" },
        { path: ["logs", "every"], message: "must be greater than 0; expected a duration such as 30s" },
      ],
    ],
  ];
  it.each(cases)("%s", (_what, raw, problems) => {
    expect(parseBehavior(raw, true).problems).toEqual(problems);
  });

  it("reports every problem of one behavior, not only the first (in key order)", () => {
    const r = parseBehavior({ exitCode: 300, runFor: "soon", colour: "red" }, true);
    expect(r.problems.map((p) => p.path[0])).toEqual(["exitCode", "runFor", "colour"]);
    // Nothing invalid makes it into the spec.
    expect(r.spec).toEqual({});
  });
});

describe("behaviorAnnotation and annotationBehaviors", () => {
  it("splits behavior.k8sim.dev/[<container>.]<key>, and ignores other annotations", () => {
    expect(behaviorAnnotation("behavior.k8sim.dev/runFor")).toEqual({ container: undefined, key: "runFor" });
    expect(behaviorAnnotation("behavior.k8sim.dev/worker.exitCode")).toEqual({ container: "worker", key: "exitCode" });
    expect(behaviorAnnotation("example.com/runFor")).toBeUndefined();
  });

  it("reads durations as text and every other key as a YAML value, pod-wide and per container", () => {
    const a = annotationBehaviors({
      "behavior.k8sim.dev/runFor": "20s",
      "behavior.k8sim.dev/exitCode": "1",
      "behavior.k8sim.dev/worker.exitCode": "3",
      "behavior.k8sim.dev/worker.livenessFailures": "[{from: 2m, for: 30s}]",
      "behavior.k8sim.dev/worker.logs": "{every: 1m, line: tick}",
      "app.kubernetes.io/name": "web",
    });
    expect(a.problems).toEqual([]);
    expect(a.all).toEqual({ runFor: { kind: "fixed", valueMs: 20_000 }, exitCode: 1 });
    expect([...a.byContainer]).toEqual([["worker", { exitCode: 3, livenessFailures: [{ fromMs: 120_000, untilMs: 150_000 }], logs: { every: 60_000, line: "tick" } }]]);
  });

  it("has nothing for a pod without behavior annotations", () => {
    expect(annotationBehaviors(undefined)).toEqual({ all: undefined, byContainer: new Map(), problems: [] });
    expect(annotationBehaviors({ "team": "x" })).toEqual({ all: undefined, byContainer: new Map(), problems: [] });
  });

  it("names the annotation in each problem, with the path below it", () => {
    const a = annotationBehaviors({
      "behavior.k8sim.dev/colour": "red",
      "behavior.k8sim.dev/web.runFor": "ten",
      "behavior.k8sim.dev/web.exitCode": "abc",
      "behavior.k8sim.dev/db.memory": "[{at: 0s, usage: lots}]",
      "behavior.k8sim.dev/db.readinessFailures": "[{from: 1m, for: 0s}]",
    });
    expect(a.problems).toEqual([
      { annotation: "behavior.k8sim.dev/colour", message: `unknown behavior key "colour"; expected behavior.k8sim.dev/[<container>.]<key> with a key of ${KEYS}` },
      { annotation: "behavior.k8sim.dev/web.runFor", message: `invalid distribution "ten": not a duration; ${DIST_EXPECTED}` },
      { annotation: "behavior.k8sim.dev/web.exitCode", message: 'expected an integer, got string "abc"' },
      { annotation: "behavior.k8sim.dev/db.memory", message: '[0].usage: invalid quantity "lots": expected a number with an optional suffix (m, k, M, G, Ki, Mi, Gi, ...)' },
      { annotation: "behavior.k8sim.dev/db.readinessFailures", message: '[0].for: must be greater than 0; expected a duration such as 30s, or no "for" for a failure that lasts' },
    ]);
  });

  it("prints a path inside the value as field paths print it: [1].at, every", () => {
    const a = annotationBehaviors({
      "behavior.k8sim.dev/memory": "[{at: 5m, usage: 1Mi}, {at: 1m, usage: 2Mi}]",
      "behavior.k8sim.dev/logs": "{every: 0s, line: x}",
    });
    expect(a.problems).toEqual([
      { annotation: "behavior.k8sim.dev/memory", message: "[1].at: must be later than the point before (5m); expected points in time order" },
      { annotation: "behavior.k8sim.dev/logs", message: "every: must be greater than 0; expected a duration such as 30s" },
    ]);
  });

  it("reports a value that is not YAML", () => {
    const a = annotationBehaviors({ "behavior.k8sim.dev/livenessFailures": "[{from: 1m" });
    expect(a.problems).toHaveLength(1);
    expect(a.problems[0]!.annotation).toBe("behavior.k8sim.dev/livenessFailures");
    // Our prefix, the first line of the yaml library's own message without its " at line N, column M:", then
    // what was expected.
    expect(a.problems[0]!.message).toBe("invalid YAML: Flow map in block collection must be sufficiently indented and end with a }; expected one YAML value such as [{from: 2m, for: 1m}]");
  });

  it("gives an example of the key's value in each YAML problem", () => {
    const message = (key: string, value: string) => annotationBehaviors({ [`behavior.k8sim.dev/${key}`]: value }).problems.map((p) => p.message);
    expect(message("exitCode", "[1")).toEqual(["invalid YAML: Flow sequence must end with a ]; expected one YAML value such as 1"]);
    expect(message("memory", "[1")).toEqual(["invalid YAML: Flow sequence must end with a ]; expected one YAML value such as [{at: 0s, usage: 100Mi}]"]);
    expect(message("logs", "{a")).toEqual(['invalid YAML: Flow map must end with a }; expected one YAML value such as {every: 1m, line: "tick {n}"}']);
    expect(message("startupFailures", "[{from: 0s")).toEqual([
      "invalid YAML: Flow map in block collection must be sufficiently indented and end with a }; expected one YAML value such as [{from: 2m, for: 1m}]",
    ]);
  });

  it("refuses more than one YAML document, nesting over 16 levels and a value over 65,536 characters, before parsing", () => {
    const message = (key: string, value: string) => annotationBehaviors({ [`behavior.k8sim.dev/${key}`]: value }).problems.map((p) => p.message);
    expect(message("exitCode", "1\n---\n2")).toEqual(["the value holds 2 YAML documents; expected one YAML value such as 1"]);
    expect(message("memory", `${"[".repeat(17)}${"]".repeat(17)}`)).toEqual(["the value nests more than 16 levels deep; expected one YAML value such as [{at: 0s, usage: 100Mi}]"]);
    expect(message("memory", `${"[".repeat(10_000)}${"]".repeat(10_000)}`)).toEqual(["the value nests more than 16 levels deep; expected one YAML value such as [{at: 0s, usage: 100Mi}]"]);
    // 16 levels is still a YAML value (the behavior parser then says what is wrong with it).
    expect(message("memory", `${"[".repeat(16)}${"]".repeat(16)}`)).toEqual(["[0]: expected a point such as {at: 0s, usage: 100Mi}, got a list"]);
    expect(message("logs", "a".repeat(65_537))).toEqual(['the value is 65537 characters long, more than 65536; expected one YAML value such as {every: 1m, line: "tick {n}"}']);
    // 65,536 characters is still decoded (the behavior parser then says what is wrong with it).
    const [atLimit] = message("logs", "a".repeat(65_536));
    expect(atLimit).toMatch(/^expected a mapping such as \{every: 1m, line: "processed batch \{n\}"\}, got "a/);
  });
});

describe("shellProgram: the documentation's scripts", () => {
  it.each([
    // The Job podFailurePolicy example: bash -c "echo 'Hello world!' && sleep 5 && exit 42": 5s, then exit 42.
    [["bash", "-c", "echo 'Hello world!' && sleep 5 && exit 42"], { runForMs: 5_000, exitCode: 42 }],
    [["sh", "-c", "sleep 5; exit 3"], { runForMs: 5_000, exitCode: 3 }],
    // `false` fails the script at once (exit 1); what follows never runs.
    [["sh", "-c", "sleep 2 && false && sleep 100"], { runForMs: 2_000, exitCode: 1 }],
    // An exit code above 255 wraps as the shell's does (300 mod 256 = 44).
    [["sh", "-c", "exit 300"], { runForMs: 0, exitCode: 44 }],
    [["sh", "-c", "date; echo hi"], undefined],
  ])("%j", (command, expected) => {
    expect(shellProgram(command, undefined)).toEqual(expected);
  });
});

describe("sleepDuration: how long `sleep N` runs", () => {
  it.each<[string, unknown, unknown, number | undefined]>([
    ["sleep 30", ["sleep", "30"], undefined, 30_000],
    ["sleep 30s", ["sleep", "30s"], undefined, 30_000],
    ["/bin/sleep 1.5m (GNU sleep takes decimals with a suffix)", ["/bin/sleep", "1.5m"], undefined, 90_000], // 1.5 x 60 s
    ["sleep 2h", ["sleep", "2h"], undefined, 7_200_000],
    ["sleep 1d", ["sleep", "1d"], undefined, 86_400_000],
    ["sleep 0.0004 rounds to whole ms", ["sleep", "0.0004"], undefined, 0],
    ["the number in args", ["sleep"], ["10"], 10_000],
    ["command and number both in args", undefined, ["sleep", "5"], 5_000],
    ["sh -c 'sleep 30'", ["sh", "-c", "sleep 30"], undefined, 30_000],
    ["/bin/bash -c ' sleep  20 '", ["/bin/bash", "-c", " sleep  20 "], undefined, 20_000],
    ["sh -c with the script in args", ["/bin/sh", "-c"], ["sleep 7"], 7_000],
    ["sleep infinity runs until stopped", ["sleep", "infinity"], undefined, Infinity],
    ["not sleep", ["nginx", "-g", "daemon off;"], undefined, undefined],
    ["a program named like it", ["sleeper", "3"], undefined, undefined],
    ["sleep without a number", ["sleep"], undefined, undefined],
    ["sleep with a word", ["sleep", "soon"], undefined, undefined],
    ["a script of sleep and echo (30s)", ["sh", "-c", "sleep 30 && echo done"], undefined, 30_000],
    ["a script running a program k8sim cannot know", ["sh", "-c", "sleep 30 && ./migrate"], undefined, undefined],
    ["no command (the image's entrypoint)", undefined, undefined, undefined],
  ])("%s", (_what, command, args, ms) => {
    expect(sleepDuration(command, args)).toBe(ms);
  });
});

describe("oomAfter: when the memory curve passes the limit", () => {
  it.each<[string, { at: number; mi: number }[], number | undefined, number]>([
    // 50Mi + 256Mi x t / 600s > 256Mi <=> t > 600s x 206/256 = 482.8125s: the first whole ms above is 482813.
    ["linear growth (scenarios/probes.yaml's leaky)", [{ at: 0, mi: 50 }, { at: 600_000, mi: 306 }], 256, 482_813],
    // 200Mi x t / 100s = 100Mi at t = 50s exactly; usage must be above the limit: 50001.
    ["a crossing on a whole ms: one ms later", [{ at: 0, mi: 0 }, { at: 100_000, mi: 200 }], 100, 50_001],
    // Second segment: 50Mi at 10s to 300Mi at 20s crosses 100Mi at 10s + 10s x 50/250 = 12s: 12001.
    ["in a later segment", [{ at: 0, mi: 0 }, { at: 10_000, mi: 50 }, { at: 20_000, mi: 300 }], 100, 12_001],
    ["above the limit from the start (the first point holds before it)", [{ at: 60_000, mi: 200 }], 100, 0],
    ["reaching the limit exactly is not above it", [{ at: 0, mi: 0 }, { at: 10_000, mi: 100 }], 100, Infinity],
    ["staying below", [{ at: 0, mi: 10 }, { at: 10_000, mi: 90 }, { at: 20_000, mi: 20 }], 100, Infinity],
    ["no memory limit: never", [{ at: 0, mi: 10_000 }], undefined, Infinity],
  ])("%s", (_what, points, limitMi, at) => {
    expect(oomAfter(points.map((p) => ({ atMs: p.at, bytes: p.mi * Mi })), limitMi === undefined ? undefined : limitMi * Mi)).toBe(at);
  });

  it("is never without a memory curve", () => {
    expect(oomAfter(undefined, 100 * Mi)).toBe(Infinity);
  });
});

describe("BehaviorResolver: profiles in file order, then pod annotations, then container annotations", () => {
  const fixed = (ms: number) => ({ kind: "fixed" as const, valueMs: ms });
  const profile = (name: string, spec: BehaviorSpec, o: Partial<BehaviorProfile> = {}): BehaviorProfile => ({ name, selector: { matchLabels: { app: "web" } }, spec, ...o });
  const web = (annotations?: Record<string, string>, ns = "default"): Pod => {
    const p = pod("web-1").namespace(ns).labels({ app: "web" }).container("sidecar").build();
    if (annotations) p.metadata.annotations = annotations;
    return p;
  };
  const c = (p: Pod, name: string): Container => p.spec.containers.find((x) => x.name === name)!;

  it("layers matching profiles: a later profile's keys replace an earlier one's, the others stay", () => {
    const r = new BehaviorResolver([profile("base", { runFor: fixed(60_000), exitCode: 1 }), profile("other", { exitCode: 2 }, { selector: { matchLabels: { app: "db" } } }), profile("later", { exitCode: 3 })]);
    const p = web();
    // base sets runFor and exitCode 1; "other" does not match app=web; later replaces exitCode with 3.
    expect(r.resolve(p, c(p, "c"))).toEqual({ spec: { runFor: fixed(60_000), exitCode: 3 }, runForMs: Infinity });
  });

  it("applies a profile with `container` to that container only, and one with `namespaces` to those namespaces only", () => {
    const r = new BehaviorResolver([profile("side", { exitCode: 7 }, { container: "sidecar" }), profile("prod", { runFor: fixed(5_000) }, { namespaces: ["prod"] })]);
    const p = web();
    expect(r.resolve(p, c(p, "sidecar")).spec).toEqual({ exitCode: 7 });
    expect(r.resolve(p, c(p, "c")).spec).toEqual({});
    const q = web(undefined, "prod");
    expect(r.resolve(q, c(q, "c")).spec).toEqual({ runFor: fixed(5_000) });
  });

  it("lets pod annotations replace profile keys, and a container's annotations replace the pod's", () => {
    const r = new BehaviorResolver([profile("base", { runFor: fixed(60_000), exitCode: 1, stopAfter: fixed(9_000) })]);
    const p = web({ "behavior.k8sim.dev/exitCode": "4", "behavior.k8sim.dev/runFor": "10s", "behavior.k8sim.dev/sidecar.exitCode": "5" });
    // c: profile stopAfter 9s, pod-wide runFor 10s and exitCode 4.
    expect(r.resolve(p, c(p, "c")).spec).toEqual({ runFor: fixed(10_000), exitCode: 4, stopAfter: fixed(9_000) });
    // sidecar: the same, with its own exitCode 5 over the pod's 4.
    expect(r.resolve(p, c(p, "sidecar")).spec).toEqual({ runFor: fixed(10_000), exitCode: 5, stopAfter: fixed(9_000) });
  });

  it("gives `sleep N`'s run time beside the behavior (a behavior's runFor, if any, wins when the program is drawn)", () => {
    const r = new BehaviorResolver([]);
    const p = web();
    c(p, "c").command = ["sleep", "45"];
    expect(r.resolve(p, c(p, "c"))).toEqual({ spec: {}, runForMs: 45_000 });
    expect(r.resolve(p, c(p, "sidecar"))).toEqual({ spec: {}, runForMs: Infinity });
  });
});

describe("mergeBehaviors", () => {
  it("replaces whole keys (a later logs template is not merged into an earlier one) and skips missing layers", () => {
    const merged = mergeBehaviors([{ logs: { start: "a", every: 1_000, line: "x" }, exitCode: 1 }, undefined, { logs: { start: "b" } }]);
    expect(merged).toEqual({ logs: { start: "b" }, exitCode: 1 });
    expect(mergeBehaviors([])).toEqual({});
  });
});
