import { flushPromises as flush } from '@keyless/testing';
import { describe, expect, it } from 'vitest';
import type { KeylessError } from '../src/errors.js';
import { harness, MINUTE } from './support/tokenCacheHarness.js';

// The token cache's forced refreshes, deadline, claims flights and unusable tokens (rules 3, 5, 6
// and 8); windows, single flight, failures and clocks are in tokenCache.test.ts.
describe('TokenCache', () => {
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
