/**
 * Which resource names and scopes a ResourceQuota or LimitRange may name (pkg/apis/core/helper/helpers.go, v1.32:
 * IsStandardQuotaResourceName, IsStandardResourceName, IsIntegerResourceName, IsStandardResourceQuotaScope,
 * IsResourceQuotaScopeValidForResource, IsStandardContainerResourceName, IsExtendedResourceName).
 */

/** standardQuotaResources: the names the quota system tracks without a "/" (hugepages aside). */
export const STANDARD_QUOTA_RESOURCES: ReadonlySet<string> = new Set([
  "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage",
  "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services", "replicationcontrollers",
  "secrets", "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers",
]);

/** standardResources: every resource name known to the system without a "/" (quota names, plus storage). */
const STANDARD_RESOURCES: ReadonlySet<string> = new Set([...STANDARD_QUOTA_RESOURCES, "storage"]);

/** integerResources: counted names whose quantities must be whole. */
const INTEGER_RESOURCES: ReadonlySet<string> = new Set([
  "pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims",
  "services.nodeports", "services.loadbalancers",
]);

/** standardResourceQuotaScopes. */
export const STANDARD_QUOTA_SCOPES: ReadonlySet<string> = new Set(["Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity"]);

const POD_COMPUTE_QUOTA_RESOURCES: ReadonlySet<string> = new Set(["cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory"]);

/** IsHugePageResourceName / IsQuotaHugePageResourceName: hugepages-<size>, requests.hugepages-<size>, limits.hugepages-<size>. */
function isQuotaHugePage(name: string): boolean {
  return name.startsWith("hugepages-") || name.startsWith("requests.hugepages-") || name.startsWith("limits.hugepages-");
}

/** IsStandardQuotaResourceName. */
export function isStandardQuotaResourceName(name: string): boolean {
  return STANDARD_QUOTA_RESOURCES.has(name) || isQuotaHugePage(name);
}

/** IsStandardResourceName. */
export function isStandardResourceName(name: string): boolean {
  return STANDARD_RESOURCES.has(name) || isQuotaHugePage(name);
}

/** IsNativeResource: unprefixed, or in a kubernetes.io namespace. */
export function isNativeResource(name: string): boolean {
  return !name.includes("/") || name.includes("kubernetes.io/");
}

/** IsExtendedResourceName (the requests.-prefixed form's qualified-name check left out: k8sim takes it as valid). */
export function isExtendedResourceName(name: string): boolean {
  return !isNativeResource(name) && !name.startsWith("requests.");
}

/** IsIntegerResourceName. */
export function isIntegerResourceName(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
}

/** IsStandardContainerResourceName: cpu, memory, ephemeral-storage, hugepages-*. */
export function isStandardContainerResourceName(name: string): boolean {
  return name === "cpu" || name === "memory" || name === "ephemeral-storage" || name.startsWith("hugepages-");
}

/** IsOvercommitAllowed: native and not hugepages. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !name.startsWith("hugepages-");
}

/** IsResourceQuotaScopeValidForResource: pod scopes go with pods and pod compute resources; BestEffort with pods only. */
export function isScopeValidForResource(scope: string, resource: string): boolean {
  switch (scope) {
    case "Terminating":
    case "NotTerminating":
    case "NotBestEffort":
    case "PriorityClass":
    case "CrossNamespacePodAffinity":
      return resource === "pods" || POD_COMPUTE_QUOTA_RESOURCES.has(resource);
    case "BestEffort":
      return resource === "pods";
    default:
      return true;
  }
}
