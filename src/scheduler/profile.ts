/**
 * The default scheduling profile (pkg/scheduler/apis/config/v1/default_plugins.go getDefaultPlugins), restricted to
 * the plugins k8sim models.
 *
 * Upstream default (v1.31+) and what k8sim does with each:
 * - SchedulingGates (PreEnqueue): not modelled; pods carry no schedulingGates here.
 * - PrioritySort (QueueSort): modelled by the queue itself (queue.ts), not as a plugin.
 * - NodeUnschedulable, NodeName, TaintToleration [3], NodeAffinity [2], NodeResourcesFit [1],
 *   NodeResourcesBalancedAllocation [1]: modelled, in upstream's filter order and with upstream's score weights.
 * - NodePorts: not modelled (k8sim pods declare no hostPorts), so two pods wanting the same host port may share a
 *   node.
 * - VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone: not modelled (no volumes); pods never wait for
 *   volume binding and zonal volumes do not pin pods to zones.
 * - PodTopologySpread [2]: not modelled. Upstream's system default constraints (hostname maxSkew 3, zone maxSkew 5,
 *   ScheduleAnyway) spread the replicas of a Service/ReplicaSet across nodes and zones; without it, k8sim places
 *   replicas by resource scores alone, so replicas concentrate more on the least-allocated nodes and zone spread
 *   only comes from the node tree's zone interleaving and tie-breaking.
 * - InterPodAffinity [2]: not modelled; pod (anti-)affinity in a pod spec is ignored, so anti-affinity does not keep
 *   replicas apart.
 * - ImageLocality [1]: not modelled yet (the kubelets' image stores exist, src/kubelet/runtime/, but the scheduler
 *   does not read them); upstream nudges pods to nodes that already hold their images.
 * - DefaultPreemption (PostFilter): not modelled; a high-priority pod that does not fit stays pending instead of
 *   evicting lower-priority pods, and FailedScheduling messages lack upstream's "preemption: ..." suffix.
 * - DefaultBinder: modelled by the scheduler's bind call.
 *
 * Because the unmodelled score plugins add 0 for every node, totals are lower than upstream's, but the ranking by
 * the modelled plugins is upstream's.
 */
import type { AnyPlugin, FilterPlugin, Framework, PreFilterPlugin, PreScorePlugin, ScorePlugin, WeightedScorePlugin } from "./framework.js";
import { BalancedAllocation, BalancedAllocationName } from "./plugins/balanced-allocation.js";
import { NodeAffinityName, NodeAffinityPlugin } from "./plugins/node-affinity.js";
import { NodeName, NodeNameName } from "./plugins/node-name.js";
import type { ScoringStrategy } from "./plugins/node-resources-fit.js";
import { NodeResourcesFit, NodeResourcesFitName } from "./plugins/node-resources-fit.js";
import { NodeUnschedulable, NodeUnschedulableName } from "./plugins/node-unschedulable.js";
import { TaintToleration, TaintTolerationName } from "./plugins/taint-toleration.js";

/** The scheduler name of the default profile (v1.DefaultSchedulerName). */
export const DefaultSchedulerName = "default-scheduler";

/** Upstream default score weights (default_plugins.go). */
export const DEFAULT_SCORE_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  [TaintTolerationName]: 3,
  [NodeAffinityName]: 2,
  [NodeResourcesFitName]: 1,
  [BalancedAllocationName]: 1,
});

/** Options of the default profile. */
export interface DefaultProfileOptions {
  /** The profile's schedulerName; default "default-scheduler". */
  schedulerName?: string;
  /** NodeResourcesFit's scoring strategy; default LeastAllocated cpu:1 memory:1. */
  scoringStrategy?: ScoringStrategy;
  /** Score weights by plugin name, overriding DEFAULT_SCORE_WEIGHTS; weight 0 disables a score plugin. */
  scoreWeights?: Record<string, number>;
  /** Profile-level percentageOfNodesToScore (0..100); default: the global setting. */
  percentageOfNodesToScore?: number;
}

/**
 * Builds the default profile: Filter order NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
 * NodeResourcesFit (upstream's order, which decides which reason a node is reported with, since filtering stops
 * at the first rejection); Score plugins TaintToleration 3, NodeAffinity 2, NodeResourcesFit 1,
 * NodeResourcesBalancedAllocation 1. Throws on invalid arguments, so a bad profile fails at load time.
 */
export function defaultProfile(opts: DefaultProfileOptions = {}): Framework {
  const plugins: AnyPlugin[] = [
    new NodeUnschedulable(),
    new NodeName(),
    new TaintToleration(),
    new NodeAffinityPlugin(),
    new NodeResourcesFit({ scoringStrategy: opts.scoringStrategy }),
    new BalancedAllocation(),
  ];
  const weights = { ...DEFAULT_SCORE_WEIGHTS, ...(opts.scoreWeights ?? {}) };
  for (const [name, w] of Object.entries(weights)) {
    if (!(name in DEFAULT_SCORE_WEIGHTS)) throw new Error(`unknown score plugin "${name}" (known: ${Object.keys(DEFAULT_SCORE_WEIGHTS).join(", ")})`);
    if (!Number.isInteger(w) || w < 0 || w > 100) throw new Error(`score weight of ${name} must be an integer in 0..100, got ${w}`);
  }
  const p = opts.percentageOfNodesToScore;
  if (p !== undefined && (!Number.isInteger(p) || p < 0 || p > 100)) throw new Error(`percentageOfNodesToScore must be an integer in 0..100, got ${p}`);
  return buildFramework(opts.schedulerName ?? DefaultSchedulerName, plugins, weights, p);
}

/**
 * Sorts plugin objects into extension points (preserving order) the way frameworkImpl does from a profile's plugin
 * sets. A plugin takes part in Score only with a weight > 0.
 */
export function buildFramework(profileName: string, plugins: AnyPlugin[], weights: Record<string, number>, percentageOfNodesToScore?: number): Framework {
  const preFilterPlugins: PreFilterPlugin[] = [];
  const filterPlugins: FilterPlugin[] = [];
  const preScorePlugins: PreScorePlugin[] = [];
  const scorePlugins: WeightedScorePlugin[] = [];
  for (const pl of plugins) {
    if (pl.preFilter) preFilterPlugins.push(pl as PreFilterPlugin);
    if (pl.filter) filterPlugins.push(pl as FilterPlugin);
    const w = weights[pl.name] ?? 0;
    if (pl.score && w > 0) {
      if (pl.preScore) preScorePlugins.push(pl as PreScorePlugin);
      scorePlugins.push({ plugin: pl as ScorePlugin, weight: w });
    }
  }
  return { profileName, preFilterPlugins, filterPlugins, preScorePlugins, scorePlugins, percentageOfNodesToScore };
}

/** Names of the modelled default plugins, in filter order, for documentation and validation messages. */
export const MODELLED_PLUGINS = [NodeUnschedulableName, NodeNameName, TaintTolerationName, NodeAffinityName, NodeResourcesFitName, BalancedAllocationName] as const;
