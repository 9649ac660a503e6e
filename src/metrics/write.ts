import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
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

/** Lines of events.jsonl written per write call: large runs have millions of events, too many for one string. */
const EVENT_CHUNK = 10_000;

/**
 * Writes a report into `dir` (created if needed). Every file is first written completely under a temporary name;
 * only then are they renamed into place, one after the other. An interrupted run therefore never leaves a file that
 * looks whole, and a failure while writing leaves the previous report untouched. Returns the paths written.
 */
export function writeReport(dir: string, outcome: RunOutcome, info: RunInfo): string[] {
  mkdirSync(dir, { recursive: true });
  const staged: [tmp: string, path: string][] = [];
  const stage = (name: string, write: (fd: number) => void) => {
    const path = join(dir, name);
    const tmp = `${path}.tmp-${process.pid}`;
    const fd = openSync(tmp, "w");
    try {
      write(fd);
    } finally {
      closeSync(fd);
    }
    staged.push([tmp, path]);
  };
  try {
    stage("summary.json", (fd) => writeSync(fd, JSON.stringify(outcome.summary, null, 2) + "\n"));
    stage("metrics.csv", (fd) => writeSync(fd, stringify([outcome.metricsHeader, ...outcome.metricsRows])));
    stage("events.jsonl", (fd) => {
      const ev = outcome.events;
      for (let i = 0; i < ev.length; i += EVENT_CHUNK) {
        const end = Math.min(ev.length, i + EVENT_CHUNK);
        let chunk = "";
        for (let j = i; j < end; j++) chunk += outcome.eventLine(ev[j]) + "\n";
        writeSync(fd, chunk);
      }
    });
    stage("run-info.json", (fd) => writeSync(fd, JSON.stringify(info, null, 2) + "\n"));
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    throw e;
  }
  for (const [tmp, path] of staged) renameSync(tmp, path);
  return staged.map(([, path]) => path);
}
