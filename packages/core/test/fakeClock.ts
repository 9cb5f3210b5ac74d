import type { Clock } from '../src/clock.js';

/** A clock tests move by hand. `setWall` moves only the wall clock (an NTP jump). */
export class FakeClock implements Clock {
  #wall = Date.parse('2026-01-01T00:00:00Z');
  #mono = 1_000;
  now = () => this.#wall;
  monotonic = () => this.#mono;
  advance(ms: number): void {
    this.#wall += ms;
    this.#mono += ms;
  }
  setWall(ms: number): void {
    this.#wall = ms;
  }
}

/** Lets pending promise callbacks run. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
