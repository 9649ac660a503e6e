import type { ApiClock } from "./clock.js";
import type { KubeObject } from "./types.js";

/** One Kubernetes Event as written to events.jsonl (core/v1 Event fields, as `kubectl get events -o json`). */
export interface EventRecord {
  /** Virtual time of the event (ms since startTime). */
  simTime: number;
  /** metav1.MicroTime of the event. */
  eventTime: string;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  involvedObject: { kind: string; namespace?: string; name: string; uid?: string };
  source: { component: string; host?: string };
}

/**
 * The cluster's event sink (client-go's record.EventRecorder): components record Events here and they are kept in
 * order for events.jsonl. NOTE: upstream stores Events as API objects with a 1h TTL and aggregates repeats
 * (count, series); k8sim keeps every occurrence outside the store, so the file is a complete log.
 */
export class EventRecorder {
  /** Every recorded event, in the order recorded. */
  readonly records: EventRecord[] = [];

  constructor(private readonly clock: ApiClock) {}

  /** Records an event about `object` from `component` (and, for kubelets, `host`). */
  record(object: KubeObject, type: "Normal" | "Warning", reason: string, message: string, component: string, host?: string): void {
    const m = object.metadata;
    this.records.push({
      simTime: this.clock.ms,
      eventTime: this.clock.microTime(),
      type,
      reason,
      message,
      involvedObject: m.namespace
        ? { kind: object.kind, namespace: m.namespace, name: m.name, uid: m.uid }
        : { kind: object.kind, name: m.name, uid: m.uid },
      source: host ? { component, host } : { component },
    });
  }
}
