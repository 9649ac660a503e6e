/**
 * Which log streams a `k8sim logs` query asks for, decided as kubectl and the kubelet decide them, over a LogIndex:
 *
 * - the pods: one by name (kubectl's resource builder; a missing one is NotFound), or those a selector matches in
 *   the namespace, sorted by name as the API lists them;
 * - per pod, the containers (kubectl pkg/polymorphichelpers/logsforobject.go logsForObjectWithClient): every init
 *   container then every container with --all-containers; else -c, else the
 *   kubectl.kubernetes.io/default-container annotation, else the first container, with kubectl's notices;
 * - per container, the instance whose log is read (pkg/kubelet/kubelet_pods.go validateContainerLogStatus): the
 *   current one, or with --previous the one before it; or the kubelet's error when there is none.
 *
 * NOTE: kubectl keeps its requests in a Go map and so prints the streams of several pods or containers in an
 * unspecified order that changes from call to call; k8sim prints them in a fixed order: pods by name, and in a pod
 * the init containers, then the containers, in spec order (the order logsForObjectWithClient builds them in).
 */
import type { InstanceRecords } from "./lines.js";
import type { LogIndex, PodEntry } from "./reader.js";
import { matchesRequirements, type Requirement } from "./selector.js";

/** What the user asked for: the pod (by name) or a selector, and the container options. */
export interface LogsQuery {
  readonly namespace: string;
  /** A pod name (mutually exclusive with selector). */
  readonly pod?: string;
  /** A parsed label selector. */
  readonly selector?: readonly Requirement[];
  /** -c or the inline CONTAINER argument. */
  readonly container?: string;
  readonly allContainers: boolean;
  readonly previous: boolean;
}

/** One log request: a pod's container, and the instance to read or the kubelet's reason for refusing. */
export type LogStream =
  | { readonly pod: PodEntry; readonly container: string; readonly instance: InstanceRecords; readonly error?: undefined }
  | { readonly pod: PodEntry; readonly container: string; readonly instance?: undefined; readonly error: string };

/**
 * The requests of a query: `notices` for stderr in order (kubectl prints them while it builds the requests), then
 * either the streams, or `fatal`, an error that stops everything before any log is printed (kubectl's wording,
 * without its `error: ` prefix).
 */
export interface LogRequests {
  readonly notices: string[];
  readonly streams: LogStream[];
  readonly fatal?: string;
  /** The selector matched no pod: kubectl's "No resources found in NS namespace." is among the notices. */
  readonly noneFound?: boolean;
}

/** Whether a pod record could be one the query names: what a LogIndex needs to keep. */
export function queryKeeps(q: LogsQuery): (p: { ns: string; name: string; labels: Readonly<Record<string, string>> }) => boolean {
  if (q.pod !== undefined) return (p) => p.ns === q.namespace && p.name === q.pod;
  const sel = q.selector ?? [];
  return (p) => p.ns === q.namespace && matchesRequirements(sel, p.labels);
}

/**
 * A quick necessary condition for queryKeeps on a pod record's raw JSON line (LogIndex's `mayKeep`): the name for
 * a pod query; for a selector, the `"key":"value"` text each `=` or `in` requirement needs, where key and value are
 * plain ASCII that JSON writes only one way.
 */
