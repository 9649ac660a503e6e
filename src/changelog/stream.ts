import { closeSync, fsyncSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { CHANGE_INDEX_FILE, CHANGE_LOG_FILE } from "./format.js";
import type { ChangePiece } from "./recorder.js";

/**
 * Writes a run's change log into a report's staging folder as the run goes: changes.log appended piece by piece,
 * and at `close` changes.idx with each segment's byte range. The first error stops the stream; `close` throws it,
 * so the report is not committed with a log that lacks writes.
 */
export class ChangeLogStream {
  private fd: number | undefined;
  private bytes = 0;
  private readonly segments: { startMs: number; offset: number }[] = [];
  private error: unknown;

  constructor(private readonly dir: string) {}

  /** Appends pieces (RunInProgress.takeChanges). */
  append(pieces: readonly ChangePiece[]): void {
    if (this.error !== undefined || pieces.length === 0) return;
    try {
      this.fd ??= openSync(join(this.dir, CHANGE_LOG_FILE), "wx");
      for (const p of pieces) {
        if (p.segmentStart !== undefined) this.segments.push({ startMs: p.segmentStart, offset: this.bytes });
        const buf = Buffer.from(p.text);
        let off = 0;
        while (off < buf.length) off += writeSync(this.fd, buf, off);
        this.bytes += buf.length;
      }
    } catch (e) {
      this.error = e;
    }
  }

  /** Closes changes.log and writes changes.idx; throws the first error met. */
  close(): void {
    try {
      if (this.fd !== undefined) {
        fsyncSync(this.fd);
        closeSync(this.fd);
      }
    } catch (e) {
      this.error ??= e;
    }
    this.fd = undefined;
    if (this.error !== undefined) throw this.error;
    let idx = "";
    this.segments.forEach((s, i) => {
      const end = i + 1 < this.segments.length ? this.segments[i + 1]!.offset : this.bytes;
      idx += `${s.startMs}\t${s.offset}\t${end - s.offset}\n`;
    });
    writeFileSync(join(this.dir, CHANGE_INDEX_FILE), idx, { flag: "wx" });
  }

  /** Closes the file after a failed run (the staging folder is being removed). */
  abandon(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // The folder goes anyway.
      }
    }
    this.fd = undefined;
  }
}
