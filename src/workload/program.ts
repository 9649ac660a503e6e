/**
 * One run of a container's program: the behavior (./behavior.ts) with every distribution drawn. The kubelet draws a
 * program each time it creates a container (each restart is a new process) from the pod's own seeded stream, and
 * hands it to the container runtime with the container's config, as a real image carries its program.
 */
import type { Rng } from "../engine/rng.js";
import type { BehaviorSpec, MemoryPoint } from "./behavior.js";
import { sample } from "./distribution.js";

/** A drawn program: what this container instance will do (ms, relative to the moment named). */
export interface ContainerProgram {
  /** From StartContainer to running. */
  readonly startLatencyMs: number;
  /** From running to exiting on its own; Infinity: it runs until stopped. */
  readonly runForMs: number;
  /** Its exit code when it ends on its own. */
  readonly exitCode: number;
  /** From SIGTERM to exiting (it is killed with SIGKILL, exit 137, if that is past the grace period). */
  readonly stopAfterMs: number;
  /** From running to the kernel's OOM kill (exit 137, OOMKilled); Infinity: never. */
  readonly oomAfterMs: number;
  /** The behavior it was drawn from (probe windows, logs). */
  readonly spec: BehaviorSpec;
}

/** What a container does where its behavior says nothing (README "Workload behavior"). */
export interface ProgramDefaults {
  /** settings.podStartLatency. */
  readonly startLatencyMs: number;
  /** settings.podStopLatency. */
  readonly stopAfterMs: number;
  /** N s for a `sleep N` command, else Infinity. */
  readonly runForMs: number;
}

/**
 * Draws a program: startLatency, runFor and stopAfter in that order, one draw each that is a distribution (fixed
 * values draw nothing), so a pod's stream gives the same program for the same behavior.
 */
export function drawProgram(spec: BehaviorSpec, defaults: ProgramDefaults, memoryLimitBytes: number | undefined, rng: Rng): ContainerProgram {
  const startLatencyMs = spec.startLatency ? sample(spec.startLatency, rng) : defaults.startLatencyMs;
  const runForMs = spec.runFor ? sample(spec.runFor, rng) : defaults.runForMs;
  const stopAfterMs = spec.stopAfter ? sample(spec.stopAfter, rng) : defaults.stopAfterMs;
  return { startLatencyMs, runForMs, exitCode: spec.exitCode ?? 0, stopAfterMs, oomAfterMs: oomAfter(spec.memory, memoryLimitBytes), spec };
}

/**
 * The first whole ms after the start at which memory use is above `limitBytes` (the cgroup limit: the kernel's OOM
 * killer ends the container then), or Infinity if it never is or there is no limit. Use before the first point is
 * the first point's; between points it is linear; after the last it stays.
 * NOTE: without a memory limit the container is never OOM-killed; node-level memory pressure and eviction are not
 * modelled.
 */
export function oomAfter(points: readonly MemoryPoint[] | undefined, limitBytes: number | undefined): number {
  if (points === undefined || points.length === 0 || limitBytes === undefined) return Infinity;
  if (points[0]!.bytes > limitBytes) return 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (b.bytes <= limitBytes) continue;
    // usage(t) = a.bytes + (b.bytes - a.bytes) (t - a.atMs) / (b.atMs - a.atMs) > limit  <=>  t > crossing.
    const crossing = a.atMs + ((limitBytes - a.bytes) * (b.atMs - a.atMs)) / (b.bytes - a.bytes);
    return Math.floor(crossing) + 1;
  }
  return Infinity;
}
