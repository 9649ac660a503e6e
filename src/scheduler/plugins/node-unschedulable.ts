/**
 * NodeUnschedulable (pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go): rejects cordoned
 * nodes (spec.unschedulable) unless the pod tolerates the `node.kubernetes.io/unschedulable:NoSchedule` taint,
 * which DaemonSet pods do.
 */
import { UNSCHEDULABLE_TAINT } from "../../api/taints.js";
import type { Pod } from "../../api/types.js";
import type { CycleState, FilterPlugin, NodeInfo } from "../framework.js";
import { ActionType, Code, Status } from "../framework.js";
import { tolerationsTolerateTaint } from "../../api/tolerations.js";

/** The plugin's registry name (names.NodeUnschedulable). */
export const NodeUnschedulableName = "NodeUnschedulable";
/** Filter reason for a cordoned node (ErrReasonUnschedulable). */
export const ErrReasonUnschedulable = "node(s) were unschedulable";


const REJECT = new Status(Code.UnschedulableAndUnresolvable, [ErrReasonUnschedulable], NodeUnschedulableName);

/** The NodeUnschedulable filter. Rejections are UnschedulableAndUnresolvable: preemption cannot uncordon a node. */
export class NodeUnschedulable implements FilterPlugin {
  readonly name = NodeUnschedulableName;
  /** A schedulable node without taints passes: nothing to tolerate. */
  readonly passesPlainNodes = true;
  /** Uncordoning is a node update of spec.unschedulable, which upstream classifies as UpdateNodeTaint. */
  readonly events = ActionType.NodeAdd | ActionType.UpdateNodeTaint;

  /** Null unless the node is cordoned and the pod does not tolerate the unschedulable taint. */
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    if (!nodeInfo.node?.spec.unschedulable) return null;
    return tolerationsTolerateTaint(pod.spec.tolerations, UNSCHEDULABLE_TAINT) ? null : REJECT;
  }
}
