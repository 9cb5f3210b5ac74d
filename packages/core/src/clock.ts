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
   * Runs `callback` after `delayMs`; returns a function that cancels it. A deadline (of a token
   * request, of a store call) must never keep the process alive; a pause a caller is waiting
   * through (the shared cache polling for another instance's token) asks for `keepAlive`, as a
   * pending request would keep it alive. Default: the process's timers, unref'd unless keepAlive.
   */
  setTimer?(delayMs: number, callback: () => void, options?: TimerOptions): () => void;
}

/** How a timer relates to the process's lifetime; see {@link Clock.setTimer}. */
export interface TimerOptions {
  /** True when a caller is waiting on the timer: the process stays alive until it fires. Default false. */
  keepAlive?: boolean | undefined;
}

/** The process clock: `Date.now()` and `performance.now()`, read on each call, never captured. */
export const systemClock: Required<Clock> = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer: (delayMs, callback, options) => {
    const timer = setTimeout(callback, delayMs);
    // A pending deadline must not hold the process open once the caller has gone.
    if (options?.keepAlive !== true) timer.unref?.();
    return () => clearTimeout(timer);
  },
};

/** The clock's timer, or the process's when it has none (so `{ now, monotonic }` is a whole clock). */
export function timerOf(clock: Clock): NonNullable<Clock['setTimer']> {
  return clock.setTimer?.bind(clock) ?? systemClock.setTimer;
}
