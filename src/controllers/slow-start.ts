/**
 * slowStartBatch (pkg/controller/replicaset/replica_set.go): issue `count` calls in batches of 1, 2, 4, ...
 * (SlowStartInitialBatchSize 1, then min(2 x batch, remaining)); a batch starts when the previous one has
 * completed; after the first batch with an error the remaining calls are skipped. So a quota or admission refusal
 * costs one failed call, not hundreds.
 */

/** SlowStartInitialBatchSize (pkg/controller/controller_utils.go). */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/** The batch sizes for `count` calls when none fails: 1, 2, 4, ..., the last one the remainder. */
export function slowStartBatchSizes(count: number, initial = SLOW_START_INITIAL_BATCH_SIZE): number[] {
  const sizes: number[] = [];
  let remaining = count;
  for (let batch = Math.min(remaining, initial); batch > 0; batch = Math.min(2 * batch, remaining)) {
    sizes.push(batch);
    remaining -= batch;
  }
  return sizes;
}

/**
 * Runs the batches. `issue(done)` starts one call, which reports `done(ok)` now or later (an API client may hold
 * it for its rate limiter); `finished(successes)` is called once, when the last issued batch has completed.
 */
export function slowStartBatch(count: number, issue: (done: (ok: boolean) => void) => void, finished: (successes: number) => void): void {
  let remaining = count;
  let successes = 0;
  const next = (batch: number) => {
    if (batch <= 0) return finished(successes);
    let pending = batch;
    let failed = false;
    remaining -= batch;
    for (let i = 0; i < batch; i++) {
      issue((ok) => {
        if (ok) successes++;
        else failed = true;
        if (--pending === 0) next(failed ? 0 : Math.min(2 * batch, remaining));
      });
    }
  };
  next(Math.min(remaining, SLOW_START_INITIAL_BATCH_SIZE));
}
