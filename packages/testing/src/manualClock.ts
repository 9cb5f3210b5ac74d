/**
 * A clock tests move by hand, with timers that fire when it is moved past them: time-dependent
 * code is tested without sleeping. It has the shape of `Clock` from `@keyless/core` (pass it as
 * `createAuth(strategy, { clock })`).
 */
export class ManualClock {
  #wall: number;
  #mono = 0;
  #nextId = 0;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  /** @param startWall - Initial wall-clock time (epoch ms). Default: now, so real tokens look fresh. */
  constructor(startWall: number = Date.now()) {
    this.#wall = startWall;
  }

  /** Wall-clock time, epoch milliseconds. */
  now = (): number => this.#wall;

  /** Monotonic time in milliseconds; only {@link advance} moves it. */
  monotonic = (): number => this.#mono;

  /** Runs `callback` once the clock has been advanced `delayMs`; returns a function that cancels it. */
  setTimer = (delayMs: number, callback: () => void): (() => void) => {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#mono + Math.max(0, delayMs), callback });
    return () => {
      this.#timers.delete(id);
    };
  };

  /** Timers not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves both clocks forward, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.#mono + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers) {
        if (entry[1].at <= target && (next === undefined || entry[1].at < next[1].at)) next = entry;
      }
      if (next === undefined) break;
      this.#timers.delete(next[0]);
      this.#wall += next[1].at - this.#mono;
      this.#mono = next[1].at;
      next[1].callback();
    }
    this.#wall += target - this.#mono;
    this.#mono = target;
  }

  /** Moves only the wall clock (an NTP correction): `delta` ms, negative to go back. */
  moveWall(delta: number): void {
    this.#wall += delta;
  }

  /** Sets only the wall clock to an absolute time. */
  setWall(epochMs: number): void {
    this.#wall = epochMs;
  }
}

/** Lets pending promise callbacks (and I/O callbacks already queued) run. */
export const flushPromises = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
