/**
 * `k8sim get`'s printing: kubectl v1.32's AGE durations, printPod's READY / STATUS / RESTARTS, the kinds' columns,
 * the tabwriter layout, -o yaml / json / name and the empty-listing message, and field selectors. Layouts and the
 * yaml / json texts were checked against kubectl v1.32.4 (a stub API server serving these objects, and the
 * server-side Table built from these cells; `kubectl create configmap --dry-run=client -o yaml` for YAML quoting).
 */
import { describe, expect, it } from "vitest";
import { humanDuration } from "../src/inspect/print/human-duration.js";
import { matchFieldSelector, printObjects } from "../src/inspect/print/index.js";
import { podStatusCells } from "../src/inspect/print/pod-row.js";
import { goYaml } from "../src/inspect/print/go-yaml.js";

const START = Date.parse("2026-01-01T00:00:00Z");
const MIN = 60_000;
const ts = (ms: number) => new Date(START + ms).toISOString().replace(".000Z", "Z");
const NOW = START + 30 * MIN;

type Obj = Record<string, unknown>;
/** A pod builder: `pod("web-1").containers(...).status(...)`. */
function pod(name: string, spec: Obj = {}, status: Obj = {}, meta: Obj = {}): Obj {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", creationTimestamp: ts(0), ...meta },
    spec: { containers: [{ name: "app", image: "nginx" }], ...spec },
    status: { phase: "Running", ...status },
  };
}
const running = (ready = true, restartCount = 0, extra: Obj = {}) => ({ name: "app", image: "nginx", ready, restartCount, state: { running: { startedAt: ts(MIN) } }, ...extra });
const waiting = (reason: string, restartCount = 0, extra: Obj = {}) => ({ name: "app", image: "nginx", ready: false, restartCount, state: { waiting: { reason } }, ...extra });
const terminated = (reason: string, exitCode: number, name = "app") => ({ name, image: "nginx", ready: false, restartCount: 0, state: { terminated: { reason, exitCode, finishedAt: ts(2 * MIN) } } });

describe("AGE: duration.HumanDuration", () => {
  // The cases of apimachinery's duration_test.go.
  it.each([
    [1_000, "1s"],
    [70_000, "70s"],
    [190_000, "3m10s"],
    [70 * MIN, "70m"],
    [47 * 60 * MIN, "47h"],
    [49 * 60 * MIN, "2d1h"],
    [(8 * 24 + 2) * 60 * MIN, "8d"],
    [367 * 24 * 60 * MIN, "367d"],
    [(365 * 2 * 24 + 25) * 60 * MIN, "2y1d"],
    [(365 * 8 * 24 + 2) * 60 * MIN, "8y"],
    [-1_500, "0s"],
    [-3_000, "<invalid>"],
  ])("%d ms is %s", (ms, want) => expect(humanDuration(ms)).toBe(want));
});

