import { flushPromises as flush, ManualClock } from '@keyless/testing';
import { describe, expect, it } from 'vitest';
import { KeylessError } from '../src/errors.js';
import { type AuthEvent, EventHub } from '../src/events.js';
import { TokenCache, type TokenRequest } from '../src/tokenCache/tokenCache.js';
import type { AccessToken } from '../src/tokenCredential.js';

const MINUTE = 60_000;

/** A scripted credential: each call returns the next outcome, or a fresh token for `lifetimeMs`. */
function harness(options: { lifetimeMs?: number; refreshAfterMs?: number; timeoutMs?: number } = {}) {
  const clock = new ManualClock();
  const events = new EventHub();
  const seen: AuthEvent[] = [];
  events.on((e) => seen.push(e));
  const requests: TokenRequest[] = [];
  const queue: Array<'fail' | 'throttle' | 'hang' | 'expired'> = [];
  let pending: Array<() => void> = [];
  let issued = 0;
  const fetcher = async (request: TokenRequest): Promise<AccessToken> => {
    requests.push(request);
    const next = queue.shift();
    if (next === 'hang') await new Promise<void>((resolve) => pending.push(resolve));
    if (next === 'fail') throw new Error('token endpoint answered 503');
    if (next === 'throttle')
      throw new KeylessError('THROTTLED', 'test: throttled.', { retryAfterMs: 45_000, status: 429 });
    issued += 1;
    const now = clock.now();
    // A VM whose clock runs an hour fast sees every token as already expired.
    if (next === 'expired') return { token: `token-${issued}`, expiresOnTimestamp: now - 60 * MINUTE };
    return {
      token: `token-${issued}`,
      expiresOnTimestamp: now + (options.lifetimeMs ?? 60 * MINUTE),
      refreshAfterTimestamp: options.refreshAfterMs === undefined ? undefined : now + options.refreshAfterMs,
    };
  };
  const toError = (e: unknown) =>
    new KeylessError('TOKEN_REQUEST_FAILED', `test: ${(e as Error).message}.`, { cause: e });
  const cache = new TokenCache(fetcher, {
    clock,
    events,
    toError,
    random: () => 0.5,
    tokenRequestTimeoutMs: options.timeoutMs,
  });
  const release = () => {
    for (const resolve of pending) resolve();
    pending = [];
  };
  return { clock, cache, requests, queue, seen, release };
}

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

  describe('forced refreshes are paced (rule 8)', () => {
    it('allows one per interval, keeps the rejected token meanwhile, and says so', async () => {
      const { cache, clock, requests, seen } = harness();
      const first = await cache.get();
      expect(cache.invalidate(first)).toBe(true);
      const second = await cache.get();
      // The fresh token is rejected at once: refused, the token kept, an event with the wait.
      expect(cache.invalidate(second)).toBe(false);
      expect(await cache.get()).toBe(second);
      expect(requests).toHaveLength(2);
      expect(seen.filter((e) => e.type === 'refresh-paced')).toEqual([
        { type: 'refresh-paced', reason: 'invalidated', retryInMs: 10_000 },
      ]);
      clock.advance(9_999);
      expect(cache.invalidate(second)).toBe(false);
      clock.advance(1);
      expect(cache.invalidate(second)).toBe(true);
      expect(await cache.get()).toBe('token-3');
      expect(requests).toHaveLength(3);
    });

    it('doubles the interval while forced tokens keep being rejected, and starts again after one that was not', async () => {
      const { cache, clock, seen } = harness();
      const lastWait = () => {
        const event = seen.filter((e) => e.type === 'refresh-paced').at(-1);
        return event?.type === 'refresh-paced' ? event.retryInMs : undefined;
      };
      cache.invalidate(await cache.get()); // the cold token rejected: the next forced refresh in 10 s
      let wait = 10_000;
      for (const next of [20_000, 40_000, 80_000, 160_000, 300_000, 300_000]) {
        const token = await cache.get(); // won by the forced refresh, and rejected at once
        expect(cache.invalidate(token)).toBe(false);
        expect(lastWait()).toBe(wait);
        clock.advance(wait);
        expect(cache.invalidate(token)).toBe(true);
        wait = next;
      }
      // A token renewed in the background (not a forced one) resets the interval to 10 s.
      await cache.get();
      clock.advance(56 * MINUTE);
      await cache.get();
      await flush();
      const renewed = await cache.get();
      expect(cache.invalidate(renewed)).toBe(true);
      expect(cache.invalidate(await cache.get())).toBe(false);
      expect(lastWait()).toBe(10_000);
    });

    it('paces claims challenges with the same rule', async () => {
      const { cache, requests, seen } = harness();
      const first = await cache.get();
      const claimed = await cache.getWithClaims('{"a":1}', first);
      expect(claimed).toBe('token-2');
      // The claims token is challenged again at once: the cached one comes back, no request.
      expect(await cache.getWithClaims('{"a":2}', claimed)).toBe(claimed);
      expect(requests).toHaveLength(2);
      expect(seen.filter((e) => e.type === 'refresh-paced').map((e) => e.type === 'refresh-paced' && e.reason)).toEqual(
        ['claims'],
      );
    });
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

  describe('deadline', () => {
    it('fails waiting callers with TOKEN_REQUEST_TIMEOUT and aborts the request', async () => {
      const { cache, clock, queue, requests, seen } = harness({ timeoutMs: 10_000 });
      queue.push('hang');
      const waiting = Array.from({ length: 5 }, () => cache.get().catch((e: unknown) => e));
      await flush();
      clock.advance(10_000);
      const errors = await Promise.all(waiting);
      expect(errors.map((e) => (e as KeylessError).code)).toEqual(Array(5).fill('TOKEN_REQUEST_TIMEOUT'));
      expect((errors[0] as Error).message).toContain('10 s');
      expect(requests[0]?.signal.aborted).toBe(true);
      expect(seen.filter((e) => e.type === 'refresh-failed')).toMatchObject([{ code: 'TOKEN_REQUEST_TIMEOUT' }]);
      expect(clock.pendingTimers).toBe(0);
    });

    it('never blocks anyone again: the next call starts a new attempt, a late answer is ignored', async () => {
      const { cache, clock, queue, requests, release, seen } = harness({ timeoutMs: 10_000 });
      queue.push('hang');
      const first = cache.get().catch((e: unknown) => e);
      await flush();
      clock.advance(10_000);
      expect(await first).toMatchObject({ code: 'TOKEN_REQUEST_TIMEOUT' });
      expect(await cache.get()).toBe('token-1'); // a new request, answered at once
      expect(requests).toHaveLength(2);
      release(); // the hung request finally answers: ignored
      await flush();
      expect(seen.filter((e) => e.type === 'token-acquired')).toHaveLength(1);
      expect(await cache.get()).toBe('token-1');
    });

    it('keeps serving the cached token while a refresh hangs, then backs off', async () => {
      const { cache, clock, queue, requests, seen } = harness({ timeoutMs: 10_000 });
      await cache.get();
      clock.advance(60 * MINUTE - 20_000); // hard window: callers wait for the refresh...
      queue.push('hang');
      const waiting = cache.get();
      await flush();
      clock.advance(10_000); // ...which times out: they get the still-valid token
      expect(await waiting).toBe('token-1');
      const failed = seen.find((e) => e.type === 'refresh-failed');
      expect(failed).toMatchObject({ code: 'TOKEN_REQUEST_TIMEOUT', servingCachedToken: true });
      expect(await cache.get()).toBe('token-1'); // within backoff: no new request
      expect(requests).toHaveLength(2);
    });

    it('cancels its timer when the token arrives', async () => {
      const { cache, clock } = harness();
      await cache.get();
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe('claims challenges', () => {
    it('share one request per claims value however many requests are challenged', async () => {
      const { cache, requests } = harness();
      await cache.get();
      const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.getWithClaims('{"cae":1}')));
      expect(new Set(tokens)).toEqual(new Set(['token-2']));
      expect(requests.filter((r) => r.claims !== undefined)).toHaveLength(1);
      expect(requests[1]).toMatchObject({ reason: 'claims', claims: '{"cae":1}', forceRefresh: true });
      expect(await cache.get()).toBe('token-2'); // the claims token replaced the cached one
    });

    it('are not overwritten by a refresh that started before the challenge', async () => {
      const { cache, clock, queue, release, requests } = harness();
      await cache.get();
      clock.advance(56 * MINUTE);
      queue.push('hang');
      await cache.get(); // background refresh for token-1 starts, and hangs
      const claimsToken = await cache.getWithClaims('{"cae":1}');
      release(); // the old refresh lands now
      await flush();
      expect(await cache.get()).toBe(claimsToken);
      expect(requests).toHaveLength(2 + 0 + 1);
    });

    it('are not asked again by a request whose challenged token was already replaced', async () => {
      const { cache, requests } = harness();
      const challenged = await cache.get();
      const renewed = await cache.getWithClaims('{"cae":1}', challenged);
      // A slower request challenged with the same old token, after the flight has landed:
      expect(await cache.getWithClaims('{"cae":1}', challenged)).toBe(renewed);
      expect(requests).toHaveLength(2);
    });

    it('fail through the same backoff and events as any refresh', async () => {
      const { cache, queue, seen } = harness();
      await cache.get();
      queue.push('throttle');
      await expect(cache.getWithClaims('{"cae":1}')).rejects.toMatchObject({ code: 'THROTTLED' });
      await expect(cache.getWithClaims('{"cae":2}')).rejects.toMatchObject({ code: 'THROTTLED' });
      expect(seen.filter((e) => e.type === 'refresh-failed')).toMatchObject([{ reason: 'claims' }]);
    });
  });

  describe('a token the cache cannot use', () => {
    it('is a failed refresh: event, backoff, and no request per call in the soft window', async () => {
      const { cache, clock, queue, requests, seen } = harness();
      await cache.get();
      clock.advance(56 * MINUTE);
      queue.push('expired', 'expired', 'expired');
      for (let i = 0; i < 20; i++) {
        expect(await cache.get()).toBe('token-1');
        await flush();
      }
      expect(requests).toHaveLength(2);
      expect(seen.filter((e) => e.type === 'refresh-failed')).toMatchObject([
        { code: 'TOKEN_REQUEST_FAILED', servingCachedToken: true },
      ]);
    });
  });
});
