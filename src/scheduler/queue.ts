import { assertNever } from "../engine/assert-never.js";
/**
 * The scheduling queue (pkg/scheduler/backend/queue/scheduling_queue.go PriorityQueue, active_queue.go,
 * backoff_queue.go, unschedulable_pods.go).
 *
 * Three places a pending pod can be:
 * - activeQ: ready to be scheduled; a heap ordered by PrioritySort (higher spec.priority first, then earlier queue
 *   timestamp, then insertion order).
 * - backoffQ: waiting out its backoff (podInitialBackoff doubling per attempt up to podMaxBackoff), ordered by
 *   backoff expiry; moved to activeQ by the backoff flush.
 * - unschedulable pods: failed and waiting for a cluster event that may help (moveAllToActiveOrBackoffQueue), or
 *   at the latest podMaxInUnschedulablePodsDuration, checked by the unschedulable flush.
 *
 * Upstream runs the two flushes on tickers (1s and 30s). Here each flush timer is scheduled only while its queue
 * is non-empty, at the next tick of the same grid (queue start + k x interval) at which the ticker would have
 * moved a pod, so behaviour equals the tickers' without an engine event per second forever.
 *
 * NOTE: QueueingHints (default since v1.28, locked on since v1.34) are not modelled: a cluster event moves every
 * unschedulable pod rejected by a plugin registered for that event (upstream's pre-hint EventsToRegister logic),
 * where hints would skip some. SchedulerPopFromBackoffQ (v1.33 beta, on by default), which pops a backing-off pod
 * when activeQ is empty and aligns backoff expiries to whole seconds, is not modelled either: pods wait their full
 * backoff, as in v1.32 and earlier.
 */
import TinyQueue from "tinyqueue";
import type { Pod } from "../api/types.js";
import type { Settings } from "../settings.js";
import type { ActionTypes } from "./framework.js";
import { podKey } from "./framework.js";

/** Where a queued pod is. "inFlight": popped and being scheduled; "gone": removed from the queue. */
export type QueueLocation = "active" | "backoff" | "unschedulable" | "inFlight" | "gone";

/** A pod in the queue with its bookkeeping (framework.QueuedPodInfo). Times are virtual ms. */
export interface QueuedPodInfo {
  /** The latest pod object the queue has seen. */
  pod: Pod;
  /** The pod's key in the queue: its UID (podKey). */
  readonly key: string;
  /** When the pod was last added to the queue: on creation, or at its last failed attempt (Timestamp). */
  timestamp: number;
  /** When the pod first entered the queue; never changes (InitialAttemptTimestamp; the SLI latency starts here). */
  readonly initialTimestamp: number;
  /** Scheduling attempts so far, counted at pop (Attempts). */
  attempts: number;
  /** Plugins that rejected the pod in its last attempt; empty after an error (UnschedulablePlugins). */
  unschedulablePlugins: ReadonlySet<string>;
  /** When the current backoff ends (timestamp + backoff duration). */
  backoffExpiration: number;
  /** Where the pod is now. */
  where: QueueLocation;
  /** The scheduling cycle in which it was last popped. */
  schedulingCycle: number;
}

/** Timer events the queue asks its owner to deliver back to `onTimer`. */
export type QueueTimerEvent = { type: "flushBackoffQCompleted" } | { type: "flushUnschedulablePodsLeftover" };

/** The clock and timers the queue runs on: a subset of the engine Context, so a Scheduler passes its own. */
export interface QueueTimers {
  readonly now: number;
  scheduleAt(time: number, event: QueueTimerEvent): number;
  cancel(id: number): void;
}

/** Queue settings (a subset of Settings; all durations in ms). */
export type QueueSettings = Pick<Settings, "podInitialBackoff" | "podMaxBackoff" | "podMaxInUnschedulablePodsDuration" | "unschedulableFlushInterval" | "backoffFlushInterval">;

/** Counts of pending pods by sub-queue (the scheduler_pending_pods metric's "queue" label). */
export interface QueueCounts {
  active: number;
  backoff: number;
  unschedulable: number;
}

