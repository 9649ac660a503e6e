/**
 * The containers of one running pod instance, as the kubelet's SyncPod drives them (pkg/kubelet/kuberuntime
 * kuberuntime_manager.go SyncPod, kuberuntime_container.go startContainer / killContainer, pkg/kubelet/images
 * image_manager.go EnsureImageExists, pkg/kubelet/prober): what to start comes from the pure plan of ./plan.ts,
 * probes from ./../prober/container-probes.ts, the status from ./pod-status.ts. This class performs: crash-loop and
 * image-pull back-offs, image pulls through the node's puller, container creation with a program drawn from the
 * pod's behavior, probe transitions, kills, and the container Events with upstream's reasons and texts.
 *
 * Events are delivered by the kubelet (runtime completions, timers it schedules through ContainerHost), so every
 * decision happens in an engine event of the kubelet's. Nothing here costs an event per probe period or per log
 * line: a container costs its start, its exit, and the probe transitions and back-off ends that change its state.
 */
import { defaultPullPolicy } from "../../api/defaults/pod.js";
import { fitsNumber, parseQuantity, value as quantityValue } from "../../api/quantity.js";
import type { ApiClock } from "../../api/clock.js";
import type { Container, Pod } from "../../api/types.js";
import { goDurationString } from "../../engine/duration.js";
import type { EventId } from "../../engine/simulation.js";
import type { Rng } from "../../engine/rng.js";
import type { BehaviorSpec } from "../../workload/behavior.js";
import { drawProgram, type ContainerProgram } from "../../workload/program.js";
import type { Backoff } from "./backoff.js";
import type { ImagePuller, PullResult } from "../images/image-puller.js";
import { nextProbeTransition, type ContainerProbes, type ProbeTransition } from "../prober/container-probes.js";
import type { ContainerRuntime, PodSandboxRef } from "../runtime/cri.js";
import { planContainers, type ContainerRole, type ContainerStep, type PlanContainer } from "./plan.js";
import type { LogTemplate } from "../../logs/records.js";
import { CREATE_CONTAINER_CONFIG_ERROR, makeEnvironmentVariables } from "../config/env.js";
import { podConfigRefs, type ConfigObjects } from "../config/refs.js";

/** minimumGracePeriodInSeconds (pkg/kubelet/kuberuntime/kuberuntime_manager.go): killContainer never gives less. */
export const MINIMUM_GRACE_PERIOD_MS = 2_000;

/**
 * How long after a failed image pull the kubelet syncs the pod again (pkg/kubelet/pod_workers.go: a sync that
 * failed is requeued after backOffPeriod, 10s; kubelet.go). A sync inside the pull back-off shows ImagePullBackOff;
 * the pull is retried at the first sync after the back-off.
 * NOTE: upstream jitters the requeue (workerBackOffPeriodJitterFactor 0.5); k8sim does not, so a retry lands
 * exactly when the back-off ends.
 */
export const POD_SYNC_RETRY_MS = 10_000;

/** How a container lost with its node (the runtime's state died with the machine) reads in lastState. */
export const LOST_RUN = Object.freeze({ exitCode: 255, reason: "Unknown" });

/** A terminated state, as status.containerStatuses[].state.terminated and lastState.terminated hold it (ms). */
export interface Run {
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly exitCode: number;
  readonly reason: string;
}

/** The kubelet's record of one container of the pod. */
export interface ContainerTrack {
  readonly index: number;
  readonly name: string;
  readonly role: ContainerRole;
  readonly spec: Container;
  readonly behavior: BehaviorSpec;
  /** How long its program runs when the behavior does not say (`sleep N`), else Infinity. */
  readonly runForMs: number;
  readonly probes: ContainerProbes | undefined;
  step: ContainerStep;
  /** Why it is not running, when the status should say (CrashLoopBackOff, ImagePullBackOff, ...). */
  waiting: { reason: string; message?: string } | undefined;
  restartCount: number;
  /** When the current instance started running. */
  runningSince: number | undefined;
  /** The last finished run and the one before it (state / lastState). */
  lastRun: Run | undefined;
  /** restartCount already counts the restart after lastRun (a run lost with the node). */
  lastRunCounted: boolean;
  runBefore: Run | undefined;
  /** When it counted as started (startup probe passed); undefined while not. */
  startedAt: number | undefined;
  ready: boolean;
  readySince: number;
  /** Whether it turned ready during the current instance (the log's ready line is written once). */
  wasReady: boolean;
  /** Killed for a failed liveness or startup probe (restarted unless restartPolicy Never). */
  probeKill: boolean;
  lastExitProbeKilled: boolean;
  /** The one pending timer (a back-off's end or the next probe transition). */
  timer: EventId | undefined;
  timerKind: "retry" | "probe" | undefined;
  /** The last image pull error (for ImagePullBackOff's message). */
  pullError: string | undefined;
  /** The log record id of the running instance. */
  logId: number | undefined;
  /** Gives up this container's image pull request, while one is pending. */
  cancelPull: (() => void) | undefined;
  program: ContainerProgram | undefined;
}

