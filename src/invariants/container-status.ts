import { getCondition } from "../api/pod-util.js";
import { describe, type ContainerStatus, type Pod } from "../api/types.js";
import { perWriteCheck } from "./per-write.js";
import { NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The container-status invariant. */
export const CONTAINER_STATUS: InvariantInfo = {
  name: "container-status",
  statement:
    "a pod's container statuses agree with each other and with the pod: a ready or started container is running, a restartCount never goes down, an app container runs only after every regular init container exited 0, a Ready pod has every app container ready, and a Succeeded pod's app containers all exited 0",
  when: "every-event",
};

/** Violations of container-status for one written pod, `previous` the version it replaced (MODIFIED). Pure. */
export function containerStatusViolations(pod: Pod, previous: Pod | undefined, time: number): Violation[] {
  const out: Violation[] = [];
  const report = (message: string) => out.push({ invariant: CONTAINER_STATUS.name, time, object: describe(pod), message });
  const init = pod.status?.initContainerStatuses ?? [];
  const apps = pod.status?.containerStatuses ?? [];
  const sidecars = new Set((pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name));
  for (const s of [...init, ...apps]) {
    const regularInit = init.includes(s) && !sidecars.has(s.name);
    if (s.started === true && !s.state.running) report(`container ${s.name} is started but not running`);
    if (s.ready && !regularInit && !s.state.running) report(`container ${s.name} is ready but not running`);
    if (s.ready && regularInit && s.state.terminated?.exitCode !== 0) report(`init container ${s.name} is ready but did not exit 0`);
    if (s.restartCount < 0 || !Number.isInteger(s.restartCount)) report(`container ${s.name} has restartCount ${s.restartCount}`);
  }
  if (apps.some((s) => s.state.running)) {
    for (const s of init) {
      if (sidecars.has(s.name)) continue;
      if (s.state.terminated?.exitCode !== 0) report(`app containers run while init container ${s.name} has not exited 0`);
    }
  }
  if (getCondition(pod.status?.conditions, "Ready")?.status === "True") {
    const unready = apps.filter((s) => !s.ready).map((s) => s.name);
    if (unready.length > 0) report(`condition Ready is True with containers not ready: ${unready.join(", ")}`);
  }
  if (pod.status?.phase === "Succeeded") {
    for (const s of apps) if (s.state.terminated?.exitCode !== 0) report(`phase Succeeded, but container ${s.name} did not exit 0`);
  }
  if (previous !== undefined && previous.metadata.uid === pod.metadata.uid) {
    const before = new Map<string, ContainerStatus>();
    for (const s of [...(previous.status?.initContainerStatuses ?? []), ...(previous.status?.containerStatuses ?? [])]) before.set(s.name, s);
    for (const s of [...init, ...apps]) {
      const b = before.get(s.name);
      if (b !== undefined && s.restartCount < b.restartCount) report(`container ${s.name}'s restartCount went from ${b.restartCount} to ${s.restartCount}`);
    }
  }
  return out;
}

/** container-status, attributed to the Pod kind and the kubelet (which writes container statuses). */
export const CONTAINER_STATUS_CHECK: InvariantRegistration = {
  ...CONTAINER_STATUS,
  owners: [{ kind: "Pod" }, { component: "kubelet" }],
  create: (cluster) =>
    perWriteCheck(["Pod"], () => cluster.sim.now, (type, obj, old, time) => (type === "DELETED" ? NONE : containerStatusViolations(obj as Pod, old as Pod | undefined, time))),
};
