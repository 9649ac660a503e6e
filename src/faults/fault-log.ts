/**
 * The record of every injected fault: one row per fault for faults.csv, and a Kubernetes Event per fault in
 * events.jsonl, so `k8sim get events` and `describe` show what was done to an object next to what the cluster did
 * about it.
 */
import type { ApiClock } from "../api/clock.js";
import type { EventRecorder } from "../api/events.js";
import type { KubeObject } from "../api/types.js";

/** One injected fault, as a faults.csv row and as a Kubernetes Event in events.jsonl. */
export interface FaultRecord {
  /** Virtual ms. */
  at: number;
  /** "timeline" or the spec.faults process name. */
  source: string;
  /** The action, e.g. "nodeFailure", "zoneOutage", "containerCrash". */
  action: string;
  /** What it hit, e.g. "node/zone-b-3", "zone/zone-b", "pod/default/web-1/app", "cluster". */
  target: string;
  /** Human text, e.g. "until 15m", "exit code 137"; may be empty. */
  detail: string;
}

/** The Event source component of fault Events (no upstream component injects faults). */
export const FAULT_COMPONENT = "k8sim-fault-injector";

/** Header of faults.csv, in order (reports/README.md). */
export const FAULT_COLUMNS = ["time", "elapsed_seconds", "source", "action", "target", "detail"] as const;

/** The Event reason of a fault action: `k8simFault` + the action with its first letter capitalised. */
export function faultReason(action: string): string {
  return `k8simFault${action.charAt(0).toUpperCase()}${action.slice(1)}`;
}

/** The Event message of a fault: names the source, the action, the target and the detail. */
export function faultMessage(r: FaultRecord): string {
  return `fault injected by ${r.source}: ${r.action} ${r.target}${r.detail ? ` (${r.detail})` : ""}`;
}

/**
 * The run's fault log. `record` keeps the row and records a Warning Event about `involved`. Zone-wide faults are
 * recorded once per node they hit (target `node/<name>`, the Node as involved object, the zone in the detail), so
 * `describe node` shows them; a fault with no object to name (a cluster-wide one) is recorded against the
 * `kube-system` Namespace, where the control plane's own components live.
 */
export class FaultLog {
  /** Every record, in the order recorded (virtual time order). */
  readonly rows: FaultRecord[] = [];

  constructor(private readonly events: EventRecorder, private readonly clock: ApiClock) {}

  /** Records the fault: a row, and an Event (type Warning, reason faultReason(action), source FAULT_COMPONENT,
   *  message faultMessage) about `involved`, or the kube-system Namespace when none is given. */
  record(r: FaultRecord, involved?: KubeObject): void {
    this.rows.push(r);
    const about = involved ?? ({ apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system" } } as unknown as KubeObject);
    this.events.record(about, "Warning", faultReason(r.action), faultMessage(r), FAULT_COMPONENT);
  }

  /** faults.csv's rows after the header: time as metrics.csv writes it (RFC 3339, whole seconds), elapsed seconds. */
  csvRows(): (string | number)[][] {
    return this.rows.map((r) => [this.clock.time(r.at), r.at / 1000, r.source, r.action, r.target, r.detail]);
  }
}
