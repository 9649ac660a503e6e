import type { ControlPlane } from "../api/control-plane.js";
import { getCondition } from "../api/pod-util.js";
import { nodeAllocatable, podRequests } from "../api/resources.js";
import type { Job } from "../api/batch/types.js";
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION } from "../controllers/cronjob/job-from-template.js";
import { finishedCondition } from "../controllers/job/conditions.js";
import type { Deployment, Node, Pod, PodPhase } from "../api/types.js";
import type { Endpoints } from "../api/service/types.js";
import type { Context } from "../engine/simulation.js";
import type { KubeletObserver } from "../kubelet/containers/pod-containers.js";

/**
 * The waiting reasons metrics.csv counts containers by: kube-state-metrics' kube_pod_container_status_waiting_reason
 * reasons, and PodInitializing and ErrImageNeverPull, which the kubelet also reports.
 */
export const WAITING_REASONS = [
  "ContainerCreating",
  "PodInitializing",
  "CrashLoopBackOff",
  "ErrImagePull",
  "ImagePullBackOff",
  "ErrImageNeverPull",
  "CreateContainerConfigError",
  "CreateContainerError",
  "InvalidImageName",
] as const;

/** Fixed columns of metrics.csv, in order; per-Deployment columns follow (see reports/README.md). */
export const METRIC_COLUMNS = [
  "time",
  "elapsed_seconds",
  "nodes_ready",
  "nodes_not_ready",
  "pods_pending",
  "pods_running",
  "pods_succeeded",
  "pods_failed",
  "pods_unknown",
  "pods_terminating",
  "pods_unscheduled",
  "pods_unschedulable",
  "scheduler_pending_pods_active",
  "scheduler_pending_pods_backoff",
  "scheduler_pending_pods_unschedulable",
  "cpu_requested_cores",
  "cpu_allocatable_cores",
  "memory_requested_bytes",
  "memory_allocatable_bytes",
  "container_restarts_total",
  ...WAITING_REASONS.map((r) => `containers_waiting:${r}` as const),
  "jobs_active",
  "jobs_succeeded_total",
  "jobs_failed_total",
  "pods_waiting_config",
] as const;

/** Source of the kubelets' gauge of pods waiting on a ConfigMap or Secret (env or volume). */
export interface ConfigWaitGauge {
  podsWaitingOnConfig(): number;
}

/** Source of the scheduler's queue gauges (scheduler_pending_pods{queue}). */
export interface QueueGauge {
  queueCounts(): { active: number; backoff: number; unschedulable: number };
}

/** What the collector tracks per pod to undo its contribution on the next change. */
interface PodMark {
  phase: PodPhase;
  terminating: boolean;
  unscheduled: boolean;
  unschedulable: boolean;
  /** Requests counted against nodes (bound, not terminal). */
  cpu: number;
  mem: number;
  /** Containers (init ones too) waiting, by index into WAITING_REASONS; -1 entries are other reasons. */
  waiting: number[];
  /** Sum of its containers' restartCount. */
  restarts: number;
}

const PHASES: PodPhase[] = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];

/**
 * Samples the cluster every metrics interval into rows for metrics.csv, and records pod startup latencies.
 *
 * Every gauge is kept incrementally from the store's watch (exact at the instant of the sample, no informer lag),
 * so a sample costs O(columns), not O(pods): a 150,000-pod cluster sampled every 10s for a day stays cheap.
 * Per-Deployment available replicas (kube_deployment_status_replicas_available) get one column per Deployment
 * ever seen, in order of creation.
 */
