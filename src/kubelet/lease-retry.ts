/**
 * The node lease controller's retry schedule after a failed renewal (k8s.io/component-helpers/apimachinery/lease
 * controller.go backoffEnsureLease): the sleep starts at 100ms and doubles before each wait, capped at maxBackoff
 * (7s), so retries come 200ms, 400ms, 800ms, 1.6s, 3.2s, 6.4s, then every 7s after the failure.
 */

/** First sleep of backoffEnsureLease is 2 x 100ms. */
export const LEASE_RETRY_INITIAL_MS = 200;
/** maxBackoff of the lease controller. */
export const LEASE_RETRY_MAX_MS = 7_000;

/**
 * The time of the first renewal attempt at or after `healAt` (virtual ms) when the renewal first failed at
 * `failedAt` and every attempt before `healAt` failed. Pure; a closed form over the doubling phase, so a partition of
 * any length costs no events.
 */
export function leaseRetryAfter(failedAt: number, healAt: number): number {
  let t = failedAt;
  let sleep = LEASE_RETRY_INITIAL_MS;
  while (t < healAt && sleep < LEASE_RETRY_MAX_MS) {
    t += sleep;
    sleep = Math.min(2 * sleep, LEASE_RETRY_MAX_MS);
  }
  if (t >= healAt) return t;
  // Capped phase: attempts every LEASE_RETRY_MAX_MS.
  return t + Math.ceil((healAt - t) / LEASE_RETRY_MAX_MS) * LEASE_RETRY_MAX_MS;
}