/** A timer the kubelet delivers back to `PodContainers.timer`. */
export interface ContainerTimer {
  readonly t: "containerTimer";
  readonly pod: PodContainers;
  readonly index: number;
}

/** Where container log records go (src/logs/recorder.ts). */
export interface ContainerLogSink {
  started(uid: string, container: string, restart: number, log: LogTemplate | undefined): number;
  /** A container that has not started waits for a reason worth telling (`k8sim logs` words it as the kubelet). */
  waiting(uid: string, container: string, reason: string): void;
  ready(id: number): void;
  ended(id: number, exitCode: number, reason: string): void;
}

/** What the kubelet's metrics observers learn from a node (src/metrics/collector.ts implements it). */
export interface KubeletObserver {
  /** A successful image pull's own duration (ms). */
  imagePulled(pullMs: number): void;
  /** Every app container of the pod started (the first time); `pullWindowMs`: first pull start to last pull end. */
  podStarted(uid: string, pullWindowMs: number): void;
}

/** What PodContainers needs from its kubelet. */
export interface ContainerHost {
  readonly now: number;
  scheduleTimer(at: number, timer: ContainerTimer): EventId;
  cancel(id: EventId): void;
  readonly runtime: ContainerRuntime;
  readonly puller: ImagePuller;
  readonly crashBackoff: Backoff;
  /** The cluster's clock (status timestamps back to virtual ms). */
  readonly clock: ApiClock;
  readonly imageBackoff: Backoff;
  /** Records an Event about the pod from this kubelet. */
  record(pod: Pod, type: "Normal" | "Warning", reason: string, message: string): void;
  /** The ConfigMaps and Secrets the kubelet sees (its configmap and secret managers), for containers' env. */
  readonly configObjects: ConfigObjects;
  readonly logs: ContainerLogSink | undefined;
  readonly observer: KubeletObserver | undefined;
  /** settings.podStartLatency and podStopLatency. */
  readonly defaultStartMs: number;
  readonly defaultStopMs: number;
  /** The pod's status changed: write it (the kubelet coalesces writes per event). */
  changed(pods: PodContainers): void;
  /** Every container of a pod being deleted has exited. */
  allStopped(pods: PodContainers): void;
  /** The pod is done (Succeeded or Failed) and nothing runs. */
  terminal(pods: PodContainers, phase: "Succeeded" | "Failed"): void;
}

/** Builds the behavior of each container (src/workload: profiles, annotations, `sleep N`). */
export type BehaviorOf = (pod: Pod, container: Container) => { spec: BehaviorSpec; runForMs: number };

/** The containers of one pod instance on a node. */
export class PodContainers {
  readonly tracks: ContainerTrack[];
  /** When the pod's probe workers started (the startup and liveness probe grid). */
  readonly probeAnchor: number;
  /** Set once the pod is done. */
  terminalPhase: "Succeeded" | "Failed" | undefined;
  /** The pod is being deleted: nothing is started again. */
  private stopping = false;
  private stopDeadline = 0;
  /** Whether every app container has run (the startup SLI was recorded). */
  private startRecorded = false;
  private firstPullStart: number | undefined;
  private lastPullEnd: number | undefined;
  private alive = true;
  /** Adopted for a stop only (adoptRunning): no status writes. */
  private quiet = false;
  /** Per track: whether its env reads a ConfigMap or Secret (src/kubelet/config/refs.ts); undefined when none does. */
  readonly envReadsConfig: readonly boolean[] | undefined;

