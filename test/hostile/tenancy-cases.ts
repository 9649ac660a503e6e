/**
 * Issue 9's hostile inputs (item 19, named "9 ..."): Service, ResourceQuota and LimitRange manifests the API server
 * refuses, each with upstream's message at the field's file:line:col, exit 2 and nothing written; the Service range
 * settings kube-apiserver refuses at start; and the delete action's propagationPolicy. The scenario is
 * batch-scenario.ts (the manifest from line 11).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { manifestCase } from "./batch-cases.js";
import { batchScenario } from "./batch-scenario.js";
import type { HostileCase } from "./cases.js";

const QTY = (v: number) => `resource.Quantity{i:resource.int64Amount{value:${v}, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"${v}", Format:"DecimalSI"}`;

const service = (spec: readonly string[]) => ["apiVersion: v1", "kind: Service", "metadata: {name: web}", "spec:", ...spec.map((l) => `  ${l}`)];

/** A scenario whose settings are `settings` (flow YAML) and whose one workload is a Service. */
function withSettings(settings: string): string {
  return batchScenario(service(["ports: [{port: 80}]"])).replace("  duration: 1m\n", `  duration: 1m\n  settings: ${settings}\n`);
}

const DEPLOYMENT = ["apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec:", "  selector: {matchLabels: {app: web}}", "  template:", "    metadata: {labels: {app: web}}", "    spec: {containers: [{name: c, image: nginx}]}"];

/** The cases, in the order. */
export const TENANCY_CASES: readonly HostileCase[] = [
  manifestCase(9, 19, "NodePort outside the range", service(["type: NodePort", "selector: {app: web}", "ports: [{port: 80, nodePort: 40000}]"]), "17:40", "Service/web: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767", "run", true),
  manifestCase(9, 19, "targetPort not an IANA service name", service(["ports: [{port: 80, targetPort: HTTP_1}]"]), "15:42", 'Service/web: spec.ports[0].targetPort: Invalid value: "HTTP_1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'),
  manifestCase(
    9,
    19,
    "container port name not an IANA service name",
    ["apiVersion: v1", "kind: Pod", "metadata: {name: p}", "spec:", "  containers: [{name: c, image: nginx, ports: [{name: http_port, containerPort: 80}]}]"],
    "15:63",
    'Pod/p: spec.containers[0].ports[0].name: Invalid value: "http_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
  ),
  manifestCase(9, 19, "Service port name not a DNS label", service(["ports: [{name: Web, port: 80}, {name: b, port: 81}]"]), "15:26", `Service/web: spec.ports[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`),
  manifestCase(9, 19, "clusterIP outside the service range", service(["clusterIP: 10.0.0.10", "ports: [{port: 80}]"]), "15:22", 'Service/web: spec.clusterIPs: Invalid value: []string{"10.0.0.10"}: failed to allocate IP 10.0.0.10: the provided IP (10.0.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/12', "validate"),
  manifestCase(9, 19, "headless NodePort", service(["type: NodePort", "clusterIP: None", "ports: [{port: 80}]"]), "16:22", `Service/web: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`),
  manifestCase(9, 19, "quota with an unknown resource name", ["apiVersion: v1", "kind: ResourceQuota", "metadata: {name: q}", "spec:", '  hard: {pods: "10", foo: "1"}'], "15:35", 'ResourceQuota/q: spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota', "run", true),
  manifestCase(9, 19, "LimitRange min above max", ["apiVersion: v1", "kind: LimitRange", "metadata: {name: l}", "spec:", "  limits:", "    - type: Container", '      min: {cpu: "2"}', '      max: {cpu: "1"}'], "17:26", `LimitRange/l: spec.limits[0].min[cpu]: Invalid value: ${QTY(2)}: min value 2 is greater than max value 1`),
  {
    name: "9 delete with an unknown propagationPolicy",
    item: 19,
    isolation: "in-process",
    setup: (ws) => writeFileSync(join(ws.dir, "batch.yaml"), batchScenario(DEPLOYMENT) + "  timeline:\n    - {at: 10s, action: delete, target: deployment/web, propagationPolicy: Cascade}\n"),
    argv: (ws) => ["run", join(ws.dir, "batch.yaml"), "--out", ws.out],
    expect: (r) =>
      r.code === 2 && /batch\.yaml:20:76: spec\.timeline\[0\]\.propagationPolicy: expected one of "Background", "Foreground", "Orphan"; got string "Cascade"/.test(r.err) ? [] : [`expected exit 2 naming propagationPolicy, got ${r.code}: ${r.err.slice(0, 300)}`],
  },
  {
    name: "9 serviceNodePortRange backwards",
    item: 19,
    isolation: "in-process",
    setup: (ws) => writeFileSync(join(ws.dir, "batch.yaml"), withSettings("{serviceNodePortRange: 32000-31000}")),
    argv: (ws) => ["run", join(ws.dir, "batch.yaml"), "--out", ws.out],
    expect: (r) =>
      r.code === 2 && /batch\.yaml:6:36: spec\.settings\.serviceNodePortRange: invalid port range "32000-31000"; expected FIRST-LAST/.test(r.err) ? [] : [`expected exit 2 naming serviceNodePortRange, got ${r.code}: ${r.err.slice(0, 300)}`],
  },
  {
    name: "9 serviceClusterIPRange larger than a /12",
    item: 19,
    isolation: "in-process",
    setup: (ws) => writeFileSync(join(ws.dir, "batch.yaml"), withSettings("{serviceClusterIPRange: 10.0.0.0/8}")),
    argv: (ws) => ["validate", join(ws.dir, "batch.yaml")],
    expect: (r) =>
      r.code === 2 && /batch\.yaml:6:37: spec\.settings\.serviceClusterIPRange: specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12/.test(r.err) ? [] : [`expected exit 2 naming serviceClusterIPRange, got ${r.code}: ${r.err.slice(0, 300)}`],
  },
];
