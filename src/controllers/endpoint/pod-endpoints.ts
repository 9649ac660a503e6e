/**
 * The pod-side rules shared by the endpoints, EndpointSlice and mirroring controllers, as upstream keeps them in
 * staging/src/k8s.io/endpointslice/util/controller_utils.go and utils.go (ShouldPodBeInEndpoints,
 * ShouldSetHostname, podEndpointsChanged, FindPort). Pure functions of the objects.
 */
import { isPodReady } from "../../api/pod-util.js";
import type { Pod } from "../../api/types.js";
import type { Service, ServicePort } from "../../api/service/types.js";

/** Label a headless Service's Endpoints and slices carry (v1.IsHeadlessService). */
export const HEADLESS_LABEL = "service.kubernetes.io/headless";
/** Annotation with the time of the change that caused the last write (v1.EndpointsLastChangeTriggerTime). */
export const LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";

/** Phase Succeeded or Failed (isPodTerminal). */
export function isPodTerminal(pod: Pod): boolean {
  return pod.status.phase === "Succeeded" || pod.status.phase === "Failed";
}

/** The pod's IPs: status.podIPs when set, else status.podIP (k8sim models one IPv4 address per pod). */
export function podIPs(pod: Pod): readonly string[] {
  const list = (pod.status as { podIPs?: { ip: string }[] }).podIPs;
  if (list && list.length > 0) return list.map((p) => p.ip);
  return pod.status.podIP ? [pod.status.podIP] : NO_IPS;
}
const NO_IPS: readonly string[] = Object.freeze([]);

/**
 * ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless `includeTerminating` (the endpoints
 * controller passes publishNotReadyAddresses; the EndpointSlice reconciler passes true and marks terminating).
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (podIPs(pod).length === 0) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp !== undefined) return false;
  return true;
}

/** ShouldSetHostname: the pod names a hostname and its subdomain is this Service (in its namespace). */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  const hostname = pod.spec.hostname as string | undefined;
  return !!hostname && pod.spec.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

/** isServiceIPSet: clusterIP set and not "None" (a headless Service has none). */
export function isServiceIPSet(svc: Service): boolean {
  return svc.spec.clusterIP !== "None" && svc.spec.clusterIP !== undefined && svc.spec.clusterIP !== "";
}

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

/**
 * FindPort: a numeric targetPort is the port; a named one is looked up among the containers' ports (then the
 * sidecars', init containers with restartPolicy Always) with the same protocol. A missing targetPort means the
 * service port itself (the API server defaults targetPort to port). Undefined when no container offers the name.
 */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === "number") return target;
  const proto = sp.protocol ?? "TCP";
  for (const c of pod.spec.containers) {
    const n = namedPort(c.ports as ContainerPort[] | undefined, target, proto);
    if (n !== undefined) return n;
  }
  for (const c of pod.spec.initContainers ?? []) {
    if (c.restartPolicy !== "Always") continue;
    const n = namedPort(c.ports as ContainerPort[] | undefined, target, proto);
    if (n !== undefined) return n;
  }
  return undefined;
}

function namedPort(ports: ContainerPort[] | undefined, name: string, proto: string): number | undefined {
  if (!ports) return undefined;
  for (const p of ports) if (p.name === name && (p.protocol ?? "TCP") === proto) return p.containerPort;
  return undefined;
}

/**
 * podEndpointsChanged: [podChanged, labelsChanged]. podChanged when what an endpoint publishes may differ: the
 * deletion timestamp, readiness, the IPs (upstream's list). The node name is not checked, as upstream: it is set
 * once, before the pod has an IP. NOTE: k8sim also counts a move to a terminal phase: upstream reaches it through
 * the Ready change that comes with it, but a pod that was already not ready and fails would otherwise linger in
 * notReadyAddresses until another change. labelsChanged when the Services it matches may differ: labels, hostname
 * or subdomain.
 */
export function podEndpointsChanged(oldPod: Pod, newPod: Pod): [boolean, boolean] {
  const labelsChanged =
    !sameLabels(oldPod.metadata.labels, newPod.metadata.labels) ||
    oldPod.spec.hostname !== newPod.spec.hostname ||
    oldPod.spec.subdomain !== newPod.spec.subdomain;
  if (oldPod.metadata.deletionTimestamp !== newPod.metadata.deletionTimestamp) return [true, labelsChanged];
  if (isPodReady(oldPod) !== isPodReady(newPod)) return [true, labelsChanged];
  const a = podIPs(oldPod);
  const b = podIPs(newPod);
  if (a.length !== b.length) return [true, labelsChanged];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return [true, labelsChanged];
  if (isPodTerminal(oldPod) !== isPodTerminal(newPod)) return [true, labelsChanged];
  return [false, labelsChanged];
}

/** Whether two label maps hold the same pairs (reflect.DeepEqual on maps; nil and empty differ only in Go). */
export function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === b) return true;
  const x = a ?? EMPTY;
  const y = b ?? EMPTY;
  let n = 0;
  for (const k in x) {
    if (x[k] !== y[k]) return false;
    n++;
  }
  for (const _k in y) n--;
  return n === 0;
}
const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;
