/**
 * Issue 10's hostile inputs (item 20, named "10 ..."): the node fault actions of the timeline (kubeletStop /
 * kubeletStart, cordon / uncordon, drain, networkPartition, zoneOutage, imageRegistryOutage, apiServerOutage, slowApiServer, podKill, containerCrash) naming nothing, with windows that end before they
 * start or overlap where they cannot, or with keys the action does not take: each refused with exit 2 at the
 * offending key's file:line:col, nothing written. The scenario (faultScenario) has two pools in two zones; the
 * timeline's items start at line 11.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HostileCase } from "./cases.js";

/** A scenario `name` with pools a (zone-a) and b (zone-b), 2 nodes each, whose spec.<section> is `items` (flow
 *  mappings, from line 11, column 7). */
export function twoZoneScenario(name: string, section: "timeline" | "faults", items: readonly string[]): string {
  return [
    "apiVersion: k8sim.dev/v1alpha1",
    "kind: Scenario",
    `metadata: {name: ${name}}`,
    "spec:",
    "  duration: 10m",
    "  cluster:",
    "    nodePools:",
    '      - {name: a, count: 2, capacity: {cpu: "4", memory: 8Gi, pods: 110}, labels: {topology.kubernetes.io/zone: zone-a}}',
    '      - {name: b, count: 2, capacity: {cpu: "4", memory: 8Gi, pods: 110}, labels: {topology.kubernetes.io/zone: zone-b}}',
    `  ${section}:`,
    ...items.map((i) => `    - ${i}`),
    "",
  ].join("\n");
}

/** The two-zone scenario whose timeline is `items`. */
export function faultScenario(items: readonly string[]): string {
  return twoZoneScenario("faults", "timeline", items);
}

/** Escapes a message for a RegExp. */
const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A case named `name`: `yaml` written as `fileName` and run (or validated), `<fileName>:<pos>: <text>` expected on
 * stderr with exit 2.
 */
export function positionedCase(name: string, fileName: string, yaml: string, pos: string, text: string, command: "run" | "validate" = "run"): HostileCase {
  const file = (ws: { dir: string }) => join(ws.dir, fileName);
  return {
    name,
    item: 20,
    isolation: "in-process",
    setup: (ws) => writeFileSync(file(ws), yaml),
    argv: (ws) => (command === "run" ? ["run", file(ws), "--out", ws.out] : ["validate", file(ws)]),
    expect: (r) => {
      const want = new RegExp(`${re(fileName)}:${re(pos)}: ${re(text)}`);
      return r.code === 2 && want.test(r.err) ? [] : [`expected exit 2 with ${fileName}:${pos}: ${text}; got ${r.code}: ${r.err.slice(0, 400)}`];
    },
  };
}

/** A case: `items` as the timeline, `faults.yaml:<pos>: <text>` expected on stderr with exit 2. */
function faultCase(name: string, items: readonly string[], pos: string, text: string, command: "run" | "validate" = "run"): HostileCase {
  return positionedCase(`10 ${name}`, "faults.yaml", faultScenario(items), pos, text, command);
}

