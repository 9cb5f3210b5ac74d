import { flushPromises as flush, ManualClock } from '@keyless/testing';
import { describe, expect, it } from 'vitest';
import { KeylessError } from '../src/errors.js';
import { TokenCache } from '../src/tokenCache/tokenCache.js';
import type { AccessToken } from '../src/tokenCredential.js';
import { harness, MINUTE } from './support/tokenCacheHarness.js';

describe('TokenCache', () => {
  it('answers 10,000 concurrent cold callers with one token request', async () => {
    const { cache, requests } = harness();
    const tokens = await Promise.all(Array.from({ length: 10_000 }, () => cache.get()));
    expect(requests).toHaveLength(1);
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
  });

  it('serves the cached token without a request until the soft window', async () => {
    const { cache, clock, requests } = harness();
    await cache.get();
    clock.advance(54 * MINUTE);
    expect(await cache.get()).toBe('token-1');
    expect(requests).toHaveLength(1);
  });

  it('refreshes in the background in the soft window while callers keep the valid token', async () => {
    const { cache, clock, requests, queue, release } = harness();
    await cache.get();
    clock.advance(56 * MINUTE); // 4 min left: inside the 5-min margin
    queue.push('hang');
    expect(await cache.get()).toBe('token-1');
    expect(await cache.get()).toBe('token-1');
    expect(requests).toHaveLength(2); // one background refresh, shared
    release();
    await flush();
    expect(await cache.get()).toBe('token-2');
  });

  it('starts the soft window at the issuer refresh hint when there is one', async () => {
    const { cache, clock, requests } = harness({ refreshAfterMs: 30 * MINUTE });
    await cache.get();
    clock.advance(29 * MINUTE);
    await cache.get();
    expect(requests).toHaveLength(1);
    clock.advance(2 * MINUTE);
    await cache.get();
    await flush();
    expect(requests).toHaveLength(2);
    expect(await cache.get()).toBe('token-2');
  });

  it('makes callers wait for the refresh in the hard window', async () => {
    const { cache, clock, requests } = harness();
    await cache.get();
    clock.advance(60 * MINUTE - 20_000); // 20 s left
    expect(await cache.get()).toBe('token-2');
    expect(requests).toHaveLength(2);
  });

  it('uses half the lifetime as the margin for short tokens', async () => {
    const { cache, clock, requests } = harness({ lifetimeMs: 60_000 });
    await cache.get();
    clock.advance(29_000);
    await cache.get();
    expect(requests).toHaveLength(1);
    clock.advance(2_000);
    await cache.get();
    await flush();
    expect(requests).toHaveLength(2);
  });

  it('keeps serving a valid token while refreshes fail, backing off between attempts', async () => {
    const { cache, clock, requests, queue, seen } = harness();
    await cache.get();
    clock.advance(56 * MINUTE);
    queue.push('fail', 'fail', 'fail');
    for (let i = 0; i < 10; i++) {
      expect(await cache.get()).toBe('token-1');
      await flush();
    }
    expect(requests).toHaveLength(2); // one attempt, then backoff
    const failed = seen.filter((e) => e.type === 'refresh-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ servingCachedToken: true, code: 'TOKEN_REQUEST_FAILED' });
    const firstDelay = (failed[0] as { retryInMs: number }).retryInMs;
    clock.advance(firstDelay);
    await cache.get();
    await flush();
    expect(requests).toHaveLength(3);
    const secondDelay = (seen.filter((e) => e.type === 'refresh-failed')[1] as { retryInMs: number }).retryInMs;
    expect(secondDelay).toBe(firstDelay * 2); // exponential (jitter fixed by the injected random)
  });

  it('serves the valid token in the hard window when the refresh fails', async () => {
    const { cache, clock, queue } = harness();
    await cache.get();
    clock.advance(60 * MINUTE - 10_000);
    queue.push('fail');
    expect(await cache.get()).toBe('token-1');
  });

  it('surfaces a typed error after expiry, then recovers on the next call', async () => {
    const { cache, clock, queue, requests } = harness();
    await cache.get();
    clock.advance(61 * MINUTE);
    queue.push('fail');
    const error = await cache.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeylessError);
    expect((error as KeylessError).code).toBe('TOKEN_REQUEST_FAILED');
    expect(await cache.get()).toBe('token-2');
    expect(requests).toHaveLength(3);
  });

  it('fails fast with the throttle error until Retry-After passes when no valid token is held', async () => {
    const { cache, clock, queue, requests } = harness();
    queue.push('throttle');
    await expect(cache.get()).rejects.toMatchObject({ code: 'THROTTLED' });
    await expect(cache.get()).rejects.toMatchObject({ code: 'THROTTLED' });
    expect(requests).toHaveLength(1);
    clock.advance(45_000);
    expect(await cache.get()).toBe('token-1');
  });

  it('invalidates only the current token, once, and bypasses library caches next time', async () => {
    const { cache, requests, seen } = harness();
    const first = await cache.get();
    expect(cache.invalidate('some-other-token')).toBe(false);
    const results = Array.from({ length: 100 }, () => cache.invalidate(first));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await cache.get()).toBe('token-2');
    expect(requests).toHaveLength(2);
    expect(requests.map((r) => r.forceRefresh)).toEqual([false, true]);
    expect(seen.filter((e) => e.type === 'invalidated')).toHaveLength(1);
  });

  it('drops a refresh result that lands after invalidate()', async () => {
    const { cache, clock, queue, release, seen } = harness();
    const first = await cache.get();
    clock.advance(56 * MINUTE);
    queue.push('hang');
    await cache.get(); // starts the background refresh, which hangs
    cache.invalidate(first);
    release();
    await flush();
    expect(seen.some((e) => e.type === 'token-acquired' && e.discarded)).toBe(true);
    expect(await cache.get()).toBe('token-3');
  });

  it('a machine that slept (wall clock ahead, monotonic stopped) is seen within a second of running', async () => {
    const { cache, clock, requests } = harness();
    await cache.get();
    clock.setWall(clock.now() + 61 * MINUTE); // suspended for an hour: only the wall clock moved
    clock.advance(1_000);
    expect(await cache.get()).toBe('token-2');
    expect(requests).toHaveLength(2);
  });

  it('a cache hit reads one clock: the monotonic one, the wall clock once a second at most', async () => {
    const { cache, clock } = harness();
    await cache.get();
    let wall = 0;
    let mono = 0;
    const now = clock.now;
    const monotonic = clock.monotonic;
    clock.now = () => {
      wall += 1;
      return now();
    };
    clock.monotonic = () => {
      mono += 1;
      return monotonic();
    };
    for (let hit = 0; hit < 1_000; hit++) {
      await cache.getHeaders();
      if (hit % 100 === 0) clock.advance(250);
    }
    expect(mono).toBe(1_000);
    // 10 advances of 250 ms: the wall clock looked at when a second of monotonic time has passed.
    expect(wall).toBeLessThanOrEqual(4);
  });

  it('never serves an expired token when the wall clock moves back', async () => {
    const { cache, clock, requests } = harness();
    await cache.get();
    const wall = clock.now();
    clock.advance(61 * MINUTE);
    clock.setWall(wall - 10 * MINUTE); // NTP moved the wall clock back
    expect(await cache.get()).toBe('token-2');
    expect(requests).toHaveLength(2);
  });

  it.each([
    ['epoch seconds', (ms: number) => Math.floor(ms / 1000)],
    ['epoch seconds as a string', (ms: number) => String(Math.floor(ms / 1000))],
    ['epoch milliseconds', (ms: number) => ms],
    ['an ISO date', (ms: number) => new Date(ms).toISOString()],
    ['an HTTP date', (ms: number) => new Date(ms).toUTCString()],
  ])('reads expiry given as %s', async (_name, shape) => {
    const clock = new ManualClock();
    const expiry = clock.now() + 60 * MINUTE;
    const cache = new TokenCache(async () => ({ token: 't', expiresOnTimestamp: shape(expiry) }), {
      clock,
      toError: (e) => new KeylessError('TOKEN_REQUEST_FAILED', String(e)),
    });
    await cache.get();
    expect(Math.abs((cache.expiresOn ?? 0) - expiry)).toBeLessThan(1000);
  });

  it('refuses tokens with whitespace or control characters, and unreadable expiry', async () => {
    const clock = new ManualClock();
    const make = (token: AccessToken) =>
      new TokenCache(async () => token, { clock, toError: (e) => new KeylessError('TOKEN_REQUEST_FAILED', String(e)) });
    await expect(
      make({ token: 'abc\r\nx-injected: 1', expiresOnTimestamp: clock.now() + MINUTE }).get(),
    ).rejects.toMatchObject({ code: 'TOKEN_REQUEST_FAILED' });
    await expect(make({ token: 'abc', expiresOnTimestamp: 'soon' }).get()).rejects.toMatchObject({
      code: 'TOKEN_REQUEST_FAILED',
    });
    await expect(make({ token: 'abc', expiresOnTimestamp: clock.now() - 1 }).get()).rejects.toMatchObject({
      code: 'TOKEN_REQUEST_FAILED',
    });
  });
});
