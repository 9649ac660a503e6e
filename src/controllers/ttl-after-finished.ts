/**
 * The TTL-after-finished controller (pkg/controller/ttlafterfinished/ttlafterfinished_controller.go): a finished
 * Job with spec.ttlSecondsAfterFinished is deleted (background propagation: its pods go with it) that many seconds
 * after it finished. It requeues each Job for its expiry instead of polling.
 */
import type { Job } from "../api/batch/types.js";
import type { ControlPlane } from "../api/control-plane.js";
import type { ApiClient } from "../api/client.js";
import { finishedCondition, isJobFinished } from "./job/conditions.js";
import { WorkQueue, type ObjectKey, type ReconcileResult } from "./runtime.js";

/**
 * When a finished Job finished (getFinishAndExpireTime: the Complete or Failed condition's lastTransitionTime), in
 * epoch ms; undefined while it runs.
 */
export function jobFinishTimeMs(job: Job, parse: (t: string) => number): number | undefined {
  const c = finishedCondition(job);
  return c?.lastTransitionTime ? parse(c.lastTransitionTime) : undefined;
}

/** The controller; constructed by the controller manager as "ttl-after-finished-controller". */
export class TtlAfterFinishedController {
  private readonly queue: WorkQueue;
  private readonly client: ApiClient;

  constructor(private readonly cp: ControlPlane) {
    this.queue = new WorkQueue(cp.sim, "ttl-after-finished-controller", (key) => this.reconcile(key));
    this.client = cp.client("ttl-after-finished-controller", "controllerManager");
    const maybe = (j: Job) => {
      if (j.metadata.deletionTimestamp === undefined && j.spec?.ttlSecondsAfterFinished !== undefined && isJobFinished(j)) this.queue.add(j.metadata);
    };
    cp.informers.jobs.addHandlers({ onAdd: maybe, onUpdate: (_o, j) => maybe(j) });
  }

  /** processJob: deletes the Job once expired, else requeues it for the time left. */
  private reconcile(key: ObjectKey): ReconcileResult | void {
    const job = this.cp.informers.jobs.get(key.namespace, key.name);
    if (!job || job.metadata.deletionTimestamp !== undefined || job.spec.ttlSecondsAfterFinished === undefined) return;
    const finished = jobFinishTimeMs(job, (t) => this.cp.clock.parse(t));
    if (finished === undefined) return;
    const left = finished + job.spec.ttlSecondsAfterFinished * 1000 - this.cp.clock.ms;
    if (left > 0) return { requeueAfter: left };
    const uid = job.metadata.uid;
    this.client.request(() => {
      // Deleted only if it is still the Job that expired (a precondition on the uid, as upstream).
      const cur = this.cp.api.get<Job>("Job", key.namespace, key.name);
      // Foreground propagation, as upstream's processJob: the Job goes after its pods.
      if (cur && cur.metadata.uid === uid) this.cp.api.delete("Job", key.namespace, key.name, { propagationPolicy: "Foreground" });
    });
  }
}
