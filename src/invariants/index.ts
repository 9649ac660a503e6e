/**
 * The cluster invariants k8sim keeps, checked by the test suite after every engine event (InvariantMonitor) and
 * at the end of a run, and by `k8sim run --check-invariants`. Each area has its own file with a pure check returning
 * violations as data and its registry entry (the incremental bookkeeping); registry.ts lists the entries, this
 * index re-exports the pieces.
 */
import { INVARIANT_REGISTRY } from "./registry.js";
import type { InvariantInfo } from "./types.js";

/** Every invariant, in the order reports list them (the registry's entries). */
export const INVARIANTS: readonly InvariantInfo[] = INVARIANT_REGISTRY;

export { appliesTo, invariantsOf, INVARIANT_REGISTRY, ownerName } from "./registry.js";
export { Findings, NONE, type CheckOptions, type InvariantCheck, type InvariantComponent, type InvariantInfo, type InvariantOwner, type InvariantRegistration, type Violation } from "./types.js";
export { holdsNodeResources, nodeCapacityViolations, schedulerFitViolations, NODE_CAPACITY, SCHEDULER_FIT } from "./node-capacity.js";
export { orphanDeadline, podBindingViolations, POD_BINDING } from "./pod-binding.js";
export { resourceVersionViolations, RESOURCE_VERSION, type ObservedWrite } from "./resource-version.js";
export { deliveryViolations, lateDeliveryViolations, WATCH_DELIVERY, type ObservedDelivery, type PendingDelivery } from "./watch-delivery.js";
export { DEFAULT_INSTANT_BUDGET, instantViolations, virtualTimeViolations, VIRTUAL_TIME } from "./virtual-time.js";
export { canHold, quiescentAtEnd, replicaConvergenceViolations, settleWindow, REPLICA_CONVERGENCE, type ConvergenceState } from "./replica-convergence.js";
export { namespaceViolations, NAMESPACE_EXISTS } from "./namespace-exists.js";
export { leaseViolations, nodeLeaseOwnerViolations, NODE_LEASE } from "./node-lease.js";
export { podLifecycleViolations, POD_LIFECYCLE } from "./pod-lifecycle.js";
export { deploymentStatusViolations, replicaSetStatusViolations, DEPLOYMENT_STATUS, REPLICASET_STATUS } from "./workload-status.js";
export { eventRecordViolations, EVENT_RECORD } from "./event-record.js";
export { cronJobStatusViolations, jobStatusViolations, CRONJOB_STATUS, JOB_STATUS } from "./batch-status.js";
export { configDataViolations, CONFIG_DATA } from "./config-data.js";
export { lifecycleTaintViolations, LIFECYCLE_TAINTS } from "./lifecycle-taints.js";
export { taintEvictionViolations, TAINT_EVICTION, type NoExecuteState } from "./taint-eviction.js";
export { podCIDRViolations, POD_CIDR } from "./pod-cidr.js";
export { InvariantMonitor, InvariantViolationError, StuckRunError, type MonitorOptions } from "./monitor.js";
