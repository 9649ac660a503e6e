/**
 * TriggerTimeTracker (staging/src/k8s.io/endpointslice/util/trigger_time_tracker.go): computes the
 * endpoints.kubernetes.io/last-change-trigger-time annotation, the earliest change among the Service's pods (their
 * Ready condition's lastTransitionTime) and the Service itself (its creationTimestamp) since the previous sync.
 * One instance per controller; state per Service is the pods' last seen trigger times.
 */
import { getCondition } from "../../api/pod-util.js";
import type { Pod } from "../../api/types.js";
import type { Service } from "../../api/service/types.js";

interface PodTrigger {
  /** The lastTransitionTime text seen last (compared first, so an unchanged pod costs no parse). */
  text: string;
  ms: number;
  /** The compute() pass that last saw the pod. */
  pass: number;
}

interface ServiceState {
  /** Epoch ms of the Service's creationTimestamp seen last. */
  service: number;
  /** Pod name -> its Ready lastTransitionTime seen last. */
  pods: Map<string, PodTrigger>;
}

/** See the module comment. Times are the RFC 3339 strings of the objects, compared as epoch ms. */
export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();
  private pass = 0;

  /**
   * ComputeEndpointLastChangeTriggerTime for `svc` and the pods it selects: the Service's creationTimestamp on its
   * first sync; else the earliest trigger time that moved since the previous call, or undefined (no annotation).
   * Updates the state even when the caller ends up not writing, as upstream. Pods without a Ready condition are
   * forgotten, as upstream's fresh map leaves them out.
   */
  compute(key: string, svc: Service, pods: Iterable<Pod>): string | undefined {
    const pass = ++this.pass;
    let state = this.states.get(key);
    const known = state !== undefined;
    if (!state) this.states.set(key, (state = { service: -Infinity, pods: new Map() }));
    let minChanged: string | undefined;
    let minMs = Infinity;
    let seen = 0;
    for (const pod of pods) {
      const t = getCondition(pod.status.conditions, "Ready")?.lastTransitionTime;
      if (!t) continue;
      seen++;
      const name = pod.metadata.name;
      const prev = state.pods.get(name);
      if (prev && prev.text === t) {
        prev.pass = pass;
        continue;
      }
      const ms = Date.parse(t);
      if ((prev === undefined || ms > prev.ms) && ms < minMs) {
        minMs = ms;
        minChanged = t;
      }
      if (prev) {
        prev.text = t;
        prev.ms = ms;
        prev.pass = pass;
      } else state.pods.set(name, { text: t, ms, pass });
    }
    if (seen !== state.pods.size) for (const [name, p] of state.pods) if (p.pass !== pass) state.pods.delete(name);
    const created = svc.metadata.creationTimestamp;
    const svcMs = created ? Date.parse(created) : 0;
    if (created && svcMs > state.service && svcMs < minMs) {
      minMs = svcMs;
      minChanged = created;
    }
    state.service = svcMs;
    if (!known) return created;
    return minChanged;
  }

  /** DeleteService. */
  delete(key: string): void {
    this.states.delete(key);
  }
}
