/**
 * The scheduling algorithm of one cycle (pkg/scheduler/schedule_one.go): find feasible nodes starting at a
 * round-robin index and stopping after numFeasibleNodesToFind, score them, pick the best with random tie-breaking;
 * or explain why no node fits (FitError, framework/types.go).
 *
 * Pure functions of (profile, cycle state, pod, ordered nodes, start index, rng): tests call them without a
 * simulation. Scratch arrays are reused across cycles, so a cycle allocates nothing per node.
 */
import { compareStrings } from "../engine/compare.js";
import type { Pod } from "../api/types.js";
import type { CycleState, FilterPlugin, Framework, NodeInfo, Status } from "./framework.js";
import { Code, MaxNodeScore, MinNodeScore } from "./framework.js";

/** Below this many nodes every node is examined (minFeasibleNodesToFind). */
export const minFeasibleNodesToFind = 100;
/** The adaptive percentage never goes below this (minFeasibleNodesPercentageToFind). */
export const minFeasibleNodesPercentageToFind = 5;

/**
 * How many feasible nodes to find before scoring (Scheduler.numFeasibleNodesToFind): all nodes under 100;
 * otherwise `percentage` of them (when 0, the adaptive `max(5, 50 - numAllNodes / 125)` with integer division),
 * but at least 100. 50 nodes -> 50; 1,000 -> 420 (42%); 5,000 -> 500 (10%).
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore: number): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < minFeasibleNodesPercentageToFind) percentage = minFeasibleNodesPercentageToFind;
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return numNodes < minFeasibleNodesToFind ? minFeasibleNodesToFind : numNodes;
}

/** Message of the FitError prefix (NoNodeAvailableMsg). */
export const NoNodeAvailableMsg = (numAllNodes: number) => `0/${numAllNodes} nodes are available`;
/** Error when the cluster has no node at all (ErrNoNodesAvailable). */
export const ErrNoNodesAvailable = "no nodes available to schedule pods";

/**
 * Why the filters rejected the pod (framework.Diagnosis): the status of each rejected node, in processing order,
 * and the plugins that rejected. Held in reused parallel arrays; `nodeToStatus()` builds the map on demand, which
 * only a failed cycle needs.
 */
export class Diagnosis {
  private nodes: NodeInfo[] = [];
  private statuses: Status[] = [];
  private plugins: string[] = [];
  /** Rejected nodes recorded so far. */
  count = 0;
  /** Message of a PreFilter rejection, which then applies to every node (Diagnosis.PreFilterMsg). */
  preFilterMsg = "";
  /** Message from PostFilter (preemption), which k8sim does not run (Diagnosis.PostFilterMsg). */
  postFilterMsg = "";
  /** The plugin whose PreFilter rejected the pod, if any. */
  preFilterPlugin = "";

  /** Clears for a new cycle. */
  reset(): void {
    this.count = 0;
    this.preFilterMsg = this.postFilterMsg = this.preFilterPlugin = "";
  }

  /** Records that `plugin` rejected `node` with `status`. */
  add(node: NodeInfo, status: Status, plugin: string): void {
    const i = this.count++;
    this.nodes[i] = node;
    this.statuses[i] = status;
    this.plugins[i] = plugin;
  }

  /** Rejected node names to their statuses (Diagnosis.NodeToStatus). */
  nodeToStatus(): Map<string, Status> {
    const m = new Map<string, Status>();
    for (let i = 0; i < this.count; i++) m.set(this.nodes[i].name, this.statuses[i]);
    return m;
  }

  /** Plugins that rejected at least one node (Diagnosis.UnschedulablePlugins). */
  unschedulablePlugins(): Set<string> {
    const s = new Set<string>();
    if (this.preFilterPlugin) s.add(this.preFilterPlugin);
    for (let i = 0; i < this.count; i++) s.add(this.statuses[i].plugin || this.plugins[i]);
    return s;
  }

  /** How many rejected nodes gave each reason (the histogram FitError.Error() prints). */
  reasonCounts(): Map<string, number> {
    const m = new Map<string, number>();
    for (let i = 0; i < this.count; i++) for (const r of this.statuses[i].reasons) m.set(r, (m.get(r) ?? 0) + 1);
    return m;
  }
}