export class MetricsCollector implements KubeletObserver {
  private readonly ctx: Context<null>;
  private readonly marks = new Map<string, PodMark>();
  private readonly phaseCount = new Map<PodPhase, number>(PHASES.map((p) => [p, 0]));
  private terminating = 0;
  private unscheduled = 0;
  private unschedulable = 0;
  private cpuRequested = 0;
  private memRequested = 0;
  private readonly nodeReady = new Map<string, boolean>();
  private readyNodes = 0;
  private cpuAllocatable = 0;
  private memAllocatable = 0;
  private readonly createdAt = new Map<string, number>();
  /** Pods the API server created (replacements included). */
  podsCreated = 0;
  /** Pod startup latencies (ms): creation to every container started (kubelet_pod_start_duration_seconds). */
  readonly startupLatencies: number[] = [];
  /** The same less the pod's image pulling window: the pod startup SLI (kubelet_pod_start_sli_duration_seconds). */
  readonly startupSliLatencies: number[] = [];
  /** Each successful image pull's own duration (ms). */
  readonly imagePullDurations: number[] = [];
  private readonly waitingCount = WAITING_REASONS.map(() => 0);
  private restartsTotal = 0;
  /** Pods that turned Succeeded / Failed (each pod once). */
  podsSucceeded = 0;
  podsFailed = 0;
  /** Jobs that exist and have not finished; Jobs that turned Complete / Failed (each once). */
  private jobsActive = 0;
  jobsCreated = 0;
  jobsSucceeded = 0;
  jobsFailed = 0;
  /** The Jobs seen, by uid: whether each has finished (counted once). */
  private readonly jobFinished = new Map<string, boolean>();
  /** Each finished Job's run: status.startTime to completionTime, or to its Failed condition (ms). */
  readonly jobDurations: number[] = [];
  /** Each CronJob-created Job's lag: its creation less its scheduled time (ms). */
  readonly cronJobTickLags: number[] = [];
  /** Rows of fixed columns, one per sample. */
  readonly rows: (string | number)[][] = [];
  /** Per-Deployment available replicas per sample ("namespace/name" -> value per row; undefined before it existed). */
  readonly deployments = new Map<string, (number | undefined)[]>();
  /** Per-Deployment desired replicas per sample, for availability. */
  readonly desired = new Map<string, (number | undefined)[]>();
  /** Each Endpoints object's addresses now ("namespace/name" -> [ready, not ready]), kept from the store's watch. */
  private readonly endpointsNow = new Map<string, [number, number]>();
  /**
   * Per-Service ready and not-ready endpoint addresses per sample (kube-state-metrics' kube_endpoint_address
   * {ready="true"|"false"}: one per address of each subset, read from the Service's Endpoints object);
   * "namespace/name" -> value per row, undefined while the Endpoints object does not exist.
   */
  readonly endpointsReady = new Map<string, (number | undefined)[]>();
  readonly endpointsNotReady = new Map<string, (number | undefined)[]>();

  /** @param onSample called at each sample (logs.jsonl's time marks). */
  constructor(
    private readonly cp: ControlPlane,
    private readonly interval: number,
    private readonly scheduler: QueueGauge,
    private readonly onSample: () => void = () => {},
    private readonly configWait: ConfigWaitGauge = { podsWaitingOnConfig: () => 0 },
  ) {
    this.ctx = cp.sim.register<null>("metrics", () => this.sample());
    cp.store.watch("Pod", (type, obj, old) => this.onPod(type, obj as Pod, old as Pod | undefined));
    cp.store.watch("Job", (type, obj) => this.onJob(type, obj as Job));
    cp.store.watch("Node", (type, obj) => this.onNode(type, obj as Node));
    cp.store.watch("Endpoints", (type, obj) => this.onEndpoints(type, obj as Endpoints));
    // The first sample is at time 0, after the start-up work already scheduled for that instant.
    this.ctx.schedule(0, null);
  }

  /** Takes the final sample at the end of the run if the last interval did not land on it. */
  finish(): void {
    const last = this.rows[this.rows.length - 1];
    if (!last || last[1] !== this.ctx.now / 1000) this.sample(false);
  }

