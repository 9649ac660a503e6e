/**
 * A pool of identical nodes, as the scenario declares it and the kubelet fleet registers it (src/kubelet/fleet.ts).
 * Defined here, with the components, so that the kubelet does not import the scenario layer above it.
 */

/** A taint as in core/v1 Node.spec.taints. */
export interface TaintSpec {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** A group of identical nodes, named `<name>-1` .. `<name>-<count>` (continuing the numbering when a pool is added to). */
export interface NodePool {
  name: string;
  count: number;
  /** Node status.capacity, as Kubernetes quantity strings ("4", "16Gi", "110"). */
  capacity: Record<string, string>;
  /** Node status.allocatable; defaults to capacity. */
  allocatable?: Record<string, string>;
  labels: Record<string, string>;
  taints: TaintSpec[];
  /** Images in each node's image store from the start (references into the scenario's image catalog). */
  preloadedImages?: string[];
}
