/**
 * `kubectl describe pod`: describePod and describeContainers (staging/src/k8s.io/kubectl/pkg/describe/describe.go,
 * v1.32): the header fields, Init Containers / Containers with their state, resources, probes, environment and
 * mounts, Conditions, Volumes, QoS Class, Node-Selectors, Tolerations and Events.
 */
import { formatQuantity } from "../../api/quantity-format.js";
import { parseQuantity } from "../../api/quantity.js";
import { podQosClass } from "../../api/qos.js";
import type { Container, ContainerState, ContainerStatus, Pod } from "../../api/types.js";
import type { CoreEvent } from "./correlate-events.js";
import { annotationsMultiline, describeEvents, labelsMultiline, PrefixWriter, rfc1123z, tolerationsMultiline } from "./describe-writer.js";
import { since } from "./human-duration.js";
import { byteOrder } from "./sort-keys.js";

type Any = Record<string, unknown>;

function q(s: string): string {
  const p = parseQuantity(s);
  return p.ok ? formatQuantity(p.value) : s;
}

function describeState(w: PrefixWriter, name: string, s: ContainerState | undefined): void {
  if (s?.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(s.running.startedAt)}\n`);
  } else if (s?.waiting) {
    w.write(2, `${name}:\tWaiting\n`);
    if (s.waiting.reason) w.write(3, `Reason:\t${s.waiting.reason}\n`);
  } else if (s?.terminated) {
    const t = s.terminated as ContainerState["terminated"] & { message?: string; signal?: number };
    w.write(2, `${name}:\tTerminated\n`);
    if (t!.reason) w.write(3, `Reason:\t${t!.reason}\n`);
    if (t!.message) w.write(3, `Message:\t${t!.message}\n`);
    w.write(3, `Exit Code:\t${t!.exitCode}\n`);
    if (t!.signal && t!.signal > 0) w.write(3, `Signal:\t${t!.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t!.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t!.finishedAt)}\n`);
  } else w.write(2, `${name}:\tWaiting\n`);
}

function intOrString(v: unknown): string {
  return v === undefined || v === null ? "" : String(v);
}

/** DescribeProbe. */
export function describeProbe(p: Any): string {
  const n = (k: string) => Number(p[k] ?? 0);
  const attrs = `delay=${n("initialDelaySeconds")}s timeout=${n("timeoutSeconds")}s period=${n("periodSeconds")}s #success=${n("successThreshold")} #failure=${n("failureThreshold")}`;
  if (p.exec) return `exec [${((p.exec as Any).command as string[] | undefined ?? []).join(" ")}] ${attrs}`;
  if (p.httpGet) {
    const h = p.httpGet as Any;
    const scheme = String(h.scheme ?? "").toLowerCase();
    const port = intOrString(h.port);
    const hostName = String(h.host ?? "");
    const host = port ? (hostName.includes(":") ? `[${hostName}]:${port}` : `${hostName}:${port}`) : hostName;
    const path = String(h.path ?? "");
    return `http-get ${scheme ? scheme + "://" : "//"}${host}${path} ${attrs}`;
  }
  if (p.tcpSocket) {
    const t = p.tcpSocket as Any;
    return `tcp-socket ${String(t.host ?? "")}:${intOrString(t.port)} ${attrs}`;
  }
  if (p.grpc) {
    const g = p.grpc as Any;
    return `grpc <pod>:${g.port} ${String(g.service ?? "")} ${attrs}`;
  }
  return `unknown ${attrs}`;
}

