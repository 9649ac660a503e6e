import { TAINT_NOT_READY, TAINT_UNREACHABLE } from "../api/taints.js";
import { describe, type Node } from "../api/types.js";
import { perWriteCheck } from "./per-write.js";
import { NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The lifecycle-taints invariant. */
export const LIFECYCLE_TAINTS: InvariantInfo = {
  name: "lifecycle-taints",
  statement: `a node carries at most one of the node lifecycle controller's NoExecute taints (${TAINT_NOT_READY}, ${TAINT_UNREACHABLE}), each at most once: the controller swaps one for the other`,
  when: "every-event",
};

/** Violations of lifecycle-taints for one written node. Pure. */
export function lifecycleTaintViolations(node: Node, time: number): Violation[] {
  const taints = node.spec?.taints;
  if (taints === undefined || taints.length < 2) return [];
  const keys = taints.filter((t) => t.effect === "NoExecute" && (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE)).map((t) => t.key);
  if (keys.length < 2) return [];
  return [{ invariant: LIFECYCLE_TAINTS.name, time, object: describe(node), message: `carries the NoExecute taints ${keys.join(", ")} at once` }];
}

/**
 * lifecycle-taints, attributed to the node lifecycle controller (pkg/controller/nodelifecycle: SwapNodeControllerTaint
 * replaces one taint by the other in one update); judged on every Node write, O(taints).
 */
export const LIFECYCLE_TAINTS_CHECK: InvariantRegistration = {
  ...LIFECYCLE_TAINTS,
  owners: [{ controller: "node-lifecycle-controller" }],
  create: (cluster) => perWriteCheck(["Node"], () => cluster.sim.now, (type, obj, _old, time) => (type === "DELETED" ? NONE : lifecycleTaintViolations(obj as Node, time))),
};
