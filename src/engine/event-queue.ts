import TinyQueue from "tinyqueue";

/**
 * The pending-event set: a binary heap (tinyqueue) of slot numbers, ordered by (time, seq).
 *
 * Each pending event occupies one slot of parallel typed arrays (time, seq, owner) plus a payload reference, so
 * scheduling allocates nothing once the arrays have grown to the peak number of pending events: the heap holds
 * small integers and compares them through the typed arrays. `seq` is a global insertion counter, so events at the
 * same time pop in the order they were pushed (SimPy's (time, priority, id) rule, without priorities).
 * Freed slots are reused LIFO; that reuse never affects order, which depends on (time, seq) alone.
 */
export class EventQueue<P> {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private owners = new Int32Array(1024);
  private payloads: (P | undefined)[] = new Array(1024);
  private free: number[] = [];
  private used = 0;
  private nextSeq = 0;
  private readonly heap: TinyQueue<number>;

  constructor() {
    // The comparator reads the arrays through `this`, because they are replaced when they grow.
    const cmp = (a: number, b: number): number => this.times[a] - this.times[b] || this.seqs[a] - this.seqs[b];
    this.heap = new TinyQueue<number>([], cmp);
  }

  /** Number of pending events (cancelled ones included until they are popped). */
  get size(): number {
    return this.heap.length;
  }

  /** Adds an event for `owner` at `time`; returns its seq, unique for the queue's life (the event id). */
  push(time: number, owner: number, payload: P): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.used++;
      if (slot === this.times.length) this.grow();
    }
    const seq = this.nextSeq++;
    this.times[slot] = time;
    this.seqs[slot] = seq;
    this.owners[slot] = owner;
    this.payloads[slot] = payload;
    this.heap.push(slot);
    return seq;
  }

  /** Time of the earliest pending event, or Infinity when empty. */
  peekTime(): number {
    const slot = this.heap.peek();
    return slot === undefined ? Infinity : this.times[slot];
  }

  /**
   * Removes the earliest event and returns its slot, valid until the next push; read it with the accessors below.
   * Returns -1 when empty.
   */
  pop(): number {
    const slot = this.heap.pop();
    if (slot === undefined) return -1;
    this.free.push(slot);
    return slot;
  }

  /** Time of a just-popped slot. */
  timeOf(slot: number): number {
    return this.times[slot];
  }
  /** Seq (event id) of a just-popped slot. */
  seqOf(slot: number): number {
    return this.seqs[slot];
  }
  /** Owner of a just-popped slot. */
  ownerOf(slot: number): number {
    return this.owners[slot];
  }
  /** Takes the payload of a just-popped slot, dropping the queue's reference to it. */
  takePayload(slot: number): P {
    const p = this.payloads[slot] as P;
    this.payloads[slot] = undefined;
    return p;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const t = new Float64Array(n);
    t.set(this.times);
    const s = new Float64Array(n);
    s.set(this.seqs);
    const o = new Int32Array(n);
    o.set(this.owners);
    this.times = t;
    this.seqs = s;
    this.owners = o;
    this.payloads.length = n;
  }
}
