import { flushPromises, ManualClock } from '@keyless/testing';
import { describe, expect, it } from 'vitest';
import { type RequestAuth, sdkCredential } from '../src/adapter.js';
import { createAuth, KeylessError } from '../src/index.js';
import { withReadyHeaders } from '../src/internal/readyHeaders.js';

/** A token auth whose answers the test scripts: each entry is a token or a failure. */
function scriptedAuth(answers: Array<string | KeylessError>): RequestAuth & { calls: number } {
  const auth = {
    kind: 'managedIdentity' as const,
    calls: 0,
    invalidate: () => false,
    getRequestHeaders: async () => {
      const answer = answers[Math.min(auth.calls, answers.length - 1)];
      auth.calls += 1;
      if (answer instanceof KeylessError) throw answer;
      return { authorization: `Bearer ${answer}` };
    },
  };
  return auth;
}

const unavailable = () => new KeylessError('TOKEN_REQUEST_FAILED', 'token endpoint answered 503', { status: 503 });

describe('sdkCredential', () => {
  it('hands the SDK the key itself for an apiKey auth from createAuth, and a reader for a wrapper', async () => {
    const auth = createAuth({ kind: 'apiKey', key: 'the-real-key-0123456789' });
    expect(sdkCredential(auth)).toBe('the-real-key-0123456789');
    const wrapper: RequestAuth = { kind: 'apiKey', invalidate: () => false, getRequestHeaders: auth.getRequestHeaders };
    const read = sdkCredential(wrapper);
    expect(typeof read === 'function' ? await read() : read).toBe('the-real-key-0123456789');
  });

  it('returns the current token on every call, never a cached copy', async () => {
    const auth = scriptedAuth(['first', 'second']);
    const credential = sdkCredential(auth) as () => Promise<string>;
    expect(await credential()).toBe('first');
    expect(await credential()).toBe('second');
  });

  it('answers from the cache without asking again once a token is held, and still as a promise', async () => {
    let asked = 0;
    const clock = new ManualClock();
    const credential = {
      getToken: async () => {
        asked += 1;
        return { token: `token-${asked}`, expiresOnTimestamp: clock.now() + 3_600_000 };
      },
    };
    const token = sdkCredential(createAuth({ kind: 'credential', credential }, { clock })) as () => Promise<string>;
    expect(await token()).toBe('token-1');
    const cached = token();
    expect(cached).toBeInstanceOf(Promise);
    expect(await cached).toBe('token-1');
    expect(asked).toBe(1);
  });

  it('rejects (never throws) when the headers at hand carry no bearer token', async () => {
    const keyOnly = withReadyHeaders(
      {
        kind: 'managedIdentity' as const,
        invalidate: () => false,
        getRequestHeaders: async () => ({ 'api-key': 'k' }),
      },
      () => ({ 'api-key': 'the-key-0123456789' }),
    );
    const token = sdkCredential(keyOnly) as () => Promise<string>;
    const answer = token();
    expect(answer).toBeInstanceOf(Promise);
    const failure = await answer.catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('no bearer token') });
    expect(String((failure as Error).message)).not.toContain('the-key-0123456789');
  });

  it('retries a retryable failure after 0.5 s, then 1 s, on the injected clock', async () => {
    const clock = new ManualClock();
    const auth = scriptedAuth([unavailable(), unavailable(), 'recovered']);
    const credential = sdkCredential(auth, { clock }) as () => Promise<string>;
    const result = credential();
    await flushPromises();
    expect(auth.calls).toBe(1);
    clock.advance(499);
    await flushPromises();
    expect(auth.calls).toBe(1);
    clock.advance(1);
    await flushPromises();
    expect(auth.calls).toBe(2);
    clock.advance(1_000);
    expect(await result).toBe('recovered');
    expect(auth.calls).toBe(3);
  });

  it('honours a throttled failure’s Retry-After, bounded to 8 s', async () => {
    const clock = new ManualClock();
    const throttled = new KeylessError('THROTTLED', 'throttled', { status: 429, retryAfterMs: 60_000 });
    const auth = scriptedAuth([throttled, 'later']);
    const result = (sdkCredential(auth, { clock }) as () => Promise<string>)();
    await flushPromises();
    clock.advance(7_999);
    await flushPromises();
    expect(auth.calls).toBe(1);
    clock.advance(1);
    expect(await result).toBe('later');
  });

  it('throws a non-retryable failure at once, and a retryable one after its retries', async () => {
    const wrong = new KeylessError('TOKEN_REQUEST_FAILED', 'AADSTS7000215: invalid client secret', { status: 401 });
    const denied = scriptedAuth([wrong]);
    await expect((sdkCredential(denied) as () => Promise<string>)()).rejects.toBe(wrong);
    expect(denied.calls).toBe(1);
    const down = scriptedAuth([unavailable()]);
    const clock = new ManualClock();
    const result = (sdkCredential(down, { retries: 1, clock }) as () => Promise<string>)().catch((e: unknown) => e);
    await flushPromises();
    clock.advance(500);
    expect(await result).toBeInstanceOf(KeylessError);
    expect(down.calls).toBe(2);
  });
});
