/**
 * Time as the token cache sees it. Injected so tests can move time (and move it backwards)
 * without sleeping.
 */
export interface Clock {
  /** Wall-clock time, epoch milliseconds (comparable with token expiry). */
  now(): number;
  /** A clock that never goes backwards, in milliseconds from an arbitrary origin. */
  monotonic(): number;
}

/** The process clock: `Date.now()` and `performance.now()`, read on each call, never captured. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};
