import type { ApiClock } from "../api/clock.js";
import type { Store, WatchType } from "../api/store.js";
import type { KubeObject } from "../api/types.js";
import { diff, type Json } from "./diff.js";
import { CHANGE_LOG_FORMAT, REDACTED, SEGMENT_MAGIC } from "./format.js";

/** A piece of changes.log text; `segmentStart` (virtual ms) marks a piece that begins a segment. */
export interface ChangePiece {
  readonly text: string;
  readonly segmentStart?: number;
}

/** Options of the recorder. */
export interface ChangeRecorderOptions {
  /** A segment ends once its writes exceed this many characters and twice its snapshot (default 8 Mi). */
  readonly minSegmentChars?: number;
}

const DEFAULT_MIN_SEGMENT_CHARS = 8 * 1024 * 1024;

/** A lease's renewals not written yet. */
interface Renewals {
  firstMs: number;
  lastMs: number;
  lastRv: number;
  text: string;
}

/**
 * The run's write-ahead log of store changes (format.ts): every committed write, in resourceVersion order, from
 * the store's recorder hook. Its size follows the number of changes, not the length of the run: a MODIFIED write
 * costs its changed leaves, a lease renewal about a dozen characters, and a segment's snapshot at most half of the
 * segment (a segment ends once its writes exceed twice its snapshot), so `k8sim get --at` reads one snapshot and at
 * most twice as much again, however long the run.
 *
 * The recorder keeps no copy of the store: it diffs the store's own old and new objects, which the API server
 * never mutates after they are stored (Store.put's contract).
 */
export class ChangeRecorder {
  private pieces: ChangePiece[] = [];
  private buf = "";
  private segmentChars = 0;
  private snapshotChars = 0;
  private readonly renewals = new Map<string, Renewals>();
  /** The last object added in this segment per kind and owner uid: the next sibling is written as a diff from it. */
  private readonly bases = new Map<string, Json>();
  private readonly minSegmentChars: number;

  constructor(
    private readonly store: Store,
    private readonly clock: ApiClock,
    private readonly version: string,
    private readonly startTime: number,
    opts: ChangeRecorderOptions = {},
  ) {
    this.minSegmentChars = opts.minSegmentChars ?? DEFAULT_MIN_SEGMENT_CHARS;
    this.startSegment();
    store.recorder = (type, object, old) => this.record(type, object, old);
  }

  /** The text recorded since the last call, in order (the CLI appends it to changes.log as the run goes). */
  take(): ChangePiece[] {
    this.cut();
    const out = this.pieces;
    this.pieces = [];
    return out;
  }

  /** Writes the renewals still held (the end of the run); take() then returns the rest of the log. */
  finish(): void {
    this.flushRenewals();
  }

  private cut(): void {
    if (this.buf !== "") this.pieces.push({ text: this.buf });
    this.buf = "";
  }

  private record(type: WatchType, object: KubeObject, old: KubeObject | undefined): void {
    const m = object.metadata;
    const ms = this.clock.ms;
    const key = `${object.kind}\t${m.namespace ?? ""}\t${m.name}`;
    let line: string;
    if (type === "ADDED" || old === undefined) {
      const rec = recorded(object);
      const owner = m.ownerReferences?.[0]?.uid;
      const baseKey = owner === undefined ? undefined : `${object.kind}\t${owner}`;
      const base = baseKey === undefined ? undefined : this.bases.get(baseKey);
      line = base === undefined ? `A\t${ms}\t${key}\t${JSON.stringify(rec)}\n` : `B\t${ms}\t${key}\t${owner}\t${JSON.stringify(diff(base, rec))}\n`;
      if (baseKey !== undefined) this.bases.set(baseKey, rec);
    } else if (type === "DELETED") {
      this.flushRenewal(key);
      line = `D\t${ms}\t${key}\n`;
    } else if (object.kind === "Lease" && this.isRenewal(object, old, ms)) {
      this.addRenewal(key, ms, Number(m.resourceVersion));
      return this.maybeRoll();
    } else {
      this.flushRenewal(key);
      const ops = diff(recorded(old), recorded(object));
      line = `M\t${ms}\t${key}\t${JSON.stringify(ops)}\n`;
    }
    this.append(line);
    this.maybeRoll();
  }