/** describeContainers; `space` is "  " inside a pod template (the label indented, names one column deeper). */
export function describeContainers(w: PrefixWriter, label: string, containers: readonly Container[], statuses: readonly ContainerStatus[] | undefined, space = ""): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  if (containers.length === 0) w.write(0, `${space}${label}: <none>\n`);
  else w.write(0, `${space}${label}:\n`);
  const nameIndent = space ? " " : "";
  for (const c of containers) {
    const st = byName.get(c.name) as (ContainerStatus & { containerID?: string; imageID?: string }) | undefined;
    w.write(1, `${nameIndent}${c.name}:\n`);
    if (st) w.write(2, `Container ID:\t${st.containerID ?? ""}\n`);
    w.write(2, `Image:\t${c.image}\n`);
    if (st) w.write(2, `Image ID:\t${st.imageID ?? ""}\n`);
    const ports = (c.ports as Any[] | undefined) ?? [];
    const portString = ports.map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`).join(", ");
    const hostPortString = ports.map((p) => `${p.hostPort ?? 0}/${p.protocol ?? "TCP"}`).join(", ");
    if (portString.includes(",")) w.write(2, `Ports:\t${portString}\n`);
    else w.write(2, `Port:\t${portString || "<none>"}\n`);
    if (hostPortString.includes(",")) w.write(2, `Host Ports:\t${hostPortString}\n`);
    else w.write(2, `Host Port:\t${hostPortString || "<none>"}\n`);
    if (c.restartPolicy) w.write(2, `Restart Policy:\t${c.restartPolicy}\n`);
    for (const [title, list] of [["Command", c.command], ["Args", c.args]] as const) {
      if (list && list.length > 0) {
        w.write(2, `${title}:\n`);
        for (const x of list) for (const s of x.split("\n")) w.write(3, `${s}\n`);
      }
    }
    if (st) {
      describeState(w, "State", st.state);
      if (st.lastState?.terminated) describeState(w, "Last State", st.lastState);
      w.write(2, `Ready:\t${st.ready ? "True" : "False"}\n`);
      w.write(2, `Restart Count:\t${st.restartCount}\n`);
    }
    const res = c.resources;
    if (res) {
      const limits = Object.keys(res.limits ?? {}).sort(byteOrder);
      if (limits.length > 0) w.write(2, "Limits:\n");
      for (const k of limits) w.write(3, `${k}:\t${q(res.limits![k]!)}\n`);
      const requests = Object.keys(res.requests ?? {}).sort(byteOrder);
      if (requests.length > 0) w.write(2, "Requests:\n");
      for (const k of requests) w.write(3, `${k}:\t${q(res.requests![k]!)}\n`);
    }
    for (const [title, key] of [["Liveness", "livenessProbe"], ["Readiness", "readinessProbe"], ["Startup", "startupProbe"]] as const) {
      const p = c[key] as Any | undefined;
      if (p) w.write(2, `${title}:\t${describeProbe(p)}\n`);
    }
    const env = (c.env as Any[] | undefined) ?? [];
    w.write(2, `Environment:${env.length === 0 ? "\t<none>" : ""}\n`);
    for (const e of env) {
      if (e.valueFrom === undefined) {
        const lines = String(e.value ?? "").split("\n");
        w.write(3, `${e.name}:\t${lines[0]}\n`);
        for (const l of lines.slice(1)) w.write(3, `\t${l}\n`);
      } else {
        const vf = e.valueFrom as Any;
        if (vf.fieldRef) {
          const f = vf.fieldRef as Any;
          w.write(3, `${e.name}:\t (${f.apiVersion ?? "v1"}:${f.fieldPath})\n`);
        } else if (vf.configMapKeyRef) {
          const r = vf.configMapKeyRef as Any;
          w.write(3, `${e.name}:\t<set to the key '${r.key}' of config map '${r.name}'>\tOptional: ${r.optional === true}\n`);
        } else if (vf.secretKeyRef) {
          const r = vf.secretKeyRef as Any;
          w.write(3, `${e.name}:\t<set to the key '${r.key}' in secret '${r.name}'>\tOptional: ${r.optional === true}\n`);
        } else w.write(3, `${e.name}:\t<unknown>\n`);
      }
    }
    const mounts = [...((c.volumeMounts as Any[] | undefined) ?? [])].sort((a, b) => byteOrder(String(a.mountPath), String(b.mountPath)));
    w.write(2, `Mounts:${mounts.length === 0 ? "\t<none>" : ""}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? "ro" : "rw"];
      if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
      w.write(3, `${m.mountPath} from ${m.name} (${flags.join(",")})\n`);
    }
  }
}