/**
 * The FitError message, as framework.FitError.Error(): `0/<all> nodes are available: ` followed by either the
 * PreFilter message or the "<count> <reason>" entries sorted as strings (Go's sort.Strings: so "10 x" sorts before
 * "2 y") and joined by ", ", then a ".", then the PostFilter message and "." if any.
 * Example: "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint {node.kubernetes.io/unreachable: }."
 */
export function fitErrorMessage(numAllNodes: number, reasonCounts: ReadonlyMap<string, number>, preFilterMsg = "", postFilterMsg = ""): string {
  let msg = `${NoNodeAvailableMsg(numAllNodes)}:`;
  if (preFilterMsg !== "") {
    msg += ` ${preFilterMsg}.`;
  } else {
    const entries: string[] = [];
    for (const [reason, n] of reasonCounts) entries.push(`${n} ${reason}`);
    entries.sort(compareStrings);
    if (entries.length > 0) msg += ` ${entries.join(", ")}.`;
  }
  if (postFilterMsg !== "") msg += ` ${postFilterMsg}.`;
  return msg;
}


/**
 * No node fits the pod (framework.FitError): the numbers and statuses behind the message, detached from the
 * reused Diagnosis.
 */
export class FitError {
  /** The FailedScheduling message and PodScheduled condition message. */
  readonly message: string;

  constructor(
    readonly pod: Pod,
    readonly numAllNodes: number,
    /** Status of every rejected node. */
    readonly nodeToStatus: ReadonlyMap<string, Status>,
    /** Plugins that rejected the pod on some node; the queue uses them to pick the events that can help. */
    readonly unschedulablePlugins: ReadonlySet<string>,
    reasonCounts: ReadonlyMap<string, number>,
    preFilterMsg = "",
    postFilterMsg = "",
  ) {
    this.message = fitErrorMessage(numAllNodes, reasonCounts, preFilterMsg, postFilterMsg);
  }
}

/** A plugin broke its contract (an Error status, a score out of range): the cycle fails with this message. */
export class PluginError extends Error {}

/** Reusable buffers of the algorithm, one per scheduler, so the per-node loops allocate nothing. */
export class ScheduleScratch {
  /** Feasible nodes of the current cycle (valid up to the returned length). */
  readonly feasible: NodeInfo[] = [];
  /** Weighted total score per feasible node. */
  readonly totals: number[] = [];
  /** Per score plugin, the raw then normalised scores. */
  readonly pluginScores: number[][] = [];
  /** Filter plugins not skipped by PreFilter in this cycle. */
  readonly activeFilters: FilterPlugin[] = [];
  /** Of those, the ones that may reject a plain node (no `passesPlainNodes`). */
  readonly plainFilters: FilterPlugin[] = [];
  readonly diagnosis = new Diagnosis();
}

/** What filtering found (the part of findNodesThatFitPod's result k8sim uses). */
export interface FindNodesResult {
  /** `scratch.feasible`, truncated to the feasible nodes, in the order they were found. */
  feasible: NodeInfo[];
  /** Nodes examined: feasible + rejected (processedNodes, by which nextStartNodeIndex advances). */
  processed: number;
  /** Why nodes were rejected; `scratch.diagnosis`. */
  diagnosis: Diagnosis;
  /** An Error status from a plugin, which aborts the cycle. */
  error?: Status;
}

/**
 * Runs PreFilter, then the Filter plugins on nodes[(startIndex + i) % n] for i = 0, 1, ... until
 * `numNodesToFind` feasible nodes are found or every node was examined (findNodesThatFitPod +
 * findNodesThatPassFilters). A node's filters stop at the first rejection, so each rejected node has exactly one
 * status. NOTE: upstream examines nodes with 16 goroutines and may overshoot by a few nodes; k8sim examines them in
 * order, which is upstream's single-threaded result.
 */
