/**
 * The `kubernetes` Service in namespace default and its endpoints, as kube-apiserver keeps them: the controlplane
 * controller pkg/controlplane/controller/kubernetesservice (controller.go CreateOrUpdateMasterServiceIfNeeded,
 * createPortAndServiceSpec) writes the Service, and the lease endpoint reconciler
 * (pkg/controlplane/reconcilers/lease.go with endpointsadapter.go) writes the Endpoints and the EndpointSlice of the
 * same name from the API servers' addresses.
 *
 * NOTE: k8sim has one API server and no control-plane node, so the reconciler's address list is one documented
 * constant (API_SERVER_ADDRESS) and the objects are written once, at bootstrap, instead of every
 * --endpoint-reconciler interval (10s): nothing in the simulation changes them afterwards.
 */
import type { Endpoints, EndpointSlice, Service } from "./types.js";

/** The Service's name and port (controller.go: "kubernetes", port 443 named https). */
export const KUBERNETES_SERVICE_NAME = "kubernetes";
export const KUBERNETES_SERVICE_PORT = 443;
/** kube-apiserver --secure-port as kubeadm sets it (cmd/kubeadm/app/constants KubeAPIServerPort). */
export const API_SERVER_SECURE_PORT = 6443;
/**
 * The simulated API server's advertise address (--advertise-address), the one address the lease reconciler
 * publishes. Model constant: a control-plane node's address outside the worker nodes' 10.0.0.0/16
 * (kubelet/node-object.ts nodeIP).
 */
export const API_SERVER_ADDRESS = "172.16.0.2";

/** The Service as the controlplane controller creates it: clusterIP the range's first address, no selector. */
export function kubernetesService(clusterIP: string): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: KUBERNETES_SERVICE_NAME, namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
    spec: {
      type: "ClusterIP",
      clusterIP,
      sessionAffinity: "None",
      ports: [{ name: "https", protocol: "TCP", port: KUBERNETES_SERVICE_PORT, targetPort: API_SERVER_SECURE_PORT }],
    },
  };
}

/** The Endpoints as the lease reconciler writes them, marked skip-mirror so that the mirroring controller leaves them. */
export function kubernetesEndpoints(address = API_SERVER_ADDRESS): Endpoints {
  return {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name: KUBERNETES_SERVICE_NAME, namespace: "default", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
    subsets: [{ addresses: [{ ip: address }], ports: [{ name: "https", port: API_SERVER_SECURE_PORT, protocol: "TCP" }] }],
  };
}

/** The EndpointSlice as endpointsadapter.go derives it from those Endpoints (endpointSliceFromEndpoints). */
export function kubernetesEndpointSlice(address = API_SERVER_ADDRESS): EndpointSlice {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: KUBERNETES_SERVICE_NAME, namespace: "default", labels: { "kubernetes.io/service-name": KUBERNETES_SERVICE_NAME } },
    addressType: "IPv4",
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports: [{ name: "https", port: API_SERVER_SECURE_PORT, protocol: "TCP" }],
  };
}
