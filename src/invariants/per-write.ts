/**
 * The check of an invariant about single objects: each committed write of its kinds is judged on its own, as
 * written (and against the previous version for MODIFIED), so the cost is O(1) per write and nothing after the event
 * but reporting. Judging every write, not only the state after the event, is the stronger check: every written
 * version is what watchers and informers see.
 */
import type { WatchType } from "../api/store.js";
import type { KubeObject } from "../api/types.js";
import { Findings, type InvariantCheck, type Violation } from "./types.js";

/** Judges one committed write at virtual time `time`; `old` is the previous version for MODIFIED. */
export type WriteJudge = (type: WatchType, obj: KubeObject, old: KubeObject | undefined, time: number) => readonly Violation[];

/** A check that runs `judge` on every committed write of `kinds` and reports what it found after the event. */
export function perWriteCheck(kinds: readonly string[], now: () => number, judge: WriteJudge): InvariantCheck {
  const found = new Findings();
  return {
    watches: kinds,
    onWrite(type, obj, old) {
      const vs = judge(type, obj, type === "MODIFIED" ? old : undefined, now());
      if (vs.length > 0) found.add(vs);
    },
    afterEvent: () => found.take(),
    finish: () => found.take(),
  };
}
