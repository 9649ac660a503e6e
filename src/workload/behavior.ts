/**
 * What the program inside a simulated container does: how long it takes to start, how long it runs, how it exits,
 * how its probes answer, how much memory it uses and what it logs. A real cluster runs real programs; k8sim reads
 * their behaviour from the scenario's behavior profiles (`spec.behaviors`, matched to pods by label selector) and
 * from the same keys as pod annotations (`behavior.k8sim.dev/<key>` for every container of the pod,
 * `behavior.k8sim.dev/<container>.<key>` for one), so real manifests run unchanged.
 *
 * This module holds the shape and the one parser of a behavior (used by the scenario loader, for positioned errors
 * at load time, and by the kubelet, for the annotations of pods that controllers create from templates).
 */
import { parseAllDocuments } from "yaml";
import { parseQuantity, parseResourceList, value as quantityValue } from "../api/quantity.js";
import { formatDuration, parseDuration } from "../engine/duration.js";
import { parseDistribution, type Distribution } from "./distribution.js";
import type { LogTemplate } from "../logs/records.js";

/** A span of a container's life, relative to its start (ms), in which a probe fails: [fromMs, untilMs). */
export interface FailureWindow {
  readonly fromMs: number;
  /** Infinity: until the container ends. */
  readonly untilMs: number;
}

/** The container's memory use at `atMs` after its start; between points it changes linearly, after the last it stays. */
export interface MemoryPoint {
  readonly atMs: number;
  readonly bytes: number;
}

/** A behavior: every key optional; what is not set comes from a less specific source or the defaults (README). */
export interface BehaviorSpec {
  /** From StartContainer to the container running. Default: settings.podStartLatency. */
  readonly startLatency?: Distribution;
  /** How long the program runs before it exits on its own. Default: forever, or N seconds for `sleep N`. */
  readonly runFor?: Distribution;
  /** The code it exits with when it ends on its own (0..255). Default 0. */
  readonly exitCode?: number;
  /** Exit codes of the owner's successive pods (the k-th pod of a Job exits with the k-th; the last repeats);
   *  overrides exitCode. Resolved per pod by BehaviorResolver, which sets exitCode from it. */
  readonly exitCodes?: readonly number[];
  /** How long it takes to exit after SIGTERM. Default: settings.podStopLatency. */
  readonly stopAfter?: Distribution;
  /** When its readiness probe fails (if the container has one). Default: never. */
  readonly readinessFailures?: readonly FailureWindow[];
  /** When its liveness probe fails. Default: never. */
  readonly livenessFailures?: readonly FailureWindow[];
  /** When its startup probe fails. Default: never. */
  readonly startupFailures?: readonly FailureWindow[];
  /** Its memory use over time; above the container's memory limit the kernel kills it (OOMKilled, 137). */
  readonly memory?: readonly MemoryPoint[];
  /** What it writes to its log. */
  readonly logs?: LogTemplate;
}

/** The keys of a behavior, in the order the README lists them. */
export const BEHAVIOR_KEYS = ["startLatency", "runFor", "exitCode", "exitCodes", "stopAfter", "readinessFailures", "livenessFailures", "startupFailures", "memory", "logs"] as const;

/** The longest exitCodes list (the schema's maxItems). */
export const MAX_EXIT_CODES = 1000;

/** Prefix of the behavior annotations: `behavior.k8sim.dev/runFor`, `behavior.k8sim.dev/worker.runFor`. */
export const BEHAVIOR_ANNOTATION_PREFIX = "behavior.k8sim.dev/";

/** One problem in a behavior: the path below the behavior (e.g. ["memory", 1, "usage"]) and what is wrong. */
export interface BehaviorProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const DURATION_EXAMPLE = "a duration such as 30s";
const LOG_KEYS = ["every", "line", "start", "ready", "exit"];
const WINDOW_KEYS = ["from", "for"];
const MEMORY_KEYS = ["at", "usage"];

