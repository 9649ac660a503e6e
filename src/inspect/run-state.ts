/**
 * A finished run folder read back for `k8sim get` and `k8sim describe`: its summary, the virtual time asked for,
 * the objects of a kind as the store held them then (from changes.log, src/changelog/reader.ts) and the Events
 * recorded up to then (events.jsonl).
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import type { EventRecord } from "../api/events.js";
import type { KubeObject } from "../api/types.js";
import { ChangeLogError, changeLogHeader, stateAt } from "../changelog/reader.js";
import { formatDuration, parseDuration } from "../engine/duration.js";
import { K8SIM_VERSION } from "../version.js";

/** The folder or a flag cannot be used: `message` is printed after `k8sim: `, exit code 2. */
export class InspectError extends Error {}

/** A run folder opened for reading. */
export interface RunFolder {
  /** The folder as the user named it (for messages). */
  readonly dir: string;
  /** Virtual ms the run reached (summary.json simulatedMs: less than the duration for an interrupted run). */
  readonly endMs: number;
  /** Epoch ms of virtual time 0. */
  readonly startTime: number;
  readonly scenario: string;
  readonly seed: number;
}

const HINT = "name a report folder such as reports/<scenario>/seed-<seed>";

/** Opens `dir` as a run folder written by this k8sim version; throws InspectError saying what is wrong. */
export function openRunFolder(dir: string): RunFolder {
  const shown = dir.replace(/\/+$/, "") || dir;
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new InspectError(`${shown}: no such run folder (${HINT})`);
  }
  if (!st.isDirectory()) throw new InspectError(`${shown} is a file, not a run folder (${HINT})`);
  let summary: Record<string, unknown>;
  try {
    summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as Record<string, unknown>;
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === "ENOENT";
    throw new InspectError(missing ? `${shown} is not a k8sim run folder: it has no summary.json (${HINT})` : `${shown}/summary.json is not valid JSON: ${(e as Error).message}`);
  }
  const version = summary.k8simVersion;
  if (version !== K8SIM_VERSION) {
    throw new InspectError(`${shown} was written by k8sim ${typeof version === "string" ? version : "(unknown version)"}; this is k8sim ${K8SIM_VERSION}, which reads only its own run folders: run the scenario again with this version`);
  }
  let header;
  try {
    header = changeLogHeader(dir);
  } catch (e) {
    if (e instanceof ChangeLogError) throw new InspectError(e.message);
    throw e;
  }
  if (header.version !== K8SIM_VERSION) throw new InspectError(`${shown}/changes.log was written by k8sim ${header.version}; this is k8sim ${K8SIM_VERSION}`);
  const endMs = summary.simulatedMs;
  if (typeof endMs !== "number") throw new InspectError(`${shown}/summary.json has no simulatedMs`);
  const scenario = (summary.scenario as { name?: unknown } | undefined)?.name;
  return { dir: shown, endMs, startTime: header.startTime, scenario: typeof scenario === "string" ? scenario : "", seed: Number(summary.seed) };
}

/** The virtual ms of `--at` (the run's end when not given); throws InspectError for a bad or out-of-run time. */
export function resolveAt(run: RunFolder, at: string | undefined): number {
  if (at === undefined) return run.endMs;
  if (/^\s*-/.test(at)) throw new InspectError(`--at ${at}: a virtual time cannot be before 0 (the start of the run)`);
  const d = parseDuration(at);
  if (!d.ok) throw new InspectError(`--at ${at}: ${d.error}`);
  if (d.value > run.endMs) throw new InspectError(`--at ${at}: after the end of the run in ${run.dir} (it reached ${formatDuration(run.endMs)})`);
  return d.value;
}

/** Objects of `kind` at `atMs`, sorted by namespace then name (the API server lists in etcd key order). */
export function objectsAt(run: RunFolder, atMs: number, kind: string): KubeObject[] {
  return objectsOfKinds(run, atMs, [kind]).get(kind)!;
}

/** Objects of several kinds at `atMs` in one pass over the change log, each kind's sorted as objectsAt sorts. */
export function objectsOfKinds(run: RunFolder, atMs: number, kinds: readonly string[]): Map<string, KubeObject[]> {
  let state;
  try {
    state = stateAt(run.dir, atMs, new Set(kinds));
  } catch (e) {
    if (e instanceof ChangeLogError) throw new InspectError(e.message);
    throw e;
  }
  const out = new Map<string, KubeObject[]>(kinds.map((k) => [k, []]));
  for (const o of state.objects.values()) out.get(o.kind)?.push(o);
  for (const list of out.values()) list.sort(byNamespaceAndName);
  return out;
}

