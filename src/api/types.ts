/**
 * Kubernetes object shapes, with the field names of the API reference (core/v1, apps/v1, coordination.k8s.io/v1),
 * limited to the fields k8sim reads or writes. Objects in the store are never mutated in place: a write stores a
 * new object, so informer caches may share references safely.
 */

/** metav1.OwnerReference. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** metav1.ObjectMeta. Timestamps are RFC 3339 strings derived from the virtual clock. */
export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  /** Entries that must be removed before a deleted object goes (the Job controller's pod tracking finalizer). */
  finalizers?: string[];
}

/** Any API object. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

/** metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

/** metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** core/v1 Taint. */
export interface Taint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
  timeAdded?: string;
}

/** core/v1 Toleration. */
export interface Toleration {
  key?: string;
  operator?: "Exists" | "Equal";
  value?: string;
  effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
  tolerationSeconds?: number;
}

/** core/v1 ResourceRequirements (quantity strings). */
export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

/** core/v1 Container (fields the simulation uses; others pass through unchanged). */
export interface Container {
  name: string;
  image: string;
  resources?: ResourceRequirements;
  /** Init containers only: "Always" makes it a sidecar (a restartable init container). */
  restartPolicy?: string;
  imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
  command?: string[];
  args?: string[];
  [field: string]: unknown;
}

/** core/v1 PodSpec. */
export interface PodSpec {
  nodeName?: string;
  schedulerName?: string;
  containers: Container[];
  initContainers?: Container[];
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  priority?: number;
  restartPolicy?: "Always" | "OnFailure" | "Never";
  terminationGracePeriodSeconds?: number;
  serviceAccountName?: string;
  [field: string]: unknown;
}

/** core/v1 PodCondition and NodeCondition share this shape. */
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
  lastProbeTime?: string | null;
  /** Deployment conditions only. */
  lastUpdateTime?: string;
}

/** core/v1 ContainerStatus (state reduced to the variant in force). */
export interface ContainerStatus {
  name: string;
  image: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: ContainerState;
  lastState?: ContainerState;
}

/** core/v1 ContainerState: exactly one variant is set. */
export interface ContainerState {
  waiting?: { reason: string; message?: string };
  running?: { startedAt: string };
  terminated?: { exitCode: number; reason: string; startedAt?: string; finishedAt: string };
}

/** Pod phases (core/v1 PodPhase). */
export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";

/** core/v1 PodStatus. */
export interface PodStatus {
  /** Set on create from the spec (qos.GetPodQOS). */
  qosClass?: "Guaranteed" | "Burstable" | "BestEffort";
  phase?: PodPhase;
  conditions?: Condition[];
  hostIP?: string;
  podIP?: string;
  startTime?: string;
  nominatedNodeName?: string;
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  reason?: string;
  message?: string;
}

/** core/v1 Pod. */
export interface Pod extends KubeObject {
  kind: "Pod";
  spec: PodSpec;
  status: PodStatus;
}

/** core/v1 PodTemplateSpec. */
export interface PodTemplateSpec {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

/** core/v1 NodeSpec. */
export interface NodeSpec {
  unschedulable?: boolean;
  taints?: Taint[];
  providerID?: string;
  /** The node's pod range, set by node IPAM (src/controllers/node-ipam.ts). */
  podCIDR?: string;
  /** podCIDR as a list (one entry: k8sim models IPv4 only). */
  podCIDRs?: string[];
}

/** core/v1 NodeStatus. */
export interface NodeStatus {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  conditions: Condition[];
  addresses?: { type: string; address: string }[];
  nodeInfo?: Record<string, string>;
}

/** core/v1 Node (cluster-scoped). */
export interface Node extends KubeObject {
  kind: "Node";
  spec: NodeSpec;
  status: NodeStatus;
}

/** coordination.k8s.io/v1 Lease, as the kubelet renews it in kube-node-lease. */
export interface Lease extends KubeObject {
  kind: "Lease";
  spec: { holderIdentity: string; leaseDurationSeconds: number; renewTime: string };
}

/** apps/v1 ReplicaSet. */
export interface ReplicaSet extends KubeObject {
  kind: "ReplicaSet";
  spec: { replicas?: number; minReadySeconds?: number; selector: LabelSelector; template: PodTemplateSpec };
  status: {
    replicas: number;
    fullyLabeledReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
    /** ReplicaFailure (reason FailedCreate / FailedDelete) while the controller's creates or deletes fail. */
    conditions?: Condition[];
  };
}

/** apps/v1 DeploymentStrategy. */
export interface DeploymentStrategy {
  type?: "RollingUpdate" | "Recreate";
  rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
}

/** apps/v1 Deployment. */
export interface Deployment extends KubeObject {
  kind: "Deployment";
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    strategy?: DeploymentStrategy;
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    progressDeadlineSeconds?: number;
    paused?: boolean;
  };
  status: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
  };
}

/** core/v1 Namespace (cluster-scoped). */
export interface Namespace extends KubeObject {
  kind: "Namespace";
  spec?: { finalizers?: string[] };
  status?: { phase: "Active" | "Terminating"; conditions?: NamespaceCondition[] };
}

/** core/v1 NamespaceCondition (the namespace controller's deletion progress while Terminating). */
export interface NamespaceCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** core/v1 ConfigMap. */
export interface ConfigMap extends KubeObject {
  kind: "ConfigMap";
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
}

/** core/v1 Secret: `data` values are base64 (stringData is merged into data by the API server). */
export interface Secret extends KubeObject {
  kind: "Secret";
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  immutable?: boolean;
}

/** The store key of an object: "namespace/name", or "name" for cluster-scoped kinds. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** "Kind/namespace/name" (or "Kind/name"): how logs and errors name an object. */
export function describe(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}` : `${obj.kind}/${obj.metadata.name}`;
}
