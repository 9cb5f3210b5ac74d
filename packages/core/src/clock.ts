/**
 * Time as the token cache sees it. Injected so tests can move time (and move it backwards)
 * without sleeping; `ManualClock` from `@keyless/testing` is one.
 */
export interface Clock {
  /** Wall-clock time, epoch milliseconds (comparable with token expiry). */
  now(): number;
  /** A clock that never goes backwards, in milliseconds from an arbitrary origin. */
  monotonic(): number;
  /**
   * Runs `callback` after `delayMs` (the token-request deadline); returns a function that cancels
   * it. A timer must never keep the process alive. Default: the process's, unref'd.
   */
  setTimer?(delayMs: number, callback: () => void): () => void;
}

/** The process clock: `Date.now()` and `performance.now()`, read on each call, never captured. */
export const systemClock: Required<Clock> = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer: (delayMs, callback) => {
    const timer = setTimeout(callback, delayMs);
    // A pending deadline must not hold the process open once the caller has gone.
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};
