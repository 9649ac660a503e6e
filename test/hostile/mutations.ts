/**
 * Generated malformed input: random mutations of the bundled scenarios and their manifests (truncations, byte
 * flips, wrong types, huge numbers, deep nesting, duplicate keys, unknown kinds, control characters, aliases), each
 * run with `run` or `validate`. fast-check arbitraries, so a failing mutation shrinks.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { BUNDLED } from "./workspace.js";

/** The bundled scenarios a mutation runs or validates (each self-contained but for the two manifests below). */
const SCENARIOS = ["node-failure.yaml", "scale-up.yaml", "crashloop.yaml", "probes.yaml", "cold-start.yaml", "job-retries.yaml", "quota-exhausted.yaml", "namespace-teardown.yaml", "web-stack.yaml"] as const;

/** Files a mutation may target, relative to the scenarios folder: the scenarios (crashloop, probes and cold-start
 *  bring behaviors, images, probes and the runtime settings; job-retries Jobs, exitCodes and podFailurePolicy) and
 *  the manifest files two of them read. */
export const TARGETS = [...SCENARIOS, "manifests/nginx.yaml", "manifests/batch-api.yaml", "manifests/guestbook.yaml"] as const;

/** One generated malformed input. */
export interface Mutation {
  /** Which bundled file is mutated. */
  target: (typeof TARGETS)[number];
  /** Which scenario is then run or validated (the mutated one, or the one that reads the mutated manifest). */
  scenario: (typeof SCENARIOS)[number];
  command: "run" | "validate";
  /** What was done, for the report. */
  describe: string;
  /** The mutated file's new content. */
  text: string;
  /** Extra CLI arguments (`--set path=value` mutations). */
  args: string[];
}

const original = (t: string) => readFileSync(join(BUNDLED, t), "utf8");
const scenarioOf = (t: (typeof TARGETS)[number]): Mutation["scenario"] =>
  t === "manifests/batch-api.yaml" ? "scale-up.yaml" : t === "manifests/nginx.yaml" ? "node-failure.yaml" : t === "manifests/guestbook.yaml" ? "web-stack.yaml" : t;

type Path = (string | number)[];

/** Every path to a value in `v` (objects and arrays walked), the root excluded. */
function paths(v: unknown, base: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([...base, i]), paths(x, [...base, i], out)));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push([...base, k]), paths(x, [...base, k], out);
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): void {
  let cur = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1]] = value;
}

/** Replaces the value at the `pick`-th path of the `doc`-th document of `text` with `value`. */
function replaceValue(text: string, pick: number, value: unknown): { text: string; where: string } {
  let docs: unknown[];
  try {
    const parsed = parseAllDocuments(text, { logLevel: "error" });
    if (!Array.isArray(parsed)) return { text, where: "(unparsable)" };
    docs = parsed.map((d) => d.toJS({ maxAliasCount: 1000 }) as unknown);
  } catch {
    // An earlier mutation broke the YAML: leave it broken.
    return { text, where: "(unparsable)" };
  }
  const all = docs.flatMap((d, i) => paths(d).map((p) => ({ i, p })));
  if (all.length === 0) return { text, where: "(nothing)" };
  const { i, p } = all[pick % all.length];
  setAt(docs[i], p, value);
  return { text: docs.map((d) => stringify(d, { lineWidth: 0 })).join("---\n"), where: p.join(".") };
}

const CONTROL_CHARS = ["\x00", "\x07", "\x08", "\x1b", "\x1b[31m", "\r", "\x7f", "\x0c", "\x1b]0;x\x07", "\u0085", "\u2028", "\ufeff"];
const HUGE = [1e308, 1e9, 4294967296, -1, 9007199254740993, 1e21, -0, 0.5, 1e-7, "1e400", ".nan", ".inf", "99999999999999999999h", "1e9Gi", "0.0001m"];
const WRONG = [null, true, "", "x", [], {}, [1, 2], { a: 1 }, 3, -3.5, "5 minutes", "\u00e9\u00e8"];

/** What one mutation step did: the new text, a description, and CLI arguments it adds. */
type Step = { text: string; what: string; args?: string[] };

/** Every dotted --set path into the first document of `text` (empty if it does not parse). */
function setPaths(text: string): string[] {
  try {
    const [doc] = parseAllDocuments(text, { logLevel: "error" }) as ReturnType<typeof parseAllDocuments> & unknown[];
    return doc ? paths(doc.toJS({ maxAliasCount: 100 })).map((p) => p.join(".")) : [];
  } catch {
    return [];
  }
}

