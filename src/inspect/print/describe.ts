/**
 * `kubectl describe <kind>/<name>`: the Pod, Node, Deployment, ReplicaSet, Service and Job describers as kubectl v1.32 lays them
 * out; every other kind gets k8sim's generic layout (stated in the output): kubectl's header fields, then the
 * object as YAML, then its Events. NOTE: kubectl has dedicated describers for CronJobs, Namespaces and more, and a
 * field-by-field generic one for the rest; k8sim does not reproduce those yet.
 */
import type { Deployment, KubeObject, Lease, Node, Pod, ReplicaSet } from "../../api/types.js";
import type { CoreEvent } from "./correlate-events.js";
import { describeNode } from "./describe-node.js";
import { describePod } from "./describe-pod.js";
import { describeJob } from "./describe-job.js";
import { describeService } from "./describe-service.js";
import type { Job } from "../../api/batch/types.js";
import { describeDeployment, describeReplicaSet } from "./describe-workloads.js";
import type { EndpointSlice, Service } from "../../api/service/types.js";
import { annotationsMultiline, describeEvents, labelsMultiline, PrefixWriter } from "./describe-writer.js";
import { goYaml } from "./go-yaml.js";

/** What describe needs besides the object. */
export interface DescribeContext {
  /** Epoch ms of the --at time. */
  nowMs: number;
  /** The Events the API holds then (correlateEvents); each describer picks the object's own. */
  events: readonly CoreEvent[];
  /** For a node: the pods (all of them, or those on the node) for Non-terminated Pods and Allocated resources;
   *  for a ReplicaSet: the pods (it counts those it controls in Pods Status). */
  pods?: readonly KubeObject[];
  /** For a Deployment: the ReplicaSets (it shows those it controls as OldReplicaSets / NewReplicaSet). */
  replicaSets?: readonly KubeObject[];
  /** For a Service: the EndpointSlices (those labelled kubernetes.io/service-name=<it> give its Endpoints). */
  endpointSlices?: readonly KubeObject[];
  /** For a node: its Lease in kube-node-lease, for the Lease section (omitted without it, as kubectl does when
   *  it cannot read the Lease). */
  lease?: KubeObject;
}

/** The events about `obj` (involvedObject kind, namespace, name and uid). */
export function objectEvents(obj: KubeObject, events: readonly CoreEvent[]): CoreEvent[] {
  const m = obj.metadata;
  return events.filter((e) => e.involvedObject.kind === obj.kind && e.involvedObject.name === m.name && (e.involvedObject.namespace ?? "") === (m.namespace ?? "") && (!m.uid || !e.involvedObject.uid || e.involvedObject.uid === m.uid));
}

/** The describe text of `obj`, ending with a newline. */
export function describeObject(obj: KubeObject, ctx: DescribeContext): string {
  switch (obj.kind) {
    case "Pod":
      return describePod(obj as Pod, ctx.events, ctx.nowMs);
    case "Node":
      return describeNode(obj as Node, (ctx.pods ?? []) as Pod[], ctx.events, ctx.nowMs, ctx.lease as Lease | undefined);
    case "Deployment":
      return describeDeployment(obj as Deployment, (ctx.replicaSets ?? []) as ReplicaSet[], ctx.events, ctx.nowMs);
    case "Job":
      return describeJob(obj as Job, ctx.events, ctx.nowMs);
    case "Service":
      return describeService(obj as Service, (ctx.endpointSlices ?? []) as EndpointSlice[], ctx.events, ctx.nowMs);
    case "ReplicaSet":
      return describeReplicaSet(obj as ReplicaSet, (ctx.pods ?? []) as Pod[], ctx.events, ctx.nowMs);
    default:
      return describeGeneric(obj, ctx);
  }
}

function describeGeneric(obj: KubeObject, ctx: DescribeContext): string {
  const w = new PrefixWriter();
  const m = obj.metadata;
  w.write(0, `Name:\t${m.name}\n`);
  if (m.namespace !== undefined) w.write(0, `Namespace:\t${m.namespace}\n`);
  labelsMultiline(w, "Labels", m.labels);
  annotationsMultiline(w, "Annotations", m.annotations);
  w.write(0, `API Version:\t${obj.apiVersion}\n`);
  w.write(0, `Kind:\t${obj.kind}\n`);
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj as KubeObject & Record<string, unknown>;
  void _a;
  void _k;
  void _m;
  const text = Object.keys(rest).length > 0 ? goYaml(rest) : "";
  const head = w.done();
  const w2 = new PrefixWriter();
  describeEvents(w2, objectEvents(obj, ctx.events), ctx.nowMs);
  const body = text === "" ? "" : "(k8sim: kubectl's field-by-field layout for this kind is not reproduced; the object's fields as YAML)\n" + text;
  return head + body + w2.done();
}
