/**
 * The report folder is replaced as one unit: whole old report, whole new one, or nothing, at every step; folders
 * that are not k8sim reports are refused; a failed write leaves nothing behind; stale temp folders are removed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openReportDir, REPORT_STEPS, tempSibling, type ReportStep } from "../src/metrics/report-dir.js";
import { commitReport, writeReport, type RunInfo } from "../src/metrics/write.js";
import { simulate, type RunOutcome } from "../src/run.js";
import { loadScenario } from "../src/scenario/load.js";

const INFO: RunInfo = { wallSeconds: 0, eventsPerSecond: 0, peakRssBytes: 0, node: "v20", platform: "test" };
const FILES = ["events.jsonl", "faults.csv", "logs.jsonl", "metrics.csv", "run-info.json", "summary.json"];
const tmp = () => mkdtempSync(join(tmpdir(), "k8sim-report-"));

function outcome(seed: number): RunOutcome {
  const r = loadScenario("scenarios/node-failure.yaml", { seed });
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return simulate(r.scenario);
}

/** The seed of the report at `dir`, or "absent"; throws if the folder is not one whole report. */
function reportAt(dir: string): number | "absent" {
  if (!existsSync(dir)) return "absent";
  expect(readdirSync(dir).sort()).toEqual(FILES);
  const s = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
  const events = readFileSync(join(dir, "events.jsonl"), "utf8").split("\n").filter(Boolean);
  expect(events.length).toBe(s.totals.kubernetesEvents);
  return s.seed;
}

