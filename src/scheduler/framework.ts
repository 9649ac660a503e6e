/**
 * The scheduling framework's contracts (pkg/scheduler/framework/interface.go, types.go, cycle_state.go): statuses,
 * per-node state (NodeInfo), per-cycle state (CycleState) and the plugin interfaces by extension point.
 *
 * Everything here is pure data and functions: unit tests build NodeInfos and call plugins without a simulation.
 * Names follow upstream so that a scheduler developer can port a plugin by translating, not redesigning.
 */
import type { NodeResources, PodResources } from "../api/resources.js";
import { nodeAllocatable, nonZeroPodRequests, podRequests } from "../api/resources.js";
import type { Node, Pod } from "../api/types.js";

/** Highest score a Score plugin may return after normalisation (framework.MaxNodeScore). */
export const MaxNodeScore = 100;
/** Lowest score (framework.MinNodeScore). */
export const MinNodeScore = 0;

/**
 * Status codes of a plugin call (framework.Code in interface.go).
 * - Success: the node passes / the plugin has nothing to say.
 * - Error: an internal error; the pod goes to backoff, not to unschedulable pods.
 * - Unschedulable: the node does not fit now; preemption may help.
 * - UnschedulableAndUnresolvable: the node does not fit and preemption cannot help.
 * - Skip: from PreFilter/PreScore, "do not run my Filter/Score for this pod".
 */
export const Code = {
  Success: 0,
  Error: 1,
  Unschedulable: 2,
  UnschedulableAndUnresolvable: 3,
  Wait: 4,
  Skip: 5,
} as const;
/** One of `Code`'s values. */
export type Code = (typeof Code)[keyof typeof Code];

const CODE_NAMES = ["Success", "Error", "Unschedulable", "UnschedulableAndUnresolvable", "Wait", "Skip"];

/**
 * The result of a plugin call (framework.Status): a code, the human-readable reasons, and the plugin that failed.
 * As upstream, `null` stands for Success (a nil *Status) in the hot filter/score paths, so a passing node allocates
 * nothing; `isSuccess(null)` is true.
 *
 * Statuses are treated as immutable values, which lets plugins share one instance per distinct reason.
 */
export class Status {
  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
    /** The plugin that returned it (Status.Plugin()); set by the plugin that creates it. */
    readonly plugin = "",
  ) {}

  /** The reasons joined by ", " (Status.Message()). */
  message(): string {
    return this.reasons.join(", ");
  }

  /** "Unschedulable: Insufficient cpu", for logs and test failures. */
  toString(): string {
    return `${CODE_NAMES[this.code]}: ${this.message()}`;
  }
}

/** True for a Success status or null (Status.IsSuccess()). */
export function isSuccess(s: Status | null | undefined): boolean {
  return s == null || s.code === Code.Success;
}

/** True when the node is rejected: Unschedulable or UnschedulableAndUnresolvable (Status.IsRejected()). */
export function isRejected(s: Status | null | undefined): boolean {
  return s != null && (s.code === Code.Unschedulable || s.code === Code.UnschedulableAndUnresolvable);
}

/** The Skip status, shared (framework.NewStatus(framework.Skip)). */
export const SKIP = new Status(Code.Skip);

/** A mutable resource vector (framework.Resource, restricted to what k8sim models). */
export interface Resource {
  /** CPU in millicores. */
  cpuMilli: number;
  /** Memory in bytes. */
  memory: number;
  /** Number of pods (NodeInfo.Pods' length for requested; AllowedPodNumber for allocatable). */
  pods: number;
}

/**
 * The scheduler's view of one node (framework.NodeInfo): the Node object (absent while pods are known on a node the
 * cache has not seen yet, as upstream's "imaginary" NodeInfo), its allocatable resources, the pods on it (bound and
 * assumed) and the sums of their requests. Updated incrementally by `addPod`/`removePod`, never recomputed over all
 * pods.
 */
export class NodeInfo {
  /** The Node object, or undefined for a node known only through pods bound to it. */
  node: Node | undefined = undefined;
  /** What the node offers (NodeInfo.Allocatable); zero until the node is set. */
  allocatable: NodeResources = ZERO_NODE;
  /** Sum of the pods' real requests (NodeInfo.Requested); `pods` = number of pods. */
  readonly requested: Resource = { cpuMilli: 0, memory: 0, pods: 0 };
  /** Sum of the pods' non-zero requests (NodeInfo.NonZeroRequested), which scoring uses; `pods` = number of pods. */
  readonly nonZeroRequested: Resource = { cpuMilli: 0, memory: 0, pods: 0 };
  /** Pods on the node by `podKey` (UID), in the order they were added. */
  readonly pods = new Map<string, Pod>();
  /** A known Node that is schedulable and has no taints: filters marked `passesPlainNodes` pass it. */
  plain = false;
  /** Bumped by every change, so snapshots and tests can tell whether the node changed (NodeInfo.Generation). */
  generation = 0;

