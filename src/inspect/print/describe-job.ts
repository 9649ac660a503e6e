/**
 * `kubectl describe job`: describeJob (staging/src/k8s.io/kubectl/pkg/describe/describe.go, v1.32): selector,
 * parallelism, completions, mode, suspend, backoff limit, times and duration, pod counts, the pod template and
 * the Job's Events.
 */
import type { Job } from "../../api/batch/types.js";
import { selectorString } from "./cells.js";
import type { CoreEvent } from "./correlate-events.js";
import { annotationsMultiline, describeEvents, labelsMultiline, PrefixWriter, rfc1123z } from "./describe-writer.js";
import { describePodTemplate } from "./describe-workloads.js";
import { humanDuration } from "./human-duration.js";

/** describeJob's text. */
export function describeJob(job: Job, events: readonly CoreEvent[], nowMs: number): string {
  const w = new PrefixWriter();
  const m = job.metadata;
  const spec = job.spec;
  const st = job.status ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace ?? ""}\n`);
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
  labelsMultiline(w, "Labels", m.labels);
  annotationsMultiline(w, "Annotations", m.annotations);
  const owner = (m.ownerReferences ?? []).find((o) => o.controller === true);
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`);
  if (spec.parallelism !== undefined) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, spec.completions !== undefined && spec.completions !== null ? `Completions:\t${spec.completions}\n` : "Completions:\t<unset>\n");
  if (spec.completionMode) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend !== undefined) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec.backoffLimit !== undefined) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished !== undefined) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) w.write(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  if (st.startTime && st.completionTime) w.write(0, `Duration:\t${humanDuration(Date.parse(st.completionTime) - Date.parse(st.startTime))}\n`);
  if (spec.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  if (st.ready === undefined) w.write(0, `Pods Statuses:\t${st.active ?? 0} Active / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  else w.write(0, `Pods Statuses:\t${st.active ?? 0} Active (${st.ready} Ready) / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  if (spec.completionMode === "Indexed") w.write(0, `Completed Indexes:\t${st.completedIndexes || "<none>"}\n`);
  describePodTemplate(w, spec.template);
  describeEvents(w, events.filter((e) => e.involvedObject.kind === "Job" && e.involvedObject.name === m.name && e.involvedObject.namespace === m.namespace), nowMs);
  return w.done();
}