/**
 * Parses a behavior from its plain value (a YAML mapping, as a profile or a decoded annotation holds it). Returns
 * the spec and every problem; with `strictKeys`, unknown keys are problems too (the scenario schema reports them
 * for profiles; annotations have no schema). Never throws.
 */
export function parseBehavior(raw: unknown, strictKeys: boolean): { spec: BehaviorSpec; problems: BehaviorProblem[] } {
  const problems: BehaviorProblem[] = [];
  const spec: Record<string, unknown> = {};
  if (!isMap(raw)) {
    problems.push({ path: [], message: `expected a mapping of behavior keys (${BEHAVIOR_KEYS.join(", ")})` });
    return { spec, problems };
  }
  for (const [key, v] of Object.entries(raw)) {
    const bad = (message: string, sub: (string | number)[] = []) => problems.push({ path: [key, ...sub], message });
    switch (key) {
      case "startLatency":
      case "runFor":
      case "stopAfter": {
        const d = distribution(v, bad);
        if (d) spec[key] = d;
        break;
      }
      case "exitCode":
        // Worded as the scenario schema words an integer field from 0 to 255, so a profile's bad value is one line.
        if (typeof v !== "number" || !Number.isInteger(v)) bad(`expected an integer, got ${typeof v === "string" ? `string ${JSON.stringify(v)}` : show(v)}`);
        else if (v < 0) bad(`must be at least 0, got ${v}`);
        else if (v > 255) bad(`must be at most 255, got ${v}`);
        else spec[key] = v;
        break;
      case "exitCodes": {
        if (!Array.isArray(v) || v.length === 0) {
          bad(`expected a non-empty list of exit codes, got ${typeof v === "string" ? `string ${JSON.stringify(v)}` : show(v)}`);
          break;
        }
        if (v.length > MAX_EXIT_CODES) {
          bad(`must have at most ${MAX_EXIT_CODES} items, got ${v.length}`);
          break;
        }
        const codes: number[] = [];
        v.forEach((c: unknown, i: number) => {
          if (typeof c !== "number" || !Number.isInteger(c)) bad(`expected an integer, got ${typeof c === "string" ? `string ${JSON.stringify(c)}` : show(c)}`, [i]);
          else if (c < 0) bad(`must be at least 0, got ${c}`, [i]);
          else if (c > 255) bad(`must be at most 255, got ${c}`, [i]);
          else codes.push(c);
        });
        if (codes.length === v.length) spec[key] = codes;
        break;
      }
      case "readinessFailures":
      case "livenessFailures":
      case "startupFailures": {
        const w = windows(v, bad, strictKeys);
        if (w) spec[key] = w;
        break;
      }
      case "memory": {
        const m = memory(v, bad, strictKeys);
        if (m) spec[key] = m;
        break;
      }
      case "logs": {
        const l = logs(v, bad, strictKeys);
        if (l) spec[key] = l;
        break;
      }
      default:
        if (strictKeys) bad(`unknown behavior key ${JSON.stringify(key)}; expected one of ${BEHAVIOR_KEYS.join(", ")}`);
    }
  }
  return { spec: spec as BehaviorSpec, problems };
}

/** One behavior annotation of a pod: which container it is for (undefined: all) and which key it sets. */
export interface BehaviorAnnotation {
  readonly container: string | undefined;
  readonly key: string;
}

/** Splits an annotation key `behavior.k8sim.dev/[<container>.]<key>`; undefined if it is not a behavior annotation. */
export function behaviorAnnotation(annotationKey: string): BehaviorAnnotation | undefined {
  if (!annotationKey.startsWith(BEHAVIOR_ANNOTATION_PREFIX)) return undefined;
  const rest = annotationKey.slice(BEHAVIOR_ANNOTATION_PREFIX.length);
  const dot = rest.lastIndexOf(".");
  return dot < 0 ? { container: undefined, key: rest } : { container: rest.slice(0, dot), key: rest.slice(dot + 1) };
}