interface ActiveEntry {
  info: QueuedPodInfo;
  priority: number;
  timestamp: number;
  seq: number;
}

interface BackoffEntry {
  info: QueuedPodInfo;
  expiry: number;
  seq: number;
}

/**
 * The backoff after `attempts` attempts (calculateBackoffDuration): 0 before any attempt, else `initial` doubled
 * per further attempt, capped at `max`. With 1s/10s: 1s, 2s, 4s, 8s, 10s, 10s, ...
 */
export function calculateBackoffDuration(attempts: number, initial: number, max: number): number {
  if (attempts === 0) return 0;
  let d = initial;
  for (let i = 1; i < attempts; i++) {
    if (d > max - d) return max;
    d += d;
  }
  return d;
}

/** The first tick of the grid origin + k x interval (k >= 0) that is >= t. */
export function gridCeil(origin: number, interval: number, t: number): number {
  if (t <= origin) return origin;
  return origin + Math.ceil((t - origin) / interval) * interval;
}

/** Options of a SchedulingQueue. */
export interface SchedulingQueueOptions {
  /** Called whenever a pod enters activeQ, so the owner can schedule a cycle. */
  onActivate?: () => void;
  /** The cluster events each plugin registered (EventsToRegister), by plugin name. A pod rejected by a plugin not
   *  listed here is moved by every event, as upstream does for plugins without EnqueueExtensions. */
  pluginEvents?: ReadonlyMap<string, ActionTypes>;
  /** The union of the events any plugin is interested in (isEventOfInterest); undefined means every event. */
  interestedEvents?: ActionTypes;
}

/**
 * The PriorityQueue. All operations are O(log n) except the moves on cluster events, which scan the unschedulable
 * pods as upstream does. Deterministic: no map iteration depends on anything but insertion order.
 */
export class SchedulingQueue {
  private readonly infos = new Map<string, QueuedPodInfo>();
  private readonly activeQ: TinyQueue<ActiveEntry>;
  private readonly backoffQ: TinyQueue<BackoffEntry>;
  // Heap entries are removed lazily: an entry is live only while its info is still where the entry says and the
  // entry is the info's latest one.
  private readonly activeSeqOf = new WeakMap<QueuedPodInfo, number>();
  private readonly backoffSeqOf = new WeakMap<QueuedPodInfo, number>();
  private readonly unschedulablePods = new Map<string, QueuedPodInfo>();
  private activeCount = 0;
  private backoffCount = 0;
  private seq = 0;
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private readonly origin: number;
  private backoffTimer: { id: number; at: number } | undefined;
  private unschedTimer: { id: number; at: number } | undefined;

  constructor(
    private readonly settings: QueueSettings,
    private readonly timers: QueueTimers,
    private readonly opts: SchedulingQueueOptions = {},
  ) {
    this.origin = timers.now;
    this.activeQ = new TinyQueue<ActiveEntry>([], (a, b) => b.priority - a.priority || a.timestamp - b.timestamp || a.seq - b.seq);
    this.backoffQ = new TinyQueue<BackoffEntry>([], (a, b) => a.expiry - b.expiry || a.seq - b.seq);
  }

  /** Pods per sub-queue (in-flight pods not counted). */
  counts(): QueueCounts {
    return { active: this.activeCount, backoff: this.backoffCount, unschedulable: this.unschedulablePods.size };
  }

  /** Number of pods in activeQ. */
  get activeLength(): number {
    return this.activeCount;
  }

  /** The queued info of a pod key, wherever it is (undefined when not queued). */
  get(key: string): QueuedPodInfo | undefined {
    return this.infos.get(key);
  }

  /** The number of pops so far (SchedulingCycle). */
  get cycle(): number {
    return this.schedulingCycle;
  }

