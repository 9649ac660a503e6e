/**
 * The runtime model k8sim has always had, behind the CRI-shaped interface of ./cri.ts: every image is already on
 * the node, a pod's containers are Running podStartLatency after they are started, and Exited podStopLatency after
 * they are asked to stop, or sooner if the grace period is shorter.
 */
import type { EventId } from "../../engine/simulation.js";
import type { Settings } from "../../settings.js";
import type {
  ContainerConfig,
  ContainerRuntime,
  ContainerState,
  PodSandboxRef,
  RuntimeContainerStatus,
  RuntimeEvent,
  RuntimeFactory,
  RuntimeHost,
  RuntimeImage,
} from "./cri.js";

/** The settings the fixed-latency runtime reads (on each call, so they are the run's resolved values). */
export type FixedLatencySettings = Pick<Settings, "podStartLatency" | "podStopLatency">;

interface ContainerRecord {
  readonly name: string;
  readonly image: string;
  state: ContainerState;
  readonly createdAt: number;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  /** StartContainer was called and the start has not completed. */
  starting: boolean;
  /** StopContainer was called and the stop has not completed. */
  stopping: boolean;
}

interface SandboxRecord {
  readonly ref: PodSandboxRef;
  readonly containers: ContainerRecord[];
  /** The sandbox's pending completion, if any, what it completes, and when it is due (virtual ms). */
  pending: EventId | undefined;
  pendingKind: "start" | "stop" | undefined;
  dueAt: number;
}

/**
 * A ContainerRuntime with fixed latencies (Settings.podStartLatency and podStopLatency). The containers of one
 * sandbox move together, as the kubelet starts and stops a pod's containers in one pass:
 *
 * - StartContainer: the sandbox's containers started at virtual time t are Running at t + podStartLatency, reported
 *   by one `containersStarted`. A container started later in a sandbox whose start is pending delays that one report
 *   to its own due time.
 * - StopContainer(timeout): the containers are Exited at t + min(podStopLatency, timeout), reported by one
 *   `containersStopped`; a later call with an earlier end brings the report forward, never back. A stop while the
 *   start is pending cancels the start: the containers go from Created to Exited.
 * - ImageStatus finds every image present; PullImage completes at the same virtual instant.
 *
 * NOTE: StopContainer for a container this runtime does not have (a pod the kubelet finds being deleted when it
 * starts, after the node's runtime state was lost with the machine) stops it as if it were running, with the same
 * latency; upstream's runtime would report no such container and the kill would end at once. Kept so that a
 * restarted kubelet stops such pods as it did before the runtime had an interface.
 */
export class FixedLatencyRuntime implements ContainerRuntime {
  private readonly sandboxes = new Map<string, SandboxRecord>();

  constructor(
    private readonly host: RuntimeHost,
    private readonly settings: FixedLatencySettings,
  ) {}

  runPodSandbox(sandbox: PodSandboxRef): void {
    if (!this.sandboxes.has(sandbox.uid)) this.sandboxes.set(sandbox.uid, newSandbox(sandbox));
  }

  removePodSandbox(sandbox: PodSandboxRef): void {
    const sb = this.sandboxes.get(sandbox.uid);
    if (sb === undefined) return;
    if (sb.pending !== undefined) this.host.cancel(sb.pending);
    this.sandboxes.delete(sandbox.uid);
  }

  createContainer(sandbox: PodSandboxRef, config: ContainerConfig): void {
    const sb = this.sandboxes.get(sandbox.uid);
    if (sb === undefined) throw new Error(`CreateContainer ${config.name}: pod ${sandbox.key} has no sandbox (RunPodSandbox first)`);
    if (find(sb, config.name) !== undefined) throw new Error(`CreateContainer ${config.name}: pod ${sandbox.key} already has a container of that name`);
    sb.containers.push(newContainer(config.name, config.image, "Created", this.host.now));
  }

