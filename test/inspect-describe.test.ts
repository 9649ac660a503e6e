/**
 * kubectl describe pod / node as k8sim prints them. The expected texts are what kubectl v1.32.4 printed for the
 * same objects served by a stub API server (`TZ=UTC kubectl --server http://127.0.0.1:PORT describe pod web-1`,
 * with every timestamp moved so that kubectl's clock stood at --at 30m): identical but for the absolute times,
 * which kubectl printed at the moved instants.
 */
import { describe, expect, it } from "vitest";
import { describeObject } from "../src/inspect/print/index.js";
import { humanDuration } from "../src/inspect/print/human-duration.js";

const START = Date.parse("2026-01-01T00:00:00Z");
/** Virtual ms to an RFC 3339 timestamp (whole seconds). */
const ts = (ms: number) => new Date(START + ms).toISOString().replace(".000Z", "Z");
const MIN = 60_000;
/** --at 30m. */
const NOW = START + 30 * MIN;

const nodeA = {
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "worker-1", uid: "11111111-aaaa-4bbb-8ccc-000000000001", creationTimestamp: ts(0), labels: { "kubernetes.io/hostname": "worker-1", "node-role.kubernetes.io/worker": "", "topology.kubernetes.io/zone": "zone-a" } },
  spec: { podCIDR: "10.128.0.0/24", podCIDRs: ["10.128.0.0/24"], taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: ts(12 * MIN) }, { key: "node.kubernetes.io/unreachable", effect: "NoSchedule", timeAdded: ts(12 * MIN) }], unschedulable: true },
  status: {
    capacity: { cpu: "4", memory: "16Gi", pods: "110", "ephemeral-storage": "100Gi" },
    allocatable: { cpu: "4", memory: "16Gi", pods: "110", "ephemeral-storage": "100Gi" },
    conditions: [
      { type: "Ready", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastHeartbeatTime: ts(11 * MIN), lastTransitionTime: ts(12 * MIN) },
      { type: "MemoryPressure", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastHeartbeatTime: ts(11 * MIN), lastTransitionTime: ts(12 * MIN) },
    ],
    addresses: [{ type: "InternalIP", address: "10.0.0.2" }, { type: "Hostname", address: "worker-1" }],
    nodeInfo: { machineID: "", systemUUID: "", bootID: "", kernelVersion: "", osImage: "", containerRuntimeVersion: "k8sim://0.1.0", kubeletVersion: "v1.32.0", kubeProxyVersion: "", operatingSystem: "linux", architecture: "amd64" },
  },
};

const lease = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "worker-1", namespace: "kube-node-lease", creationTimestamp: ts(0) }, spec: { holderIdentity: "worker-1", leaseDurationSeconds: 40, renewTime: "2026-01-01T00:11:50.000000Z" } };

const container = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: "nginx:1.27", ports: [{ containerPort: 80, protocol: "TCP" }], resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } }, ...extra });

/** A crash-looping web pod with an init container, on worker-1, Terminating after the node was lost. */
const crashPod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "web-1",
    namespace: "default",
    uid: "22222222-aaaa-4bbb-8ccc-000000000002",
    creationTimestamp: ts(1 * MIN),
    deletionTimestamp: ts(25 * MIN),
    deletionGracePeriodSeconds: 30,
    labels: { app: "web", "pod-template-hash": "5d4f8c9b7" },
    annotations: { "k8sim.dev/note": "fixture" },
    ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d4f8c9b7", uid: "33", controller: true, blockOwnerDeletion: true }],
  },
  spec: {
    nodeName: "worker-1",
    serviceAccountName: "default",
    priority: 0,
    restartPolicy: "Always",
    schedulerName: "default-scheduler",
    initContainers: [{ name: "init-db", image: "busybox:1.36", command: ["sh", "-c", "until nc -z db 5432; do sleep 1; done"] }],
    containers: [container("app", { args: ["--port", "80"], env: [{ name: "MODE", value: "prod" }], volumeMounts: [{ name: "data", mountPath: "/data" }] }), container("sidecar", { ports: [] })],
    volumes: [{ name: "data", emptyDir: {} }],
    tolerations: [
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ],
    nodeSelector: { "topology.kubernetes.io/zone": "zone-a" },
  },
  status: {
    phase: "Running",
    qosClass: "Burstable",
    hostIP: "10.0.0.2",
    podIP: "10.128.0.7",
    podIPs: [{ ip: "10.128.0.7" }],
    startTime: ts(1 * MIN + 2000),
    conditions: [
      { type: "Initialized", status: "True", lastTransitionTime: ts(1 * MIN + 5000) },
      { type: "Ready", status: "False", lastTransitionTime: ts(12 * MIN) },
      { type: "ContainersReady", status: "False", lastTransitionTime: ts(8 * MIN) },
      { type: "PodScheduled", status: "True", lastTransitionTime: ts(1 * MIN) },
    ],
    initContainerStatuses: [{ name: "init-db", image: "busybox:1.36", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed", startedAt: ts(1 * MIN + 2000), finishedAt: ts(1 * MIN + 4000) } } }],
    containerStatuses: [
      { name: "app", image: "nginx:1.27", ready: false, started: false, restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container" } }, lastState: { terminated: { exitCode: 1, reason: "Error", startedAt: ts(27 * MIN), finishedAt: ts(28 * MIN) } } },
      { name: "sidecar", image: "nginx:1.27", ready: true, started: true, restartCount: 0, state: { running: { startedAt: ts(1 * MIN + 6000) } } },
    ],
  },
};

/** A running pod on worker-1 (for the node's pod list). */
const runningPod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "api-7", namespace: "shop", uid: "44", creationTimestamp: ts(2 * MIN), labels: { app: "api" } },
  spec: { nodeName: "worker-1", containers: [{ name: "api", image: "api:2", resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } } }] },
  status: { phase: "Running", podIP: "10.128.0.8", podIPs: [{ ip: "10.128.0.8" }], containerStatuses: [{ name: "api", image: "api:2", ready: true, restartCount: 0, state: { running: { startedAt: ts(2 * MIN + 3000) } } }] },
};

