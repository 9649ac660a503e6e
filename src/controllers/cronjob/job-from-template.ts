/**
 * The Job a CronJob creates for one schedule time, as pkg/controller/cronjob/utils.go getJobFromTemplate2 and
 * cronjob_controllerv2.go getJobName / getRef build it, and the two time texts the controller prints. Pure
 * functions; times are epoch ms.
 */
import { loadLocation, offsetMs, wallFields } from "../../cron/wall-clock.js";
import type { CronJob, Job, ObjectReference } from "../../api/batch/types.js";

/** batch/v1 CronJobScheduledTimestampAnnotation: the schedule time a Job was created for (feature CronJobsScheduledAnnotation, beta and on since v1.28). */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/**
 * cronjob_controllerv2.go getJobName: `<cronjob>-<scheduledTime.Unix() / 60>` (getTimeHashInMinutes), e.g. 00:15 UTC
 * on 2026-01-01 is 1767226500 s / 60 = 29453775 minutes, so `backup-29453775`.
 */
export function cronJobJobName(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
}

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** Go's `t.In(loc).Format(time.RFC3339)` at second precision: `2026-01-01T09:00:00-05:00`, or `...Z` at offset 0. */
export function rfc3339InZone(ms: number, zone: string): string {
  const w = wallFields(zone, ms);
  const date = `${String(w.year).padStart(4, "0")}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
  // Go's "Z07:00": Z for a zero offset, else the sign and hh:mm (seconds of an LMT offset are dropped).
  const off = Math.trunc(offsetMs(zone, ms) / 60_000);
  if (off === 0) return `${date}Z`;
  const a = Math.abs(off);
  return `${date}${off < 0 ? "-" : "+"}${two(Math.floor(a / 60))}:${two(a % 60)}`;
}

let lastMetaMs = NaN;
let lastMetaText = "";

/** metav1.Time as it serialises: RFC 3339 in UTC, truncated to the second (`2026-01-01T00:15:00Z`). */
export function metaTime(ms: number): string {
  const sec = Math.floor(ms / 1000) * 1000;
  // Every CronJob on the same schedule asks for the same instant at a tick.
  if (sec !== lastMetaMs) {
    lastMetaMs = sec;
    lastMetaText = `${new Date(sec).toISOString().slice(0, 19)}Z`;
  }
  return lastMetaText;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Go's `t.UTC().Format(time.RFC1123Z)`, as the MissSchedule event prints the missed time: `Thu, 01 Jan 2026 00:15:00 +0000`. */
export function rfc1123zUtc(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/**
 * utils.go getJobFromTemplate2: a Job named by cronJobJobName in the CronJob's namespace, with the template's labels
 * and annotations (copied), the annotation CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = the schedule time in the
 * CronJob's time zone (RFC 3339), a controller ownerReference to the CronJob (batch/v1, controller and
 * blockOwnerDeletion true, metav1.NewControllerRef) and spec = jobTemplate.spec. Fails only when spec.timeZone does
 * not load (upstream's time.LoadLocation error), which syncCronJob has refused earlier.
 * NOTE: upstream deep-copies the spec; stored objects are never mutated here, so the template's spec is shared
 * (the API server's defaulting builds the stored Job's own spec anyway). Upstream also sets creationTimestamp to
 * the schedule time, which the API server overwrites; it is left out.
 */
export function jobFromTemplate(cj: CronJob, scheduledMs: number): { ok: true; job: Job } | { ok: false; error: string } {
  const loc = loadLocation(cj.spec.timeZone ?? "");
  if ("error" in loc) return { ok: false, error: loc.error };
  const t = cj.spec.jobTemplate;
  const labels = t.metadata?.labels;
  const annotations: Record<string, string> = { ...(t.metadata?.annotations ?? {}) };
  annotations[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION] = rfc3339InZone(scheduledMs, loc.zone);
  const m = cj.metadata;
  const job: Job = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: cronJobJobName(m.name, scheduledMs),
      namespace: m.namespace,
      // An empty labels.Set serialises as nothing (omitempty).
      ...(labels && Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}),
      annotations,
      ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: m.name, uid: m.uid ?? "", controller: true, blockOwnerDeletion: true }],
    },
    spec: t.spec,
    status: {},
  };
  return { ok: true, job };
}

/**
 * cronjob_controllerv2.go getRef (client-go tools/reference GetReference) of a stored Job, as status.active lists
 * it: kind, namespace, name, uid, apiVersion, resourceVersion, in corev1.ObjectReference's field order.
 */
export function jobReference(job: Job): ObjectReference {
  const m = job.metadata;
  return { kind: "Job", namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: "batch/v1", resourceVersion: m.resourceVersion };
}
