import type { Clock } from '@keyless/core';

/** A clock tests move by hand, starting at the real time (tokens come from a real-time emulator). */
export class FakeClock implements Clock {
  #wall = Date.now();
  #mono = 0;
  now = () => this.#wall;
  monotonic = () => this.#mono;
  advance(ms: number): void {
    this.#wall += ms;
    this.#mono += ms;
  }
  /** Moves only the wall clock, as an NTP correction does. */
  moveWall(ms: number): void {
    this.#wall += ms;
  }
}
