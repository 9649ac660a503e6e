/**
 * NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go, least_allocated.go, most_allocated.go,
 * resource_allocation.go).
 *
 * Filter: the node must have room for the pod's real requests: `podRequest > allocatable - requested` fails, for
 * each of cpu and memory when the pod requests some, and the pod count must stay within allocatable pods. Every
 * failing resource is reported ("Too many pods", "Insufficient cpu", "Insufficient memory", in that order).
 *
 * Score: a weighted integer average over resources of a per-resource score computed from the node's non-zero
 * requested resources *including the incoming pod* (nonZeroRequested + pod's non-zero requests) and allocatable:
 * LeastAllocated (the default) favours empty nodes, MostAllocated favours full ones (bin packing).
 */
import type { PodResources } from "../../api/resources.js";
import { nonZeroPodRequests, podRequests } from "../../api/resources.js";
import type { Pod } from "../../api/types.js";
import type { CycleState, FilterPlugin, NodeInfo, PreFilterPlugin, PreScorePlugin, ScorePlugin } from "../framework.js";
import { ActionType, Code, MaxNodeScore, Status } from "../framework.js";

/** The plugin's registry name (names.NodeResourcesFit). */
export const NodeResourcesFitName = "NodeResourcesFit";

/** Scoring strategies (config.ScoringStrategyType). RequestedToCapacityRatio is not modelled. */
export type ScoringStrategyType = "LeastAllocated" | "MostAllocated";

/** A resource and its weight in the score (config.ResourceSpec). k8sim scores cpu and memory only. */
export interface ResourceSpec {
  name: "cpu" | "memory";
  weight: number;
}

/** NodeResourcesFitArgs.ScoringStrategy. */
export interface ScoringStrategy {
  type: ScoringStrategyType;
  resources: ResourceSpec[];
}

/** The upstream default: LeastAllocated over cpu:1, memory:1 (pkg/scheduler/apis/config/v1/defaults.go). */
export const DEFAULT_SCORING_STRATEGY: Readonly<ScoringStrategy> = Object.freeze<ScoringStrategy>({
  type: "LeastAllocated",
  resources: [
    { name: "cpu", weight: 1 },
    { name: "memory", weight: 1 },
  ],
});

/**
 * Per-resource LeastAllocated score: `((capacity - requested) * MaxNodeScore) / capacity` in integer arithmetic;
 * 0 when capacity is 0 or requested exceeds it (least_allocated.go leastRequestedScore).
 * NOTE: JS numbers are exact to 2^53, so memory in bytes is exact up to about 90 TB per node (x100).
 */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MaxNodeScore) / capacity);
}

/**
 * Per-resource MostAllocated score: `(min(requested, capacity) * MaxNodeScore) / capacity`, 0 when capacity is 0
 * (most_allocated.go mostRequestedScore). requested can exceed capacity because of the non-zero defaults.
 */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return Math.trunc((requested * MaxNodeScore) / capacity);
}

/** A scoring strategy reduced to what the arithmetic needs: the formula and one weight per resource (0 if absent). */
export interface FoldedStrategy {
  most: boolean;
  wCpu: number;
  wMem: number;
}

/** Folds a strategy; a resource listed twice counts with the sum of its weights, as the sum over entries does. */
export function foldStrategy(s: ScoringStrategy): FoldedStrategy {
  const weight = (name: string) => s.resources.filter((r) => r.name === name).reduce((w, r) => w + r.weight, 0);
  return { most: s.type === "MostAllocated", wCpu: weight("cpu"), wMem: weight("memory") };
}

/**
 * The weighted node score of a strategy: sum(score(resource) x weight) / sum(weight), integer division, skipping
 * resources the node does not offer (leastResourceScorer / mostResourceScorer over resourceAllocationScorer.score).
 * `requested` must already include the incoming pod.
 */
export function resourceAllocationScore(
  strategy: ScoringStrategy,
  requestedCpu: number,
  requestedMemory: number,
  allocCpu: number,
  allocMemory: number,
): number {
  return foldedScore(foldStrategy(strategy), requestedCpu, requestedMemory, allocCpu, allocMemory);
}

/** `resourceAllocationScore` on a folded strategy: plain arithmetic, for the per-node loop. */
export function foldedScore(f: FoldedStrategy, requestedCpu: number, requestedMemory: number, allocCpu: number, allocMemory: number): number {
  let sum = 0;
  let wsum = 0;
  if (f.wCpu !== 0 && allocCpu !== 0) {
    sum += (f.most ? mostRequestedScore(requestedCpu, allocCpu) : leastRequestedScore(requestedCpu, allocCpu)) * f.wCpu;
    wsum += f.wCpu;
  }
  if (f.wMem !== 0 && allocMemory !== 0) {
    sum += (f.most ? mostRequestedScore(requestedMemory, allocMemory) : leastRequestedScore(requestedMemory, allocMemory)) * f.wMem;
    wsum += f.wMem;
  }
  return wsum === 0 ? 0 : Math.trunc(sum / wsum);
}

const ZERO: PodResources = Object.freeze({ cpuMilli: 0, memory: 0 });
const PRE_FILTER_KEY = "PreFilter" + NodeResourcesFitName;
const PRE_SCORE_KEY = "PreScore" + NodeResourcesFitName;

const TOO_MANY_PODS = "Too many pods";
const INSUFFICIENT_CPU = "Insufficient cpu";
const INSUFFICIENT_MEMORY = "Insufficient memory";

