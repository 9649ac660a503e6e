/**
 * The kubelet's resource admission: whether a pod bound to a node fits next to the pods the kubelet has already
 * admitted there, and if not, the reason and message the kubelet rejects it with.
 *
 * Upstream, pkg/kubelet/lifecycle/predicate.go (predicateAdmitHandler.Admit and generalFilter) builds a scheduler
 * NodeInfo from the admitted pods and runs scheduler.AdmissionCheck, whose first check is NodeResourcesFit's
 * fitsRequest (pkg/scheduler/framework/plugins/noderesources/fit.go). The first insufficient resource becomes an
 * InsufficientResourceError, reported as reason "OutOf<resource>" and message "Node didn't have enough resource: ...";
 * pkg/kubelet/kubelet.go rejectPod then records a Warning event with that reason and message and sets the pod's status
 * to phase Failed with the reason and "Pod was rejected: <message>".
 *
 * Everything here is pure: the kubelet keeps a running `NodeUsage` per node (add on admit, subtract when the pod
 * goes), so admitting a pod costs O(resources requested), not a pass over the node's pods.
 *
 * NOTE: only the resource part of generalFilter is modelled. The node name, node affinity, host port and NoExecute
 * taint checks, the OS label and field checks and the admission failure handler (critical pod preemption) are not:
 * the scheduler already enforces the first three for the pods it binds, and pods named to a node by hand skip them.
 */
import { parseQuantity, value } from "../api/quantity.js";
import type { NodeResources } from "../api/resources.js";
import { combinePodAmounts, nodeAllocatable, podRequests } from "../api/resources.js";
import type { Container, Node, Pod, PodSpec } from "../api/types.js";

/** What a pod needs from the node to be admitted: its effective requests (resourcehelper.PodRequests). */
export interface PodDemand {
  /** CPU in millicores. */
  readonly cpuMilli: number;
  /** Memory in bytes. */
  readonly memory: number;
  /** Extended resources (example.com/gpu) with a non-zero request, in whole units, sorted by name. */
  readonly extended: readonly (readonly [string, number])[];
}

/** What a node offers to pods: allocatable cpu, memory, pods, and its extended resources by name. */
export interface NodeCapacity extends NodeResources {
  /** Allocatable extended resources (status.allocatable entries such as example.com/gpu), whole units. */
  readonly extended: ReadonlyMap<string, number>;
}

/**
 * The requests of the pods admitted on a node, summed (framework.NodeInfo.Requested and len(NodeInfo.Pods)).
 * Mutable: the kubelet keeps one per node and updates it with `addUsage` / `subtractUsage`.
 */
export interface NodeUsage {
  cpuMilli: number;
  memory: number;
  /** Admitted pods (count). */
  pods: number;
  /** Extended resources requested by admitted pods, whole units. */
  readonly extended: Map<string, number>;
}

/** The resource names fitsRequest reports (v1.ResourcePods, v1.ResourceCPU, v1.ResourceMemory, or an extended one). */
export type AdmissionResource = "pods" | "cpu" | "memory" | string;

/** Outcome of admission (lifecycle.PodAdmitResult): admitted, or rejected with the first insufficient resource. */
export type AdmissionDecision =
  | { readonly admit: true }
  | {
      readonly admit: false;
      /** "OutOfcpu", "OutOfmemory", "OutOfpods", or "OutOf" + the extended resource's name. */
      readonly reason: string;
      /** InsufficientResourceError.Error(): "Node didn't have enough resource: cpu, requested: 800, used: 800, capacity: 1000". */
      readonly message: string;
      readonly resource: AdmissionResource;
      readonly requested: number;
      readonly used: number;
      readonly capacity: number;
    };

const ADMIT: AdmissionDecision = Object.freeze({ admit: true });

/** Prefix of the rejection reason (lifecycle.InsufficientResourcePrefix). */
export const INSUFFICIENT_RESOURCE_PREFIX = "OutOf";

/** Prefix of a rejected pod's status message (pkg/kubelet/kubelet.go rejectPod). */
export const POD_REJECTED_PREFIX = "Pod was rejected: ";