  /** @param node optional Node to set at once; `pods` are added in order. */
  constructor(node?: Node, ...pods: Pod[]) {
    if (node) this.setNode(node);
    for (const p of pods) this.addPod(p);
  }

  /** The node's name ("" when the Node is unknown). */
  get name(): string {
    return this.node?.metadata.name ?? "";
  }

  /** Sets or replaces the Node object and recomputes allocatable (NodeInfo.SetNode). */
  setNode(node: Node): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
    this.plain = node.spec.unschedulable !== true && (node.spec.taints === undefined || node.spec.taints.length === 0);
    this.generation++;
  }

  /** Forgets the Node object, keeping its pods (NodeInfo.RemoveNode). */
  removeNode(): void {
    this.node = undefined;
    this.plain = false;
    this.allocatable = ZERO_NODE;
    this.generation++;
  }

  /** Adds a pod and its requests (NodeInfo.AddPod). Adding a pod already present replaces it. */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    if (this.pods.has(key)) this.removePod(key);
    this.pods.set(key, pod);
    const r = podRequests(pod);
    const nz = nonZeroPodRequests(pod);
    this.requested.cpuMilli += r.cpuMilli;
    this.requested.memory += r.memory;
    this.requested.pods++;
    this.nonZeroRequested.cpuMilli += nz.cpuMilli;
    this.nonZeroRequested.memory += nz.memory;
    this.nonZeroRequested.pods++;
    this.generation++;
  }

  /** Removes a pod by key and subtracts its requests (NodeInfo.RemovePod); false if it was not there. */
  removePod(key: string): boolean {
    const pod = this.pods.get(key);
    if (pod === undefined) return false;
    this.pods.delete(key);
    const r = podRequests(pod);
    const nz = nonZeroPodRequests(pod);
    this.requested.cpuMilli -= r.cpuMilli;
    this.requested.memory -= r.memory;
    this.requested.pods--;
    this.nonZeroRequested.cpuMilli -= nz.cpuMilli;
    this.nonZeroRequested.memory -= nz.memory;
    this.nonZeroRequested.pods--;
    this.generation++;
    return true;
  }

  /** Replaces a pod object in place, keeping its position; requests are recomputed only if the spec changed. */
  updatePod(pod: Pod): void {
    const key = podKey(pod);
    const old = this.pods.get(key);
    if (old === undefined) return this.addPod(pod);
    if (old.spec === pod.spec) {
      this.pods.set(key, pod);
      return;
    }
    const a = podRequests(old);
    const b = podRequests(pod);
    const za = nonZeroPodRequests(old);
    const zb = nonZeroPodRequests(pod);
    this.requested.cpuMilli += b.cpuMilli - a.cpuMilli;
    this.requested.memory += b.memory - a.memory;
    this.nonZeroRequested.cpuMilli += zb.cpuMilli - za.cpuMilli;
    this.nonZeroRequested.memory += zb.memory - za.memory;
    this.pods.set(key, pod);
    this.generation++;
  }
}

const ZERO_NODE: NodeResources = Object.freeze({ cpuMilli: 0, memory: 0, pods: 0 });

/**
 * The key the scheduler uses for a pod: its UID, as upstream's cache (so a pod re-created under the same name is a
 * different pod), or "namespace/name" for a pod built without one (tests). The UID is an existing string, where a
 * "namespace/name" key would be built for every pod event.
 */
