import { inspect } from 'node:util';
import { onBehalfOfFor } from '@keyless/test-suites';
import { ManualClock, type SignedInUser } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { describe, expect, it } from 'vitest';
import type { AuthEvent } from '../src/events.js';
import {
  createOnBehalfOf,
  decodeJwtClaims,
  isKeylessError,
  type KeylessError,
  type OnBehalfOfOptions,
  onBehalfOfFromEnv,
} from '../src/index.js';

const emulator = useEmulator();

const options = (extra: Partial<OnBehalfOfOptions> = {}) => onBehalfOfFor(emulator, extra);

async function rejection(call: Promise<unknown>): Promise<KeylessError> {
  const error = await call.then(
    () => expect.unreachable('expected a rejection'),
    (caught: unknown) => caught,
  );
  expect(isKeylessError(error)).toBe(true);
  return error as KeylessError;
}

describe('createOnBehalfOf: a token per user, through the real msal-node', () => {
  it("gets a delegated token for the user's own oid, from the user's assertion", async () => {
    const obo = createOnBehalfOf(options());
    const alice = await emulator.signInUser('alice');
    const auth = obo.forUser(alice.token);
    expect(auth.kind).toBe('onBehalfOf');
    const claims = decodeJwtClaims(await auth.getToken());
    expect(claims).toMatchObject({
      oid: alice.oid,
      upn: alice.upn,
      idtyp: 'user',
      aud: 'https://cognitiveservices.azure.com',
    });
    // The same assertion, the same Auth and the cached token: no second request.
    expect(obo.forUser(alice.token)).toBe(auth);
    expect(await obo.forUser(alice.token).getToken()).toBe(await auth.getToken());
    expect(emulator.counters.onBehalfOf.issued).toBe(1);
    expect(auth.status()).toMatchObject({ strategy: 'onBehalfOf', ready: true, tokenCached: true });
  });

  it('one token request for 1,000 concurrent calls of one user; two assertions of one person are two entries', async () => {
    const obo = createOnBehalfOf(options());
    const bob = await emulator.signInUser('bob');
    const tokens = await Promise.all(Array.from({ length: 1_000 }, () => obo.forUser(bob.token).getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(emulator.counters.onBehalfOf.issued).toBe(1);
    // Keyed by the assertion, never by the oid inside it: a new sign-in is a new entry.
    const later = await bob.signInAgain();
    expect(decodeJwtClaims(await obo.forUser(later).getToken())?.oid).toBe(bob.oid);
    expect(emulator.counters.onBehalfOf.issued).toBe(2);
    expect(obo.size).toBe(2);
  });

  it('drops the least recently used user first; a hit keeps a user', async () => {
    const obo = createOnBehalfOf(options({ maxUsers: 2 }));
    const [a, b, c] = (await Promise.all(['a', 'b', 'c'].map((name) => emulator.signInUser(name)))) as [
      SignedInUser,
      SignedInUser,
      SignedInUser,
    ];
    await obo.forUser(a.token).getToken();
    await obo.forUser(b.token).getToken();
    await obo.forUser(a.token).getToken(); // a is now the most recent
    await obo.forUser(c.token).getToken(); // b goes
    expect(emulator.counters.onBehalfOf.issued).toBe(3);
    await obo.forUser(a.token).getToken();
    expect(emulator.counters.onBehalfOf.issued).toBe(3);
    await obo.forUser(b.token).getToken();
    expect(emulator.counters.onBehalfOf.issued).toBe(4);
    expect(obo.size).toBe(2);
  });

  it('drops users whose tokens expired, on the injected clock', async () => {
    const clock = new ManualClock();
    const obo = createOnBehalfOf(options({ clock }));
    const users = await Promise.all(['x', 'y', 'z'].map((name) => emulator.signInUser(name)));
    for (const user of users) await obo.forUser(user.token).getToken();
    expect(obo.size).toBe(3);
    clock.advance(2 * 3_600_000);
    const fresh = await emulator.signInUser('fresh');
    obo.forUser(fresh.token);
    // The three expired ones were swept when the new user was added.
    expect(obo.size).toBe(1);
  });

  it('a refused assertion is never cached, and is answered from memory for 30 s, then asked again', async () => {
    const clock = new ManualClock();
    const obo = createOnBehalfOf(options({ clock }));
    const erin = await emulator.signInUser('erin', { consented: false });
    const first = await rejection(obo.forUser(erin.token).getToken());
    expect(first.code).toBe('CONSENT_REQUIRED');
    expect(obo.size).toBe(0);
    const again = await rejection(obo.forUser(erin.token).getToken());
    expect(again.code).toBe('CONSENT_REQUIRED');
    expect(emulator.counters.tokenRequests.entra).toBe(1);
    // Consent granted meanwhile is seen once the refusal is forgotten.
    await erin.signInAgain({ consented: true });
    clock.advance(31_000);
    expect(decodeJwtClaims(await obo.forUser(erin.token).getToken())?.oid).toBe(erin.oid);
    expect(emulator.counters.tokenRequests.entra).toBe(2);
    expect(obo.size).toBe(1);
  });

  it('refuses a token for another app (AADSTS500131) with the audience the caller must ask for', async () => {
    const obo = createOnBehalfOf(options());
    const user = await emulator.signInUser('frank');
    // The user's own Azure OpenAI token, not one for this API: what a confused client sends.
    const userObo = createOnBehalfOf(options());
    const forAzureOpenAI = await userObo.forUser(user.token).getToken();
    const error = await rejection(obo.forUser(forAzureOpenAI).getToken());
    expect(error.code).toBe('USER_ASSERTION_REJECTED');
    expect(error.message).toContain('AADSTS500131');
    expect(error.message).toContain("audience: this app's client id or Application ID URI");
    expect(error.retryable).toBe(false);
  });

  it('never prints the user assertion or the client secret: errors, inspect, JSON, events', async () => {
    const obo = createOnBehalfOf(options());
    const events: AuthEvent[] = [];
    obo.on((event) => events.push(event));
    const stale = await (await emulator.signInUser('gina')).signInAgain({ lifetimeSeconds: -30 });
    const error = await rejection(obo.forUser(stale).getToken());
    expect(error.message).toContain('AADSTS500133');
    expect(emulator.counters.onBehalfOf.refused).toBe(1);
    const printed = [
      error.message,
      error.stack,
      inspect(error, { depth: null }),
      JSON.stringify(error),
      JSON.stringify(events),
    ];
    for (const text of printed) {
      expect(text).not.toContain(stale);
      expect(text).not.toContain(stale.split('.')[2]);
      expect(text).not.toContain(emulator.client.clientSecret);
    }
    expect(events.map((event) => event.type)).toEqual(['refresh-started', 'refresh-failed']);
    expect(obo.redact(`secret ${emulator.client.clientSecret}`)).not.toContain(emulator.client.clientSecret);
  });

  it('reads the API app registration from the environment (onBehalfOfFromEnv), ignoring an API key', async () => {
    const env = { ...emulator.env('msalSecret'), AZURE_OPENAI_API_KEY: 'a-key-cannot-act-for-a-user' };
    const obo = onBehalfOfFromEnv({ env, ca: emulator.caCertificate });
    const hana = await emulator.signInUser('hana');
    expect(decodeJwtClaims(await obo.forUser(hana.token).getToken())?.oid).toBe(hana.oid);
  });
});

describe('createOnBehalfOf: bad input, named in the first line', () => {
  it.each([
    ['no options', undefined, /onBehalfOf: the options are missing/],
    ['maxUsers 0', { maxUsers: 0 }, /onBehalfOf: maxUsers must be a whole number of at least 1/],
    ['no client credential', { clientSecret: undefined }, /onBehalfOf: no client credential was given/],
    [
      'a secret and a certificate',
      { certificate: { privateKey: 'pem' } },
      /clientSecret and certificate were both given/,
    ],
    ['an empty scope', { scope: ' ' }, /onBehalfOf: scope/],
  ])('%s', (_name, extra, message) => {
    const build = () =>
      createOnBehalfOf(
        (extra === undefined ? undefined : options(extra as Partial<OnBehalfOfOptions>)) as OnBehalfOfOptions,
      );
    expect(build).toThrow(message);
  });

  it.each([
    ['empty', ''],
    ['with the Bearer prefix', 'Bearer aaa.bbb.ccc'],
    ['not a JWT', 'opaque-session-cookie'],
    ['not a string', 42],
  ])('forUser refuses a user assertion that is %s, without a token request', (_name, value) => {
    const obo = createOnBehalfOf(options());
    let error: unknown;
    try {
      obo.forUser(value as string);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'USER_ASSERTION_REJECTED' });
    expect((error as Error).message).toMatch(/^onBehalfOf: forUser needs the user's access token/);
    expect(emulator.counters.tokenRequests.entra).toBe(0);
  });
});