  constructor(
    private readonly host: ContainerHost,
    readonly ref: PodSandboxRef,
    /** The pod as last seen (its status is rewritten from the tracks). */
    public pod: Pod,
    private readonly rng: Rng,
    behaviorOf: BehaviorOf,
    probesOf: (c: Container, b: BehaviorSpec) => ContainerProbes | undefined,
  ) {
    this.probeAnchor = host.now;
    const specs: [Container, ContainerRole][] = [
      ...(pod.spec.initContainers ?? []).map((c): [Container, ContainerRole] => [c, c.restartPolicy === "Always" ? "sidecar" : "init"]),
      ...pod.spec.containers.map((c): [Container, ContainerRole] => [c, "app"]),
    ];
    const previous = [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])];
    const refs = podConfigRefs(pod.spec).envReadsConfig;
    this.envReadsConfig = refs.length > 0 ? refs : undefined;
    this.tracks = specs.map(([c, role], index) => {
      const b = behaviorOf(pod, c);
      const prev = previous.find((s) => s.name === c.name);
      // A container that was running when the node went down was lost with the runtime: it restarts, and that
      // counts as a restart; its status shows the lost run as terminated, reason Unknown, exit code 255.
      const lost: Run | undefined = prev?.state.running
        ? { startedAt: host.clock.parse(prev.state.running.startedAt), finishedAt: host.now, exitCode: LOST_RUN.exitCode, reason: LOST_RUN.reason }
        : undefined;
      return {
        index,
        name: c.name,
        role,
        spec: c,
        behavior: b.spec,
        runForMs: b.runForMs,
        probes: probesOf(c, b.spec),
        step: "new",
        waiting: undefined,
        restartCount: (prev?.restartCount ?? 0) + (lost !== undefined ? 1 : 0),
        runningSince: undefined,
        lastRun: lost,
        lastRunCounted: lost !== undefined,
        runBefore: undefined,
        startedAt: undefined,
        ready: false,
        readySince: 0,
        wasReady: false,
        probeKill: false,
        lastExitProbeKilled: false,
        timer: undefined,
        timerKind: undefined,
        pullError: undefined,
        logId: undefined,
        cancelPull: undefined,
        program: undefined,
      };
    });
  }

  /** Whether the pod has init containers (waiting app containers then show PodInitializing). */
  get hasInit(): boolean {
    return this.tracks.length > 0 && this.tracks[0]!.role !== "app";
  }

  /** SyncPod: starts what the plan says (unless in a back-off), stops what it says, and notices the pod is done. */
  sync(): void {
    if (!this.alive || this.stopping || this.terminalPhase !== undefined) return;
    const plan = planContainers(this.tracks.map(planView), restartPolicy(this.pod));
    let abandoned = false;
    for (const i of plan.stop) abandoned = this.kill(this.tracks[i]!, `Stopping container ${this.tracks[i]!.name}`, this.graceMs(undefined)) || abandoned;
    // A pull given up leaves nothing to wait for: plan again (the pod may be terminal now).
    if (abandoned) return this.sync();
    for (const i of plan.start) this.start(this.tracks[i]!);
    if (plan.terminal !== undefined) {
      this.terminalPhase = plan.terminal;
      for (const t of this.tracks) this.clearTimer(t);
      this.touch();
      this.host.terminal(this, plan.terminal);
    }
  }

  /** The pod is being deleted: every container gets SIGTERM now (sidecars once the app containers are gone). */
  stopAll(graceMs: number): void {
    if (!this.alive) return;
    const grace = Math.max(graceMs, MINIMUM_GRACE_PERIOD_MS);
    // The same deletion seen again (each status write echoes it) changes nothing; only a shorter grace period
    // brings the end forward.
    if (this.stopping && this.host.now + grace >= this.stopDeadline) return;
    this.stopDeadline = this.host.now + grace;
    this.stopping = true;
    for (const t of this.tracks) this.abandonPull(t);
    const appsLive = this.tracks.some((t) => t.role === "app" && live(t));
    for (const t of this.tracks) {
      this.clearTimer(t);
      if (t.step === "new" || t.step === "exited") continue;
      // All Killing events at once, as killContainersWithSyncResult kills every container in parallel; sidecars
      // wait (terminationOrdering) until the app containers are gone.
      if (t.step !== "stopping") this.host.record(this.pod, "Normal", "Killing", `Stopping container ${t.name}`);
      if (t.role === "sidecar" && appsLive) {
        t.step = "stopping";
        continue;
      }
      this.stop(t, this.stopDeadline - this.host.now);
    }
    this.checkStopped();
  }

  /** The runtime reports a container running. */
  onStarted(name: string): void {
    const t = this.track(name);
    if (!t || !this.alive) return;
    const now = this.host.now;
    t.step = this.stopping ? "stopping" : "running";
    t.runningSince = now;
    t.waiting = undefined;
    t.startedAt = undefined;
    t.ready = false;
    t.readySince = now;
    t.wasReady = false;
    this.host.record(this.pod, "Normal", "Started", `Started container ${name}`);
    t.logId = this.host.logs?.started(this.ref.uid, name, t.restartCount, t.behavior.logs);
    this.probe(t);
    this.noteStarted();
    this.touch();
    this.sync();
  }

  /** The runtime reports a container exited. */
  onExited(name: string): void {
    const t = this.track(name);
    if (!t || !this.alive) return;
    const s = this.host.runtime.containerStatus(this.ref, name);
    const now = this.host.now;
    this.clearTimer(t);
    t.runBefore = t.lastRun;
    t.lastRun = { startedAt: t.runningSince ?? now, finishedAt: now, exitCode: s?.exitCode ?? 0, reason: s?.reason ?? "Completed" };
    t.step = "exited";
    t.runningSince = undefined;
    t.startedAt = undefined;
    t.ready = false;
    t.lastExitProbeKilled = t.probeKill;
    t.probeKill = false;
    if (t.logId !== undefined) this.host.logs?.ended(t.logId, t.lastRun.exitCode, t.lastRun.reason);
    t.logId = undefined;
    this.touch();
    if (this.stopping) {
      // The app containers are gone: the sidecars get SIGTERM with what is left of the grace period.
      if (!this.tracks.some((x) => x.role === "app" && live(x))) {
        // killContainer clamps what is left after waitForTurn to minimumGracePeriodInSeconds.
        for (const x of this.tracks) if (x.role === "sidecar" && x.step === "stopping" && !this.hostHasStop(x)) this.stop(x, Math.max(MINIMUM_GRACE_PERIOD_MS, this.stopDeadline - now));
      }
      this.checkStopped();
      return;
    }
    this.sync();
  }

  /** A timer of this pod came due. */
  timer(index: number): void {
    const t = this.tracks[index];
    if (!t || !this.alive) return;
    const kind = t.timerKind;
    t.timer = t.timerKind = undefined;
    if (kind === "retry") this.sync();
    else if (kind === "probe" && t.step === "running" && t.runningSince !== undefined) this.probe(t);
  }

  /** An image arrived in the node's store: containers waiting in ErrImageNeverPull for it start (their next sync). */
  imageArrived(image: string): void {
    if (!this.alive) return;
    if (this.tracks.some((t) => t.waiting?.reason === "ErrImageNeverPull" && t.spec.image === image)) this.sync();
  }

  /** Drops everything (the pod is gone or the node stopped): pending timers are cancelled, callbacks ignored. */
  dispose(): void {
    this.alive = false;
    // The pod's back-off entries go with it (upstream's housekeeping GC): a run with churn would keep them all.
    for (const t of this.tracks) {
      t.cancelPull?.();
      t.cancelPull = undefined;
      this.host.crashBackoff.delete(this.crashKey(t));
      this.host.imageBackoff.delete(`${this.ref.uid}_${t.spec.image}`);
    }
    for (const t of this.tracks) {
      this.clearTimer(t);
      if (t.logId !== undefined) this.host.logs?.ended(t.logId, 137, "ContainerStatusUnknown");
      t.logId = undefined;
    }
  }

  /**
   * Takes the pod's app containers as running without having started them: a pod the kubelet finds being deleted
   * when it starts (the runtime lost them with the machine). Its status is not rewritten; it is only stopped.
   */
  adoptRunning(): void {
    this.quiet = true;
    for (const t of this.tracks) {
      if (t.role !== "app") continue;
      t.step = "running";
      t.runningSince = this.host.now;
    }
  }

  /** The status this kubelet last wrote for the pod (the stored object keeps it), to notice another writer's. */
  writtenStatus: Pod["status"] | undefined;

  /**
   * The status manager's resync after the kubelet was cut off: the status is written again from the tracks, unless
   * they were adopted (`adoptRunning`), whose made-up running state must never reach the API.
   */
  resyncStatus(): void {
    this.touch();
  }

  /** Sets a container's waiting reason; a container that never ran tells the log records why it waits. */
  private setWaiting(t: ContainerTrack, waiting: { reason: string; message?: string }): void {
    if (t.waiting?.reason !== waiting.reason && t.runningSince === undefined && t.lastRun === undefined) this.host.logs?.waiting(this.ref.uid, t.name, waiting.reason);
    t.waiting = waiting;
  }

  /** The status changed: the kubelet writes it at the end of the event. */
  private touch(): void {
    if (!this.quiet) this.host.changed(this);
  }

  /** Whether nothing of the pod runs any more. */
  get allExited(): boolean {
    return this.tracks.every((t) => !live(t));
  }

  /** Whether the pod waits on configuration: it is neither done nor being stopped, and a container's env names a
   *  ConfigMap, Secret or key that does not exist (CreateContainerConfigError). */
  get waitingOnConfig(): boolean {
    if (this.envReadsConfig === undefined || this.stopping || this.terminalPhase !== undefined || !this.alive) return false;
    return this.tracks.some((t) => t.waiting?.reason === CREATE_CONTAINER_CONFIG_ERROR);
  }

  // ----- starting -----------------------------------------------------------------------------------------------

  /** startContainer with doBackOff before it (kuberuntime_manager.go SyncPod step 8 / kuberuntime_container.go). */
  private start(t: ContainerTrack): void {
    if (t.step === "starting" || t.step === "running" || t.step === "stopping" || t.timer !== undefined) return;
    const now = this.host.now;
    // doBackOff looks at the latest exited instance in the pod status its SyncPod started from. A container killed
    // for a failed probe is restarted in the very sync that killed it, so the instance it sees is the one before
    // (none after the first kill: then no back-off at all, and Next is not called).
    let exited = t.lastExitProbeKilled ? t.runBefore : t.lastRun;
    if (exited !== undefined) {
      // The key is the container's, the time its last exit's.
      const key = this.crashKey(t);
      const b = this.host.crashBackoff;
      // The kill's own sync found the run before in back-off: every later sync sees the killed run as the latest.
      if (t.lastExitProbeKilled && b.isInBackOffSince(key, exited.finishedAt, now)) {
        t.lastExitProbeKilled = false;
        exited = t.lastRun!;
      }
      if (b.isInBackOffSince(key, exited.finishedAt, now)) {
        const delay = b.get(key);
        const pod = podFormat(this.pod);
        if (t.waiting?.reason !== "CrashLoopBackOff") {
          this.host.record(this.pod, "Warning", "BackOff", `Back-off restarting failed container ${t.name} in pod ${pod}`);
        }
        t.waiting = { reason: "CrashLoopBackOff", message: `back-off ${goDurationString(delay)} restarting failed container=${t.name} pod=${pod}` };
        this.setTimer(t, "retry", exited.finishedAt + delay);
        this.touch();
        return;
      }
      b.next(key, exited.finishedAt, now);
    }
    this.ensureImage(t);
  }

  /** EnsureImageExists: the pull policy, the image store, the pull back-off, then a pull through the puller. */
  private ensureImage(t: ContainerTrack): void {
    const image = t.spec.image;
    const policy = (t.spec.imagePullPolicy as string | undefined) ?? defaultPullPolicy(image);
    const present = this.host.runtime.imageStatus(image) !== undefined;
    if (present && policy !== "Always") {
      this.host.record(this.pod, "Normal", "Pulled", `Container image ${JSON.stringify(image)} already present on machine`);
      return this.create(t);
    }
    if (policy === "Never") {
      const message = `Container image ${JSON.stringify(image)} is not present with pull policy of Never`;
      if (t.waiting?.reason !== "ErrImageNeverPull") {
        this.host.record(this.pod, "Warning", "ErrImageNeverPull", message);
        this.host.record(this.pod, "Warning", "Failed", "Error: ErrImageNeverPull");
      }
      this.setWaiting(t, { reason: "ErrImageNeverPull", message });
      this.touch();
      return;
    }
    const now = this.host.now;
    const key = `${this.ref.uid}_${image}`;
    const b = this.host.imageBackoff;
    if (b.isInBackOffSinceUpdate(key, now)) {
      const msg = `Back-off pulling image ${JSON.stringify(image)}`;
      this.host.record(this.pod, "Normal", "BackOff", msg);
      this.host.record(this.pod, "Warning", "Failed", "Error: ImagePullBackOff");
      this.setWaiting(t, { reason: "ImagePullBackOff", message: t.pullError === undefined ? msg : `${msg}: ErrImagePull: ${t.pullError}` });
      this.setTimer(t, "retry", Math.min(now + POD_SYNC_RETRY_MS, (b.entry(key)?.lastUpdateMs ?? now) + b.get(key)));
      this.touch();
      return;
    }
    this.host.record(this.pod, "Normal", "Pulling", `Pulling image ${JSON.stringify(image)}`);
    const wasStep = t.step;
    t.step = "starting";
    this.firstPullStart ??= now;
    t.cancelPull = this.host.puller.request(image, (r) => this.pulled(t, wasStep, r));
  }

  private pulled(t: ContainerTrack, wasStep: ContainerStep, r: PullResult): void {
    t.cancelPull = undefined;
    if (!this.alive || t.step !== "starting" || this.stopping) {
      if (this.alive && t.step === "starting") {
        t.step = wasStep;
        this.checkStopped();
      }
      return;
    }
    const image = t.spec.image;
    const now = this.host.now;
    if (r.error !== undefined) {
      this.host.record(this.pod, "Warning", "Failed", `Failed to pull image ${JSON.stringify(image)}: ${r.error}`);
      this.host.record(this.pod, "Warning", "Failed", "Error: ErrImagePull");
      this.host.imageBackoff.next(`${this.ref.uid}_${image}`, now, now);
      t.pullError = r.error;
      this.setWaiting(t, { reason: "ErrImagePull", message: r.error });
      t.step = wasStep;
      this.setTimer(t, "retry", now + POD_SYNC_RETRY_MS);
      this.touch();
      return;
    }
    t.pullError = undefined;
    this.lastPullEnd = now;
    this.host.observer?.imagePulled(r.pullMs);
    this.host.record(
      this.pod,
      "Normal",
      "Pulled",
      `Successfully pulled image ${JSON.stringify(image)} in ${goDurationString(r.pullMs)} (${goDurationString(r.totalMs)} including waiting). Image size: ${r.sizeBytes} bytes.`,
    );
    this.create(t);
  }

  /**
   * CreateContainer and StartContainer, with a program drawn from the pod's stream. First the container's config
   * (generateContainerConfig): its environment (src/kubelet/config/env.ts) from the ConfigMaps and Secrets it names.
   * When one is missing, startContainer fails with ErrCreateContainerConfig: a Warning Failed event `Error: <message>`,
   * the container waits with reason CreateContainerConfigError and that message (no container is created, the
   * restart count stays), and the pod worker's next sync, POD_SYNC_RETRY_MS later, tries again (image check, then
   * the config). The values are dropped here: nothing records them.
   */
  private create(t: ContainerTrack): void {
    if (this.envReadsConfig?.[t.index] === true) {
      const env = makeEnvironmentVariables(this.pod.metadata.namespace ?? "default", t.spec, this.host.configObjects);
      if (!env.ok) return this.configFailed(t, env.message);
    }
    if (t.lastRun !== undefined && !t.lastRunCounted) t.restartCount++;
    t.lastRunCounted = false;
    const limit = t.spec.resources?.limits?.memory;
    const program = drawProgram(
      t.behavior,
      { startLatencyMs: this.host.defaultStartMs, stopAfterMs: this.host.defaultStopMs, runForMs: t.runForMs },
      limit === undefined ? undefined : memoryBytes(limit),
      this.rng,
    );
    t.program = program;
    t.step = "starting";
    const { runtime } = this.host;
    runtime.createContainer(this.ref, { name: t.name, image: t.spec.image, program });
    this.host.record(this.pod, "Normal", "Created", `Created container: ${t.name}`);
    runtime.startContainer(this.ref, t.name);
    if (t.waiting !== undefined) {
      t.waiting = undefined;
      this.touch();
    }
  }

  /** startContainer's CreateContainerConfigError (kuberuntime_container.go): see `create`. */
  private configFailed(t: ContainerTrack, message: string): void {
    this.host.record(this.pod, "Warning", "Failed", `Error: ${message}`);
    this.setWaiting(t, { reason: CREATE_CONTAINER_CONFIG_ERROR, message });
    // Nothing was created: the container is where it was before this start (a pull may have moved it to starting).
    t.step = t.lastRun === undefined ? "new" : "exited";
    this.setTimer(t, "retry", this.host.now + POD_SYNC_RETRY_MS);
    this.touch();
  }

  // ----- probes and kills ---------------------------------------------------------------------------------------

  /** Applies every probe transition due now, then schedules the next one. */
  private probe(t: ContainerTrack): void {
    for (;;) {
      if (t.step !== "running" || t.runningSince === undefined) return;
      const p = t.probes;
      let tr: ProbeTransition | undefined;
      if (p === undefined) tr = t.startedAt === undefined ? { at: this.host.now, t: "started" } : t.ready ? undefined : { at: this.host.now, t: "ready" };
      else tr = nextProbeTransition(p, this.probeAnchor, t.runningSince, { startedAt: t.startedAt, ready: t.ready, readySince: t.readySince });
      if (tr === undefined) return;
      if (tr.at > this.host.now) return this.setTimer(t, "probe", tr.at);
      this.apply(t, tr);
    }
  }

  private apply(t: ContainerTrack, tr: ProbeTransition): void {
    const now = this.host.now;
    switch (tr.t) {
      case "started":
        t.startedAt = now;
        t.readySince = now;
        this.touch();
        // A started sidecar lets the next init container start.
        if (t.role === "sidecar") this.sync();
        return;
      case "ready":
        t.ready = true;
        t.readySince = now;
        if (!t.wasReady && t.logId !== undefined && t.behavior.logs?.ready !== undefined) this.host.logs?.ready(t.logId);
        t.wasReady = true;
        this.touch();
        return;
      case "unready":
        this.host.record(this.pod, "Warning", "Unhealthy", `Readiness probe failed: ${probeOutput(t.spec.readinessProbe, this.pod)}`);
        t.ready = false;
        t.readySince = now;
        this.touch();
        return;
      case "livenessFailed":
      case "startupFailed": {
        const kind = tr.t === "livenessFailed" ? "liveness" : "startup";
        const probe = kind === "liveness" ? t.spec.livenessProbe : t.spec.startupProbe;
        this.host.record(this.pod, "Warning", "Unhealthy", `${kind === "liveness" ? "Liveness" : "Startup"} probe failed: ${probeOutput(probe, this.pod)}`);
        const never = restartPolicy(this.pod) === "Never" && t.role !== "sidecar";
        const who = t.role === "app" ? "Container" : "Init container";
        // computeInitContainerActions words a sidecar's kill without the suffix computePodActions adds.
        const suffix = t.role === "app" && !never ? ", will be restarted" : "";
        const probeGrace = kind === "liveness" ? t.probes?.liveness?.terminationGraceMs : t.probes?.startup?.terminationGraceMs;
        t.probeKill = true;
        this.kill(t, `${who} ${t.name} failed ${kind} probe${suffix}`, this.graceMs(probeGrace));
        return;
      }
    }
  }

  /** killContainer: the Killing event, then StopContainer with the grace period (at least 2s). Returns whether
   *  there was nothing to kill because the container's image was still being pulled (see abandonPull). */
  private kill(t: ContainerTrack, message: string, graceMs: number): boolean {
    if (!live(t) || t.step === "stopping") return false;
    this.clearTimer(t);
    if (this.abandonPull(t)) return true;
    this.host.record(this.pod, "Normal", "Killing", message);
    this.stop(t, Math.max(graceMs, MINIMUM_GRACE_PERIOD_MS));
    return false;
  }

  /**
   * A container whose image is still being pulled does not exist yet: there is nothing to kill (the kubelet kills
   * the pod's running containers only, killPodWithSyncResult, so there is no Killing event and no terminated
   * state), and its pull is given up (the pod worker cancels the sync that waits on it; the puller's answer is
   * ignored, see `pulled`). It goes back to where it was before the pull. Returns whether it was such a container.
   */
  private abandonPull(t: ContainerTrack): boolean {
    if (t.step !== "starting") return false;
    const s = this.host.runtime.containerStatus(this.ref, t.name);
    if (s !== undefined && s.state !== "Exited") return false;
    t.cancelPull?.();
    t.cancelPull = undefined;
    t.step = t.lastRun === undefined ? "new" : "exited";
    return true;
  }

  private stop(t: ContainerTrack, graceMs: number): void {
    t.step = "stopping";
    this.host.runtime.stopContainer(this.ref, t.name, Math.max(0, graceMs));
  }

  /** A sidecar waiting for its turn to stop has no StopContainer call yet. */
  private hostHasStop(t: ContainerTrack): boolean {
    const s = this.host.runtime.containerStatus(this.ref, t.name);
    return s === undefined || s.state === "Exited";
  }

  /** setTerminationGracePeriod: the pod's deletion grace if being deleted, else the probe's, else the pod's. */
  private graceMs(probeGraceMs: number | undefined): number {
    const m = this.pod.metadata;
    if (m.deletionGracePeriodSeconds !== undefined) return m.deletionGracePeriodSeconds * 1000;
    return probeGraceMs ?? (this.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  }

  private checkStopped(): void {
    if (this.stopping && this.allExited) this.host.allStopped(this);
  }

  /** The startup SLI: every app container started at least once (pod_startup_latency_tracker hasPodStartedSLO). */
  private noteStarted(): void {
    if (this.startRecorded) return;
    for (const t of this.tracks) if (t.role === "app" && t.step !== "running") return;
    this.startRecorded = true;
    const window = this.firstPullStart === undefined || this.lastPullEnd === undefined ? 0 : this.lastPullEnd - this.firstPullStart;
    this.host.observer?.podStarted(this.ref.uid, window);
  }

  private setTimer(t: ContainerTrack, kind: "retry" | "probe", at: number): void {
    this.clearTimer(t);
    t.timer = this.host.scheduleTimer(at, { t: "containerTimer", pod: this, index: t.index });
    t.timerKind = kind;
  }

  private clearTimer(t: ContainerTrack): void {
    if (t.timer !== undefined) this.host.cancel(t.timer);
    t.timer = t.timerKind = undefined;
  }

  private track(name: string): ContainerTrack | undefined {
    for (const t of this.tracks) if (t.name === name) return t;
    return undefined;
  }

  /** getStableKey (kuberuntime_utils.go): pod name, namespace, uid and container name. NOTE: upstream adds the
   *  container spec's hash (a changed spec starts a fresh back-off); specs do not change here. */
  private crashKey(t: ContainerTrack): string {
    const m = this.pod.metadata;
    return `${m.name}_${m.namespace}_${m.uid}_${t.name}`;
  }
}

