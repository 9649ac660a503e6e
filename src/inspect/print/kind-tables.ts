/**
 * The table kubectl prints for each kind k8sim serves: the server-side column definitions (name, and whether the
 * column appears only with -o wide: Priority 1) and cell functions of pkg/printers/internalversion/printers.go
 * (v1.32). A kind with no handler there gets the default table, NAME and AGE (metav1 Table default columns).
 */
import type { CronJob, Job } from "../../api/batch/types.js";
import { formatQuantity } from "../../api/quantity-format.js";
import { parseQuantity } from "../../api/quantity.js";
import type { ResourceQuota } from "../../api/quota/types.js";
import type { EndpointSlice, Endpoints, Service } from "../../api/service/types.js";
import type { ServiceAccount } from "../../api/serviceaccount/types.js";
import type { ConfigMap, Deployment, KubeObject, Lease, Namespace, Node, Pod, ReplicaSet, Secret } from "../../api/types.js";
import { boolPtr, containerCells, formatLabels, formatLabelSelector, selectorString } from "./cells.js";
import { humanDuration, since } from "./human-duration.js";
import { POD_COLUMNS, POD_WIDE_COLUMNS, podRow } from "./pod-row.js";
import { byteOrder } from "./sort-keys.js";

/** One kind's table: its header cells and the row of an object at `nowMs` (epoch ms). */
export interface KindTable {
  readonly columns: readonly string[];
  readonly wideColumns: readonly string[];
  row(obj: KubeObject, nowMs: number, wide: boolean): string[];
}

const age = (o: KubeObject, now: number) => since(o.metadata.creationTimestamp, now);
const num = (n: number | undefined) => String(n ?? 0);

/** findNodeRoles: the suffixes of node-role.kubernetes.io/<role> labels and the kubernetes.io/role value, sorted. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const role = k.slice("node-role.kubernetes.io/".length);
      if (role !== "") roles.add(role);
    } else if (k === "kubernetes.io/role" && v !== "") roles.add(v);
  }
  return [...roles].sort(byteOrder);
}

/** printNode's STATUS: Ready / NotReady from the Ready condition (Unknown without one), plus SchedulingDisabled. */
export function nodeStatus(node: Node): string {
  const status: string[] = [];
  const ready = (node.status?.conditions ?? []).find((c) => c.type === "Ready");
  if (ready) status.push(ready.status === "True" ? "Ready" : "NotReady");
  if (status.length === 0) status.push("Unknown");
  if (node.spec?.unschedulable) status.push("SchedulingDisabled");
  return status.join(",");
}

function nodeAddress(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? "<none>";
}

function nodeRow(o: KubeObject, now: number, wide: boolean): string[] {
  const n = o as Node;
  const info = n.status?.nodeInfo ?? {};
  const roles = nodeRoles(n).join(",");
  const row = [n.metadata.name, nodeStatus(n), roles || "<none>", age(n, now), info.kubeletVersion ?? ""];
  if (wide) row.push(nodeAddress(n, "InternalIP"), nodeAddress(n, "ExternalIP"), info.osImage || "<unknown>", info.kernelVersion || "<unknown>", info.containerRuntimeVersion || "<unknown>");
  return row;
}

function loadBalancerIPs(svc: Service, wide: boolean): string {
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  const r = ingress.flatMap((i) => (i.ip ? [i.ip] : i.hostname ? [i.hostname] : [])).join(",");
  // loadBalancerWidth 16: a narrow table cuts a long list to 13 characters and "...".
  return !wide && r.length > 16 ? r.slice(0, 13) + "..." : r;
}

/** getServiceExternalIP. */
function serviceExternalIP(svc: Service, wide: boolean): string {
  const ext = svc.spec.externalIPs ?? [];
  switch (svc.spec.type) {
    case "ClusterIP":
    case "NodePort":
      return ext.length > 0 ? ext.join(",") : "<none>";
    case "LoadBalancer": {
      const lb = loadBalancerIPs(svc, wide);
      if (ext.length > 0) return [...(lb ? lb.split(",") : []), ...ext].join(",");
      return lb || "<pending>";
    }
    case "ExternalName":
      return svc.spec.externalName ?? "";
  }
  return "<unknown>";
}

