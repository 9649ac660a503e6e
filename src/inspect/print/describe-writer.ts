/**
 * kubectl describe's text machinery (staging/src/k8s.io/kubectl/pkg/describe/describe.go): the PrefixWriter (two
 * spaces per level before each write), tabbedString's tabwriter (minwidth 0, padding 2), the multi-line label,
 * annotation, taint and toleration fields, RFC 1123Z times, and DescribeEvents' table.
 */
import type { Taint, Toleration } from "../../api/types.js";
import type { CoreEvent } from "./correlate-events.js";
import { since } from "./human-duration.js";
import { byteOrder } from "./sort-keys.js";
import { DESCRIBE_TABWRITER, tabwrite } from "./tabwriter.js";

/** Collects PrefixWriter writes; `done()` lays them out with describe's tabwriter. */
export class PrefixWriter {
  private text = "";
  /** Write(level, text): `level` x two spaces, then the text (tabs separate cells). */
  write(level: number, text: string): void {
    this.text += "  ".repeat(level) + text;
  }
  /** WriteLine: the text and a newline, at level 0. */
  line(text: string): void {
    this.text += text + "\n";
  }
  done(): string {
    return tabwrite(this.text, DESCRIBE_TABWRITER);
  }
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * time.RFC1123Z ("Mon, 02 Jan 2006 15:04:05 -0700") of an RFC 3339 time, in UTC; Go's zero time for an absent one.
 * NOTE: kubectl formats in the local time zone of the machine running it; k8sim always prints UTC (+0000), so the
 * output does not depend on where it runs (kubectl run with TZ=UTC prints the same).
 */
export function rfc1123z(ts: string | undefined | null): string {
  const ms = ts ? Date.parse(ts) : NaN;
  if (Number.isNaN(ms)) return "Mon, 01 Jan 0001 00:00:00 +0000";
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** printLabelsMultiline: "Title:\tk=v" then "\tk=v" per further label, sorted; "<none>" when empty. */
export function labelsMultiline(w: PrefixWriter, title: string, labels: Readonly<Record<string, string>> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort(byteOrder);
  if (keys.length === 0) return w.line("<none>");
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, "\t");
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

/** kubectl's skipAnnotations (the last-applied configuration is never shown). */
const SKIP_ANNOTATIONS = new Set(["kubectl.kubernetes.io/last-applied-configuration"]);
/** maxAnnotationLen. */
const MAX_ANNOTATION_LEN = 140;

/** printAnnotationsMultiline: "key: value", a long or multi-line value on its own indented lines, shortened. */
export function annotationsMultiline(w: PrefixWriter, title: string, annotations: Readonly<Record<string, string>> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {}).filter((k) => !SKIP_ANNOTATIONS.has(k)).sort(byteOrder);
  if (keys.length === 0) return w.line("<none>");
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, "\t");
    const value = annotations![k]!.replace(/\n$/, "");
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes("\n")) {
      w.write(0, `${k}:\n`);
      for (const s of value.split("\n")) w.write(0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else w.write(0, `${k}: ${value}\n`);
  });
}

function shorten(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) + "..." : s;
}

/** Taint.ToString. */
export function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

/** printTaintsMultiline: sorted by "effect,key". */
export function taintsMultiline(w: PrefixWriter, title: string, taints: readonly Taint[] | undefined): void {
  w.write(0, `${title}:\t`);
  const ts = [...(taints ?? [])].sort((a, b) => byteOrder(`${a.effect},${a.key}`, `${b.effect},${b.key}`));
  if (ts.length === 0) return w.line("<none>");
  ts.forEach((t, i) => {
    if (i !== 0) w.write(0, "\t");
    w.write(0, `${taintString(t)}\n`);
  });
}

/** printTolerationsMultiline: sorted by key; "op=Exists" for an Exists without value, " for Ns" with seconds. */
export function tolerationsMultiline(w: PrefixWriter, title: string, tolerations: readonly Toleration[] | undefined): void {
  w.write(0, `${title}:\t`);
  const ts = [...(tolerations ?? [])].sort((a, b) => byteOrder(a.key ?? "", b.key ?? ""));
  if (ts.length === 0) return w.line("<none>");
  ts.forEach((t, i) => {
    if (i !== 0) w.write(0, "\t");
    let s = t.key ?? "";
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === "Exists" && !t.value) s += t.key || t.effect ? " op=Exists" : "op=Exists";
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(0, s + "\n");
  });
}

/**
 * DescribeEvents: "Events:\t<none>", or the table Type / Reason / Age / From / Message sorted by lastTimestamp, Age
 * "3m (x5 over 10m)" for a repeated event. NOTE: upstream's sort.Sort is not stable; k8sim keeps equal
 * lastTimestamps in list order (what Go's insertion sort does for up to 12 events).
 */
export function describeEvents(w: PrefixWriter, events: readonly CoreEvent[], nowMs: number): void {
  if (events.length === 0) return w.write(0, "Events:\t<none>\n");
  const sorted = [...events].sort((a, b) => Date.parse(a.lastTimestamp) - Date.parse(b.lastTimestamp));
  w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(1, "----\t------\t----\t----\t-------\n");
  for (const e of sorted) {
    const first = since(e.firstTimestamp, nowMs);
    const interval = e.count > 1 ? `${since(e.lastTimestamp, nowMs)} (x${e.count} over ${first})` : first;
    const from = e.source?.component || e.reportingComponent;
    w.write(1, `${e.type}\t${e.reason}\t${interval}\t${from}\t${e.message.trim()}\n`);
  }
}
