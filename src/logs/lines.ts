/**
 * The log lines of one container instance: a pure function of its records (reports/README.md, "logs.jsonl").
 * Nothing here reads a file or a clock; src/logs/reader.ts builds the InstanceRecords, the CLI prints the lines.
 *
 * The lines of an instance form a sequence in time order (ties: start < ready < periodic < exit), and the lines
 * written by a horizon H are always a prefix of it, so `--tail N` and `--since` pick an index range of the
 * sequence arithmetically instead of expanding a long-running container's every line.
 */
import type { LogTemplate } from "./records.js";

/** One container instance as its records describe it; `ready` and `end` fill in as their records are read. */
export interface InstanceRecords {
  /** The `id` of its start record: unique in the run, increasing with start order. */
  readonly id: number;
  /** The pod's uid. */
  readonly uid: string;
  readonly container: string;
  /** The container's restartCount for this instance (0: the first). */
  readonly restart: number;
  /** Virtual ms of its start record. */
  readonly start: number;
  /** Omitted when the container writes nothing. */
  readonly log?: LogTemplate;
  /** Virtual ms of its first-ready record, once read. */
  ready?: number;
  /** Its end record, once read. */
  end?: { readonly at: number; readonly exitCode: number; readonly reason: string };
}

/** One line of a container's log: virtual ms it was written at, and its text (without the newline). */
export interface LogLine {
  readonly at: number;
  readonly text: string;
}

/** What the template variables `{pod}` and `{namespace}` stand for. */
export interface PodNames {
  readonly pod: string;
  readonly namespace: string;
}

/**
 * How far the run has got: lines at virtual ms <= `at` are written when `closed` (a finished run's eof), lines
 * before `at` only when not (a run in progress: more records at the instant `at` may still come, and a line at
 * `at` could still turn out to be at the container's end, where no periodic line is written).
 */
export interface Horizon {
  readonly at: number;
  readonly closed: boolean;
}

/**
 * Which lines to return, as the kubelet's CRI log reader picks them (pkg/kubelet/kuberuntime/logs/logs.go
 * ReadLogs): first the last `tail` lines written (negative: all), then of those the ones at or after `since`
 * virtual ms (the writer skips a line whose timestamp is Before(since)).
 */
export interface LineSelection {
  /** Lines counted from the end; -1 (or any negative number) for all. */
  readonly tail?: number;
  /** Virtual ms; lines before it are skipped. */
  readonly since?: number;
}

const VARS = /\{(n|pod|namespace|container|restart|exitCode|reason)\}/g;

/**
 * The log of one instance up to a horizon: `count` lines, `line(i)` the i-th in order. A line's number `{n}`
 * counts periodic lines from 1; `{pod}`, `{namespace}`, `{container}` and `{restart}` are the instance's;
 * `{exitCode}` and `{reason}` are its exit's on the exit line. A variable with no value on a line (`{n}` on the
 * start line, `{reason}` before the exit) is empty; any other `{x}` stays as written.
 */
export class InstanceLog {
  /** Lines written by the horizon. */
  readonly count: number;
  private readonly hasStart: boolean;
  private readonly hasReady: boolean;
  private readonly hasExit: boolean;
  /** Periodic lines written by the horizon. */
  private readonly periodic: number;
  /** Periodic lines before the ready line (those strictly earlier than it). */
  private readonly readyAfter: number;
  private readonly every: number;
  private readonly lineParts: readonly string[];
  private readonly texts: { start: string; ready: string; exit: string };