/** makePortString: "80/TCP", "80:30080/TCP", joined by ",". */
function servicePorts(svc: Service): string {
  return (svc.spec.ports ?? []).map((p) => (p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? "TCP"}` : `${p.port}/${p.protocol ?? "TCP"}`)).join(",");
}

/** formatEndpoints with no port filter: up to 3 "ip:port" (or ip for port-less subsets), then " + N more...". */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return "<none>";
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if ((ss.ports ?? []).length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const p of ss.ports!) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip.includes(":") ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
      }
    }
  }
  const ret = list.join(",");
  return more ? `${ret} + ${count - max} more...` : ret;
}

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(",");
  if (more) return `${ret} + ${count - max} more...`;
  return ret === "" ? "<unset>" : ret;
}

function sliceRow(o: KubeObject, now: number): string[] {
  const s = o as EndpointSlice;
  const max = 3;
  const ports: string[] = [];
  let pMore = false;
  let pCount = 0;
  for (const p of s.ports ?? []) {
    if (ports.length < max) ports.push(p.port !== undefined ? String(p.port) : p.name !== undefined ? p.name : "*");
    else if (ports.length === max) pMore = true;
    pCount++;
  }
  const eps: string[] = [];
  let eMore = false;
  let eCount = 0;
  for (const e of s.endpoints ?? []) {
    for (const a of e.addresses) {
      if (eps.length < max) eps.push(a);
      else if (eps.length === max) eMore = true;
      eCount++;
    }
  }
  return [s.metadata.name, s.addressType, listWithMore(ports, pMore, pCount, max), listWithMore(eps, eMore, eCount, max), age(s, now)];
}

/** printResourceQuota's REQUEST and LIMIT cells: "resource: used/hard" by sorted resource, limits.* in LIMIT. */
function quotaCells(q: ResourceQuota): [string, string] {
  const hard = q.status?.hard ?? {};
  const used = q.status?.used ?? {};
  const req: string[] = [];
  const lim: string[] = [];
  for (const r of Object.keys(hard).sort(byteOrder)) {
    const pieces = r.split(".");
    const text = `${r}: ${canonical(used[r])}/${canonical(hard[r])}`;
    (pieces.length > 1 && pieces[0] === "limits" ? lim : req).push(text);
  }
  return [req.join(", "), lim.join(", ")];
}

function canonical(q: string | undefined): string {
  if (q === undefined) return "0";
  const p = parseQuantity(q);
  return p.ok ? formatQuantity(p.value) : q;
}

function jobStatus(j: Job): string {
  const has = (t: string) => (j.status?.conditions ?? []).some((c) => c.type === t && c.status === "True");
  if (has("Complete")) return "Complete";
  if (has("Failed")) return "Failed";
  if (j.metadata.deletionTimestamp) return "Terminating";
  if (has("Suspended")) return "Suspended";
  if (has("FailureTarget")) return "FailureTarget";
  if (has("SuccessCriteriaMet")) return "SuccessCriteriaMet";
  return "Running";
}

function jobRow(o: KubeObject, now: number, wide: boolean): string[] {
  const j = o as Job;
  const succeeded = j.status?.succeeded ?? 0;
  let completions: string;
  if (j.spec.completions !== undefined && j.spec.completions !== null) completions = `${succeeded}/${j.spec.completions}`;
  else {
    const parallelism = j.spec.parallelism ?? 0;
    completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
  }
  let duration = "";
  const start = j.status?.startTime;
  if (start) {
    const end = j.status.completionTime ? Date.parse(j.status.completionTime) : now;
    duration = humanDuration(end - Date.parse(start));
  }
  const row = [j.metadata.name, jobStatus(j), completions, duration, age(j, now)];
  if (wide) row.push(...containerCells(j.spec.template?.spec?.containers), formatLabelSelector(j.spec.selector));
  return row;
}

function cronJobRow(o: KubeObject, now: number, wide: boolean): string[] {
  const c = o as CronJob;
  const last = c.status?.lastScheduleTime ? since(c.status.lastScheduleTime, now) : "<none>";
  const row = [c.metadata.name, c.spec.schedule, c.spec.timeZone ?? "<none>", boolPtr(c.spec.suspend), String((c.status?.active ?? []).length), last, age(c, now)];
  if (wide) row.push(...containerCells(c.spec.jobTemplate?.spec?.template?.spec?.containers), formatLabelSelector(c.spec.jobTemplate?.spec?.selector));
  return row;
}

const TABLES: Record<string, KindTable> = {
  Pod: { columns: POD_COLUMNS, wideColumns: POD_WIDE_COLUMNS, row: (o, now, wide) => podRow(o as Pod, now, wide) },
  Node: { columns: ["NAME", "STATUS", "ROLES", "AGE", "VERSION"], wideColumns: ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"], row: nodeRow },
  Namespace: { columns: ["NAME", "STATUS", "AGE"], wideColumns: [], row: (o, now) => [o.metadata.name, (o as Namespace).status?.phase ?? "", age(o, now)] },
  Deployment: {
    columns: ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
    wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
    row: (o, now, wide) => {
      const d = o as Deployment;
      const row = [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 0}`, num(d.status?.updatedReplicas), num(d.status?.availableReplicas), age(d, now)];
      if (wide) row.push(...containerCells(d.spec.template?.spec?.containers), selectorString(d.spec.selector));
      return row;
    },
  },
  ReplicaSet: {
    columns: ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
    wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"],
    row: (o, now, wide) => {
      const r = o as ReplicaSet;
      const row = [r.metadata.name, num(r.spec.replicas), num(r.status?.replicas), num(r.status?.readyReplicas), age(r, now)];
      if (wide) row.push(...containerCells(r.spec.template?.spec?.containers), formatLabelSelector(r.spec.selector));
      return row;
    },
  },
  Job: { columns: ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"], row: jobRow },
  CronJob: { columns: ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"], wideColumns: ["CONTAINERS", "IMAGES", "SELECTOR"], row: cronJobRow },
  Service: {
    columns: ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
    wideColumns: ["SELECTOR"],
    row: (o, now, wide) => {
      const s = o as Service;
      const ips = s.spec.clusterIPs ?? [];
      const row = [s.metadata.name, s.spec.type ?? "", ips.length > 0 ? ips[0]! : "<none>", serviceExternalIP(s, wide), servicePorts(s) || "<none>", age(s, now)];
      if (wide) row.push(formatLabels(s.spec.selector));
      return row;
    },
  },
  Endpoints: { columns: ["NAME", "ENDPOINTS", "AGE"], wideColumns: [], row: (o, now) => [o.metadata.name, formatEndpoints(o as Endpoints), age(o, now)] },
  EndpointSlice: { columns: ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], wideColumns: [], row: sliceRow },
  ConfigMap: {
    columns: ["NAME", "DATA", "AGE"],
    wideColumns: [],
    row: (o, now) => {
      const c = o as ConfigMap;
      return [c.metadata.name, String(Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length), age(c, now)];
    },
  },
  Secret: { columns: ["NAME", "TYPE", "DATA", "AGE"], wideColumns: [], row: (o, now) => [o.metadata.name, (o as Secret).type ?? "", String(Object.keys((o as Secret).data ?? {}).length), age(o, now)] },
  ServiceAccount: { columns: ["NAME", "SECRETS", "AGE"], wideColumns: [], row: (o, now) => [o.metadata.name, String(((o as ServiceAccount).secrets ?? []).length), age(o, now)] },
  ResourceQuota: {
    columns: ["NAME", "AGE", "REQUEST", "LIMIT"],
    wideColumns: [],
    row: (o, now) => [o.metadata.name, age(o, now), ...quotaCells(o as ResourceQuota)],
  },
  LimitRange: { columns: ["NAME", "CREATED AT"], wideColumns: [], row: (o) => [o.metadata.name, o.metadata.creationTimestamp ? new Date(Date.parse(o.metadata.creationTimestamp)).toISOString().replace(/\.\d{3}Z$/, "Z") : "0001-01-01T00:00:00Z"] },
  Lease: { columns: ["NAME", "HOLDER", "AGE"], wideColumns: [], row: (o, now) => [o.metadata.name, (o as Lease).spec?.holderIdentity ?? "", age(o, now)] },
};

/** The default table of a kind printers.go has no handler for: NAME and AGE. */
const DEFAULT_TABLE: KindTable = { columns: ["NAME", "AGE"], wideColumns: [], row: (o, now) => [o.metadata.name, age(o, now)] };

/** The table of `kind` (Event's is in print-events.ts). */
export function kindTable(kind: string): KindTable {
  return TABLES[kind] ?? DEFAULT_TABLE;
}
