import { inspect } from 'node:util';
import { keylessErrorOf } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { ManualClock } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../src/figures.js';
import { chatVia, observedAuth } from '../src/setup.js';

// Soft window from 120 s (half the lifetime), hard window from 210 s.
const LIFETIME_S = 240;
const SOFT_MS = 120_000;
const STEP_MS = 3_000;

describe('R1/R2: the token endpoint fails from the soft window on', () => {
  const emulator = useEmulator({ tokenLifetimeSeconds: LIFETIME_S, reset: false });
  let clock: ManualClock;
  let observed: ReturnType<typeof observedAuth>;
  let api: typeof fetch;
  let expiresOn = 0;

  beforeAll(async () => {
    // Made after the emulator is up, so fake time starts at the real time the token is issued.
    clock = new ManualClock();
    observed = observedAuth(emulator, { clock });
    api = createAuthorizedFetch(observed.auth, { origin: emulator.openaiEndpoint });
    expect((await chatVia(api, emulator)).status).toBe(200);
    expiresOn = Number(observed.events.find((e) => e.type === 'token-acquired')?.expiresOn);
    // 500s, 503s, dropped connections and slow failures, for longer than the token lives.
    emulator.faults.add('token', { status: 503, retryAfter: 2, times: 3 });
    emulator.faults.add('token', { reset: true, times: 3 });
    emulator.faults.add('token', { status: 500, delayMs: 200, times: 2 });
    emulator.faults.add('token', { status: 503, times: 100_000 });
  });

  it('R1: fails no API call while the cached token is valid, backing off between refresh attempts', async () => {
    const tokenRequestsBefore = emulator.counters.tokenRequests.entra;
    clock.advance(SOFT_MS);
    let calls = 0;
    let failed = 0;
    for (let t = SOFT_MS; t < LIFETIME_S * 1000 - 1_000; t += STEP_MS) {
      for (let i = 0; i < 3; i++) {
        calls += 1;
        if ((await chatVia(api, emulator)).status !== 200) failed += 1;
      }
      clock.advance(STEP_MS);
    }
    const attempts = observed.events.filter((e) => e.type === 'refresh-started' && e.reason !== 'cold');
    const gaps = attempts.slice(1).map((e, i) => Math.round((e.at - (attempts[i]?.at ?? 0)) / 1000));
    const failures = observed.events.filter((e) => e.type === 'refresh-failed');
    expect(failed).toBe(0);
    expect(attempts.length).toBeGreaterThan(3);
    expect(attempts.length).toBeLessThan(25); // backoff, not one attempt per call (~120 calls)
    expect(failures).toHaveLength(attempts.length);
    expect(failures.every((e) => e.servingCachedToken === true)).toBe(true);
    expect(emulator.counters.tokenRequests.entra - tokenRequestsBefore).toBeGreaterThanOrEqual(attempts.length);
    for (const gap of gaps.slice(0, 4)) expect(gap).toBeGreaterThanOrEqual(1);
    recordFigure({
      id: 'R1',
      check: 'token endpoint failing (503, resets, slow 500s) from the soft window to expiry, steady traffic',
      measured: `${calls} API calls over ${(LIFETIME_S * 1000 - SOFT_MS) / 1000} s of fake time, ${failed} failed; ${attempts.length} refresh attempts (${emulator.counters.tokenRequests.entra - tokenRequestsBefore} token-endpoint requests), spaced ${gaps.join(', ')} s; every failure reported as a refresh-failed event while serving the cached token`,
    });
  });

  it('R2: after expiry the failure surfaces typed and fast, and the next call after recovery succeeds', async () => {
    clock.advance(expiresOn + 1_000 - clock.now()); // one second past the cached token's expiry
    // The emulator issues real-time tokens; the fake clock is now ahead of real time, so the token
    // issued after recovery must outlive that lead.
    emulator.settings.lifetimeSeconds = 3600;
    const started = performance.now();
    const error = (await observed.auth.getToken().then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { code: string };
    const elapsed = Math.round(performance.now() - started);
    expect(error).toMatchObject({ name: 'KeylessError' });
    expect(['TOKEN_REQUEST_FAILED', 'THROTTLED']).toContain(error.code);
    const printed = `${inspect(error, { depth: null })}${JSON.stringify(error)}${error.stack}`;
    expect(printed).not.toContain(emulator.client.clientSecret);
    expect(printed).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
    expect(elapsed).toBeLessThan(10_000);
    // Through a fetch, the failure is an answer that explains itself (and keeps the typed error).
    const answer = await chatVia(api, emulator);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('x-keyless-error-code')).toBe(error.code);
    expect(keylessErrorOf(answer)).toMatchObject({ name: 'KeylessError', code: error.code });

    emulator.faults.clear('token');
    const before = emulator.counters.tokenRequests.entra;
    const recovered = await chatVia(api, emulator);
    expect(recovered.status).toBe(200);
    expect(emulator.counters.tokenRequests.entra).toBe(before + 1);
    recordFigure({
      id: 'R2',
      check: 'still failing after expiry, then the endpoint recovers',
      measured: `typed ${error.code} after ${elapsed} ms (no secret in message, stack, inspect or JSON); first call after recovery succeeded with 1 new token request (no stuck promise, no cached failure)`,
    });
  });
});
