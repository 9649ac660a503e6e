/**
 * Reads logs.jsonl (reports/README.md, "logs.jsonl"; records in src/logs/records.ts) into pods, their containers
 * and the containers' instances. The file is read in chunks and fed line by line into a LogIndex, which a run in
 * progress can keep feeding (`k8sim logs -f`). A report can be tens of MB, so the index keeps the instances only of
 * the pods a query can name (`keep`), and skips the other start, ready and end records without parsing them.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import type { Horizon, InstanceRecords } from "./lines.js";
import type { LogTemplate, PodRecord, RunRecord } from "./records.js";

/** A pod of the run with its container instances. */
export interface PodEntry {
  readonly record: PodRecord;
  /** Virtual ms it was removed from the API, once its gone record is read. */
  goneAt?: number;
  /** Instances per container name, in start order (the last is the current one). */
  readonly instances: Map<string, InstanceRecords[]>;
}

/** logs.jsonl is not a log file k8sim can read; `line` is the 1-based line, if one is to blame. */
export class LogsFileError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Options of LogIndex. */
export interface IndexOptions {
  /**
   * Which pods to keep the instances of (default: all). Every pod record is still read, so names and their newest
   * uid stay right; the start, ready and end records of the other pods are skipped unparsed.
   */
  keep?: (pod: PodRecord) => boolean;
}

/** The format this reader understands (RunRecord.format). */
export const LOGS_FORMAT = 1;

/** The records of one logs.jsonl, fed line by line (see the file comment). */
export class LogIndex {
  /** The run record (the first line), once read. */
  header: RunRecord | undefined;
  /** Virtual ms of the last time or eof record: how far the run has got (0 before any). */
  horizonAt = 0;
  /** Whether the eof record was read: the run ended and every record is in. */
  eof = false;
  private lineNo = 0;
  private readonly keep: (pod: PodRecord) => boolean;
  private readonly byUid = new Map<string, PodEntry>();
  /** "ns/name" -> uid of the newest pod of that name (kept or not). */
  private readonly byName = new Map<string, string>();
  private readonly instances = new Map<number, InstanceRecords>();

  constructor(opts: IndexOptions = {}) {
    this.keep = opts.keep ?? (() => true);
  }

  /** How far lines are written: up to the eof (inclusive) or the last time mark (exclusive). */
  horizon(): Horizon {
    return { at: this.horizonAt, closed: this.eof };
  }

  /** Epoch ms of virtual time 0 (the header's startTime). */
  startMs(): number {
    return this.header ? Date.parse(this.header.startTime) : 0;
  }

  /** The pod `ns/name` now: the newest pod of that name, unless it is gone. Undefined if none or not kept. */
  pod(ns: string, name: string): PodEntry | undefined {
    const uid = this.byName.get(`${ns}/${name}`);
    const p = uid === undefined ? undefined : this.byUid.get(uid);
    return p && p.goneAt === undefined ? p : undefined;
  }

  /** The kept pods of namespace `ns` now, sorted by name (as the API lists them). */
  podsIn(ns: string): PodEntry[] {
    const out: PodEntry[] = [];
    for (const uid of this.byName.values()) {
      const p = this.byUid.get(uid);
      if (p && p.goneAt === undefined && p.record.ns === ns) out.push(p);
    }
    return out.sort((a, b) => (a.record.name < b.record.name ? -1 : a.record.name > b.record.name ? 1 : 0));
  }

  /** The kept pod of `uid`, gone or not. */
  podByUid(uid: string): PodEntry | undefined {
    return this.byUid.get(uid);
  }

