import { describe, type Pod } from "../api/types.js";
import { perWriteCheck } from "./per-write.js";
import { NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The pod-lifecycle invariant. */
export const POD_LIFECYCLE: InvariantInfo = {
  name: "pod-lifecycle",
  statement:
    "a pod's binding is final (spec.nodeName, once set, never changes), so is a terminal phase (Succeeded and Failed never change), and a Running pod is bound",
  when: "every-event",
};

const TERMINAL = new Set(["Succeeded", "Failed"]);

/** Violations of pod-lifecycle for one written pod, `previous` the version it replaced (MODIFIED). Pure. */
export function podLifecycleViolations(pod: Pod, previous: Pod | undefined, time: number): Violation[] {
  const out: Violation[] = [];
  const report = (message: string) => out.push({ invariant: POD_LIFECYCLE.name, time, object: describe(pod), message });
  const phase = pod.status?.phase;
  if (phase === "Running" && !pod.spec.nodeName) report("phase Running, but the pod is bound to no node");
  if (previous !== undefined) {
    const was = previous.spec.nodeName;
    if (was && pod.spec.nodeName !== was) report(`spec.nodeName changed from ${JSON.stringify(was)} to ${JSON.stringify(pod.spec.nodeName ?? "")}: a binding is final`);
    const before = previous.status?.phase;
    if (before !== undefined && TERMINAL.has(before) && phase !== before) report(`phase went from ${before} to ${phase ?? "(none)"}: a terminal phase is final`);
  }
  return out;
}

/** pod-lifecycle, attributed to the Pod kind and the kubelet (which writes phases); judged on every Pod write. */
export const POD_LIFECYCLE_CHECK: InvariantRegistration = {
  ...POD_LIFECYCLE,
  owners: [{ kind: "Pod" }, { component: "kubelet" }],
  create: (cluster) => perWriteCheck(["Pod"], () => cluster.sim.now, (type, obj, old, time) => (type === "DELETED" ? NONE : podLifecycleViolations(obj as Pod, old as Pod | undefined, time))),
};