/** A finished pod on worker-1: not listed among the node's non-terminated pods. */
const donePod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "job-x", namespace: "default", uid: "55", creationTimestamp: ts(3 * MIN) },
  spec: { nodeName: "worker-1", restartPolicy: "Never", containers: [{ name: "x", image: "busybox", resources: { requests: { cpu: "100m" } } }] },
  status: { phase: "Succeeded", containerStatuses: [{ name: "x", image: "busybox", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed", startedAt: ts(3 * MIN), finishedAt: ts(4 * MIN) } } }] },
};

const ev = (name: string, io: Record<string, unknown>, type: string, reason: string, message: string, firstMs: number, lastMs: number, count: number, source: { component: string; host?: string }) => ({
  apiVersion: "v1",
  kind: "Event",
  metadata: { name, namespace: (io.namespace as string | undefined) ?? "default", creationTimestamp: ts(firstMs) },
  involvedObject: io,
  reason,
  message,
  source,
  firstTimestamp: ts(firstMs),
  lastTimestamp: ts(lastMs),
  count,
  type,
  eventTime: null,
  reportingComponent: source.component,
  reportingInstance: source.host ?? "",
});
const podRef = { kind: "Pod", namespace: "default", name: "web-1", uid: crashPod.metadata.uid, apiVersion: "v1" };
const nodeRefName = { kind: "Node", name: "worker-1", uid: "worker-1", apiVersion: "v1" };
const nodeRefUid = { kind: "Node", name: "worker-1", uid: nodeA.metadata.uid, apiVersion: "v1" };
const events = [
  ev("web-1.1887a0000000001", podRef, "Normal", "Pulled", 'Container image "nginx:1.27" already present on machine', 1 * MIN + 5000, 27 * MIN, 4, { component: "kubelet", host: "worker-1" }),
  ev("web-1.1887a0000000002", podRef, "Warning", "BackOff", "Back-off restarting failed container app in pod web-1_default(22222222-aaaa-4bbb-8ccc-000000000002)", 8 * MIN, 29 * MIN, 12, { component: "kubelet", host: "worker-1" }),
  ev("web-1.1887a0000000003", podRef, "Warning", "NodeNotReady", "Node is not ready", 12 * MIN, 12 * MIN, 1, { component: "node-controller" }),
  ev("worker-1.1887a0000000004", nodeRefName, "Normal", "NodeReady", "Node worker-1 status is now: NodeReady", 10_000, 10_000, 1, { component: "kubelet", host: "worker-1" }),
  ev("worker-1.1887a0000000005", nodeRefUid, "Normal", "NodeNotReady", "Node worker-1 status is now: NodeNotReady", 12 * MIN, 12 * MIN, 1, { component: "node-controller" }),
];

const pods = [crashPod, runningPod, donePod];

describe("kubectl describe pod", () => {
  it("prints the header, init and app containers, conditions, volumes, tolerations and the pod's events", () => {
    const text = describeObject(crashPod as never, { nowMs: NOW, events: events as never, pods: pods as never });
    expect(text).toBe(POD_TEXT);
  });

  it("prints <none> for what a pending pod lacks (node, IPs, volumes, tolerations, events)", () => {
    // Checked against kubectl v1.32.4 describing the same object (stub API server, TZ=UTC).
    const pending = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "shop", creationTimestamp: ts(2 * MIN) }, spec: { containers: [{ name: "api", image: "api:2" }] }, status: { phase: "Pending", qosClass: "BestEffort" } };
    expect(describeObject(pending as never, { nowMs: NOW, events: [] })).toBe(
      [
        "Name:         p",
        "Namespace:    shop",
        "Node:         <none>",
        "Labels:       <none>",
        "Annotations:  <none>",
        "Status:       Pending",
        "IP:           ",
        "IPs:          <none>",
        "Containers:",
        "  api:",
        "    Image:        api:2",
        "    Port:         <none>",
        "    Host Port:    <none>",
        "    Environment:  <none>",
        "    Mounts:       <none>",
        "Volumes:          <none>",
        "QoS Class:        BestEffort",
        "Node-Selectors:   <none>",
        "Tolerations:      <none>",
        "Events:           <none>",
        "",
      ].join("\n"),
    );
  });

  it("ages repeated events as 'last (xN over first)'", () => {
    // Pulled: first 00:01:05, last 00:27:00, now 00:30:00: HumanDuration(3m) = "3m", (28m55s) = "28m".
    expect(describeObject(crashPod as never, { nowMs: NOW, events: events as never }).includes("3m (x4 over 28m)")).toBe(true);
    expect(humanDuration(28 * MIN + 55_000)).toBe("28m");
  });
});

