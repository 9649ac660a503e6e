/**
 * Known bugs the generators hit, so that a long soak can look past them for new ones (`npm run soak` skips
 * these unless K8SIM_SOAK_KNOWN=include). Each entry names the test that pins the bug; remove it once fixed.
 */
import type { GenScenario } from "./scenario.js";

/** Why `g` would hit a known bug, or undefined. */
export function knownBug(g: GenScenario): string | undefined {
  const spec = g.doc.spec as { settings?: Record<string, unknown>; workloads?: unknown; timeline?: unknown };
  const s = spec.settings ?? {};
  // test/generated-scenarios.test.ts "scenarios the soak found": a zero-time evict/recreate loop on a recovered node,
  // which the engine stops as stalled (exit 2) by design; skipped so that the soak looks for other failures.
  const text = JSON.stringify([spec.workloads, spec.timeline, g.files]);
  const zeroToleration = s.defaultUnreachableTolerationSeconds === 0 || s.defaultNotReadyTolerationSeconds === 0 || /"tolerationSeconds":0\b/.test(text);
  if (s.terminationGracePeriodSeconds === 0 && zeroToleration) return "zero-time eviction loop on a recovered node";
  return undefined;
}
