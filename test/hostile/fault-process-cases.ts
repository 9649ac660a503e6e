/**
 * Issue 10's hostile inputs for spec.faults (item 20, named "10 spec.faults ..."): each load-time error of the
 * seeded fault processes (src/scenario/fault-processes.ts), refused with exit 2 at the offending key's
 * file:line:col, nothing written. The scenario has pools a (zone-a) and b (zone-b); spec.faults items start at
 * line 11, column 7 ("    - " is 6 characters, so a value at offset k of "{...}" is at column 7 + k).
 */
import type { HostileCase } from "./cases.js";
import { positionedCase, twoZoneScenario } from "./fault-cases.js";

/** A case: `items` as spec.faults, `fp.yaml:<pos>: <text>` expected on stderr with exit 2. */
function processCase(name: string, items: readonly string[], pos: string, text: string): HostileCase {
  return positionedCase(`10 spec.faults ${name}`, "fp.yaml", twoZoneScenario("fault-processes", "faults", items), pos, text);
}

const NF = "{name: nf, type: nodeFailure, mtbf: 1h, mttr: 1m}";

/** The cases. */
export const FAULT_PROCESS_CASES: readonly HostileCase[] = [
  // The second item's name value at offset 7, column 14.
  processCase("duplicate names", [NF, NF], "12:14", 'spec.faults[1].name: duplicate process name "nf" (first at spec.faults[0]); expected unique names (each names a random stream)'),
  // "{name: nf, type: nodeFailure, pool: c, ...}": c at offset 36, column 43.
  processCase("an unknown pool", ["{name: nf, type: nodeFailure, pool: c, mtbf: 1h, mttr: 1m}"], "11:43", 'spec.faults[0].pool: no node pool is named "c"; did you mean "a"?'),
  processCase("an unknown zone", ["{name: nf, type: nodeFailure, zone: zone-x, mtbf: 1h, mttr: 1m}"], "11:43", 'spec.faults[0].zone: no node is in zone "zone-x" (label topology.kubernetes.io/zone); did you mean "zone-a"?'),
  processCase("both pool and zone", ["{name: nf, type: nodeFailure, pool: a, zone: zone-a, mtbf: 1h, mttr: 1m}"], "11:7", "spec.faults[0]: expected at most one of the keys pool or zone (neither: every node)"),
  // The selector's value at offset 42, column 49.
  processCase("a selector that does not parse", ['{name: c, type: containerCrash, selector: "app in web", ratePerHour: 1}'], "11:49", "spec.faults[0].selector: unable to parse requirement: found 'web' expected: '('"),
  processCase("a bad distribution", ["{name: nf, type: nodeFailure, mtbf: exponential(0s), mttr: 1m}"], "11:43", 'spec.faults[0].mtbf: invalid distribution "exponential(0s)": mean must be greater than 0'),
  processCase("ratePerHour 0", ["{name: c, type: containerCrash, selector: app=a, ratePerHour: 0}"], "11:69", "spec.faults[0].ratePerHour: must be a finite number greater than 0 (arrivals per hour), got 0"),
  processCase("an end before the start", ["{name: nf, type: nodeFailure, mtbf: 1h, mttr: 1m, start: 2m, end: 1m}"], "11:73", "spec.faults[0].end: the process ends at 1m, not after it starts (at 2m); expected a time after 2m"),
  processCase("a missing key", ["{name: nf, type: nodeFailure, mtbf: 1h}"], "11:7", 'spec.faults[0]: missing required key "mttr" (type nodeFailure)'),
  processCase("a key of another type", ["{name: nf, type: nodeFailure, mtbf: 1h, mttr: 1m, ratePerHour: 1}"], "11:70", 'spec.faults[0].ratePerHour: type nodeFailure does not take the key "ratePerHour"'),
  processCase("a zone outage of a zone no node is in", ["{name: z, type: zoneOutage, zones: [zone-q], ratePerHour: 1, duration: 5m}"], "11:43", 'spec.faults[0].zones[0]: no node is in zone "zone-q" (label topology.kubernetes.io/zone); did you mean "zone-a"?'),
  processCase("a registry outage naming no images", ["{name: r, type: imageRegistryOutage, ratePerHour: 1, duration: 5m}"], "11:7", 'spec.faults[0]: missing required key "images" (type imageRegistryOutage)'),
  processCase("a registry outage of a zero median", ['{name: r, type: imageRegistryOutage, images: "x:*", ratePerHour: 1, duration: "lognormal(0s, 1)"}'], "11:85", 'spec.faults[0].duration: invalid distribution "lognormal(0s, 1)": median must be greater than 0; expected a duration such as 30s or a distribution: uniform(MIN, MAX), exponential(MEAN), lognormal(MEDIAN, SIGMA), weibull(SCALE, SHAPE), empirical(D1, D2, ...)'),
  processCase("a registry outage given zones", ['{name: r, type: imageRegistryOutage, images: "x:*", ratePerHour: 1, duration: 5m, zones: [zone-a]}'], "11:96", 'spec.faults[0].zones: type imageRegistryOutage does not take the key "zones"; expected images, ratePerHour, duration, start, end'),
];