describe("pods: READY, STATUS and RESTARTS as printPod computes them", () => {
  const initC = { initContainers: [{ name: "init", image: "busybox" }] };
  it.each<[string, Obj, string, string, string]>([
    ["a running ready container", pod("a", {}, { containerStatuses: [running()] }), "1/1", "Running", "0"],
    ["a pod not yet scheduled", pod("a", {}, { phase: "Pending" }), "0/1", "Pending", "0"],
    ["a container being created", pod("a", {}, { phase: "Pending", containerStatuses: [waiting("ContainerCreating")] }), "0/1", "ContainerCreating", "0"],
    // lastState finished at 28m, --at 30m: "3 (2m ago)".
    ["a crash loop", pod("a", {}, { containerStatuses: [waiting("CrashLoopBackOff", 3, { lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ts(28 * MIN) } } })] }), "0/1", "CrashLoopBackOff", "3 (2m ago)"],
    ["an init container running", pod("a", initC, { phase: "Pending", initContainerStatuses: [{ ...running(false), name: "init" }], containerStatuses: [waiting("PodInitializing")] }), "0/1", "Init:0/1", "0"],
    ["an init container crash-looping", pod("a", initC, { phase: "Pending", initContainerStatuses: [{ ...waiting("CrashLoopBackOff", 2), name: "init" }] }), "0/1", "Init:CrashLoopBackOff", "2"],
    ["an init container failed", pod("a", initC, { phase: "Pending", initContainerStatuses: [terminated("Error", 1, "init")] }), "0/1", "Init:Error", "0"],
    ["init done, app waiting", pod("a", initC, { phase: "Pending", initContainerStatuses: [terminated("Completed", 0, "init")], containerStatuses: [waiting("PodInitializing")] }), "0/1", "PodInitializing", "0"],
    ["a finished pod", pod("a", {}, { phase: "Succeeded", containerStatuses: [terminated("Completed", 0)] }), "0/1", "Completed", "0"],
    ["a failed pod", pod("a", {}, { phase: "Failed", containerStatuses: [terminated("Error", 2)] }), "0/1", "Error", "0"],
    ["an OOM kill", pod("a", {}, { phase: "Failed", containerStatuses: [terminated("OOMKilled", 137)] }), "0/1", "OOMKilled", "0"],
    ["a terminated container without reason", pod("a", {}, { containerStatuses: [{ ...terminated("", 3) }] }), "0/1", "ExitCode:3", "0"],
    ["a pod being deleted", pod("a", {}, { containerStatuses: [running()] }, { deletionTimestamp: ts(29 * MIN) }), "1/1", "Terminating", "0"],
    ["a pod deleted on a lost node", pod("a", {}, { reason: "NodeLost", containerStatuses: [running()] }, { deletionTimestamp: ts(29 * MIN) }), "1/1", "Unknown", "0"],
    ["a deleted pod that already finished", pod("a", {}, { phase: "Succeeded", containerStatuses: [terminated("Completed", 0)] }, { deletionTimestamp: ts(29 * MIN) }), "0/1", "Completed", "0"],
    // Two containers, the second completed, the first still running: Completed becomes NotReady without Ready=True.
    ["one container completed, one running, not ready", pod("a", { containers: [{ name: "app", image: "x" }, { name: "b", image: "y" }] }, { containerStatuses: [running(true), terminated("Completed", 0, "b")] }), "1/2", "NotReady", "0"],
    ["a sidecar counts in READY", pod("a", { initContainers: [{ name: "proxy", image: "envoy", restartPolicy: "Always" }] }, { conditions: [{ type: "Initialized", status: "True" }], initContainerStatuses: [{ ...running(true), name: "proxy", started: true }], containerStatuses: [running()] }), "2/2", "Running", "0"],
    ["a scheduling gate", pod("a", {}, { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }] }), "0/1", "SchedulingGated", "0"],
  ])("%s", (_what, p, ready, status, restarts) => {
    expect(podStatusCells(p as never, NOW)).toEqual({ ready, status, restarts });
  });
});

