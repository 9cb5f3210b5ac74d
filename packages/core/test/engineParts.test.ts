import { ManualClock } from '@keyless/testing';
import { describe, expect, it } from 'vitest';
import { timerOf } from '../src/clock.js';
import { withDeadline } from '../src/internal/withDeadline.js';
import { backoffDelayMs, forcedRefreshPauseMs } from '../src/tokenCache/backoff.js';
import { refreshWindows } from '../src/tokenCache/refreshWindows.js';

const MINUTE = 60_000;
const settings = { refreshMarginMs: 5 * MINUTE, hardWindowMs: 30_000 };

describe("the token cache's pure parts", () => {
  it('puts the windows of an hour token 5 min and 30 s before expiry', () => {
    expect(refreshWindows(60 * MINUTE, undefined, settings)).toEqual({
      lifetimeMs: 60 * MINUTE,
      softAtMs: 55 * MINUTE,
      hardAtMs: 60 * MINUTE - 30_000,
    });
  });

  it('caps the windows of a short token at half and a quarter of its lifetime', () => {
    expect(refreshWindows(60_000, undefined, settings)).toEqual({
      lifetimeMs: 60_000,
      softAtMs: 30_000,
      hardAtMs: 45_000,
    });
  });

  it("follows the issuer's refresh hint, never past the hard window nor before now", () => {
    expect(refreshWindows(60 * MINUTE, 30 * MINUTE, settings).softAtMs).toBe(30 * MINUTE);
    expect(refreshWindows(60 * MINUTE, 70 * MINUTE, settings).softAtMs).toBe(60 * MINUTE - 30_000);
    expect(refreshWindows(60 * MINUTE, -5, settings).softAtMs).toBe(0);
  });

  it('backs off exponentially, jittered into the upper half, capped, never under a Retry-After', () => {
    const at = (failures: number, random: number, retryAfterMs?: number) =>
      backoffDelayMs(failures, retryAfterMs, { backoffInitialMs: 1_000, backoffMaxMs: 60_000, random: () => random });
    expect([1, 2, 3, 4].map((n) => at(n, 0.999_999))).toEqual(
      [1_000, 2_000, 4_000, 8_000].map((ms) => expect.closeTo(ms, 0)),
    );
    expect(at(3, 0)).toBe(2_000);
    expect(at(20, 0.999_999)).toBeCloseTo(60_000, 0);
    expect(at(1, 0, 45_000)).toBe(45_000);
    expect(at(1, 0, 600_000)).toBe(60_000);
  });

  it('doubles the pause between forced refreshes for each rejected forced token, up to the cap', () => {
    expect([0, 1, 2, 5, 10].map((n) => forcedRefreshPauseMs(10_000, n, 5 * MINUTE))).toEqual([
      10_000,
      20_000,
      40_000,
      5 * MINUTE,
      5 * MINUTE,
    ]);
  });
});

describe('withDeadline: the one deadline of the engine', () => {
  it('settles with the answer that comes in time, and leaves no timer behind', async () => {
    const clock = new ManualClock();
    await expect(
      withDeadline(
        timerOf(clock),
        1_000,
        async () => 'answer',
        () => new Error('late'),
      ),
    ).resolves.toBe('answer');
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects at the deadline, aborts the signal with the same error, and ignores a late answer', async () => {
    const clock = new ManualClock();
    let seen: AbortSignal | undefined;
    let answer: (value: string) => void = () => {};
    const running = withDeadline(
      timerOf(clock),
      1_000,
      (signal) => {
        seen = signal;
        return new Promise<string>((resolve) => {
          answer = resolve;
        });
      },
      () => new Error('did not answer within 1 s'),
    );
    clock.advance(999);
    expect(seen?.aborted).toBe(false);
    clock.advance(1);
    await expect(running).rejects.toThrow('did not answer within 1 s');
    expect(seen?.reason).toBeInstanceOf(Error);
    answer('too late');
    await expect(running).rejects.toThrow('did not answer within 1 s');
  });

  it('turns a synchronous throw into a rejection', async () => {
    const clock = new ManualClock();
    const throwing = () => {
      throw new Error('sync');
    };
    await expect(withDeadline(timerOf(clock), 1_000, throwing, () => new Error('late'))).rejects.toThrow('sync');
    expect(clock.pendingTimers).toBe(0);
  });
});