describe("kubectl describe node", () => {
  it("prints lease, conditions, capacity, the non-terminated pods with their share of allocatable, and events by uid and by name", () => {
    // web-1: requests cpu 250m x 2 = 500m of 4 = 12.5% -> 12%; memory 256Mi x 2 = 512Mi of 16Gi = 3.125% -> 3%;
    // limits memory 512Mi x 2 = 1Gi -> 6%. api-7: cpu 1 -> 25%, limit 2 -> 50%. Totals 1500m -> 37%, 1536Mi -> 9%.
    // job-x has Succeeded: not listed.
    const text = describeObject(nodeA as never, { nowMs: NOW, events: events as never, pods: pods as never, lease: lease as never });
    expect(text).toBe(NODE_TEXT);
  });

  it("omits the Lease section without a lease and prints Roles: <none> without role labels", () => {
    const bare = { ...nodeA, metadata: { ...nodeA.metadata, labels: {} } };
    const text = describeObject(bare as never, { nowMs: NOW, events: [], pods: [] });
    expect(text).not.toContain("Lease:");
    expect(text).toContain("Roles:              <none>\n");
    expect(text).toContain("Non-terminated Pods:          (0 in total)\n");
  });
});

describe("other kinds", () => {
  it("use the generic layout: kubectl's header fields, the fields as YAML, stated as such, and the events", () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "default", creationTimestamp: ts(0) }, data: { a: "1" } };
    expect(describeObject(cm as never, { nowMs: NOW, events: [] })).toBe(
      "Name:         cfg\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\nAPI Version:  v1\nKind:         ConfigMap\n" +
        "(k8sim: kubectl's field-by-field layout for this kind is not reproduced; the object's fields as YAML)\n" +
        'data:\n  a: "1"\n' +
        "Events:  <none>\n",
    );
  });
});

const POD_TEXT = `Name:                      web-1
Namespace:                 default
Priority:                  0
Service Account:           default
Node:                      worker-1/10.0.0.2
Start Time:                Thu, 01 Jan 2026 00:01:02 +0000
Labels:                    app=web
                           pod-template-hash=5d4f8c9b7
Annotations:               k8sim.dev/note: fixture
Status:                    Terminating (lasts 5m)
Termination Grace Period:  30s
IP:                        10.128.0.7
IPs:
  IP:           10.128.0.7
Controlled By:  ReplicaSet/web-5d4f8c9b7
Init Containers:
  init-db:
    Container ID:  
    Image:         busybox:1.36
    Image ID:      
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      until nc -z db 5432; do sleep 1; done
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Thu, 01 Jan 2026 00:01:02 +0000
      Finished:     Thu, 01 Jan 2026 00:01:04 +0000
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Containers:
  app:
    Container ID:  
    Image:         nginx:1.27
    Image ID:      
    Port:          80/TCP
    Host Port:     0/TCP
    Args:
      --port
      80
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Thu, 01 Jan 2026 00:27:00 +0000
      Finished:     Thu, 01 Jan 2026 00:28:00 +0000
    Ready:          False
    Restart Count:  3
    Limits:
      memory:  512Mi
    Requests:
      cpu:     250m
      memory:  256Mi
    Environment:
      MODE:  prod
    Mounts:
      /data from data (rw)
  sidecar:
    Container ID:   
    Image:          nginx:1.27
    Image ID:       
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      Thu, 01 Jan 2026 00:01:06 +0000
    Ready:          True
    Restart Count:  0
    Limits:
      memory:  512Mi
    Requests:
      cpu:        250m
      memory:     256Mi
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type              Status
  Initialized       True 
  Ready             False 
  ContainersReady   False 
  PodScheduled      True 
Volumes:
  data:
    Type:        EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:      
    SizeLimit:   <unset>
QoS Class:       Burstable
Node-Selectors:  topology.kubernetes.io/zone=zone-a
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason        Age                 From             Message
  ----     ------        ----                ----             -------
  Warning  NodeNotReady  18m                 node-controller  Node is not ready
  Normal   Pulled        3m (x4 over 28m)    kubelet          Container image "nginx:1.27" already present on machine
  Warning  BackOff       60s (x12 over 22m)  kubelet          Back-off restarting failed container app in pod web-1_default(22222222-aaaa-4bbb-8ccc-000000000002)
`;