describe("get tables", () => {
  const pods = [
    pod("web-1", { nodeName: "worker-1" }, { podIP: "10.128.0.7", podIPs: [{ ip: "10.128.0.7" }], containerStatuses: [running()] }, { creationTimestamp: ts(MIN) }),
    pod("web-22", {}, { phase: "Pending" }, { namespace: "shop", creationTimestamp: ts(25 * MIN), labels: { app: "web", tier: "front" } }),
  ];
  it("pods -o wide -A: NAMESPACE first, columns 3 spaces apart (min width 6), the last column unpadded", () => {
    expect(printObjects("Pod", pods as never, { nowMs: NOW, output: "wide", allNamespaces: true })).toEqual({
      out:
        "NAMESPACE   NAME     READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   READINESS GATES\n" +
        "default     web-1    1/1     Running   0          29m   10.128.0.7   worker-1   <none>           <none>\n" +
        "shop        web-22   0/1     Pending   0          5m    <none>       <none>     <none>           <none>\n",
      err: "",
    });
  });

  it("--show-labels, --show-kind and --no-headers", () => {
    expect(printObjects("Pod", pods as never, { nowMs: NOW, output: "", allNamespaces: false, namespace: "default", showLabels: true, showKind: true, noHeaders: true }).out).toBe(
      "pod/web-1    1/1   Running   0     29m   <none>\n" + "pod/web-22   0/1   Pending   0     5m    app=web,tier=front\n",
    );
  });

  it("nodes: STATUS from the Ready condition plus SchedulingDisabled, ROLES from node-role labels, no NAMESPACE even with -A", () => {
    const node = (name: string, ready: string, extra: Obj = {}, labels: Obj = {}) => ({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name, creationTimestamp: ts(0), labels },
      spec: extra,
      status: { capacity: {}, allocatable: {}, conditions: ready ? [{ type: "Ready", status: ready }] : [], addresses: [{ type: "InternalIP", address: "10.0.0.2" }], nodeInfo: { kubeletVersion: "v1.32.0" } },
    });
    const nodes = [node("a", "True", {}, { "node-role.kubernetes.io/control-plane": "" }), node("b", "Unknown", { unschedulable: true }), node("c", "")];
    expect(printObjects("Node", nodes as never, { nowMs: NOW, output: "", allNamespaces: true }).out).toBe(
      "NAME   STATUS                        ROLES           AGE   VERSION\n" +
        "a      Ready                         control-plane   30m   v1.32.0\n" +
        "b      NotReady,SchedulingDisabled   <none>          30m   v1.32.0\n" +
        "c      Unknown                       <none>          30m   v1.32.0\n",
    );
  });

  it("deployments, replica sets, services, jobs and config maps in their upstream columns", () => {
    const meta = { namespace: "default", creationTimestamp: ts(0) };
    const tmpl = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.27" }, { name: "log", image: "fluent" }] } };
    const dep = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", ...meta }, spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: tmpl }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    expect(printObjects("Deployment", [dep] as never, { nowMs: NOW, output: "wide", allNamespaces: false }).out).toBe(
      "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES              SELECTOR\n" + "web    2/3     3            2           30m   nginx,log    nginx:1.27,fluent   app=web\n",
    );
    const rs = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web-5d4f", ...meta }, spec: { replicas: 3, selector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["b", "a"] }] }, template: tmpl }, status: { replicas: 3, readyReplicas: 1 } };
    expect(printObjects("ReplicaSet", [rs] as never, { nowMs: NOW, output: "wide", allNamespaces: false }).out.split("\n")[1]).toBe("web-5d4f   3         3         1       30m   nginx,log    nginx:1.27,fluent   app=web,tier in (a,b)");
    const svc = (name: string, spec: Obj, status: Obj = {}) => ({ apiVersion: "v1", kind: "Service", metadata: { name, ...meta }, spec, status });
    const svcs = [
      svc("web", { type: "ClusterIP", clusterIPs: ["10.96.0.10"], ports: [{ port: 80, protocol: "TCP" }], selector: { app: "web" } }),
      svc("np", { type: "NodePort", clusterIPs: ["10.96.0.11"], ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }, { port: 53, nodePort: 30053, protocol: "UDP" }] }),
      svc("lb", { type: "LoadBalancer", clusterIPs: ["10.96.0.12"], ports: [{ port: 443, nodePort: 31443, protocol: "TCP" }] }),
      svc("ext", { type: "ExternalName", externalName: "db.example.com" }),
    ];
    expect(printObjects("Service", svcs as never, { nowMs: NOW, output: "", allNamespaces: false }).out).toBe(
      "NAME   TYPE           CLUSTER-IP   EXTERNAL-IP      PORT(S)                     AGE\n" +
        "web    ClusterIP      10.96.0.10   <none>           80/TCP                      30m\n" +
        "np     NodePort       10.96.0.11   <none>           80:30080/TCP,53:30053/UDP   30m\n" +
        "lb     LoadBalancer   10.96.0.12   <pending>        443:31443/TCP               30m\n" +
        "ext    ExternalName   <none>       db.example.com   <none>                      30m\n",
    );
    // Job: started at 10m, completed at 12m: DURATION 2m; completions 1/1.
    const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "pi", ...meta }, spec: { completions: 1, template: tmpl }, status: { succeeded: 1, startTime: ts(10 * MIN), completionTime: ts(12 * MIN), conditions: [{ type: "Complete", status: "True" }] } };
    expect(printObjects("Job", [job] as never, { nowMs: NOW, output: "", allNamespaces: false }).out).toBe("NAME   STATUS     COMPLETIONS   DURATION   AGE\npi     Complete   1/1           2m         30m\n");
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", ...meta }, data: { a: "1", b: "2" }, binaryData: { c: "AA==" } };
    expect(printObjects("ConfigMap", [cm] as never, { nowMs: NOW, output: "", allNamespaces: false }).out).toBe("NAME   DATA   AGE\ncfg    3      30m\n");
  });

  it("says No resources found on stderr, naming the namespace unless -A (even for a cluster-scoped kind, as kubectl does)", () => {
    expect(printObjects("Pod", [], { nowMs: NOW, output: "", allNamespaces: false, namespace: "shop" })).toEqual({ out: "", err: "No resources found in shop namespace.\n" });
    expect(printObjects("Namespace", [], { nowMs: NOW, output: "", allNamespaces: false, namespace: "default" })).toEqual({ out: "", err: "No resources found in default namespace.\n" });
    expect(printObjects("Pod", [], { nowMs: NOW, output: "", allNamespaces: true })).toEqual({ out: "", err: "No resources found\n" });
  });
});

