/**
 * NodeName (pkg/scheduler/framework/plugins/nodename/node_name.go): a pod that names a node (spec.nodeName) fits
 * only that node. k8sim's scheduler never queues pods that already carry a nodeName (they are bound), so this
 * filter matters only to callers that run the filters directly, as upstream's does.
 */
import type { Pod } from "../../api/types.js";
import type { CycleState, FilterPlugin, NodeInfo, PreFilterPlugin } from "../framework.js";
import { ActionType, Code, NodeUpdateAll, SKIP, Status } from "../framework.js";

/** The plugin's registry name (names.NodeName). */
export const NodeNameName = "NodeName";
/** Filter reason (nodename.ErrReason). */
export const ErrReasonNodeName = "node(s) didn't match the requested node name";

const REJECT = new Status(Code.UnschedulableAndUnresolvable, [ErrReasonNodeName], NodeNameName);

/** The NodeName filter. */
export class NodeName implements PreFilterPlugin, FilterPlugin {
  readonly name = NodeNameName;
  readonly events = ActionType.NodeAdd | NodeUpdateAll;

  /**
   * Skip when the pod names no node. NOTE: upstream NodeName has no PreFilter; its Filter then passes every node,
   * so skipping it changes no outcome and saves a call per node.
   */
  preFilter(_state: CycleState, pod: Pod): Status | null {
    return pod.spec.nodeName ? null : SKIP;
  }

  /** Null when the pod names no node or names this one. */
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const want = pod.spec.nodeName;
    return !want || want === nodeInfo.name ? null : REJECT;
  }
}