const NODE_TEXT = `Name:               worker-1
Roles:              worker
Labels:             kubernetes.io/hostname=worker-1
                    node-role.kubernetes.io/worker=
                    topology.kubernetes.io/zone=zone-a
Annotations:        <none>
CreationTimestamp:  Thu, 01 Jan 2026 00:00:00 +0000
Taints:             node.kubernetes.io/unreachable:NoExecute
                    node.kubernetes.io/unreachable:NoSchedule
Unschedulable:      true
Lease:
  HolderIdentity:  worker-1
  AcquireTime:     <unset>
  RenewTime:       Thu, 01 Jan 2026 00:11:50 +0000
Conditions:
  Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
  ----             ------    -----------------                 ------------------                ------              -------
  Ready            Unknown   Thu, 01 Jan 2026 00:11:00 +0000   Thu, 01 Jan 2026 00:12:00 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
  MemoryPressure   Unknown   Thu, 01 Jan 2026 00:11:00 +0000   Thu, 01 Jan 2026 00:12:00 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
Addresses:
  InternalIP:  10.0.0.2
  Hostname:    worker-1
Capacity:
  cpu:                4
  ephemeral-storage:  100Gi
  memory:             16Gi
  pods:               110
Allocatable:
  cpu:                4
  ephemeral-storage:  100Gi
  memory:             16Gi
  pods:               110
System Info:
  Machine ID:                 
  System UUID:                
  Boot ID:                    
  Kernel Version:             
  OS Image:                   
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  k8sim://0.1.0
  Kubelet Version:            v1.32.0
  Kube-Proxy Version:         
PodCIDR:                      10.128.0.0/24
PodCIDRs:                     10.128.0.0/24
Non-terminated Pods:          (2 in total)
  Namespace                   Name     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----     ------------  ----------  ---------------  -------------  ---
  default                     web-1    500m (12%)    0 (0%)      512Mi (3%)       1Gi (6%)       29m
  shop                        api-7    1 (25%)       2 (50%)     1Gi (6%)         2Gi (12%)      28m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests     Limits
  --------           --------     ------
  cpu                1500m (37%)  2 (50%)
  memory             1536Mi (9%)  3Gi (18%)
  ephemeral-storage  0 (0%)       0 (0%)
Events:
  Type    Reason        Age   From             Message
  ----    ------        ----  ----             -------
  Normal  NodeReady     29m   kubelet          Node worker-1 status is now: NodeReady
  Normal  NodeNotReady  18m   node-controller  Node worker-1 status is now: NodeNotReady
`;