  /**
   * A new pending pod (PriorityQueue.Add): goes to activeQ with timestamp now. A pod already queued is updated
   * instead.
   */
  add(pod: Pod): void {
    const key = podKey(pod);
    const cur = this.infos.get(key);
    if (cur && cur.where !== "gone") {
      this.update(cur.pod, pod);
      return;
    }
    const now = this.timers.now;
    const info: QueuedPodInfo = {
      pod,
      key,
      timestamp: now,
      initialTimestamp: now,
      attempts: 0,
      unschedulablePlugins: EMPTY_SET,
      backoffExpiration: now,
      where: "gone",
      schedulingCycle: 0,
    };
    this.infos.set(key, info);
    this.toActive(info);
  }

  /**
   * The pod object changed (PriorityQueue.Update). In activeQ, backoffQ or in flight the object is replaced in
   * place. An unschedulable pod whose spec, labels or annotations changed (isPodUpdated: a status-only change does
   * not count) may now fit: it moves to backoffQ if still backing off, else activeQ. A pod not queued is added.
   */
  update(oldPod: Pod, pod: Pod): void {
    const info = this.infos.get(podKey(pod));
    if (!info || info.where === "gone") {
      this.add(pod);
      return;
    }
    const prev = info.pod;
    info.pod = pod;
    if (info.where === "unschedulable" && isPodUpdated(prev ?? oldPod, pod)) {
      this.unschedulablePods.delete(info.key);
      this.requeue(info);
      this.rescheduleTimers();
    }
  }

  /** The pod was deleted or bound by someone else (PriorityQueue.Delete). */
  delete(pod: Pod): void {
    const key = podKey(pod);
    const info = this.infos.get(key);
    if (!info) return;
    this.infos.delete(key);
    this.detach(info);
    info.where = "gone";
    this.rescheduleTimers();
  }

  /**
   * Takes the highest-priority pod from activeQ (PriorityQueue.Pop), counting an attempt and a scheduling cycle;
   * undefined when activeQ is empty (upstream blocks instead). The pod stays known to the queue, "in flight",
   * until `done`, `addUnschedulableIfNotPresent` or `delete`.
   */
  pop(): QueuedPodInfo | undefined {
    for (;;) {
      const e = this.activeQ.pop();
      if (e === undefined) return undefined;
      const info = e.info;
      if (info.where !== "active" || this.activeSeqOf.get(info) !== e.seq) continue;
      this.activeCount--;
      info.where = "inFlight";
      info.attempts++;
      info.schedulingCycle = ++this.schedulingCycle;
      return info;
    }
  }

  /** The in-flight pod is finished with (bound, or dropped): forget it (PriorityQueue.Done). */
  done(info: QueuedPodInfo): void {
    if (this.infos.get(info.key) === info) this.infos.delete(info.key);
    if (info.where === "inFlight") info.where = "gone";
  }

  /**
   * Returns a pod that failed its attempt (AddUnschedulableIfNotPresent), with timestamp now and the plugins that
   * rejected it. It goes to backoffQ when it failed with an error (no rejecting plugin) or when a move request
   * happened since it was popped (moveRequestCycle >= its cycle); otherwise to unschedulable pods, to wait for an
   * event. The pod object is refreshed to `pod` (the informer's latest).
   */
  addUnschedulableIfNotPresent(info: QueuedPodInfo, unschedulablePlugins: ReadonlySet<string>, pod: Pod = info.pod): void {
    if (info.where !== "inFlight") return;
    info.pod = pod;
    const now = this.timers.now;
    info.timestamp = now;
    info.unschedulablePlugins = unschedulablePlugins;
    info.backoffExpiration = now + calculateBackoffDuration(info.attempts, this.settings.podInitialBackoff, this.settings.podMaxBackoff);
    this.infos.set(info.key, info);
    if (unschedulablePlugins.size === 0 || this.moveRequestCycle >= info.schedulingCycle) {
      this.toBackoff(info);
    } else {
      info.where = "unschedulable";
      this.unschedulablePods.set(info.key, info);
      this.rescheduleTimers();
    }
  }

