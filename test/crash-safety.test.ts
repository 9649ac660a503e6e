/**
 * Crash safety of the report folder, with real child processes: runs into a folder that already holds a report of
 * another seed and duration are killed (SIGINT, SIGTERM, SIGKILL) at seeded random moments and SIGKILL themselves
 * at each step of the write (K8SIM_CRASH_AT). Afterwards the report folder must be absent, the whole old report,
 * the whole new one, or a whole report marked interrupted whose files all come from the new run; nothing else may
 * look like a report; and the next run's start-up removes what the dead one left.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openReportDir, REPORT_STEPS, type ReportStep } from "../src/metrics/report-dir.js";
import { cli } from "./helpers/cli.js";
import { ended, requireBuild, startCli } from "./helpers/child.js";

const FILES = ["changes.idx", "changes.log", "events.jsonl", "faults.csv", "logs.jsonl", "metrics.csv", "run-info.json", "summary.json"];
const BASE = "seed-2";
/** The run under test: about 24k events, about a second of CPU with start-up. */
const NEW = ["run", "scenarios/node-failure.yaml", "--seed", "2", "--set", "spec.cluster.nodePools.0.count=60", "--set", "spec.duration=1h"];
const DURATION_MS = 3_600_000;
const INTERVAL_MS = 10_000;
/** The report already in the folder: another seed and duration. */
const OLD = ["run", "scenarios/node-failure.yaml", "--seed", "1", "--set", "spec.duration=30m"];

type State = "old" | "new" | "interrupted" | "absent";
interface Trial {
  name: string;
  /** Signals sent, each at ms after the start. */
  kills: [NodeJS.Signals, number][];
  crashAt?: ReportStep;
}

const roots: string[] = [];
const newRoot = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  roots.push(d);
  return d;
};
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});
const read = (dir: string) => Object.fromEntries(FILES.map((f) => [f, readFileSync(join(dir, f), "utf8")]));
let oldFiles: Record<string, string>;
let oldDir: string;
let ref: { summary: string; header: string; rows: string[]; events: string[] };

beforeAll(async () => {
  requireBuild();
  const root = newRoot("k8sim-crash-ref-");
  oldDir = join(root, "old");
  expect((await cli(...OLD, "--out", oldDir)).code).toBe(0);
  oldFiles = read(oldDir);
  expect((await cli(...NEW, "--out", join(root, "new"))).code).toBe(0);
  const f = read(join(root, "new"));
  const [header, ...rows] = f["metrics.csv"].trimEnd().split("\n");
  ref = { summary: f["summary.json"], header, rows, events: f["events.jsonl"].trimEnd().split("\n") };
});

/** Checks a whole report of the new run cut at `atMs` against the full run: every file a prefix of it. */
function checkInterrupted(files: Record<string, string>, s: Record<string, any>, sent: string[], what: string): void {
  const i = s.interrupted;
  expect(sent, what).toContain(i.signal);
  expect(i.atMs, what).toBe(s.simulatedMs);
  expect(i.atMs, what).toBeLessThan(DURATION_MS);
  const events = files["events.jsonl"] === "" ? [] : files["events.jsonl"].trimEnd().split("\n");
  expect(events.length, what).toBe(s.totals.kubernetesEvents);
  expect(events, what).toEqual(ref.events.slice(0, events.length));
  const [header, ...rows] = files["metrics.csv"].trimEnd().split("\n");
  expect(header, what).toBe(ref.header);
  expect(rows.length, what).toBe(Math.floor(i.atMs / INTERVAL_MS) + 1 + (i.atMs % INTERVAL_MS ? 1 : 0));
  const onGrid = i.atMs % INTERVAL_MS === 0 ? rows : rows.slice(0, -1);
  expect(onGrid, what).toEqual(ref.rows.slice(0, onGrid.length));
  expect(Number(rows[rows.length - 1].split(",")[1]), what).toBe(i.atMs / 1000);
}

/** What the report folder holds; fails unless it is one whole report (or absent). */
function reportState(report: string, sent: string[], what: string): State {
  if (!existsSync(report)) return "absent";
  expect(readdirSync(report).sort(), what).toEqual(FILES);
  const files = read(report);
  const s = JSON.parse(files["summary.json"]);
  JSON.parse(files["run-info.json"]);
  if (s.seed === 1) {
    for (const f of FILES) expect(files[f], `${what}: ${f}`).toBe(oldFiles[f]);
    return "old";
  }
  expect(s.seed, what).toBe(2);
  if (s.interrupted === null) {
    expect(files["summary.json"], what).toBe(ref.summary);
    expect(files["metrics.csv"].trimEnd().split("\n"), what).toEqual([ref.header, ...ref.rows]);
    expect(files["events.jsonl"].trimEnd().split("\n"), what).toEqual(ref.events);
    return "new";
  }
  checkInterrupted(files, s, sent, what);
  return "interrupted";
}

