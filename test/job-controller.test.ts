/**
 * The Job controller in a simulated cluster (src/controllers/job/job-controller.ts): what a user sees of a Job —
 * its pods' creation times (the pod failure back-off), its status counters and conditions with upstream's reasons,
 * the tracking finalizer, and the Events. Times are virtual seconds after the Job's creation at T0.
 *
 * Timing of one pod, with the defaults (podStartLatency 1s, informer latency 0, syncJobBatchPeriod 1s): created
 * and bound at t, its image already present, Started at t+1s, exits at t+1s+runFor; the Job controller syncs 1s
 * after the pod's update (the batch period) and counts it then.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Job } from "../src/api/batch/types.js";
import type { Pod } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import { JOB_TRACKING_FINALIZER } from "../src/controllers/job/pod-facts.js";
import { InvariantMonitor } from "../src/invariants/index.js";
import { resolveSettings } from "../src/settings.js";
import { parseBehavior } from "../src/workload/behavior.js";
import { describeViolations } from "./helpers/invariant-run.js";

const EPOCH = Date.UTC(2026, 0, 1);
const T0 = 10_000;
const monitors: InvariantMonitor[] = [];
afterAll(() => {
  for (const m of monitors) expect(m.violations, describeViolations(m.violations)).toEqual([]);
});

function behavior(raw: Record<string, unknown>) {
  const r = parseBehavior(raw, true);
  if (r.problems.length > 0) throw new Error(JSON.stringify(r.problems));
  return { name: "b", selector: { matchLabels: { app: "batch" } }, spec: r.spec };
}

function jobOf(spec: Record<string, unknown>, podSpec: Record<string, unknown> = {}): Job {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "pi", namespace: "default" },
    spec: { ...spec, template: { metadata: { labels: { app: "batch" } }, spec: { restartPolicy: "Never", containers: [{ name: "pi", image: "busybox" }], ...podSpec } } },
    status: {},
  } as Job;
}

/** Runs `job` from T0 for `forMs`; the pods created (time, name), the Job's status writes and its Events. */
function run(job: Job, raw: Record<string, unknown>, forMs: number, settings = {}) {
  const cluster = new Cluster(1, resolveSettings(settings), EPOCH, { behaviors: [behavior(raw)] });
  cluster.kubelets.addPool({ name: "n", count: 1, capacity: { cpu: "8", memory: "32Gi", pods: "110" }, labels: {}, taints: [], preloadedImages: ["busybox"] });
  monitors.push(InvariantMonitor.attach(cluster));
  cluster.sim.run(T0);
  const created: [number, string][] = [];
  const statuses: [number, Job["status"]][] = [];
  const pods = new Map<string, Pod>();
  cluster.cp.store.watch("Pod", (type, obj) => {
    const p = obj as Pod;
    if (type === "ADDED") created.push([(cluster.sim.now - T0) / 1000, p.metadata.name]);
    pods.set(p.metadata.name, p);
  });
  cluster.cp.store.watch("Job", (type, obj) => {
    if (type !== "DELETED") statuses.push([(cluster.sim.now - T0) / 1000, (obj as Job).status]);
  });
  const r = cluster.cp.api.create(job);
  if (!r.ok) throw new Error(r.message);
  cluster.sim.run(T0 + forMs);
  const events = cluster.cp.events.records.filter((e) => e.involvedObject.kind === "Job").map((e) => `${(e.simTime - T0) / 1000} ${e.type} ${e.reason}: ${e.message}`);
  const final = cluster.cp.api.get<Job>("Job", "default", "pi");
  return { cluster, created, statuses, events, final, pods };
}