/**
 * The behaviors a pod's annotations set: for all its containers ("" key) and per container name. Each value is
 * YAML text (`20s`, `exponential(30s)`, `1`, `[{from: 2m, for: 1m}]`, `{every: 1m, line: tick}`). Problems name the
 * annotation. Cached by the annotation object, since every pod of a template shares the same values.
 */
export function annotationBehaviors(annotations: Readonly<Record<string, string>> | undefined): {
  all: BehaviorSpec | undefined;
  byContainer: ReadonlyMap<string, BehaviorSpec>;
  problems: { annotation: string; message: string }[];
} {
  const empty = NO_ANNOTATIONS;
  if (annotations === undefined) return empty;
  const cached = annotationCache.get(annotations);
  if (cached) return cached;
  const all: Record<string, unknown> = {};
  const per = new Map<string, Record<string, unknown>>();
  const keyOf = new Map<string, string>();
  let any = false;
  const problems: { annotation: string; message: string }[] = [];
  for (const [k, text] of Object.entries(annotations)) {
    const a = behaviorAnnotation(k);
    if (!a) continue;
    any = true;
    if (!(BEHAVIOR_KEYS as readonly string[]).includes(a.key)) {
      problems.push({ annotation: k, message: `unknown behavior key ${JSON.stringify(a.key)}; expected ${BEHAVIOR_ANNOTATION_PREFIX}[<container>.]<key> with a key of ${BEHAVIOR_KEYS.join(", ")}` });
      continue;
    }
    // Durations and distributions are plain text; anything else is a YAML value (an exit code, a list, a map).
    const decoded = a.key === "startLatency" || a.key === "runFor" || a.key === "stopAfter" ? { ok: true as const, value: text as unknown } : annotationYaml(String(text), a.key);
    if (!decoded.ok) {
      problems.push({ annotation: k, message: decoded.error });
      continue;
    }
    const v = decoded.value;
    const target = a.container === undefined ? all : (per.get(a.container) ?? per.set(a.container, {}).get(a.container)!);
    target[a.key] = v;
    keyOf.set(`${a.container ?? ""}\u0000${a.key}`, k);
  }
  if (!any) {
    annotationCache.set(annotations, empty);
    return empty;
  }
  const parseOne = (container: string | undefined, raw: Record<string, unknown>): BehaviorSpec => {
    const r = parseBehavior(raw, true);
    for (const p of r.problems) {
      const annotation = keyOf.get(`${container ?? ""}\u0000${String(p.path[0])}`) ?? "";
      const sub = p.path.slice(1);
      problems.push({ annotation, message: sub.length > 0 ? `${subPath(sub)}: ${p.message}` : p.message });
    }
    return r.spec;
  };
  const byContainer = new Map<string, BehaviorSpec>();
  for (const [c, raw] of per) byContainer.set(c, parseOne(c, raw));
  const result = { all: Object.keys(all).length > 0 ? parseOne(undefined, all) : undefined, byContainer, problems };
  annotationCache.set(annotations, result);
  return result;
}

/** The longest annotation value decoded as YAML (upstream caps all of a pod's annotations at 256 KiB). */
export const MAX_ANNOTATION_VALUE = 65_536;
/** How deep a decoded annotation value may nest (a list of windows nests 2 deep). */
const MAX_ANNOTATION_DEPTH = 16;

