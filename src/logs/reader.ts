/**
 * Reads logs.jsonl (reports/README.md, "logs.jsonl"; records in src/logs/records.ts) into pods, their containers
 * and the containers' instances. The file is read in chunks and fed line by line into a LogIndex, which a run in
 * progress can keep feeding (`k8sim logs -f`). A report can be tens of MB, so the index keeps the instances only of
 * the pods a query can name (`keep`), and looks at the other pods' records as bytes, without decoding or parsing
 * them: the writer (src/logs/recorder.ts) puts every record's keys in a fixed order, which the fast path checks
 * and falls back to a full parse for any line it does not recognise.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { Horizon, InstanceRecords } from "./lines.js";
import type { LogTemplate, PodRecord, RunRecord } from "./records.js";

/** A pod of the run with its container instances. */
export interface PodEntry {
  readonly record: PodRecord;
  /** Virtual ms it was removed from the API, once its gone record is read. */
  goneAt?: number;
  /** Instances per container name, in start order (the last is the current one). */
  readonly instances: Map<string, InstanceRecords[]>;
  /** The last waiting reason recorded per container that had not started (wait records). */
  readonly waiting?: Map<string, string>;
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
  /**
   * A quick test on a pod record's raw line, its namespace and name, that must hold for `keep` to: false lets the
   * reader skip parsing the line. Default: always true.
   */
  mayKeep?: (line: string, ns: string, name: string) => boolean;
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
  private readonly mayKeep: (line: string, ns: string, name: string) => boolean;
  private readonly byUid = new Map<string, PodEntry>();
  /** "ns/name" -> uid of the newest pod of that name (kept or not). */
  private readonly byName = new Map<string, string>();
  private readonly instances = new Map<number, InstanceRecords>();

