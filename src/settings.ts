/**
 * Every tunable number of the simulated cluster, with its upstream default and source.
 *
 * A scenario overrides any of them under `spec.settings` (durations as Go strings such as "40s", which the loader
 * turns into milliseconds). Logic never uses a bare literal for one of these: it reads the resolved `Settings`.
 * Durations are integer milliseconds; rates are per second. The range of each (schemas/scenario.schema.json, and
 * the loader's coupled checks such as nodeStatusReportFrequency <= 1,000,000 x nodeStatusUpdateFrequency) keeps
 * every period, delay and product of them finite and exact: test/setting-ranges.test.ts runs each at both ends.
 */
export interface Settings {
  /** kubelet nodeStatusUpdateFrequency: how often the kubelet computes node status (ms). Upstream 10s;
   *  pkg/kubelet/apis/config/v1beta1/defaults.go. */
  nodeStatusUpdateFrequency: number;
  /** kubelet nodeStatusReportFrequency: the kubelet posts an unchanged status at most this often (ms). Upstream 5m
   *  (equal to nodeStatusUpdateFrequency when that is set explicitly); pkg/kubelet/apis/config/v1beta1/defaults.go. */
  nodeStatusReportFrequency: number;
  /** Jitter factor of the kubelet's lease renewal and status loops: each period is drawn from [p, p x (1 +
   *  factor)). Upstream 0.04 (wait.JitterUntil in k8s.io/component-helpers/apimachinery/lease/controller.go and
   *  pkg/kubelet/kubelet.go syncNodeStatus). */
  heartbeatJitterFactor: number;
  /** Node lease duration (ms). Upstream nodeLeaseDurationSeconds 40; pkg/kubelet/apis/config/v1beta1/defaults.go. */
  nodeLeaseDuration: number;
  /** Lease renew interval (ms). Upstream 0.25 x nodeLeaseDuration (10s); pkg/kubelet/kubelet.go
   *  (renewIntervalFraction). Derived from nodeLeaseDuration unless set. */
  nodeLeaseRenewInterval: number;
  /** Pods a node admits when its pool does not say (count). Upstream maxPods 110;
   *  pkg/kubelet/apis/config/v1beta1/defaults.go. */
  maxPods: number;
  /** node-monitor-period: how often the node lifecycle controller checks node health (ms). Upstream 5s;
   *  pkg/controller/nodelifecycle/config/v1alpha1/defaults.go. */
  nodeMonitorPeriod: number;
  /** node-monitor-grace-period: silence after which a node is Ready=Unknown (ms). Upstream 50s since v1.32 (40s
   *  before, PR #126287); pkg/controller/nodelifecycle/config/v1alpha1/defaults.go. */
  nodeMonitorGracePeriod: number;
  /** node-startup-grace-period: grace for a node that never posted status (ms). Upstream 60s; same file. */
  nodeStartupGracePeriod: number;
  /** node-eviction-rate: NoExecute taints per second in a healthy zone. Upstream 0.1;
   *  cmd/kube-controller-manager/app/options/nodelifecyclecontroller.go. */
  nodeEvictionRate: number;
  /** secondary-node-eviction-rate: taints per second in a partially disrupted large zone. Upstream 0.01; same file. */
  secondaryNodeEvictionRate: number;
  /** large-cluster-size-threshold: a zone with at most this many nodes gets rate 0 when partially disrupted.
   *  Upstream 50; same file. */
  largeClusterSizeThreshold: number;
  /** unhealthy-zone-threshold: not-ready fraction that makes a zone PartiallyDisrupted. Upstream 0.55; same file. */
  unhealthyZoneThreshold: number;
  /** How often the tainting pass drains the per-zone rate-limited queues (ms). Upstream scheduler.NodeEvictionPeriod
   *  100ms; pkg/controller/nodelifecycle/node_lifecycle_controller.go. */
  nodeEvictionPeriod: number;
  /** tolerationSeconds of the not-ready toleration added by admission (s). Upstream 300;
   *  plugin/pkg/admission/defaulttolerationseconds/admission.go. */
  defaultNotReadyTolerationSeconds: number;
  /** tolerationSeconds of the unreachable toleration added by admission (s). Upstream 300; same file. */
  defaultUnreachableTolerationSeconds: number;
  /** podInitialBackoffSeconds of the scheduling queue (ms). Upstream 1s;
   *  pkg/scheduler/apis/config/v1/defaults.go. */
  podInitialBackoff: number;
  /** podMaxBackoffSeconds of the scheduling queue (ms). Upstream 10s; same file. */
  podMaxBackoff: number;
  /** Longest an unschedulable pod waits before it is retried anyway (ms). Upstream
   *  DefaultPodMaxInUnschedulablePodsDuration 5m; pkg/scheduler/backend/queue/scheduling_queue.go. */
  podMaxInUnschedulablePodsDuration: number;
  /** How often the scheduling queue flushes unschedulable pods that waited too long (ms). Upstream 30s
   *  (flushUnschedulablePodsLeftover); pkg/scheduler/backend/queue/scheduling_queue.go. */
  unschedulableFlushInterval: number;
  /** How often the scheduling queue moves pods whose backoff ended to activeQ (ms). Upstream 1s
   *  (flushBackoffQCompleted); same file. */
  backoffFlushInterval: number;
  /** percentageOfNodesToScore; 0 means the adaptive upstream formula. Upstream 0;
   *  pkg/scheduler/schedule_one.go numFeasibleNodesToFind. */
  percentageOfNodesToScore: number;
  /** terminationGracePeriodSeconds when a pod does not set it (s). Upstream 30; pkg/apis/core/v1/defaults.go. */
  terminationGracePeriodSeconds: number;
  /** Delay between a write in the API server and a watcher's informer seeing it (ms). Model parameter, no upstream
   *  default: 0 makes watches arrive in the same millisecond, ordered after the write. */
  informerLatency: number;
  /** Time from the kubelet seeing a bound pod to its containers running (ms): sandbox, create, start. Model
   *  parameter; images count as already present. */
  podStartLatency: number;
  /** Time the kubelet needs to stop a running pod's containers once asked to (ms), bounded by the grace period.
   *  Model parameter. */
  podStopLatency: number;
  /** How often the pod garbage collector runs its pass (ms). Upstream gcCheckPeriod 20s, a constant;
   *  pkg/controller/podgc/gc_controller.go. */
  podGCPeriod: number;
  /** How long the pod garbage collector quarantines a node name its node informer lacks before checking it again
   *  and deleting the pods bound to it (ms). Upstream quarantineTime 40s, a constant;
   *  pkg/controller/podgc/gc_controller.go. */
  podGCOrphanQuarantine: number;
  /** terminated-pod-gc-threshold: the pod garbage collector deletes terminated (Succeeded or Failed) pods beyond
   *  this many, oldest first; 0 turns that off (count). Upstream 12500;
   *  pkg/controller/podgc/config/v1alpha1/defaults.go. */
  terminatedPodGCThreshold: number;
  /** kube-controller-manager --kube-api-qps: each controller's client token bucket refill rate (requests per
   *  second; every controller has its own client). Upstream 20; pkg/controller/apis/config/v1alpha1/defaults.go. */
  controllerManagerQPS: number;
  /** kube-controller-manager --kube-api-burst: the controllers' client bucket size (requests). Upstream 30; same file. */
  controllerManagerBurst: number;
  /** kube-scheduler clientConnection.qps (requests per second). Upstream 50; pkg/scheduler/apis/config/v1/defaults.go. */
  schedulerQPS: number;
  /** kube-scheduler clientConnection.burst (requests). Upstream 100; same file. */
  schedulerBurst: number;
  /** Time between a client's request leaving its rate limiter and the API server committing it (ms). Model
   *  parameter; default 0, so every upstream grace period and timeout reads exactly in the reports. */
  apiRequestLatency: number;
  /** The ReplicaSet controller's BurstReplicas: at most this many pod creates or deletes per sync (count). Upstream
   *  500, a constant; pkg/controller/replicaset/replica_set.go. */
  burstReplicas: number;
  /** kube-controller-manager --cluster-cidr: the range node IPAM cuts per-node pod CIDRs from. Upstream has no
   *  default (it needs --allocate-node-cidrs); k8sim's 10.128.0.0/9 holds 32,768 /24 node ranges, enough for the
   *  5,000-node scale limit, and does not overlap kubeadm's service range 10.96.0.0/12. */
  clusterCIDR: string;
  /** kube-controller-manager --node-cidr-mask-size: the prefix length of each node's pod CIDR. Upstream 24 for
   *  IPv4; cmd/kube-controller-manager/app/options/nodeipamcontroller.go. */
  nodeCIDRMaskSize: number;
  /** kube-apiserver --enable-admission-plugins: plugins to run besides the default ones. The enabled set runs in
   *  upstream's fixed order whatever order they are written in (pkg/kubeapiserver/options/plugins.go). */
  enableAdmissionPlugins: readonly string[];
  /** kube-apiserver --disable-admission-plugins: default plugins not to run. */
  disableAdmissionPlugins: readonly string[];
  /** kube-controller-manager --controllers: "*" enables the controllers on by default, "name" enables one,
   *  "-name" disables one (cmd/kube-controller-manager/app/controllermanager.go IsControllerEnabled). */
  controllers: readonly string[];
  /** The kubelet's first CrashLoopBackOff delay (ms). Upstream 10s (initialCrashLoopBackOff); pkg/kubelet/kubelet.go. */
  crashLoopBackOffInitial: number;
  /** The kubelet's longest CrashLoopBackOff delay (ms). Upstream 300s (MaxCrashLoopBackOff =
   *  v1beta1.MaxContainerBackOff); pkg/kubelet/kubelet.go. */
  crashLoopBackOffMax: number;
  /** A container's back-off starts over when it exits more than this long after its last restart (ms). Upstream 600s
   *  (crashLoopBackOff.HasExpiredFunc); pkg/kubelet/kubelet.go. */
  crashLoopBackOffReset: number;
  /** The kubelet's first image pull back-off (ms). Upstream 10s (imageBackOffPeriod); pkg/kubelet/kubelet.go. */
  imagePullBackOffInitial: number;
  /** The kubelet's longest image pull back-off (ms). Upstream 300s (MaxImageBackOff); pkg/kubelet/kubelet.go. */
  imagePullBackOffMax: number;
  /** kubelet serializeImagePulls: one image pull at a time per node. Upstream true;
   *  pkg/kubelet/apis/config/v1beta1/defaults.go. */
  serializeImagePulls: boolean;
  /** kubelet maxParallelImagePulls, with serializeImagePulls false: at most this many pulls at once; 0 means no
   *  limit (upstream's nil). Upstream nil; pkg/kubelet/images/puller.go. */
  maxParallelImagePulls: number;
  /** One node's image download rate (bytes per second, a quantity such as "50Mi"): a pull takes size / rate. Model
   *  parameter, no upstream default. */
  imagePullBandwidth: string;
  /** The size of an image the scenario's image catalog does not list (a quantity). Model parameter. */
  defaultImageSize: string;
  /** How long a node added during the run (addNodes) takes from being requested to its kubelet starting: the VM's
   *  provisioning and boot, a duration or a distribution. Model parameter, no upstream default: 60s is k8sim's
   *  figure for a cloud VM from the create call to a running kubelet; set your provider's. */
  nodeBootDuration: string;
  /** kube-apiserver --service-cluster-ip-range: the range Service cluster IPs are allocated from. kube-apiserver's
   *  own flag default is 10.0.0.0/24 (pkg/kubeapiserver/options DefaultServiceIPCIDR, 254 addresses); k8sim uses
   *  kubeadm's 10.96.0.0/12 (cmd/kubeadm/app/apis/kubeadm/v1beta4 DefaultServicesSubnet), which most clusters run
   *  with. The first address is the `kubernetes` Service's. */
  serviceClusterIPRange: string;
  /** kube-apiserver --service-node-port-range: the ports NodePort and LoadBalancer Services get. Upstream
   *  30000-32767 (pkg/kubeapiserver/options DefaultServiceNodePortRange). */
  serviceNodePortRange: string;
  /** The addresses the simulated cloud hands LoadBalancer Services (status.loadBalancer.ingress). Model parameter,
   *  no upstream default (the cloud provider decides): 203.0.113.0/24 is TEST-NET-3, an address range reserved
   *  for documentation. */
  loadBalancerIPPool: string;
  /** How long the simulated cloud takes to provision a load balancer, from the Service's create to its ingress
   *  address (ms). Model parameter, no upstream default. */
  loadBalancerProvisionDelay: number;
  /** kube-controller-manager --max-endpoints-per-slice: endpoints per EndpointSlice. Upstream 100 (1..1000);
   *  pkg/controller/endpointslice/config/v1alpha1/defaults.go. */
  maxEndpointsPerSlice: number;
  /** --endpoint-updates-batch-period: how long the endpoints controller waits after a pod change before syncing
   *  the Service, so changes in the window share one sync (ms). Upstream 0;
   *  pkg/controller/endpoint/config/v1alpha1/defaults.go. */
  endpointUpdatesBatchPeriod: number;
  /** --endpointslice-updates-batch-period: the same for the EndpointSlice controller (ms). Upstream 0;
   *  pkg/controller/endpointslice/config/v1alpha1/defaults.go. */
  endpointSliceUpdatesBatchPeriod: number;
  /** --mirroring-max-endpoints-per-subset: endpoints of one Endpoints subset the mirroring controller mirrors.
   *  Upstream 1000; pkg/controller/endpointslicemirroring/config/v1alpha1/defaults.go. */
  mirroringMaxEndpointsPerSubset: number;
  /** --resource-quota-sync-period: how often the resource quota controller recomputes every quota's usage (ms).
   *  Upstream 5m; pkg/controller/resourcequota/config/v1alpha1/defaults.go. */
  resourceQuotaSyncPeriod: number;
  /** --namespace-sync-period: how often the namespace controller resyncs every namespace (ms). Upstream 5m;
   *  pkg/controller/namespace/config/v1alpha1/defaults.go. */
  namespaceSyncPeriod: number;
}