const SET_VALUES = ["1e308", "4294967296", "-1", "0", "1.5ms", "4.0001s", "", "[]", "{}", "null", "true", "\x1b[31m", "999999999999h", "0050-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "NaN", "1e-9", "x".repeat(300)];

/** The mutation kinds, each an arbitrary of (text -> step). */
const kinds: fc.Arbitrary<(text: string) => Step>[] = [
  // --set with a hostile value on a path of the mutated file (a manifest's paths make unknown scenario keys) or on
  // a made-up path.
  fc.tuple(fc.nat(), fc.constantFrom(...SET_VALUES), fc.boolean()).map(([pick, v, madeUp]) => (t: string) => {
    const ps = setPaths(t).filter((p) => p.startsWith("spec."));
    const path = madeUp || !ps.length ? ["spec.nope", "spec.cluster.nodePools.9.count", "spec..x", "metadata.__proto__.x", "spec.timeline.-1.at"][pick % 5] : ps[pick % ps.length];
    return { text: t, what: `--set ${path}=${JSON.stringify(v)}`, args: ["--set", `${path}=${v}`] };
  }),
  fc.double({ min: 0, max: 1, noNaN: true }).map((f) => (t: string) => ({ text: t.slice(0, Math.floor(t.length * f)), what: `truncated to ${Math.floor(t.length * f)} chars` })),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([i, b]) => (t: string) => {
    const at = t.length ? i % t.length : 0;
    return { text: t.slice(0, at) + String.fromCharCode(b) + t.slice(at + 1), what: `byte ${at} set to 0x${b.toString(16)}` };
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...WRONG)).map(([pick, v]) => (t: string) => {
    const r = replaceValue(t, pick, v);
    return { text: r.text, what: `${r.where} set to ${JSON.stringify(v)}` };
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...HUGE)).map(([pick, v]) => (t: string) => {
    const r = replaceValue(t, pick, v);
    return { text: r.text, what: `${r.where} set to ${String(v)}` };
  }),
  fc.tuple(fc.nat(), fc.constantFrom(64, 500, 3000, 20000)).map(([pick, depth]) => (t: string) => {
    const lines = t.split("\n");
    const at = pick % Math.max(1, lines.length);
    const m = /^(\s*(?:- )?[\w.\/-]+:)\s*(.*)$/.exec(lines[at] ?? "");
    if (!m) return { text: t + `\nx: ${"[".repeat(depth)}${"]".repeat(depth)}\n`, what: `appended ${depth}-deep nesting` };
    lines[at] = `${m[1]} ${"[".repeat(depth)}${"]".repeat(depth)}`;
    return { text: lines.join("\n"), what: `line ${at + 1} value nested ${depth} deep` };
  }),
  fc.nat().map((pick) => (t: string) => {
    const lines = t.split("\n");
    const keyed = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^\s*[\w.\/-]+:/.test(l));
    if (!keyed.length) return { text: t, what: "no key to duplicate" };
    const { l, i } = keyed[pick % keyed.length];
    lines.splice(i + 1, 0, l.replace(/^(\s*)- /, "$1  "));
    return { text: lines.join("\n"), what: `line ${i + 1} key duplicated` };
  }),
  fc.constantFrom("Frobnicator", "", "pod", "Deployment ", "ConfigMap", "Scenario", "DaemonSet", "__proto__").map((kind) => (t: string) => ({
    text: t.replace(/^kind: .*$/m, `kind: ${JSON.stringify(kind)}`),
    what: `kind set to ${JSON.stringify(kind)}`,
  })),
  fc.tuple(fc.nat(), fc.constantFrom(...CONTROL_CHARS)).map(([i, c]) => (t: string) => {
    const at = t.length ? i % t.length : 0;
    return { text: t.slice(0, at) + c + t.slice(at), what: `control character ${JSON.stringify(c)} inserted at ${at}` };
  }),
  fc.tuple(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 })).map(([levels, width]) => (t: string) => {
    const bomb = ["a0: &a0 [x, x]", ...Array.from({ length: levels - 1 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array.from({ length: width }, () => `*a${i}`).join(", ")}]`)];
    return { text: `${t}\n${bomb.join("\n")}\n`, what: `alias bomb ${levels}x${width} appended` };
  }),
];

/** An arbitrary of one mutation of one bundled file, possibly two stacked. */
export const mutationArb: fc.Arbitrary<Mutation> = fc
  .record({ target: fc.constantFrom(...TARGETS), command: fc.constantFrom("run" as const, "validate" as const), ops: fc.array(fc.oneof(...kinds), { minLength: 1, maxLength: 2 }) })
  .map(({ target, command, ops }) => {
    let text = original(target);
    const what: string[] = [];
    const args: string[] = [];
    for (const op of ops) {
      const r = op(text);
      text = r.text;
      what.push(r.what);
      if (r.args) args.push(...r.args);
    }
    return { target, scenario: scenarioOf(target), command, describe: `${target}: ${what.join(", then ")}`, text, args };
  });