/** A process id that is certainly not running: a child that already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

let one: RunOutcome;
let two: RunOutcome;
beforeAll(() => {
  one = outcome(1);
  two = outcome(2);
});

describe("writing a report", () => {
  it("creates the missing folders and leaves nothing but the report", () => {
    const root = tmp();
    const dir = join(root, "a", "b", "report");
    const written = writeReport(dir, one, INFO);
    expect(written.map((p) => basename(p))).toEqual(FILES);
    expect(reportAt(dir)).toBe(1);
    expect(readdirSync(join(root, "a", "b"))).toEqual(["report"]);
  });

  it("replaces an earlier report as a whole, files the new run does not write included", () => {
    const dir = join(tmp(), "r");
    writeReport(dir, one, INFO);
    writeFileSync(join(dir, "logs.jsonl"), "{}\n"); // a report file of a later k8sim version
    writeReport(dir, two, INFO);
    expect(reportAt(dir)).toBe(2);
    expect(readdirSync(dirname(dir))).toEqual(["r"]);
  });

  it("holds the whole old report, the whole new one, or nothing at every step", () => {
    const dir = join(tmp(), "r");
    writeReport(dir, one, INFO);
    const seen: [ReportStep, number | "absent"][] = [];
    writeReport(dir, two, INFO, { onStep: (s) => seen.push([s, reportAt(dir)]) });
    expect(seen).toEqual([
      ["staging-created", 1],
      ["partial", 1],
      ["staged", 1],
      ["before-swap", 1],
      ["after-old-rename", "absent"],
      ["after-new-rename", 2],
    ]);
    expect(seen.map(([s]) => s)).toEqual([...REPORT_STEPS]);
  });

  it("names its temporary folders hidden and k8sim's own, beside the report", () => {
    const dir = join(tmp(), "seed-42");
    for (const kind of ["staging", "old"] as const) {
      const t = tempSibling(dir, kind, 123);
      expect(dirname(t)).toBe(dirname(dir));
      expect(basename(t)).toBe(`.seed-42.k8sim-${kind}-123`);
    }
  });
});

describe("a failed write", () => {
  it("while staging: removes its staging folder and the folders it created, and keeps the old report", () => {
    const root = tmp();
    const dir = join(root, "r");
    writeReport(dir, one, INFO);
    expect(() => writeReport(dir, two, INFO, { onStep: (s) => { if (s === "partial") throw new Error("disk full"); } })).toThrow("disk full");
    expect(reportAt(dir)).toBe(1);
    expect(readdirSync(root)).toEqual(["r"]);
    const fresh = join(root, "x", "y");
    expect(() => writeReport(fresh, two, INFO, { onStep: (s) => { if (s === "staged") throw new Error("disk full"); } })).toThrow("disk full");
    expect(readdirSync(root)).toEqual(["r"]);
  });

  it("during the swap: puts the old report back", () => {
    const root = tmp();
    const dir = join(root, "r");
    writeReport(dir, one, INFO);
    expect(() => writeReport(dir, two, INFO, { onStep: (s) => { if (s === "after-old-rename") throw new Error("EIO"); } })).toThrow("EIO");
    expect(reportAt(dir)).toBe(1);
    expect(readdirSync(root)).toEqual(["r"]);
  });

  it("refuses to swap when a foreign file appeared during the run, and loses nothing", () => {
    const root = tmp();
    const dir = join(root, "r");
    writeReport(dir, one, INFO);
    const report = openReportDir(dir);
    writeFileSync(join(dir, "notes.txt"), "mine");
    expect(() => commitReport(report, two, INFO)).toThrow(/holds notes\.txt/);
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine");
    expect(readdirSync(root)).toEqual(["r"]);
  });
});

describe("folders that are refused", () => {
  it("a folder holding anything but report files, naming what is in the way", () => {
    const dir = tmp();
    writeFileSync(join(dir, "summary.json"), "{}");
    writeFileSync(join(dir, "thesis.tex"), "...");
    expect(() => openReportDir(dir)).toThrow(/holds thesis\.tex, which is not a k8sim report file/);
    const sub = tmp();
    mkdirSync(join(sub, "summary.json"));
    expect(() => openReportDir(sub)).toThrow(/holds the folder summary\.json, which is not a k8sim report file/);
    // Several in the way: the first three are named, the rest counted.
    const many = tmp();
    for (const f of ["a", "b", "c", "d", "e"]) writeFileSync(join(many, f), "");
    expect(() => openReportDir(many)).toThrow(/holds a, b, c and 2 more, which are not k8sim report files; .* or move them away/);
    // A file on the way to the folder.
    writeFileSync(join(many, "file"), "");
    expect(() => openReportDir(join(many, "file", "sub"))).toThrow(/ENOTDIR: a file, not a folder, is in the way on the path to/);
    expect(readdirSync(dirname(dir)).filter((n) => n.includes(basename(dir) + ".k8sim"))).toEqual([]);
  });

  it('"", the working directory and its ancestors', () => {
    const cwd = join(tmp(), "work", "here");
    mkdirSync(cwd, { recursive: true });
    expect(() => openReportDir("")).toThrow(/^empty; name a folder/);
    for (const d of [cwd, dirname(cwd), "/", join(cwd, "..", "..")]) {
      expect(() => openReportDir(d, { cwd }), d).toThrow(/working directory or one of its ancestors/);
    }
    expect(openReportDir(join(cwd, "reports"), { cwd }).staging).toContain(".reports.k8sim-staging-");
  });

  it("a file in the way, a file as an ancestor, and a symbolic link", () => {
    const root = tmp();
    writeFileSync(join(root, "f"), "x");
    expect(() => openReportDir(join(root, "f"))).toThrow(/^EEXIST: a file, not a folder/);
    expect(() => openReportDir(join(root, "f", "r"))).toThrow(/ENOTDIR/);
    mkdirSync(join(root, "real"));
    symlinkSync(join(root, "real"), join(root, "link"));
    expect(() => openReportDir(join(root, "link"))).toThrow(/symbolic link/);
    expect(readdirSync(root).sort()).toEqual(["f", "link", "real"]);
  });

  it.runIf(existsSync("/proc/self"))("/proc/x fails at once with the file system's reason, not a hang", () => {
    expect(() => openReportDir("/proc/x")).toThrow(/ENOENT|EACCES|EPERM/);
    expect(() => openReportDir("/proc/x/y/z")).toThrow(/ENOENT|EACCES|EPERM/);
  });
});

describe("stale temporary files", () => {
  it("of dead runs are removed when a run starts; those of live runs are kept", () => {
    const root = tmp();
    const dir = join(root, "r");
    writeReport(dir, one, INFO);
    const dead = deadPid();
    const live = process.ppid;
    mkdirSync(tempSibling(dir, "staging", dead));
    writeFileSync(join(tempSibling(dir, "staging", dead), "summary.json"), "{}");
    mkdirSync(tempSibling(dir, "old", dead));
    mkdirSync(tempSibling(dir, "staging", live));
    mkdirSync(tempSibling(dir, "staging", process.pid)); // a reused PID: it cannot be ours yet, so it is stale
    mkdirSync(join(root, ".other.k8sim-staging-" + dead)); // another report's: not ours to touch
    writeFileSync(join(dir, `summary.json.tmp-${dead}`), "{}"); // what k8sim 0.1 staged inside the folder
    const report = openReportDir(dir);
    expect(readdirSync(root).sort()).toEqual([basename(tempSibling(dir, "staging", live)), ".other.k8sim-staging-" + dead, basename(report.staging), "r"].sort());
    expect(readdirSync(dir)).not.toContain(`summary.json.tmp-${dead}`);
    commitReport(report, two, INFO);
    expect(reportAt(dir)).toBe(2);
  });

  it("a previous report left under its old name by a run killed between the renames is put back, not deleted", () => {
    const root = tmp();
    const dir = join(root, "r");
    writeReport(dir, one, INFO);
    // What a SIGKILL at after-old-rename leaves: no report folder, the previous report whole under its old name.
    renameSync(dir, tempSibling(dir, "old", deadPid()));
    const report = openReportDir(dir);
    expect(reportAt(dir)).toBe(1);
    report.abandon();
    // A run that fails after that still leaves the previous report in place.
    expect(reportAt(dir)).toBe(1);
    expect(readdirSync(root)).toEqual(["r"]);
  });
});
