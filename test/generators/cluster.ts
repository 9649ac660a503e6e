/**
 * Generated clusters: node pools with zones (topology.kubernetes.io/zone), extra labels, taints and capacities.
 */
import fc from "fast-check";
import { rarely } from "./rarely.js";

/** Zones generated pools are spread over. */
export const ZONES = ["zone-a", "zone-b", "zone-c"] as const;
/** Taint keys pools may carry and workloads may tolerate. */
export const TAINT_KEYS = ["dedicated", "gpu"] as const;
/** Values of the `disk` label some pools carry and some workloads select. */
export const DISKS = ["ssd", "hdd"] as const;
/** Taint effects of core/v1. */
export const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

/** A generated node pool as the scenario file writes it. */
export interface GenPool {
  name: string;
  count: number;
  capacity: Record<string, string>;
  allocatable?: Record<string, string>;
  labels: Record<string, string>;
  taints?: { key: string; value?: string; effect: (typeof EFFECTS)[number] }[];
}

/** A taint of one of TAINT_KEYS. */
export const taintArb = fc.record(
  { key: fc.constantFrom(...TAINT_KEYS), value: fc.constantFrom("a", "b"), effect: fc.constantFrom(...EFFECTS) },
  { requiredKeys: ["key", "effect"] },
);

/** Pool fields but the name (the cluster generator names pools uniquely). */
export const poolBodyArb = fc
  .record({
    count: fc.integer({ min: 0, max: 4 }),
    cpu: fc.constantFrom("1", "2", "4", "8", "2500m"),
    memory: fc.constantFrom("2Gi", "4Gi", "16Gi", "32Gi"),
    pods: fc.option(fc.integer({ min: 1, max: 110 }), { nil: undefined }),
    reserveCpu: fc.boolean(),
    zone: fc.option(fc.constantFrom(...ZONES), { nil: undefined, freq: 5 }),
    disk: rarely(fc.constantFrom(...DISKS), 2),
    taints: fc.oneof({ weight: 2, arbitrary: fc.constant<GenPool["taints"] & object>([]) }, { weight: 1, arbitrary: fc.uniqueArray(taintArb, { minLength: 1, maxLength: 2, selector: (t) => `${t.key}:${t.effect}` }) }),
  })
  .map(({ count, cpu, memory, pods, reserveCpu, zone, disk, taints }) => {
    const capacity: Record<string, string> = { cpu, memory };
    if (pods !== undefined) capacity.pods = String(pods);
    const labels: Record<string, string> = {};
    if (zone) labels["topology.kubernetes.io/zone"] = zone;
    if (disk) labels.disk = disk;
    const pool: Omit<GenPool, "name"> = { count, capacity, labels };
    // Allocatable below capacity, as a kubelet with system reserved: the scheduler must use allocatable.
    if (reserveCpu) pool.allocatable = { cpu: `${Math.max(1, Math.floor(parseCpuMilli(cpu) * 0.8))}m`, memory, ...(pods !== undefined ? { pods: String(pods) } : {}) };
    if (taints.length) pool.taints = taints;
    return pool;
  });

function parseCpuMilli(cpu: string): number {
  return cpu.endsWith("m") ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
}

/** One to three pools named pool-a.., with at most 12 nodes in all. */
export const clusterArb = fc.array(poolBodyArb, { minLength: 1, maxLength: 3 }).map((bodies) => {
  let budget = 12;
  return bodies.map((b, i): GenPool => {
    const count = Math.min(b.count, budget);
    budget -= count;
    return { name: `pool-${String.fromCharCode(97 + i)}`, ...b, count };
  });
});