export function queryMayKeep(q: LogsQuery): (line: string, ns: string, name: string) => boolean {
  if (q.pod !== undefined) return (_line, ns, name) => ns === q.namespace && name === q.pod;
  const needs: string[][] = [];
  for (const r of q.selector ?? []) {
    if (r.op !== "=" && r.op !== "in") continue;
    if (![r.key, ...r.values].every((v) => /^[\x20-\x7e]*$/.test(v) && !/["\\]/.test(v))) continue;
    needs.push(r.values.map((v) => `"${r.key}":"${v}"`));
  }
  return (line, ns) => ns === q.namespace && needs.every((any) => any.some((t) => line.includes(t)));
}

/** The log requests of `q` over `index` as of its horizon (see the file comment). */
export function logRequests(index: LogIndex, q: LogsQuery): LogRequests {
  const notices: string[] = [];
  let pods: PodEntry[];
  if (q.pod !== undefined) {
    const p = index.pod(q.namespace, q.pod);
    // kubectl logs.go Complete: the builder's NotFound, with the namespace added.
    if (!p) return { notices, streams: [], fatal: `error from server (NotFound): pods "${q.pod}" not found in namespace "${q.namespace}"` };
    pods = [p];
  } else {
    const keep = queryKeeps(q);
    pods = index.podsIn(q.namespace).filter((p) => keep(p.record));
    if (pods.length === 0) {
      notices.push(`No resources found in ${q.namespace} namespace.`);
      return { notices, streams: [], noneFound: true };
    }
  }
  const streams: LogStream[] = [];
  for (const pod of pods) {
    const names = q.allContainers ? [...(pod.record.initContainers ?? []), ...pod.record.containers] : [chooseContainer(pod, q.container, notices)];
    for (const c of names) {
      if (!hasContainer(pod, c)) return { notices, streams: [], fatal: `container ${c} is not valid for pod ${pod.record.name}` };
      streams.push(stream(pod, c, q.previous));
    }
  }
  return { notices, streams };
}

/** The container a request without --all-containers reads, printing kubectl's notices (logsForObjectWithClient). */
function chooseContainer(pod: PodEntry, asked: string | undefined, notices: string[]): string {
  if (asked !== undefined && asked !== "") return asked;
  const r = pod.record;
  const annotated = r.defaultContainer;
  if (annotated !== undefined && annotated !== "") {
    if (hasContainer(pod, annotated)) return annotated;
    notices.push(`Default container name "${annotated}" not found in pod ${r.name}`);
  }
  const first = r.containers[0] ?? "";
  if (r.containers.length > 1 || (r.initContainers?.length ?? 0) > 0) notices.push(`Defaulted container "${first}" out of: ${allContainerNames(pod)}`);
  return first;
}

/** podcmd.AllContainerNames: the containers, then the init containers marked "(init)". */
function allContainerNames(pod: PodEntry): string {
  return [...pod.record.containers, ...(pod.record.initContainers ?? []).map((c) => `${c} (init)`)].join(", ");
}

function hasContainer(pod: PodEntry, c: string): boolean {
  return pod.record.containers.includes(c) || (pod.record.initContainers ?? []).includes(c);
}

/**
 * The instance the kubelet reads for `container` (validateContainerLogStatus): the current instance (the last
 * started); with `previous`, the one before it.
 *
 * NOTE: while a container waits to restart (CrashLoopBackOff) the kubelet's lastTerminationState is the instance
 * that just ended, so upstream `--previous` then shows the same instance as a plain `kubectl logs`; logs.jsonl does
 * not say whether an ended container will restart (the pod's restartPolicy is not recorded), so k8sim always takes
 * the instance before the last one.
 */
function stream(pod: PodEntry, container: string, previous: boolean): LogStream {
  const list = pod.instances.get(container) ?? [];
  const name = pod.record.name;
  if (previous) {
    const prev = list[list.length - 2];
    return prev ? { pod, container, instance: prev } : { pod, container, error: `previous terminated container "${container}" in pod "${name}" not found` };
  }
  const current = list[list.length - 1];
  if (current) return { pod, container, instance: current };
  // The kubelet's validateContainerLogStatus words the common pull failures; any other reason is printed as it is.
  // Without a wait record the container waits for the reason the kubelet's status defaults to before it first
  // starts (kubelet_pods.go convertToAPIContainerStatuses: PodInitializing in a pod with init containers).
  // NOTE: a pod that is not scheduled yet gets an empty log upstream (its log location is empty); k8sim cannot tell
  // it apart from one whose containers are being created.
  const recorded = pod.waiting?.get(container);
  const reason = recorded ?? ((pod.record.initContainers?.length ?? 0) > 0 ? "PodInitializing" : "ContainerCreating");
  const why = reason === "ErrImagePull" ? "image can't be pulled" : reason === "ImagePullBackOff" ? "trying and failing to pull image" : reason;
  return { pod, container, error: `container "${container}" in pod "${name}" is waiting to start: ${why}` };
}
