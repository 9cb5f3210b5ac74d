import { useEmulator } from '@keyless/testing/vitest';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../src/createAuth.js';

describe('apiKey strategy', () => {
  const emulator = useEmulator({ reset: false });

  it('sends the key as the only auth header, and the data plane accepts it', async () => {
    const auth = createAuth({ kind: 'apiKey', key: emulator.apiKey });
    const headers = await auth.getRequestHeaders();
    expect(Object.keys(headers)).toEqual(['api-key']);
    const response = await fetch(
      `${emulator.openaiEndpoint}/openai/deployments/${emulator.deployments.chat}/chat/completions?api-version=${emulator.apiVersion}`,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'key' }] }),
      },
    );
    expect(response.status).toBe(200);
    expect(emulator.counters.dataPlane.apiKey).toBe(1);
  });

  it('has no bearer token, and says so with a typed error', async () => {
    const auth = createAuth({ kind: 'apiKey', key: emulator.apiKey });
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'UNSUPPORTED_OPERATION' });
    expect(auth.invalidate('anything')).toBe(false);
  });

  it('redacts its key from text', () => {
    const auth = createAuth({ kind: 'apiKey', key: emulator.apiKey });
    expect(auth.redact(`failed with ${emulator.apiKey}`)).toBe('failed with [REDACTED]');
  });
});
