import { createOnBehalfOf, decodeJwtClaims } from '@keyless/core';
import { adapters, bearerOidOf, onBehalfOfFor } from '@keyless/test-suites';
import { type Emulator, limitConcurrency, type SignedInUser, startEmulator } from '@keyless/testing';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordFigure } from '../src/figures.js';

/** Data-plane requests answered (2xx) as each object id, counted where they landed. */
function answeredByOid(emulator: Emulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of emulator.log) {
    if (entry.endpoint === 'dataPlane' && entry.status < 300 && entry.oid !== undefined) {
      counts.set(entry.oid, (counts.get(entry.oid) ?? 0) + 1);
    }
  }
  return counts;
}

// Acting for users (on-behalf-of): one user can never receive another's token, through any
// adapter, under load, or with a forged assertion naming the other user.
describe.each(Object.keys(adapters) as Array<keyof typeof adapters>)(
  'R20: users kept apart, through the %s adapter',
  (adapter) => {
    let emulator: Emulator;
    let alice: SignedInUser;
    let bob: SignedInUser;
    beforeAll(async () => {
      emulator = await startEmulator();
      [alice, bob] = await Promise.all([emulator.signInUser('alice'), emulator.signInUser('bob')]);
      emulator.grantRole(alice.oid);
      emulator.grantRole(bob.oid);
    });
    afterAll(() => emulator.close());
    beforeEach(() => emulator.resetCounters());

    it("1,000 interleaved concurrent requests of two users: each carries its own user's token", async () => {
      const obo = createOnBehalfOf(onBehalfOfFor(emulator));
      const pooled = limitConcurrency(256);
      let crossed = 0;
      let checked = 0;
      await Promise.all(
        Array.from({ length: 1_000 }, (_, i) => {
          const user = i % 2 === 0 ? alice : bob;
          const wire: typeof fetch = (input, init) => {
            checked += 1;
            if (bearerOidOf(input, init) !== user.oid) crossed += 1;
            return pooled(input, init);
          };
          return adapters[adapter](obo.forUser(user.token), emulator, { fetch: wire }).chat(`${i}`);
        }),
      );
      const answered = answeredByOid(emulator);
      expect(checked).toBe(1_000);
      expect(crossed).toBe(0);
      expect(answered.get(alice.oid)).toBe(500);
      expect(answered.get(bob.oid)).toBe(500);
      expect(answered.size).toBe(2);
      recordFigure({
        id: 'R20',
        check: `${adapter}: two users' requests interleaved, 1,000 at once (on-behalf-of)`,
        measured: `${checked} requests checked on the wire, ${crossed} carried the other user's token; at the emulator ${answered.get(alice.oid)} answered as alice, ${answered.get(bob.oid)} as bob, none as anyone else; ${emulator.counters.onBehalfOf.issued} token requests`,
      });
    });

    it("a forged assertion naming alice's oid never gets alice's token", async () => {
      const obo = createOnBehalfOf(onBehalfOfFor(emulator));
      const aliceToken = await obo.forUser(alice.token).getToken();
      const claims = decodeJwtClaims(alice.token) as Record<string, unknown>;
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      const foreign = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: String((await exportJWK(publicKey)).kid ?? 'x') })
        .sign(privateKey);
      const [head, body] = alice.token.split('.');
      const altered = `${head}.${body}.${Buffer.from('forged').toString('base64url')}`;
      const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${body}.`;
      const leaked: string[] = [];
      let refused = 0;
      for (const forged of [foreign, altered, unsigned]) {
        const seen: string[] = [];
        const wire: typeof fetch = (input, init) => {
          seen.push(bearerOidOf(input, init) ?? 'none');
          return fetch(input, init);
        };
        await adapters[adapter](obo.forUser(forged), emulator, { fetch: wire })
          .chat('as alice?')
          .then(
            () => leaked.push('answered'),
            () => {
              refused += 1;
            },
          );
        if (seen.length > 0) leaked.push(...seen);
      }
      expect(leaked).toEqual([]);
      expect(refused).toBe(3);
      // Asked of Entra and refused there (never matched to alice's entry); alice's token unchanged.
      expect(emulator.counters.onBehalfOf.refused).toBe(3);
      expect(await obo.forUser(alice.token).getToken()).toBe(aliceToken);
      recordFigure({
        id: 'R20',
        check: `${adapter}: a forged assertion carrying alice's oid (foreign key, altered signature, alg none)`,
        measured: `${refused} of 3 refused (AADSTS50013 at the token endpoint: ${emulator.counters.onBehalfOf.refused} refusals), 0 requests reached the data plane, alice's cached token untouched`,
      });
    });
  },
);

describe('R20: a bounded per-user cache', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('10,000 distinct users with maxUsers 1,000: at most 1,000 held, one token request each', {
    timeout: 120_000,
  }, async () => {
    const obo = createOnBehalfOf(onBehalfOfFor(emulator, { maxUsers: 1_000 }));
    let most = 0;
    for (let batch = 0; batch < 20; batch++) {
      const users = await Promise.all(Array.from({ length: 500 }, (_, i) => emulator.signInUser(`r${batch}-${i}`)));
      await Promise.all(users.map((user) => obo.forUser(user.token).getToken()));
      most = Math.max(most, obo.size);
    }
    expect(most).toBe(1_000);
    expect(emulator.counters.onBehalfOf.issued).toBe(10_000);
    recordFigure({
      id: 'R20',
      check: 'core: 10,000 distinct users through one createOnBehalfOf with maxUsers 1,000',
      measured: `at most ${most} users held at any time (least recently used dropped first); ${emulator.counters.onBehalfOf.issued} token requests, one per user`,
    });
  });
});