// One shared Status per combination of failing resources and resolvability, so a rejected node allocates nothing.
const statusCache = new Map<number, Status>();
function rejection(bits: number, unresolvable: boolean): Status {
  const key = bits | (unresolvable ? 8 : 0);
  let s = statusCache.get(key);
  if (s === undefined) {
    const reasons: string[] = [];
    if (bits & 1) reasons.push(TOO_MANY_PODS);
    if (bits & 2) reasons.push(INSUFFICIENT_CPU);
    if (bits & 4) reasons.push(INSUFFICIENT_MEMORY);
    s = new Status(unresolvable ? Code.UnschedulableAndUnresolvable : Code.Unschedulable, reasons, NodeResourcesFitName);
    statusCache.set(key, s);
  }
  return s;
}

/**
 * Whether `request` fits on the node, as fit.go fitsRequest for cpu, memory and pods: returns null or the
 * rejection. A request larger than the node's whole allocatable is UnschedulableAndUnresolvable (preemption cannot
 * help); otherwise Unschedulable. NOTE: ephemeral-storage and extended resources are not checked.
 */
export function fitsRequest(request: PodResources, nodeInfo: NodeInfo): Status | null {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  let bits = 0;
  let unresolvable = false;
  if (used.pods + 1 > alloc.pods) bits |= 1;
  if (request.cpuMilli > 0 && request.cpuMilli > alloc.cpuMilli - used.cpuMilli) {
    bits |= 2;
    if (request.cpuMilli > alloc.cpuMilli) unresolvable = true;
  }
  if (request.memory > 0 && request.memory > alloc.memory - used.memory) {
    bits |= 4;
    if (request.memory > alloc.memory) unresolvable = true;
  }
  return bits === 0 ? null : rejection(bits, unresolvable);
}

/** NodeResourcesFit: PreFilter computes the pod's requests once; Filter checks them; PreScore/Score rank nodes. */
export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NodeResourcesFitName;
  /** Freed resources (assigned pod deleted), a new node, or more allocatable can make room. */
  readonly events = ActionType.NodeAdd | ActionType.UpdateNodeAllocatable | ActionType.AssignedPodDelete;
  /** The scoring strategy (NodeResourcesFitArgs.ScoringStrategy). */
  readonly strategy: ScoringStrategy;

  constructor(args: { scoringStrategy?: ScoringStrategy } = {}) {
    const s = args.scoringStrategy ?? DEFAULT_SCORING_STRATEGY;
    // Validated here, in the factory, as upstream's ValidateNodeResourcesFitArgs: a bad profile fails at load time.
    if (s.type !== "LeastAllocated" && s.type !== "MostAllocated") throw new Error(`NodeResourcesFit: unsupported scoring strategy type "${String(s.type)}"`);
    for (const r of s.resources) {
      if (r.name !== "cpu" && r.name !== "memory") throw new Error(`NodeResourcesFit: unsupported resource "${String(r.name)}" (cpu and memory are modelled)`);
      if (!Number.isInteger(r.weight) || r.weight < 1 || r.weight > 100) throw new Error(`NodeResourcesFit: resource weight of ${r.name} must be an integer in 1..100, got ${r.weight}`);
    }
    this.strategy = s;
    this.folded = foldStrategy(s);
  }

  /** `strategy` folded once, for the per-node arithmetic. */
  private readonly folded: FoldedStrategy;

  // Memo of the cycle state's entries, keyed by CycleState.cycle, so the per-node calls skip the map lookup.
  private filterCycle = -1;
  private filterReq: PodResources = ZERO;
  private scoreCycle = -1;
  private scoreReq: PodResources = ZERO;

  /** Computes the pod's real requests once per cycle (PreFilter state). */
  preFilter(state: CycleState, pod: Pod): Status | null {
    state.write(PRE_FILTER_KEY, podRequests(pod));
    return null;
  }

  /** `fitsRequest` with the PreFilter requests. */
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    if (state.cycle !== this.filterCycle) {
      this.filterReq = state.read<PodResources>(PRE_FILTER_KEY) ?? podRequests(pod);
      this.filterCycle = state.cycle;
    }
    return fitsRequest(this.filterReq, nodeInfo);
  }

  /** Computes the pod's non-zero requests once per cycle (PreScore state). */
  preScore(state: CycleState, pod: Pod): Status | null {
    state.write(PRE_SCORE_KEY, nonZeroPodRequests(pod));
    return null;
  }

  /** The strategy's score on non-zero requests, the incoming pod included (resource_allocation.go score). */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    if (state.cycle !== this.scoreCycle) {
      this.scoreReq = state.read<PodResources>(PRE_SCORE_KEY) ?? nonZeroPodRequests(pod);
      this.scoreCycle = state.cycle;
    }
    const req = this.scoreReq;
    const nz = nodeInfo.nonZeroRequested;
    const alloc = nodeInfo.allocatable;
    return foldedScore(this.folded, nz.cpuMilli + req.cpuMilli, nz.memory + req.memory, alloc.cpuMilli, alloc.memory);
  }

  /** `score` over nodes[0..n). */
  scoreAll(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], n: number, out: number[]): void {
    const req = state.read<PodResources>(PRE_SCORE_KEY) ?? nonZeroPodRequests(pod);
    const f = this.folded;
    for (let i = 0; i < n; i++) {
      const ni = nodes[i];
      const nz = ni.nonZeroRequested;
      const alloc = ni.allocatable;
      out[i] = foldedScore(f, nz.cpuMilli + req.cpuMilli, nz.memory + req.memory, alloc.cpuMilli, alloc.memory);
    }
  }
}