/** Upstream defaults, each documented on the `Settings` field of the same name. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  nodeStatusUpdateFrequency: 10_000,
  nodeStatusReportFrequency: 300_000,
  heartbeatJitterFactor: 0.04,
  nodeLeaseDuration: 40_000,
  nodeLeaseRenewInterval: 10_000,
  maxPods: 110,
  nodeMonitorPeriod: 5_000,
  nodeMonitorGracePeriod: 50_000,
  nodeStartupGracePeriod: 60_000,
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
  nodeEvictionPeriod: 100,
  defaultNotReadyTolerationSeconds: 300,
  defaultUnreachableTolerationSeconds: 300,
  podInitialBackoff: 1_000,
  podMaxBackoff: 10_000,
  podMaxInUnschedulablePodsDuration: 300_000,
  unschedulableFlushInterval: 30_000,
  backoffFlushInterval: 1_000,
  percentageOfNodesToScore: 0,
  terminationGracePeriodSeconds: 30,
  informerLatency: 0,
  podStartLatency: 1_000,
  podStopLatency: 1_000,
  podGCPeriod: 20_000,
  podGCOrphanQuarantine: 40_000,
  terminatedPodGCThreshold: 12_500,
  controllerManagerQPS: 20,
  controllerManagerBurst: 30,
  schedulerQPS: 50,
  schedulerBurst: 100,
  apiRequestLatency: 0,
  burstReplicas: 500,
  clusterCIDR: "10.128.0.0/9",
  nodeCIDRMaskSize: 24,
  enableAdmissionPlugins: Object.freeze([]) as readonly string[],
  disableAdmissionPlugins: Object.freeze([]) as readonly string[],
  controllers: Object.freeze(["*"]) as readonly string[],
  crashLoopBackOffInitial: 10_000,
  crashLoopBackOffMax: 300_000,
  crashLoopBackOffReset: 600_000,
  imagePullBackOffInitial: 10_000,
  imagePullBackOffMax: 300_000,
  serializeImagePulls: true,
  maxParallelImagePulls: 0,
  imagePullBandwidth: "50Mi",
  defaultImageSize: "100Mi",
  nodeBootDuration: "60s",
  serviceClusterIPRange: "10.96.0.0/12",
  serviceNodePortRange: "30000-32767",
  loadBalancerIPPool: "203.0.113.0/24",
  loadBalancerProvisionDelay: 5_000,
  maxEndpointsPerSlice: 100,
  endpointUpdatesBatchPeriod: 0,
  endpointSliceUpdatesBatchPeriod: 0,
  mirroringMaxEndpointsPerSubset: 1000,
  resourceQuotaSyncPeriod: 300_000,
  namespaceSyncPeriod: 300_000,
});

/** Which settings are durations (written as Go durations in scenario files, held as ms). */
export const DURATION_SETTINGS: ReadonlySet<keyof Settings> = new Set<keyof Settings>([
  "nodeStatusUpdateFrequency",
  "nodeStatusReportFrequency",
  "nodeLeaseDuration",
  "nodeLeaseRenewInterval",
  "nodeMonitorPeriod",
  "nodeMonitorGracePeriod",
  "nodeStartupGracePeriod",
  "nodeEvictionPeriod",
  "podInitialBackoff",
  "podMaxBackoff",
  "podMaxInUnschedulablePodsDuration",
  "unschedulableFlushInterval",
  "backoffFlushInterval",
  "informerLatency",
  "podStartLatency",
  "podStopLatency",
  "podGCPeriod",
  "podGCOrphanQuarantine",
  "apiRequestLatency",
  "crashLoopBackOffInitial",
  "crashLoopBackOffMax",
  "crashLoopBackOffReset",
  "imagePullBackOffInitial",
  "imagePullBackOffMax",
  "loadBalancerProvisionDelay",
  "endpointUpdatesBatchPeriod",
  "endpointSliceUpdatesBatchPeriod",
  "resourceQuotaSyncPeriod",
  "namespaceSyncPeriod",
]);

