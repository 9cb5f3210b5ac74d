import { createAuth } from '@keyless/core';
import { ManualClock } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../src/adapters.js';
import { recordFigure } from '../src/figures.js';
import { msalSecret } from '../src/setup.js';

// A resource that rejects every token keyless is given, and says nothing keyless can act on: a
// gateway's bare 401, as an API Management policy answers a token for the wrong app audience.
// (An Azure 401 that names the audience it wants is explained at once, without a refresh: see
// the audience tests.)
const BARE_401 = { statusCode: 401, message: 'Unauthorized. Access token is missing or invalid.' };
describe.each(Object.keys(ADAPTERS) as Array<keyof typeof ADAPTERS>)(
  'R17: a resource that rejects every token, through the %s adapter',
  (adapter) => {
    const emulator = useEmulator();
    beforeEach(() => {
      emulator.faults.add('dataPlane', { status: 401, body: BARE_401, times: 10_000 });
    });

    const rejectingAuth = (clock?: ManualClock) =>
      createAuth(msalSecret(emulator), clock === undefined ? {} : { clock });

    /** Runs `calls` calls one after another; the errors they end with. */
    async function sequential(chat: (content: string) => Promise<string>, calls: number, between?: () => void) {
      const errors: Error[] = [];
      for (let i = 0; i < calls; i++) {
        await chat(`call ${i}`).then(
          () => expect.unreachable('the resource accepts no token here'),
          (error: unknown) => errors.push(error as Error),
        );
        between?.();
      }
      return errors;
    }

    it('50 sequential calls cost 2 token requests, not one per call', async () => {
      const chat = ADAPTERS[adapter](rejectingAuth(), emulator, { maxRetries: 0 });
      const errors = await sequential(chat, 50);
      const tokens = emulator.counters.tokenRequests.entra;
      const calls = emulator.counters.dataPlane.bearer;
      expect(errors).toHaveLength(50);
      // The cold token and one forced refresh after its 401; then each call meets the paced rule.
      expect(tokens).toBe(2);
      // Call 1 retried once with the fresh token; the 49 others made one attempt each.
      expect(calls).toBe(51);
      expect(errors.at(-1)?.message).toContain('a fresh token was rejected too');
      recordFigure({
        id: 'R17',
        check: `${adapter}: 50 sequential calls to a resource that rejects every token (a bare 401)`,
        measured: `${tokens} token requests (goal ≤ 2; one per call before pacing: 51), ${calls} data-plane attempts; each of the last 49 calls failed at once with "a fresh token was rejected too"`,
      });
    });

    it.runIf(adapter === 'fetch' || adapter === 'openai')(
      'a storm of 1,000 calls over a minute (fake clock) costs a handful of token requests',
      async () => {
        const clock = new ManualClock();
        const chat = ADAPTERS[adapter](rejectingAuth(clock), emulator, { maxRetries: 0 });
        const errors = await sequential(chat, 1_000, () => clock.advance(60));
        const tokens = emulator.counters.tokenRequests.entra;
        expect(errors).toHaveLength(1_000);
        // Cold + forced at 0 s, then one forced refresh at 10 s and one at 30 s (the interval doubles).
        expect(tokens).toBe(4);
        recordFigure({
          id: 'R17',
          check: `${adapter}: 1,000 calls over 60 s (fake clock) to a resource that rejects every token (a bare 401)`,
          measured: `${tokens} token requests (at 0 s cold + 1 forced, then at 10 s and 30 s: the interval doubles while fresh tokens are rejected); ${emulator.counters.dataPlane.bearer} data-plane attempts`,
        });
      },
    );
  },
);
