/**
 * Resource arithmetic over pods and nodes, as the scheduler and the kubelet see it: what a pod requests and what a
 * node offers, in integer millicores, bytes and pod counts.
 *
 * Pods and nodes are immutable once stored (src/api/types.ts), so every result is cached per object in a WeakMap:
 * the scheduler asks for a pod's requests once per cycle and per cache update, and must not re-parse quantity
 * strings each time.
 */
import { milliValue, parseQuantity, value } from "./quantity.js";
import type { Container, Node, Pod, PodSpec } from "./types.js";

/** The requests of a pod, in the units the scheduler works in (framework.Resource's MilliCPU and Memory). */
export interface PodResources {
  /** CPU in millicores. */
  readonly cpuMilli: number;
  /** Memory in bytes. */
  readonly memory: number;
}

/** What a node offers to pods (framework.NodeInfo.Allocatable: MilliCPU, Memory, AllowedPodNumber). */
export interface NodeResources {
  /** CPU in millicores. */
  readonly cpuMilli: number;
  /** Memory in bytes. */
  readonly memory: number;
  /** Pods the node admits (count). */
  readonly pods: number;
}

/** CPU a container without a CPU request counts as when scoring (millicores). Upstream
 *  pkg/scheduler/util/pod_resources.go DefaultMilliCPURequest = 100 (0.1 core). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** Memory a container without a memory request counts as when scoring (bytes). Upstream
 *  pkg/scheduler/util/pod_resources.go DefaultMemoryRequest = 200 MiB. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

// Quantity strings repeat endlessly across pods ("100m", "128Mi"); parsing goes through BigInt, so memoise the
// handful of distinct strings. Bounded so that a scenario generating unique strings cannot grow it forever.
const PARSE_CACHE_LIMIT = 4096;
const milliCache = new Map<string, number>();
const unitCache = new Map<string, number>();

/**
 * A quantity string as milli-units (cpu) or whole units (memory, pods), rounded up as upstream's MilliValue/Value.
 * NOTE: a malformed or oversized quantity counts as 0. Upstream API validation rejects such objects before they
 * exist; k8sim validates scenarios at load time, so this path only guards hand-built objects.
 */
function parseAmount(text: string | undefined, milli: boolean): number {
  if (text === undefined) return 0;
  const cache = milli ? milliCache : unitCache;
  let v = cache.get(text);
  if (v !== undefined) return v;
  const r = parseQuantity(String(text));
  v = 0;
  if (r.ok) {
    try {
      v = milli ? milliValue(r.value) : value(r.value);
    } catch {
      v = 0;
    }
  }
  if (cache.size >= PARSE_CACHE_LIMIT) cache.clear();
  cache.set(text, v);
  return v;
}

/** Reads one resource of a container's requests, falling back to its limit: API defaulting
 *  (pkg/apis/core/v1/defaults.go SetDefaults_Pod) copies limits into missing requests. */
function requested(c: Container, resource: "cpu" | "memory"): string | undefined {
  const r = c.resources;
  if (!r) return undefined;
  return r.requests?.[resource] ?? r.limits?.[resource];
}

/**
 * A pod's need of one resource from each container's `amount`, combined as resourcehelper.PodRequests does
 * (k8s.io/component-helpers/resource/helpers.go): app containers add up; init containers run one at a time before
 * them, so the pod needs the largest of them, not the sum; restartable init containers (sidecars, restartPolicy
 * Always) keep running and add up with everything after them. Overhead is the caller's to add.
 */
export function combinePodAmounts(spec: PodSpec, amount: (c: Container) => number): number {
  let total = 0;
  for (const c of spec.containers) total += amount(c);
  let restartable = 0;
  let initMax = 0;
  for (const c of spec.initContainers ?? []) {
    const a = amount(c);
    if (c.restartPolicy === "Always") {
      total += a;
      restartable += a;
      initMax = Math.max(initMax, restartable);
    } else {
      initMax = Math.max(initMax, a + restartable);
    }
  }
  return Math.max(total, initMax);
}