  constructor(
    readonly inst: InstanceRecords,
    names: PodNames,
    horizon: Horizon,
  ) {
    const log = inst.log ?? {};
    const S = inst.start;
    const shown = (t: number) => (horizon.closed ? t <= horizon.at : t < horizon.at);
    const end = inst.end;
    this.hasStart = log.start !== undefined && shown(S);
    this.hasReady = log.ready !== undefined && inst.ready !== undefined && shown(inst.ready);
    this.hasExit = log.exit !== undefined && end !== undefined && shown(end.at);
    const every = log.every ?? 0;
    this.every = every;
    let periodic = 0;
    if (log.line !== undefined && every > 0 && Number.isFinite(every)) {
      // Line n is at S + n*every, for every such time before the end and written by the horizon.
      const byHorizon = horizon.closed ? countAtOrBefore(horizon.at - S, every) : countBefore(horizon.at - S, every);
      periodic = end === undefined ? byHorizon : Math.min(byHorizon, countBefore(end.at - S, every));
    }
    this.periodic = periodic;
    this.readyAfter = this.hasReady ? Math.min(periodic, countBefore(inst.ready! - S, every)) : 0;
    this.count = (this.hasStart ? 1 : 0) + (this.hasReady ? 1 : 0) + periodic + (this.hasExit ? 1 : 0);
    const common: Record<string, string> = { n: "", pod: names.pod, namespace: names.namespace, container: inst.container, restart: String(inst.restart), exitCode: "", reason: "" };
    const fill = (t: string | undefined, vars: Record<string, string>) => (t === undefined ? "" : t.replace(VARS, (_, k: string) => vars[k]!));
    this.texts = {
      start: fill(log.start, common),
      ready: fill(log.ready, common),
      exit: fill(log.exit, end ? { ...common, exitCode: String(end.exitCode), reason: end.reason } : common),
    };
    // The periodic text with every variable but {n} filled in, split at {n}.
    this.lineParts = log.line === undefined ? [""] : log.line.replace(VARS, (m, k: string) => (k === "n" ? m : common[k]!)).split("{n}");
  }

  /** The i-th line (0 <= i < count). */
  line(i: number): LogLine {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`line ${i} of ${this.count}`);
    let j = i;
    if (this.hasStart) {
      if (j === 0) return { at: this.inst.start, text: this.texts.start };
      j--;
    }
    if (this.hasReady) {
      if (j === this.readyAfter) return { at: this.inst.ready!, text: this.texts.ready };
      if (j > this.readyAfter) j--;
    }
    if (j < this.periodic) {
      const n = j + 1;
      return { at: this.inst.start + n * this.every, text: this.lineParts.length === 1 ? this.lineParts[0]! : this.lineParts.join(String(n)) };
    }
    return { at: this.inst.end!.at, text: this.texts.exit };
  }

  /** The index of the first line at or after virtual ms `t` (count if none): lines are in time order. */
  firstAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2); // counts can pass 2^32
      if (this.line(mid).at < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The index of the first line `sel` returns: lines [first, count) are the selection. */
  firstSelected(sel: LineSelection): number {
    const tail = sel.tail ?? -1;
    let first = tail < 0 ? 0 : Math.max(0, this.count - tail);
    if (sel.since !== undefined && first < this.count) first = Math.max(first, this.firstAtOrAfter(sel.since));
    return first;
  }

  /** The lines `sel` picks, in order; costs O(lines returned + log(lines written)). */
  select(sel: LineSelection = {}): LogLine[] {
    const out: LogLine[] = [];
    for (let i = this.firstSelected(sel); i < this.count; i++) out.push(this.line(i));
    return out;
  }
}

/** How many n >= 1 have n*every < span. */
function countBefore(span: number, every: number): number {
  return every > 0 && span > 0 ? Math.ceil(span / every) - 1 : 0;
}

/** How many n >= 1 have n*every <= span. */
function countAtOrBefore(span: number, every: number): number {
  return every > 0 && span > 0 ? Math.floor(span / every) : 0;
}

/** The lines of `inst` written by `horizon` that `sel` picks (see InstanceLog). */
export function instanceLines(inst: InstanceRecords, names: PodNames, horizon: Horizon, sel: LineSelection = {}): LogLine[] {
  return new InstanceLog(inst, names, horizon).select(sel);
}

/**
 * A line's timestamp as `--timestamps` prints it: the kubelet's timeFormatOut, RFC3339NanoFixed
 * "2006-01-02T15:04:05.000000000Z07:00" (pkg/kubelet/kuberuntime/logs/logs.go), in UTC. `startMs` is the
 * run's startTime (epoch ms), `at` the line's virtual ms.
 */
export function formatTimestamp(startMs: number, at: number): string {
  const ms = startMs + at;
  const whole = Math.floor(ms);
  const iso = new Date(whole).toISOString(); // 2026-01-01T00:00:00.000Z
  const nanos = Math.round((ms - whole) * 1e6);
  return `${iso.slice(0, -1)}${String(nanos).padStart(6, "0")}Z`;
}
