import { createAuth } from '@keyless/core';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../src/adapters.js';
import { recordFigure } from '../src/figures.js';
import { msalSecret } from '../src/setup.js';

describe('R7: every attempt carries exactly one auth header, the new token after a refresh', () => {
  const emulator = useEmulator();
  beforeAll(async () => {
    process.env.AZURE_OPENAI_API_KEY = 'ambient-key-that-must-never-be-sent';
  });

  for (const adapter of Object.keys(ADAPTERS) as Array<keyof typeof ADAPTERS>) {
    it(`${adapter}: first attempt, retry after 429, retry after 401`, async () => {
      emulator.resetCounters();
      const chat = ADAPTERS[adapter](createAuth(msalSecret(emulator)), emulator, { maxRetries: 1 });
      await chat('first');
      const retries429 = adapter !== 'fetch'; // the fetch adapter leaves 429 to its caller
      if (retries429) {
        emulator.faults.add('dataPlane', { status: 429, retryAfterMs: 10 });
        await chat('after 429');
      }
      emulator.revokeTokens();
      await chat('after 401');
      const attempts = emulator.log.filter((e) => e.endpoint === 'dataPlane');
      expect(attempts.every((e) => e.auth === 'bearer')).toBe(true);
      const ids = attempts.map((e) => e.tokenId);
      const [first] = ids;
      const expected = retries429 ? [first, first, first, first, ids.at(-1)] : [first, first, ids.at(-1)];
      expect(ids).toEqual(expected);
      expect(ids.at(-1)).not.toBe(first);
      expect(attempts.map((e) => e.status)).toEqual(retries429 ? [200, 429, 200, 401, 200] : [200, 401, 200]);
      recordFigure({
        id: 'R7',
        check: `${adapter}: one auth header per attempt (ambient AZURE_OPENAI_API_KEY set)`,
        measured: `${attempts.length} attempts (statuses ${attempts.map((e) => e.status).join(', ')}): each exactly one Authorization header, 0 with both or none; the same token until the 401, a new one on the retry`,
      });
    });
  }

  it('API key: one api-key header on every attempt, retries included', async () => {
    emulator.resetCounters();
    const chat = ADAPTERS.openai(createAuth({ kind: 'apiKey', key: emulator.apiKey }), emulator, { maxRetries: 2 });
    emulator.faults.add('dataPlane', { status: 429, retryAfterMs: 10, times: 2 });
    await chat('key');
    const attempts = emulator.log.filter((e) => e.endpoint === 'dataPlane');
    expect(attempts.map((e) => e.auth)).toEqual(['api-key', 'api-key', 'api-key']);
    recordFigure({
      id: 'R7',
      check: 'openai, API key: first attempt and two 429 retries',
      measured: '3 attempts, each exactly one api-key header, 0 Authorization headers',
    });
  });

  it('through a gateway: the subscription key beside exactly one token, retry included', async () => {
    emulator.resetCounters();
    const auth = createAuth(msalSecret(emulator), { scope: emulator.gateway.scope, gatewayKey: emulator.gateway.key });
    const chat = ADAPTERS.openai(auth, emulator, { maxRetries: 0, endpoint: emulator.gateway.endpoint });
    await chat('first');
    emulator.revokeTokens();
    await chat('after a revoked token');
    // The gateway refuses a request without its key, with an api-key, or with both auth headers.
    const attempts = emulator.log.filter((e) => e.endpoint === 'gateway');
    expect(attempts.map((e) => [e.status, e.auth])).toEqual([
      [200, 'bearer'],
      [401, 'bearer'],
      [200, 'bearer'],
    ]);
    expect(emulator.counters.dataPlane.apiKey).toBe(2); // the gateway's own key to the backend, once per accepted call
    recordFigure({
      id: 'R7',
      check:
        'openai through an API Management-like gateway (gatewayKey + a token for its audience), first call and a revoked token',
      measured: `${attempts.length} attempts at the gateway (statuses ${attempts.map((e) => e.status).join(', ')}): each the subscription key and exactly one Authorization header, 0 api-key; the retry carried a new token`,
    });
  });
});