/** Only the report folder and hidden, k8sim-named temporary folders may exist beside it. */
function checkNothingElseLooksLikeAReport(root: string, what: string): void {
  for (const name of readdirSync(root)) {
    if (name === BASE) continue;
    expect(name, `${what}: ${name} beside the report`).toMatch(new RegExp(`^\\.${BASE}\\.k8sim-(staging|old)-\\d+$`));
  }
}

async function runTrial(t: Trial): Promise<{ state: State; ms: number; code: number | null; signal: string | null }> {
  const root = newRoot("k8sim-crash-");
  const report = join(root, BASE);
  cpSync(oldDir, report, { recursive: true });
  const start = performance.now();
  const child = startCli([...NEW, "--out", report], t.crashAt ? { K8SIM_CRASH_AT: t.crashAt } : {});
  const timers = t.kills.map(([sig, ms]) => setTimeout(() => child.kill(sig), ms));
  const r = await ended(child);
  const ms = performance.now() - start;
  for (const tm of timers) clearTimeout(tm);
  const what = `${t.name} (exit ${r.code ?? r.signal} after ${ms.toFixed(0)} ms; stderr: ${r.stderr.slice(-300)})`;
  const sent = t.kills.map(([s]) => s as string);
  checkNothingElseLooksLikeAReport(root, what);
  const state = reportState(report, sent, what);
  // The exit status agrees with the folder.
  if (r.code === 0) expect(state, what).toBe("new");
  else if (r.code === 130 || r.code === 143) {
    expect(state, what).toBe("interrupted");
    expect(JSON.parse(readFileSync(join(report, "summary.json"), "utf8")).interrupted.signal, what).toBe(r.code === 130 ? "SIGINT" : "SIGTERM");
  } else {
    expect(r.code, what).toBeNull();
    expect([...sent, ...(t.crashAt ? ["SIGKILL"] : [])], what).toContain(r.signal);
  }
  // The next run's start-up removes what a dead run left, and touches nothing else; a report path left empty
  // between the two renames gets the previous report back from its hidden name.
  openReportDir(report).abandon();
  expect(readdirSync(root), what).toEqual([BASE]);
  expect(reportState(report, sent, what), what).toBe(state === "absent" ? "old" : state);
  return { state, ms, code: r.code, signal: r.signal };
}

/** Runs trials `width` at a time (the machine has two cores). */
async function pool<T, R>(items: T[], width: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  }));
  return out;
}

/** Wall ms at which a run starts simulating and has finished writing, measured by the injection trials. */
let window = { start: 800, end: 2000 };

describe("a run killed while it replaces a report", () => {
  it("at each step of the write (K8SIM_CRASH_AT): the old report, nothing, or the new one", async () => {
    const expected: Record<ReportStep, State> = {
      "staging-created": "old",
      partial: "old",
      staged: "old",
      "before-swap": "old",
      "after-old-rename": "absent",
      "after-new-rename": "new",
    };
    const trials = REPORT_STEPS.map((step) => ({ name: `K8SIM_CRASH_AT=${step}`, kills: [], crashAt: step }));
    const results = await pool(trials, 2, runTrial);
    results.forEach((r, i) => {
      expect(r.signal, trials[i].name).toBe("SIGKILL");
      expect(r.state, trials[i].name).toBe(expected[REPORT_STEPS[i]]);
    });
    window = { start: results[0].ms, end: results[REPORT_STEPS.length - 1].ms };
  }, 120_000);

  it("by SIGINT, SIGTERM, SIGKILL and double signals at seeded random moments", async () => {
    const random = seedrandom.alea("k8sim crash-safety 1");
    const { start, end } = window;
    const at = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));
    const trials: Trial[] = [];
    const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGKILL"];
    // A third anywhere in the process's life (start-up and loading included), the rest while it simulates or writes.
    for (let i = 0; i < 9; i++) {
      const sig = signals[i % 3];
      const ms = i < 3 ? at(0, end * 1.1) : at(start, end);
      trials.push({ name: `${sig} at ${ms} ms`, kills: [[sig, ms]] });
    }
    for (const [a, b] of [["SIGTERM", "SIGINT"], ["SIGINT", "SIGKILL"]] as const) {
      const ms = at(start, end);
      const gap = at(1, 40);
      trials.push({ name: `${a} at ${ms} ms, then ${b} ${gap} ms later`, kills: [[a, ms], [b, ms + gap]] });
    }
    const results = await pool(trials, 2, runTrial);
    const states = results.map((r) => r.state);
    // The window sampling must have caught runs mid-simulation, or this test tested nothing.
    expect(states, JSON.stringify(results.map((r, i) => [trials[i].name, r.state, r.code ?? r.signal]))).toContain("interrupted");
    expect(results.some((r) => r.code === 130 || r.code === 143)).toBe(true);
  }, 180_000);
});
