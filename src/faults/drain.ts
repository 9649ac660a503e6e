/**
 * kubectl drain's choice of pods (staging/src/k8s.io/kubectl/pkg/drain/filters.go), as pure functions: every pod
 * bound to the node goes through the filters in kubectl's order (skipDeleted, daemonSet, mirrorPod, localStorage,
 * unreplicated), stopping at the first that keeps it; the pods to evict, the warnings and the errors follow, worded
 * as kubectl prints them.
 */
import { controllerRef } from "../api/pod-util.js";
import type { Pod } from "../api/types.js";

/** kubectl drain's flags that the filters read (--ignore-daemonsets, --delete-emptydir-data, --force). */
export interface DrainFlags {
  ignoreDaemonsets: boolean;
  deleteEmptydirData: boolean;
  force: boolean;
}

/** A filter's verdict (PodDeleteStatus): delete or not, Okay / Skip / Warning / Error, and the message. */
export interface PodDeleteStatus {
  delete: boolean;
  reason: "Okay" | "Skip" | "Warning" | "Error";
  message: string;
}

const DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING = "deleting Pods with local storage";
const UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING = "deleting Pods that declare no controller";
/** corev1.MirrorPodAnnotationKey. */
const MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

const OKAY: PodDeleteStatus = { delete: true, reason: "Okay", message: "" };
const finished = (p: Pod) => p.status.phase === "Succeeded" || p.status.phase === "Failed";

/**
 * The filters' verdict for one pod. `daemonSetExists` answers whether a pod's controlling DaemonSet exists (an
 * orphan of a deleted DaemonSet is deleted with --force, with the API's NotFound as warning).
 * NOTE: k8sim has no DaemonSet kind yet; the filter is here so DaemonSet pods are handled when it comes.
 * skipDeleted skips nothing: --skip-wait-for-delete-timeout is 0 (off) and not modelled.
 */
export function podDeleteStatus(pod: Pod, flags: DrainFlags, daemonSetExists: (namespace: string, name: string) => boolean): PodDeleteStatus {
  const filters: ((p: Pod) => PodDeleteStatus)[] = [
    (p) => {
      const ref = controllerRef(p);
      if (ref === undefined || ref.kind !== "DaemonSet" || finished(p)) return OKAY;
      if (!daemonSetExists(p.metadata.namespace ?? "default", ref.name)) {
        const notFound = `daemonsets.apps ${JSON.stringify(ref.name)} not found`;
        return flags.force ? { delete: true, reason: "Warning", message: notFound } : { delete: false, reason: "Error", message: notFound };
      }
      return flags.ignoreDaemonsets ? { delete: false, reason: "Warning", message: DAEMONSET_WARNING } : { delete: false, reason: "Error", message: DAEMONSET_FATAL };
    },
    (p) => (p.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined ? { delete: false, reason: "Skip", message: "" } : OKAY),
    (p) => {
      const volumes = (p.spec as { volumes?: { emptyDir?: unknown }[] }).volumes ?? [];
      if (!volumes.some((v) => v.emptyDir !== undefined) || finished(p)) return OKAY;
      return flags.deleteEmptydirData ? { delete: true, reason: "Warning", message: LOCAL_STORAGE_WARNING } : { delete: false, reason: "Error", message: LOCAL_STORAGE_FATAL };
    },
    (p) => {
      if (finished(p) || controllerRef(p) !== undefined) return OKAY;
      return flags.force ? { delete: true, reason: "Warning", message: UNMANAGED_WARNING } : { delete: false, reason: "Error", message: UNMANAGED_FATAL };
    },
  ];
  let status = OKAY;
  for (const f of filters) {
    status = f(pod);
    if (!status.delete) break;
  }
  return status;
}

/** GetPodsForDeletion's result: the pods to evict, the Warning line's text ("" if none), the errors. */
export interface PodsForDeletion {
  pods: Pod[];
  warnings: string;
  errors: string[];
}

/**
 * GetPodsForDeletion over the node's pods (in list order): each message's pods as `ns/name, ns/name`; warnings
 * `msg: pods` joined by "; "; errors `cannot delete <msg>: pods` (a message starting "cannot delete" kept as is).
 * NOTE: kubectl groups messages in a Go map (random order); here in the order each message first appears.
 */
export function podsForDeletion(pods: readonly Pod[], flags: DrainFlags, daemonSetExists: (namespace: string, name: string) => boolean): PodsForDeletion {
  const out: Pod[] = [];
  const warn = new Map<string, string[]>();
  const err = new Map<string, string[]>();
  for (const p of pods) {
    const s = podDeleteStatus(p, flags, daemonSetExists);
    const id = `${p.metadata.namespace ?? "default"}/${p.metadata.name}`;
    if (s.delete) out.push(p);
    if (s.reason === "Warning") warn.set(s.message, [...(warn.get(s.message) ?? []), id]);
    if (s.reason === "Error") err.set(s.message || "unexpected error", [...(err.get(s.message || "unexpected error") ?? []), id]);
  }
  const errors = [...err].map(([msg, ids]) => `${msg.toLowerCase().startsWith("cannot delete") ? msg : `cannot delete ${msg}`}: ${ids.join(", ")}`);
  return { pods: out, warnings: [...warn].map(([msg, ids]) => `${msg}: ${ids.join(", ")}`).join("; "), errors };
}

/** utilerrors.NewAggregate(errs).Error(): one error as is, several as `[e1, e2]`. */
export function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(", ")}]`;
}
