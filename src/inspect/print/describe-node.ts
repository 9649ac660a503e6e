/**
 * `kubectl describe node`: describeNode and describeNodeResource (staging/src/k8s.io/kubectl/pkg/describe/
 * describe.go, v1.32): roles, labels, taints, the kubelet's Lease, Conditions, Addresses, Capacity / Allocatable,
 * System Info, the non-terminated pods on the node with their requests and limits as a share of allocatable,
 * Allocated resources and the node's Events (those recorded against its uid and against its name, as upstream's
 * two queries: controllers use the node's uid, the kubelet its name).
 */
import { formatQuantity } from "../../api/quantity-format.js";
import { parseQuantity, type Quantity, type QuantityFormat } from "../../api/quantity.js";
import { combinePodAmounts } from "../../api/resources.js";
import type { Container, Lease, Node, Pod } from "../../api/types.js";
import type { CoreEvent } from "./correlate-events.js";
import { annotationsMultiline, describeEvents, labelsMultiline, PrefixWriter, rfc1123z, taintsMultiline } from "./describe-writer.js";
import { since } from "./human-duration.js";
import { nodeRoles } from "./kind-tables.js";
import { byteOrder } from "./sort-keys.js";

const NANO = 1_000_000_000n;

function parse(s: string | undefined): Quantity | undefined {
  if (s === undefined) return undefined;
  const p = parseQuantity(s);
  return p.ok ? p.value : undefined;
}

/** A pod total as resourcehelper.PodRequestsAndLimits sums it: nano units, in the first non-zero operand's format. */
function podTotal(pods: readonly Pod[], resource: string, side: "requests" | "limits"): Quantity {
  let nanos = 0n;
  let format: QuantityFormat | undefined;
  for (const p of pods) {
    const amount = (c: Container) => {
      const r = c.resources;
      // API defaulting copies a missing request from the limit.
      const text = side === "requests" ? (r?.requests?.[resource] ?? r?.limits?.[resource]) : r?.limits?.[resource];
      const qv = parse(text);
      if (qv && qv.nanos !== 0n && format === undefined) format = qv.format;
      return qv ? Number(qv.nanos / 1000n) : 0; // micro units: exact for the node sizes k8sim models
    };
    nanos += BigInt(combinePodAmounts(p.spec, amount)) * 1000n;
  }
  return { nanos, format: format ?? "DecimalSI" } as Quantity;
}

function milli(q: Quantity | undefined): bigint {
  if (!q) return 0n;
  // MilliValue rounds up.
  const m = q.nanos / 1_000_000n;
  return q.nanos % 1_000_000n === 0n ? m : m + 1n;
}

function whole(q: Quantity | undefined): bigint {
  if (!q) return 0n;
  const v = q.nanos / NANO;
  return q.nanos % NANO === 0n ? v : v + 1n;
}

/** int64(float64(a) / float64(b) * 100), 0 when b is 0 (the totals' guard). */
function percent(a: bigint, b: bigint): number {
  if (b === 0n) return 0;
  return Math.trunc((Number(a) / Number(b)) * 100);
}

/** The Events describe node shows: kind Node and the node's name, with its uid or its name as uid. */
export function nodeEvents(node: Node, events: readonly CoreEvent[]): CoreEvent[] {
  const m = node.metadata;
  return events.filter((e) => e.involvedObject.kind === "Node" && e.involvedObject.name === m.name && !e.involvedObject.namespace && (e.involvedObject.uid === undefined || e.involvedObject.uid === m.uid || e.involvedObject.uid === m.name));
}

