import type { ApiClock } from "./clock.js";
import type { KubeObject } from "./types.js";

/** Where an event came from (core/v1 EventSource). */
export interface EventSource {
  component: string;
  host?: string;
}

/** One Kubernetes Event as kept in memory: core/v1 Event fields, with the virtual time it happened. */
export interface EventRecord {
  /** Virtual time of the event (ms since startTime). */
  simTime: number;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  involvedObject: { kind: string; namespace?: string; name: string; uid?: string };
  source: EventSource;
}

/**
 * The cluster's event sink (client-go's record.EventRecorder): components record Events here and they are kept in
 * order for events.jsonl. NOTE: upstream stores Events as API objects with a 1h TTL and aggregates repeats
 * (count, series); k8sim keeps every occurrence outside the store, so the file is a complete log.
 */
export class EventRecorder {
  /** Every recorded event, in the order recorded. */
  readonly records: EventRecord[] = [];
  // One source object per component and host: a large run records millions of events.
  private readonly sources = new Map<string, EventSource>();

  constructor(private readonly clock: ApiClock) {}

  /** Records an event about `object` from `component` (and, for kubelets, `host`). */
  record(object: KubeObject, type: "Normal" | "Warning", reason: string, message: string, component: string, host?: string): void {
    const m = object.metadata;
    this.records.push({
      simTime: this.clock.ms,
      type,
      reason,
      message,
      involvedObject: m.namespace
        ? { kind: object.kind, namespace: m.namespace, name: m.name, uid: m.uid }
        : { kind: object.kind, name: m.name, uid: m.uid },
      source: this.source(component, host),
    });
  }

  /** An event as one events.jsonl line: simTime, then eventTime (metav1.MicroTime), then the Event fields. */
  line(e: EventRecord): string {
    return JSON.stringify({
      simTime: e.simTime,
      eventTime: this.clock.microTime(e.simTime),
      type: e.type,
      reason: e.reason,
      message: e.message,
      involvedObject: e.involvedObject,
      source: e.source,
    });
  }

  private source(component: string, host: string | undefined): EventSource {
    const key = host === undefined ? component : `${component}\u0000${host}`;
    let s = this.sources.get(key);
    if (s === undefined) this.sources.set(key, (s = host === undefined ? { component } : { component, host }));
    return s;
  }
}
