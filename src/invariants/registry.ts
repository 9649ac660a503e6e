/**
 * The invariant registry: every invariant k8sim keeps, each attributed to the kinds (src/api/registry/registry.ts
 * KINDS), controllers (src/controllers/manager.ts CONTROLLERS) and components whose behaviour it guards, with the
 * factory of its incremental check. The test suite's scenario runs and `k8sim run --check-invariants` evaluate every
 * entry after every engine event (InvariantMonitor); a new kind or controller adds its checks here, and
 * test/invariant-registry.test.ts fails until every registered kind and controller has one.
 */
import type { Cluster } from "../cluster.js";
import { CRONJOB_STATUS_CHECK, JOB_STATUS_CHECK, TTL_AFTER_FINISHED_CHECK } from "./batch-status.js";
import { CONFIG_DATA_CHECK } from "./config-data.js";
import { CONTAINER_STATUS_CHECK } from "./container-status.js";
import { EVENT_RECORD_CHECK } from "./event-record.js";
import { LIFECYCLE_TAINTS_CHECK } from "./lifecycle-taints.js";
import { NAMESPACE_EXISTS_CHECK } from "./namespace-exists.js";
import { NAMESPACE_TERMINATING_CHECK } from "./namespace-terminating.js";
import { FOREGROUND_DELETION_CHECK, OWNER_REFERENCES_CHECK } from "./garbage-collection.js";
import { NODE_CAPACITY_CHECK, SCHEDULER_FIT_CHECK } from "./node-capacity.js";
import { NODE_LEASE_CHECK } from "./node-lease.js";
import { POD_BINDING_CHECK } from "./pod-binding.js";
import { POD_CIDR_CHECK } from "./pod-cidr.js";
import { POD_LIFECYCLE_CHECK } from "./pod-lifecycle.js";
import { REPLICA_CONVERGENCE_CHECK } from "./replica-convergence.js";
import { RESOURCE_VERSION_CHECK } from "./resource-version.js";
import { SERVICE_ALLOCATION_CHECK } from "./service-allocation.js";
import { ENDPOINTS_MATCH_CHECK, ENDPOINTSLICE_MIRRORING_CHECK, ENDPOINTSLICES_MATCH_CHECK } from "./endpoints-match.js";
import { QUOTA_USED_CHECK } from "./quota-used.js";
import { LIMIT_RANGE_ADMITTED_CHECK, NAMESPACE_DEFAULTS_CHECK, POD_SERVICE_ACCOUNT_CHECK, SERVICE_ACCOUNT_TOKENS_CHECK } from "./tenancy.js";
import { TAINT_EVICTION_CHECK } from "./taint-eviction.js";
import type { InvariantOwner, InvariantRegistration } from "./types.js";
import { VIRTUAL_TIME_CHECK } from "./virtual-time.js";
import { WATCH_DELIVERY_CHECK } from "./watch-delivery.js";
import { DEPLOYMENT_STATUS_CHECK, REPLICASET_STATUS_CHECK } from "./workload-status.js";

/** Every invariant, in the order the monitor evaluates them and reports list them. */
export const INVARIANT_REGISTRY: readonly InvariantRegistration[] = [
  // The run itself and the API machinery every kind shares.
  VIRTUAL_TIME_CHECK,
  RESOURCE_VERSION_CHECK,
  WATCH_DELIVERY_CHECK,
  // Kinds, in KINDS order.
  NAMESPACE_EXISTS_CHECK,
  NODE_CAPACITY_CHECK,
  POD_LIFECYCLE_CHECK,
  POD_BINDING_CHECK,
  CONTAINER_STATUS_CHECK,
  DEPLOYMENT_STATUS_CHECK,
  REPLICASET_STATUS_CHECK,
  JOB_STATUS_CHECK,
  CRONJOB_STATUS_CHECK,
  CONFIG_DATA_CHECK,
  POD_SERVICE_ACCOUNT_CHECK,
  SERVICE_ALLOCATION_CHECK,
  ENDPOINTS_MATCH_CHECK,
  ENDPOINTSLICES_MATCH_CHECK,
  QUOTA_USED_CHECK,
  LIMIT_RANGE_ADMITTED_CHECK,
  NODE_LEASE_CHECK,
  EVENT_RECORD_CHECK,
  // Components and controllers, in CONTROLLERS order.
  SCHEDULER_FIT_CHECK,
  LIFECYCLE_TAINTS_CHECK,
  TAINT_EVICTION_CHECK,
  REPLICA_CONVERGENCE_CHECK,
  TTL_AFTER_FINISHED_CHECK,
  ENDPOINTSLICE_MIRRORING_CHECK,
  POD_CIDR_CHECK,
  SERVICE_ACCOUNT_TOKENS_CHECK,
  NAMESPACE_DEFAULTS_CHECK,
  NAMESPACE_TERMINATING_CHECK,
  FOREGROUND_DELETION_CHECK,
  OWNER_REFERENCES_CHECK,
];

/** One owner as text: "Pod", "replicaset-controller", "engine". */
export function ownerName(o: InvariantOwner): string {
  return "kind" in o ? o.kind : "controller" in o ? o.controller : o.component;
}

/** The registered invariants attributed to `owner` (a kind, controller or component name). */
export function invariantsOf(owner: string, registry: readonly InvariantRegistration[] = INVARIANT_REGISTRY): InvariantRegistration[] {
  return registry.filter((r) => r.owners.some((o) => ownerName(o) === owner));
}

/** Whether `r`'s check is created for `cluster`: its own appliesTo, else every controller among its owners runs. */
export function appliesTo(r: InvariantRegistration, cluster: Cluster): boolean {
  if (r.appliesTo) return r.appliesTo(cluster);
  return r.owners.every((o) => !("controller" in o) || cluster.controllers.has(o.controller));
}