export function podKey(pod: Pod): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace ?? "default"}/${pod.metadata.name}`;
}

let cycleCounter = 0;

/**
 * Per-cycle state shared by the plugins of one scheduling cycle (framework.CycleState): PreFilter/PreScore write,
 * Filter/Score read. Also records which plugins asked to be skipped for this pod.
 */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /**
   * Unique per cycle across all CycleState objects (changes on reset). Plugins may memoise what they read from
   * the state keyed by it, to skip a map lookup per node in the hot loops (k8sim addition, not upstream).
   */
  cycle = ++cycleCounter;
  /** Filter plugins whose PreFilter returned Skip (CycleState.SkipFilterPlugins). */
  readonly skipFilterPlugins = new Set<string>();
  /** Score plugins whose PreScore returned Skip (CycleState.SkipScorePlugins). */
  readonly skipScorePlugins = new Set<string>();

  /** Stores data under a key (CycleState.Write). */
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  /** Reads data written earlier in the cycle (CycleState.Read); undefined if absent. */
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  /** Empties the state for the next cycle (k8sim reuses one CycleState to avoid allocating per pod). */
  reset(): void {
    this.cycle = ++cycleCounter;
    this.data.clear();
    this.skipFilterPlugins.clear();
    this.skipScorePlugins.clear();
  }
}

/**
 * A kind of cluster change that may make unschedulable pods schedulable (framework.ClusterEvent's ActionType bits,
 * restricted to what k8sim emits). Plugins declare the ones they care about (EnqueueExtensions.EventsToRegister).
 */
export const ActionType = {
  /** A Node was added. */
  NodeAdd: 1 << 0,
  /** A Node's allocatable changed. */
  UpdateNodeAllocatable: 1 << 1,
  /** A Node's labels changed. */
  UpdateNodeLabel: 1 << 2,
  /** A Node's taints or spec.unschedulable changed. */
  UpdateNodeTaint: 1 << 3,
  /** A Node's conditions changed (heartbeat times excluded). */
  UpdateNodeCondition: 1 << 4,
  /** A Node's annotations changed. */
  UpdateNodeAnnotation: 1 << 5,
  /** An assigned pod was deleted or finished (AssignedPodDelete), freeing its resources. */
  AssignedPodDelete: 1 << 6,
  /** A pod was assigned to a node (AssignedPodAdd). */
  AssignedPodAdd: 1 << 7,
  /** The unschedulable pod itself was updated (UnschedulablePodUpdate). */
  PodUpdate: 1 << 8,
} as const;
/** A bit set of `ActionType` values. */
export type ActionTypes = number;
/** Every node update action. */
export const NodeUpdateAll =
  ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint | ActionType.UpdateNodeCondition | ActionType.UpdateNodeAnnotation;

/** Every plugin has a name (framework.Plugin). */
export interface Plugin {
  /** The plugin's registry name ("NodeResourcesFit"). */
  readonly name: string;
  /** Cluster events after which a pod this plugin rejected may fit (EnqueueExtensions.EventsToRegister). */
  readonly events?: ActionTypes;
}

/**
 * PreFilter (framework.PreFilterPlugin): runs once per cycle before filtering. Returns null to continue, Skip to
 * skip this plugin's Filter for the pod, or a rejection that fails the pod on every node.
 */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null;
}

/** Filter (framework.FilterPlugin): can the pod run on this node? null means yes. Must not allocate on success. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null;
  /**
   * Declares that `filter` passes every node that is `plain` (a known Node, schedulable, without taints), so the
   * framework may skip the call for such nodes (k8sim extension: most nodes of a healthy cluster are plain, and the
   * filter loop runs for hundreds of nodes per pod).
   */
  readonly passesPlainNodes?: boolean;
}

/** PreScore (framework.PreScorePlugin): once per cycle before scoring, over the feasible nodes; may return Skip. */
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null;
}

/**
 * Score (framework.ScorePlugin + ScoreExtensions): a raw integer score per feasible node, then an optional
 * normalisation of all of them in place to 0..MaxNodeScore. `scores[i]` belongs to the i-th feasible node.
 */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number;
  /**
   * Optional batch form of `score`: writes score(nodes[i]) into out[i] for i < n. Must equal calling `score` per
   * node; it exists so a plugin's loop is one monomorphic function, which the scheduler's hot path needs (k8sim
   * extension, not upstream API).
   */
  scoreAll?(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], n: number, out: number[]): void;
  normalizeScore?(state: CycleState, pod: Pod, scores: number[]): void;
}

/** A plugin of any extension point; a plugin object may implement several. */
export type AnyPlugin = Partial<PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin> & Plugin;

/** A score plugin with its weight in the profile (config.Plugin{Name, Weight}). */
export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  weight: number;
}

/**
 * A scheduling profile's enabled plugins by extension point, in run order (framework/runtime/framework.go
 * frameworkImpl), plus its percentageOfNodesToScore. Built by profile.ts; read by schedule-one.ts.
 */
export interface Framework {
  /** The profile's schedulerName ("default-scheduler"). */
  readonly profileName: string;
  readonly preFilterPlugins: readonly PreFilterPlugin[];
  readonly filterPlugins: readonly FilterPlugin[];
  readonly preScorePlugins: readonly PreScorePlugin[];
  readonly scorePlugins: readonly WeightedScorePlugin[];
  /** Profile-level percentageOfNodesToScore; undefined uses the global setting. */
  readonly percentageOfNodesToScore?: number;
}

/** The requests of a pod as a PodResources, re-exported for plugin authors. */
export type { PodResources };
