import { closeSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
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
 * Writes a report into `dir` (created if needed). Each file is written under a temporary name and renamed when
 * complete, so an interrupted run never leaves a file that looks whole. Returns the paths written.
 */
export function writeReport(dir: string, outcome: RunOutcome, info: RunInfo): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const atomically = (name: string, write: (fd: number) => void) => {
    const path = join(dir, name);
    const tmp = `${path}.tmp-${process.pid}`;
    const fd = openSync(tmp, "w");
    try {
      write(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    written.push(path);
  };
  atomically("summary.json", (fd) => writeSync(fd, JSON.stringify(outcome.summary, null, 2) + "\n"));
  atomically("metrics.csv", (fd) => writeSync(fd, stringify([outcome.metricsHeader, ...outcome.metricsRows])));
  atomically("events.jsonl", (fd) => {
    const ev = outcome.events;
    for (let i = 0; i < ev.length; i += EVENT_CHUNK) {
      const end = Math.min(ev.length, i + EVENT_CHUNK);
      let chunk = "";
      for (let j = i; j < end; j++) chunk += outcome.eventLine(ev[j]) + "\n";
      writeSync(fd, chunk);
    }
  });
  atomically("run-info.json", (fd) => writeSync(fd, JSON.stringify(info, null, 2) + "\n"));
  return written;
}
