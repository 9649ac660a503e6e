import { K8SIM_VERSION, KUBERNETES_VERSION } from "../version.js";
import type { ApiClock } from "../api/clock.js";
import type { Condition, Node, Taint } from "../api/types.js";
import type { NodePool } from "./node-pool.js";

/** The node conditions a healthy kubelet reports (pkg/kubelet/nodestatus/setters.go), with their reasons. */
const HEALTHY_CONDITIONS: readonly [string, "True" | "False", string, string][] = [
  ["MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
  ["DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
  ["PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
  ["Ready", "True", "KubeletReady", "kubelet is posting ready status"],
];

/**
 * Why a kubelet whose node has no pod network reports Ready=False (pkg/kubelet/nodestatus/setters.go ReadyCondition
 * with the runtime state's network error, "container runtime network not ready: <runtime status>"; the runtime
 * status is containerd's while no CNI configuration exists, which is the case until the node has a pod CIDR).
 */
export const NETWORK_NOT_READY_MESSAGE =
  "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized";

/**
 * The conditions a running kubelet posts, with heartbeat `now` and transitions kept from `previous`. With
 * `networkNotReady`, Ready is False, reason KubeletNotReady, message NETWORK_NOT_READY_MESSAGE.
 */
export function healthyConditions(clock: ApiClock, previous: Condition[] | undefined, networkNotReady = false): Condition[] {
  const now = clock.time();
  return HEALTHY_CONDITIONS.map(([type, healthy, healthyReason, healthyMessage]) => {
    const notReady = networkNotReady && type === "Ready";
    const status = notReady ? "False" : healthy;
    const reason = notReady ? "KubeletNotReady" : healthyReason;
    const message = notReady ? NETWORK_NOT_READY_MESSAGE : healthyMessage;
    const prev = previous?.find((c) => c.type === type);
    const lastTransitionTime = prev && prev.status === status ? prev.lastTransitionTime : now;
    return { type, status, lastHeartbeatTime: now, lastTransitionTime, reason, message };
  });
}

/**
 * The Node object a kubelet registers (pkg/kubelet/kubelet_node_status.go initialNode): well-known labels
 * (kubernetes.io/hostname, os, arch) plus the pool's, the pool's taints (--register-with-taints), capacity and
 * allocatable from the pool, maxPods defaulting to the kubelet's.
 */
export function nodeFromPool(name: string, index: number, pool: NodePool, maxPods: number, clock: ApiClock): Node {
  const capacity = { ...pool.capacity };
  if (capacity.pods === undefined) capacity.pods = String(maxPods);
  const allocatable = { ...capacity, ...(pool.allocatable ?? {}) };
  const taints: Taint[] = pool.taints.map((t) => ({ ...t }));
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "k8sim.dev/pool": pool.name,
        ...pool.labels,
      },
    },
    spec: taints.length > 0 ? { taints } : {},
    status: {
      capacity,
      allocatable,
      conditions: healthyConditions(clock, undefined),
      addresses: [
        { type: "InternalIP", address: nodeIP(index) },
        { type: "Hostname", address: name },
      ],
      nodeInfo: { kubeletVersion: `v${KUBERNETES_VERSION}`, containerRuntimeVersion: `k8sim://${K8SIM_VERSION}`, operatingSystem: "linux", architecture: "amd64" },
    },
  };
}

/** The InternalIP of the node with 0-based creation index `i`: 10.0.x.y, deterministic. */
export function nodeIP(i: number): string {
  return `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`;
}
