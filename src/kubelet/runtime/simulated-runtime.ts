/**
 * k8sim's container runtime (containerd's part, behind the CRI-shaped interface of ./cri.ts): each container runs
 * the program its config carries (src/workload/program.ts), and the node keeps an image store that pulls fill.
 *
 * - StartContainer at t: Running at t + program.startLatencyMs (`containerStarted`); the program then exits on its
 *   own at start + runForMs with its exit code (Completed for 0, Error otherwise), or the kernel kills it at start +
 *   oomAfterMs (exit 137, OOMKilled), whichever is first (`containerExited`).
 * - StopContainer(timeout) at t: SIGTERM; the program exits at t + stopAfterMs with exit code 0 (it handled the
 *   signal), or is killed with SIGKILL at t + timeout (exit 137, Error) if that is sooner; an exit already due
 *   sooner keeps its time. A container not running yet exits at once (137, Error).
 * - PullImage: the image is present after the registry's pull time (./image-registry.ts); a pull of an image the
 *   registry lacks fails. The store survives the kubelet stopping (the node's disk outlives the machine's failure).
 *
 * A container's completions are the kubelet's events (RuntimeHost), one pending completion per container.
 *
 * NOTE: StopContainer for a container this runtime does not have (a pod the kubelet finds being deleted when it
 * starts, after the node's runtime state was lost with the machine) stops it as if it were running, taking the
 * default stop time; upstream's runtime would report no such container and the kill would end at once. Kept so that
 * a restarted kubelet stops such pods as it did before the runtime was modelled.
 */
import type { EventId } from "../../engine/simulation.js";
import type { Rng } from "../../engine/rng.js";
import type { ContainerProgram } from "../../workload/program.js";
import type {
  ContainerConfig,
  ContainerRuntime,
  ContainerState,
  ExitReason,
  PodSandboxRef,
  RuntimeContainerStatus,
  RuntimeEvent,
  RuntimeFactory,
  RuntimeHost,
  RuntimeImage,
} from "./cri.js";
import type { ImageRegistry } from "./image-registry.js";

/** SIGKILL's exit status (128 + 9), as the runtime reports a killed container. */
export const SIGKILL_EXIT_CODE = 137;

interface ContainerRecord {
  readonly name: string;
  readonly image: string;
  readonly program: ContainerProgram;
  state: ContainerState;
  readonly createdAt: number;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  exitCode: number | undefined;
  reason: ExitReason | undefined;
  /** The pending completion (start or exit), its time, and the exit it will report. */
  pending: EventId | undefined;
  dueAt: number;
  dueExitCode: number;
  dueReason: ExitReason;
}

interface SandboxRecord {
  readonly ref: PodSandboxRef;
  readonly containers: ContainerRecord[];
}

/** What the runtime needs from the run: the registry, the node's preloaded images, the stream pull times draw from. */
export interface SimulatedRuntimeOptions {
  readonly registry: ImageRegistry;
  /** Images in the node's store from the start (the pool's preloadedImages). */
  readonly preloaded: readonly string[];
  /** The node's stream for drawn pull times. */
  readonly rng: Rng;
  /** The stop time of a container the runtime does not know (see the NOTE on the file): settings.podStopLatency. */
  readonly unknownStopMs: number;
}

/** A ContainerRuntime running containers' programs (see the file comment). */
export class SimulatedRuntime implements ContainerRuntime {
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly images = new Map<string, RuntimeImage>();
  /** Pulls in flight, by image, with their pending completion. */
  private readonly pulls = new Map<string, EventId>();

  constructor(
    private readonly host: RuntimeHost,
    private readonly opts: SimulatedRuntimeOptions,
  ) {
    for (const image of opts.preloaded) this.images.set(image, { image, sizeBytes: opts.registry.sizeOf(image) });
  }

  runPodSandbox(sandbox: PodSandboxRef): void {
    if (!this.sandboxes.has(sandbox.uid)) this.sandboxes.set(sandbox.uid, { ref: sandbox, containers: [] });
  }