/**
 * The rejection reason for a resource, as predicateAdmitHandler.Admit maps InsufficientResourceError.ResourceName:
 * OutOfcpu, OutOfmemory, OutOfpods (OutOfephemeral-storage upstream too), else "OutOf" + name.
 */
export function outOfReason(resource: AdmissionResource): string {
  return INSUFFICIENT_RESOURCE_PREFIX + resource;
}

/** InsufficientResourceError.Error() (pkg/kubelet/lifecycle/predicate.go). */
export function insufficientResourceMessage(resource: AdmissionResource, requested: number, used: number, capacity: number): string {
  return `Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${used}, capacity: ${capacity}`;
}

function reject(resource: AdmissionResource, requested: number, used: number, capacity: number): AdmissionDecision {
  return { admit: false, reason: outOfReason(resource), message: insufficientResourceMessage(resource, requested, used, capacity), resource, requested, used, capacity };
}

/**
 * Whether a pod with `demand` fits a node with `capacity` on which pods using `used` are already admitted. Checks
 * in fitsRequest's order and reports the first failure, as predicateAdmitHandler.Admit returns reasons[0]: the pod
 * count (`used.pods + 1 > allocatable pods`), then cpu and memory when the pod requests some
 * (`request > allocatable - used`), then each extended resource the pod requests.
 *
 * NOTE: extended resources are checked in name order; upstream ranges over a Go map, so which of several failing
 * extended resources is reported first is random there. An extended resource the node does not list in its
 * allocatable is ignored, as predicate.go removeMissingExtendedResources does (cluster-level resources).
 * NOTE: ephemeral-storage and hugepages are not checked, as the scheduler model does not check them either
 * (src/scheduler/plugins/node-resources-fit.ts); checking them only here would reject pods the scheduler placed.
 */
export function admitPod(demand: PodDemand, capacity: NodeCapacity, used: NodeUsage): AdmissionDecision {
  if (used.pods + 1 > capacity.pods) return reject("pods", 1, used.pods, capacity.pods);
  if (demand.cpuMilli > 0 && demand.cpuMilli > capacity.cpuMilli - used.cpuMilli) return reject("cpu", demand.cpuMilli, used.cpuMilli, capacity.cpuMilli);
  if (demand.memory > 0 && demand.memory > capacity.memory - used.memory) return reject("memory", demand.memory, used.memory, capacity.memory);
  for (const [name, amount] of demand.extended) {
    const have = capacity.extended.get(name);
    if (have === undefined) continue;
    const inUse = used.extended.get(name) ?? 0;
    if (amount > have - inUse) return reject(name, amount, inUse, have);
  }
  return ADMIT;
}

/**
 * `admitPod` from API objects: `pod` against `node` with `admitted` (the pods already admitted there, not `pod`
 * itself) summed, as canAdmitPod passes the allocated pods to the admit handlers. A convenience for tests and
 * one-off checks; the kubelet keeps a running `NodeUsage` instead of summing on every pod.
 */
export function admitPodOnNode(pod: Pod, node: Node, admitted: Iterable<Pod>): AdmissionDecision {
  const used = emptyUsage();
  for (const p of admitted) addUsage(used, podDemand(p));
  return admitPod(podDemand(pod), nodeCapacity(node), used);
}

/** An empty NodeUsage (no pod admitted). */
export function emptyUsage(): NodeUsage {
  return { cpuMilli: 0, memory: 0, pods: 0, extended: new Map() };
}

/** Adds an admitted pod's demand to the node's usage (NodeInfo.AddPod). */
export function addUsage(used: NodeUsage, d: PodDemand): void {
  used.cpuMilli += d.cpuMilli;
  used.memory += d.memory;
  used.pods++;
  for (const [name, amount] of d.extended) used.extended.set(name, (used.extended.get(name) ?? 0) + amount);
}

/** Removes a pod's demand from the node's usage (NodeInfo.RemovePod): the inverse of `addUsage`. */
export function subtractUsage(used: NodeUsage, d: PodDemand): void {
  used.cpuMilli -= d.cpuMilli;
  used.memory -= d.memory;
  used.pods--;
  for (const [name, amount] of d.extended) {
    const left = (used.extended.get(name) ?? 0) - amount;
    if (left === 0) used.extended.delete(name);
    else used.extended.set(name, left);
  }
}

