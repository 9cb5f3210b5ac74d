import { createAuth } from '@keyless/core';
import { ManualClock } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../src/adapters.js';
import { recordFigure } from '../src/figures.js';
import { msalSecret } from '../src/setup.js';

const inOneDay = () => new Date(Date.now() + 86_400_000).toUTCString();

describe('R6: 429 and Retry-After', () => {
  const emulator = useEmulator();
  beforeEach(() => emulator.faults.clear());

  describe('from the data plane, through the openai adapter (SDK retries on, max 2)', () => {
    it.each<[string, { retryAfter?: number | string; retryAfterMs?: number }, 'retried' | 'fails fast']>([
      ['retry-after: 0.1', { retryAfter: '0.1' }, 'retried'],
      ['retry-after-ms: 100', { retryAfterMs: 100 }, 'retried'],
      ['no Retry-After', {}, 'retried'],
      ['retry-after: 86400', { retryAfter: 86_400 }, 'fails fast'],
      ['retry-after: an HTTP date a day ahead', { retryAfter: inOneDay() }, 'fails fast'],
    ])('%s', async (name, fault, expected) => {
      const chat = ADAPTERS.openai(createAuth(msalSecret(emulator)), emulator, { maxRetries: 2 });
      await chat('warm');
      const calls = emulator.counters.dataPlane.bearer;
      emulator.faults.add('dataPlane', { status: 429, ...fault });
      const started = performance.now();
      const outcome = await chat('throttled').then(
        () => 'retried' as const,
        (e: Error & { status?: number }) => {
          expect(e.status).toBe(429);
          expect(e.message).toContain('failing now instead');
          return 'fails fast' as const;
        },
      );
      const ms = Math.round(performance.now() - started);
      expect(outcome).toBe(expected);
      expect(ms).toBeLessThan(5_000);
      const attempts = emulator.counters.dataPlane.bearer - calls;
      expect(attempts).toBe(expected === 'retried' ? 2 : 1);
      recordFigure({
        id: 'R6',
        check: `data plane 429, ${name} (openai SDK)`,
        measured: `${outcome === 'retried' ? 'honoured: retried once and succeeded' : 'over the 60 s cap: x-should-retry: false, RateLimitError with keyless explanation'}, ${attempts} attempt(s), ${ms} ms`,
      });
    });

    it('retry-after: 45 (under the cap) is passed to the client untouched', async () => {
      emulator.faults.add('dataPlane', { status: 429, retryAfter: 45 });
      const error = await ADAPTERS.fetch(
        createAuth(msalSecret(emulator)),
        emulator,
      )('x').catch((e: Error & { headers: Headers }) => e);
      expect((error as Error & { headers: Headers }).headers.get('x-should-retry')).toBeNull();
      recordFigure({
        id: 'R6',
        check: 'data plane 429, retry-after: 45',
        measured:
          'under the 60 s cap: passed through unmarked, so the openai SDK waits the 45 s it was asked (not run here: a 45 s sleep)',
      });
    });
  });

  describe('from the token endpoint (msalConfidentialClient, fake clock)', () => {
    it.each<[string, { retryAfter?: number | string }, number]>([
      ['retry-after: 0.1', { retryAfter: '0.1' }, 100],
      ['retry-after: 45', { retryAfter: 45 }, 45_000],
      ['retry-after: 86400', { retryAfter: 86_400 }, 60_000],
      ['retry-after: an HTTP date a day ahead', { retryAfter: inOneDay() }, 60_000],
      ['no Retry-After', {}, 0],
    ])('%s', async (name, fault, honouredMs) => {
      const clock = new ManualClock();
      const auth = createAuth(msalSecret(emulator), { clock });
      emulator.faults.add('token', { status: 429, ...fault });
      const requests = () => emulator.counters.tokenRequests.entra;
      const before = requests();
      const started = performance.now();
      const first = await auth.getToken().catch((e: unknown) => e as { code: string; retryAfterMs?: number });
      const ms = Math.round(performance.now() - started);
      expect(first).toMatchObject({ code: 'THROTTLED' });
      expect(ms).toBeLessThan(5_000);
      if (honouredMs > 0) {
        clock.advance(honouredMs - 1);
        await expect(auth.getToken()).rejects.toMatchObject({ code: 'THROTTLED' });
        expect(requests() - before).toBe(1); // failed fast, no request
        clock.advance(1);
      }
      expect(typeof (await auth.getToken())).toBe('string');
      expect(requests() - before).toBe(2);
      recordFigure({
        id: 'R6',
        check: `token endpoint 429, ${name}`,
        measured: `THROTTLED in ${ms} ms; calls fail fast without a request for ${honouredMs / 1000} s${honouredMs === 60_000 ? ' (the cap)' : ''}, then 1 request succeeds`,
      });
    });
  });
});
