/**
 * `kubectl get events`: printEvent's row (pkg/printers/internalversion/printers.go, v1.32): LAST SEEN, TYPE,
 * REASON, OBJECT (`<kind lower case>/<name>`), MESSAGE; -o wide puts SUBOBJECT and SOURCE before MESSAGE and FIRST
 * SEEN, COUNT, NAME after it. kubectl get sorts nothing without --sort-by: Events come in the API's list order
 * (namespace, then name). An empty listing says "No resources found in <ns> namespace." on stderr.
 */
import type { KubeObject } from "../../api/types.js";
import type { CoreEvent } from "./correlate-events.js";
import { since } from "./human-duration.js";
import { printTable, type PrintOptions, type Printed } from "./print-objects.js";

/** The column order of -o wide (printEvent's wide cells). */
const WIDE = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"];

/** formatEventSource: component (or reportingComponent), then ", host" (or reportingInstance) when there is one. */
export function eventSource(e: CoreEvent): string {
  const component = e.source?.component || e.reportingComponent || "";
  const instance = e.source?.host || e.reportingInstance || "";
  return instance ? `${component}, ${instance}` : component;
}

/** printEvent's cells at `nowMs`. */
export function eventRow(e: CoreEvent, nowMs: number, wide: boolean): string[] {
  const first = since(e.firstTimestamp, nowMs);
  const last = e.lastTimestamp ? since(e.lastTimestamp, nowMs) : first;
  const count = e.count || 1;
  const io = e.involvedObject;
  const target = io.name ? `${io.kind.toLowerCase()}/${io.name}` : io.kind.toLowerCase();
  const message = e.message.trim();
  if (!wide) return [last, e.type, e.reason, target, message];
  return [last, e.type, e.reason, target, io.fieldPath ?? "", eventSource(e), message, first, String(count), e.metadata.name];
}

/** Prints Events (already correlated and selected) as kubectl get events does. */
export function printEvents(events: readonly CoreEvent[], opts: PrintOptions): Printed {
  return printTable(
    "Event",
    events as readonly KubeObject[],
    opts,
    (o, wide) => eventRow(o as CoreEvent, opts.nowMs, wide),
    { columns: ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], wideColumns: [] },
    () => WIDE,
  );
}