  startContainer(sandbox: PodSandboxRef, name: string): void {
    const sb = this.sandboxes.get(sandbox.uid);
    const c = sb === undefined ? undefined : find(sb, name);
    if (sb === undefined || c === undefined) throw new Error(`StartContainer ${name}: pod ${sandbox.key} has no such container`);
    if (c.state !== "Created" || c.starting) return;
    if (sb.pendingKind === "stop") throw new Error(`StartContainer ${name}: pod ${sandbox.key} is being stopped`);
    c.starting = true;
    const due = this.host.now + this.settings.podStartLatency;
    if (sb.pendingKind === "start") {
      if (due <= sb.dueAt) return;
      this.host.cancel(sb.pending!);
    }
    this.schedule(sb, "start", due);
  }

  stopContainer(sandbox: PodSandboxRef, name: string, timeoutMs: number): void {
    let sb = this.sandboxes.get(sandbox.uid);
    if (sb === undefined) this.sandboxes.set(sandbox.uid, (sb = newSandbox(sandbox)));
    let c = find(sb, name);
    if (c === undefined) {
      // See the NOTE on the class: an unknown container is stopped as a running one.
      c = newContainer(name, "", "Running", this.host.now);
      c.startedAt = this.host.now;
      sb.containers.push(c);
    }
    if (c.state === "Exited") return;
    c.stopping = true;
    const due = this.host.now + Math.min(this.settings.podStopLatency, timeoutMs);
    if (sb.pendingKind === "stop") {
      if (due >= sb.dueAt) return;
      this.host.cancel(sb.pending!);
    } else if (sb.pendingKind === "start") {
      this.host.cancel(sb.pending!);
      for (const x of sb.containers) x.starting = false;
    }
    this.schedule(sb, "stop", due);
  }

  removeContainer(sandbox: PodSandboxRef, name: string): void {
    const sb = this.sandboxes.get(sandbox.uid);
    if (sb === undefined) return;
    const i = sb.containers.findIndex((c) => c.name === name);
    if (i < 0) return;
    sb.containers.splice(i, 1);
    if (sb.containers.length === 0 && sb.pending !== undefined) {
      this.host.cancel(sb.pending);
      sb.pending = sb.pendingKind = undefined;
    }
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
    return { image };
  }

  pullImage(image: string, sandbox: PodSandboxRef): void {
    // Every image is present: the pull completes at the same instant.
    this.host.scheduleAt(this.host.now, { t: "imagePulled", sandbox, image });
  }

  observe(event: RuntimeEvent): void {
    if (event.t === "imagePulled") return;
    const sb = this.sandboxes.get(event.sandbox.uid);
    if (sb === undefined) return;
    const now = this.host.now;
    sb.pending = sb.pendingKind = undefined;
    for (const c of sb.containers) {
      if (event.t === "containersStarted" && c.starting) {
        c.starting = false;
        c.state = "Running";
        c.startedAt = now;
      } else if (event.t === "containersStopped" && c.stopping) {
        c.stopping = false;
        c.state = "Exited";
        c.finishedAt = now;
      }
    }
  }

  private schedule(sb: SandboxRecord, kind: "start" | "stop", due: number): void {
    const event: RuntimeEvent = kind === "start" ? { t: "containersStarted", sandbox: sb.ref } : { t: "containersStopped", sandbox: sb.ref };
    sb.pending = this.host.scheduleAt(due, event);
    sb.pendingKind = kind;
    sb.dueAt = due;
  }
}

/** The fixed-latency runtime as a RuntimeFactory for the kubelet. */
export function fixedLatencyRuntime(settings: FixedLatencySettings): RuntimeFactory {
  return (host) => new FixedLatencyRuntime(host, settings);
}

function newSandbox(ref: PodSandboxRef): SandboxRecord {
  return { ref, containers: [], pending: undefined, pendingKind: undefined, dueAt: 0 };
}

function newContainer(name: string, image: string, state: ContainerState, now: number): ContainerRecord {
  return { name, image, state, createdAt: now, startedAt: undefined, finishedAt: undefined, starting: false, stopping: false };
}

function find(sb: SandboxRecord, name: string): ContainerRecord | undefined {
  for (const c of sb.containers) if (c.name === name) return c;
  return undefined;
}

function snapshot(sandbox: PodSandboxRef, c: ContainerRecord): RuntimeContainerStatus {
  return { sandbox, name: c.name, image: c.image, state: c.state, createdAt: c.createdAt, startedAt: c.startedAt, finishedAt: c.finishedAt };
}
