/**
 * TaintToleration (pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go).
 *
 * Filter: the first NoSchedule/NoExecute taint of the node, in the node's order, that the pod does not tolerate
 * rejects the node with "node(s) had untolerated taint {key: value}" (UnschedulableAndUnresolvable).
 * Score: the number of PreferNoSchedule taints the pod's PreferNoSchedule (or effect-less) tolerations do not
 * tolerate, normalised reversed with DefaultNormalizeScore, so the node with the most such taints scores 0 and
 * nodes without any score 100.
 */
import type { Pod, Taint, Toleration } from "../../api/types.js";
import type { CycleState, FilterPlugin, NodeInfo, PreScorePlugin, ScorePlugin } from "../framework.js";
import { ActionType, Code, MaxNodeScore, Status } from "../framework.js";
import { findMatchingUntoleratedTaint, tolerationsTolerateTaint } from "../../api/tolerations.js";
import { defaultNormalizeScore, doNotScheduleTaint } from "./helper.js";

/** The plugin's registry name (names.TaintToleration). */
export const TaintTolerationName = "TaintToleration";

const PRE_SCORE_KEY = "PreScore" + TaintTolerationName;

/** The filter's reason for an untolerated taint, formatted as upstream: `{key: value}` (value may be empty). */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`;
}

// One Status per distinct reason, shared across nodes and cycles (taint strings repeat across a whole pool).
const statusCache = new Map<string, Status>();
function rejection(taint: Taint): Status {
  const reason = untoleratedTaintReason(taint);
  let s = statusCache.get(reason);
  if (s === undefined) {
    s = new Status(Code.UnschedulableAndUnresolvable, [reason], TaintTolerationName);
    if (statusCache.size < 4096) statusCache.set(reason, s);
  }
  return s;
}

/** Counts PreferNoSchedule taints not tolerated by `tolerations` (countIntolerableTaintsPreferNoSchedule). */
export function countIntolerableTaintsPreferNoSchedule(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[]): number {
  if (!taints) return 0;
  let n = 0;
  for (const t of taints) if (t.effect === "PreferNoSchedule" && !tolerationsTolerateTaint(tolerations, t)) n++;
  return n;
}

/** The tolerations that matter for scoring: effect PreferNoSchedule or empty (getAllTolerationPreferNoSchedule). */
export function tolerationsPreferNoSchedule(tolerations: readonly Toleration[] | undefined): Toleration[] {
  return (tolerations ?? []).filter((t) => !t.effect || t.effect === "PreferNoSchedule");
}

/** The TaintToleration plugin. */
export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = TaintTolerationName;
  /** A schedulable node without taints passes: nothing to tolerate. */
  readonly passesPlainNodes = true;
  /** A new node, or a node whose taints changed (pre-QueueingHints registration: Add|UpdateNodeTaint). */
  readonly events = ActionType.NodeAdd | ActionType.UpdateNodeTaint;

  /** Null unless a NoSchedule/NoExecute taint is not tolerated; the first such taint names the reason. */
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const taint = findMatchingUntoleratedTaint(nodeInfo.node?.spec.taints, pod.spec.tolerations, doNotScheduleTaint);
    return taint === undefined ? null : rejection(taint);
  }

  /** Stores the pod's PreferNoSchedule (or effect-less) tolerations. */
  preScore(state: CycleState, pod: Pod): Status | null {
    state.write(PRE_SCORE_KEY, tolerationsPreferNoSchedule(pod.spec.tolerations));
    return null;
  }

  // Memo of the PreScore entry, keyed by CycleState.cycle, so per-node calls skip the map lookup.
  private memoCycle = -1;
  private memo: Toleration[] = [];

  /** Raw score: the number of intolerable PreferNoSchedule taints (higher is worse until normalised). */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const taints = nodeInfo.node?.spec.taints;
    if (taints === undefined || taints.length === 0) return 0;
    if (state.cycle !== this.memoCycle) {
      this.memo = state.read<Toleration[]>(PRE_SCORE_KEY) ?? tolerationsPreferNoSchedule(pod.spec.tolerations);
      this.memoCycle = state.cycle;
    }
    return countIntolerableTaintsPreferNoSchedule(taints, this.memo);
  }

  /** `score` over nodes[0..n). */
  scoreAll(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], n: number, out: number[]): void {
    let tolerations: Toleration[] | undefined;
    for (let i = 0; i < n; i++) {
      const taints = nodes[i].node?.spec.taints;
      if (taints === undefined || taints.length === 0) {
        out[i] = 0;
        continue;
      }
      tolerations ??= state.read<Toleration[]>(PRE_SCORE_KEY) ?? tolerationsPreferNoSchedule(pod.spec.tolerations);
      out[i] = countIntolerableTaintsPreferNoSchedule(taints, tolerations);
    }
  }

  /** DefaultNormalizeScore(MaxNodeScore, reverse=true): fewest intolerable taints get 100. */
  normalizeScore(_state: CycleState, _pod: Pod, scores: number[]): void {
    defaultNormalizeScore(MaxNodeScore, true, scores);
  }
}
