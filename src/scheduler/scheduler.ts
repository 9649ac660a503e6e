import { assertNever } from "../engine/assert-never.js";
import type { ApiClient } from "../api/client.js";
/**
 * The kube-scheduler as a simulation component (pkg/scheduler/scheduler.go, schedule_one.go, eventhandlers.go).
 *
 * Informer handlers feed the scheduling queue (unbound pods of this scheduler) and the cache (bound pods, nodes).
 * Each scheduling cycle is one engine event that pops one pod, runs the algorithm (schedule-one.ts), assumes the
 * pod on the chosen node in the cache at once, and binds it through the API server. A failed pod gets a
 * FailedScheduling event, a PodScheduled=False condition, and goes back to the queue.
 *
 * NOTE: upstream binds asynchronously (the binding cycle runs in a goroutine, so the next scheduling cycle starts
 * before the bind completes); k8sim binds within the cycle, in zero virtual time. The observable order (assume,
 * then bind, then informer update) is the same; API latency is not modelled.
 */
import { withFields } from "../api/copy.js";
import type { ControlPlane } from "../api/control-plane.js";
import type { Condition, Node, Pod, Taint } from "../api/types.js";
import type { Context } from "../engine/simulation.js";
import { SchedulerCache } from "./cache.js";
import type { ActionTypes, Framework } from "./framework.js";
import { ActionType, CycleState } from "./framework.js";
import { defaultProfile } from "./profile.js";
import type { QueueCounts, QueuedPodInfo, QueueTimerEvent } from "./queue.js";
import { SchedulingQueue } from "./queue.js";
import type { AlgorithmState } from "./schedule-one.js";
import { ScheduleScratch, schedulePod } from "./schedule-one.js";

/** The scheduler's engine events: a scheduling cycle, or one of the queue's flush timers. */
export type SchedulerEvent =
  /** Run one scheduling cycle (scheduleOne) on the next pod of activeQ. */
  | { type: "scheduleOne" }
  /** A queue flush timer (backoffQ or unschedulable pods). */
  | QueueTimerEvent;

/** Counters and samples the metrics writer reads. */
export interface SchedulerStats {
  /** Per scheduled pod, ms from first entering the queue to successful bind (pod_scheduling_sli_duration_seconds,
   *  in ms), in bind order. */
  readonly schedulingLatencies: number[];
  /** Scheduling cycles run on a pod (schedule_attempts_total, all results). */
  attempts: number;
  /** Pods bound (schedule_attempts_total{result="scheduled"}). */
  scheduled: number;
  /** Attempts that found no node or hit an error, bind failures included
   *  (schedule_attempts_total{result="unschedulable"|"error"}). */
  failedAttempts: number;
}

/** Options of a Scheduler. */
export interface SchedulerOptions {
  /** The profile to run; default `defaultProfile()`. Pods whose schedulerName differs are left alone. */
  profile?: Framework;
  /** Engine component name; default "scheduler" (it also names the tie-break random stream). */
  name?: string;
}

/** Reason of the PodScheduled=False condition when no node fits (v1.PodReasonUnschedulable). */
export const PodReasonUnschedulable = "Unschedulable";
/** Reason of the PodScheduled=False condition after an internal error (v1.PodReasonSchedulerError). */
export const PodReasonSchedulerError = "SchedulerError";

const SCHEDULE_ONE: SchedulerEvent = { type: "scheduleOne" };

/**
 * One scheduler with one profile. Construct it before running the simulation: it registers its component and
 * informer handlers at once (existing objects are replayed to it as informer adds).
 */
export class Scheduler {
  /** Counters for metrics; see SchedulerStats. */
  readonly stats: SchedulerStats = { schedulingLatencies: [], attempts: 0, scheduled: 0, failedAttempts: 0 };
  /** The scheduler cache (NodeInfos). Read-only for others. */
  readonly cache = new SchedulerCache();
  /** The scheduling queue. Read-only for others. */
  readonly queue: SchedulingQueue;
  /** The profile in use. */
  readonly framework: Framework;
  private readonly ctx: Context<SchedulerEvent>;
  private readonly state = new CycleState();
  private readonly scratch = new ScheduleScratch();
  private readonly algo: AlgorithmState = { nextStartNodeIndex: 0 };
  private cycleScheduled = false;