/** Orders by namespace, then name, as etcd's keys order a LIST. */
export function byNamespaceAndName(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? "";
  const bn = b.metadata.namespace ?? "";
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** Bytes read from events.jsonl at a time: the file of a long run is larger than a JavaScript string can be. */
const EVENTS_CHUNK = 16 * 1024 * 1024;
/** Bytes read to find one line's time during the binary search (an events.jsonl line is well under this; tests
 *  pass a smaller figure to exercise the search on a small file). */
const PROBE_BYTES = 64 * 1024;
const SIM_TIME_PREFIX = '{"simTime":';

/** The simTime of the first line starting after byte `pos` (or at 0), or undefined at the end of the file. */
function firstTimeAfter(fd: number, pos: number, size: number, probe: number): { time: number; start: number } | undefined {
  const buf = Buffer.alloc(probe);
  const n = readSync(fd, buf, 0, probe, pos);
  let start = 0;
  if (pos > 0) {
    const nl = buf.indexOf(10);
    if (nl < 0 || nl + 1 >= n) return undefined;
    start = nl + 1;
  }
  if (pos + start >= size) return undefined;
  const head = buf.toString("latin1", start, Math.min(n, start + 40));
  if (!head.startsWith(SIM_TIME_PREFIX)) return undefined;
  const time = parseInt(head.slice(SIM_TIME_PREFIX.length), 10);
  return Number.isFinite(time) ? { time, start: pos + start } : undefined;
}

/** The byte offset of the first line with simTime > atMs (lines are in time order): a binary search over offsets. */
function endOffset(fd: number, size: number, atMs: number, probeBytes: number): number {
  let lo = 0;
  let hi = size;
  // Invariant: every line starting before lo is at or before atMs; the first line after hi's line start is later.
  while (hi - lo > probeBytes) {
    const mid = Math.floor((lo + hi) / 2);
    const probe = firstTimeAfter(fd, mid, size, probeBytes);
    if (probe === undefined || probe.time > atMs) hi = mid;
    else lo = mid;
  }
  // From lo, step line by line to the first later one (at most PROBE_BYTES more to read, plus one line).
  for (let pos = lo; ; ) {
    const probe = firstTimeAfter(fd, pos, size, probeBytes);
    if (probe === undefined) return size;
    if (probe.time > atMs) return probe.start;
    pos = probe.start;
    if (pos === 0) pos = 1;
  }
}

/**
 * The Events recorded at or before `atMs`, in the order recorded (events.jsonl, read in chunks up to that time,
 * found by a binary search since lines are in time order). With `about`, only the Events whose involvedObject has
 * that kind and name: lines are searched for the name's bytes and only those are decoded. describe needs one
 * object's, and the recorder's correlation is per object, so filtering first changes nothing it computes.
 */
export function eventsUntil(run: RunFolder, atMs: number, about?: { kind: string; name: string }, probeBytes = PROBE_BYTES): EventRecord[] {
  const path = join(run.dir, "events.jsonl");
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new InspectError(`cannot read ${run.dir}/events.jsonl: ${(e as Error).message}`);
  }
  const out: EventRecord[] = [];
  const needle = about === undefined ? undefined : Buffer.from(`"name":${JSON.stringify(about.name)}`);
  const parse = (line: string, where: number): EventRecord => {
    try {
      return JSON.parse(line) as EventRecord;
    } catch {
      throw new InspectError(`${run.dir}/events.jsonl: a line at or after byte ${where} is not JSON`);
    }
  };
  try {
    const size = fstatSync(fd).size;
    const end = endOffset(fd, size, atMs, probeBytes);
    // The part line a chunk ends with is moved to the buffer's start and the next chunk read after it.
    let buf = Buffer.alloc(EVENTS_CHUNK);
    let carried = 0;
    for (let pos = 0; pos < end; ) {
      if (carried === buf.length) {
        const bigger = Buffer.alloc(buf.length * 2);
        buf.copy(bigger, 0, 0, carried);
        buf = bigger;
      }
      const n = readSync(fd, buf, carried, Math.min(buf.length - carried, end - pos), pos);
      if (n === 0) break;
      const base = pos - carried;
      pos += n;
      const chunk = buf.subarray(0, carried + n);
      const last = chunk.lastIndexOf(10);
      const whole = last < 0 ? 0 : last + 1;
      const next = chunk.length - whole;
      if (needle === undefined) {
        for (const line of chunk.toString("utf8", 0, whole).split("\n")) if (line !== "") out.push(parse(line, base));
      } else {
        for (let hit = chunk.indexOf(needle); hit >= 0 && hit < whole; ) {
          const from = chunk.lastIndexOf(10, hit) + 1;
          const to = chunk.indexOf(10, hit);
          const e = parse(chunk.toString("utf8", from, to), base + from);
          if (e.involvedObject.kind === about!.kind && e.involvedObject.name === about!.name) out.push(e);
          hit = chunk.indexOf(needle, to);
        }
      }
      buf.copy(buf, 0, whole, chunk.length);
      carried = next;
    }
    if (carried > 0 && end === size) throw new InspectError(`${run.dir}/events.jsonl: the last line is incomplete (truncated?)`);
    return out;
  } finally {
    closeSync(fd);
  }
}