/** Running, starting or stopping: something of it exists in the runtime (or is being pulled for). */
function live(t: ContainerTrack): boolean {
  return t.step === "starting" || t.step === "running" || t.step === "stopping";
}

function planView(t: ContainerTrack): PlanContainer {
  return {
    role: t.role,
    step: t.step,
    exitCode: t.lastRun?.exitCode,
    probeKilled: t.lastExitProbeKilled,
    started: t.startedAt !== undefined,
  };
}

/** The pod's restartPolicy (defaulted to Always by the API). */
export function restartPolicy(pod: Pod): "Always" | "OnFailure" | "Never" {
  return pod.spec.restartPolicy ?? "Always";
}

/** format.Pod: name_namespace(uid), as kubelet messages name a pod. */
export function podFormat(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

/** The output a failing probe of this kind reports (pkg/probe/http, tcp, exec, grpc), as the Unhealthy event ends. */
function probeOutput(probe: unknown, pod: Pod): string {
  const p = (probe ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const ip = pod.status.podIP ?? "";
  if (p.httpGet) return "HTTP probe failed with statuscode: 500";
  if (p.tcpSocket) return `dial tcp ${ip}:${String(p.tcpSocket.port)}: connect: connection refused`;
  if (p.grpc) return `service unhealthy (responded with "NOT_SERVING")`;
  // exec: the command's output, which a failing check often leaves empty.
  return "";
}

/** A memory limit in bytes, undefined if it is not a usable quantity (validation refused those already). */
function memoryBytes(q: unknown): number | undefined {
  const r = parseQuantity(String(q));
  return r.ok && fitsNumber(r.value, false) ? quantityValue(r.value) : undefined;
}
