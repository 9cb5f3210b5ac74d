import { createOnBehalfOf, keylessErrorOf } from '@keyless/core';
import { type Emulator, limitConcurrency, type SignedInUser } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MakeAdapter } from './describeAdapterConformance.js';
import { bearerOidOf, onBehalfOfFor } from './onBehalfOfFor.js';

const CONCURRENT = 1_000;

/** The error a call ends with, or a test failure when it succeeds. */
async function failureOf(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => expect.unreachable('the call was expected to fail') as never,
    (error: unknown) => error as Error,
  );
}

/** Data-plane requests answered (2xx) as each object id, from the emulator's log. */
function answeredByOid(emulator: Emulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of emulator.log) {
    if (entry.endpoint !== 'dataPlane' || entry.status >= 300 || entry.oid === undefined) continue;
    counts[entry.oid] = (counts[entry.oid] ?? 0) + 1;
  }
  return counts;
}

/**
 * Acting for the signed-in user (on-behalf-of) through one adapter with the real SDK: each
 * request carries its own user's token, a forged or foreign-signed assertion never gets another
 * user's, a herd of one user costs one token request, and refusals reach the caller explained.
 */
export function describeOnBehalfOf(adapter: string, make: MakeAdapter): void {
  describe(`${adapter} adapter acting for signed-in users (on-behalf-of)`, () => {
    const emulator = useEmulator();
    let alice: SignedInUser;
    let bob: SignedInUser;
    beforeAll(async () => {
      [alice, bob] = await Promise.all([emulator.signInUser('alice'), emulator.signInUser('bob')]);
      // Roles are the users' own, as the seed article grants them.
      emulator.grantRole(alice.oid);
      emulator.grantRole(bob.oid);
    });

    it(`two users interleaved under ${CONCURRENT} concurrent requests: each carries its own user's token, one token request per user`, async () => {
      const obo = createOnBehalfOf(onBehalfOfFor(emulator));
      const pooled = limitConcurrency(256);
      const mismatched: string[] = [];
      const answers = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) => {
          const user = i % 2 === 0 ? alice : bob;
          // Per request, as a web API does: the caller's token in, a client acting for that caller.
          const wire: typeof fetch = (input, init) => {
            if (bearerOidOf(input, init) !== user.oid) mismatched.push(`request ${i}`);
            return pooled(input, init);
          };
          return make(obo.forUser(user.token), emulator, { fetch: wire }).chat(`for ${user.upn} ${i}`);
        }),
      );
      expect(answers.filter((answer) => answer.startsWith('Echo: for '))).toHaveLength(CONCURRENT);
      expect(mismatched).toEqual([]);
      // Counted where the traffic landed: half as each user, none as the API's own identity.
      expect(answeredByOid(emulator)).toEqual({ [alice.oid]: CONCURRENT / 2, [bob.oid]: CONCURRENT / 2 });
      expect(emulator.counters.onBehalfOf.issued).toBe(2);
      expect(emulator.counters.tokenRequests.entra).toBe(2);
    });

    it("a forged assertion carrying alice's oid (another key, then an altered signature) is refused: never alice's token", async () => {
      const obo = createOnBehalfOf(onBehalfOfFor(emulator));
      expect(await make(obo.forUser(alice.token), emulator).chat('alice first')).toBe('Echo: alice first');
      const claims = JSON.parse(Buffer.from(alice.token.split('.')[1] ?? '', 'base64url').toString('utf8'));
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      const kid = String((await exportJWK(publicKey)).kid ?? 'attacker');
      const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(privateKey);
      const [head, body] = alice.token.split('.');
      const altered = `${head}.${body}.${Buffer.from('not the signature').toString('base64url')}`;
      for (const forged of [foreign, altered]) {
        const error = await failureOf(make(obo.forUser(forged), emulator).chat('as alice?'));
        expect(keylessErrorOf(error)?.code ?? error.message).toBe('USER_ASSERTION_REJECTED');
        expect(error.message).toContain('AADSTS50013');
      }
      // Both were asked of Entra (and refused); neither reached the data plane as anyone.
      expect(emulator.counters.onBehalfOf).toEqual({ issued: 1, refused: 2 });
      expect(answeredByOid(emulator)).toEqual({ [alice.oid]: 1 });
      expect(emulator.counters.dataPlane.bearer).toBe(1);
    });

    it('a herd of one new user: one token request for 200 concurrent calls', async () => {
      const obo = createOnBehalfOf(onBehalfOfFor(emulator));
      const carol = await emulator.signInUser('carol');
      emulator.grantRole(carol.oid);
      const pooled = limitConcurrency(128);
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          make(obo.forUser(carol.token), emulator, { fetch: pooled }).chat(`carol ${i}`),
        ),
      );
      expect(answers.every((answer) => answer.startsWith('Echo: carol'))).toBe(true);
      expect(emulator.counters.onBehalfOf.issued).toBe(1);
      expect(answeredByOid(emulator)).toEqual({ [carol.oid]: 200 });
    });

    it('a user without the role: PermissionDenied naming the user (upn, oid) and the User assignment, not retried', async () => {
      const obo = createOnBehalfOf(onBehalfOfFor(emulator));
      const dave = await emulator.signInUser('dave');
      const error = await failureOf(make(obo.forUser(dave.token), emulator).chat('no role'));
      expect(error.message).toContain(`user ${dave.upn} (oid ${dave.oid})`);
      expect(error.message).toContain(`--assignee-object-id ${dave.oid} --assignee-principal-type User`);
      expect(emulator.counters.onBehalfOf.issued).toBe(1);
      expect(emulator.counters.dataPlane.bearer).toBe(1);
    });

    it("an expired user token: the caller's 401 (USER_ASSERTION_REJECTED), asked of Entra once, never retried", async () => {
      const obo = createOnBehalfOf(onBehalfOfFor(emulator));
      const stale = await alice.signInAgain({ lifetimeSeconds: -60 });
      for (let call = 0; call < 3; call++) {
        const error = await failureOf(make(obo.forUser(stale), emulator).chat('stale'));
        expect(keylessErrorOf(error)?.code ?? error.message).toBe('USER_ASSERTION_REJECTED');
        expect(error.message).toContain('AADSTS500133');
        expect(error.message).toContain('answer the caller 401');
      }
      // One refusal from Entra, remembered: three calls, one token request, no data-plane call.
      expect(emulator.counters.tokenRequests.entra).toBe(1);
      expect(emulator.counters.onBehalfOf.refused).toBe(1);
      expect(emulator.counters.dataPlane.bearer).toBe(0);
    });

    it('consent missing: CONSENT_REQUIRED says what to grant and where', async () => {
      const obo = createOnBehalfOf(onBehalfOfFor(emulator));
      const erin = await emulator.signInUser('erin', { consented: false });
      const error = await failureOf(make(obo.forUser(erin.token), emulator).chat('no consent'));
      expect(keylessErrorOf(error)?.code ?? error.message).toBe('CONSENT_REQUIRED');
      expect(error.message).toContain('AADSTS65001');
      expect(error.message).toContain('user_impersonation of Azure Cognitive Services');
      expect(emulator.counters.onBehalfOf.refused).toBe(1);
      expect(emulator.counters.dataPlane.bearer).toBe(0);
    });
  });
}
