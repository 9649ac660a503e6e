/**
 * Helpers shared by the plugins: score normalisation (pkg/scheduler/framework/plugins/helper/normalize_score.go)
 * and taint filters. Toleration matching, which controllers use too, is in src/api/tolerations.ts.
 */
import type { Taint } from "../../api/types.js";

/**
 * Scales scores in place so the largest becomes `maxPriority`: `score = maxPriority * score / max` in integer
 * arithmetic; with `reverse`, `maxPriority - that`. When every score is 0 they stay 0, or all become `maxPriority`
 * when reversed. Mirrors helper.DefaultNormalizeScore.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: number[]): void {
  let max = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > max) max = scores[i];
  if (max === 0) {
    if (reverse) for (let i = 0; i < scores.length; i++) scores[i] = maxPriority;
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxPriority * scores[i]) / max);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}

/** Taints that forbid scheduling: effect NoSchedule or NoExecute (helper.DoNotScheduleTaintsFilterFunc). */
export function doNotScheduleTaint(t: Taint): boolean {
  return t.effect === "NoSchedule" || t.effect === "NoExecute";
}