  /**
   * A cluster event happened (MoveAllToActiveOrBackoffQueue): every unschedulable pod rejected by a plugin that
   * registered for one of `events` moves to backoffQ if still backing off, else to activeQ. Also records the move
   * request, so pods in flight now go to backoffQ if they fail.
   */
  moveAllToActiveOrBackoffQueue(events: ActionTypes): void {
    // An event no plugin registered for changes nothing, not even the move-request cycle (isEventOfInterest).
    const interested = this.opts.interestedEvents;
    if (interested !== undefined && (interested & events) === 0) return;
    this.moveRequestCycle = this.schedulingCycle;
    if (this.unschedulablePods.size === 0) return;
    const pluginEvents = this.opts.pluginEvents;
    const moving: QueuedPodInfo[] = [];
    for (const info of this.unschedulablePods.values()) {
      if (podMatchesEvent(info, events, pluginEvents)) moving.push(info);
    }
    for (const info of moving) {
      this.unschedulablePods.delete(info.key);
      this.requeue(info);
    }
    if (moving.length > 0) this.rescheduleTimers();
  }

  /** Delivers a timer event scheduled through `QueueTimers`. */
  onTimer(e: QueueTimerEvent): void {
    switch (e.type) {
      case "flushBackoffQCompleted":
        this.backoffTimer = undefined;
        this.flushBackoffQCompleted();
        break;
      case "flushUnschedulablePodsLeftover":
        this.unschedTimer = undefined;
        this.flushUnschedulablePodsLeftover();
        break;
      default:
        assertNever(e);
    }
  }

  /** Moves every pod whose backoff has ended (expiry <= now) to activeQ (flushBackoffQCompleted). */
  flushBackoffQCompleted(): void {
    const now = this.timers.now;
    for (;;) {
      const e = this.backoffQ.peek();
      if (e === undefined) break;
      const info = e.info;
      if (info.where !== "backoff" || this.backoffSeqOf.get(info) !== e.seq) {
        this.backoffQ.pop();
        continue;
      }
      if (e.expiry > now) break;
      this.backoffQ.pop();
      this.backoffCount--;
      this.toActive(info);
    }
    this.rescheduleTimers();
  }

  /**
   * Moves unschedulable pods that have waited longer than podMaxInUnschedulablePodsDuration (now - timestamp >
   * max) to backoffQ or activeQ (flushUnschedulablePodsLeftover).
   */
  flushUnschedulablePodsLeftover(): void {
    const now = this.timers.now;
    const max = this.settings.podMaxInUnschedulablePodsDuration;
    const moving: QueuedPodInfo[] = [];
    // Insertion order is timestamp order: pods enter with timestamp = now and keep their place when updated.
    for (const info of this.unschedulablePods.values()) {
      if (now - info.timestamp > max) moving.push(info);
      else break;
    }
    for (const info of moving) {
      this.unschedulablePods.delete(info.key);
      this.requeue(info);
    }
    this.rescheduleTimers();
  }

  /** Whether the pod's backoff is still running (isPodBackingoff). */
  isPodBackingoff(info: QueuedPodInfo): boolean {
    return info.backoffExpiration > this.timers.now;
  }

  /** Every queued pod (in flight excluded), for inspection: active, then backoff, then unschedulable. */
  pendingPods(): QueuedPodInfo[] {
    const all = [...this.infos.values()];
    const rank = { active: 0, backoff: 1, unschedulable: 2, inFlight: 3, gone: 4 } as const;
    return all.filter((i) => i.where !== "inFlight" && i.where !== "gone").sort((a, b) => rank[a.where] - rank[b.where]);
  }

  private requeue(info: QueuedPodInfo): void {
    if (this.isPodBackingoff(info)) this.toBackoff(info);
    else this.toActive(info);
  }

  private toActive(info: QueuedPodInfo): void {
    const seq = ++this.seq;
    info.where = "active";
    this.activeSeqOf.set(info, seq);
    this.activeQ.push({ info, priority: info.pod.spec.priority ?? 0, timestamp: info.timestamp, seq });
    this.activeCount++;
    this.opts.onActivate?.();
  }

