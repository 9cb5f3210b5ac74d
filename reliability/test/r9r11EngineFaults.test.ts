import { type AuthEvent, createAuth } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { flushPromises, ManualClock } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../src/adapters.js';
import { recordFigure } from '../src/figures.js';
import { chatVia, msalSecret } from '../src/setup.js';

const MINUTE = 60_000;

/** Timers alive in this process. */
const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

/** Polls `condition` every 20 ms for at most `ms` (real time: it waits on other I/O). */
async function until(condition: () => boolean, ms: number): Promise<boolean> {
  for (const end = performance.now() + ms; !condition(); ) {
    if (performance.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe('R9-R11: the engine under token-endpoint faults', () => {
  const emulator = useEmulator();

  it('R9: a token endpoint that accepts requests and never answers', async () => {
    // Cold: the caller fails at the deadline (1 s here) instead of waiting forever.
    const cold = createAuth(msalSecret(emulator), { tokenRequestTimeoutMs: 1_000 });
    const timersBefore = timers();
    emulator.faults.add('token', { hang: true });
    const started = performance.now();
    const coldError = await cold.getToken().catch((e: unknown) => e as { code: string });
    const coldMs = Math.round(performance.now() - started);
    expect(coldError).toMatchObject({ code: 'TOKEN_REQUEST_TIMEOUT' });
    const recovered = await cold.getToken().then(() => true);

    // Warm: from the soft window on, every refresh hangs; calls keep the cached token.
    const clock = new ManualClock();
    const auth = createAuth(msalSecret(emulator), { clock, tokenRequestTimeoutMs: 1_000 });
    const events: AuthEvent[] = [];
    auth.on((e) => events.push(e));
    const api = createAuthorizedFetch(auth, { origin: emulator.openaiEndpoint });
    expect((await chatVia(api, emulator)).status).toBe(200);
    const hungBefore = emulator.counters.hungRequests;
    emulator.faults.add('token', { hang: true, times: 1_000 });
    clock.advance(56 * MINUTE);
    let calls = 0;
    let failed = 0;
    for (let second = 0; second < 120; second++) {
      const response = await chatVia(api, emulator);
      calls += 1;
      if (response.status !== 200) failed += 1;
      await flushPromises();
      clock.advance(1_000); // fires the deadline of a refresh in flight
      await flushPromises();
    }
    const timeouts = events.filter((e) => e.type === 'refresh-failed' && e.code === 'TOKEN_REQUEST_TIMEOUT').length;
    const served = events.filter((e) => e.type === 'refresh-failed' && e.servingCachedToken).length;
    const hung = emulator.counters.hungRequests - hungBefore;
    // The fault lifts: the next refresh after the backoff succeeds.
    emulator.faults.clear('token');
    clock.advance(61_000);
    expect((await chatVia(api, emulator)).status).toBe(200);
    const refreshedAfterLift = await until(() => events.at(-1)?.type === 'token-acquired', 5_000);
    // keyless's network client destroys each abandoned request's socket at its own deadline
    // (1 s, real time): then no hung connection may be left open at the emulator.
    const closed = await until(() => emulator.counters.hungRequestsOpen === 0, 5_000);
    const open = emulator.counters.hungRequestsOpen;
    const timersAfter = timers();

    expect(failed).toBe(0);
    expect(timeouts).toBe(hung);
    expect(served).toBe(timeouts);
    expect(recovered).toBe(true);
    expect(refreshedAfterLift).toBe(true);
    expect(closed).toBe(true);
    expect(timersAfter).toBeLessThanOrEqual(timersBefore);
    recordFigure({
      id: 'R9',
      check: 'token endpoint accepts requests and never answers (deadline 1 s)',
      measured: `cold: TOKEN_REQUEST_TIMEOUT after ${coldMs} ms, next call recovered; warm: ${calls} calls over 120 s of fake time in the soft window, ${failed} failed, ${hung} hung refreshes each abandoned at the deadline (${timeouts} TOKEN_REQUEST_TIMEOUT events, all while serving the cached token), first refresh after the fault lifted succeeded; hung connections left open afterwards: ${open} of ${hung + 1}; timers alive: ${timersAfter} (before: ${timersBefore})`,
    });
  });

  it('R10: 50 concurrent requests meet the same claims challenge', async () => {
    const auth = createAuth(msalSecret(emulator));
    const chat = ADAPTERS.openai(auth, emulator);
    await chat('warm up'); // a cached token, so only the challenge asks for one
    // A critical event: every token issued so far is challenged; a token asked with the claims passes.
    emulator.challengeTokens('{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}');
    const before = { tokens: emulator.counters.tokenRequests.entra, claims: emulator.counters.tokenRequestsWithClaims };
    const answers = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => chat(`challenged ${i}`)));
    const ok = answers.filter((a) => a.status === 'fulfilled').length;
    const tokenRequests = emulator.counters.tokenRequests.entra - before.tokens;
    const withClaims = emulator.counters.tokenRequestsWithClaims - before.claims;
    expect(emulator.counters.claimsChallengesSent).toBe(50);
    expect(ok).toBe(50);
    expect(tokenRequests).toBe(1);
    expect(withClaims).toBe(1);
    recordFigure({
      id: 'R10',
      check: '50 concurrent requests through the openai SDK receive the same insufficient_claims challenge',
      measured: `${tokenRequests} token request (${withClaims} carrying the claims), ${ok} of 50 requests then succeeded. keyless does not declare the cp1 capability, so Azure sends such challenges only where it must: this is handling a challenge if one arrives`,
    });
  });

  it('R11: the credential keeps returning tokens the cache cannot use (a clock running fast)', async () => {
    const clock = new ManualClock();
    const auth = createAuth(msalSecret(emulator), { clock });
    const events: AuthEvent[] = [];
    auth.on((e) => events.push(e));
    const api = createAuthorizedFetch(auth, { origin: emulator.openaiEndpoint });
    expect((await chatVia(api, emulator)).status).toBe(200);
    clock.advance(56 * MINUTE); // the soft window: every call may start a refresh
    emulator.settings.lifetimeSeconds = -60; // every new token has already expired
    const before = emulator.counters.tokenRequests.entra;
    let failed = 0;
    const seconds = 60;
    for (let tick = 0; tick < seconds * 4; tick++) {
      if ((await chatVia(api, emulator)).status !== 200) failed += 1;
      await flushPromises();
      clock.advance(250);
    }
    emulator.settings.lifetimeSeconds = 3600;
    const attempts = emulator.counters.tokenRequests.entra - before;
    const reported = events.filter((e) => e.type === 'refresh-failed').length;
    expect(failed).toBe(0);
    expect(attempts).toBe(reported);
    expect(attempts).toBeLessThanOrEqual(8); // backoff 1, 2, 4, 8, 16, 32 s (jittered)
    recordFigure({
      id: 'R11',
      check: 'every refresh returns an already-expired token, 4 calls/s for 60 s of fake time in the soft window',
      measured: `${seconds * 4} calls, ${failed} failed; ${attempts} token requests (${(attempts / seconds).toFixed(2)} per second), each a refresh-failed event with backoff`,
    });
  });
});
