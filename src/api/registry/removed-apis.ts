/**
 * API versions Kubernetes has stopped serving, with the release that removed each and the version to use
 * (kubernetes.io/docs/reference/using-api/deprecation-guide/). A manifest of one of these gets one consistent
 * error naming its replacement, instead of the "not simulated" warning of a kind k8sim does not model yet.
 */

/** One removed (apiVersion, kind). `replacement` is undefined when the API was dropped with no successor. */
export interface RemovedApi {
  apiVersion: string;
  kind: string;
  removedIn: string;
  replacement?: string;
}

const rows: [string[], string[], string, string | undefined][] = [
  // Only the kinds each version served: apps/v1beta1 had no ReplicaSet or DaemonSet, extensions/v1beta1 no
  // StatefulSet.
  [["extensions/v1beta1"], ["Deployment", "ReplicaSet", "DaemonSet"], "1.16", "apps/v1"],
  [["apps/v1beta1"], ["Deployment", "StatefulSet", "ControllerRevision"], "1.16", "apps/v1"],
  [["apps/v1beta2"], ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision"], "1.16", "apps/v1"],
  [["extensions/v1beta1"], ["NetworkPolicy"], "1.16", "networking.k8s.io/v1"],
  // Its successor policy/v1beta1 went too (1.25), with no replacement.
  [["extensions/v1beta1"], ["PodSecurityPolicy"], "1.16", undefined],
  [["extensions/v1beta1", "networking.k8s.io/v1beta1"], ["Ingress"], "1.22", "networking.k8s.io/v1"],
  [["networking.k8s.io/v1beta1"], ["IngressClass"], "1.22", "networking.k8s.io/v1"],
  [["scheduling.k8s.io/v1alpha1", "scheduling.k8s.io/v1beta1"], ["PriorityClass"], "1.22", "scheduling.k8s.io/v1"],
  [["coordination.k8s.io/v1beta1"], ["Lease"], "1.22", "coordination.k8s.io/v1"],
  [["rbac.authorization.k8s.io/v1beta1"], ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"], "1.22", "rbac.authorization.k8s.io/v1"],
  [["admissionregistration.k8s.io/v1beta1"], ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"], "1.22", "admissionregistration.k8s.io/v1"],
  [["apiextensions.k8s.io/v1beta1"], ["CustomResourceDefinition"], "1.22", "apiextensions.k8s.io/v1"],
  [["apiregistration.k8s.io/v1beta1"], ["APIService"], "1.22", "apiregistration.k8s.io/v1"],
  [["certificates.k8s.io/v1beta1"], ["CertificateSigningRequest"], "1.22", "certificates.k8s.io/v1"],
  [["storage.k8s.io/v1beta1"], ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"], "1.22", "storage.k8s.io/v1"],
  [["authentication.k8s.io/v1beta1"], ["TokenReview"], "1.22", "authentication.k8s.io/v1"],
  [["authorization.k8s.io/v1beta1"], ["LocalSubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview"], "1.22", "authorization.k8s.io/v1"],
  [["batch/v1beta1"], ["CronJob"], "1.25", "batch/v1"],
  [["discovery.k8s.io/v1beta1"], ["EndpointSlice"], "1.25", "discovery.k8s.io/v1"],
  [["events.k8s.io/v1beta1"], ["Event"], "1.25", "events.k8s.io/v1"],
  [["autoscaling/v2beta1"], ["HorizontalPodAutoscaler"], "1.25", "autoscaling/v2"],
  [["autoscaling/v2beta2"], ["HorizontalPodAutoscaler"], "1.26", "autoscaling/v2"],
  [["policy/v1beta1"], ["PodDisruptionBudget"], "1.25", "policy/v1"],
  [["policy/v1beta1"], ["PodSecurityPolicy"], "1.25", undefined],
  [["node.k8s.io/v1beta1"], ["RuntimeClass"], "1.25", "node.k8s.io/v1"],
  [["flowcontrol.apiserver.k8s.io/v1beta1"], ["FlowSchema", "PriorityLevelConfiguration"], "1.26", "flowcontrol.apiserver.k8s.io/v1"],
  [["flowcontrol.apiserver.k8s.io/v1beta2"], ["FlowSchema", "PriorityLevelConfiguration"], "1.29", "flowcontrol.apiserver.k8s.io/v1"],
  [["flowcontrol.apiserver.k8s.io/v1beta3"], ["FlowSchema", "PriorityLevelConfiguration"], "1.32", "flowcontrol.apiserver.k8s.io/v1"],
  [["storage.k8s.io/v1beta1"], ["CSIStorageCapacity"], "1.27", "storage.k8s.io/v1"],
];

const REMOVED = new Map<string, RemovedApi>();
for (const [versions, kinds, removedIn, replacement] of rows) {
  for (const apiVersion of versions) for (const kind of kinds) REMOVED.set(`${apiVersion}/${kind}`, { apiVersion, kind, removedIn, replacement });
}

/** The removal record of (apiVersion, kind), or undefined when it is not a removed API. */
export function removedApi(apiVersion: string, kind: string): RemovedApi | undefined {
  return REMOVED.get(`${apiVersion}/${kind}`);
}

/**
 * The error for a manifest of a removed API: kubectl's resource-mapping wording, then the removal and what to use,
 * e.g. `no matches for kind "Deployment" in version "extensions/v1beta1": the API was removed in Kubernetes 1.16;
 * use apiVersion apps/v1`.
 */
export function removedApiMessage(r: RemovedApi): string {
  const head = `no matches for kind ${JSON.stringify(r.kind)} in version ${JSON.stringify(r.apiVersion)}: the API was removed in Kubernetes ${r.removedIn}`;
  return r.replacement ? `${head}; use apiVersion ${r.replacement}` : `${head} with no replacement`;
}