describe("kubectl describe deployment / replicaset", () => {
  // The objects of scenarios/drain.yaml at 5m (after its rollout to nginx:1.28), the expected texts checked
  // against kubectl v1.32.4 describing the same objects (identical but for the absolute times kubectl printed).
  const deployment = {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"},"namespace":"default","uid":"8db59bde-2547-4166-80c6-486dbfe1352f","creationTimestamp":"2026-01-01T00:00:00Z","generation":2,"resourceVersion":"192"},"spec":{"replicas":6,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.28","resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"memory":"256Mi"}},"imagePullPolicy":"IfNotPresent","terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","terminationGracePeriodSeconds":30,"securityContext":{},"schedulerName":"default-scheduler"}},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},"revisionHistoryLimit":10,"progressDeadlineSeconds":600},"status":{"observedGeneration":2,"replicas":6,"updatedReplicas":6,"readyReplicas":6,"availableReplicas":6,"unavailableReplicas":0,"conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable","message":"Deployment has minimum availability.","lastUpdateTime":"2026-01-01T00:02:04Z","lastTransitionTime":"2026-01-01T00:02:02Z"},{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable","message":"ReplicaSet \"web-6f9795f869\" has successfully progressed.","lastUpdateTime":"2026-01-01T00:02:04Z","lastTransitionTime":"2026-01-01T00:00:00Z"}]}};
  const replicaSets = [{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-57f79897c6","namespace":"default","labels":{"app":"web","pod-template-hash":"57f79897c6"},"annotations":{"deployment.kubernetes.io/revision":"1"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"8db59bde-2547-4166-80c6-486dbfe1352f","controller":true,"blockOwnerDeletion":true}],"uid":"5ea12d31-9f96-4274-bd15-b76ac941b7c9","creationTimestamp":"2026-01-01T00:00:00Z","generation":4,"resourceVersion":"191"},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"web","pod-template-hash":"57f79897c6"}},"template":{"metadata":{"labels":{"app":"web","pod-template-hash":"57f79897c6"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27","resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"memory":"256Mi"}},"imagePullPolicy":"IfNotPresent","terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","terminationGracePeriodSeconds":30,"securityContext":{},"schedulerName":"default-scheduler"}}},"status":{"replicas":0,"fullyLabeledReplicas":0,"readyReplicas":0,"availableReplicas":0,"observedGeneration":4}},{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-6f9795f869","namespace":"default","labels":{"app":"web","pod-template-hash":"6f9795f869"},"annotations":{"deployment.kubernetes.io/revision":"2"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"8db59bde-2547-4166-80c6-486dbfe1352f","controller":true,"blockOwnerDeletion":true}],"uid":"86ada911-bbcc-42c5-b4fd-b3b1d06e79e7","creationTimestamp":"2026-01-01T00:02:00Z","generation":3,"resourceVersion":"185"},"spec":{"replicas":6,"selector":{"matchLabels":{"app":"web","pod-template-hash":"6f9795f869"}},"template":{"metadata":{"labels":{"app":"web","pod-template-hash":"6f9795f869"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.28","resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"memory":"256Mi"}},"imagePullPolicy":"IfNotPresent","terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","terminationGracePeriodSeconds":30,"securityContext":{},"schedulerName":"default-scheduler"}}},"status":{"replicas":6,"fullyLabeledReplicas":6,"readyReplicas":6,"availableReplicas":6,"observedGeneration":3}}];
  const rsPods = [{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-6f9795f869-bcwn5","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-6f9795f869","uid":"86ada911-bbcc-42c5-b4fd-b3b1d06e79e7","controller":true,"blockOwnerDeletion":true}]},"spec":{"containers":[]},"status":{"phase":"Running"}},{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-6f9795f869-px4sj","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-6f9795f869","uid":"86ada911-bbcc-42c5-b4fd-b3b1d06e79e7","controller":true,"blockOwnerDeletion":true}]},"spec":{"containers":[]},"status":{"phase":"Running"}},{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-6f9795f869-rsz6q","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-6f9795f869","uid":"86ada911-bbcc-42c5-b4fd-b3b1d06e79e7","controller":true,"blockOwnerDeletion":true}]},"spec":{"containers":[]},"status":{"phase":"Running"}},{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-6f9795f869-svtk4","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-6f9795f869","uid":"86ada911-bbcc-42c5-b4fd-b3b1d06e79e7","controller":true,"blockOwnerDeletion":true}]},"spec":{"containers":[]},"status":{"phase":"Running"}},{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-6f9795f869-vngcr","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-6f9795f869","uid":"86ada911-bbcc-42c5-b4fd-b3b1d06e79e7","controller":true,"blockOwnerDeletion":true}]},"spec":{"containers":[]},"status":{"phase":"Running"}},{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-6f9795f869-w5xv7","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-6f9795f869","uid":"86ada911-bbcc-42c5-b4fd-b3b1d06e79e7","controller":true,"blockOwnerDeletion":true}]},"spec":{"containers":[]},"status":{"phase":"Running"}}];
  const DEPLOY_TEXT = "Name:                   web\nNamespace:              default\nCreationTimestamp:      Thu, 01 Jan 2026 00:00:00 +0000\nLabels:                 app=web\nAnnotations:            <none>\nSelector:               app=web\nReplicas:               6 desired | 6 updated | 6 total | 6 available | 0 unavailable\nStrategyType:           RollingUpdate\nMinReadySeconds:        0\nRollingUpdateStrategy:  25% max unavailable, 25% max surge\nPod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n    Image:      nginx:1.28\n    Port:       <none>\n    Host Port:  <none>\n    Limits:\n      memory:  256Mi\n    Requests:\n      cpu:         250m\n      memory:      256Mi\n    Environment:   <none>\n    Mounts:        <none>\n  Volumes:         <none>\n  Node-Selectors:  <none>\n  Tolerations:     <none>\nConditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Available      True    MinimumReplicasAvailable\n  Progressing    True    NewReplicaSetAvailable\nOldReplicaSets:  web-57f79897c6 (0/0 replicas created)\nNewReplicaSet:   web-6f9795f869 (6/6 replicas created)\nEvents:          <none>\n";
  const RS_TEXT = "Name:           web-6f9795f869\nNamespace:      default\nSelector:       app=web,pod-template-hash=6f9795f869\nLabels:         app=web\n                pod-template-hash=6f9795f869\nAnnotations:    deployment.kubernetes.io/revision: 2\nControlled By:  Deployment/web\nReplicas:       6 current / 6 desired\nPods Status:    6 Running / 0 Waiting / 0 Succeeded / 0 Failed\nPod Template:\n  Labels:  app=web\n           pod-template-hash=6f9795f869\n  Containers:\n   nginx:\n    Image:      nginx:1.28\n    Port:       <none>\n    Host Port:  <none>\n    Limits:\n      memory:  256Mi\n    Requests:\n      cpu:         250m\n      memory:      256Mi\n    Environment:   <none>\n    Mounts:        <none>\n  Volumes:         <none>\n  Node-Selectors:  <none>\n  Tolerations:     <none>\nEvents:            <none>\n";
  const now = Date.parse("2026-01-01T00:05:00Z");

  it("prints replicas, strategy, the pod template, conditions and the old and new replica sets", () => {
    expect(describeObject(deployment as never, { nowMs: now, events: [], replicaSets: replicaSets as never })).toBe(DEPLOY_TEXT);
    expect(DEPLOY_TEXT).toContain("NewReplicaSet:   web-6f9795f869 (6/6 replicas created)\n");
  });

  it("counts the pods a replica set controls by phase", () => {
    const text = describeObject(replicaSets[1] as never, { nowMs: now, events: [], pods: rsPods as never });
    expect(text).toBe(RS_TEXT);
    expect(text).toContain("Pods Status:    6 Running / 0 Waiting / 0 Succeeded / 0 Failed\n");
  });
});

