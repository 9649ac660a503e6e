import { Digest } from "./digest.js";
import { EventQueue } from "./event-queue.js";
import { stream, type Rng } from "./rng.js";

/** Identifies a scheduled event for `cancel`; unique for the simulation's life. */
export type EventId = number;

/**
 * What a component holds instead of the queue (dslab's context): the clock, scheduling of its own events, and its
 * own random stream. Events scheduled through a context are delivered to that context's handler only.
 */
export interface Context<E> {
  /** The component's stable name; also names its random stream. */
  readonly name: string;
  /** Current virtual time (ms since the scenario's startTime). */
  readonly now: number;
  /** Delivers `event` to this component `delay` ms from now (integer, >= 0); throws on a negative delay. */
  schedule(delay: number, event: E): EventId;
  /** Delivers `event` at absolute virtual time `time` (>= now); throws if `time` is in the past. */
  scheduleAt(time: number, event: E): EventId;
  /** Drops a pending event. Only pass the id of an event still pending: ids of delivered events are not
   *  tracked, so cancelling one would leave it in the cancelled set for the rest of the run. */
  cancel(id: EventId): void;
  /** The component's seeded stream, `"<seed>/<name>"`. */
  readonly random: Rng;
}

/** Counts reported by `Simulation.run`. */
export interface RunStats {
  /** Events delivered to handlers (cancelled ones excluded). */
  events: number;
  /** Virtual time reached (ms). */
  now: number;
  /** Whether the run reached `until` (false when it returned early: `maxEvents` delivered, or `stop` called). */
  reached: boolean;
}

/** Thrown by `Simulation.run` when more events than the instant limit ran at one virtual time (setInstantLimit). */
export class StalledError extends Error {
  constructor(
    /** The virtual time (ms) that never advanced. */
    readonly time: number,
    /** Events run at that instant. */
    readonly events: number,
  ) {
    super(`${events} events at virtual time ${time} ms without time advancing`);
  }
}

/**
 * The discrete-event loop: a (time, seq)-ordered queue, virtual time in integer milliseconds, a running digest.
 *
 * Guarantees: events run in time order and, at equal times, in the order they were scheduled; time never goes
 * back; a handler's exception propagates out of `run` (nothing is swallowed, as in SimPy). Mirrors simpy/core.py's
 * `step`/`run(until)` and dslab-core's per-component contexts.
 */
export class Simulation {
  private readonly queue = new EventQueue<unknown>();
  private readonly handlers: ((event: never) => void)[] = [];
  private readonly names: string[] = [];
  private readonly cancelled = new Set<number>();
  private clock = 0;
  private delivered = 0;
  /** `run` returns once `delivered` reaches this: its maxEvents budget, or 0 after `stop` (one check per event). */
  private stopAt = Infinity;
  private observer: ((time: number) => void) | undefined;
  /** Events allowed at one virtual instant before `run` throws StalledError; and where the current instant began. */
  private instantLimit = Infinity;
  private instantTime = -1;
  private instantStart = 0;
  /** Running digest of every delivered event (time, owner) and whatever components mix in. */
  readonly digest = new Digest();

  /** @param seed the run seed every named stream derives from. */
  constructor(readonly seed: number) {}

  /** Current virtual time (ms). */
  get now(): number {
    return this.clock;
  }

  /** Events delivered so far. */
  get eventsProcessed(): number {
    return this.delivered;
  }

  /** Pending events, cancelled ones included until popped. */
  get pending(): number {
    return this.queue.size;
  }

  /** A seeded stream for a consumer that is not a component (`"<seed>/<name>"`). */
  stream(name: string): Rng {
    return stream(this.seed, name);
  }

  /**
   * Adds a component: `handler` receives every event scheduled through the returned context. Names must be unique,
   * because they name random streams.
   */
  register<E>(name: string, handler: (event: E) => void): Context<E> {
    if (this.names.includes(name)) throw new Error(`component "${name}" is registered twice`);
    const owner = this.handlers.length;
    this.handlers.push(handler as (event: never) => void);
    this.names.push(name);
    const sim = this;
    const random = stream(this.seed, name);
    return {
      name,
      random,
      get now() {
        return sim.clock;
      },
      schedule(delay: number, event: E): EventId {
        if (!(delay >= 0) || delay === Infinity) throw new RangeError(`${name}: cannot schedule ${delay} ms from now (negative, infinite or NaN delay)`);
        return sim.queue.push(sim.clock + delay, owner, event);
      },
      scheduleAt(time: number, event: E): EventId {
        if (!(time >= sim.clock) || time === Infinity) throw new RangeError(`${name}: cannot schedule at ${time} ms, now is ${sim.clock} ms`);
        return sim.queue.push(time, owner, event);
      },
      cancel(id: EventId): void {
        sim.cancelled.add(id);
      },
    };
  }

  /**
   * Makes `run` throw a StalledError once more than `limit` events have run at one virtual instant: a cycle of
   * components that answer each other with zero delay would otherwise never let time advance, and the run would
   * never end. Unlimited by default.
   */
  setInstantLimit(limit: number): void {
    if (!(limit > 0)) throw new RangeError(`instant limit must be positive, got ${limit}`);
    this.instantLimit = limit;
  }

  /**
   * Calls `fn` after every delivered event, with the event's time, before the next one runs: the test suite's
   * invariant checks hook in here. One observer at a time (a later call replaces it; undefined removes it). It
   * must not schedule or cancel events. Costs one comparison per event when unset.
   */
  observeEvents(fn: ((time: number) => void) | undefined): void {
    this.observer = fn;
  }

  /** Makes `run` return after the event being handled. */
  stop(): void {
    this.stopAt = 0;
  }

  /**
   * Delivers every event with time <= `until`, then leaves the clock at `until`; events scheduled for exactly
   * `until` do run. Returns early, with `reached: false` and the clock at the last delivered event, once
   * `maxEvents` events were delivered in this call or `stop` was called; calling again with the same `until`
   * continues exactly where it left off. So a run cut into slices processes the same events in the same order,
   * with the same digest, as one call: the CLI slices a run to answer signals and check memory between slices.
   */
  run(until: number, maxEvents = Infinity): RunStats {
    if (until < this.clock) throw new RangeError(`cannot run until ${until} ms, now is ${this.clock} ms`);
    if (!(maxEvents > 0)) throw new RangeError(`maxEvents must be positive, got ${maxEvents}`);
    const q = this.queue;
    const handlers = this.handlers;
    const cancelled = this.cancelled;
    const digest = this.digest;
    this.stopAt = this.delivered + maxEvents;
    while (q.size > 0 && q.peekTime() <= until) {
      const slot = q.pop();
      const time = q.timeOf(slot);
      const owner = q.ownerOf(slot);
      const payload = q.takePayload(slot) as never;
      if (cancelled.size > 0 && cancelled.delete(q.seqOf(slot))) continue;
      this.clock = time;
      this.delivered++;
      if (time !== this.instantTime) {
        this.instantTime = time;
        this.instantStart = this.delivered;
      } else if (this.delivered - this.instantStart > this.instantLimit) {
        throw new StalledError(time, this.delivered - this.instantStart);
      }
      digest.number(time);
      digest.number(owner);
      handlers[owner](payload);
      if (this.observer !== undefined) this.observer(time);
      if (this.delivered >= this.stopAt) return { events: this.delivered, now: this.clock, reached: false };
    }
    this.clock = until;
    return { events: this.delivered, now: this.clock, reached: true };
  }
}