/** describeVolumes; `space` as for describeContainers. */
export function describeVolumes(w: PrefixWriter, volumes: readonly Any[], space = ""): void {
  if (volumes.length === 0) return w.write(0, `${space}Volumes:\t<none>\n`);
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? " " : ""}${v.name}:\n`);
    if (v.projected) {
      w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
      for (const s of ((v.projected as Any).sources as Any[] | undefined) ?? []) {
        if (s.secret) {
          const x = s.secret as Any;
          w.write(2, `SecretName:\t${x.name}\n    SecretOptionalName:\t${x.optional === undefined ? "<nil>" : x.optional}\n`);
        } else if (s.downwardAPI) w.write(2, "DownwardAPI:\ttrue\n");
        else if (s.configMap) {
          const x = s.configMap as Any;
          w.write(2, `ConfigMapName:\t${x.name}\n    ConfigMapOptional:\t${x.optional === undefined ? "<nil>" : x.optional}\n`);
        } else if (s.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${(s.serviceAccountToken as Any).expirationSeconds}\n`);
      }
    } else if (v.emptyDir) {
      const e = v.emptyDir as Any;
      w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${e.medium ?? ""}\n    SizeLimit:\t${e.sizeLimit ? q(String(e.sizeLimit)) : "<unset>"}\n`);
    } else if (v.configMap) {
      const c = v.configMap as Any;
      w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${c.name}\n    Optional:\t${c.optional === true}\n`);
    } else if (v.secret) {
      const s = v.secret as Any;
      w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${s.secretName}\n    Optional:\t${s.optional === true}\n`);
    } else if (v.hostPath) {
      const h = v.hostPath as Any;
      w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${h.path}\n    HostPathType:\t${h.type ?? ""}\n`);
    } else w.write(1, "<unknown>\n");
  }
}

/** The events about `pod`: involvedObject kind Pod, its namespace, name and uid (searchEvents' field selector). */
export function podEvents(pod: Pod, events: readonly CoreEvent[]): CoreEvent[] {
  const m = pod.metadata;
  return events.filter((e) => e.involvedObject.kind === "Pod" && e.involvedObject.name === m.name && (e.involvedObject.namespace ?? "") === (m.namespace ?? "") && (!m.uid || e.involvedObject.uid === m.uid));
}

/** describePod's text at `nowMs` with the pod's Events. */
export function describePod(pod: Pod, events: readonly CoreEvent[], nowMs: number): string {
  const w = new PrefixWriter();
  const m = pod.metadata;
  const spec = pod.spec as Pod["spec"] & Any;
  const status = pod.status ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace ?? ""}\n`);
  if (spec.priority !== undefined && spec.priority !== null) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ""}\n` : "Node:\t<none>\n");
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  labelsMultiline(w, "Labels", m.labels);
  annotationsMultiline(w, "Annotations", m.annotations);
  if (m.deletionTimestamp && status.phase !== "Failed" && status.phase !== "Succeeded") {
    w.write(0, `Status:\tTerminating (lasts ${since(m.deletionTimestamp, nowMs)})\n`);
    w.write(0, `Termination Grace Period:\t${m.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${status.phase ?? ""}\n`);
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  w.write(0, `IP:\t${status.podIP ?? ""}\n`);
  // NOTE: describePodIPs reads status.podIPs; k8sim's pods carry podIP alone, which stands in for it (a real
  // kubelet writes both), so IPs lists the address as kubectl shows it for a real pod.
  const ips = (status as { podIPs?: { ip: string }[] }).podIPs ?? (status.podIP ? [{ ip: status.podIP }] : []);
  if (ips.length === 0) w.write(0, "IPs:\t<none>\n");
  else {
    w.write(0, "IPs:\n");
    for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const owner = (m.ownerReferences ?? []).find((o) => o.controller === true);
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if ((spec.initContainers ?? []).length > 0) describeContainers(w, "Init Containers", spec.initContainers!, status.initContainerStatuses);
  describeContainers(w, "Containers", spec.containers, status.containerStatuses);
  const gates = (spec.readinessGates as { conditionType: string }[] | undefined) ?? [];
  if (gates.length > 0) {
    w.write(0, "Readiness Gates:\n  Type\tStatus\n");
    for (const g of gates) {
      const c = (status.conditions ?? []).find((x) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c ? c.status : "<none>"} \n`);
    }
  }
  if ((status.conditions ?? []).length > 0) {
    w.write(0, "Conditions:\n  Type\tStatus\n");
    for (const c of status.conditions!) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, (spec.volumes as Any[] | undefined) ?? []);
  w.write(0, `QoS Class:\t${status.qosClass ?? podQosClass(spec)}\n`);
  labelsMultiline(w, "Node-Selectors", spec.nodeSelector);
  tolerationsMultiline(w, "Tolerations", spec.tolerations);
  describeEvents(w, podEvents(pod, events), nowMs);
  return w.done();
}
