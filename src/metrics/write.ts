import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import type { RunOutcome } from "../run.js";

/** Wall-clock facts of a run: they vary between runs, so they live apart from the byte-identical files. */
export interface RunInfo {
  wallSeconds: number;
  eventsPerSecond: number;
  peakRssBytes: number;
  node: string;
  platform: string;
}

/** The files of a report, in the order they are written. */
export const REPORT_FILES = ["summary.json", "metrics.csv", "events.jsonl", "run-info.json"] as const;

/** Renders the byte-identical report files of an outcome. */
export function renderReport(outcome: RunOutcome): Record<"summary.json" | "metrics.csv" | "events.jsonl", string> {
  return {
    "summary.json": JSON.stringify(outcome.summary, null, 2) + "\n",
    "metrics.csv": stringify([outcome.metricsHeader, ...outcome.metricsRows]),
    "events.jsonl": outcome.events.map((e) => JSON.stringify(e)).join("\n") + (outcome.events.length ? "\n" : ""),
  };
}

/**
 * Writes a report into `dir` (created if needed). Each file is written under a temporary name and renamed when
 * complete, so an interrupted run never leaves a file that looks whole. Returns the paths written.
 */
export function writeReport(dir: string, outcome: RunOutcome, info: RunInfo): string[] {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = { ...renderReport(outcome), "run-info.json": JSON.stringify(info, null, 2) + "\n" };
  const written: string[] = [];
  for (const name of REPORT_FILES) {
    const path = join(dir, name);
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, files[name]);
    renameSync(tmp, path);
    written.push(path);
  }
  return written;
}