  removePodSandbox(sandbox: PodSandboxRef): void {
    const sb = this.sandboxes.get(sandbox.uid);
    if (sb === undefined) return;
    for (const c of sb.containers) this.cancel(c);
    this.sandboxes.delete(sandbox.uid);
  }

  createContainer(sandbox: PodSandboxRef, config: ContainerConfig): void {
    const sb = this.sandboxes.get(sandbox.uid);
    if (sb === undefined) throw new Error(`CreateContainer ${config.name}: pod ${sandbox.key} has no sandbox (RunPodSandbox first)`);
    const old = find(sb, config.name);
    // A restart creates a new container of the same name; the exited one is removed (the kubelet's container GC).
    if (old !== undefined) {
      if (old.state !== "Exited") throw new Error(`CreateContainer ${config.name}: pod ${sandbox.key} has a live container of that name`);
      sb.containers.splice(sb.containers.indexOf(old), 1);
    }
    sb.containers.push(newContainer(config.name, config.image, config.program, "Created", this.host.now));
  }

  startContainer(sandbox: PodSandboxRef, name: string): void {
    const c = this.container(sandbox, name);
    if (c === undefined) throw new Error(`StartContainer ${name}: pod ${sandbox.key} has no such container`);
    if (c.state !== "Created" || c.pending !== undefined) return;
    c.pending = this.host.scheduleAt(this.host.now + c.program.startLatencyMs, { t: "containerStarted", sandbox: this.sandboxes.get(sandbox.uid)!.ref, name });
    c.dueAt = this.host.now + c.program.startLatencyMs;
  }

  stopContainer(sandbox: PodSandboxRef, name: string, timeoutMs: number): void {
    let sb = this.sandboxes.get(sandbox.uid);
    if (sb === undefined) this.sandboxes.set(sandbox.uid, (sb = { ref: sandbox, containers: [] }));
    let c = find(sb, name);
    if (c === undefined) {
      // See the NOTE on the file: an unknown container is stopped as a running one.
      const program: ContainerProgram = { startLatencyMs: 0, runForMs: Infinity, exitCode: 0, stopAfterMs: this.opts.unknownStopMs, oomAfterMs: Infinity, spec: {} };
      c = newContainer(name, "", program, "Running", this.host.now);
      c.startedAt = this.host.now;
      sb.containers.push(c);
    }
    if (c.state === "Exited") return;
    const now = this.host.now;
    if (c.state === "Created") {
      this.cancel(c);
      return this.exitAt(sb, c, now, SIGKILL_EXIT_CODE, "Error");
    }
    const graceful = c.program.stopAfterMs <= timeoutMs;
    const at = now + (graceful ? c.program.stopAfterMs : timeoutMs);
    if (c.pending !== undefined && c.dueAt <= at) return;
    this.cancel(c);
    this.exitAt(sb, c, at, graceful ? 0 : SIGKILL_EXIT_CODE, graceful ? "Completed" : "Error");
  }

  removeContainer(sandbox: PodSandboxRef, name: string): void {
    const sb = this.sandboxes.get(sandbox.uid);
    const c = sb === undefined ? undefined : find(sb, name);
    if (c === undefined) return;
    this.cancel(c);
    sb!.containers.splice(sb!.containers.indexOf(c), 1);
  }

  containerStatus(sandbox: PodSandboxRef, name: string): RuntimeContainerStatus | undefined {
    const sb = this.sandboxes.get(sandbox.uid);
    const c = sb === undefined ? undefined : find(sb, name);
    return c === undefined ? undefined : snapshot(sb!.ref, c);
  }

  listContainers(sandbox?: PodSandboxRef): RuntimeContainerStatus[] {
    const out: RuntimeContainerStatus[] = [];
    const list = sandbox === undefined ? this.sandboxes.values() : [this.sandboxes.get(sandbox.uid)];
    for (const sb of list) if (sb !== undefined) for (const c of sb.containers) out.push(snapshot(sb.ref, c));
    return out;
  }

  imageStatus(image: string): RuntimeImage | undefined {
    return this.images.get(image);
  }

  pullImage(image: string): void {
    const r = this.opts.registry.pull(image, this.opts.rng, this.host.now);
    this.pulls.set(image, this.host.scheduleAt(this.host.now + r.durationMs, { t: "imagePulled", image, error: r.error }));
  }

