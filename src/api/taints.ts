/** Taints the control plane sets (k8s.io/api/core/v1 well_known_taints.go). */
import type { Taint } from "./types.js";

/** Taint key of a node whose Ready condition is False (node lifecycle controller). */
export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
/** Taint key of a node whose Ready condition is Unknown. */
export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
/** Taint key of a cordoned node (spec.unschedulable). */
export const TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
/** The NoSchedule taint a cordoned node behaves as having (the NodeUnschedulable plugin checks tolerations of it). */
export const UNSCHEDULABLE_TAINT: Readonly<Taint> = Object.freeze({ key: TAINT_UNSCHEDULABLE, effect: "NoSchedule" });