  constructor(opts: IndexOptions = {}) {
    this.keep = opts.keep ?? (() => true);
    this.mayKeep = opts.mayKeep ?? (() => true);
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

  /**
   * Feeds the line `buf[from, to)` (UTF-8, without its newline). Records of pods the index does not keep are
   * recognised from their bytes and skipped; everything else goes to `feed`.
   */
  feedBytes(buf: Buffer, from: number, to: number): void {
    if (this.header !== undefined && to - from > 12 && matchAt(buf, from, to, K_PREFIX)) {
      const c = from + K_PREFIX.length;
      if (matchAt(buf, c, to, START)) {
        const uid = bytesString(buf, c + START.length, to, UID);
        if (uid !== undefined && !this.byUid.has(uid)) return void this.lineNo++;
      } else if (matchAt(buf, c, to, END) || matchAt(buf, c, to, READY)) {
        const id = bytesNumber(buf, c, to, ID);
        if (id !== undefined && !this.instances.has(id)) return void this.lineNo++;
      }
    }
    this.feed(buf.toString("utf8", from, to));
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
      case "pod": {
        // The writer's key order: k, at, ns, name, uid, labels, ... ; a pod that cannot be kept is only named.
        const m = POD_HEAD.exec(line);
        if (m && !this.mayKeep(line, m[1]!, m[2]!)) return this.namePod(m[1]!, m[2]!, m[3]!, undefined);
        return this.readPod(this.parse(line));
      }
      case "start":
        return this.readStart(this.parse(line));
      case "ready":
      case "end": {
        const r = this.parse(line);
        const inst = this.instances.get(num(r, "id", this.lineNo));
        if (!inst) return;
        if (kind === "ready") inst.ready ??= num(r, "at", this.lineNo);
        else inst.end = { at: num(r, "at", this.lineNo), exitCode: num(r, "exitCode", this.lineNo), reason: str(r, "reason", this.lineNo) };
        return;
      }
      case "wait": {
        const r = this.parse(line);
        const p = this.byUid.get(str(r, "uid", this.lineNo));
        if (p) {
          const w = (p as { waiting?: Map<string, string> }).waiting ?? new Map<string, string>();
          (p as { waiting?: Map<string, string> }).waiting = w;
          w.set(str(r, "c", this.lineNo), str(r, "reason", this.lineNo));
        }
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
    this.namePod(rec.ns, rec.name, rec.uid, this.keep(rec) ? rec : undefined);
  }

  /** Pod `uid` now holds the name ns/name, replacing an older pod of that name; `kept` if its instances are kept. */
  private namePod(ns: string, name: string, uid: string, kept: PodRecord | undefined): void {
    const key = `${ns}/${name}`;
    const old = this.byName.get(key);
    // A newer pod of the same name replaces the old one (whose instances are dropped with it).
    if (old !== undefined && old !== uid) this.dropPod(old);
    this.byName.set(key, uid);
    if (kept && !this.byUid.has(uid)) this.byUid.set(uid, { record: kept, instances: new Map() });
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

const bytes = (s: string) => Buffer.from(s, "latin1");
const K_PREFIX = bytes('{"k":"');
const START = bytes('start"');
const READY = bytes('ready"');
const END = bytes('end"');
const UID = bytes(',"uid":"');
const ID = bytes(',"id":');
/** The head of a pod record as the writer puts it: namespace, name and uid without escapes. */
const POD_HEAD = /^\{"k":"pod","at":[0-9.e+-]+,"ns":"([^"\\]*)","name":"([^"\\]*)","uid":"([^"\\]*)",/;

/** Whether buf[at, to) starts with `m`. */
function matchAt(buf: Buffer, at: number, to: number, m: Buffer): boolean {
  if (to - at < m.length) return false;
  for (let i = 0; i < m.length; i++) if (buf[at + i] !== m[i]) return false;
  return true;
}

/** The first index in [from, to) where `m` starts, or -1. */
function findIn(buf: Buffer, from: number, to: number, m: Buffer): number {
  const first = m[0];
  for (let i = from; i + m.length <= to; i++) if (buf[i] === first && matchAt(buf, i, to, m)) return i;
  return -1;
}

/** The ASCII string after `marker` up to the next quote, in buf[from, to); undefined (parse instead) if unusual. */
function bytesString(buf: Buffer, from: number, to: number, marker: Buffer): string | undefined {
  const i = findIn(buf, from, to, marker);
  if (i < 0) return undefined;
  const a = i + marker.length;
  for (let j = a; j < to; j++) {
    const c = buf[j]!;
    if (c === 0x22) return buf.toString("latin1", a, j);
    if (c === 0x5c || c >= 0x80) return undefined; // an escape or non-ASCII: leave it to JSON.parse
  }
  return undefined;
}

/** The whole number after `marker` in buf[from, to), followed by `,` or `}`; undefined (parse instead) if not. */
function bytesNumber(buf: Buffer, from: number, to: number, marker: Buffer): number | undefined {
  const i = findIn(buf, from, to, marker);
  if (i < 0) return undefined;
  let j = i + marker.length;
  const a = j;
  let v = 0;
  for (; j < to; j++) {
    const c = buf[j]!;
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  return j > a && j - a < 16 && (buf[j] === 0x2c || buf[j] === 0x7d) ? v : undefined;
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
  private buf = Buffer.allocUnsafe(CHUNK);
  /** Bytes at the start of `buf` that follow the last newline fed (a line still being written). */
  private rest = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, "r");
  }

  /** Feeds the complete lines that arrived since the last call; returns the number of bytes read. */
  read(index: LogIndex): number {
    if (this.closed) return 0;
    let total = 0;
    for (;;) {
      if (this.rest === this.buf.length) {
        // One line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(this.buf.length * 2);
        this.buf.copy(bigger, 0, 0, this.rest);
        this.buf = bigger;
      }
      const n = readSync(this.fd, this.buf, this.rest, this.buf.length - this.rest, null);
      if (n === 0) return total;
      total += n;
      const end = this.rest + n;
      let from = 0;
      for (let nl = this.buf.indexOf(10, from); nl >= 0 && nl < end; nl = this.buf.indexOf(10, from)) {
        index.feedBytes(this.buf, from, nl > from && this.buf[nl - 1] === 13 ? nl - 1 : nl);
        from = nl + 1;
      }
      this.buf.copy(this.buf, 0, from, end);
      this.rest = end - from;
    }
  }

  /** Feeds what is left after the last newline, if anything, and closes the file. */
  finish(index: LogIndex): void {
    this.read(index);
    const last = this.buf.toString("utf8", 0, this.rest);
    this.rest = 0;
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