describe("-o yaml, -o json, -o name", () => {
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "default" }, data: { b: "true" } };
  it("one object asked by name prints alone; otherwise a v1 List with resourceVersion \"\"", () => {
    expect(printObjects("ConfigMap", [cm] as never, { nowMs: NOW, output: "yaml", allNamespaces: false, singleRequested: true }).out).toBe('apiVersion: v1\ndata:\n  b: "true"\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: default\n');
    expect(printObjects("ConfigMap", [cm] as never, { nowMs: NOW, output: "yaml", allNamespaces: false }).out).toBe(
      'apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    b: "true"\n  kind: ConfigMap\n  metadata:\n    name: x\n    namespace: default\nkind: List\nmetadata:\n  resourceVersion: ""\n',
    );
    expect(printObjects("ConfigMap", [], { nowMs: NOW, output: "json", allNamespaces: false }).out).toBe('{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
  });

  it("json sorts keys and escapes <, > and & as Go does", () => {
    const o = { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "x" }, data: { msg: "a<b & c>d", "10": "x", "9": "y" } };
    expect(printObjects("ConfigMap", [o] as never, { nowMs: NOW, output: "json", allNamespaces: false, singleRequested: true }).out).toBe(
      '{\n    "apiVersion": "v1",\n    "data": {\n        "10": "x",\n        "9": "y",\n        "msg": "a\\u003cb \\u0026 c\\u003ed"\n    },\n    "kind": "ConfigMap",\n    "metadata": {\n        "name": "x"\n    }\n}\n',
    );
  });

  it("yaml quotes and folds strings as kubectl does (kubectl create configmap --dry-run=client -o yaml)", () => {
    const data = { a: "word ".repeat(30), b: "true", c: "123", d: "", e: "2026-01-01T00:00:00Z", f: "a: b", g: "x'y", h: "null", i: "1.5", j: "~", k: "-x", l: "@x", m: "y" };
    expect(goYaml({ apiVersion: "v1", data, kind: "ConfigMap", metadata: { creationTimestamp: null, name: "x" } })).toBe(
      [
        "apiVersion: v1",
        "data:",
        "  a: 'word word word word word word word word word word word word word word word word",
        "    word word word word word word word word word word word word word word '",
        '  b: "true"',
        '  c: "123"',
        '  d: ""',
        '  e: "2026-01-01T00:00:00Z"',
        "  f: 'a: b'",
        "  g: x'y",
        '  h: "null"',
        '  i: "1.5"',
        '  j: "~"',
        "  k: -x",
        "  l: '@x'",
        '  m: "y"',
        "kind: ConfigMap",
        "metadata:",
        "  creationTimestamp: null",
        "  name: x",
        "",
      ].join("\n"),
    );
  });

  it("-o name prints kind.group/name", () => {
    const d = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default" }, spec: {}, status: {} };
    expect(printObjects("Deployment", [d] as never, { nowMs: NOW, output: "name", allNamespaces: false }).out).toBe("deployment.apps/web\n");
    expect(printObjects("Pod", [pod("web-1")] as never, { nowMs: NOW, output: "name", allNamespaces: false }).out).toBe("pod/web-1\n");
  });
});

describe("field selectors", () => {
  const p = pod("web-1", { nodeName: "worker-1", restartPolicy: "Always" }, { phase: "Running" });
  it.each<[string, string, boolean]>([
    ["Pod", "spec.nodeName=worker-1", true],
    ["Pod", "spec.nodeName==worker-1,status.phase=Running", true],
    ["Pod", "spec.nodeName!=worker-1", false],
    ["Pod", "status.phase!=Succeeded,status.phase!=Failed", true],
    ["Pod", "metadata.name=web-1,metadata.namespace=default", true],
    ["Pod", "", true],
  ])("%s %s matches: %s", (kind, sel, want) => {
    const m = matchFieldSelector(kind, sel);
    expect(m.ok && m.matches(p as never)).toBe(want);
  });

  it("refuses a field the kind does not support, with the API server's words", () => {
    expect(matchFieldSelector("Pod", "spec.foo=bar")).toEqual({ ok: false, error: "field label not supported: spec.foo" });
    expect(matchFieldSelector("Node", "metadata.namespace=default")).toEqual({ ok: false, error: "field label not supported: metadata.namespace" });
    expect(matchFieldSelector("Deployment", "status.replicas=1")).toEqual({ ok: false, error: "field label not supported: status.replicas" });
    expect(matchFieldSelector("Pod", "nodeName")).toEqual({ ok: false, error: "invalid selector: 'nodeName'; can't understand 'nodeName'" });
  });

  it("nodes by spec.unschedulable, replica sets by status.replicas", () => {
    const n = { apiVersion: "v1", kind: "Node", metadata: { name: "a" }, spec: { unschedulable: true }, status: {} };
    const m = matchFieldSelector("Node", "spec.unschedulable=true");
    expect(m.ok && m.matches(n as never)).toBe(true);
    const rs = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "r", namespace: "default" }, spec: {}, status: { replicas: 0 } };
    const r = matchFieldSelector("ReplicaSet", "status.replicas=0");
    expect(r.ok && r.matches(rs as never)).toBe(true);
  });
});
