/**
 * The root CA certificate publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go): the ConfigMap
 * kube-root-ca.crt in every namespace, data `ca.crt` the cluster's CA bundle (a seeded stand-in,
 * src/api/serviceaccount/stand-ins.ts) and the kubernetes.io/description annotation; recreated when deleted, and its
 * data and annotation restored when changed. Pods read it through their kube-api-access-* projected volume, so the
 * kubelet's mount waits for it (FailedMount `configmap "kube-root-ca.crt" not found` until it exists).
 */
import type { ApiClient } from "../../api/client.js";
import type { ControlPlane } from "../../api/control-plane.js";
import type { Informer } from "../../api/informer.js";
import { CLUSTER_CA_STREAM, standInRootCA } from "../../api/serviceaccount/stand-ins.js";
import { DESCRIPTION_ANNOTATION, ROOT_CA_CONFIG_MAP, ROOT_CA_DESCRIPTION, ROOT_CA_KEY } from "../../api/serviceaccount/types.js";
import type { ConfigMap, Namespace } from "../../api/types.js";
import { namespaceGoneOrTerminating } from "../serviceaccount/serviceaccounts-controller.js";
import { WorkQueue, type ObjectKey, type ReconcileResult } from "../runtime.js";

/** The ConfigMap the publisher creates in `namespace`. */
export function rootCAConfigMap(namespace: string, ca: string): ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: ROOT_CA_CONFIG_MAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION } },
    data: { [ROOT_CA_KEY]: ca },
  };
}

/**
 * syncNamespace's decision for an existing ConfigMap: the replacement to write (data exactly `{ca.crt}`, the
 * description annotation set, other annotations and fields kept), or undefined when its data equals that and the
 * annotation is non-empty.
 */
export function rootCAUpdate(cm: ConfigMap, ca: string): ConfigMap | undefined {
  const data = cm.data ?? {};
  const keys = Object.keys(data);
  const inSync = keys.length === 1 && data[ROOT_CA_KEY] === ca;
  if (inSync && (cm.metadata.annotations?.[DESCRIPTION_ANNOTATION] ?? "") !== "") return undefined;
  return {
    ...cm,
    metadata: { ...cm.metadata, annotations: { ...(cm.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION } },
    data: { [ROOT_CA_KEY]: ca },
  };
}

/** The controller; constructed by the controller manager as "root-ca-certificate-publisher-controller". */
export class RootCACertPublisher {
  private readonly queue: WorkQueue;
  private readonly client: ApiClient;
  private readonly configMaps: Informer<ConfigMap>;
  /** The CA bundle published (the same for every namespace and for the token controller). */
  readonly rootCA: string;

  constructor(private readonly cp: ControlPlane) {
    this.rootCA = standInRootCA(cp.sim.stream(CLUSTER_CA_STREAM));
    this.queue = new WorkQueue(cp.sim, "root-ca-certificate-publisher-controller", (key) => this.syncNamespace(key));
    this.client = cp.client("root-ca-certificate-publisher-controller", "controllerManager");
    // NOTE: upstream creates the ConfigMap from its namespace informer's queue, a few ms after the namespace; a pod
    // created with its namespace (a scenario's manifests at time 0) is mounted after that. k8sim creates it in the
    // instant the namespace is committed, as the serviceaccounts controller does `default`
    // (serviceaccount/serviceaccounts-controller.ts), so that order holds whatever the informer latency; a deleted or
    // changed ConfigMap is restored through the informer and the queue, on upstream's timing.
    for (const ns of cp.store.list<Namespace>("Namespace")) this.ensureNow(ns);
    cp.store.watch("Namespace", (type, obj) => {
      // After every watcher has seen the Namespace (Store.afterDelivery), still before its create returns.
      if (type === "ADDED") cp.store.afterDelivery(() => this.ensureNow(obj as Namespace));
    });
    this.configMaps = cp.informers.configMaps;
    const onConfigMap = (cm: ConfigMap) => {
      if (cm.metadata.name === ROOT_CA_CONFIG_MAP) this.queue.add({ name: cm.metadata.namespace! });
    };
    this.configMaps.addHandlers({ onUpdate: (_o, cm) => onConfigMap(cm), onDelete: onConfigMap });
    cp.informers.forKind<Namespace>("Namespace").addHandlers({
      onAdd: (ns) => this.queue.add({ name: ns.metadata.name }),
      onUpdate: (_o, ns) => {
        if (ns.status?.phase === "Active") this.queue.add({ name: ns.metadata.name });
      },
    });
  }

  private ensureNow(ns: Namespace): void {
    const name = ns.metadata.name;
    if (ns.status?.phase !== "Active" || this.cp.store.get("ConfigMap", name, ROOT_CA_CONFIG_MAP) !== undefined) return;
    this.cp.api.create(rootCAConfigMap(name, this.rootCA));
  }

  /** syncNamespace: creates the ConfigMap if the cache has none, else restores its data and annotation. */
  private syncNamespace(key: ObjectKey): ReconcileResult | void {
    const ns = key.name;
    const cm = this.configMaps.get(ns, ROOT_CA_CONFIG_MAP);
    const retry = (r: { ok: boolean }) => {
      if (!r.ok) this.queue.addRateLimited(key);
      else this.queue.forget(key);
    };
    if (cm === undefined) {
      // A create refused because the namespace is gone or terminating is not retried, as upstream; any other
      // failure (AlreadyExists from a stale cache included) is.
      this.client.request(() => this.cp.api.create(rootCAConfigMap(ns, this.rootCA)), (r) => retry({ ok: r.ok || namespaceGoneOrTerminating(r) }));
      // The write's outcome decides the key's back-off (runtime.ts `pending`).
      return { pending: true };
    }
    const next = rootCAUpdate(cm, this.rootCA);
    if (next === undefined) return;
    this.client.request(() => this.cp.api.update(next), retry);
    return { pending: true };
  }
}
