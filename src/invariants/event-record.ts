import type { EventRecord } from "../api/events.js";
import { kindSpec } from "../api/registry/registry.js";
import { Findings, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The event-record invariant. */
export const EVENT_RECORD: InvariantInfo = {
  name: "event-record",
  statement:
    "Kubernetes Events are recorded in time order, none in the future, each of type Normal or Warning with a reason, about a named object of a registered kind (namespaced exactly when its kind is)",
  when: "every-event",
};

/** `Event/<namespace>/<reason>` (or `Event/<reason>`): how a violation names an event, which has no name of its own. */
const eventName = (e: EventRecord) => `Event/${e.involvedObject.namespace ? `${e.involvedObject.namespace}/` : ""}${e.reason || "(no reason)"}`;

/** Violations of event-record for event `e`, recorded after one at `previous` ms, seen at virtual time `time`. Pure. */
export function eventRecordViolations(e: EventRecord, previous: number, time: number): Violation[] {
  const out: Violation[] = [];
  const o = e.involvedObject;
  const report = (message: string) => out.push({ invariant: EVENT_RECORD.name, time, object: eventName(e), message: `event about ${o.kind}/${o.namespace ? `${o.namespace}/` : ""}${o.name}: ${message}` });
  if (!(e.simTime <= time)) report(`recorded at ${e.simTime} ms, after the current time`);
  if (e.simTime < previous) report(`recorded at ${e.simTime} ms, before the event recorded ahead of it (${previous} ms)`);
  if (e.type !== "Normal" && e.type !== "Warning") report(`type ${JSON.stringify(e.type)}, not Normal or Warning`);
  if (!e.reason) report("no reason");
  const spec = kindSpec(o.kind);
  if (spec === undefined) report(`involvedObject kind ${JSON.stringify(o.kind)} is not a registered kind`);
  else if (spec.namespaced !== (o.namespace !== undefined && o.namespace !== "")) report(`involvedObject ${spec.namespaced ? "lacks" : "has"} a namespace, and ${o.kind} is ${spec.namespaced ? "" : "not "}namespaced`);
  if (!o.name) report("involvedObject has no name");
  return out;
}

/**
 * event-record, attributed to the Event kind. NOTE: k8sim keeps Events outside the store (src/api/events.ts), so
 * the check reads the recorder: after each event, only the records added since the last call. O(new records).
 */
export const EVENT_RECORD_CHECK: InvariantRegistration = {
  ...EVENT_RECORD,
  owners: [{ kind: "Event" }],
  create(cluster) {
    const records = cluster.cp.events.records;
    let seen = records.length;
    let previous = seen > 0 ? records[seen - 1]!.simTime : 0;
    const found = new Findings();
    const scan = (time: number) => {
      for (; seen < records.length; seen++) {
        const e = records[seen]!;
        const vs = eventRecordViolations(e, previous, time);
        if (vs.length > 0) found.add(vs);
        previous = Math.max(previous, e.simTime);
      }
      return found.take();
    };
    return { afterEvent: scan, finish: scan };
  },
};
