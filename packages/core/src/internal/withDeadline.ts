import type { Clock, TimerOptions } from '../clock.js';

/**
 * Runs `run` for at most `timeoutMs`: then its signal aborts (with the error, so a library that
 * takes the signal stops its request), the promise rejects with `timeoutError()`, and a late
 * answer is ignored. The deadline's timer keeps the process alive only when told (`keepAlive`: a
 * caller waits on something that does not hold the process by itself, such as a connection being
 * opened unref'd). The one deadline of the engine: token requests (the token cache) and store
 * calls and connections (the shared cache) all use it.
 */
export function withDeadline<T>(
  setTimer: NonNullable<Clock['setTimer']>,
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<T>,
  timeoutError: () => Error,
  timer?: TimerOptions,
): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const cancel = setTimer(
      timeoutMs,
      () => {
        const error = timeoutError();
        controller.abort(error);
        reject(error);
      },
      timer,
    );
    let running: Promise<T>;
    try {
      running = run(controller.signal);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => {
        cancel();
        resolve(value);
      },
      (error: unknown) => {
        cancel();
        reject(error);
      },
    );
  });
}
