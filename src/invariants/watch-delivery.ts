import type { WatchType } from "../api/store.js";
import type { InvariantInfo, Violation } from "./types.js";

/** The watch-delivery invariant. */
export const WATCH_DELIVERY: InvariantInfo = {
  name: "watch-delivery",
  statement: "each informer gets every watch event of its kind exactly once, in write order, as the matching callback, when it is due",
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

const CALLBACK: Readonly<Record<WatchType, ObservedDelivery["callback"]>> = { ADDED: "onAdd", MODIFIED: "onUpdate", DELETED: "onDelete" };

/**
 * Violations for one delivery `got` by informer `informer` at `time`, given the oldest write it has not delivered
 * (`expected`, undefined if none). A delivery with nothing pending is a duplicate; one that differs from the oldest
 * pending write is out of order, of the wrong type, or of a stale object; one before its due time is early. Pure.
 */
export function deliveryViolations(informer: string, expected: PendingDelivery | undefined, got: ObservedDelivery, time: number): Violation[] {
  const v = (message: string): Violation[] => [{ invariant: WATCH_DELIVERY.name, time, message: `${informer}: ${message}` }];
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
  return [{ invariant: WATCH_DELIVERY.name, time, message: `${informer}: ${head.type} ${head.key} rv ${head.version} was due at ${head.dueAt} ms and is still not delivered` }];
}
