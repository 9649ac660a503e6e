import { nodeAllocatable, podRequests } from "../api/resources.js";
import { controllerRef, getCondition, isPodActive } from "../api/pod-util.js";
import { tolerationsTolerateTaint } from "../api/tolerations.js";
import { describe, type Node, type Pod, type ReplicaSet } from "../api/types.js";
import type { Settings } from "../settings.js";
import { SETTLE_HOPS } from "../api/slowdown.js";
import { holdsNodeResources } from "./node-capacity.js";
import type { Scenario } from "../scenario/types.js";
import { NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The replica-convergence invariant. */
export const REPLICA_CONVERGENCE: InvariantInfo = {
  name: "replica-convergence",
  statement:
    "at quiescence each ReplicaSet owns exactly spec.replicas active pods, and none of them is left unbound while a node can hold it",
  when: "end",
};

/**
 * How long after the last disturbance (timeline action) a cluster of `nodes` nodes needs to settle under
 * `settings`: a failed node is noticed (grace + monitor passes), tainted at the eviction rate, its pods evicted after
 * their toleration and stopped, replacements created, backed off and retried by the unschedulable flush. Generous on
 * purpose: the convergence check is only meaningful when nothing is still in flight.
 */
export function settleWindow(settings: Settings, nodes: number): number {
  const toleration = Math.max(settings.defaultNotReadyTolerationSeconds, settings.defaultUnreachableTolerationSeconds) * 1000;
  const perNodeTaint = settings.nodeEvictionRate > 0 ? Math.ceil(1000 / settings.nodeEvictionRate) : 0;
  return (
    settings.nodeMonitorGracePeriod +
    settings.nodeStartupGracePeriod +
    3 * settings.nodeMonitorPeriod +
    nodes * (perNodeTaint + settings.nodeEvictionPeriod) +
    toleration +
    settings.terminationGracePeriodSeconds * 1000 +
    settings.podStopLatency +
    settings.podStartLatency +
    settings.podMaxInUnschedulablePodsDuration +
    settings.unschedulableFlushInterval +
    settings.podMaxBackoff +
    settings.backoffFlushInterval +
    10 * settings.informerLatency +
    60_000
  );
}

/** The end state the convergence check reads. */
export interface ConvergenceState {
  replicaSets: Iterable<ReplicaSet>;
  pods: Iterable<Pod>;
  nodes: Iterable<Node>;
}

/**
 * Violations of replica-convergence in an end state reached at quiescence (see settleWindow). "Can hold" is judged
 * per pending pod against the nodes as they are: a Ready, schedulable node whose NoSchedule / NoExecute taints the
 * pod tolerates, whose labels satisfy its nodeSelector and required node affinity, and whose free allocatable
 * (cpu, memory, pods) covers its requests. Written independently of the scheduler's plugins, so it checks them. Pure.
 */
export function replicaConvergenceViolations(state: ConvergenceState, time: number): Violation[] {
  const out: Violation[] = [];
  const pods = [...state.pods];
  const nodes = [...state.nodes];
  const used = new Map<string, { cpu: number; memory: number; pods: number }>();
  for (const p of pods) {
    if (!holdsNodeResources(p)) continue;
    const u = used.get(p.spec.nodeName!) ?? { cpu: 0, memory: 0, pods: 0 };
    const r = podRequests(p);
    u.cpu += r.cpuMilli;
    u.memory += r.memory;
    u.pods++;
    used.set(p.spec.nodeName!, u);
  }
  const owned = new Map<string, Pod[]>();
  for (const p of pods) {
    const ref = controllerRef(p);
    if (ref?.kind !== "ReplicaSet" || !isPodActive(p)) continue;
    const list = owned.get(ref.uid) ?? [];
    list.push(p);
    owned.set(ref.uid, list);
  }
  for (const rs of state.replicaSets) {
    if (rs.metadata.deletionTimestamp !== undefined) continue;
    // Creates the API server refuses (a quota, a missing ServiceAccount, a LimitRange) hold a ReplicaSet short by
    // design: its status says so with ReplicaFailure.
    if (rs.status?.conditions?.some((c) => c.type === "ReplicaFailure" && c.status === "True")) continue;
    const want = rs.spec.replicas ?? 1;
    const mine = owned.get(rs.metadata.uid!) ?? [];
    const name = `${rs.metadata.namespace}/${rs.metadata.name}`;
    if (mine.length !== want) {
      out.push({ invariant: REPLICA_CONVERGENCE.name, time, object: describe(rs), message: `replicaset ${name}: owns ${mine.length} active pod(s) at quiescence, spec.replicas is ${want}` });
    }
    for (const p of mine) {
      if (p.spec.nodeName) continue;
      const node = nodes.find((n) => canHold(n, p, used.get(n.metadata.name)));
      if (node) {
        out.push({
          invariant: REPLICA_CONVERGENCE.name,
          time,
          object: describe(p),
          message: `replicaset ${name}: pod ${p.metadata.name} is still unbound at quiescence, though node ${node.metadata.name} can hold it`,
        });
      }
    }
  }
  return out;
}

/** Whether `node`, with `used` already taken, can hold `pod` (see replicaConvergenceViolations). */
export function canHold(node: Node, pod: Pod, used: { cpu: number; memory: number; pods: number } | undefined): boolean {
  if (node.spec?.unschedulable) return false;
  if (getCondition(node.status?.conditions, "Ready")?.status !== "True") return false;
  for (const t of node.spec?.taints ?? []) {
    if ((t.effect === "NoSchedule" || t.effect === "NoExecute") && !tolerationsTolerateTaint(pod.spec.tolerations, t)) return false;
  }
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  if (!requiredAffinityMatches(pod, labels)) return false;
  const alloc = nodeAllocatable(node);
  const r = podRequests(pod);
  const u = used ?? { cpu: 0, memory: 0, pods: 0 };
  return u.cpu + r.cpuMilli <= alloc.cpuMilli && u.memory + r.memory <= alloc.memory && u.pods + 1 <= alloc.pods;
}

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

/** requiredDuringSchedulingIgnoredDuringExecution: terms ORed, expressions in a term ANDed (matchExpressions only). */
function requiredAffinityMatches(pod: Pod, labels: Record<string, string>): boolean {
  const affinity = (pod.spec as { affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchExpressions?: Requirement[]; matchFields?: Requirement[] }[] } } } }).affinity;
  const terms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms === undefined) return true;
  return terms.some((t) => {
    const exprs = t.matchExpressions ?? [];
    // An empty term matches nothing (upstream nodeSelectorTerm semantics).
    if (exprs.length === 0 && (t.matchFields ?? []).length === 0) return false;
    if ((t.matchFields ?? []).length > 0) return true; // metadata.name fields: not judged here, so never a false alarm
    return exprs.every((e) => requirementMatches(e, labels));
  });
}