const demandCache = new WeakMap<object, PodDemand>();

/**
 * A pod's demand: cpu and memory from src/api/resources.ts podRequests (resourcehelper.PodRequests), extended
 * resources by the same rules (`extendedRequests`). Cached per containers array (or spec with init containers or
 * overhead), which the replicas of a template share, as podRequests is.
 */
export function podDemand(pod: Pod): PodDemand {
  const spec = pod.spec;
  const key: object = spec.initContainers === undefined && spec.overhead === undefined ? spec.containers : spec;
  let d = demandCache.get(key);
  if (d === undefined) {
    const r = podRequests(pod);
    d = { cpuMilli: r.cpuMilli, memory: r.memory, extended: extendedRequests(spec) };
    demandCache.set(key, d);
  }
  return d;
}

const capacityCache = new WeakMap<object, NodeCapacity>();
const NO_EXTENDED: ReadonlyMap<string, number> = new Map();

/**
 * The node's allocatable as admission sees it (framework.NewResource(node.Status.Allocatable)): cpu, memory and pods
 * from src/api/resources.ts nodeAllocatable, plus its extended resources. Cached per allocatable map.
 */
export function nodeCapacity(node: Node): NodeCapacity {
  const alloc = node.status?.allocatable ?? {};
  let c = capacityCache.get(alloc);
  if (c === undefined) {
    let extended = NO_EXTENDED;
    for (const [name, q] of Object.entries(alloc)) {
      if (!isExtendedResourceName(name)) continue;
      if (extended === NO_EXTENDED) extended = new Map();
      (extended as Map<string, number>).set(name, quantityValue(q));
    }
    c = { ...nodeAllocatable(node), extended };
    capacityCache.set(alloc, c);
  }
  return c;
}

/**
 * Whether a resource name is an extended resource (pkg/apis/core/v1/helper IsExtendedResourceName): a
 * domain-qualified name outside kubernetes.io, not a quota "requests." name.
 * NOTE: the same test as the private one in src/api/quantity.ts (which this module may not change); it does not
 * re-validate the name as a qualified name, as scenario loading already did.
 */
export function isExtendedResourceName(name: string): boolean {
  return name.includes("/") && !name.includes("kubernetes.io/") && !name.startsWith("requests.");
}

/** A quantity in whole units rounded up (Quantity.Value); 0 if unparsable, as resources.ts parseAmount. */
function quantityValue(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const r = parseQuantity(String(q));
  if (!r.ok) return 0;
  try {
    return value(r.value);
  } catch {
    return 0;
  }
}

/**
 * The pod's extended-resource requests, with resourcehelper.PodRequests's rules: summed over containers, maxed with
 * each init container (restartable ones, restartPolicy Always, added to everything after them), plus overhead; a
 * missing request falls back to the limit (API defaulting). Zero requests are left out (fitsRequest skips them).
 * The combination rules are src/api/resources.ts's combinePodAmounts, applied to each extended resource the pod
 * mentions.
 */
function extendedRequests(spec: PodSpec): readonly (readonly [string, number])[] {
  const names = new Set<string>();
  const collect = (c: Container) => {
    for (const n of Object.keys(c.resources?.requests ?? {})) if (isExtendedResourceName(n)) names.add(n);
    for (const n of Object.keys(c.resources?.limits ?? {})) if (isExtendedResourceName(n)) names.add(n);
  };
  for (const c of spec.containers) collect(c);
  for (const c of spec.initContainers ?? []) collect(c);
  if (names.size === 0) return [];
  const overhead = spec.overhead as Record<string, string> | undefined;
  const out: [string, number][] = [];
  for (const name of [...names].sort()) {
    const amount = (c: Container) => quantityValue((c.resources?.requests?.[name] ?? c.resources?.limits?.[name]) as string | undefined);
    let total = combinePodAmounts(spec, amount);
    if (overhead?.[name] !== undefined) total += quantityValue(overhead[name]);
    if (total > 0) out.push([name, total]);
  }
  return out;
}