const conditionsOf = (j: Job | undefined) => (j?.status.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason}`);

describe("a Job whose pods fail twice, then succeed (exitCodes [1, 1, 0], restartPolicy Never)", () => {
  // Pod 1 created at 0, runs 1s..6s, exits 1 at 6; counted at 7; back-off 10s from its finish: pod 2 at 16.
  // Pod 2 runs 17..22, exits 1 at 22; counted at 23; two failures since the last success: 20s from 22 -> pod 3 at 42.
  // Pod 3 runs 43..48, exits 0 at 48; counted at 49: SuccessCriteriaMet and Complete, completionTime 49s.
  const r = run(jobOf({ backoffLimit: 6 }), { runFor: "5s", exitCodes: [1, 1, 0] }, 120_000);

  it("creates its pods at 0s, 16s and 42s: the 10s doubling back-off measured from each failed pod's finish", () => {
    expect(r.created.map(([t]) => t)).toEqual([0, 16, 42]);
  });

  it("ends Complete with succeeded 1, failed 2, and upstream's reasons, after SuccessCriteriaMet", () => {
    expect(conditionsOf(r.final)).toEqual(["SuccessCriteriaMet=True CompletionsReached", "Complete=True CompletionsReached"]);
    expect(r.final!.status).toMatchObject({ succeeded: 1, failed: 2, active: 0, ready: 0, terminating: 0, uncountedTerminatedPods: {}, completionTime: "2026-01-01T00:00:59Z" });
    expect(r.final!.status.conditions![1]!.message).toBe("Reached expected number of succeeded pods");
  });

  it("records SuccessfulCreate for each pod and Completed at the end, with upstream's texts", () => {
    expect(r.events.map((e) => e.replace(/pi-[a-z0-9]{5}/, "pi-*"))).toEqual([
      "0 Normal SuccessfulCreate: Created pod: pi-*",
      "16 Normal SuccessfulCreate: Created pod: pi-*",
      "42 Normal SuccessfulCreate: Created pod: pi-*",
      "49 Normal Completed: Job completed",
    ]);
  });

  it("tracks pods with the job-tracking finalizer: on while they run, gone once they are counted", () => {
    expect([...r.pods.values()].map((p) => p.metadata.finalizers ?? [])).toEqual([[], [], []]);
    const first = r.statuses.find(([, s]) => (s.uncountedTerminatedPods?.failed?.length ?? 0) > 0);
    // Counted in two writes at 7s: first as uncounted, then (finalizer removed) as failed.
    expect(first?.[0]).toBe(7);
    expect(r.statuses.find(([t, s]) => t === 7 && s.failed === 1)).toBeDefined();
  });
});

describe("backoffLimit", () => {
  // backoffLimit 1: failures at 6 (pod 1) and 22 (pod 2, created at 16); at the 23s sync failed 2 > 1.
  const r = run(jobOf({ backoffLimit: 1 }), { runFor: "5s", exitCode: 1 }, 120_000);
  it("fails the Job with BackoffLimitExceeded once failed > backoffLimit: FailureTarget, then Failed", () => {
    expect(r.created.map(([t]) => t)).toEqual([0, 16]);
    expect(conditionsOf(r.final)).toEqual(["FailureTarget=True BackoffLimitExceeded", "Failed=True BackoffLimitExceeded"]);
    expect(r.final!.status.conditions![1]!.message).toBe("Job has reached the specified backoff limit");
    expect(r.events.at(-1)).toBe("23 Warning BackoffLimitExceeded: Job has reached the specified backoff limit");
  });
});

describe("restartPolicy OnFailure", () => {
  // The container restarts in place (CrashLoopBackOff: at once, then 10s); restarts count against backoffLimit 2:
  // runs 1..6 (exit), restarted at 6 (running 7..12), restarted 10s after 12 (running 23..28): restartCount 2 at
  // 22, and the sync after it (23) sees restarts >= backoffLimit.
  const r = run(jobOf({ backoffLimit: 2 }, { restartPolicy: "OnFailure" }), { runFor: "5s", exitCode: 1 }, 120_000);
  it("counts container restarts against backoffLimit and deletes the pod", () => {
    expect(r.created.length).toBe(1);
    expect(conditionsOf(r.final)).toEqual(["FailureTarget=True BackoffLimitExceeded", "Failed=True BackoffLimitExceeded"]);
  });
});

describe("activeDeadlineSeconds", () => {
  // The pod runs forever; at 30s the Job is past its deadline: FailureTarget DeadlineExceeded and the pod is deleted
  // (30s grace, SIGTERM; the default stopAfter, podStopLatency 1s, ends it at 31); its deletion reaches the Job
  // after the 1s batch: Failed at 32.
  const r = run(jobOf({ activeDeadlineSeconds: 30 }), {}, 120_000);
  it("fails the Job with DeadlineExceeded at the deadline", () => {
    expect(conditionsOf(r.final)).toEqual(["FailureTarget=True DeadlineExceeded", "Failed=True DeadlineExceeded"]);
    expect(r.final!.status.conditions![0]!.lastTransitionTime).toBe("2026-01-01T00:00:40Z");
    expect(r.events.map((e) => e.replace(/pi-[a-z0-9]{5}/, "pi-*"))).toEqual([
      "0 Normal SuccessfulCreate: Created pod: pi-*",
      "30 Normal SuccessfulDelete: Deleted pod: pi-*",
      "32 Warning DeadlineExceeded: Job was active longer than specified deadline",
    ]);
    // The deleted pod counts as failed (isPodFailed: being deleted and not succeeded).
    expect(r.final!.status).toMatchObject({ failed: 1, active: 0, terminating: 0 });
  });
});

describe("podFailurePolicy", () => {
  const policy = {
    rules: [
      { action: "Ignore", onExitCodes: { operator: "In", values: [42] } },
      { action: "FailJob", onExitCodes: { containerName: "pi", operator: "In", values: [3] } },
    ],
  };
  it("Ignore: a pod exiting 42 is replaced at once and not counted", () => {
    const r = run(jobOf({ backoffLimit: 0, podFailurePolicy: policy }), { runFor: "5s", exitCodes: [42, 0] }, 60_000);
    // Pod 1 exits 42 at 6, ignored at 7 (no back-off: the record counts only counted failures): pod 2 at 7.
    expect(r.created.map(([t]) => t)).toEqual([0, 7]);
    expect(r.final!.status).toMatchObject({ succeeded: 1 });
    expect(r.final!.status.failed).toBeUndefined();
  });
  it("FailJob: a pod exiting 3 fails the Job with the PodFailurePolicy reason and upstream's message", () => {
    const r = run(jobOf({ backoffLimit: 6, podFailurePolicy: policy }), { runFor: "5s", exitCode: 3 }, 60_000);
    expect(conditionsOf(r.final)).toEqual(["FailureTarget=True PodFailurePolicy", "Failed=True PodFailurePolicy"]);
    expect(r.final!.status.conditions![1]!.message).toMatch(/^Container pi for pod default\/pi-[a-z0-9]{5} failed with exit code 3 matching FailJob rule at index 1$/);
  });
});

describe("completions, parallelism and Indexed Jobs", () => {
  it("NonIndexed completions 3, parallelism 2: two pods at once, then one more", () => {
    const r = run(jobOf({ completions: 3, parallelism: 2 }), { runFor: "5s" }, 60_000);
    // Pods 1 and 2 at 0 (slow start: 1, then 1), both succeed at 6, counted at 7: 1 more wanted.
    expect(r.created.map(([t]) => t)).toEqual([0, 0, 7]);
    expect(r.final!.status).toMatchObject({ succeeded: 3, active: 0 });
  });

  it("Indexed completions 3: pods named pi-<index>-, with the index annotation, label, env and hostname; completedIndexes 0-2", () => {
    const r = run(jobOf({ completions: 3, parallelism: 3, completionMode: "Indexed" }), { runFor: "5s" }, 60_000);
    const pods = [...r.pods.values()];
    expect(pods.map((p) => p.metadata.name.replace(/[a-z0-9]{5}$/, "*")).sort()).toEqual(["pi-0-*", "pi-1-*", "pi-2-*"]);
    const p0 = pods.find((p) => p.metadata.name.startsWith("pi-0-"))!;
    expect(p0.metadata.annotations?.["batch.kubernetes.io/job-completion-index"]).toBe("0");
    expect(p0.metadata.labels?.["batch.kubernetes.io/job-completion-index"]).toBe("0");
    expect(p0.spec.hostname).toBe("pi-0");
    expect(p0.spec.containers[0]!.env).toEqual([{ name: "JOB_COMPLETION_INDEX", valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } }]);
    expect(r.final!.status).toMatchObject({ succeeded: 3, completedIndexes: "0-2" });
  });

  it("labels every pod with the Job's name and generated controller-uid, and selects by it", () => {
    const r = run(jobOf({}), { runFor: "5s" }, 20_000);
    const p = [...r.pods.values()][0]!;
    const uid = r.final!.metadata.uid!;
    expect(p.metadata.labels).toMatchObject({ "batch.kubernetes.io/job-name": "pi", "job-name": "pi", "batch.kubernetes.io/controller-uid": uid, "controller-uid": uid });
    expect(r.final!.spec.selector).toEqual({ matchLabels: { "batch.kubernetes.io/controller-uid": uid } });
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: "batch/v1", kind: "Job", name: "pi", uid, controller: true, blockOwnerDeletion: true }]);
  });
});

describe("suspend", () => {
  it("a suspended Job creates no pods and says Suspended; the condition and the event are upstream's", () => {
    const r = run(jobOf({ suspend: true }), { runFor: "5s" }, 20_000);
    expect(r.created).toEqual([]);
    expect(conditionsOf(r.final)).toEqual(["Suspended=True JobSuspended"]);
    expect(r.events).toEqual(["0 Normal Suspended: Job suspended"]);
    expect(r.final!.status.startTime).toBeUndefined();
  });
});

describe("ttlSecondsAfterFinished", () => {
  it("deletes the Job and its pods that many seconds after it finished", () => {
    // Complete at 7 (pod 0..6, counted at 7); deleted at 7 + 20 = 27.
    const r = run(jobOf({ ttlSecondsAfterFinished: 20 }), { runFor: "5s" }, 26_000);
    expect(r.final).toBeDefined();
    r.cluster.sim.run(T0 + 28_000);
    expect(r.cluster.cp.api.get("Job", "default", "pi")).toBeUndefined();
    expect([...r.cluster.cp.store.list("Pod")]).toEqual([]);
  });
});

describe("tracking finalizer", () => {
  it("a running pod of a Job carries batch.kubernetes.io/job-tracking", () => {
    const r = run(jobOf({}), {}, 5_000);
    expect([...r.pods.values()][0]!.metadata.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
  });
});

describe("backoffLimitPerIndex", () => {
  // Each index's pod runs 1s..3s and exits 1, counted at 4s; its back-off is 10s from its finish (3s + 10s = 13s)
  // for the first failure; the replacement fails at 16s, counted at 17s: 2 failures > backoffLimitPerIndex 1, and
  // with every index failed the Job fails (FailedIndexes).
  const r = run(jobOf({ completions: 3, parallelism: 3, completionMode: "Indexed", backoffLimitPerIndex: 1 }), { runFor: "2s", exitCode: 1 }, 60_000);
  it("replaces a failed index after 10s (its first failure), marks it failed after backoffLimitPerIndex, then FailedIndexes", () => {
    expect(r.created.map(([t]) => t)).toEqual([0, 0, 0, 13, 13, 13]);
    expect(r.final!.status).toMatchObject({ failed: 6, failedIndexes: "0-2", completedIndexes: "" });
    expect(conditionsOf(r.final)).toEqual(["FailureTarget=True FailedIndexes", "Failed=True FailedIndexes"]);
    const second = [...r.pods.values()].filter((p) => r.created.some(([t, n]) => t === 13 && n === p.metadata.name));
    expect(second.map((p) => p.metadata.annotations?.["batch.kubernetes.io/job-index-failure-count"])).toEqual(["1", "1", "1"]);
  });
});

describe("a failing Job's remaining pods", () => {
  // podFailurePolicy FailJob on exit 42; each pod runs a drawn 5s..60s and exits 42: the first to exit fails the Job
  // (FailureTarget), the two others are deleted, and once deleted they count as failed, not as the Succeeded their
  // SIGTERM exit 0 would give.
  const policy = { rules: [{ action: "FailJob", onExitCodes: { operator: "In", values: [42] } }] };
  it("counts the pods it deletes as failed: failed 3, succeeded 0", () => {
    const r = run(jobOf({ completions: 3, parallelism: 3, podFailurePolicy: policy }), { runFor: "uniform(5s, 60s)", exitCode: 42 }, 90_000, {});
    expect(r.final!.status).toMatchObject({ failed: 3, active: 0, terminating: 0 });
    expect(r.final!.status.succeeded).toBeUndefined();
    expect(conditionsOf(r.final)).toEqual(["FailureTarget=True PodFailurePolicy", "Failed=True PodFailurePolicy"]);
  });
});

describe("labels", () => {
  it("a Job without labels shows its template's generated ones, as `kubectl get job pi -o yaml` does", () => {
    const job = jobOf({});
    delete job.spec.template.metadata;
    const r = run(job, {}, 2_000);
    const uid = r.final!.metadata.uid!;
    expect(r.final!.metadata.labels).toEqual({ "job-name": "pi", "batch.kubernetes.io/job-name": "pi", "controller-uid": uid, "batch.kubernetes.io/controller-uid": uid });
  });
});

describe("a Job whose pod creates are refused (an exceeded quota)", () => {
  // syncJob returns the error of its refused creates, so the workqueue requeues the key with its exponential
  // backoff (DefaultControllerRateLimiter's per-item part: 5ms * 2^failures) and never forgets it meanwhile: the
  // refusals come 5ms, 10ms, 20ms, ... apart. (The key was once forgotten by each sync that sent creates, which
  // retried every 5ms: 426,842 FailedCreate Events in a generated 40-minute run.)
  const cluster = new Cluster(1, resolveSettings({}), EPOCH, {});
  cluster.kubelets.addPool({ name: "n", count: 1, capacity: { cpu: "8", memory: "32Gi", pods: "110" }, labels: {}, taints: [], preloadedImages: ["busybox"] });
  monitors.push(InvariantMonitor.attach(cluster));
  const q = cluster.cp.api.create({ apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "none", namespace: "default" }, spec: { hard: { pods: "0" } } } as never);
  if (!q.ok) throw new Error(q.message);
  cluster.sim.run(T0);
  cluster.cp.api.create(jobOf({ backoffLimit: 6 }));
  cluster.sim.run(T0 + 10_000);
  const refusals = cluster.cp.events.records.filter((e) => e.reason === "FailedCreate").map((e) => e.simTime);

  it("retries the create with a doubling delay from 5ms, each refusal an Event with the quota's text", () => {
    const gaps = refusals.slice(1).map((t, i) => t - refusals[i]!);
    // Sync 1 at 0 fails (requeued after 5ms, failures 1) and writes the Job's status, whose update enqueues sync 2
    // at once (updateJob): it fails too (requeued after 10ms, failures 2; the earlier 5ms stands). Sync 3 at 5ms
    // fails (20ms), then 40, 80, ...: refusals at 0, 0, 5, 25, 65, ..., all within the 10s.
    expect(gaps).toEqual([0, 5, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120].slice(0, gaps.length));
    expect(gaps.length).toBeGreaterThanOrEqual(10);
    expect(cluster.cp.events.records.find((e) => e.reason === "FailedCreate")?.message).toMatch(/^Error creating: pods "pi-[a-z0-9]{5}" is forbidden: exceeded quota: none, requested: pods=1, used: pods=0, limited: pods=0$/);
  });
});