  private readonly client: ApiClient;

  constructor(
    private readonly cp: ControlPlane,
    opts: SchedulerOptions = {},
  ) {
    this.framework = opts.profile ?? defaultProfile();
    this.ctx = cp.sim.register<SchedulerEvent>(opts.name ?? "scheduler", (e) => this.handle(e));
    this.client = cp.client(opts.name ?? "scheduler", "scheduler");
    const pluginEvents = new Map<string, ActionTypes>();
    const fwk = this.framework;
    // A plugin without registered events is interested in every event, as upstream's default.
    let interestedEvents: ActionTypes | undefined = 0;
    for (const pl of [...fwk.preFilterPlugins, ...fwk.filterPlugins]) {
      if (pl.events !== undefined) {
        pluginEvents.set(pl.name, pl.events);
        if (interestedEvents !== undefined) interestedEvents |= pl.events;
      } else {
        interestedEvents = undefined;
      }
    }
    this.queue = new SchedulingQueue(cp.settings, this.ctx, { onActivate: () => this.ensureCycle(), pluginEvents, interestedEvents });

    cp.informers.nodes.addHandlers({
      onAdd: (n) => this.addNode(n),
      onUpdate: (o, n) => this.updateNode(o, n),
      onDelete: (n) => this.cache.removeNode(n),
    });
    cp.informers.pods.addHandlers({
      onAdd: (p) => this.podChanged(undefined, p),
      onUpdate: (o, p) => this.podChanged(o, p),
      onDelete: (p) => this.podChanged(p, undefined),
    });
  }

  /** Pods per sub-queue: active, backoff, unschedulable (scheduler_pending_pods). */
  queueCounts(): QueueCounts {
    return this.queue.counts();
  }

  private handle(e: SchedulerEvent): void {
    switch (e.type) {
      case "scheduleOne":
        this.cycleScheduled = false;
        this.scheduleOne();
        if (this.queue.activeLength > 0) this.ensureCycle();
        break;
      case "flushBackoffQCompleted":
      case "flushUnschedulablePodsLeftover":
        this.queue.onTimer(e);
        break;
      default:
        assertNever(e);
    }
  }

  private ensureCycle(): void {
    if (this.cycleScheduled) return;
    this.cycleScheduled = true;
    this.ctx.schedule(0, SCHEDULE_ONE);
  }

  // ---- informer handlers (eventhandlers.go) ----

  private addNode(node: Node): void {
    this.cache.addNode(node);
    this.queue.moveAllToActiveOrBackoffQueue(ActionType.NodeAdd);
  }

  private updateNode(old: Node, node: Node): void {
    this.cache.updateNode(old, node);
    const events = nodeSchedulingPropertiesChange(node, old);
    if (events !== 0) this.queue.moveAllToActiveOrBackoffQueue(events);
  }

  /**
   * Routes a pod change through the two filtered handlers upstream registers: the cache sees assigned,
   * non-terminal pods (the scheduler's pod informer excludes Succeeded/Failed pods by field selector, so a pod
   * that finishes leaves the cache); the queue sees unassigned, non-terminal, non-deleting pods of this profile.
   * A pod crossing a filter's boundary is an add or a delete for that handler (FilteringResourceEventHandler).
   */
  private podChanged(old: Pod | undefined, pod: Pod | undefined): void {
    const oldC = old !== undefined && inCache(old);
    const newC = pod !== undefined && inCache(pod);
    if (newC) {
      if (oldC) this.cache.updatePod(old!, pod!);
      else this.cache.addPod(pod!);
    } else if (oldC) {
      this.cache.removePod(old!);
      // Freed resources may let unschedulable pods fit (AssignedPodDelete).
      this.queue.moveAllToActiveOrBackoffQueue(ActionType.AssignedPodDelete);
    }

    const oldQ = old !== undefined && this.inQueue(old);
    const newQ = pod !== undefined && this.inQueue(pod);
    if (newQ) {
      if (oldQ) this.queue.update(old!, pod!);
      else this.queue.add(pod!);
    } else if (oldQ) {
      this.queue.delete(old!);
      // A pod deleted while assumed (binding outcome not yet observed) must not keep its resources.
      if (pod === undefined) this.cache.forgetPod(old!);
    }
  }

