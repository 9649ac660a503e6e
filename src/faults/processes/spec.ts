/**
 * The seeded random fault processes of spec.faults as the loader hands them over (k8sim's own; no upstream
 * analogue), typed here, beside the processes that run them, so the fault injector's folder needs nothing of the
 * scenario's (src/scenario/types.ts re-exports it).
 */
import type { Distribution } from "../../workload/distribution.js";

/** Where a process is declared: the scenario file, 1-based line and column (scenario/types SourcePos). */
interface DeclaredAt {
  file: string;
  line: number;
  col: number;
}

/** What every spec.faults process has (k8sim's own; no upstream analogue): its name (the FaultLog source and the
 *  stream `faults/<name>`) and its active window, virtual ms (`endMs` undefined: until the run ends). */
interface FaultProcessBase {
  name: string;
  startMs: number;
  endMs: number | undefined;
  source: DeclaredAt;
}

/** A seeded random fault process of spec.faults (src/faults/processes/). */
export type FaultProcess =
  /** Each covered node fails after a draw of `mtbf` and recovers after a draw of `mttr`; `pool` / `zone` undefined:
   *  every node. */
  | (FaultProcessBase & { type: "nodeFailure"; pool: string | undefined; zone: string | undefined; mtbf: Distribution; mttr: Distribution; mtbfText: string; mttrText: string })
  /** Poisson crashes at `ratePerHour` of one running pod matching `selector` (`namespace` undefined: any). */
  | (FaultProcessBase & { type: "containerCrash"; selector: string; namespace: string | undefined; container: string | undefined; exitCode: number; ratePerHour: number })
  /** Poisson zone outages at `ratePerHour`, each of one of `zones` for a draw of `duration`. */
  | (FaultProcessBase & { type: "zoneOutage"; zones: string[]; ratePerHour: number; duration: Distribution; durationText: string })
  /** Poisson registry outages at `ratePerHour`, each failing the pulls of the `images` glob for a draw of `duration`. */
  | (FaultProcessBase & { type: "imageRegistryOutage"; images: string; ratePerHour: number; duration: Distribution; durationText: string });

