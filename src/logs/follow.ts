/**
 * Printing log streams: one after another (kubectl logs.go sequentialConsumeRequest), or followed together as a
 * run goes on (parallelConsumeRequest with -f). Following tails a logs.jsonl that a run is still appending to:
 * every time mark that arrives makes the lines before it final, and they are printed; a stream ends when its
 * instance has ended (the kubelet stops a follow when the container stops) and everything ends at the eof record.
 *
 * This is CLI code: following waits on the wall clock (an injected sleep), never the simulation's.
 */
import { formatTimestamp, InstanceLog, type LineSelection, type LogLine } from "./lines.js";
import type { LogIndex, LogsFileReader } from "./reader.js";
import type { LogStream } from "./requests.js";

/** How lines are printed: `[pod/NAME/CONTAINER] ` before each (--prefix), the kubelet's timestamp (--timestamps). */
export interface LineFormat {
  readonly prefix: boolean;
  readonly timestamps: boolean;
  /** Epoch ms of virtual time 0. */
  readonly startMs: number;
}

/** kubectl logs.go addPrefixIfNeeded: `[pod/NAME/CONTAINER] `. */
export function streamPrefix(s: LogStream): string {
  return `[pod/${s.pod.record.name}/${s.container}] `;
}

/** One printed line: what kubectl writes for it (prefix, then the kubelet's timestamp and a space, then the text). */
export function formatLine(line: LogLine, prefix: string, f: LineFormat): string {
  return `${prefix}${f.timestamps ? formatTimestamp(f.startMs, line.at) + " " : ""}${line.text}\n`;
}

/** Collects output and hands it on in pieces of about 64 KiB, so a long log costs few writes. */
export class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly write: (s: string) => void) {}
  /** Adds `s`; hands the pieces on once they reach about 64 KiB. */
  add(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 65536) this.flush();
  }
  /** Hands on whatever was added and not handed on yet. */
  flush(): void {
    if (this.parts.length === 0) return;
    const s = this.parts.join("");
    this.parts = [];
    this.size = 0;
    this.write(s);
  }
}

/** The lines of a stream as of the index's horizon that `sel` picks. */
export function streamLines(s: LogStream & { instance: NonNullable<LogStream["instance"]> }, index: LogIndex, sel: LineSelection): LogLine[] {
  return new InstanceLog(s.instance, { pod: s.pod.record.name, namespace: s.pod.record.ns }, index.horizon()).select(sel);
}

/** Options of followStreams. */
export interface FollowOptions {
  readonly index: LogIndex;
  /** The file the index is fed from; read again at every poll. */
  readonly reader: LogsFileReader;
  /** The streams to follow (every one with an instance). */
  readonly streams: readonly (LogStream & { instance: NonNullable<LogStream["instance"]> })[];
  /** --tail picks the lines already written; --since holds for every line. */
  readonly sel: LineSelection;
  readonly format: LineFormat;
  readonly out: (s: string) => void;
  /** Whether the run writing the file is still alive. */
  readonly writerAlive: () => boolean;
  /** Waits between polls of the file. */
  readonly sleep: () => Promise<void>;
}

/** How following ended: the eof record, every stream's container ended, or the writer died without an eof. */
export type FollowEnd = "eof" | "ended" | "writer-gone";

/**
 * Follows `streams` until they end (see the file comment). Lines of several streams are printed in time order
 * (ties in stream order), each as soon as the run's time marks make it final.
 *
 * NOTE: kubectl interleaves followed streams in whatever order their bytes arrive; k8sim orders them by the
 * virtual time of each line, which is what a real run's arrival order approximates and is the same every time.
 */
export async function followStreams(o: FollowOptions): Promise<FollowEnd> {
  const printed = o.streams.map(() => 0);
  const done = o.streams.map(() => false);
  const prefixes = o.streams.map((s) => (o.format.prefix ? streamPrefix(s) : ""));
  let first = true;
  const emit = (): boolean => {
    const h = o.index.horizon();
    const batch: { at: number; s: number; text: string }[] = [];
    o.streams.forEach((s, i) => {
      if (done[i]) return;
      const log = new InstanceLog(s.instance, { pod: s.pod.record.name, namespace: s.pod.record.ns }, h);
      const from = first ? log.firstSelected(o.sel) : printed[i]!;
      for (let j = from; j < log.count; j++) {
        const line = log.line(j);
        if (o.sel.since !== undefined && line.at < o.sel.since) continue;
        batch.push({ at: line.at, s: i, text: formatLine(line, prefixes[i]!, o.format) });
      }
      printed[i] = log.count;
      const passed = (t: number) => (h.closed ? t <= h.at : t < h.at);
      const end = s.instance.end;
      // A pod replaced by a newer one of its name (no longer in the index) ends its streams too.
      const pod = o.index.podByUid(s.pod.record.uid);
      const gone = pod ? pod.goneAt : -Infinity;
      if (h.closed || (end !== undefined && passed(end.at)) || (gone !== undefined && passed(gone))) done[i] = true;
    });
    first = false;
    batch.sort((a, b) => a.at - b.at || a.s - b.s);
    const w = new ChunkedWriter(o.out);
    for (const b of batch) w.add(b.text);
    w.flush();
    return done.every(Boolean);
  };
  if (emit()) return o.index.eof ? "eof" : "ended";
  for (;;) {
    await o.sleep();
    const n = o.reader.read(o.index);
    if (n === 0 && !o.writerAlive()) {
      // The writer is gone: whatever it wrote last is in the file now.
      o.reader.read(o.index);
      if (emit()) return o.index.eof ? "eof" : "ended";
      return "writer-gone";
    }
    if (n > 0 && emit()) return o.index.eof ? "eof" : "ended";
  }
}
