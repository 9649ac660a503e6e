/**
 * Topology labels (k8s.io/api/core/v1 well_known_labels.go) and the zone key every component groups nodes by.
 */
import type { Node } from "./types.js";

/** topology.kubernetes.io/zone, with the deprecated beta key still honoured. */
export const LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone";
/** topology.kubernetes.io/region. */
export const LABEL_TOPOLOGY_REGION = "topology.kubernetes.io/region";
const LABEL_BETA_ZONE = "failure-domain.beta.kubernetes.io/zone";
const LABEL_BETA_REGION = "failure-domain.beta.kubernetes.io/region";

const zoneCache = new WeakMap<Record<string, string>, string>();

/**
 * The node's zone key (k8s.io/component-helpers/node/topology GetZoneKey): region + ":\x00:" + zone from the GA
 * topology labels, falling back to the deprecated failure-domain.beta ones; "" when the node has neither.
 * Computed once per labels object: node status writes keep the same labels object.
 */
export function zoneKey(node: Node): string {
  const l = node.metadata.labels;
  if (!l) return "";
  let key = zoneCache.get(l);
  if (key === undefined) {
    const zone = l[LABEL_TOPOLOGY_ZONE] ?? l[LABEL_BETA_ZONE] ?? "";
    const region = l[LABEL_TOPOLOGY_REGION] ?? l[LABEL_BETA_REGION] ?? "";
    key = zone === "" && region === "" ? "" : `${region}:\x00:${zone}`;
    zoneCache.set(l, key);
  }
  return key;
}