/**
 * Duration settings that are periods of a loop or timeouts: 0 would make a component reschedule itself forever at
 * the same instant (or divide by zero), so a scenario may not set them to 0. Only the model latencies and the pod
 * garbage collector's quarantine (a delay checked at the next pass, never a loop) may be 0.
 */
export const POSITIVE_SETTINGS: ReadonlySet<keyof Settings> = new Set(
  [...DURATION_SETTINGS].filter((k) => k !== "informerLatency" && k !== "apiRequestLatency" && k !== "podStartLatency" && k !== "podStopLatency" && k !== "podGCOrphanQuarantine" && k !== "loadBalancerProvisionDelay" && k !== "endpointUpdatesBatchPeriod" && k !== "endpointSliceUpdatesBatchPeriod"),
);

/**
 * Resolves scenario overrides against the defaults, applying the upstream coupling rules: the lease renew interval
 * follows 0.25 x lease duration, and the status report frequency follows an explicitly set update frequency
 * (pkg/kubelet/apis/config/v1beta1/defaults.go), unless those are themselves set.
 */
export function resolveSettings(overrides: Partial<Settings>): Settings {
  const s: Settings = { ...DEFAULT_SETTINGS, ...overrides };
  if (overrides.nodeLeaseDuration !== undefined && overrides.nodeLeaseRenewInterval === undefined) {
    s.nodeLeaseRenewInterval = Math.floor(overrides.nodeLeaseDuration * 0.25);
  }
  if (overrides.nodeStatusUpdateFrequency !== undefined && overrides.nodeStatusReportFrequency === undefined) {
    s.nodeStatusReportFrequency = overrides.nodeStatusUpdateFrequency;
  }
  return s;
}