  /** A write that changed only the resourceVersion and set renewTime to the write's own time. */
  private isRenewal(obj: KubeObject, old: KubeObject, ms: number): boolean {
    const s = (obj as unknown as { spec?: Record<string, unknown> }).spec;
    const o = (old as unknown as { spec?: Record<string, unknown> }).spec;
    if (!s || !o || s.renewTime !== this.clock.microTime(ms)) return false;
    const sk = Object.keys(s);
    if (sk.length !== Object.keys(o).length) return false;
    for (const k of sk) if (k !== "renewTime" && s[k] !== o[k]) return false;
    const mk = Object.keys(obj.metadata) as (keyof KubeObject["metadata"])[];
    if (mk.length !== Object.keys(old.metadata).length) return false;
    for (const k of mk) if (k !== "resourceVersion" && obj.metadata[k] !== old.metadata[k]) return false;
    return obj.apiVersion === old.apiVersion && Object.keys(obj).length === Object.keys(old).length;
  }

  private addRenewal(key: string, ms: number, rv: number): void {
    const r = this.renewals.get(key);
    if (r === undefined) {
      this.renewals.set(key, { firstMs: ms, lastMs: ms, lastRv: rv, text: `${ms.toString(36)}.${rv.toString(36)}` });
      return;
    }
    r.text += `;${(ms - r.lastMs).toString(36)}.${(rv - r.lastRv).toString(36)}`;
    this.segmentChars += 8;
    r.lastMs = ms;
    r.lastRv = rv;
  }

  private flushRenewal(key: string): void {
    const r = this.renewals.get(key);
    if (r === undefined) return;
    this.renewals.delete(key);
    this.append(`R\t${r.firstMs}\t${key}\t${r.text}\n`);
  }

  private flushRenewals(): void {
    for (const key of [...this.renewals.keys()]) this.flushRenewal(key);
  }

  private append(line: string): void {
    this.buf += line;
    this.segmentChars += line.length;
    if (this.buf.length > 1 << 20) this.cut();
  }

  private maybeRoll(): void {
    if (this.segmentChars > this.minSegmentChars && this.segmentChars > 2 * this.snapshotChars) {
      this.flushRenewals();
      this.startSegment();
    }
  }

  /** Ends the segment in progress and starts one with a snapshot of the store as it is now. */
  private startSegment(): void {
    this.cut();
    this.bases.clear();
    const ms = this.clock.ms;
    this.pieces.push({ segmentStart: ms, text: `${SEGMENT_MAGIC}\t${CHANGE_LOG_FORMAT}\t${this.version}\t${this.startTime}\t${ms}\t${this.store.resourceVersion}\n` });
    let chars = 0;
    for (const kind of this.store.kindNames()) {
      for (const o of this.store.list(kind)) {
        const m = o.metadata;
        const line = `S\t${kind}\t${m.namespace ?? ""}\t${m.name}\t${JSON.stringify(recorded(o))}\n`;
        this.buf += line;
        chars += line.length;
        if (this.buf.length > 1 << 20) this.cut();
      }
    }
    this.cut();
    this.snapshotChars = chars;
    this.segmentChars = 0;
  }
}

/** The object as the log keeps it: a Secret's data values are replaced (secret values never reach a report). */
export function recorded(o: KubeObject): Json {
  if (o.kind !== "Secret") return o as unknown as Json;
  const data = (o as unknown as { data?: Record<string, string> }).data;
  if (data === undefined) return o as unknown as Json;
  const masked: Record<string, string> = {};
  for (const k of Object.keys(data)) masked[k] = REDACTED;
  return { ...(o as unknown as Record<string, Json>), data: masked };
}
