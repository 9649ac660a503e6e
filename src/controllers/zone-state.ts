import type { Settings } from "../settings.js";
import type { Node } from "../api/types.js";

/** Zone health as the node lifecycle controller classifies it (pkg/controller/nodelifecycle ZoneState). */
export type ZoneState = "Normal" | "PartialDisruption" | "FullDisruption";

/** Label keys that place a node in a zone (k8s.io/api/core/v1 well_known_labels.go; beta keys still honoured). */
const ZONE_LABELS = ["topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"];
const REGION_LABELS = ["topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region"];

/** The zone key of a node, "region:zone" ("" when unlabelled), as utilnode.GetZoneKey. */
export function zoneKey(node: Node): string {
  const l = node.metadata.labels;
  if (!l) return "";
  // Computed once per labels object: node status writes keep the same labels object.
  let key = zoneCache.get(l);
  if (key === undefined) {
    const zone = ZONE_LABELS.map((k) => l[k]).find((v) => v !== undefined) ?? "";
    const region = REGION_LABELS.map((k) => l[k]).find((v) => v !== undefined) ?? "";
    key = region === "" && zone === "" ? "" : `${region}:${zone}`;
    zoneCache.set(l, key);
  }
  return key;
}

const zoneCache = new WeakMap<Record<string, string>, string>();

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
