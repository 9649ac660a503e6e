import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import type { RunOutcome } from "./outcome.js";
import { openReportDir, type OpenOptions, type ReportDir } from "./report-dir.js";

/** Wall-clock facts of a run: they vary between runs, so they live apart from the byte-identical files. */
export interface RunInfo {
  wallSeconds: number;
  eventsPerSecond: number;
  peakRssBytes: number;
  node: string;
  platform: string;
}

/** Lines of events.jsonl written per write call: large runs have millions of events, too many for one string. */
const EVENT_CHUNK = 10_000;

/**
 * Writes the report files into `report.staging` (each one flushed to disk before the next step), calling
 * `report.step` with "partial" after the first and "staged" after the last. Nothing is visible at the report path
 * until `report.commit()`. Throws on a write error, leaving the staging folder for the caller to abandon.
 */
export function stageReport(report: ReportDir, outcome: RunOutcome, info: RunInfo): void {
  const stage = (name: string, write: (fd: number) => void) => {
    // "wx": the staging folder is this process's own, so a file already there means something is badly wrong.
    const fd = openSync(join(report.staging, name), "wx");
    try {
      write(fd);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };
  stage("summary.json", (fd) => writeSync(fd, JSON.stringify(outcome.summary, null, 2) + "\n"));
  report.step("partial");
  stage("metrics.csv", (fd) => writeSync(fd, stringify([outcome.metricsHeader, ...outcome.metricsRows])));
  // Written even when no fault was injected (header only), so a reader need not test for the file.
  stage("faults.csv", (fd) => writeSync(fd, stringify([outcome.faultsHeader, ...outcome.faultsRows])));
  stage("events.jsonl", (fd) => {
    const ev = outcome.events;
    for (let i = 0; i < ev.length; i += EVENT_CHUNK) {
      const end = Math.min(ev.length, i + EVENT_CHUNK);
      let chunk = "";
      for (let j = i; j < end; j++) chunk += outcome.eventLine(ev[j]) + "\n";
      writeSync(fd, chunk);
    }
  });
  // logs.jsonl may be in staging already, streamed while the run went (k8sim logs -f follows it): the rest is appended.
  const logs = openSync(join(report.staging, "logs.jsonl"), "a");
  try {
    writeSync(logs, outcome.takeLogs());
    fsyncSync(logs);
  } finally {
    closeSync(logs);
  }
  stage("run-info.json", (fd) => writeSync(fd, JSON.stringify(info, null, 2) + "\n"));
  report.step("staged");
}

/**
 * Stages the files of `report` and swaps them in as the report folder (src/metrics/report-dir.ts): the folder
 * then holds exactly this run's files. On any failure the staging folder is removed, the previous report stays as
 * it was, and the error is thrown. Returns the paths written.
 */
export function commitReport(report: ReportDir, outcome: RunOutcome, info: RunInfo): string[] {
  try {
    stageReport(report, outcome, info);
  } catch (e) {
    report.abandon();
    throw e;
  }
  return report.commit();
}

/**
 * Writes a report into `dir` in one go (openReportDir, then commitReport): the library form of what `k8sim run`
 * does around its simulation. Throws ReportDirError or the file system's error, leaving nothing behind.
 */
export function writeReport(dir: string, outcome: RunOutcome, info: RunInfo, opts: OpenOptions = {}): string[] {
  return commitReport(openReportDir(dir, opts), outcome, info);
}