/** An annotation's value as YAML, with messages that say what was expected. */
function annotationYaml(text: string, key: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const example = key === "exitCode" ? "1" : key === "memory" ? "[{at: 0s, usage: 100Mi}]" : key === "logs" ? '{every: 1m, line: "tick {n}"}' : "[{from: 2m, for: 1m}]";
  const expected = `expected one YAML value such as ${example}`;
  if (text.length > MAX_ANNOTATION_VALUE) return { ok: false, error: `the value is ${text.length} characters long, more than ${MAX_ANNOTATION_VALUE}; ${expected}` };
  // Nesting is bounded before parsing: a deeply nested value would exhaust the parser's stack.
  if (nestingDepth(text) > MAX_ANNOTATION_DEPTH) return { ok: false, error: `the value nests more than ${MAX_ANNOTATION_DEPTH} levels deep; ${expected}` };
  try {
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    if (list.length > 1) return { ok: false, error: `the value holds ${list.length} YAML documents; ${expected}` };
    const doc = list[0];
    const err = doc?.errors[0];
    if (err !== undefined) return { ok: false, error: `invalid YAML: ${err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "").replace(/:$/, "")}; ${expected}` };
    return { ok: true, value: doc === undefined ? null : doc.toJS() };
  } catch (e) {
    return { ok: false, error: `invalid YAML: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}; ${expected}` };
  }
}

/**
 * An upper bound of a YAML text's nesting: flow brackets outside quoted scalars, plus, per line, its indentation
 * and the block sequence entries it opens ("- - - x"). Over-counting only refuses a value that is odd anyway.
 */
function nestingDepth(text: string): number {
  let flow = 0;
  let max = 0;
  let quote: string | undefined;
  let lineStart = true;
  let block = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== undefined) {
      if (ch === "\\" && quote === '"') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "\n") {
      lineStart = true;
      block = 0;
      continue;
    }
    if (lineStart) {
      if (ch === " ") {
        block += 0.5;
        continue;
      }
      if (ch === "-" && (text[i + 1] === " " || text[i + 1] === undefined)) {
        block++;
        continue;
      }
      lineStart = false;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "[" || ch === "{") flow++;
    else if (ch === "]" || ch === "}") flow = Math.max(0, flow - 1);
    max = Math.max(max, flow + Math.ceil(block));
  }
  return Math.max(max, Math.ceil(block));
}

const EMPTY_MAP: ReadonlyMap<string, BehaviorSpec> = new Map();
const NO_ANNOTATIONS: ReturnType<typeof annotationBehaviors> = Object.freeze({ all: undefined, byContainer: EMPTY_MAP, problems: [] });
const annotationCache = new WeakMap<object, ReturnType<typeof annotationBehaviors>>();

/** Layers behaviors: every key set by a later one replaces the earlier one's. */
export function mergeBehaviors(layers: readonly (BehaviorSpec | undefined)[]): BehaviorSpec {
  let out: BehaviorSpec | undefined;
  for (const l of layers) {
    if (l === undefined) continue;
    out = out === undefined ? l : { ...out, ...l };
  }
  return out ?? NO_BEHAVIOR;
}

const NO_BEHAVIOR: BehaviorSpec = Object.freeze({});

/**
 * How long a container whose command is `sleep N` (or `/bin/sleep N`, or a shell running `sleep N`) runs, as the
 * real one would: N seconds (GNU sleep's number with an optional s, m, h or d suffix). Undefined otherwise.
 */
export function sleepDuration(command: unknown, args: unknown): number | undefined {
  return shellProgram(command, args)?.runForMs;
}

/** What a simple command line does: how long it runs and the code it exits with. */
export interface ShellProgram {
  readonly runForMs: number;
  readonly exitCode: number;
}

/**
 * What a container's command does when it is one k8sim can read, as the documentation's examples write them: `sleep
 * N`, or a shell (`sh -c`, `bash -c`, ...) running a script of `sleep N`, `echo ...`, `true`, `false` and `exit C`
 * joined by `&&`, `;` or new lines (`echo 'Hello world!' && sleep 5 && exit 42`: 5s, then exit 42). The script ends
 * at its first `exit` or failing command (`false`, exit 1); without one it exits 0. Undefined for anything else
 * (a program k8sim cannot know, which runs until stopped unless a behavior says otherwise).
 */