describe("kubectl describe service", () => {
  // scenarios/node-failure.yaml's web Service at 6m, worker-1 unreachable: its two endpoints there are not ready
  // and left out, so Endpoints shows 3 of the 4 ready ones "+ 1 more..." (checked against kubectl v1.32.4).
  const service = {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default","uid":"5ea12d31-9f96-4274-bd15-b76ac941b7c9","creationTimestamp":"2026-01-01T00:00:00Z","generation":1,"resourceVersion":"23"},"spec":{"selector":{"app":"web"},"ports":[{"port":80,"protocol":"TCP","targetPort":80}],"sessionAffinity":"None","type":"ClusterIP","internalTrafficPolicy":"Cluster","ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"],"clusterIP":"10.108.212.35","clusterIPs":["10.108.212.35"]},"status":{"loadBalancer":{}}};
  const slices = [{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"kubernetes","namespace":"default","labels":{"kubernetes.io/service-name":"kubernetes"},"uid":"4546e54a-a5d3-46e1-92b5-b68ac59ea928","creationTimestamp":"2026-01-01T00:00:00Z","generation":1,"resourceVersion":"7"},"addressType":"IPv4","endpoints":[{"addresses":["172.16.0.2"],"conditions":{"ready":true}}],"ports":[{"name":"https","port":6443,"protocol":"TCP"}]},{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"web-cd9p8","generateName":"web-","namespace":"default","labels":{"kubernetes.io/service-name":"web","endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io"},"ownerReferences":[{"apiVersion":"v1","kind":"Service","name":"web","uid":"5ea12d31-9f96-4274-bd15-b76ac941b7c9","controller":true,"blockOwnerDeletion":true}],"annotations":{"endpoints.kubernetes.io/last-change-trigger-time":"2026-01-01T00:05:50Z"},"uid":"4906a0ad-6802-4c9a-bb29-613b7604618d","creationTimestamp":"2026-01-01T00:00:00Z","generation":1,"resourceVersion":"174"},"addressType":"IPv4","endpoints":[{"addresses":["10.128.1.2"],"conditions":{"ready":true,"serving":true,"terminating":false},"targetRef":{"kind":"Pod","namespace":"default","name":"web-779fcd75b9-zdxvc","uid":"25e0d77d-fa03-4986-85c6-942138a1068b"},"nodeName":"worker-2","zone":"zone-a"},{"addresses":["10.128.2.2"],"conditions":{"ready":true,"serving":true,"terminating":false},"targetRef":{"kind":"Pod","namespace":"default","name":"web-779fcd75b9-dwltw","uid":"da9e7815-f921-48ce-8ba3-fd34040c2e01"},"nodeName":"worker-3","zone":"zone-a"},{"addresses":["10.128.0.2"],"conditions":{"ready":false,"serving":false,"terminating":false},"targetRef":{"kind":"Pod","namespace":"default","name":"web-779fcd75b9-bhtvn","uid":"297e6c34-c96f-43d8-a5de-e432f303c204"},"nodeName":"worker-1","zone":"zone-a"},{"addresses":["10.128.1.3"],"conditions":{"ready":true,"serving":true,"terminating":false},"targetRef":{"kind":"Pod","namespace":"default","name":"web-779fcd75b9-s97w4","uid":"4d27955a-2d21-4668-8993-4ddf21ea08a6"},"nodeName":"worker-2","zone":"zone-a"},{"addresses":["10.128.2.3"],"conditions":{"ready":true,"serving":true,"terminating":false},"targetRef":{"kind":"Pod","namespace":"default","name":"web-779fcd75b9-6szq4","uid":"0818b5f3-0ab4-4b19-a1cf-66406253ae3b"},"nodeName":"worker-3","zone":"zone-a"},{"addresses":["10.128.0.3"],"conditions":{"ready":false,"serving":false,"terminating":false},"targetRef":{"kind":"Pod","namespace":"default","name":"web-779fcd75b9-5gklw","uid":"a9bd5b25-0f3b-4652-8d3b-7b8305e4b625"},"nodeName":"worker-1","zone":"zone-a"}],"ports":[{"name":"","port":80,"protocol":"TCP"}]}];
  const SVC_TEXT = "Name:                     web\nNamespace:                default\nLabels:                   <none>\nAnnotations:              <none>\nSelector:                 app=web\nType:                     ClusterIP\nIP Family Policy:         SingleStack\nIP Families:              IPv4\nIP:                       10.108.212.35\nIPs:                      10.108.212.35\nPort:                     <unset>  80/TCP\nTargetPort:               80/TCP\nEndpoints:                10.128.1.2:80,10.128.2.2:80,10.128.1.3:80 + 1 more...\nSession Affinity:         None\nInternal Traffic Policy:  Cluster\nEvents:                   <none>\n";

  it("prints the Service with its ready endpoints from its EndpointSlices", () => {
    const text = describeObject(service as never, { nowMs: Date.parse("2026-01-01T00:06:00Z"), events: [], endpointSlices: slices as never });
    expect(text).toBe(SVC_TEXT);
    expect(text).toContain("Endpoints:                10.128.1.2:80,10.128.2.2:80,10.128.1.3:80 + 1 more...\n");
  });
});

