/**
 * Starts the scenario's spec.faults processes (k8sim's own; no upstream analogue) on a cluster, all through the
 * run's one FaultInjector (made in src/run.ts startRun, shared with the TimelinePlayer), so every injected fault is
 * a faults.csv row and a k8simFault<Action> Event with the process name as its source.
 */
import type { Cluster } from "../../cluster.js";
import { assertNever } from "../../engine/assert-never.js";
import type { FaultProcess } from "./spec.js";
import type { FaultInjector } from "../injector.js";
import { NodeFailureProcess } from "./node-failures.js";
import { startContainerCrashes, startRegistryOutages, startZoneOutages } from "./poisson.js";

/** Starts each process, in file order (each registers its own engine component `faults/<name>`). */
export function startFaultProcesses(cluster: Cluster, processes: readonly FaultProcess[], injector: FaultInjector): void {
  for (const p of processes) {
    switch (p.type) {
      case "nodeFailure":
        new NodeFailureProcess(cluster, p, injector);
        break;
      case "containerCrash":
        startContainerCrashes(cluster, p, injector);
        break;
      case "zoneOutage":
        startZoneOutages(cluster, p, injector);
        break;
      case "imageRegistryOutage":
        startRegistryOutages(cluster, p, injector);
        break;
      default:
        assertNever(p);
    }
  }
}