  private toBackoff(info: QueuedPodInfo): void {
    const seq = ++this.seq;
    info.where = "backoff";
    this.backoffSeqOf.set(info, seq);
    this.backoffQ.push({ info, expiry: info.backoffExpiration, seq });
    this.backoffCount++;
    this.rescheduleTimers();
  }

  private detach(info: QueuedPodInfo): void {
    switch (info.where) {
      case "active":
        this.activeCount--;
        break;
      case "backoff":
        this.backoffCount--;
        break;
      case "unschedulable":
        this.unschedulablePods.delete(info.key);
        break;
      case "inFlight":
      case "gone":
        break;
      default:
        assertNever(info.where);
    }
  }

  /** The earliest live backoff expiry, dropping dead heap entries on the way. */
  private minBackoffExpiry(): number | undefined {
    for (;;) {
      const e = this.backoffQ.peek();
      if (e === undefined) return undefined;
      if (e.info.where === "backoff" && this.backoffSeqOf.get(e.info) === e.seq) return e.expiry;
      this.backoffQ.pop();
    }
  }

  /** (Re)arms each flush timer for the grid tick at which the ticker would next move a pod, or disarms it. */
  private rescheduleTimers(): void {
    const now = this.timers.now;
    const exp = this.backoffCount > 0 ? this.minBackoffExpiry() : undefined;
    let at: number | undefined;
    // The first tick at or after the expiry, and not before now (a tick now has already passed or is this event).
    if (exp !== undefined) at = gridCeil(this.origin, this.settings.backoffFlushInterval, Math.max(exp, now));
    this.backoffTimer = this.arm(this.backoffTimer, at, BACKOFF_EVENT);

    let uat: number | undefined;
    const first = this.unschedulablePods.values().next();
    if (!first.done) {
      // The first tick strictly later than timestamp + max, as the flush requires now - timestamp > max.
      const due = first.value.timestamp + this.settings.podMaxInUnschedulablePodsDuration + 1;
      uat = gridCeil(this.origin, this.settings.unschedulableFlushInterval, Math.max(due, now));
    }
    this.unschedTimer = this.arm(this.unschedTimer, uat, UNSCHED_EVENT);
  }

  private arm(cur: { id: number; at: number } | undefined, at: number | undefined, event: QueueTimerEvent): { id: number; at: number } | undefined {
    if (cur !== undefined && cur.at === at) return cur;
    if (cur !== undefined) this.timers.cancel(cur.id);
    if (at === undefined) return undefined;
    return { id: this.timers.scheduleAt(at, event), at };
  }
}

const BACKOFF_EVENT: QueueTimerEvent = { type: "flushBackoffQCompleted" };
const UNSCHED_EVENT: QueueTimerEvent = { type: "flushUnschedulablePodsLeftover" };
const EMPTY_SET: ReadonlySet<string> = new Set();

/** Whether an event may help a pod: any rejecting plugin registered for it (or is unknown, or none rejected). */
function podMatchesEvent(info: QueuedPodInfo, events: ActionTypes, pluginEvents: ReadonlyMap<string, ActionTypes> | undefined): boolean {
  if (!pluginEvents || info.unschedulablePlugins.size === 0) return true;
  for (const p of info.unschedulablePlugins) {
    const registered = pluginEvents.get(p);
    if (registered === undefined || (registered & events) !== 0) return true;
  }
  return false;
}

/**
 * Whether an update could change scheduling (isPodUpdated): anything but status and resourceVersion-like metadata.
 * Compares by reference first, as the API server keeps unchanged sub-objects.
 */
function isPodUpdated(old: Pod, pod: Pod): boolean {
  if (old.spec !== pod.spec && JSON.stringify(old.spec) !== JSON.stringify(pod.spec)) return true;
  const a = old.metadata;
  const b = pod.metadata;
  if (a.labels !== b.labels && JSON.stringify(a.labels ?? {}) !== JSON.stringify(b.labels ?? {})) return true;
  if (a.annotations !== b.annotations && JSON.stringify(a.annotations ?? {}) !== JSON.stringify(b.annotations ?? {})) return true;
  return false;
}
