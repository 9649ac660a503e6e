import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import type { KubeObject } from "../api/types.js";
import { applyDiff, type DiffOp, type Json } from "./diff.js";
import { CHANGE_INDEX_FILE, CHANGE_LOG_FILE, CHANGE_LOG_FORMAT, SEGMENT_MAGIC } from "./format.js";

/** A change log that cannot be read: the message says why (printed after `k8sim: `, exit code 2). */
export class ChangeLogError extends Error {}

/** One segment of changes.log, from changes.idx. */
interface Segment {
  startMs: number;
  offset: number;
  length: number;
}

/** The header of a segment. */
export interface SegmentHeader {
  version: string;
  /** Epoch ms of virtual time 0. */
  startTime: number;
  startMs: number;
}

/** The store as it was at a virtual time: objects of the kinds asked for, keyed `kind\tnamespace\tname`. */
export interface StateAt {
  readonly header: SegmentHeader;
  readonly objects: Map<string, KubeObject>;
}

function readIndex(dir: string): Segment[] {
  let text: string;
  try {
    text = readFileSync(join(dir, CHANGE_INDEX_FILE), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ChangeLogError(
      code === "ENOENT" ? `${dir} has no ${CHANGE_INDEX_FILE}: it is not a run folder, or it was written by a k8sim without a change log (before 0.1.0's issue 10); run the scenario again` : `cannot read ${join(dir, CHANGE_INDEX_FILE)}: ${(e as Error).message}`,
    );
  }
  const out: Segment[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line === "") continue;
    const f = line.split("\t").map(Number);
    if (f.length !== 3 || f.some((n) => !Number.isSafeInteger(n) || n < 0)) throw new ChangeLogError(`${join(dir, CHANGE_INDEX_FILE)}:${i + 1}: not a segment line (expected <start ms>\\t<offset>\\t<length>)`);
    out.push({ startMs: f[0]!, offset: f[1]!, length: f[2]! });
  }
  if (out.length === 0) throw new ChangeLogError(`${join(dir, CHANGE_INDEX_FILE)} lists no segment`);
  return out;
}

