/**
 * The cluster invariants k8sim keeps, checked by the test suite after every engine event (InvariantMonitor) and
 * at the end of a run. Each area has its own file with a pure check returning violations as data; this index lists
 * them and re-exports the pieces.
 */
import { NODE_CAPACITY, SCHEDULER_FIT } from "./node-capacity.js";
import { POD_BINDING } from "./pod-binding.js";
import { REPLICA_CONVERGENCE } from "./replica-convergence.js";
import { RESOURCE_VERSION } from "./resource-version.js";
import type { InvariantInfo } from "./types.js";
import { VIRTUAL_TIME } from "./virtual-time.js";
import { WATCH_DELIVERY } from "./watch-delivery.js";

/** Every invariant, in the order reports list them. */
export const INVARIANTS: readonly InvariantInfo[] = [NODE_CAPACITY, SCHEDULER_FIT, POD_BINDING, RESOURCE_VERSION, WATCH_DELIVERY, VIRTUAL_TIME, REPLICA_CONVERGENCE];

export type { InvariantInfo, Violation } from "./types.js";
export { holdsNodeResources, nodeCapacityViolations, schedulerFitViolations, NODE_CAPACITY, SCHEDULER_FIT } from "./node-capacity.js";
export { orphanDeadline, podBindingViolations, POD_BINDING } from "./pod-binding.js";
export { resourceVersionViolations, RESOURCE_VERSION, type ObservedWrite } from "./resource-version.js";
export { deliveryViolations, lateDeliveryViolations, WATCH_DELIVERY, type ObservedDelivery, type PendingDelivery } from "./watch-delivery.js";
export { DEFAULT_INSTANT_BUDGET, instantViolations, virtualTimeViolations, VIRTUAL_TIME } from "./virtual-time.js";
export { canHold, replicaConvergenceViolations, settleWindow, REPLICA_CONVERGENCE, type ConvergenceState } from "./replica-convergence.js";
export { InvariantMonitor, StuckRunError, type MonitorOptions } from "./monitor.js";
