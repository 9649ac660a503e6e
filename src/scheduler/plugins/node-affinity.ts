/**
 * NodeAffinity (pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go): the Filter enforces
 * spec.nodeSelector and requiredDuringSchedulingIgnoredDuringExecution; the Score sums the weights of the matching
 * preferredDuringSchedulingIgnoredDuringExecution terms, normalised to 0..100.
 *
 * Selector semantics follow k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go: terms are
 * ORed, the requirements of a term ANDed, an empty term matches nothing, a term that does not parse matches
 * nothing.
 */
import type { Node, Pod } from "../../api/types.js";
import type { CycleState, FilterPlugin, NodeInfo, PreFilterPlugin, PreScorePlugin, ScorePlugin } from "../framework.js";
import { ActionType, Code, MaxNodeScore, SKIP, Status } from "../framework.js";
import { defaultNormalizeScore } from "./helper.js";

/** core/v1 NodeSelectorRequirement. Gt/Lt compare the label and the single value as integers. */
export interface NodeSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
  values?: string[];
}

/** core/v1 NodeSelectorTerm. matchFields supports only `metadata.name`, as upstream. */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** core/v1 NodeSelector: the terms are ORed. */
export interface NodeSelector {
  nodeSelectorTerms: NodeSelectorTerm[];
}

/** core/v1 PreferredSchedulingTerm. weight is 1..100. */
export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

/** core/v1 NodeAffinity. */
export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
  preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
}

/** core/v1 Affinity; k8sim models only nodeAffinity (pod (anti-)affinity is not scheduled on, see profile.ts). */
export interface Affinity {
  nodeAffinity?: NodeAffinity;
  podAffinity?: unknown;
  podAntiAffinity?: unknown;
}

/** The pod's spec.affinity (types.ts leaves it to the index signature). */
export function podAffinity(pod: Pod): Affinity | undefined {
  return pod.spec.affinity as Affinity | undefined;
}

/** The plugin's registry name (names.NodeAffinity). */
export const NodeAffinityName = "NodeAffinity";
/** Filter reason (ErrReasonPod). */
export const ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";

const REJECT = new Status(Code.UnschedulableAndUnresolvable, [ErrReasonPod], NodeAffinityName);
const INTEGER = /^[+-]?\d+$/;

function requirementMatches(r: NodeSelectorRequirement, labels: Record<string, string> | undefined): boolean | undefined {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels![r.key] : undefined;
  switch (r.operator) {
    case "In":
      if (!r.values?.length) return undefined;
      return has && r.values.includes(v!);
    case "NotIn":
      if (!r.values?.length) return undefined;
      return !has || !r.values.includes(v!);
    case "Exists":
      return r.values?.length ? undefined : has;
    case "DoesNotExist":
      return r.values?.length ? undefined : !has;
    case "Gt":
    case "Lt": {
      if (r.values?.length !== 1 || !INTEGER.test(r.values[0])) return undefined;
      if (!has || !INTEGER.test(v!)) return false;
      const a = BigInt(v!);
      const b = BigInt(r.values[0]);
      return r.operator === "Gt" ? a > b : a < b;
    }
    default:
      return undefined;
  }
}

function fieldMatches(r: NodeSelectorRequirement, node: Node): boolean | undefined {
  // Only metadata.name with In/NotIn and exactly one value is valid (validation.ValidateNodeFieldSelectorRequirement).
  if (r.key !== "metadata.name" || (r.operator !== "In" && r.operator !== "NotIn") || r.values?.length !== 1) return undefined;
  const eq = r.values[0] === node.metadata.name;
  return r.operator === "In" ? eq : !eq;
}

/**
 * Whether a node matches one term: every expression over its labels and every field requirement hold. An empty
 * term, or one with an invalid requirement, matches nothing (nodeaffinity.nodeSelectorTerm.match).
 */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels;
  for (const r of exprs) if (requirementMatches(r, labels) !== true) return false;
  for (const r of fields) if (fieldMatches(r, node) !== true) return false;
  return true;
}

/** Whether a node matches a NodeSelector: any of its terms (nodeaffinity.LazyErrorNodeSelector.Match). */
export function nodeSelectorMatches(selector: NodeSelector, node: Node): boolean {
  for (const t of selector.nodeSelectorTerms ?? []) if (nodeSelectorTermMatches(t, node)) return true;
  return false;
}

/**
 * The pod's hard node constraints (nodeaffinity.RequiredNodeAffinity.Match): every spec.nodeSelector label equal,
 * and the required node affinity matched when present.
 */
export function podMatchesNodeSelectorAndAffinityTerms(pod: Pod, node: Node): boolean {
  const sel = pod.spec.nodeSelector;
  if (sel) {
    const labels = node.metadata.labels;
    for (const k in sel) if (labels?.[k] !== sel[k]) return false;
  }
  const req = podAffinity(pod)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return req ? nodeSelectorMatches(req, node) : true;
}

/** The NodeAffinity plugin: PreFilter/Filter on hard constraints, PreScore/Score/NormalizeScore on preferences. */
export class NodeAffinityPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NodeAffinityName;
  /** A new node or a label change can satisfy a selector (pre-QueueingHints registration: Add|UpdateNodeLabel). */
  readonly events = ActionType.NodeAdd | ActionType.UpdateNodeLabel;

  /** Skips the filter when the pod has neither a nodeSelector nor required node affinity, as upstream. */
  preFilter(_state: CycleState, pod: Pod): Status | null {
    const req = podAffinity(pod)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    return req === undefined && pod.spec.nodeSelector === undefined ? SKIP : null;
  }

  /** Null when the node satisfies spec.nodeSelector and the required node affinity. */
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const node = nodeInfo.node;
    return node && podMatchesNodeSelectorAndAffinityTerms(pod, node) ? null : REJECT;
  }

  /** Skips scoring when the pod has no usable preferred term (upstream PreScore returns Skip). */
  preScore(_state: CycleState, pod: Pod): Status | null {
    const terms = podAffinity(pod)?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    return terms?.some(usablePreferred) ? null : SKIP;
  }

  /** Sum of the weights of the preferred terms the node matches (a zero weight or empty term is ignored). */
  score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const node = nodeInfo.node;
    const terms = podAffinity(pod)?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!node || !terms) return 0;
    let sum = 0;
    for (const t of terms) if (usablePreferred(t) && nodeSelectorTermMatches(t.preference, node)) sum += t.weight;
    return sum;
  }

  /** DefaultNormalizeScore(MaxNodeScore, reverse=false): the best-matching node gets 100. */
  normalizeScore(_state: CycleState, _pod: Pod, scores: number[]): void {
    defaultNormalizeScore(MaxNodeScore, false, scores);
  }
}

function usablePreferred(t: PreferredSchedulingTerm): boolean {
  const p = t.preference;
  return t.weight !== 0 && !!p && ((p.matchExpressions?.length ?? 0) > 0 || (p.matchFields?.length ?? 0) > 0);
}