  private sample(reschedule = true): void {
    this.onSample();
    const q = this.scheduler.queueCounts();
    const nodes = this.nodeReady.size;
    this.rows.push([
      this.cp.clock.time(),
      this.ctx.now / 1000,
      this.readyNodes,
      nodes - this.readyNodes,
      this.phaseCount.get("Pending")!,
      this.phaseCount.get("Running")!,
      this.phaseCount.get("Succeeded")!,
      this.phaseCount.get("Failed")!,
      this.phaseCount.get("Unknown")!,
      this.terminating,
      this.unscheduled,
      this.unschedulable,
      q.active,
      q.backoff,
      q.unschedulable,
      this.cpuRequested / 1000,
      this.cpuAllocatable / 1000,
      this.memRequested,
      this.memAllocatable,
      this.restartsTotal,
      ...this.waitingCount,
      this.jobsActive,
      this.jobsSucceeded,
      this.jobsFailed,
      this.configWait.podsWaitingOnConfig(),
    ]);
    const row = this.rows.length - 1;
    for (const d of this.cp.store.list<Deployment>("Deployment")) {
      const key = `${d.metadata.namespace}/${d.metadata.name}`;
      let avail = this.deployments.get(key);
      let want = this.desired.get(key);
      if (!avail || !want) {
        this.deployments.set(key, (avail = []));
        this.desired.set(key, (want = []));
      }
      avail[row] = d.status?.availableReplicas ?? 0;
      want[row] = d.spec.replicas ?? 1;
    }
    for (const [key, [ready, notReady]] of this.endpointsNow) {
      let r = this.endpointsReady.get(key);
      let n = this.endpointsNotReady.get(key);
      if (!r || !n) {
        this.endpointsReady.set(key, (r = []));
        this.endpointsNotReady.set(key, (n = []));
      }
      r[row] = ready;
      n[row] = notReady;
    }
    if (reschedule) this.ctx.schedule(this.interval, null);
  }

  /** Keeps an Endpoints object's address counts (absent once it is deleted). */
  private onEndpoints(type: string, ep: Endpoints): void {
    const key = `${ep.metadata.namespace}/${ep.metadata.name}`;
    if (type === "DELETED") {
      this.endpointsNow.delete(key);
      return;
    }
    let ready = 0;
    let notReady = 0;
    for (const s of ep.subsets ?? []) {
      ready += s.addresses?.length ?? 0;
      notReady += s.notReadyAddresses?.length ?? 0;
    }
    // The columns exist from the object's first write, so a run interrupted before its next sample has them too.
    if (!this.endpointsReady.has(key)) {
      this.endpointsReady.set(key, []);
      this.endpointsNotReady.set(key, []);
    }
    const cur = this.endpointsNow.get(key);
    if (cur) {
      cur[0] = ready;
      cur[1] = notReady;
    } else this.endpointsNow.set(key, [ready, notReady]);
  }

  private onPod(type: string, pod: Pod, old: Pod | undefined): void {
    const key = pod.metadata.uid!;
    const prev = this.marks.get(key);
    if (prev) this.apply(prev, -1);
    if (type === "DELETED") {
      this.marks.delete(key);
      this.createdAt.delete(key);
      return;
    }
    const mark = this.markOf(pod);
    this.apply(mark, +1);
    this.marks.set(key, mark);
    if (prev && mark.restarts > prev.restarts) this.restartsTotal += mark.restarts - prev.restarts;
    if (mark.phase !== prev?.phase) {
      if (mark.phase === "Succeeded") this.podsSucceeded++;
      else if (mark.phase === "Failed") this.podsFailed++;
    }
    if (type === "ADDED") {
      this.podsCreated++;
      this.createdAt.set(key, this.ctx.now);
    }
  }