  private inQueue(pod: Pod): boolean {
    return !pod.spec.nodeName && !isTerminal(pod) && !pod.metadata.deletionTimestamp && (pod.spec.schedulerName ?? "default-scheduler") === this.framework.profileName;
  }

  // ---- scheduling cycle (schedule_one.go) ----

  private scheduleOne(): void {
    const info = this.queue.pop();
    if (info === undefined) return;
    const pod = info.pod;
    // skipPodSchedule: a pod being deleted is not scheduled.
    if (pod.metadata.deletionTimestamp) {
      this.queue.done(info);
      return;
    }
    this.stats.attempts++;
    const state = this.state;
    state.reset();
    const nodes = this.cache.nodeInfoList();
    const r = schedulePod(this.framework, state, pod, nodes, this.algo, this.ctx.random, this.cp.settings.percentageOfNodesToScore, this.scratch);
    switch (r.kind) {
      case "scheduled":
        this.assumeAndBind(info, r.node.name);
        return;
      case "unschedulable":
        this.stats.failedAttempts++;
        this.handleSchedulingFailure(info, r.error.message, PodReasonUnschedulable, r.error.unschedulablePlugins);
        return;
      case "error":
        this.stats.failedAttempts++;
        // No nodes at all is reported as Unschedulable upstream; other errors as SchedulerError. Both back off.
        this.handleSchedulingFailure(info, r.message, r.noNodes ? PodReasonUnschedulable : PodReasonSchedulerError, NO_PLUGINS);
        return;
      default:
        assertNever(r);
    }
  }

  /**
   * assume, then the binding cycle: the bind goes through the scheduler's rate-limited client (clientConnection
   * qps / burst), so under a burst of pods binds queue behind the limiter while scheduling carries on with the
   * assumed pods, as upstream's asynchronous binding goroutines do.
   */
  private assumeAndBind(info: QueuedPodInfo, nodeName: string): void {
    const pod = info.pod;
    const ns = pod.metadata.namespace ?? "default";
    this.cache.assumePod(pod, nodeName);
    this.client.request(
      () => this.cp.api.bind(ns, pod.metadata.name, nodeName),
      (res) => {
        if (res.ok) {
          this.stats.scheduled++;
          this.stats.schedulingLatencies.push(this.ctx.now - info.initialTimestamp);
          this.cp.events.record(res.object, "Normal", "Scheduled", `Successfully assigned ${ns}/${pod.metadata.name} to ${nodeName}`, this.framework.profileName);
          this.queue.done(info);
          return;
        }
        // handleBindingCycleError: forget the assumption (its resources are free again, which is an
        // AssignedPodDelete for other pods), then treat the pod as failed with an error.
        this.stats.failedAttempts++;
        this.cache.forgetPod(pod);
        this.queue.moveAllToActiveOrBackoffQueue(ActionType.AssignedPodDelete);
        this.handleSchedulingFailure(info, `running Bind plugin "DefaultBinder": ${res.message}`, PodReasonSchedulerError, NO_PLUGINS);
      },
    );
  }

