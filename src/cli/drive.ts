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
 * signal is answered at once and that a run cannot allocate its way from the memory limit (85% of the heap by
 * default) past V8's own limit between two checks; long enough that the check and the yield cost nothing
 * measurable.
 */
export const SLICE_MIN_EVENTS = 1_000;
/** See SLICE_MIN_EVENTS. */
export const SLICE_MAX_EVENTS = 50_000;
/** Wall time a slice aims at (ms). */
export const SLICE_TARGET_MS = 25;

/** Share of V8's heap limit that `limits.memory: 0` stands for. */
export const DEFAULT_MEMORY_SHARE = 0.85;

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
  /** Yields to the event loop so signal handlers run (default: one turn, setImmediate). */
  pause?: () => Promise<void>;
}

/** The heap limit in force: `limits.memory` bytes, or for 0 DEFAULT_MEMORY_SHARE of V8's heap_size_limit. */
export function memoryLimitBytes(limitsMemory: number): number {
  return limitsMemory > 0 ? limitsMemory : Math.floor(getHeapStatistics().heap_size_limit * DEFAULT_MEMORY_SHARE);
}

/**
 * Advances `run` until it is done, a signal arrives (the run is then interrupted at its current virtual time) or
 * the heap exceeds the limit (the run is left as it is: the caller writes nothing).
 */
export async function drive(run: RunInProgress, o: DriveOptions): Promise<DriveEnd> {
  const pause = o.pause ?? (() => new Promise<void>((r) => setImmediate(r)));
  const wallMs = o.wallMs ?? (() => Number(process.hrtime.bigint()) / 1e6);
  let slice = o.sliceEvents ?? SLICE_MIN_EVENTS;
  for (;;) {
    await pause();
    const signal = o.signal();
    if (signal !== undefined) {
      run.interrupt({ signal });
      return { kind: "interrupted", signal };
    }
    const t0 = wallMs();
    if (run.advance(slice)) return { kind: "done" };
    if (o.sliceEvents === undefined) slice = nextSlice(slice, wallMs() - t0);
    const heapUsed = o.heapUsed();
    if (heapUsed > o.memoryLimit) return { kind: "memory", heapUsed, limit: o.memoryLimit, atMs: run.now };
  }
}

/** The next slice size: scaled to take SLICE_TARGET_MS at the last slice's rate, at most doubling per step. */
function nextSlice(slice: number, tookMs: number): number {
  const scaled = tookMs > 0 ? Math.round((slice * SLICE_TARGET_MS) / tookMs) : slice * 2;
  return Math.max(SLICE_MIN_EVENTS, Math.min(SLICE_MAX_EVENTS, scaled, slice * 2));
}
