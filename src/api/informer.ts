import type { Context } from "../engine/simulation.js";
import type { Store, WatchType } from "./store.js";
import type { KubeObject } from "./types.js";
import { ObjectMap } from "./object-map.js";

/** Callbacks of an informer (client-go's ResourceEventHandler). Objects must not be mutated. */
export interface InformerHandlers<T extends KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(old: T, obj: T): void;
  onDelete?(obj: T): void;
}

/**
 * A shared informer for one kind (client-go tools/cache): a local cache fed by the store's watch, delivered
 * `latency` ms after each write, in write order. Handlers run inside the informer's own engine event, never inside
 * the writer's call, so a write never re-enters the writer. Deliveries due at the same time are batched into one
 * engine event, which keeps the cost per write low.
 *
 * An informer without handlers (a cache only read with get/list, such as the node lease cache) costs no engine
 * event at all: a read first applies the writes that are due by then, so it sees what an eager cache would.
 */
export class Informer<T extends KubeObject> {
  private readonly cache = new ObjectMap<T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  // Pending deliveries as parallel arrays (a FIFO): due time, type, object, previous object.
  private dueAt: number[] = [];
  private types: WatchType[] = [];
  private objs: T[] = [];
  private olds: (T | undefined)[] = [];
  private head = 0;
  private flushScheduled = false;
  private relistDue = false;
  private relistingNow = false;
  private readonly ctx: Context<null>;

  /**
   * @param register gives the informer its engine context (`sim.register`), named after the informer.
   * @param latency ms between a write and its delivery (Settings.informerLatency).
   */
  constructor(
    readonly kind: string,
    store: Store,
    register: (name: string, handler: (e: null) => void) => Context<null>,
    name: string,
    private readonly latency: number,
    private readonly slowdown?: { extra(now: number): number },
  ) {
    this.ctx = register(name, () => this.flush());
    for (const o of store.list<T>(kind)) this.cache.set(o);
    store.watch(kind, (type, obj, old) => this.enqueue(type, obj as T, old as T | undefined));
  }

  /** Adds handlers; objects already cached are replayed to onAdd at once, as AddEventHandler does. */
  addHandlers(h: InformerHandlers<T>): void {
    this.catchUp();
    this.handlers.push(h);
    if (h.onAdd) for (const o of this.cache.values()) h.onAdd(o);
    // Writes still in flight were queued while nobody listened: now they need a delivery event.
    this.scheduleFlush();
  }

  /** The cached object (the informer's possibly stale view). */
  get(namespace: string | undefined, name: string): T | undefined {
    if (this.handlers.length === 0) this.catchUp();
    return this.cache.get(namespace, name);
  }

  /** All cached objects: namespaces in first-seen order, objects in each in first-seen order. */
  list(): IterableIterator<T> {
    if (this.handlers.length === 0) this.catchUp();
    return this.cache.values();
  }

  /** Number of cached objects. */
  get size(): number {
    if (this.handlers.length === 0) this.catchUp();
    return this.cache.size;
  }

  private enqueue(type: WatchType, obj: T, old: T | undefined): void {
    // A slow API server delays the delivery; the watch stays in order, so a write after the window is not
    // delivered before one made inside it (without a slowdown the due times rise anyway).
    let due = this.ctx.now + this.latency + (this.slowdown?.extra(this.ctx.now) ?? 0);
    const n = this.dueAt.length;
    if (n > this.head && this.dueAt[n - 1]! > due) due = this.dueAt[n - 1]!;
    this.dueAt.push(due);
    this.types.push(type);
    this.objs.push(obj);
    this.olds.push(old);
    if (this.handlers.length === 0) {
      // Nobody to call back: keep the FIFO short without engine events, reads catch up the rest.
      if (this.dueAt.length - this.head > 4096) this.catchUp();
      return;
    }
    this.scheduleFlush();
  }

  /** Schedules a delivery event for the oldest pending write, unless one is scheduled or nobody listens. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.handlers.length === 0 || this.head === this.dueAt.length) return;
    this.flushScheduled = true;
    this.ctx.scheduleAt(this.dueAt[this.head], null);
  }

  /** Applies every pending write due by now (handlers, if any, are called as in a flush). */
  private catchUp(): void {
    if (this.head < this.dueAt.length && this.dueAt[this.head] <= this.ctx.now) this.drainDue();
  }

  /**
   * The reflector's relist after its watch failed (an API server outage): the cache is replaced by a fresh LIST,
   * which the shared informer hands every handler as an update of each object with itself (DeltaFIFO Replaced
   * deltas, OnUpdate(old, new) with old and new alike), so controllers requeue every key, dropping the retry delays
   * their failures built up. Delivered in the informer's own event, now. NOTE: upstream relists after the
   * reflector's backoff (800ms doubling to 30s, jittered); here at once when the API server answers again.
   */
  relist(): void {
    if (this.handlers.length === 0) return;
    this.relistDue = true;
    this.ctx.scheduleAt(this.ctx.now, null);
  }

  /** Whether the handlers are being called by a relist (its updates are no writes: the watch checks skip them). */
  get relisting(): boolean {
    return this.relistingNow;
  }

  private flush(): void {
    this.flushScheduled = false;
    this.drainDue();
    if (this.relistDue) {
      this.relistDue = false;
      this.relistingNow = true;
      for (const o of [...this.cache.values()]) for (const h of this.handlers) h.onUpdate?.(o, o);
      this.relistingNow = false;
    }
    this.scheduleFlush();
  }

  private drainDue(): void {
    const now = this.ctx.now;
    while (this.head < this.dueAt.length && this.dueAt[this.head] <= now) {
      const i = this.head++;
      const type = this.types[i];
      const obj = this.objs[i];
      const old = this.olds[i];
      this.objs[i] = undefined as unknown as T;
      this.olds[i] = undefined;
      this.deliver(type, obj, old);
    }
    if (this.head === this.dueAt.length) {
      this.dueAt.length = this.types.length = this.objs.length = this.olds.length = 0;
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.dueAt.length) {
      this.compact();
    }
  }

  /** Drops delivered entries from the front, so a never-empty FIFO does not grow without bound. */
  private compact(): void {
    const h = this.head;
    this.dueAt = this.dueAt.slice(h);
    this.types = this.types.slice(h);
    this.objs = this.objs.slice(h);
    this.olds = this.olds.slice(h);
    this.head = 0;
  }

  private deliver(type: WatchType, obj: T, old: T | undefined): void {
    const { namespace, name } = obj.metadata;
    if (type === "DELETED") {
      const last = this.cache.delete(namespace, name) ?? obj;
      for (const h of this.handlers) h.onDelete?.(last);
      return;
    }
    const prev = this.cache.get(namespace, name);
    this.cache.set(obj);
    if (prev === undefined) {
      for (const h of this.handlers) h.onAdd?.(obj);
    } else {
      for (const h of this.handlers) h.onUpdate?.(prev, obj);
    }
    void old;
  }
}