  /** Feeds one line (without its newline). Throws LogsFileError for a line that is not a record. */
  feed(line: string): void {
    this.lineNo++;
    if (line.length === 0) return;
    if (this.header === undefined) {
      this.readHeader(line);
      return;
    }
    // The writer puts "k" first; a line that does not is parsed in full.
    let kind: string;
    if (line.startsWith('{"k":"')) kind = line.slice(6, line.indexOf('"', 6));
    else kind = String((this.parse(line) as { k?: unknown }).k);
    switch (kind) {
      case "pod":
        return this.readPod(this.parse(line));
      case "start": {
        const uid = quickString(line, ',"uid":"');
        if (uid !== undefined && !this.byUid.has(uid)) return;
        return this.readStart(this.parse(line));
      }
      case "ready":
      case "end": {
        const id = quickNumber(line, ',"id":');
        if (id !== undefined && !this.instances.has(id)) return;
        const r = this.parse(line);
        const inst = this.instances.get(num(r, "id", this.lineNo));
        if (!inst) return;
        if (kind === "ready") inst.ready ??= num(r, "at", this.lineNo);
        else inst.end = { at: num(r, "at", this.lineNo), exitCode: num(r, "exitCode", this.lineNo), reason: str(r, "reason", this.lineNo) };
        return;
      }
      case "gone": {
        const r = this.parse(line);
        const p = this.byUid.get(str(r, "uid", this.lineNo));
        if (p) p.goneAt ??= num(r, "at", this.lineNo);
        return;
      }
      case "time":
      case "eof": {
        const r = this.parse(line);
        this.horizonAt = num(r, "at", this.lineNo);
        if (kind === "eof") this.eof = true;
        return;
      }
      default:
        // A record kind a later k8sim added within format 1: nothing this reader needs.
        return;
    }
  }

  private parse(line: string): Record<string, unknown> {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new LogsFileError("not a JSON record", this.lineNo);
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new LogsFileError("not a JSON object", this.lineNo);
    return v as Record<string, unknown>;
  }

  private readHeader(line: string): void {
    let r: Record<string, unknown>;
    try {
      r = this.parse(line);
    } catch {
      throw new LogsFileError("not a k8sim logs file: its first line is not a JSON record", this.lineNo);
    }
    if (r.k !== "run") throw new LogsFileError('not a k8sim logs file: its first line is not the {"k":"run"} header', this.lineNo);
    if (r.format !== LOGS_FORMAT) {
      throw new LogsFileError(`format ${JSON.stringify(r.format)} is not the format ${LOGS_FORMAT} this k8sim reads; read it with the k8sim version that wrote it`, this.lineNo);
    }
    const startTime = str(r, "startTime", this.lineNo);
    if (Number.isNaN(Date.parse(startTime))) throw new LogsFileError(`startTime ${JSON.stringify(startTime)} is not an RFC 3339 time`, this.lineNo);
    this.header = r as unknown as RunRecord;
  }

  private readPod(r: Record<string, unknown>): void {
    const n = this.lineNo;
    const rec: PodRecord = {
      k: "pod",
      at: num(r, "at", n),
      ns: str(r, "ns", n),
      name: str(r, "name", n),
      uid: str(r, "uid", n),
      labels: stringMap(r.labels, "labels", n),
      containers: strings(r.containers, "containers", n),
      ...(r.initContainers !== undefined ? { initContainers: strings(r.initContainers, "initContainers", n) } : {}),
      ...(r.defaultContainer !== undefined ? { defaultContainer: str(r, "defaultContainer", n) } : {}),
    };
    const key = `${rec.ns}/${rec.name}`;
    const old = this.byName.get(key);
    // A newer pod of the same name replaces the old one (whose instances are dropped with it).
    if (old !== undefined && old !== rec.uid) this.dropPod(old);
    this.byName.set(key, rec.uid);
    if (!this.byUid.has(rec.uid) && this.keep(rec)) this.byUid.set(rec.uid, { record: rec, instances: new Map() });
  }

  private dropPod(uid: string): void {
    const p = this.byUid.get(uid);
    if (!p) return;
    for (const list of p.instances.values()) for (const i of list) this.instances.delete(i.id);
    this.byUid.delete(uid);
  }

  private readStart(r: Record<string, unknown>): void {
    const n = this.lineNo;
    const uid = str(r, "uid", n);
    const pod = this.byUid.get(uid);
    if (!pod) return;
    const inst: InstanceRecords = {
      id: num(r, "id", n),
      uid,
      container: str(r, "c", n),
      restart: num(r, "restart", n),
      start: num(r, "at", n),
      ...(r.log !== undefined ? { log: template(r.log, n) } : {}),
    };
    this.instances.set(inst.id, inst);
    let list = pod.instances.get(inst.container);
    if (!list) pod.instances.set(inst.container, (list = []));
    list.push(inst);
  }
}

