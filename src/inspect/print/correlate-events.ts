/**
 * The core/v1 Event objects the API server holds at a virtual time, rebuilt from k8sim's list of every recorded
 * occurrence (events.jsonl) by replaying client-go's EventCorrelator (staging/src/k8s.io/client-go/tools/record/
 * events_cache.go) per event source, as each component's recorder runs its own:
 * - the aggregator: more than 9 distinct messages of the same source, object, type and reason, each within 10
 *   minutes of the previous one, turn into one Event "(combined from similar events): <latest message>";
 * - the logger: a repeat of the same event (same key, message included) patches the Event it created: count + 1,
 *   lastTimestamp, message; the first occurrence creates `<involvedObject.name>.<hex UnixNano>`;
 * - the spam filter: a token bucket per source and object, burst 25, refilling one token per 5 minutes: an
 *   occurrence without a token is never written. NOTE this is upstream behaviour, and why the API (and so
 *   `k8sim get events`) can show fewer occurrences than events.jsonl, which keeps them all.
 * Each cache is an LRU of 4096 entries (maxLruCacheEntries). The API server's --event-ttl (default 1h) removes an
 * Event one hour after its last write; a later repeat then recreates it (the recorder's patch gets NotFound and it
 * creates the Event with the cached name, first timestamp and count).
 */
import type { EventRecord, EventSource } from "../../api/events.js";
import { kindSpec } from "../../api/registry/registry.js";
import type { KubeObject } from "../../api/types.js";
import { TokenBucket } from "../../api/token-bucket.js";

/** core/v1 Event as the API server returns it (the fields the legacy recorder sets). */
export interface CoreEvent extends KubeObject {
  apiVersion: "v1";
  kind: "Event";
  involvedObject: { apiVersion?: string; kind: string; namespace?: string; name: string; uid?: string; fieldPath?: string };
  reason: string;
  message: string;
  source: EventSource;
  /** RFC 3339, whole seconds (metav1.Time). */
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  type: "Normal" | "Warning";
  /** A legacy recorder's events have no eventTime (metav1.MicroTime zero, serialized null). */
  eventTime: null;
  reportingComponent: string;
  reportingInstance: string;
}

/** defaultSpamBurst, defaultSpamQPS (1/300 per second), defaultAggregateMaxEvents, defaultAggregateIntervalInSeconds. */
export const SPAM_BURST = 25;
export const SPAM_QPS = 1 / 300;
export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
/** maxLruCacheEntries. */
export const LRU_ENTRIES = 4096;
/** kube-apiserver --event-ttl default. */
export const EVENT_TTL_MS = 3_600_000;

/** golang-lru's Cache: Get and Add make a key the most recent; adding past the size evicts the least recent. */
class Lru<V> {
  private readonly m = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(k: string): V | undefined {
    const v = this.m.get(k);
    if (v !== undefined) {
      this.m.delete(k);
      this.m.set(k, v);
    }
    return v;
  }
  add(k: string, v: V): void {
    this.m.delete(k);
    this.m.set(k, v);
    if (this.m.size > this.size) this.m.delete(this.m.keys().next().value as string);
  }
}

interface AggregateRecord {
  localKeys: Set<string>;
  lastMs: number;
}

interface EventLog {
  count: number;
  firstMs: number;
  name: string;
}

/** One component's EventCorrelator. */
class Correlator {
  readonly spam = new Lru<TokenBucket>(LRU_ENTRIES);
  readonly aggregate = new Lru<AggregateRecord>(LRU_ENTRIES);
  readonly log = new Lru<EventLog>(LRU_ENTRIES);
}

/** An Event as the API holds it, with when it was last written (for the TTL). */
interface Held {
  event: CoreEvent;
  writtenMs: number;
}

const SEP = "\u0000";