export function shellProgram(command: unknown, args: unknown): ShellProgram | undefined {
  const words = [...(Array.isArray(command) ? command : []), ...(Array.isArray(args) ? args : [])].map(String);
  if (words.length === 3 && /(^|\/)(ba|da|a)?sh$/.test(words[0]!) && words[1] === "-c") return script(words[2]!);
  if (words.length !== 2 || !/(^|\/)sleep$/.test(words[0]!)) return undefined;
  const ms = sleepArg(words[1]!);
  return ms === undefined ? undefined : { runForMs: ms, exitCode: 0 };
}

/** GNU sleep's argument in ms (`infinity` is Infinity), or undefined. */
function sleepArg(a: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(a);
  if (!m) return a === "infinity" ? Infinity : undefined;
  const unit = { "": 1_000, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "" | "s" | "m" | "h" | "d"];
  return Math.round(Number(m[1]) * unit);
}

/** The shell script's program (see shellProgram), or undefined when a command is not one of the known ones. */
function script(text: string): ShellProgram | undefined {
  let runForMs = 0;
  for (const raw of text.split(/&&|;|\n/)) {
    const cmd = raw.trim();
    if (cmd === "" || cmd === "true" || /^echo(\s|$)/.test(cmd)) continue;
    if (cmd === "false") return { runForMs, exitCode: 1 };
    const words = cmd.split(/\s+/);
    if (/(^|\/)sleep$/.test(words[0]!) && words.length === 2) {
      const ms = sleepArg(words[1]!);
      if (ms === undefined) return undefined;
      runForMs += ms;
      continue;
    }
    if (words[0] === "exit" && words.length <= 2) {
      const code = words.length === 1 ? 0 : /^\d+$/.test(words[1]!) ? Number(words[1]) % 256 : undefined;
      return code === undefined ? undefined : { runForMs, exitCode: code };
    }
    return undefined;
  }
  return { runForMs, exitCode: 0 };
}

function distribution(v: unknown, bad: (m: string) => void): Distribution | undefined {
  if (typeof v !== "string" && typeof v !== "number") {
    bad(`expected ${DURATION_EXAMPLE} or a distribution such as exponential(30s), got ${show(v)}`);
    return undefined;
  }
  const r = parseDistribution(String(v));
  if (!r.ok) bad(r.error);
  return r.ok ? r.value : undefined;
}

function duration(v: unknown, bad: (m: string) => void): number | undefined {
  if (typeof v !== "string" && typeof v !== "number") {
    bad(`expected ${DURATION_EXAMPLE}, got ${show(v)}`);
    return undefined;
  }
  const r = parseDuration(String(v));
  if (!r.ok) bad(r.error);
  return r.ok ? r.value : undefined;
}

function windows(v: unknown, bad: (m: string, sub?: (string | number)[]) => void, strictKeys: boolean): FailureWindow[] | undefined {
  if (!Array.isArray(v)) {
    bad(`expected a list of windows such as [{from: 2m, for: 1m}], got ${show(v)}`);
    return undefined;
  }
  const out: FailureWindow[] = [];
  v.forEach((w, i) => {
    if (!isMap(w)) return bad(`expected a window such as {from: 2m, for: 1m}, got ${show(w)}`, [i]);
    unknownKeys(w, WINDOW_KEYS, (m, k) => bad(m, [i, k]), strictKeys);
    if (w.from === undefined) return bad(`missing required key "from"`, [i]);
    const from = duration(w.from, (m) => bad(m, [i, "from"]));
    const len = w.for === undefined ? Infinity : duration(w.for, (m) => bad(m, [i, "for"]));
    if (len === 0) bad(`must be greater than 0; expected ${DURATION_EXAMPLE}, or no "for" for a failure that lasts`, [i, "for"]);
    if (from !== undefined && len !== undefined && len > 0) out.push({ fromMs: from, untilMs: from + len });
  });
  return out;
}