/** The string value of `"key":"` in a raw line, when it holds no escape; undefined to make the caller parse. */
function quickString(line: string, marker: string): string | undefined {
  const i = line.indexOf(marker);
  if (i < 0) return undefined;
  const from = i + marker.length;
  const to = line.indexOf('"', from);
  if (to < 0) return undefined;
  const v = line.slice(from, to);
  return v.includes("\\") ? undefined : v;
}

/** The integer value of `"key":` in a raw line; undefined to make the caller parse. */
function quickNumber(line: string, marker: string): number | undefined {
  const i = line.indexOf(marker);
  if (i < 0) return undefined;
  let j = i + marker.length;
  let v = 0;
  const from = j;
  for (; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  const c = line[j];
  return j > from && (c === "," || c === "}") ? v : undefined;
}

function bad(line: number, what: string): never {
  throw new LogsFileError(what, line);
}

function num(r: Record<string, unknown>, key: string, line: number): number {
  const v = r[key];
  if (typeof v !== "number" || !Number.isFinite(v)) bad(line, `a ${String(r.k)} record needs a number "${key}"`);
  return v as number;
}

function str(r: Record<string, unknown>, key: string, line: number): string {
  const v = r[key];
  if (typeof v !== "string") bad(line, `a ${String(r.k)} record needs a string "${key}"`);
  return v as string;
}

function strings(v: unknown, key: string, line: number): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) bad(line, `a pod record needs "${key}" as a list of strings`);
  return v as string[];
}

function stringMap(v: unknown, key: string, line: number): Record<string, string> {
  if (v === undefined) return {};
  if (typeof v !== "object" || v === null || Array.isArray(v) || !Object.values(v).every((x) => typeof x === "string")) bad(line, `a pod record needs "${key}" as a map of strings`);
  return v as Record<string, string>;
}

function template(v: unknown, line: number): LogTemplate {
  if (typeof v !== "object" || v === null || Array.isArray(v)) bad(line, 'a start record\'s "log" must be an object');
  const t = v as Record<string, unknown>;
  for (const k of ["line", "start", "ready", "exit"]) if (t[k] !== undefined && typeof t[k] !== "string") bad(line, `a start record's log.${k} must be a string`);
  if (t.every !== undefined && (typeof t.every !== "number" || !(t.every > 0))) bad(line, "a start record's log.every must be a number above 0");
  return t as LogTemplate;
}

const CHUNK = 1 << 20;

/**
 * A logs.jsonl file read from where it was left: `read` feeds every complete line that has arrived since, so a
 * file that a run is still appending to can be read again and again. `finish` feeds a last line without its
 * newline (a finished file may end without one).
 */
export class LogsFileReader {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private readonly decoder = new StringDecoder("utf8");
  private rest = "";
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, "r");
  }

  /** Feeds the complete lines that arrived since the last call; returns the number of bytes read. */
  read(index: LogIndex): number {
    let total = 0;
    for (;;) {
      const n = readSync(this.fd, this.buf, 0, CHUNK, null);
      if (n === 0) return total;
      total += n;
      const text = this.rest + this.decoder.write(this.buf.subarray(0, n));
      let from = 0;
      for (let nl = text.indexOf("\n", from); nl >= 0; nl = text.indexOf("\n", from)) {
        index.feed(text.charCodeAt(nl - 1) === 13 ? text.slice(from, nl - 1) : text.slice(from, nl));
        from = nl + 1;
      }
      this.rest = text.slice(from);
    }
  }

  /** Feeds what is left after the last newline, if anything, and closes the file. */
  finish(index: LogIndex): void {
    this.read(index);
    const last = this.rest + this.decoder.end();
    this.rest = "";
    this.close();
    if (last.trim() !== "") index.feed(last);
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** Reads a whole logs.jsonl into a new LogIndex. Throws LogsFileError, or the file system's error. */
export function readLogsFile(path: string, opts: IndexOptions = {}): LogIndex {
  const index = new LogIndex(opts);
  const r = new LogsFileReader(path);
  try {
    r.finish(index);
  } finally {
    r.close();
  }
  if (index.header === undefined) throw new LogsFileError("empty: not even the run header was written");
  return index;
}
