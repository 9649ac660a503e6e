/**
 * A Pod's row in `kubectl get pods`: printPod (pkg/printers/internalversion/printers.go, v1.32): READY as ready /
 * total containers (restartable init containers, i.e. sidecars, count), STATUS as the aggregate reason kubectl
 * derives from the phase, status.reason, the init and regular container states and deletion, RESTARTS with the
 * age of the last restart ("3 (2m ago)"), and with -o wide IP, NODE, NOMINATED NODE and READINESS GATES.
 */
import type { Container, ContainerStatus, Pod } from "../../api/types.js";
import { since } from "./human-duration.js";

/** node.NodeUnreachablePodReason: status.reason of a pod the node lifecycle controller deletes on a lost node. */
export const NODE_LOST_REASON = "NodeLost";

/** The columns kubectl prints for pods (the wide ones after). */
export const POD_COLUMNS = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"] as const;
export const POD_WIDE_COLUMNS = ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"] as const;

function isSidecar(c: Container | undefined): boolean {
  return c?.restartPolicy === "Always";
}

function finishedAt(s: ContainerStatus): number | undefined {
  const t = s.lastState?.terminated?.finishedAt;
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function conditionTrue(pod: Pod, type: string): boolean {
  return (pod.status.conditions ?? []).some((c) => c.type === type && c.status === "True");
}

/** The pod's READY, STATUS and RESTARTS cells as printPod computes them at `nowMs` (epoch ms). */
export function podStatusCells(pod: Pod, nowMs: number): { ready: string; status: string; restarts: string } {
  const spec = pod.spec;
  const status = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = spec.containers.length;
  let ready = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const phase = status.phase ?? "";
  let reason: string = status.reason ? status.reason : phase;
  for (const c of status.conditions ?? []) if (c.type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";
  const inits = new Map<string, Container>();
  for (const c of spec.initContainers ?? []) {
    inits.set(c.name, c);
    if (isSidecar(c)) total++;
  }
  const later = (a: number | undefined, b: number | undefined) => (b !== undefined && (a === undefined || a < b) ? b : a);
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount;
    lastRestart = later(lastRestart, finishedAt(c));
    const sidecar = isSidecar(inits.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount;
      lastSidecarRestart = later(lastSidecarRestart, finishedAt(c));
    }
    const term = c.state.terminated;
    const wait = c.state.waiting;
    if (term && term.exitCode === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (term) reason = term.reason ? `Init:${term.reason}` : `Init:ExitCode:${term.exitCode}`;
    else if (wait && wait.reason && wait.reason !== "PodInitializing") reason = `Init:${wait.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }
  if (!initializing || conditionTrue(pod, "Initialized")) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const cs = status.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]!;
      restarts += c.restartCount;
      lastRestart = later(lastRestart, finishedAt(c));
      const term = c.state.terminated;
      if (c.state.waiting && c.state.waiting.reason) reason = c.state.waiting.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term) reason = `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose last container completed while another still runs is shown Running (or NotReady).
    if (reason === "Completed" && hasRunning) reason = (status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True") ? "Running" : "NotReady";
  }
  if (pod.metadata.deletionTimestamp && status.reason === NODE_LOST_REASON) reason = "Unknown";
  else if (pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed") reason = "Terminating";
  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsText = `${restarts} (${since(new Date(lastRestart).toISOString(), nowMs)} ago)`;
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

/** The pod's cells: NAME READY STATUS RESTARTS AGE, then with `wide` IP NODE NOMINATED NODE READINESS GATES. */
export function podRow(pod: Pod, nowMs: number, wide: boolean): string[] {
  const s = podStatusCells(pod, nowMs);
  const row = [pod.metadata.name, s.ready, s.status, s.restarts, since(pod.metadata.creationTimestamp, nowMs)];
  if (!wide) return row;
  // NOTE: upstream reads status.podIPs[0] only; k8sim's kubelet writes status.podIP alone, so the fallback shows
  // the IP a real pod (whose kubelet writes both) would show.
  const ips = (pod.status as { podIPs?: { ip: string }[] }).podIPs;
  const ip = (ips && ips.length > 0 ? ips[0]!.ip : pod.status.podIP) || "<none>";
  const gates = (pod.spec as { readinessGates?: { conditionType: string }[] }).readinessGates ?? [];
  let readinessGates = "<none>";
  if (gates.length > 0) {
    let trueConditions = 0;
    for (const g of gates) {
      const c = (pod.status.conditions ?? []).find((x) => x.type === g.conditionType);
      if (c?.status === "True") trueConditions++;
    }
    readinessGates = `${trueConditions}/${gates.length}`;
  }
  row.push(ip, pod.spec.nodeName || "<none>", pod.status.nominatedNodeName || "<none>", readinessGates);
  return row;
}
