/**
 * The controller manager (cmd/kube-controller-manager/app/controllermanager.go): one table of the controllers k8sim
 * runs, each with its upstream name (and the short alias older releases used), whether it is on by default, and
 * how it starts. `--controllers` (the `controllers` setting) picks the set: "*" is every controller on by default,
 * "name" enables one, "-name" disables one, as IsControllerEnabled.
 */
import type { ControlPlane } from "../api/control-plane.js";
import { CronJobController } from "./cronjob/controller.js";
import { DeploymentController } from "./deployment.js";
import { JobController } from "./job/job-controller.js";
import { NodeIpamController } from "./node-ipam.js";
import { NodeLifecycleController } from "./node-lifecycle.js";
import { PodGCController } from "./podgc.js";
import type { PodsByNode } from "../api/pods-by-node.js";
import { ReplicaSetController } from "./replicaset.js";
import { TaintEvictionController } from "./taint-eviction.js";
import { TtlAfterFinishedController } from "./ttl-after-finished.js";
import { EndpointsController } from "./endpoint/endpoints-controller.js";
import { EndpointSliceController } from "./endpointslice/endpointslice-controller.js";
import { EndpointSliceMirroringController } from "./endpointslice-mirroring/mirroring-controller.js";
import { RootCACertPublisher } from "./certificates/root-ca-cert-publisher.js";
import { ServiceAccountsController } from "./serviceaccount/serviceaccounts-controller.js";
import { TokensController } from "./serviceaccount/tokens-controller.js";
import { ResourceQuotaController } from "./resourcequota/controller.js";
import { ServiceLBController } from "./service-lb/controller.js";
import { GarbageCollector } from "./garbagecollector/garbage-collector.js";
import { NamespaceController } from "./namespace/namespace-controller.js";

/** What controllers share: the control plane and the pod-per-node index of the pod informer. */
export interface ControllerContext {
  cp: ControlPlane;
  podsByNode: PodsByNode;
  /** The running controllers so far, by name (a later controller may read an earlier one's index). */
  started: Map<string, unknown>;
}

/** One controller of the table. */
export interface ControllerDescriptor {
  /** Upstream name (names.go, since v1.28), e.g. "replicaset-controller". */
  name: string;
  /** The pre-1.28 name, still accepted by --controllers. */
  alias: string;
  enabledByDefault: boolean;
  start(ctx: ControllerContext): unknown;
}

/** The controllers in their start order (fixed, so the run is). */
export const CONTROLLERS: readonly ControllerDescriptor[] = [
  // Started before the others, as upstream starts the token controller first (controllermanager.go StartControllers).
  { name: "serviceaccount-token-controller", alias: "serviceaccount-token", enabledByDefault: true, start: (c) => new TokensController(c.cp) },
  { name: "node-lifecycle-controller", alias: "nodelifecycle", enabledByDefault: true, start: (c) => new NodeLifecycleController(c.cp, c.podsByNode) },
  { name: "taint-eviction-controller", alias: "taint-eviction-controller", enabledByDefault: true, start: (c) => new TaintEvictionController(c.cp, c.podsByNode) },
  { name: "replicaset-controller", alias: "replicaset", enabledByDefault: true, start: (c) => new ReplicaSetController(c.cp) },
  {
    name: "deployment-controller",
    alias: "deployment",
    enabledByDefault: true,
    // NOTE: upstream's deployment controller lists pods itself; k8sim reads the ReplicaSet controller's index of
    // pods by owner, so without that controller it sees no pods (which is all there would be).
    start: (c) => new DeploymentController(c.cp, (c.started.get("replicaset-controller") as ReplicaSetController | undefined) ?? { podsOwnedBy: () => [] }),
  },
  { name: "job-controller", alias: "job", enabledByDefault: true, start: (c) => new JobController(c.cp) },
  { name: "cronjob-controller", alias: "cronjob", enabledByDefault: true, start: (c) => new CronJobController(c.cp) },
  { name: "ttl-after-finished-controller", alias: "ttl-after-finished", enabledByDefault: true, start: (c) => new TtlAfterFinishedController(c.cp) },
  { name: "endpoints-controller", alias: "endpoint", enabledByDefault: true, start: (c) => new EndpointsController(c.cp) },
  { name: "endpointslice-controller", alias: "endpointslice", enabledByDefault: true, start: (c) => new EndpointSliceController(c.cp) },
  { name: "endpointslice-mirroring-controller", alias: "endpointslicemirroring", enabledByDefault: true, start: (c) => new EndpointSliceMirroringController(c.cp) },
  { name: "pod-garbage-collector-controller", alias: "podgc", enabledByDefault: true, start: (c) => new PodGCController(c.cp, c.podsByNode) },
  { name: "garbage-collector-controller", alias: "garbagecollector", enabledByDefault: true, start: (c) => new GarbageCollector(c.cp) },
  { name: "namespace-controller", alias: "namespace", enabledByDefault: true, start: (c) => new NamespaceController(c.cp) },
  { name: "node-ipam-controller", alias: "nodeipam", enabledByDefault: true, start: (c) => new NodeIpamController(c.cp) },
  { name: "resourcequota-controller", alias: "resourcequota", enabledByDefault: true, start: (c) => new ResourceQuotaController(c.cp) },
  { name: "serviceaccount-controller", alias: "serviceaccount", enabledByDefault: true, start: (c) => new ServiceAccountsController(c.cp) },
  { name: "root-ca-certificate-publisher-controller", alias: "root-ca-cert-publisher", enabledByDefault: true, start: (c) => new RootCACertPublisher(c.cp) },
  // NOTE: upstream runs it in the cloud-controller-manager (alias "service"); k8sim's simulated cloud runs it here.
  { name: "service-lb-controller", alias: "service", enabledByDefault: true, start: (c) => new ServiceLBController(c.cp) },
];

/**
 * Whether `name` runs under `--controllers` = `spec` (IsControllerEnabled): an explicit "-name" wins, then an
 * explicit "name", then "*" for controllers on by default.
 */
export function isControllerEnabled(d: ControllerDescriptor, spec: readonly string[]): boolean {
  const names = [d.name, d.alias];
  let star = false;
  for (const s of spec) {
    if (names.some((n) => s === `-${n}`)) return false;
    if (names.includes(s)) return true;
    if (s === "*") star = true;
  }
  return star && d.enabledByDefault;
}

/** Starts the enabled controllers in table order and returns them by name. */
export function startControllers(cp: ControlPlane): Map<string, unknown> {
  const ctx: ControllerContext = { cp, podsByNode: cp.podsByNode, started: new Map() };
  for (const d of CONTROLLERS) if (isControllerEnabled(d, cp.settings.controllers)) ctx.started.set(d.name, d.start(ctx));
  return ctx.started;
}