// Columns: items start at column 7 ("    - " is 6 characters), so a key at offset k of "{...}" is at column 7 + k.
/** The cases. */
export const FAULT_CASES: readonly HostileCase[] = [
  // "{at: 1m, action: kubeletStop, node: a-3}": "node: " ends at offset 36, so a-3 is at column 7 + 36 = 43.
  faultCase("kubeletStop of a node that does not exist", ["{at: 1m, action: kubeletStop, node: a-3}"], "11:43", 'node "a-3" does not exist at 1m; did you mean "a-1"?'),
  faultCase("cordon without a node", ["{at: 1m, action: cordon}"], "11:7", 'spec.timeline[0]: missing required key "node"', "validate"),
  // "{at: 1m, action: uncordon, node: a-1, zone: zone-a}": zone at offset 38, column 45.
  faultCase("uncordon with a key it does not take", ["{at: 1m, action: uncordon, node: a-1, zone: zone-a}"], "11:45", 'unknown key "zone"; did you mean "node"?'),
  faultCase("networkPartition naming both nodes and a zone", ["{at: 1m, action: networkPartition, nodes: [a-1], zone: zone-a, duration: 1m}"], "11:7", "spec.timeline[0]: expected exactly one of the keys nodes or zone"),
  faultCase("networkPartition with neither duration nor until", ["{at: 1m, action: networkPartition, nodes: [a-1]}"], "11:7", "spec.timeline[0]: expected exactly one of the keys duration or until"),
  // "{at: 5m, action: networkPartition, nodes: [a-1], until: 2m}": until's value at offset 56, column 63.
  faultCase("networkPartition ending before it starts", ["{at: 5m, action: networkPartition, nodes: [a-1], until: 2m}"], "11:63", "spec.timeline[0].until: the window ends at 2m, not after it starts (at 5m); expected a time after 5m"),
  // duration's value at offset 59, column 66.
  faultCase("networkPartition of no time", ["{at: 5m, action: networkPartition, nodes: [a-1], duration: 0s}"], "11:66", "spec.timeline[0].duration: must be greater than 0; got 0s"),
  // "{at: 1m, action: networkPartition, nodes: [a-1, c-1], duration: 1m}": "{at: 1m, " (9) + "action:
  // networkPartition, " (26) + "nodes: [" (8) + "a-1, " (5) puts c-1 at offset 48, column 55.
  faultCase("networkPartition of a node that does not exist", ["{at: 1m, action: networkPartition, nodes: [a-1, c-1], duration: 1m}"], "11:55", 'node "c-1" does not exist at 1m; did you mean "a-1"?'),
  faultCase("networkPartition of no node", ["{at: 1m, action: networkPartition, nodes: [], duration: 1m}"], "11:49", "spec.timeline[0].nodes: expected at least 1 item, got an empty list"),
  // "{at: 1m, action: zoneOutage, zone: zone-x}": zone-x at offset 35, column 42.
  faultCase("zoneOutage of a zone no node is in", ["{at: 1m, action: zoneOutage, zone: zone-x}"], "11:42", 'no node is in zone "zone-x" at 1m (label topology.kubernetes.io/zone); did you mean "zone-a"?'),
  // "{at: 1m, action: zoneOutage, zone: zone-a, until: 3m}": until at offset 43, column 50.
  faultCase("zoneOutage with until (it takes duration)", ["{at: 1m, action: zoneOutage, zone: zone-a, until: 3m}"], "11:50", 'unknown key "until"; expected one of: at, action, zone, duration'),
  faultCase("podKill with both a target and a selector", ["{at: 1m, action: podKill, target: pod/web-1, selector: app=web}"], "11:7", "spec.timeline[0]: expected exactly one of the keys target or selector"),
  // "{at: 1m, action: podKill, target: deployment/web}": the target's value at offset 34, column 41.
  faultCase("podKill of a Deployment", ["{at: 1m, action: podKill, target: deployment/web}"], "11:41", 'spec.timeline[0].target: cannot kill "deployment/web": expected pod/<name> (or a selector)'),
  // "{at: 1m, action: containerCrash, selector: "app in web"}": the selector's value at offset 43, column 50.
  faultCase("containerCrash with a selector that does not parse", ['{at: 1m, action: containerCrash, selector: "app in web"}'], "11:50", "spec.timeline[0].selector: unable to parse requirement: found 'web' expected: '('"),
  // "{at: 1m, action: containerCrash, target: pod/p, exitCode: 256}": 9 + 24 ("action: containerCrash, ") + 15
  // ("target: pod/p, ") + 10 ("exitCode: ") puts 256 at offset 58, column 65.
  faultCase("containerCrash with an exit code above 255", ["{at: 1m, action: containerCrash, target: pod/p, exitCode: 256}"], "11:65", "spec.timeline[0].exitCode: must be at most 255, got 256"),
  // "{at: 1m, action: drain, node: a-1, gracePeriod: -2}": -2 at offset 48, column 55.
  faultCase("drain with a grace period below -1", ["{at: 1m, action: drain, node: a-1, gracePeriod: -2}"], "11:55", "spec.timeline[0].gracePeriod: must be at least -1, got -2"),
  // "{at: 1m, action: drain, node: a-1, timeout: 5 m}": "5 m" at offset 44, column 51.
  faultCase("drain with a timeout that is not a duration", ["{at: 1m, action: drain, node: a-1, timeout: 5 m}"], "11:51", 'spec.timeline[0].timeout: invalid duration "5 m"'),
  // "{at: 1m, action: drain, node: a-1, ignoreDaemonSets: true}": the key at offset 35, column 42.
  faultCase("drain with a misspelt flag", ["{at: 1m, action: drain, node: a-1, ignoreDaemonSets: true}"], "11:42", 'unknown key "ignoreDaemonSets"; did you mean "ignoreDaemonsets"?'),
  // Line 12: "{at: 2m, action: kubeletStop, node: b-1}": b-1 at column 43.
  faultCase(
    "kubeletStop inside a partition window of its node's zone",
    ["{at: 1m, action: networkPartition, zone: zone-b, duration: 5m}", "{at: 2m, action: kubeletStop, node: b-1}"],
    "12:43",
    `node "b-1" is in a networkPartition window at 2m; expected kubeletStop outside partition windows (both faults cut the kubelet's connection)`,
  ),
  faultCase("imageRegistryOutage with no end", ['{at: 1m, action: imageRegistryOutage, images: "x:*"}'], "11:7", "spec.timeline[0]: expected exactly one of the keys duration or until"),
  // '{at: 5m, action: imageRegistryOutage, images: "x:*", until: 2m}': 9 + 29 ("action: imageRegistryOutage, ") + 15
  // ('images: "x:*", ') + 7 ("until: ") puts 2m at offset 60, column 67.
  faultCase("imageRegistryOutage ending before it starts", ['{at: 5m, action: imageRegistryOutage, images: "x:*", until: 2m}'], "11:67", "spec.timeline[0].until: the window ends at 2m, not after it starts (at 5m); expected a time after 5m"),
  // '{at: 1m, action: imageRegistryOutage, images: "", duration: 1m}': "" at offset 46, column 53.
  faultCase("imageRegistryOutage of an empty pattern", ['{at: 1m, action: imageRegistryOutage, images: "", duration: 1m}'], "11:53", "spec.timeline[0].images: must not be empty"),
  faultCase("imageRegistryOutage naming no images", ["{at: 1m, action: imageRegistryOutage, duration: 1m}"], "11:7", 'spec.timeline[0]: missing required key "images"'),
  // zone at offset 67 ('images: "x:*", duration: 1m, ' after the action), column 74.
  faultCase("imageRegistryOutage of a zone (it takes images)", ['{at: 1m, action: imageRegistryOutage, images: "x:*", duration: 1m, zone: zone-a}'], "11:74", 'unknown key "zone"; expected one of: at, action, images, duration, until'),
  faultCase("apiServerOutage with no end", ["{at: 1m, action: apiServerOutage}"], "11:7", "spec.timeline[0]: expected exactly one of the keys duration or until"),
  // "{at: 5m, action: apiServerOutage, until: 2m}": 9 + 25 ("action: apiServerOutage, ") + 7 ("until: ") puts 2m at
  // offset 41, column 48.
  faultCase("apiServerOutage ending before it starts", ["{at: 5m, action: apiServerOutage, until: 2m}"], "11:48", "spec.timeline[0].until: the window ends at 2m, not after it starts (at 5m); expected a time after 5m"),
  // The drain is the second item (line 12); "{at: 90s, action: " puts its value at offset 18, column 25.
  faultCase("drain while the API server is down", ["{at: 1m, action: apiServerOutage, duration: 1m}", "{at: 90s, action: drain, node: a-1}"], "12:25", "spec.timeline[1].action: drain at 1m30s needs the API server, which is down then (apiServerOutage from 1m until 2m); expected a time outside the outage"),
  faultCase("kubeletStart while the API server is down", ["{at: 30s, action: kubeletStop, node: a-1}", "{at: 1m, action: apiServerOutage, duration: 1m}", "{at: 90s, action: kubeletStart, node: a-1}"], "13:25", "spec.timeline[2].action: kubeletStart at 1m30s needs the API server, which is down then (apiServerOutage from 1m until 2m); expected a time outside the outage"),
  faultCase("slowApiServer with no end", ["{at: 1m, action: slowApiServer, latency: 5s}"], "11:7", "spec.timeline[0]: expected exactly one of the keys duration or until"),
  // "{at: 1m, action: slowApiServer, latency: 0s, duration: 1m}": 9 + 23 ("action: slowApiServer, ") + 9
  // ("latency: ") puts 0s at offset 41, column 48.
  faultCase("slowApiServer adding no latency", ["{at: 1m, action: slowApiServer, latency: 0s, duration: 1m}"], "11:48", "spec.timeline[0].latency: must be greater than 0; got 0s"),
  faultCase("slowApiServer without a latency", ["{at: 1m, action: slowApiServer, duration: 1m}"], "11:7", 'spec.timeline[0]: missing required key "latency"'),
  faultCase("kubeletStop while the API server is down", ["{at: 1m, action: apiServerOutage, duration: 1m}", "{at: 90s, action: kubeletStop, node: a-1}"], "12:25", "spec.timeline[1].action: kubeletStop at 1m30s falls in an apiServerOutage window (from 1m until 2m); expected kubeletStop outside it (both faults cut the kubelet's connection)"),
];
