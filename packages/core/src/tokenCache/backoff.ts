/**
 * How long after the `failures`-th failure in a row the next token request may be made (rule 5):
 * exponential from `backoffInitialMs`, jittered into its upper half, capped at `backoffMaxMs`, and
 * never sooner than the Retry-After the token endpoint asked for (itself capped).
 */
export function backoffDelayMs(
  failures: number,
  retryAfterMs: number | undefined,
  settings: { backoffInitialMs: number; backoffMaxMs: number; random: () => number },
): number {
  const exponential = Math.min(settings.backoffMaxMs, settings.backoffInitialMs * 2 ** (failures - 1));
  const jittered = exponential * (0.5 + settings.random() / 2);
  return Math.max(jittered, cappedRetryAfterMs(retryAfterMs, settings.backoffMaxMs));
}

/** A Retry-After as the cache honours it: at most `backoffMaxMs`. */
export function cappedRetryAfterMs(retryAfterMs: number | undefined, backoffMaxMs: number): number {
  return Math.min(retryAfterMs ?? 0, backoffMaxMs);
}

/**
 * The pause before the next forced refresh (rule 8): the interval, doubled for each forced
 * refresh in a row whose token was rejected in turn, up to `maxMs`.
 */
export function forcedRefreshPauseMs(intervalMs: number, rejectedInARow: number, maxMs: number): number {
  return Math.min(maxMs, intervalMs * 2 ** rejectedInARow);
}