  /**
   * handleSchedulingFailure: requeue the pod unless it is gone or already bound (as the informer shows it), record
   * FailedScheduling, and set PodScheduled=False with the reason and message, unless the pod already carries that
   * exact condition (podutil.UpdatePodCondition reports no change, so upstream sends no patch).
   */
  private handleSchedulingFailure(info: QueuedPodInfo, message: string, reason: string, plugins: ReadonlySet<string>): void {
    const pod = info.pod;
    const ns = pod.metadata.namespace ?? "default";
    const cached = this.cp.informers.pods.get(ns, pod.metadata.name);
    if (cached === undefined || cached.spec.nodeName || !this.inQueue(cached)) {
      this.queue.done(info);
    } else {
      this.queue.addUnschedulableIfNotPresent(info, plugins, cached);
    }
    this.cp.events.record(pod, "Warning", "FailedScheduling", message, this.framework.profileName);

    const cur = this.cp.api.get<Pod>("Pod", ns, pod.metadata.name);
    if (cur === undefined || cur.spec.nodeName) return;
    const conditions = cur.status.conditions ?? [];
    const old = conditions.find((c) => c.type === "PodScheduled");
    if (old && old.status === "False" && old.reason === reason && old.message === message) return;
    const cond: Condition = {
      type: "PodScheduled",
      status: "False",
      lastProbeTime: null,
      // The transition time changes only when the status does (podutil.UpdatePodCondition).
      lastTransitionTime: old && old.status === "False" && old.lastTransitionTime ? old.lastTransitionTime : this.cp.clock.time(),
      reason,
      message,
    };
    const next = old ? conditions.map((c) => (c === old ? cond : c)) : [...conditions, cond];
    // A conflict cannot happen: cur is the stored object read in this same event.
    this.cp.api.updateStatus<Pod>(withFields(cur, { status: withFields(cur.status, { conditions: next }) }));
  }
}

const NO_PLUGINS: ReadonlySet<string> = new Set();

function isTerminal(pod: Pod): boolean {
  const p = pod.status?.phase;
  return p === "Succeeded" || p === "Failed";
}

function inCache(pod: Pod): boolean {
  return !!pod.spec.nodeName && !isTerminal(pod);
}

/**
 * Which scheduling-relevant properties of a node changed (eventhandlers.go nodeSchedulingPropertiesChange):
 * spec.unschedulable and taints (UpdateNodeTaint), allocatable, labels, conditions with heartbeat times ignored,
 * annotations. 0 when only heartbeats or status details the scheduler ignores changed, so kubelet status posts do
 * not wake unschedulable pods.
 */
export function nodeSchedulingPropertiesChange(node: Node, old: Node): ActionTypes {
  let ev = 0;
  if (!!node.spec.unschedulable !== !!old.spec.unschedulable) ev |= ActionType.UpdateNodeTaint;
  if (!sameRecord(node.status?.allocatable, old.status?.allocatable)) ev |= ActionType.UpdateNodeAllocatable;
  if (!sameRecord(node.metadata.labels, old.metadata.labels)) ev |= ActionType.UpdateNodeLabel;
  if (node.spec.taints !== old.spec.taints && !sameTaints(node.spec.taints ?? [], old.spec.taints ?? [])) ev |= ActionType.UpdateNodeTaint;
  if (node.status?.conditions !== old.status?.conditions && !sameConditions(node.status?.conditions ?? [], old.status?.conditions ?? [])) ev |= ActionType.UpdateNodeCondition;
  if (!sameRecord(node.metadata.annotations, old.metadata.annotations)) ev |= ActionType.UpdateNodeAnnotation;
  return ev;
}

function sameRecord(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === b) return true;
  const ka = a ? Object.keys(a) : [];
  const kb = b ? Object.keys(b) : [];
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (a![k] !== b?.[k]) return false;
  return true;
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.key !== y.key || (x.value ?? "") !== (y.value ?? "") || x.effect !== y.effect) return false;
  }
  return true;
}

function sameConditions(a: readonly Condition[], b: readonly Condition[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.type !== y.type || x.status !== y.status || x.reason !== y.reason || x.message !== y.message || x.lastTransitionTime !== y.lastTransitionTime) return false;
  }
  return true;
}

