/** k8sim's version, written into summary.json: same scenario + seed + version => same bytes. Kept equal to
 *  package.json's by test/version.test.ts. */
export const K8SIM_VERSION = "0.1.0";
/** The Kubernetes release k8sim's API machinery is pinned to: the OpenAPI schemas manifests are strictly decoded
 *  against (schemas/kubernetes/v<this>.json) and the version kubelets report. Behaviour that changed in a later
 *  or earlier release is marked NOTE where it is modelled. */
export const KUBERNETES_VERSION = "1.34.0";