/** Adds and maxes the way resourcehelper.PodRequests does, for one resource at a time. */
function sumPod(spec: PodSpec, resource: "cpu" | "memory", nonZeroDefault: number | undefined): number {
  const milli = resource === "cpu";
  const amount = (c: Container): number => {
    const q = requested(c, resource);
    if (q === undefined) return nonZeroDefault ?? 0;
    return parseAmount(q, milli);
  };
  let total = combinePodAmounts(spec, amount);
  // Pod overhead (RuntimeClass) is added on top, as PodRequests does unless ExcludeOverhead.
  const overhead = spec.overhead as Record<string, string> | undefined;
  if (overhead?.[resource] !== undefined) total += parseAmount(overhead[resource], milli);
  return total;
}

const requestsCache = new WeakMap<object, PodResources>();
const nonZeroCache = new WeakMap<object, PodResources>();

/**
 * What the requests of a spec depend on, as a cache key. Without init containers or overhead that is the containers
 * array alone, which every pod of a template shares (specs are copied shallowly on bind), so 1,000 replicas parse
 * their requests once.
 */
function cacheKey(spec: PodSpec): object {
  return spec.initContainers === undefined && spec.overhead === undefined ? spec.containers : spec;
}

/**
 * The pod's effective requests: the sum over containers, maxed with each init container (restartable init
 * containers added), plus overhead; a container with a limit but no request counts its limit, as API defaulting
 * makes it. Mirrors k8s.io/component-helpers/resource/helpers.go PodRequests (used by NodeResourcesFit's filter and
 * the scheduler cache's NodeInfo.Requested).
 *
 * Cached per `cacheKey`: requests depend on the containers (and init containers and overhead) only, which status
 * writes and bindings keep, so a pod is not re-parsed when it changes.
 */
export function podRequests(pod: Pod): PodResources {
  const spec = pod.spec;
  const key = cacheKey(spec);
  let r = requestsCache.get(key);
  if (r === undefined) {
    r = { cpuMilli: sumPod(spec, "cpu", undefined), memory: sumPod(spec, "memory", undefined) };
    requestsCache.set(key, r);
  }
  return r;
}

/**
 * Like `podRequests`, but a container (init containers included) that has no CPU request counts
 * DEFAULT_MILLI_CPU_REQUEST and one without a memory request DEFAULT_MEMORY_REQUEST, applied per container. An
 * explicit "0" stays 0, as upstream only fills missing keys. This is what scoring uses, so that pods without
 * requests still spread. Mirrors pkg/scheduler/util/pod_resources.go GetNonzeroRequests via PodRequests with
 * NonMissingContainerRequests (framework/types.go calculateResource).
 */
export function nonZeroPodRequests(pod: Pod): PodResources {
  const spec = pod.spec;
  const key = cacheKey(spec);
  let r = nonZeroCache.get(key);
  if (r === undefined) {
    r = { cpuMilli: sumPod(spec, "cpu", DEFAULT_MILLI_CPU_REQUEST), memory: sumPod(spec, "memory", DEFAULT_MEMORY_REQUEST) };
    nonZeroCache.set(key, r);
  }
  return r;
}

const allocatableCache = new WeakMap<Record<string, string>, NodeResources>();

/**
 * The node's allocatable cpu (millicores), memory (bytes) and pods (count), from status.allocatable, as
 * framework.NewResource(node.Status.Allocatable) in pkg/scheduler/framework/types.go. A missing entry is 0, as
 * upstream: a node without "pods" admits no pod (the kubelet model always sets it). Cached per allocatable map,
 * which node updates that leave it untouched share.
 */
export function nodeAllocatable(node: Node): NodeResources {
  const alloc = node.status?.allocatable ?? EMPTY;
  let r = allocatableCache.get(alloc);
  if (r === undefined) {
    r = { cpuMilli: parseAmount(alloc.cpu, true), memory: parseAmount(alloc.memory, false), pods: parseAmount(alloc.pods, false) };
    allocatableCache.set(alloc, r);
  }
  return r;
}

const EMPTY: Record<string, string> = {};
