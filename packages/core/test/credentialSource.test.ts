import { flushPromises, ManualClock } from '@keyless/testing';
import { describe, expect, it, vi } from 'vitest';
import { createAuth } from '../src/createAuth.js';
import type { KeylessError } from '../src/errors.js';
import { credentialSource } from '../src/strategies/credentialSource.js';
import { TokenCache } from '../src/tokenCache/tokenCache.js';
import type { GetTokenOptions, TokenCredential } from '../src/tokenCredential.js';

const MINUTE = 60_000;

/** A credential we own: a new token per call, each call's options recorded. */
function countingCredential(clock: ManualClock) {
  const calls: Array<GetTokenOptions | undefined> = [];
  const credential: TokenCredential = {
    async getToken(_scopes, options) {
      calls.push(options);
      return { token: `token-${calls.length}`, expiresOnTimestamp: clock.now() + 60 * MINUTE };
    },
  };
  return { credential, calls };
}

describe('credentialSource (the default and credential strategies)', () => {
  it('asks for a new credential instance only after a 401 invalidation, not on scheduled refreshes', async () => {
    // The default strategy builds a new DefaultAzureCredential when asked to renew: each new
    // instance walks the chain again (an IMDS probe, spawning `az`), so only a 401 justifies it.
    const clock = new ManualClock();
    const { credential } = countingCredential(clock);
    const renewals: boolean[] = [];
    const source = credentialSource(
      'default',
      async (renew) => {
        renewals.push(renew);
        return credential;
      },
      'https://cognitiveservices.azure.com/.default',
    );
    const cache = new TokenCache(source.fetch, { clock, toError: (e) => e as KeylessError });
    const first = await cache.get();
    for (let i = 0; i < 3; i++) {
      clock.advance(58 * MINUTE); // the soft window: a scheduled background refresh every time
      await cache.get();
      await flushPromises();
    }
    expect(renewals).toEqual([false, false, false, false]);
    cache.invalidate(await cache.get());
    expect(await cache.get()).not.toBe(first);
    expect(renewals).toEqual([false, false, false, false, true]);
  });

  it('hands the deadline to the credential as its abortSignal, and fails with TOKEN_REQUEST_TIMEOUT', async () => {
    const clock = new ManualClock();
    let signal: AbortSignal | undefined;
    const hanging: TokenCredential = {
      getToken: (_scopes, options) => {
        signal = options?.abortSignal;
        return new Promise(() => undefined);
      },
    };
    const auth = createAuth({ kind: 'credential', credential: hanging }, { clock, tokenRequestTimeoutMs: 5_000 });
    const pending = auth.getToken().catch((e: unknown) => e);
    // The request starts once the token runtime has loaded (the first Auth of a process waits for it).
    await vi.waitFor(() => expect(signal).toBeDefined());
    expect(signal?.aborted).toBe(false);
    clock.advance(5_000);
    expect(await pending).toMatchObject({
      code: 'TOKEN_REQUEST_TIMEOUT',
      message: expect.stringContaining('credential'),
    });
    expect(signal?.aborted).toBe(true);
  });
});