function requirementMatches(e: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, e.key);
  const v = labels[e.key];
  switch (e.operator) {
    case "In":
      return has && (e.values ?? []).includes(v!);
    case "NotIn":
      return !has || !(e.values ?? []).includes(v!);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Gt":
    case "Lt": {
      const n = Number.parseInt(v ?? "", 10);
      const w = Number.parseInt(e.values?.[0] ?? "", 10);
      if (!has || Number.isNaN(n) || Number.isNaN(w)) return false;
      return e.operator === "Gt" ? n > w : n < w;
    }
    default:
      return false;
  }
}

/** The end of a fault window (a slowdown's delays play out SETTLE_HOPS latencies after it); 0 for other actions. */
function windowEnd(a: Scenario["timeline"][number]): number {
  if (a.action === "slowApiServer") return a.until + SETTLE_HOPS * a.latency;
  return "until" in a && a.until !== undefined ? a.until : 0;
}

/**
 * Whether the end of a run of `scenario` is quiescent: its last timeline action (up to the end), or the end of a
 * fault window, came at least settleWindow before the end, so replica-convergence is meaningful. `nodes` is the
 * cluster's node count at the end.
 */
export function quiescentAtEnd(scenario: Pick<Scenario, "timeline" | "duration">, settings: Settings, nodes: number): boolean {
  // A fault window's end is an action too: the cluster settles after the heal, not after the cut.
  const lastAction = scenario.timeline.filter((a) => a.at <= scenario.duration).reduce((t, a) => Math.max(t, a.at, windowEnd(a)), 0);
  return scenario.duration - lastAction >= settleWindow(settings, nodes);
}

/**
 * replica-convergence, attributed to the ReplicaSet and Deployment controllers; created only when the ReplicaSet
 * controller runs (without the Deployment controller, ReplicaSets still converge). Checked once, at a quiescent end:
 * a full pass over ReplicaSets, pods and nodes, never per event.
 */
export const REPLICA_CONVERGENCE_CHECK: InvariantRegistration = {
  ...REPLICA_CONVERGENCE,
  owners: [{ controller: "replicaset-controller" }, { controller: "deployment-controller" }],
  appliesTo: (cluster) => cluster.controllers.has("replicaset-controller"),
  create(cluster) {
    const store = cluster.cp.store;
    return {
      finish(end, quiescent) {
        if (!quiescent) return NONE;
        return replicaConvergenceViolations({ replicaSets: store.list<ReplicaSet>("ReplicaSet"), pods: store.list<Pod>("Pod"), nodes: store.list<Node>("Node") }, end);
      },
    };
  },
};
