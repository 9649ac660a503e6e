/**
 * NodeResourcesBalancedAllocation (pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go): favours
 * nodes whose cpu and memory utilisation stay close to each other once the pod is placed.
 *
 * Per resource the fraction `(requested + pod) / allocatable`, capped at 1, over the node's *real* requests
 * (useRequested: true, unlike NodeResourcesFit's score); with two resources std = |f1 - f2| / 2, with more the
 * population standard deviation; score = trunc((1 - std) x MaxNodeScore). Best-effort pods (no cpu and no memory
 * request) are skipped at PreScore, as upstream since kubernetes#129138, so they do not all pile onto one node.
 * NOTE: the newer formula of kubernetes#135573 (scoring the change in balance) is not modelled.
 */
import type { PodResources } from "../../api/resources.js";
import { podRequests } from "../../api/resources.js";
import type { Pod } from "../../api/types.js";
import type { CycleState, NodeInfo, PreScorePlugin, ScorePlugin } from "../framework.js";
import { MaxNodeScore, SKIP, Status } from "../framework.js";

/** The plugin's registry name (names.NodeResourcesBalancedAllocation). */
export const BalancedAllocationName = "NodeResourcesBalancedAllocation";

const PRE_SCORE_KEY = "PreScore" + BalancedAllocationName;

/**
 * The balance score from requested (pod included) and allocatable, cpu then memory; a resource with allocatable 0
 * is left out (balancedResourceScorer).
 */
export function balancedResourceScore(requestedCpu: number, requestedMemory: number, allocCpu: number, allocMemory: number): number {
  let n = 0;
  let f0 = 0;
  let f1 = 0;
  if (allocCpu !== 0) {
    f0 = Math.min(requestedCpu / allocCpu, 1);
    n++;
  }
  if (allocMemory !== 0) {
    const f = Math.min(requestedMemory / allocMemory, 1);
    if (n === 0) f0 = f;
    else f1 = f;
    n++;
  }
  // With one resource the deviation is 0, as upstream ("set the std to zero is enough").
  const std = n === 2 ? Math.abs((f0 - f1) / 2) : 0;
  return Math.trunc((1 - std) * MaxNodeScore);
}

/** NodeResourcesBalancedAllocation over cpu and memory (its default resources, weights unused). */
export class BalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = BalancedAllocationName;

  /** Skip for best-effort pods; else stores the pod's real requests. */
  preScore(state: CycleState, pod: Pod): Status | null {
    const r = podRequests(pod);
    if (r.cpuMilli === 0 && r.memory === 0) return SKIP;
    state.write(PRE_SCORE_KEY, r);
    return null;
  }

  // Memo of the PreScore entry, keyed by CycleState.cycle, so per-node calls skip the map lookup.
  private memoCycle = -1;
  private memo: PodResources = { cpuMilli: 0, memory: 0 };

  /** `balancedResourceScore` over the node's real requests plus the pod's. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    if (state.cycle !== this.memoCycle) {
      this.memo = state.read<PodResources>(PRE_SCORE_KEY) ?? podRequests(pod);
      this.memoCycle = state.cycle;
    }
    const r = this.memo;
    const used = nodeInfo.requested;
    const alloc = nodeInfo.allocatable;
    return balancedResourceScore(used.cpuMilli + r.cpuMilli, used.memory + r.memory, alloc.cpuMilli, alloc.memory);
  }

  /** `score` over nodes[0..n). */
  scoreAll(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], n: number, out: number[]): void {
    const r = state.read<PodResources>(PRE_SCORE_KEY) ?? podRequests(pod);
    for (let i = 0; i < n; i++) {
      const ni = nodes[i];
      const used = ni.requested;
      const alloc = ni.allocatable;
      out[i] = balancedResourceScore(used.cpuMilli + r.cpuMilli, used.memory + r.memory, alloc.cpuMilli, alloc.memory);
    }
  }
}
