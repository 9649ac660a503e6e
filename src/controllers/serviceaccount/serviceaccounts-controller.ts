/**
 * The serviceaccounts controller (pkg/controller/serviceaccount/serviceaccounts_controller.go): keeps the
 * ServiceAccount `default` in every Active namespace, creating it when a namespace appears and again when it is
 * deleted. It creates nothing in a namespace that is not Active, and a create refused because the namespace is
 * terminating (or gone) is not retried.
 */
import type { ApiClient } from "../../api/client.js";
import type { ControlPlane } from "../../api/control-plane.js";
import { DEFAULT_SERVICE_ACCOUNT, type ServiceAccount } from "../../api/serviceaccount/types.js";
import type { Informer } from "../../api/informer.js";
import type { ApiResult } from "../../api/api-result.js";
import type { Namespace } from "../../api/types.js";
import { WorkQueue, type ObjectKey, type ReconcileResult } from "../runtime.js";

/** The accounts ensured in every namespace (DefaultServiceAccountsControllerOptions: just `default`). */
export const SERVICE_ACCOUNTS_TO_ENSURE: readonly string[] = [DEFAULT_SERVICE_ACCOUNT];

/** The ServiceAccount object the controller creates in `namespace`. */
export function ensuredServiceAccount(name: string, namespace: string): ServiceAccount {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } };
}

/**
 * syncNamespace's decision: the accounts to create in `ns` given which exist (`exists(name)`); none when the
 * namespace is missing or not Active.
 */
export function accountsToCreate(ns: Namespace | undefined, exists: (name: string) => boolean): string[] {
  if (ns === undefined || ns.status?.phase !== "Active") return [];
  return SERVICE_ACCOUNTS_TO_ENSURE.filter((n) => !exists(n));
}

/** A create refused because its namespace is gone (404) or terminating (NamespaceLifecycle's 403, upstream's
 *  NamespaceTerminatingCause): the controllers that fill namespaces do not retry those. */
export function namespaceGoneOrTerminating(r: ApiResult<unknown>): boolean {
  return !r.ok && (r.reason === "NotFound" || (r.reason === "Forbidden" && r.message.includes("because it is being terminated")));
}

/** Whether syncNamespace lets a create's failure go (AlreadyExists, or the namespace gone or terminating). */
export function ignorableCreateFailure(r: ApiResult<unknown>): boolean {
  return r.ok || r.reason === "AlreadyExists" || namespaceGoneOrTerminating(r);
}

/** The controller; constructed by the controller manager as "serviceaccount-controller". */
export class ServiceAccountsController {
  private readonly queue: WorkQueue;
  private readonly client: ApiClient;
  private readonly namespaces: Informer<Namespace>;

  constructor(private readonly cp: ControlPlane) {
    this.queue = new WorkQueue(cp.sim, "serviceaccount-controller", (key) => this.syncNamespace(key));
    this.client = cp.client("serviceaccount-controller", "controllerManager");
    // NOTE: upstream creates `default` from its namespace informer's queue, a few ms after the namespace, and the
    // ServiceAccount admission plugin waits for it (up to 10 lookups 100-200ms apart) when a pod comes first. k8sim's
    // API server cannot wait inside a request, so the controller watches the store and creates the account in the
    // instant the namespace is committed (what the controller achieves within admission's retry window): a
    // namespace and a pod applied together at time 0 (a scenario's manifests) behave as upstream, without the
    // FailedCreate a refused `default` lookup would add. The informer path below still runs, as upstream's.
    for (const ns of cp.store.list<Namespace>("Namespace")) this.ensureNow(ns);
    cp.store.watch("Namespace", (type, obj) => {
      // After every watcher has seen the Namespace (Store.afterDelivery), still before its create returns.
      if (type === "ADDED") cp.store.afterDelivery(() => this.ensureNow(obj as Namespace));
    });
    this.namespaces = cp.informers.forKind<Namespace>("Namespace");
    this.namespaces.addHandlers({
      onAdd: (ns) => this.queue.add({ name: ns.metadata.name }),
      onUpdate: (_o, ns) => this.queue.add({ name: ns.metadata.name }),
    });
    cp.informers.serviceAccounts.addHandlers({
      onDelete: (sa) => {
        if (SERVICE_ACCOUNTS_TO_ENSURE.includes(sa.metadata.name)) this.queue.add({ name: sa.metadata.namespace! });
      },
    });
  }

  /** The synchronous creation at a namespace's commit (see the NOTE in the constructor). */
  private ensureNow(ns: Namespace): void {
    const ns0 = ns.metadata.name;
    for (const name of accountsToCreate(ns, (n) => this.cp.store.get("ServiceAccount", ns0, n) !== undefined)) {
      this.cp.api.create(ensuredServiceAccount(name, ns0));
    }
  }

  /** syncNamespace: creates the missing accounts through the controller's client. */
  private syncNamespace(key: ObjectKey): ReconcileResult | void {
    const ns = this.namespaces.get(undefined, key.name);
    const missing = accountsToCreate(ns, (n) => this.cp.informers.serviceAccounts.get(key.name, n) !== undefined);
    for (const name of missing) {
      this.client.request(
        () => this.cp.api.create(ensuredServiceAccount(name, key.name)),
        (r) => {
          if (!ignorableCreateFailure(r)) this.queue.addRateLimited(key);
          else this.queue.forget(key);
        },
      );
    }
    // The creates' outcome decides the key's back-off (runtime.ts `pending`).
    if (missing.length > 0) return { pending: true };
  }
}
