import type { Informer, InformerHandlers } from "../api/informer.js";
import { KINDS } from "../api/registry/registry.js";
import type { WatchType } from "../api/store.js";
import type { KubeObject } from "../api/types.js";
import { Findings, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The watch-delivery invariant. */
export const WATCH_DELIVERY: InvariantInfo = {
  name: "watch-delivery",
  statement: "each informer gets every watch event of its kind exactly once, in write order, as the matching callback, when it is due (a relist's updates of objects with themselves aside)",
  when: "every-event",
};

/** A committed write an informer still has to deliver. */
export interface PendingDelivery {
  type: WatchType;
  /** `namespace/name` (cluster-scoped: `/name`). */
  key: string;
  /** metadata.resourceVersion of the written object (for DELETED, the last state's). */
  version: string | undefined;
  /** Virtual time by which it is due: the write's time plus the informer latency. */
  dueAt: number;
}

/** A callback an informer made to its handlers. */
export interface ObservedDelivery {
  callback: "onAdd" | "onUpdate" | "onDelete";
  key: string;
  version: string | undefined;
}

/** `Kind/namespace/name` (or `Kind/name`) from an informer's name (`informer/<Kind>`) and a delivery key. */
function objectOf(informer: string, key: string): string {
  return `${informer.replace(/^informer\//, "")}/${key.startsWith("/") ? key.slice(1) : key}`;
}

const CALLBACK: Readonly<Record<WatchType, ObservedDelivery["callback"]>> = { ADDED: "onAdd", MODIFIED: "onUpdate", DELETED: "onDelete" };

/**
 * Violations for one delivery `got` by informer `informer` at `time`, given the oldest write it has not delivered
 * (`expected`, undefined if none). A delivery with nothing pending is a duplicate; one that differs from the oldest
 * pending write is out of order, of the wrong type, or of a stale object; one before its due time is early. Pure.
 */
export function deliveryViolations(informer: string, expected: PendingDelivery | undefined, got: ObservedDelivery, time: number): Violation[] {
  const v = (message: string): Violation[] => [{ invariant: WATCH_DELIVERY.name, time, object: objectOf(informer, got.key), message: `${informer}: ${message}` }];
  const what = `${got.callback}(${got.key} rv ${got.version})`;
  if (expected === undefined) return v(`${what} delivered with no write pending: a duplicate or invented event`);
  if (expected.key !== got.key || expected.version !== got.version) {
    return v(`${what} delivered while the oldest undelivered write is ${expected.type} ${expected.key} rv ${expected.version}: out of order, repeated or lost`);
  }
  if (CALLBACK[expected.type] !== got.callback) return v(`${what} delivered for a ${expected.type} write; expected ${CALLBACK[expected.type]}`);
  if (time < expected.dueAt) return v(`${what} delivered at ${time} ms, before it is due at ${expected.dueAt} ms`);
  return [];
}

/**
 * Violations for the oldest undelivered write `head` once every event up to `time` has run: a write due before
 * `time` should have been delivered by now (deliveries run at their due time). Pure.
 */
export function lateDeliveryViolations(informer: string, head: PendingDelivery | undefined, time: number): Violation[] {
  if (head === undefined || head.dueAt >= time) return [];
  return [{ invariant: WATCH_DELIVERY.name, time, object: objectOf(informer, head.key), message: `${informer}: ${head.type} ${head.key} rv ${head.version} was due at ${head.dueAt} ms and is still not delivered` }];
}

/** A FIFO of writes one informer has yet to deliver (head index, so popping is O(1)). */
class DeliveryQueue {
  private items: PendingDelivery[] = [];
  private head = 0;
  constructor(readonly name: string) {}
  push(d: PendingDelivery): void {
    this.items.push(d);
  }
  /** The due time of the latest write queued (-Infinity when none is pending). */
  get lastDue(): number {
    return this.items.length > this.head ? this.items[this.items.length - 1]!.dueAt : -Infinity;
  }
  peek(): PendingDelivery | undefined {
    return this.items[this.head];
  }
  shift(): void {
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

const deliveryKey = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/**
 * watch-delivery, attributed to the informers. Hooks every informer of a registered kind that exists and already
 * has handlers (a first handler would give an informer delivery events and so change the run; looking one up
 * through the factory's getters would create it), with a store watcher that queues each write and a handler that
 * pops it when delivered. O(1) per write and per delivery; after each event, one look at each queue's head.
 */
export const WATCH_DELIVERY_CHECK: InvariantRegistration = {
  ...WATCH_DELIVERY,
  owners: [{ component: "informers" }],
  create(cluster) {
    const { store, informers, settings } = cluster.cp;
    const queues: DeliveryQueue[] = [];
    const found = new Findings();
    // The factory's informers by kind; private to it, so read here as a test-only peek (as the handlers below).
    const existing = (informers as unknown as { informers: Map<string, Informer<KubeObject>> }).informers;
    for (const { kind } of KINDS) {
      const inf = existing.get(kind);
      if (inf === undefined || !(inf as unknown as { handlers: unknown[] }).handlers.length) continue;
      const name = `informer/${kind}`;
      const q = new DeliveryQueue(name);
      queues.push(q);
      // Due after the informer latency plus a slow API server's (slowApiServer), never before an earlier write.
      store.watch(kind, (type, obj) => q.push({ type, key: deliveryKey(obj), version: obj.metadata.resourceVersion, dueAt: Math.max(q.lastDue, cluster.sim.now + settings.informerLatency + cluster.cp.slowdown.extra(cluster.sim.now)) }));
      let replaying = true;
      // Writes committed before the check existed (the controllers' bootstrap objects) may still be on their way
      // to an informer with latency: their deliveries were never queued here, and are not judged.
      const startVersion = store.resourceVersion;
      const seen = (callback: ObservedDelivery["callback"], obj: KubeObject) => {
        if (replaying) return;
        if (callback !== "onDelete" && Number(obj.metadata.resourceVersion) <= startVersion) return;
        const got = { callback, key: deliveryKey(obj), version: obj.metadata.resourceVersion };
        const vs = deliveryViolations(name, q.peek(), got, cluster.sim.now);
        found.add(vs);
        // Pop only on a match, so one lost event is reported once rather than shifting every later comparison.
        if (vs.length === 0 || (q.peek()?.key === got.key && q.peek()?.version === got.version)) q.shift();
      };
      const handlers: InformerHandlers<KubeObject> = {
        onAdd: (o) => seen("onAdd", o),
        // A relist (Informer.relist) hands each cached object over as an update of itself: no write, not judged.
        onUpdate: (_old, o) => !inf.relisting && seen("onUpdate", o),
        onDelete: (o) => seen("onDelete", o),
      };
      inf.addHandlers(handlers);
      replaying = false;
    }
    return {
      afterEvent(time) {
        for (const q of queues) if (q.peek() !== undefined) found.add(lateDeliveryViolations(q.name, q.peek(), time));
        return found.take();
      },
      finish(end) {
        for (const q of queues) found.add(lateDeliveryViolations(q.name, q.peek(), end + 1));
        return found.take();
      },
    };
  },
};