describe("kubectl describe job", () => {
  // scenarios/job-retries.yaml's failing Job at 5m (checked against kubectl v1.32.4: identical but for the
  // absolute times kubectl printed at its own clock).
  const job = {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"flaky-import","namespace":"default","labels":{"app":"flaky-import"},"uid":"f523b7ab-0771-4ef1-9164-3f69d738c4b2","creationTimestamp":"2026-01-01T00:00:00Z","generation":1,"resourceVersion":"134"},"spec":{"backoffLimit":2,"completions":1,"parallelism":1,"completionMode":"NonIndexed","suspend":false,"podReplacementPolicy":"TerminatingOrFailed","manualSelector":false,"template":{"metadata":{"labels":{"app":"flaky-import","job-name":"flaky-import","batch.kubernetes.io/job-name":"flaky-import","controller-uid":"f523b7ab-0771-4ef1-9164-3f69d738c4b2","batch.kubernetes.io/controller-uid":"f523b7ab-0771-4ef1-9164-3f69d738c4b2"}},"spec":{"restartPolicy":"Never","containers":[{"name":"import","image":"busybox:1.36","command":["sh","-c","exit 1"],"imagePullPolicy":"IfNotPresent","terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","terminationGracePeriodSeconds":30,"securityContext":{},"schedulerName":"default-scheduler"}},"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"f523b7ab-0771-4ef1-9164-3f69d738c4b2"}}},"status":{"startTime":"2026-01-01T00:00:00Z","active":0,"ready":0,"terminating":0,"uncountedTerminatedPods":{},"failed":3,"conditions":[{"type":"FailureTarget","status":"True","lastProbeTime":"2026-01-01T00:00:43Z","lastTransitionTime":"2026-01-01T00:00:43Z","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"},{"type":"Failed","status":"True","lastProbeTime":"2026-01-01T00:00:43Z","lastTransitionTime":"2026-01-01T00:00:43Z","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"}]}};
  const jobEvents = [{"apiVersion":"v1","kind":"Event","metadata":{"name":"flaky-import.18867251edfa0000","namespace":"default","creationTimestamp":"2026-01-01T00:00:00Z"},"involvedObject":{"kind":"Job","name":"flaky-import","namespace":"default","uid":"f523b7ab-0771-4ef1-9164-3f69d738c4b2","apiVersion":"batch/v1"},"reason":"SuccessfulCreate","message":"Created pod: flaky-import-d9p8k","source":{"component":"job-controller"},"firstTimestamp":"2026-01-01T00:00:00Z","lastTimestamp":"2026-01-01T00:00:00Z","count":1,"type":"Normal","eventTime":null,"reportingComponent":"job-controller","reportingInstance":""},{"apiVersion":"v1","kind":"Event","metadata":{"name":"flaky-import.1886725530710c00","namespace":"default","creationTimestamp":"2026-01-01T00:00:14Z"},"involvedObject":{"kind":"Job","name":"flaky-import","namespace":"default","uid":"f523b7ab-0771-4ef1-9164-3f69d738c4b2","apiVersion":"batch/v1"},"reason":"SuccessfulCreate","message":"Created pod: flaky-import-szq4b","source":{"component":"job-controller"},"firstTimestamp":"2026-01-01T00:00:14Z","lastTimestamp":"2026-01-01T00:00:14Z","count":1,"type":"Normal","eventTime":null,"reportingComponent":"job-controller","reportingInstance":""},{"apiVersion":"v1","kind":"Event","metadata":{"name":"flaky-import.1886725ac6f3fc00","namespace":"default","creationTimestamp":"2026-01-01T00:00:38Z"},"involvedObject":{"kind":"Job","name":"flaky-import","namespace":"default","uid":"f523b7ab-0771-4ef1-9164-3f69d738c4b2","apiVersion":"batch/v1"},"reason":"SuccessfulCreate","message":"Created pod: flaky-import-cz5vj","source":{"component":"job-controller"},"firstTimestamp":"2026-01-01T00:00:38Z","lastTimestamp":"2026-01-01T00:00:38Z","count":1,"type":"Normal","eventTime":null,"reportingComponent":"job-controller","reportingInstance":""},{"apiVersion":"v1","kind":"Event","metadata":{"name":"flaky-import.1886725bf0f9ee00","namespace":"default","creationTimestamp":"2026-01-01T00:00:43Z"},"involvedObject":{"kind":"Job","name":"flaky-import","namespace":"default","uid":"f523b7ab-0771-4ef1-9164-3f69d738c4b2","apiVersion":"batch/v1"},"reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit","source":{"component":"job-controller"},"firstTimestamp":"2026-01-01T00:00:43Z","lastTimestamp":"2026-01-01T00:00:43Z","count":1,"type":"Warning","eventTime":null,"reportingComponent":"job-controller","reportingInstance":""}];
  const JOB_TEXT = "Name:             flaky-import\nNamespace:        default\nSelector:         batch.kubernetes.io/controller-uid=f523b7ab-0771-4ef1-9164-3f69d738c4b2\nLabels:           app=flaky-import\nAnnotations:      <none>\nParallelism:      1\nCompletions:      1\nCompletion Mode:  NonIndexed\nSuspend:          false\nBackoff Limit:    2\nStart Time:       Thu, 01 Jan 2026 00:00:00 +0000\nPods Statuses:    0 Active (0 Ready) / 0 Succeeded / 3 Failed\nPod Template:\n  Labels:  app=flaky-import\n           batch.kubernetes.io/controller-uid=f523b7ab-0771-4ef1-9164-3f69d738c4b2\n           batch.kubernetes.io/job-name=flaky-import\n           controller-uid=f523b7ab-0771-4ef1-9164-3f69d738c4b2\n           job-name=flaky-import\n  Containers:\n   import:\n    Image:      busybox:1.36\n    Port:       <none>\n    Host Port:  <none>\n    Command:\n      sh\n      -c\n      exit 1\n    Environment:   <none>\n    Mounts:        <none>\n  Volumes:         <none>\n  Node-Selectors:  <none>\n  Tolerations:     <none>\nEvents:\n  Type     Reason                Age    From            Message\n  ----     ------                ----   ----            -------\n  Normal   SuccessfulCreate      5m     job-controller  Created pod: flaky-import-d9p8k\n  Normal   SuccessfulCreate      4m46s  job-controller  Created pod: flaky-import-szq4b\n  Normal   SuccessfulCreate      4m22s  job-controller  Created pod: flaky-import-cz5vj\n  Warning  BackoffLimitExceeded  4m17s  job-controller  Job has reached the specified backoff limit\n";

  it("prints the Job's settings, pod counts, template and events", () => {
    const text = describeObject(job as never, { nowMs: Date.parse("2026-01-01T00:05:00Z"), events: jobEvents as never });
    expect(text).toBe(JOB_TEXT);
    expect(text).toContain("Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 3 Failed\n");
  });
});