export function findNodesThatFit(
  fwk: Framework,
  state: CycleState,
  pod: Pod,
  nodes: readonly NodeInfo[],
  startIndex: number,
  numNodesToFind: number,
  scratch: ScheduleScratch = new ScheduleScratch(),
): FindNodesResult {
  const diagnosis = scratch.diagnosis;
  diagnosis.reset();
  const feasible = scratch.feasible;
  const filters = scratch.activeFilters;
  filters.length = 0;
  for (const pl of fwk.preFilterPlugins) {
    const s = pl.preFilter(state, pod, nodes);
    if (s === null || s.code === Code.Success) continue;
    if (s.code === Code.Skip) {
      state.skipFilterPlugins.add(pl.name);
      continue;
    }
    feasible.length = 0;
    if (s.code === Code.Error) return { feasible, processed: 0, diagnosis, error: s };
    // A PreFilter rejection applies to every node (framework.NodeToStatus.SetAbsentNodesStatus).
    diagnosis.preFilterMsg = s.message();
    diagnosis.preFilterPlugin = s.plugin || pl.name;
    for (const ni of nodes) diagnosis.add(ni, s, diagnosis.preFilterPlugin);
    return { feasible, processed: nodes.length, diagnosis };
  }
  for (const pl of fwk.filterPlugins) if (!state.skipFilterPlugins.has(pl.name)) filters.push(pl);
  // For plain nodes (schedulable, untainted) only the filters that do not declare passesPlainNodes can reject.
  const plainFilters = scratch.plainFilters;
  plainFilters.length = 0;
  for (const pl of filters) if (!pl.passesPlainNodes) plainFilters.push(pl);

  const n = nodes.length;
  let found = 0;
  let i = 0;
  // nodes[(startIndex + i) % n], with the index wrapped by hand: an integer modulo per node costs more than the
  // filters of a healthy node.
  let idx = startIndex;
  for (; i < n && found < numNodesToFind; i++) {
    const ni = nodes[idx];
    if (++idx === n) idx = 0;
    let rejected: Status | null = null;
    let by = "";
    const run = ni.plain ? plainFilters : filters;
    for (let f = 0; f < run.length; f++) {
      const s = run[f].filter(state, pod, ni);
      if (s !== null && s.code !== Code.Success) {
        rejected = s;
        by = run[f].name;
        break;
      }
    }
    if (rejected === null) {
      feasible[found++] = ni;
    } else if (rejected.code === Code.Error) {
      feasible.length = 0;
      return { feasible, processed: i + 1, diagnosis, error: rejected };
    } else {
      diagnosis.add(ni, rejected, by);
    }
  }
  feasible.length = found;
  return { feasible, processed: i, diagnosis };
}

/**
 * Scores the feasible nodes (prioritizeNodes): PreScore (a Skip drops that plugin for this pod), then per Score
 * plugin the raw scores, its NormalizeScore, a range check, and total += score x weight. Returns
 * `scratch.totals`, aligned with `feasible`. With no score plugin every node scores 1, as upstream.
 * Throws PluginError if a plugin fails PreScore or leaves a score outside 0..MaxNodeScore (an Error status upstream).
 */
export function prioritizeNodes(fwk: Framework, state: CycleState, pod: Pod, feasible: readonly NodeInfo[], scratch: ScheduleScratch = new ScheduleScratch()): number[] {
  const n = feasible.length;
  const totals = scratch.totals;
  if (totals.length > n) totals.length = n;
  const init = fwk.scorePlugins.length === 0 ? 1 : 0;
  for (let i = 0; i < n; i++) {
    if (i < totals.length) totals[i] = init;
    else totals.push(init);
  }
  if (init === 1) return totals;
  for (const pl of fwk.preScorePlugins) {
    const s = pl.preScore(state, pod, feasible);
    if (s !== null && s.code === Code.Skip) state.skipScorePlugins.add(pl.name);
    else if (s !== null && s.code !== Code.Success) throw new PluginError(`running PreScore plugin "${pl.name}": ${s.message()}`);
  }
  for (let p = 0; p < fwk.scorePlugins.length; p++) {
    const { plugin, weight } = fwk.scorePlugins[p];
    if (state.skipScorePlugins.has(plugin.name)) continue;
    const scores = (scratch.pluginScores[p] ??= []);
    // Grow by push and shrink by length, so the array stays packed (a length increase would make it holey).
    if (scores.length > n) scores.length = n;
    while (scores.length < n) scores.push(0);
    if (plugin.scoreAll !== undefined) plugin.scoreAll(state, pod, feasible, n, scores);
    else for (let i = 0; i < n; i++) scores[i] = plugin.score(state, pod, feasible[i]);
    plugin.normalizeScore?.(state, pod, scores);
    for (let i = 0; i < n; i++) {
      const s = scores[i];
      if (!(s >= MinNodeScore && s <= MaxNodeScore)) {
        throw new PluginError(`plugin "${plugin.name}" returns an invalid score ${s}, it should in the range of [${MinNodeScore}, ${MaxNodeScore}] after normalizing`);
      }
      totals[i] += s * weight;
    }
  }
  return totals;
}