  registryReachable(image: string): boolean {
    return this.opts.registry.reachable(image, this.host.now);
  }

  cancelPull(image: string): void {
    const id = this.pulls.get(image);
    if (id !== undefined) this.host.cancel(id);
    this.pulls.delete(image);
  }

  abortPulls(): void {
    for (const id of this.pulls.values()) this.host.cancel(id);
    this.pulls.clear();
  }

  exitNow(sandbox: PodSandboxRef, name: string, exitCode: number): boolean {
    const sb = this.sandboxes.get(sandbox.uid);
    const c = sb === undefined ? undefined : find(sb, name);
    if (c === undefined || c.state !== "Running") return false;
    // An exit already due now keeps its code: the program ended on its own first.
    if (c.pending !== undefined && c.dueAt <= this.host.now) return false;
    this.cancel(c);
    this.exitAt(sb!, c, this.host.now, exitCode, exitCode === 0 ? "Completed" : "Error");
    return true;
  }

  observe(event: RuntimeEvent): void {
    const now = this.host.now;
    if (event.t === "imagePulled") {
      this.pulls.delete(event.image);
      if (event.error === undefined) this.images.set(event.image, { image: event.image, sizeBytes: this.opts.registry.sizeOf(event.image) });
      return;
    }
    const sb = this.sandboxes.get(event.sandbox.uid);
    const c = sb === undefined ? undefined : find(sb, event.name);
    if (c === undefined) return;
    c.pending = undefined;
    if (event.t === "containerStarted") {
      c.state = "Running";
      c.startedAt = now;
      // The program's own end: it exits, or the kernel kills it for memory, whichever comes first.
      const { runForMs, oomAfterMs, exitCode } = c.program;
      if (oomAfterMs <= runForMs && oomAfterMs !== Infinity) this.exitAt(sb!, c, now + oomAfterMs, SIGKILL_EXIT_CODE, "OOMKilled");
      else if (runForMs !== Infinity) this.exitAt(sb!, c, now + runForMs, exitCode, exitCode === 0 ? "Completed" : "Error");
    } else {
      c.state = "Exited";
      c.finishedAt = now;
      c.exitCode = c.dueExitCode;
      c.reason = c.dueReason;
    }
  }

  private exitAt(sb: SandboxRecord, c: ContainerRecord, at: number, exitCode: number, reason: ExitReason): void {
    c.pending = this.host.scheduleAt(at, { t: "containerExited", sandbox: sb.ref, name: c.name });
    c.dueAt = at;
    c.dueExitCode = exitCode;
    c.dueReason = reason;
  }

  private cancel(c: ContainerRecord): void {
    if (c.pending !== undefined) this.host.cancel(c.pending);
    c.pending = undefined;
  }

  private container(sandbox: PodSandboxRef, name: string): ContainerRecord | undefined {
    const sb = this.sandboxes.get(sandbox.uid);
    return sb === undefined ? undefined : find(sb, name);
  }
}

/** The simulated runtime as a RuntimeFactory for the kubelet. */
export function simulatedRuntime(opts: SimulatedRuntimeOptions): RuntimeFactory {
  return (host) => new SimulatedRuntime(host, opts);
}

function newContainer(name: string, image: string, program: ContainerProgram, state: ContainerState, now: number): ContainerRecord {
  return {
    name,
    image,
    program,
    state,
    createdAt: now,
    startedAt: undefined,
    finishedAt: undefined,
    exitCode: undefined,
    reason: undefined,
    pending: undefined,
    dueAt: 0,
    dueExitCode: 0,
    dueReason: "Completed",
  };
}

function find(sb: SandboxRecord, name: string): ContainerRecord | undefined {
  for (const c of sb.containers) if (c.name === name) return c;
  return undefined;
}

function snapshot(sandbox: PodSandboxRef, c: ContainerRecord): RuntimeContainerStatus {
  return {
    sandbox,
    name: c.name,
    image: c.image,
    state: c.state,
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    finishedAt: c.finishedAt,
    exitCode: c.exitCode,
    reason: c.reason,
  };
}