function memory(v: unknown, bad: (m: string, sub?: (string | number)[]) => void, strictKeys: boolean): MemoryPoint[] | undefined {
  if (!Array.isArray(v) || v.length === 0) {
    bad(`expected a non-empty list of points such as [{at: 0s, usage: 100Mi}, {at: 10m, usage: 600Mi}], got ${show(v)}`);
    return undefined;
  }
  const out: MemoryPoint[] = [];
  let last = -1;
  v.forEach((p, i) => {
    if (!isMap(p)) return bad(`expected a point such as {at: 0s, usage: 100Mi}, got ${show(p)}`, [i]);
    unknownKeys(p, MEMORY_KEYS, (m, k) => bad(m, [i, k]), strictKeys);
    if (p.at === undefined) return bad(`missing required key "at"`, [i]);
    if (p.usage === undefined) return bad(`missing required key "usage"`, [i]);
    const at = duration(p.at, (m) => bad(m, [i, "at"]));
    let bytes: number | undefined;
    // parseResourceList's words, as the scenario schema's quantity check has them, so a bad value is one line.
    const r = typeof p.usage === "string" || typeof p.usage === "number" ? parseResourceList({ memory: p.usage }) : undefined;
    if (r === undefined) bad(`expected a memory quantity such as 100Mi or 1Gi, got ${show(p.usage)}`, [i, "usage"]);
    else if (!r.ok) bad(r.errors[0]!.error, [i, "usage"]);
    else {
      const q = parseQuantity(String(p.usage));
      if (q.ok) bytes = quantityValue(q.value);
    }
    if (at !== undefined && at <= last) bad(`must be later than the point before (${formatDuration(last)}); expected points in time order`, [i, "at"]);
    if (at !== undefined) last = Math.max(last, at);
    if (at !== undefined && bytes !== undefined) out.push({ atMs: at, bytes });
  });
  return out;
}

function logs(v: unknown, bad: (m: string, sub?: (string | number)[]) => void, strictKeys: boolean): LogTemplate | undefined {
  if (!isMap(v)) {
    bad(`expected a mapping such as {every: 1m, line: "processed batch {n}"}, got ${show(v)}`);
    return undefined;
  }
  unknownKeys(v, LOG_KEYS, (m, k) => bad(m, [k]), strictKeys);
  const out: { -readonly [K in keyof LogTemplate]: LogTemplate[K] } = {};
  for (const k of ["line", "start", "ready", "exit"] as const) {
    if (v[k] === undefined) continue;
    if (typeof v[k] !== "string") bad(`expected a string, got ${show(v[k])}`, [k]);
    // One template is one log line: a line break would print as two lines and count as one for --tail.
    else if (/[\r\n]/.test(v[k] as string)) bad(`expected one line of text, got a line break; write one template per line`, [k]);
    else out[k] = v[k] as string;
  }
  if (v.every !== undefined) {
    const every = duration(v.every, (m) => bad(m, ["every"]));
    if (every === 0) bad(`must be greater than 0; expected ${DURATION_EXAMPLE}`, ["every"]);
    else if (every !== undefined) out.every = every;
  }
  if ((out.every === undefined) !== (out.line === undefined) && (v.every === undefined || v.line === undefined)) {
    bad(`"every" and "line" go together: a line every so often; expected both or neither`, [v.every === undefined ? "line" : "every"]);
  }
  return out;
}

function unknownKeys(m: Record<string, unknown>, allowed: readonly string[], bad: (message: string, key: string) => void, strict: boolean): void {
  if (!strict) return;
  for (const k of Object.keys(m)) if (!allowed.includes(k)) bad(`unknown key ${JSON.stringify(k)}; expected one of ${allowed.join(", ")}`, k);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  if (typeof v === "object") return "a mapping";
  return String(v);
}

/** A path inside an annotation's value as field paths print it: `[0].usage`, `every`. */
function subPath(path: readonly (string | number)[]): string {
  return path.map((x, i) => (typeof x === "number" ? `[${x}]` : i === 0 ? x : `.${x}`)).join("");
}
