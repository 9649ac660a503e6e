/**
 * Priority (plugin/pkg/admission/priority/admission.go): resolves a pod's priorityClassName to spec.priority. With
 * no PriorityClass objects simulated yet, the two built-in classes are known (scheduling.SystemCriticalPriority
 * based: system-cluster-critical 2000000000, system-node-critical 2000001000) and a pod naming no class gets 0,
 * as with no globalDefault class; any other name is refused as upstream refuses a missing class.
 */
import { apiFailure } from "../api-result.js";
import type { Pod } from "../types.js";
import type { AdmissionPlugin } from "./plugin.js";

/** The built-in priority classes (pkg/apis/scheduling/types.go SystemPriorityClasses). */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = Object.freeze({
  "system-cluster-critical": 2_000_000_000,
  "system-node-critical": 2_000_001_000,
});
/** Priority of a pod without a class when no class is globalDefault. */
export const DEFAULT_POD_PRIORITY = 0;
/** The default preemptionPolicy (PreemptLowerPriority). */
export const DEFAULT_PREEMPTION_POLICY = "PreemptLowerPriority";

const admitted = new WeakMap<Pod["spec"], Pod["spec"]>();

/** The plugin (pods, on create). */
export const priority: AdmissionPlugin = {
  name: "Priority",
  kinds: ["Pod"],
  enabledByDefault: true,
  operations: ["CREATE"],
  admit(req) {
    const pod = req.object as Pod;
    let spec = admitted.get(pod.spec);
    if (spec === undefined) {
      const name = pod.spec.priorityClassName as string | undefined;
      let value = DEFAULT_POD_PRIORITY;
      if (name) {
        if (!Object.hasOwn(SYSTEM_PRIORITY_CLASSES, name)) {
          return apiFailure(403, "Forbidden", `pods "${req.name}" is forbidden: no PriorityClass with name ${name} was found`);
        }
        value = SYSTEM_PRIORITY_CLASSES[name]!;
      }
      if (pod.spec.priority !== undefined && pod.spec.priority !== value) {
        return apiFailure(403, "Forbidden", `pods "${req.name}" is forbidden: the integer value of priority (${pod.spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
      }
      const unchanged = pod.spec.priority === value && pod.spec.preemptionPolicy !== undefined;
      spec = unchanged ? pod.spec : { ...pod.spec, priority: value, preemptionPolicy: pod.spec.preemptionPolicy ?? DEFAULT_PREEMPTION_POLICY };
      admitted.set(pod.spec, spec);
    }
    return spec === pod.spec ? pod : { ...pod, spec };
  },
};