function readSegment(dir: string, seg: Segment): string {
  const path = join(dir, CHANGE_LOG_FILE);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new ChangeLogError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    const buf = Buffer.alloc(seg.length);
    let got = 0;
    while (got < seg.length) {
      const n = readSync(fd, buf, got, seg.length - got, seg.offset + got);
      if (n === 0) throw new ChangeLogError(`${path} is shorter than ${CHANGE_INDEX_FILE} says (truncated?)`);
      got += n;
    }
    return buf.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function parseHeader(line: string, path: string): SegmentHeader {
  const f = line.split("\t");
  if (f[0] !== SEGMENT_MAGIC || f.length !== 6) throw new ChangeLogError(`${path}: not a k8sim change log segment`);
  if (Number(f[1]) !== CHANGE_LOG_FORMAT) throw new ChangeLogError(`${path}: change log format ${f[1]}, this k8sim reads format ${CHANGE_LOG_FORMAT}`);
  return { version: f[2]!, startTime: Number(f[3]), startMs: Number(f[4]) };
}

/** The first segment's header (the k8sim version that wrote the log, virtual time 0). */
export function changeLogHeader(dir: string): SegmentHeader {
  const seg = readIndex(dir)[0]!;
  const text = readSegment(dir, { ...seg, length: Math.min(seg.length, 4096) });
  return parseHeader(text.slice(0, text.indexOf("\n")), join(dir, CHANGE_LOG_FILE));
}

/** metav1.MicroTime of a virtual ms (as src/api/clock.ts microTime writes it). */
function microTime(startTime: number, ms: number): string {
  return new Date(startTime + ms).toISOString().replace(/Z$/, "000Z");
}

/**
 * The objects of `kinds` (all kinds when undefined) as the store held them after every write at or before virtual
 * time `atMs`: the snapshot of the last segment starting at or before it, then that segment's writes up to it.
 * Lines of other kinds are skipped by their kind field, never parsed.
 */
export function stateAt(dir: string, atMs: number, kinds?: ReadonlySet<string>): StateAt {
  const segments = readIndex(dir);
  let seg = segments[0]!;
  for (const s of segments) if (s.startMs <= atMs) seg = s;
  const text = readSegment(dir, seg);
  const path = join(dir, CHANGE_LOG_FILE);
  let pos = text.indexOf("\n");
  if (pos < 0) throw new ChangeLogError(`${path}: segment at byte ${seg.offset} has no header`);
  const header = parseHeader(text.slice(0, pos), path);
  const objects = new Map<string, Json>();
  /** The last object added per kind and first owner uid (B lines are diffs from it). */
  const bases = new Map<string, Json>();
  const baseKey = (kind: string, o: Json) => {
    const uid = (o as { metadata?: { ownerReferences?: { uid?: string }[] } }).metadata?.ownerReferences?.[0]?.uid;
    return uid === undefined ? undefined : `${kind}\t${uid}`;
  };
  const leases = kinds === undefined || kinds.has("Lease");
  /** Past atMs only R lines (which may hold earlier renewals) still matter. */
  let past = false;
  const wanted = (kind: string) => kinds === undefined || kinds.has(kind);
  let lineNo = 1;
  while (pos + 1 < text.length) {
    const start = pos + 1;
    pos = text.indexOf("\n", start);
    if (pos < 0) throw new ChangeLogError(`${path}: the segment at byte ${seg.offset} ends inside a line (truncated?)`);
    lineNo++;
    const op = text[start];
    const t1 = text.indexOf("\t", start);
    if (op === "S") {
      const t2 = text.indexOf("\t", t1 + 1);
      const kind = text.slice(t1 + 1, t2);
      if (!wanted(kind)) continue;
      const t3 = text.indexOf("\t", t2 + 1);
      const t4 = text.indexOf("\t", t3 + 1);
      objects.set(text.slice(t1 + 1, t4), JSON.parse(text.slice(t4 + 1, pos)) as Json);
      continue;
    }
    const t2 = text.indexOf("\t", t1 + 1);
    const ms = Number(text.slice(t1 + 1, t2));
    const t3 = text.indexOf("\t", t2 + 1);
    const kind = text.slice(t2 + 1, t3);
    if (!wanted(kind)) continue;
    const t4 = text.indexOf("\t", t3 + 1);
    const t5 = op === "D" ? pos : text.indexOf("\t", t4 + 1);
    const key = text.slice(t2 + 1, t5);
    if (op === "R") {
      const cur = objects.get(key);
      if (cur === undefined) continue;
      objects.set(key, renewed(cur, text.slice(t5 + 1, pos), atMs, header.startTime));
      continue;
    }
    if (ms > atMs) {
      if (!leases) break;
      past = true;
      continue;
    }
    if (past) throw new ChangeLogError(`${path}: line ${lineNo} of the segment at byte ${seg.offset} is out of time order`);
    if (op === "A" || op === "B") {
      let obj: Json;
      if (op === "A") obj = JSON.parse(text.slice(t5 + 1, pos)) as Json;
      else {
        const t6 = text.indexOf("\t", t5 + 1);
        const base = bases.get(`${kind}\t${text.slice(t5 + 1, t6)}`);
        if (base === undefined) throw new ChangeLogError(`${path}: line ${lineNo} of the segment at byte ${seg.offset} adds ${key.replaceAll("\t", "/")} from a sibling the segment does not hold`);
        obj = applyDiff(base, JSON.parse(text.slice(t6 + 1, pos)) as DiffOp[]);
      }
      const bk = baseKey(kind, obj);
      if (bk !== undefined) bases.set(bk, obj);
      objects.set(key, obj);
    } else if (op === "D") objects.delete(key);
    else if (op === "M") {
      const cur = objects.get(key);
      if (cur === undefined) throw new ChangeLogError(`${path}: line ${lineNo} of the segment at byte ${seg.offset} changes ${key.replaceAll("\t", "/")}, which does not exist then`);
      objects.set(key, applyDiff(cur, JSON.parse(text.slice(t5 + 1, pos)) as DiffOp[]));
    } else throw new ChangeLogError(`${path}: line ${lineNo} of the segment at byte ${seg.offset}: unknown record ${JSON.stringify(op)}`);
  }
  return { header, objects: objects as unknown as Map<string, KubeObject> };
}

/** The lease after the renewals of an R line made at or before `atMs`. */
function renewed(cur: Json, runs: string, atMs: number, startTime: number): Json {
  let ms = 0;
  let rv = 0;
  let last: { ms: number; rv: number } | undefined;
  for (const [i, part] of runs.split(";").entries()) {
    const dot = part.indexOf(".");
    const a = parseInt(part.slice(0, dot), 36);
    const b = parseInt(part.slice(dot + 1), 36);
    ms = i === 0 ? a : ms + a;
    rv = i === 0 ? b : rv + b;
    if (ms > atMs) break;
    last = { ms, rv };
  }
  if (last === undefined) return cur;
  const o = cur as { metadata: Record<string, Json>; spec: Record<string, Json> };
  return { ...o, metadata: { ...o.metadata, resourceVersion: String(last.rv) }, spec: { ...o.spec, renewTime: microTime(startTime, last.ms) } } as Json;
}
