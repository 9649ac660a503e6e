/**
 * Drives a run slice by slice. The simulation is synchronous, so signal handlers and the memory guard only get
 * their turn between slices: the driver yields to the event loop before each slice, then checks for a signal and,
 * after it, the JavaScript heap. Slicing never changes the run (RunInProgress's contract).
 */
import { getHeapStatistics } from "node:v8";
import type { RunInProgress } from "../run.js";

/**
 * Bounds of the slice size (events). Events cost from under 1 µs to over 50 µs each depending on the cluster, so
 * the driver sizes each slice from the last one's wall time to take about SLICE_TARGET_MS: short enough that a
 * signal is answered at once and that a run cannot allocate its way from the memory limit (80% of the old space by
 * default) past V8's own limit between two checks; long enough that the check and the yield cost nothing
 * measurable.
 */
export const SLICE_MIN_EVENTS = 64;
/** See SLICE_MIN_EVENTS. */
export const SLICE_MAX_EVENTS = 50_000;
/** Wall time a slice aims at (ms). */
export const SLICE_TARGET_MS = 25;

/** Wall time (ms) a signal leaves the run to complete its current instant before the report is written as it is. */
export const INTERRUPT_GRACE_MS = 2_000;

/** Share of the old space a configured limits.memory may reach at most: V8 aborts ("ineffective mark-compacts
 *  near heap limit") before the old space is quite full. */
export const MAX_MEMORY_SHARE = 0.9;

/** What V8's heap_size_limit holds beyond the old space (--max-old-space-size): the young generation, three 16 MiB
 *  semi-spaces on 64-bit Node 20 (measured: heap_size_limit = old space + 48 MiB for every --max-old-space-size). */
export const YOUNG_GENERATION_BYTES = 48 * 2 ** 20;

/** Share of the old space (V8's heap limit less the young generation) that `limits.memory: 0` stands for. */
export const DEFAULT_MEMORY_SHARE = 0.8;

/** How a driven run ended: at its duration, by a signal (interrupted at the current time), or by the memory guard. */
export type DriveEnd =
  | { kind: "done" }
  | { kind: "interrupted"; signal: string }
  | { kind: "memory"; heapUsed: number; limit: number; atMs: number };

/** What the driver checks between slices; tests inject each one. */
export interface DriveOptions {
  /** The first signal received so far, if any. */
  signal: () => string | undefined;
  /** JavaScript heap in use (bytes). */
  heapUsed: () => number;
  /** Heap above which the run is stopped (bytes; see memoryLimitBytes). */
  memoryLimit: number;
  /** A fixed number of events per slice (tests); default sized from wall time, see SLICE_MIN_EVENTS. */
  sliceEvents?: number;
  /** Wall clock in ms for sizing slices (default process.hrtime); never reaches the simulation. */
  wallMs?: () => number;
  /** Wall time (ms) to complete the current instant after a signal (default INTERRUPT_GRACE_MS). */
  graceMs?: number;
  /** Yields to the event loop so signal handlers run (default: one turn, setImmediate). */
  pause?: () => Promise<void>;
  /** Called after each slice (the CLI appends the run's new log records to the staging folder). */
  afterSlice?: () => void;
}

/** The old space V8 may grow to (bytes): its heap limit less the young generation. */
export function oldSpaceBytes(): number {
  const heap = getHeapStatistics().heap_size_limit;
  return Math.max(heap - YOUNG_GENERATION_BYTES, heap / 2);
}

/**
 * The heap limit in force: `limits.memory` bytes, or for 0 DEFAULT_MEMORY_SHARE of the old space; never above
 * MAX_MEMORY_SHARE of it, so that neither a scenario nor a flag can ask for a limit V8 would abort before.
 */
export function memoryLimitBytes(limitsMemory: number): number {
  const old = oldSpaceBytes();
  return Math.floor(limitsMemory > 0 ? Math.min(limitsMemory, old * MAX_MEMORY_SHARE) : old * DEFAULT_MEMORY_SHARE);
}

/**
 * Advances `run` until it is done, a signal arrives (the run is then interrupted at its current virtual time) or
 * the heap exceeds the limit (the run is left as it is: the caller writes nothing).
 */
export async function drive(run: RunInProgress, o: DriveOptions): Promise<DriveEnd> {
  const pause = o.pause ?? (() => new Promise<void>((r) => setImmediate(r)));
  const wallMs = o.wallMs ?? (() => Number(process.hrtime.bigint()) / 1e6);
  let slice = o.sliceEvents ?? SLICE_MIN_EVENTS;
  let heapBefore = o.heapUsed();
  for (;;) {
    await pause();
    const signal = o.signal();
    if (signal !== undefined) {
      // Complete the current instant, in slices, for at most INTERRUPT_GRACE_MS: a container runtime sends SIGKILL
      // some seconds after SIGTERM, and the report must be written by then.
      const deadline = wallMs() + (o.graceMs ?? INTERRUPT_GRACE_MS);
      while (!run.advanceInstant(slice) && wallMs() < deadline) await pause();
      run.interrupt({ signal }, 0);
      return { kind: "interrupted", signal };
    }
    const t0 = wallMs();
    const finished = run.advance(slice);
    o.afterSlice?.();
    if (finished) return { kind: "done" };
    const heapUsed = o.heapUsed();
    if (heapUsed > o.memoryLimit) return { kind: "memory", heapUsed, limit: o.memoryLimit, atMs: run.now };
    if (o.sliceEvents === undefined) slice = nextSlice(slice, wallMs() - t0, heapUsed - heapBefore, o.memoryLimit - heapUsed);
    heapBefore = heapUsed;
  }
}

/**
 * The next slice size: scaled to take SLICE_TARGET_MS at the last slice's rate, at most doubling per step, and
 * small enough that, growing the heap as fast as the last slice did, it would use at most a quarter of the headroom
 * left below the memory limit (so the guard stops a run before V8 aborts it, even on a small heap).
 */
function nextSlice(slice: number, tookMs: number, heapGrowth: number, headroom: number): number {
  const scaled = tookMs > 0 ? Math.round((slice * SLICE_TARGET_MS) / tookMs) : slice * 2;
  const byMemory = heapGrowth > 0 ? Math.floor((slice * Math.max(0, headroom)) / (4 * heapGrowth)) : Infinity;
  return Math.max(SLICE_MIN_EVENTS, Math.min(SLICE_MAX_EVENTS, scaled, slice * 2, byMemory));
}
