/**
 * The status invariants of the batch kinds (Job, CronJob). Upstream's Job controller (pkg/controller/job/
 * job_controller.go) keeps a Job's counters whole and its terminal conditions exclusive by construction, and the
 * CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go) only lists Jobs it created; a broken count, a
 * Job both Complete and Failed, or a schedule time in the future shows here.
 */
import { finishedCondition } from "../controllers/job/conditions.js";
import type { CronJob, Job } from "../api/batch/types.js";
import TinyQueue from "tinyqueue";
import type { Condition } from "../api/types.js";
import { describe } from "../api/types.js";
import type { ApiClock } from "../api/clock.js";
import { perWriteCheck } from "./per-write.js";
import { NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The job-status invariant. */
export const JOB_STATUS: InvariantInfo = {
  name: "job-status",
  statement:
    "a Job's status counts are whole numbers >= 0, succeeded never exceeds spec.completions, it is never both Complete and Failed, a Complete or Failed Job has no active pods, and a Complete Job has a completionTime",
  when: "every-event",
};

/** The cronjob-status invariant. */
export const CRONJOB_STATUS: InvariantInfo = {
  name: "cronjob-status",
  statement: "a CronJob's status.active lists distinct Jobs named after it, and its lastScheduleTime is never later than the virtual clock",
  when: "every-event",
};

const isTrue = (conds: readonly Condition[] | undefined, type: string) => conds?.some((c) => c.type === type && c.status === "True") === true;

/** Violations of job-status for one written Job. Pure. */
export function jobStatusViolations(job: Job, time: number): Violation[] {
  const out: Violation[] = [];
  const report = (message: string) => out.push({ invariant: JOB_STATUS.name, time, object: describe(job), message });
  const s = job.status ?? {};
  for (const f of ["active", "ready", "succeeded", "failed", "terminating"] as const) {
    const v = s[f];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) report(`status.${f} is ${v}, not a whole number >= 0`);
  }
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null && (s.succeeded ?? 0) > completions) report(`status.succeeded ${s.succeeded} is above spec.completions ${completions}`);
  const complete = isTrue(s.conditions, "Complete");
  const failed = isTrue(s.conditions, "Failed");
  if (complete && failed) report("conditions Complete and Failed are both True");
  if ((complete || failed) && (s.active ?? 0) > 0) report(`the Job is ${complete ? "Complete" : "Failed"} with status.active ${s.active}`);
  if (complete && s.completionTime === undefined) report("the Job is Complete without a completionTime");
  return out;
}

/** Violations of cronjob-status for one written CronJob at epoch ms `nowMs`. Pure. */
export function cronJobStatusViolations(cj: CronJob, time: number, nowMs: number, clock: Pick<ApiClock, "parse">): Violation[] {
  const out: Violation[] = [];
  const report = (message: string) => out.push({ invariant: CRONJOB_STATUS.name, time, object: describe(cj), message });
  const seen = new Set<string>();
  for (const ref of cj.status?.active ?? []) {
    const name = ref.name ?? "";
    if (seen.has(name)) report(`status.active lists Job ${name} twice`);
    seen.add(name);
    if (!name.startsWith(`${cj.metadata.name}-`)) report(`status.active lists Job ${name}, which is not named after the CronJob`);
  }
  const last = cj.status?.lastScheduleTime;
  if (last !== undefined && clock.parse(last) > nowMs) report(`status.lastScheduleTime ${last} is later than the virtual clock`);
  return out;
}

/** The slack ttl-after-finished allows past the due time: informer latency, the queue and the client. */
export const TTL_SLACK_MS = 5_000;

/** The ttl-after-finished invariant. */
export const TTL_AFTER_FINISHED: InvariantInfo = {
  name: "ttl-after-finished",
  statement: `a finished Job with spec.ttlSecondsAfterFinished is gone within ${TTL_SLACK_MS / 1000}s after that many seconds have passed since it finished`,
  when: "every-event",
};

/** When a finished Job with a TTL is due for deletion (epoch ms), or undefined. Pure. */
export function ttlDueMs(job: Job, parse: (t: string) => number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined) return undefined;
  const c = finishedCondition(job);
  return c?.lastTransitionTime === undefined ? undefined : parse(c.lastTransitionTime) + ttl * 1000;
}

/** job-status, attributed to the Job kind and the job controller; judged on every Job write. */
export const JOB_STATUS_CHECK: InvariantRegistration = {
  ...JOB_STATUS,
  owners: [{ kind: "Job" }, { controller: "job-controller" }],
  create: (cluster) => perWriteCheck(["Job"], () => cluster.sim.now, (type, obj, _old, time) => (type === "DELETED" ? NONE : jobStatusViolations(obj as Job, time))),
};

/**
 * ttl-after-finished, attributed to the TTL controller: each finished Job with a TTL is remembered with its due
 * time (a heap, so an event costs O(log n) per Job); once the due time plus the slack has passed, the Job (same
 * uid) must be gone.
 */
export const TTL_AFTER_FINISHED_CHECK: InvariantRegistration = {
  ...TTL_AFTER_FINISHED,
  owners: [{ controller: "ttl-after-finished-controller" }],
  create: (cluster) => {
    const due = new TinyQueue<{ at: number; ns: string | undefined; name: string; uid: string }>([], (a, b) => a.at - b.at);
    const noted = new Set<string>();
    return {
      watches: ["Job"],
      onWrite(type, obj) {
        const uid = obj.metadata.uid ?? "";
        if (type === "DELETED" || noted.has(uid)) return;
        const at = ttlDueMs(obj as Job, (t) => cluster.cp.clock.parse(t));
        if (at === undefined) return;
        noted.add(uid);
        due.push({ at, ns: obj.metadata.namespace, name: obj.metadata.name, uid });
      },
      afterEvent: (time) => overdue(time, cluster.cp.clock.ms),
      finish: (end) => overdue(end, cluster.cp.clock.ms + (end - cluster.sim.now)),
    };
    function overdue(time: number, now: number): Violation[] {
        const out: Violation[] = [];
        // No controller can act in time while the API server is down or slow: a TTL running out then is due after it.
        while (due.length > 0 && Math.max(due.peek()!.at, cluster.cp.disturbedUntilMs) + TTL_SLACK_MS < now) {
          const d = due.pop()!;
          noted.delete(d.uid);
          const job = cluster.cp.store.get<Job>("Job", d.ns, d.name);
          // Deleted means deletion requested: the controller deletes in the foreground, so the Job may stay while
          // the garbage collector removes its pods (for ever, if that controller is off, as upstream).
          if (job && job.metadata.uid === d.uid && job.metadata.deletionTimestamp === undefined) {
            out.push({ invariant: TTL_AFTER_FINISHED.name, time, object: describe(job), message: `still exists ${now - d.at} ms after its ttlSecondsAfterFinished ran out, not marked for deletion` });
          }
        }
        return out;
    }
  },
};

/** cronjob-status, attributed to the CronJob kind and the cronjob controller; judged on every CronJob write. */
export const CRONJOB_STATUS_CHECK: InvariantRegistration = {
  ...CRONJOB_STATUS,
  owners: [{ kind: "CronJob" }, { controller: "cronjob-controller" }],
  create: (cluster) =>
    perWriteCheck(["CronJob"], () => cluster.sim.now, (type, obj, _old, time) => (type === "DELETED" ? NONE : cronJobStatusViolations(obj as CronJob, time, cluster.cp.clock.ms, cluster.cp.clock))),
};
