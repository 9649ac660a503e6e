/**
 * `kubectl describe deployment` and `kubectl describe replicaset`: describeDeployment, describeReplicaSet and
 * DescribePodTemplate (staging/src/k8s.io/kubectl/pkg/describe/describe.go, v1.32). The Deployment's replica sets
 * are those it controls (owner uid), the new one the oldest whose pod template equals the Deployment's but for
 * the pod-template-hash label (deploymentutil.FindNewReplicaSet), the others old, in list order.
 */
import type { Deployment, KubeObject, Pod, PodTemplateSpec, ReplicaSet } from "../../api/types.js";
import { formatLabelSelector, selectorString } from "./cells.js";
import type { CoreEvent } from "./correlate-events.js";
import { describeContainers, describeVolumes } from "./describe-pod.js";
import { annotationsMultiline, describeEvents, labelsMultiline, PrefixWriter, rfc1123z, tolerationsMultiline } from "./describe-writer.js";
import { sortKeysDeep } from "./sort-keys.js";

/** DescribePodTemplate: the template's labels, containers (no status), volumes, node selectors, tolerations. */
export function describePodTemplate(w: PrefixWriter, t: PodTemplateSpec | undefined): void {
  w.write(0, "Pod Template:\n");
  if (!t) return w.write(1, "<unset>");
  labelsMultiline(w, "  Labels", t.metadata?.labels);
  if (Object.keys(t.metadata?.annotations ?? {}).length > 0) annotationsMultiline(w, "  Annotations", t.metadata?.annotations);
  const spec = t.spec as PodTemplateSpec["spec"] & Record<string, unknown>;
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if ((spec.initContainers ?? []).length > 0) describeContainers(w, "Init Containers", spec.initContainers!, undefined, "  ");
  describeContainers(w, "Containers", spec.containers ?? [], undefined, "  ");
  describeVolumes(w, (spec.volumes as Record<string, unknown>[] | undefined) ?? [], "  ");
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  labelsMultiline(w, "  Node-Selectors", spec.nodeSelector);
  tolerationsMultiline(w, "  Tolerations", spec.tolerations);
}

function conditionsTable(w: PrefixWriter, conditions: readonly { type: string; status: string; reason?: string }[] | undefined): void {
  if (!conditions || conditions.length === 0) return;
  w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
  w.write(1, "----\t------\t------\n");
  for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ""}\n`);
}

function controlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some((o) => o.controller === true && o.uid === owner.metadata.uid);
}

function templateKey(t: PodTemplateSpec): string {
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels["pod-template-hash"];
  return JSON.stringify(sortKeysDeep({ ...t, metadata: { ...(t.metadata ?? {}), labels } }));
}

/** printReplicaSetsByLabels: "name (current/desired replicas created)", joined by ", "; "<none>" when none. */
function replicaSetList(rss: readonly ReplicaSet[]): string {
  const s = rss.map((r) => `${r.metadata.name} (${r.status?.replicas ?? 0}/${r.spec.replicas ?? 0} replicas created)`).join(", ");
  return s === "" ? "<none>" : s;
}

/** describeDeployment's text; `replicaSets` are the namespace's (or all) ReplicaSets in list order. */
export function describeDeployment(d: Deployment, replicaSets: readonly ReplicaSet[], events: readonly CoreEvent[], nowMs: number): string {
  const w = new PrefixWriter();
  const m = d.metadata;
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace ?? ""}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  labelsMultiline(w, "Labels", m.labels);
  annotationsMultiline(w, "Annotations", m.annotations);
  w.write(0, `Selector:\t${selectorString(d.spec.selector)}\n`);
  const st = d.status ?? {};
  w.write(0, `Replicas:\t${d.spec.replicas ?? 0} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  w.write(0, `StrategyType:\t${d.spec.strategy?.type ?? ""}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}\n`);
  const ru = d.spec.strategy?.rollingUpdate;
  if (ru) w.write(0, `RollingUpdateStrategy:\t${String(ru.maxUnavailable ?? 0)} max unavailable, ${String(ru.maxSurge ?? 0)} max surge\n`);
  describePodTemplate(w, d.spec.template);
  conditionsTable(w, st.conditions);
  const owned = replicaSets.filter((r) => (r.metadata.namespace ?? "") === (m.namespace ?? "") && controlledBy(r, d));
  const want = templateKey(d.spec.template);
  const byAge = [...owned].sort((a, b) => Date.parse(a.metadata.creationTimestamp ?? "") - Date.parse(b.metadata.creationTimestamp ?? "") || (a.metadata.name < b.metadata.name ? -1 : 1));
  const newRS = byAge.find((r) => templateKey(r.spec.template) === want);
  const oldRSs = owned.filter((r) => r !== newRS);
  if (oldRSs.length > 0 || newRS) {
    w.write(0, `OldReplicaSets:\t${replicaSetList(oldRSs)}\n`);
    w.write(0, `NewReplicaSet:\t${replicaSetList(newRS ? [newRS] : [])}\n`);
  }
  describeEvents(w, events.filter((e) => e.involvedObject.kind === "Deployment" && e.involvedObject.name === m.name && e.involvedObject.namespace === m.namespace), nowMs);
  return w.done();
}

/** describeReplicaSet's text; `pods` are the pods to count (those it controls are counted by phase). */
export function describeReplicaSet(rs: ReplicaSet, pods: readonly Pod[], events: readonly CoreEvent[], nowMs: number): string {
  const w = new PrefixWriter();
  const m = rs.metadata;
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace ?? ""}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec.selector)}\n`);
  labelsMultiline(w, "Labels", m.labels);
  annotationsMultiline(w, "Annotations", m.annotations);
  const owner = (m.ownerReferences ?? []).find((o) => o.controller === true);
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 0} desired\n`);
  // getPodStatusForController: the pods the ReplicaSet controls, by phase (Pending counts as Waiting).
  const mine = pods.filter((p) => (p.metadata.namespace ?? "") === (m.namespace ?? "") && controlledBy(p, rs));
  const count = (phase: string) => mine.filter((p) => p.status?.phase === phase).length;
  w.write(0, `Pods Status:\t${count("Running")} Running / ${count("Pending")} Waiting / ${count("Succeeded")} Succeeded / ${count("Failed")} Failed\n`);
  describePodTemplate(w, rs.spec.template);
  conditionsTable(w, rs.status?.conditions);
  describeEvents(w, events.filter((e) => e.involvedObject.kind === "ReplicaSet" && e.involvedObject.name === m.name && e.involvedObject.namespace === m.namespace), nowMs);
  return w.done();
}