  /**
   * Counts a Job once when it appears (and, from a CronJob, its tick lag: the virtual time of its create less the
   * scheduled time), and once
   * when it finishes (its duration from status.startTime to completionTime or the Failed condition).
   */
  private onJob(type: string, job: Job): void {
    const uid = job.metadata.uid!;
    const seen = this.jobFinished.get(uid);
    if (type === "DELETED") {
      if (seen === false) this.jobsActive--;
      this.jobFinished.delete(uid);
      return;
    }
    if (seen === undefined) {
      this.jobsCreated++;
      this.jobsActive++;
      this.jobFinished.set(uid, false);
      const scheduled = job.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION];
      // Measured at the create (creationTimestamp has whole seconds only).
      if (scheduled !== undefined) {
        const lag = this.ctx.now - this.cp.clock.parse(scheduled);
        if (Number.isFinite(lag)) this.cronJobTickLags.push(lag);
      }
    }
    if (seen === true) return;
    const end = finishedCondition(job);
    if (end === undefined) return;
    this.jobFinished.set(uid, true);
    this.jobsActive--;
    if (end.type === "Complete") this.jobsSucceeded++;
    else this.jobsFailed++;
    const start = job.status.startTime;
    const stop = end.type === "Complete" ? job.status.completionTime : end.lastTransitionTime;
    if (start !== undefined && stop !== undefined) this.jobDurations.push(this.cp.clock.parse(stop) - this.cp.clock.parse(start));
  }

  /** Container restarts so far. */
  get containerRestarts(): number {
    return this.restartsTotal;
  }

  /** A kubelet pulled an image (its own duration, queue excluded). */
  imagePulled(pullMs: number): void {
    this.imagePullDurations.push(pullMs);
  }

  /**
   * Every container of a pod started (pkg/kubelet/util/pod_startup_latency_tracker.go): the end-to-end figure from
   * its creation, and the SLI figure less its image pulling window. Only a pod's first start counts.
   */
  podStarted(uid: string, pullWindowMs: number): void {
    const created = this.createdAt.get(uid);
    if (created === undefined) return;
    this.createdAt.delete(uid);
    const e2e = this.ctx.now - created;
    this.startupLatencies.push(e2e);
    this.startupSliLatencies.push(e2e - pullWindowMs);
  }

  private markOf(pod: Pod): PodMark {
    const phase = pod.status.phase ?? "Pending";
    const bound = pod.spec.nodeName !== undefined && pod.spec.nodeName !== "";
    const terminal = phase === "Succeeded" || phase === "Failed";
    const sched = getCondition(pod.status.conditions, "PodScheduled");
    const r = bound && !terminal ? podRequests(pod) : undefined;
    return {
      phase,
      terminating: pod.metadata.deletionTimestamp !== undefined,
      unscheduled: !bound && !terminal,
      unschedulable: !bound && sched?.status === "False" && sched.reason === "Unschedulable",
      cpu: r ? r.cpuMilli : 0,
      mem: r ? r.memory : 0,
      ...containerCounts(pod),
    };
  }

  private apply(m: PodMark, sign: 1 | -1): void {
    this.phaseCount.set(m.phase, this.phaseCount.get(m.phase)! + sign);
    if (m.terminating) this.terminating += sign;
    if (m.unscheduled) this.unscheduled += sign;
    if (m.unschedulable) this.unschedulable += sign;
    this.cpuRequested += sign * m.cpu;
    this.memRequested += sign * m.mem;
    for (const i of m.waiting) if (i >= 0) this.waitingCount[i]! += sign;
  }

  private onNode(type: string, node: Node): void {
    const name = node.metadata.name;
    const was = this.nodeReady.get(name);
    if (was !== undefined && was) this.readyNodes--;
    const alloc = nodeAllocatable(node);
    if (type === "ADDED") {
      this.cpuAllocatable += alloc.cpuMilli;
      this.memAllocatable += alloc.memory;
    }
    if (type === "DELETED") {
      this.nodeReady.delete(name);
      this.cpuAllocatable -= alloc.cpuMilli;
      this.memAllocatable -= alloc.memory;
      return;
    }
    const ready = getCondition(node.status.conditions, "Ready")?.status === "True";
    this.nodeReady.set(name, ready);
    if (ready) this.readyNodes++;
  }
}

const NO_WAITING: number[] = [];

/** A pod's waiting containers (by WAITING_REASONS index) and its restart sum. */
function containerCounts(pod: Pod): { waiting: number[]; restarts: number } {
  let waiting = NO_WAITING;
  let restarts = 0;
  for (const list of [pod.status.initContainerStatuses, pod.status.containerStatuses]) {
    if (list === undefined) continue;
    for (const c of list) {
      restarts += c.restartCount;
      const reason = c.state.waiting?.reason;
      if (reason === undefined) continue;
      if (waiting === NO_WAITING) waiting = [];
      waiting.push((WAITING_REASONS as readonly string[]).indexOf(reason));
    }
  }
  return { waiting, restarts };
}
