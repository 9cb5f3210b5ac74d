import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/index.js';
import { useEmulator } from '../src/vitest.js';

const clock = new ManualClock();

describe('the emulator on an injected clock', () => {
  // Tokens are presented after they expired here, on purpose.
  const emulator = useEmulator({ clock, tokenLifetimeSeconds: 60, invariants: { noExpiredTokens: false } });
  const models = (token: string) =>
    fetch(`${emulator.openaiEndpoint}/openai/v1/models`, { headers: { authorization: `Bearer ${token}` } });

  it('issues tokens and checks their expiry by its clock, not the real one: no sleep', async () => {
    const answer = await fetch(
      `${emulator.managedIdentity.endpoint}?api-version=2019-08-01&resource=https://cognitiveservices.azure.com`,
      { headers: { 'x-identity-header': emulator.managedIdentity.header } },
    );
    const { access_token: token, expires_on: expiresOn } = (await answer.json()) as {
      access_token: string;
      expires_on: string;
    };
    expect(Number(expiresOn)).toBe(Math.floor(clock.now() / 1000) + 60);
    expect((await models(token)).status).toBe(200);
    clock.advance(59_000);
    expect((await models(token)).status).toBe(200);
    clock.advance(2_000);
    expect((await models(token)).status).toBe(401);
    expect(emulator.counters.expiredTokensReceived).toBe(1);
    expect(emulator.log.at(-1)?.time).toBe(clock.now());
  });
});