/**
 * Picks the index of a highest total, uniformly among ties by reservoir sampling: walking the list, the k-th node
 * seen with the current best score replaces the pick with probability 1/k, drawn as `floor(rng() * k) === 0`
 * (selectHost). Returns -1 for an empty list. NOTE: upstream (v1.30+) walks ties in heap order; the distribution is
 * the same, and walking in list order keeps runs reproducible from the seed.
 */
export function selectHost(totals: readonly number[], rng: () => number, n: number = totals.length): number {
  if (n === 0) return -1;
  let best = totals[0];
  let selected = 0;
  let cnt = 1;
  for (let i = 1; i < n; i++) {
    const s = totals[i];
    if (s > best) {
      best = s;
      selected = i;
      cnt = 1;
    } else if (s === best) {
      cnt++;
      if (Math.floor(rng() * cnt) === 0) selected = i;
    }
  }
  return selected;
}

/** Mutable state the algorithm carries across cycles (Scheduler.nextStartNodeIndex). */
export interface AlgorithmState {
  /** Where the next cycle starts examining nodes; advanced by the nodes processed, modulo the node count. */
  nextStartNodeIndex: number;
}

/** A successful placement (ScheduleResult). */
export interface ScheduleResult {
  kind: "scheduled";
  /** The chosen node. */
  node: NodeInfo;
  /** Nodes examined (EvaluatedNodes). */
  evaluatedNodes: number;
  /** Nodes that passed the filters (FeasibleNodes). */
  feasibleNodes: number;
}

/** The outcome of one scheduling attempt: a node, a FitError, or an internal error message. */
export type SchedulePodResult = ScheduleResult | { kind: "unschedulable"; error: FitError } | { kind: "error"; message: string; noNodes?: boolean };

/**
 * One scheduling algorithm run (Scheduler.schedulePod): no nodes -> error ErrNoNodesAvailable; filter from
 * `algo.nextStartNodeIndex`, then advance it by the nodes processed; none feasible -> FitError; exactly one -> it,
 * without scoring (and without a random draw), as upstream; else score and selectHost.
 * `percentageOfNodesToScore` is the global setting; the profile's value wins when set.
 */
export function schedulePod(
  fwk: Framework,
  state: CycleState,
  pod: Pod,
  nodes: readonly NodeInfo[],
  algo: AlgorithmState,
  rng: () => number,
  percentageOfNodesToScore: number,
  scratch: ScheduleScratch = new ScheduleScratch(),
): SchedulePodResult {
  const numAll = nodes.length;
  if (numAll === 0) return { kind: "error", message: ErrNoNodesAvailable, noNodes: true };
  const toFind = numFeasibleNodesToFind(numAll, fwk.percentageOfNodesToScore ?? percentageOfNodesToScore);
  const r = findNodesThatFit(fwk, state, pod, nodes, algo.nextStartNodeIndex % numAll, toFind, scratch);
  if (r.error) return { kind: "error", message: r.error.message() };
  algo.nextStartNodeIndex = (algo.nextStartNodeIndex + r.processed) % numAll;
  const feasible = r.feasible;
  if (feasible.length === 0) {
    const d = r.diagnosis;
    return {
      kind: "unschedulable",
      error: new FitError(pod, numAll, d.nodeToStatus(), d.unschedulablePlugins(), d.reasonCounts(), d.preFilterMsg, d.postFilterMsg),
    };
  }
  if (feasible.length === 1) return { kind: "scheduled", node: feasible[0], evaluatedNodes: 1 + r.diagnosis.count, feasibleNodes: 1 };
  let totals: number[];
  try {
    totals = prioritizeNodes(fwk, state, pod, feasible, scratch);
  } catch (e) {
    // A failing or misbehaving score plugin is an Error status upstream: this pod backs off, the run goes on.
    if (e instanceof PluginError) return { kind: "error", message: e.message };
    throw e;
  }
  const i = selectHost(totals, rng, feasible.length);
  return { kind: "scheduled", node: feasible[i], evaluatedNodes: feasible.length + r.diagnosis.count, feasibleNodes: feasible.length };
}

