import { type AuthEvent, createAuth } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { type ExpiresOnFormat, ManualClock } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../src/figures.js';
import { chatVia, msalSecret } from '../src/setup.js';

describe('R8: expiry in every shape, and clocks that move', () => {
  // The emulator's clock, shared with the first test's Auth: it moves only when that test moves it.
  const clock = new ManualClock();
  const emulator = useEmulator({ tokenLifetimeSeconds: 3600, reset: false, clock });
  beforeAll(async () => {
    Object.assign(process.env, emulator.env('managedIdentity'));
  });

  it('sends no expired token while tokens expire every 6 s under steady traffic', async () => {
    // One injected clock for keyless and the emulator (which checks `exp` by it): 15 s of calls at
    // 40/s through tokens that live 6 s, in well under a second of real time. Managed identity,
    // whose `expires_on` is absolute: each token expires during the run, and only a timely
    // refresh keeps an expired one from reaching the data plane.
    emulator.settings.lifetimeSeconds = 6;
    const auth = createAuth({ kind: 'managedIdentity' }, { clock });
    let refreshes = 0;
    auth.on((e) => {
      if (e.type === 'token-acquired') refreshes += 1;
    });
    const api = createAuthorizedFetch(auth, { origin: emulator.openaiEndpoint });
    const expiredBefore = emulator.counters.expiredTokensReceived;
    const statuses: number[] = [];
    for (let step = 0; step < 300; step++) {
      const batch = await Promise.all([chatVia(api, emulator), chatVia(api, emulator)]);
      statuses.push(...batch.map((r) => r.status));
      clock.advance(50);
    }
    emulator.settings.lifetimeSeconds = 3600;
    const expired = emulator.counters.expiredTokensReceived - expiredBefore;
    const failed = statuses.filter((status) => status !== 200).length;
    expect(refreshes).toBeGreaterThanOrEqual(3);
    expect(expired).toBe(0);
    expect(failed).toBe(0);
    recordFigure({
      id: 'R8',
      check:
        'expired tokens the data plane received while 6-second tokens expired under steady traffic (15 s on an injected clock)',
      measured: `${expired} expired tokens received in ${statuses.length} calls (${failed} failed) across ${refreshes} tokens, each expiring during the run`,
    });
  });

  it('reads managed identity expires_on as epoch number, epoch string, ISO and HTTP date', async () => {
    const auth = createAuth({ kind: 'managedIdentity' });
    const acquired: number[] = [];
    auth.on((e: AuthEvent) => {
      if (e.type === 'token-acquired') acquired.push(e.expiresOn);
    });
    const api = createAuthorizedFetch(auth, { origin: emulator.openaiEndpoint });
    const errors: string[] = [];
    for (const format of ['epoch-number', 'epoch-string', 'iso', 'date'] as ExpiresOnFormat[]) {
      emulator.settings.expiresOnFormat = format;
      const token = await auth.getToken();
      const expected = clock.now() + 3_600_000; // the emulator's clock issued it
      const got = acquired.at(-1) ?? 0;
      if (Math.abs(got - expected) > 5_000) errors.push(`${format}: off by ${got - expected} ms`);
      expect((await chatVia(api, emulator)).status).toBe(200);
      auth.invalidate(token); // the next format needs a new token
    }
    expect(errors).toEqual([]);
    recordFigure({
      id: 'R8',
      check: 'managed identity expires_on: epoch number, epoch string, ISO 8601, HTTP date',
      measured:
        '4 of 4 parsed to the right expiry (within 5 s); the HTTP date is normalised by keyless (msal-node alone misreads it)',
    });
  });

  it('uses msal expires_in and refresh_in for the soft window', async () => {
    emulator.settings.refreshInSeconds = 100;
    const auth = createAuth(msalSecret(emulator));
    let event: Extract<AuthEvent, { type: 'token-acquired' }> | undefined;
    auth.on((e) => {
      if (e.type === 'token-acquired') event = e;
    });
    await auth.getToken();
    emulator.settings.refreshInSeconds = undefined;
    expect(Math.abs((event?.refreshAfter ?? 0) - (Date.now() + 100_000))).toBeLessThan(5_000);
    expect(Math.abs((event?.expiresOn ?? 0) - (Date.now() + 3_600_000))).toBeLessThan(5_000);
    recordFigure({
      id: 'R8',
      check: 'Entra expires_in + refresh_in',
      measured: 'expiry = now + expires_in and background refresh from now + refresh_in (both within 5 s)',
    });
  });

  it('never serves an expired token when the wall clock moves back 10 minutes', async () => {
    emulator.settings.lifetimeSeconds = 240;
    const clock = new ManualClock();
    const auth = createAuth(msalSecret(emulator), { clock });
    const first = await auth.getToken();
    const before = emulator.counters.tokenRequests.entra;
    clock.advance(250_000); // past expiry on both clocks...
    clock.moveWall(-600_000); // ...then NTP moves the wall clock back 10 minutes
    emulator.settings.lifetimeSeconds = 3600;
    const second = await auth.getToken();
    expect(second).not.toBe(first);
    expect(emulator.counters.tokenRequests.entra - before).toBe(1);
    const api = createAuthorizedFetch(auth, { origin: emulator.openaiEndpoint });
    expect((await chatVia(api, emulator)).status).toBe(200);
    recordFigure({
      id: 'R8',
      check: 'wall clock moved back 10 minutes after expiry',
      measured: 'the monotonic clock wins: 1 refresh, the expired token was not served',
    });
  });
});
