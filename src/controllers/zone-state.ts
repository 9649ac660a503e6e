import type { Settings } from "../settings.js";

/** Zone health as the node lifecycle controller classifies it (pkg/controller/nodelifecycle ZoneState). */
export type ZoneState = "Normal" | "PartialDisruption" | "FullDisruption";


/**
 * ComputeZoneState (pkg/controller/nodelifecycle/node_lifecycle_controller.go): no ready node -> FullDisruption;
 * more than 2 not-ready nodes and not-ready / total >= unhealthyZoneThreshold -> PartialDisruption; else Normal.
 * @param ready per node of the zone, whether its Ready condition is True.
 */
export function computeZoneState(readyCount: number, notReadyCount: number, unhealthyZoneThreshold: number): ZoneState {
  if (readyCount === 0 && notReadyCount > 0) return "FullDisruption";
  if (notReadyCount > 2 && notReadyCount / (readyCount + notReadyCount) >= unhealthyZoneThreshold) return "PartialDisruption";
  return "Normal";
}

/**
 * The NoExecute tainting rate of a zone in a state (setLimiterInZone with HealthyQPSFunc / ReducedQPSFunc):
 * Normal and FullDisruption use nodeEvictionRate; PartialDisruption uses secondaryNodeEvictionRate when the zone
 * has more than largeClusterSizeThreshold nodes, else 0 (stop).
 */
export function zoneTaintRate(state: ZoneState, zoneSize: number, s: Settings): number {
  if (state === "PartialDisruption") return zoneSize > s.largeClusterSizeThreshold ? s.secondaryNodeEvictionRate : 0;
  return s.nodeEvictionRate;
}