/** describeNode's text at `nowMs`: `pods` are all pods (those bound here and not terminated are listed). */
export function describeNode(node: Node, pods: readonly Pod[], events: readonly CoreEvent[], nowMs: number, lease?: Lease): string {
  const w = new PrefixWriter();
  const m = node.metadata;
  const spec = node.spec ?? {};
  const status = node.status ?? ({} as Node["status"]);
  w.write(0, `Name:\t${m.name}\n`);
  const roles = nodeRoles(node);
  w.write(0, `Roles:\t${roles.length > 0 ? roles.join(",") : "<none>"}\n`);
  labelsMultiline(w, "Labels", m.labels);
  annotationsMultiline(w, "Annotations", m.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  taintsMultiline(w, "Taints", spec.taints);
  w.write(0, `Unschedulable:\t${spec.unschedulable === true}\n`);
  if (lease) {
    const ls = lease.spec as Lease["spec"] & { acquireTime?: string };
    w.write(0, "Lease:\n");
    w.write(1, `HolderIdentity:\t${ls?.holderIdentity ?? "<unset>"}\n`);
    w.write(1, `AcquireTime:\t${ls?.acquireTime ? rfc1123z(ls.acquireTime) : "<unset>"}\n`);
    w.write(1, `RenewTime:\t${ls?.renewTime ? rfc1123z(ls.renewTime) : "<unset>"}\n`);
  }
  const conditions = status.conditions ?? [];
  if (conditions.length > 0) {
    w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const c of conditions) w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ""} \t${c.message ?? ""}\n`);
  }
  w.write(0, "Addresses:\n");
  for (const a of status.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  const resourceList = (list: Record<string, string>) => {
    for (const r of Object.keys(list).sort(byteOrder)) {
      const qv = parse(list[r]);
      w.write(0, `  ${r}:\t${qv ? formatQuantity(qv) : list[r]}\n`);
    }
  };
  if (Object.keys(status.capacity ?? {}).length > 0) {
    w.write(0, "Capacity:\n");
    resourceList(status.capacity);
  }
  if (Object.keys(status.allocatable ?? {}).length > 0) {
    w.write(0, "Allocatable:\n");
    resourceList(status.allocatable);
  }
  const info = status.nodeInfo ?? {};
  w.write(0, "System Info:\n");
  for (const [label, key] of [
    ["Machine ID", "machineID"],
    ["System UUID", "systemUUID"],
    ["Boot ID", "bootID"],
    ["Kernel Version", "kernelVersion"],
    ["OS Image", "osImage"],
    ["Operating System", "operatingSystem"],
    ["Architecture", "architecture"],
    ["Container Runtime Version", "containerRuntimeVersion"],
    ["Kubelet Version", "kubeletVersion"],
    ["Kube-Proxy Version", "kubeProxyVersion"],
  ] as const)
    w.write(0, `  ${label}:\t${info[key] ?? ""}\n`);
  if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  if ((spec.podCIDRs ?? []).length > 0) w.write(0, `PodCIDRs:\t${spec.podCIDRs!.join(",")}\n`);
  if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
  // getPodsInChunks with spec.nodeName=<node>,status.phase!=Failed,status.phase!=Succeeded, in list order.
  const here = pods.filter((p) => p.spec.nodeName === m.name && p.status?.phase !== "Failed" && p.status?.phase !== "Succeeded");
  const allocatable = Object.keys(status.allocatable ?? {}).length > 0 ? status.allocatable : status.capacity ?? {};
  const allocCpu = milli(parse(allocatable.cpu));
  const allocMem = whole(parse(allocatable.memory));
  const allocEph = whole(parse(allocatable["ephemeral-storage"]));
  w.write(0, `Non-terminated Pods:\t(${here.length} in total)\n`);
  w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
  w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
  for (const p of here) {
    const cr = podTotal([p], "cpu", "requests");
    const cl = podTotal([p], "cpu", "limits");
    const mr = podTotal([p], "memory", "requests");
    const ml = podTotal([p], "memory", "limits");
    w.write(
      1,
      `${p.metadata.namespace}\t${p.metadata.name}\t\t${formatQuantity(cr)} (${percent(milli(cr), allocCpu)}%)\t${formatQuantity(cl)} (${percent(milli(cl), allocCpu)}%)\t${formatQuantity(mr)} (${percent(whole(mr), allocMem)}%)\t${formatQuantity(ml)} (${percent(whole(ml), allocMem)}%)\t${since(p.metadata.creationTimestamp, nowMs)}\n`,
    );
  }
  w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
  w.write(1, "Resource\tRequests\tLimits\n");
  w.write(1, "--------\t--------\t------\n");
  const row = (name: string, resource: string, scale: (q: Quantity) => bigint, alloc: bigint) => {
    const r = podTotal(here, resource, "requests");
    const l = podTotal(here, resource, "limits");
    w.write(1, `${name}\t${formatQuantity(r)} (${percent(scale(r), alloc)}%)\t${formatQuantity(l)} (${percent(scale(l), alloc)}%)\n`);
  };
  row("cpu", "cpu", milli, allocCpu);
  row("memory", "memory", whole, allocMem);
  row("ephemeral-storage", "ephemeral-storage", whole, allocEph);
  // Extended resources (not cpu, memory, ephemeral-storage, pods, hugepages-*) follow, sorted.
  for (const r of Object.keys(allocatable).sort(byteOrder)) {
    if (r.startsWith("hugepages-")) row(r, r, whole, whole(parse(allocatable[r])));
  }
  for (const r of Object.keys(allocatable).sort(byteOrder)) {
    if (!["cpu", "memory", "ephemeral-storage", "pods", "storage"].includes(r) && !r.startsWith("hugepages-") && r.includes("/")) {
      const rq = podTotal(here, r, "requests");
      const lq = podTotal(here, r, "limits");
      w.write(1, `${r}\t${formatQuantity(rq)}\t${formatQuantity(lq)}\n`);
    }
  }
  describeEvents(w, nodeEvents(node, events), nowMs);
  return w.done();
}