function rfc3339(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** `<name>.<UnixNano in lower-case hex>`, as makeEvent and the aggregator name Events. */
export function eventName(involvedName: string, epochMs: number, extraNanos = 0n): string {
  return `${involvedName}.${(BigInt(epochMs) * 1_000_000n + extraNanos).toString(16)}`;
}

function apiVersionOf(kind: string): string | undefined {
  const spec = kindSpec(kind);
  if (!spec) return undefined;
  return spec.group ? `${spec.group}/${spec.version}` : spec.version;
}

/**
 * The Events the API holds at `atMs` (virtual ms; default: after the last record) given every recorded occurrence
 * up to then in order, `startTimeMs` being the epoch ms of virtual time 0. Sorted by namespace then name, as the
 * API server lists them.
 */
export function correlateEvents(records: readonly EventRecord[], startTimeMs: number, atMs?: number): CoreEvent[] {
  const correlators = new Map<string, Correlator>();
  const held = new Map<string, Held>();
  // Names given so far (namespace/name): virtual time has millisecond resolution, so two events about one object
  // in the same millisecond would get one name. NOTE: k8sim then adds 1 ns (and more) to the later one's name, as
  // a real clock's nanoseconds would tell them apart; upstream never sees the collision.
  const named = new Set<string>();
  let lastMs = 0;
  for (const r of records) {
    if (atMs !== undefined && r.simTime > atMs) break;
    lastMs = r.simTime;
    const src = r.source;
    const srcKey = `${src.component}${SEP}${src.host ?? ""}`;
    let c = correlators.get(srcKey);
    if (!c) correlators.set(srcKey, (c = new Correlator()));
    const now = startTimeMs + r.simTime;
    const io = r.involvedObject;
    const apiVersion = apiVersionOf(io.kind);
    const objectKey = [src.component, src.host ?? "", io.kind, io.namespace ?? "", io.name, io.uid ?? "", apiVersion ?? ""].join(SEP);
    // EventAggregate: the aggregate key leaves the message out; the message is the local key.
    const aggregateKey = [objectKey, r.type, r.reason, src.component, src.host ?? ""].join(SEP);
    let agg = c.aggregate.get(aggregateKey);
    if (!agg || now - agg.lastMs > AGGREGATE_INTERVAL_MS) agg = { localKeys: new Set(), lastMs: now };
    agg.localKeys.add(r.message);
    agg.lastMs = now;
    c.aggregate.add(aggregateKey, agg);
    let message = r.message;
    let key: string;
    let freshName = eventName(io.name, now);
    if (agg.localKeys.size < AGGREGATE_MAX_EVENTS) {
      key = [objectKey, "", r.type, r.reason, r.message].join(SEP); // getEventKey (fieldPath empty)
    } else {
      // NOTE: upstream's PopAny drops an arbitrary message (Go map order); k8sim drops the oldest, to stay deterministic.
      agg.localKeys.delete(agg.localKeys.values().next().value as string);
      message = `(combined from similar events): ${r.message}`;
      key = aggregateKey;
    }
    // eventObserve.
    const last = c.log.get(key);
    if (!last) {
      const ns = io.namespace || "default";
      for (let extra = 1n; named.has(`${ns}/${freshName}`); extra++) freshName = eventName(io.name, now, extra);
      named.add(`${ns}/${freshName}`);
    }
    const observed: EventLog = last ? { count: last.count + 1, firstMs: last.firstMs, name: last.name } : { count: 1, firstMs: now, name: freshName };
    c.log.add(key, observed);
    // filterFunc: the spam filter runs after the caches were updated.
    let bucket = c.spam.get(objectKey);
    if (!bucket) bucket = new TokenBucket(SPAM_QPS, SPAM_BURST, now);
    c.spam.add(objectKey, bucket);
    if (!bucket.tryAccept(now)) continue;
    const namespace = io.namespace || "default";
    const storeKey = `${namespace}/${observed.name}`;
    const prior = held.get(storeKey);
    const alive = prior !== undefined && now - prior.writtenMs < EVENT_TTL_MS;
    const involvedObject: CoreEvent["involvedObject"] = { kind: io.kind, name: io.name };
    if (io.namespace) involvedObject.namespace = io.namespace;
    if (io.uid) involvedObject.uid = io.uid;
    if (apiVersion) involvedObject.apiVersion = apiVersion;
    const event: CoreEvent = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: observed.name, namespace, creationTimestamp: alive ? prior.event.metadata.creationTimestamp : rfc3339(now) },
      involvedObject,
      reason: r.reason,
      message,
      source: src.host ? { component: src.component, host: src.host } : { component: src.component },
      firstTimestamp: rfc3339(observed.firstMs),
      lastTimestamp: rfc3339(now),
      count: observed.count,
      type: r.type,
      eventTime: null,
      reportingComponent: src.component,
      reportingInstance: src.host ?? "",
    };
    held.set(storeKey, { event, writtenMs: now });
  }
  const end = startTimeMs + (atMs ?? lastMs);
  const out: CoreEvent[] = [];
  for (const h of held.values()) if (end - h.writtenMs < EVENT_TTL_MS) out.push(h.event);
  out.sort((a, b) => {
    const an = a.metadata.namespace!;
    const bn = b.metadata.namespace!;
    if (an !== bn) return an < bn ? -1 : 1;
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  });
  return out;
}
