import type { RecordingServer } from '@keyless/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeylessError } from '../src/errors.js';
import { createAuthorizedFetch, type RequestAuth } from '../src/http/authorizedFetch.js';
import { keylessErrorOf } from '../src/http/credentialFailureResponse.js';
import { countingAuth, type Handler, startLoginPage, useScriptedOrigin } from './support/scriptedOrigin.js';

describe('createAuthorizedFetch', () => {
  let handler: Handler = () => ({ status: 200 });
  const site = useScriptedOrigin((path, headers, method) => handler(path, headers, method));
  let origin = '';
  let recorder: RecordingServer;
  const seen = site.seen;
  beforeAll(() => {
    ({ origin, recorder } = site);
  });

  const expired = {
    status: 401,
    body: '{"statusCode":401,"message":"Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired."}',
  };
  const firstCallExpired: Handler = (_p, headers) =>
    headers.authorization === 'Bearer token-1' ? expired : { status: 200, body: 'ok' };

  it.each([
    ['a plain object', () => ({ 'API-Key': 'caller-key', Authorization: 'Bearer caller', 'X-Kept': 'yes' })],
    [
      'a null-prototype object',
      () => Object.assign(Object.create(null), { authorization: 'Bearer caller', 'x-kept': 'yes' }),
    ],
    ['a Headers', () => new Headers({ 'api-key': 'caller-key', authorization: 'Bearer caller', 'x-kept': 'yes' })],
    [
      'pairs',
      () =>
        [
          ['Api-Key', 'caller-key'],
          ['AUTHORIZATION', 'Bearer caller'],
          ['x-kept', 'yes'],
        ] as [string, string][],
    ],
  ])(
    'replaces caller auth headers given as %s with exactly one of its own, keeping the rest',
    async (_form, headers) => {
      handler = () => ({ status: 200 });
      const { auth } = countingAuth();
      const response = await createAuthorizedFetch(auth, { origin })(`${origin}/x`, { headers: headers() });
      expect(response.status).toBe(200);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.headers.authorization).toBe('Bearer token-1');
      expect(seen[0]?.headers['api-key']).toBeUndefined();
      expect(seen[0]?.headers['x-kept']).toBe('yes');
    },
  );

  it.each([
    ['exactly its credential (the openai SDK given it)', { authorization: 'Bearer token-1', 'x-kept': 'yes' }],
    ['its credential and an api-key', { authorization: 'Bearer token-1', 'api-key': 'caller-key', 'x-kept': 'yes' }],
    ['another token', { authorization: 'Bearer stale-token', 'x-kept': 'yes' }],
    ['no credential', { 'x-kept': 'yes' }],
  ])('sends a Headers holding %s with exactly its credential, never changing it', async (_form, entries) => {
    handler = () => ({ status: 200 });
    const { auth } = countingAuth();
    const headers = new Headers(entries);
    const response = await createAuthorizedFetch(auth, { origin })(`${origin}/x`, { headers });
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.authorization).toBe('Bearer token-1');
    expect(seen[0]?.headers['api-key']).toBeUndefined();
    expect(seen[0]?.headers['x-kept']).toBe('yes');
    const after: Record<string, string> = {};
    headers.forEach((value, name) => {
      after[name] = value;
    });
    expect(after).toEqual(entries);
  });

  it("replaces a caller's header named like one of keyless's own, in any letter case", async () => {
    handler = () => ({ status: 200 });
    const { auth: tokenAuth } = countingAuth();
    const auth: RequestAuth = {
      ...tokenAuth,
      getRequestHeaders: async () => ({
        ...(await tokenAuth.getRequestHeaders()),
        'ocp-apim-subscription-key': 'ours',
      }),
    };
    await createAuthorizedFetch(auth, { origin })(`${origin}/x`, {
      headers: { 'Ocp-Apim-Subscription-Key': 'callers', 'content-type': 'text/plain' },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers['ocp-apim-subscription-key']).toBe('ours');
    expect(seen[0]?.headers.authorization).toBe('Bearer token-1');
    expect(seen[0]?.headers['content-type']).toBe('text/plain');
  });

  it('keeps the caller\'s redirect mode on the retry after a 401: "error" still refuses a redirect', async () => {
    handler = (_p, headers) =>
      headers.authorization === 'Bearer token-1' ? expired : { status: 307, headers: { location: '/elsewhere' } };
    const { auth, calls } = countingAuth();
    await expect(createAuthorizedFetch(auth, { origin })(`${origin}/x`, { redirect: 'error' })).rejects.toThrow(
      'redirect: "error"',
    );
    expect(calls.invalidated).toEqual(['token-1']);
    expect(seen.map((s) => [s.path, s.headers.authorization])).toEqual([
      ['/x', 'Bearer token-1'],
      ['/x', 'Bearer token-2'],
    ]);
  });

  it('retries once with a fresh token after an expired-token 401', async () => {
    handler = firstCallExpired;
    const { auth, calls } = countingAuth();
    const response = await createAuthorizedFetch(auth, { origin })(`${origin}/x`, { method: 'POST', body: 'payload' });
    expect(response.status).toBe(200);
    expect(calls.invalidated).toEqual(['token-1']);
    expect(seen.map((s) => [s.headers.authorization, s.body])).toEqual([
      ['Bearer token-1', 'payload'],
      ['Bearer token-2', 'payload'],
    ]);
  });

  it('never retries twice: a second 401 comes back explained', async () => {
    handler = () => expired;
    const { auth } = countingAuth();
    const response = await createAuthorizedFetch(auth, { origin })(`${origin}/x`);
    expect(seen).toHaveLength(2);
    expect(await response.text()).toContain('rejected the token even after a refresh');
    expect(response.headers.get('x-keyless-error-code')).toBe('INVALID_TOKEN');
  });

  it('does not retry a request whose body is a one-shot stream', async () => {
    handler = firstCallExpired;
    const { auth, calls } = countingAuth();
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const response = await createAuthorizedFetch(auth, { origin })(`${origin}/x`, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(401);
    expect(seen).toHaveLength(1);
    // Dropped all the same, so the next request does not meet the same revoked token...
    expect(calls.invalidated).toEqual(['token-1']);
    // ...and the explanation says what happened, not "even after a refresh".
    const text = await response.text();
    expect(text).toContain('did not retry this request');
    expect(text).not.toContain('even after a refresh');
  });

  it('retries a Request object whose body is a string after an invalid-token 401', async () => {
    handler = firstCallExpired;
    const { auth } = countingAuth();
    const request = new Request(`${origin}/x`, { method: 'POST', body: '{"replay":true}' });
    const response = await createAuthorizedFetch(auth, { origin })(request);
    expect(response.status).toBe(200);
    expect(seen.map((s) => [s.headers.authorization, s.body])).toEqual([
      ['Bearer token-1', '{"replay":true}'],
      ['Bearer token-2', '{"replay":true}'],
    ]);
  });

  it('re-sends a Request body on a same-origin 307', async () => {
    handler = (path) => (path === '/start' ? { status: 307, headers: { location: '/next' } } : { status: 200 });
    const { auth } = countingAuth();
    const request = new Request(`${origin}/start`, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    const response = await createAuthorizedFetch(auth, { origin })(request);
    expect(response.status).toBe(200);
    expect(seen.map((s) => [s.path, s.method, s.body.length])).toEqual([
      ['/start', 'POST', 3],
      ['/next', 'POST', 3],
    ]);
  });

  it('returns an answer from another origin untouched, without invalidating the token', async () => {
    handler = () => ({ status: 302, headers: { location: `${recorder.url}/login` } });
    const { auth, calls } = countingAuth();
    const login = await startLoginPage();
    try {
      handler = () => ({ status: 302, headers: { location: `${login.url}/login` } });
      const response = await createAuthorizedFetch(auth, { origin })(`${origin}/x`);
      expect(response.status).toBe(401);
      expect(response.headers.get('x-keyless-error-code')).toBeNull();
      expect(await response.text()).toBe('please sign in');
      expect(calls.invalidated).toEqual([]);
      expect(calls.headers).toBe(1);
    } finally {
      await login.close();
    }
  });

  it('changes a lower-case "post" to GET on 301/302, and keeps HEAD on 303', async () => {
    handler = (path) =>
      path === '/post' || path === '/head'
        ? { status: path === '/post' ? 301 : 303, headers: { location: '/done' } }
        : { status: 200 };
    const { auth } = countingAuth();
    const authorized = createAuthorizedFetch(auth, { origin });
    await authorized(`${origin}/post`, { method: 'post', body: 'x', headers: { 'content-type': 'text/plain' } });
    await authorized(`${origin}/head`, { method: 'HEAD' });
    expect(seen.map((s) => [s.path, s.method, s.headers['content-type']])).toEqual([
      ['/post', 'POST', 'text/plain'],
      ['/done', 'GET', undefined],
      ['/head', 'HEAD', undefined],
      ['/done', 'HEAD', undefined],
    ]);
  });

  it.each([
    ['redirect: "error"', { status: 307, headers: { location: '/again' } }, { redirect: 'error' } as RequestInit],
    ['too many redirects', { status: 307, headers: { location: '/again' } }, {}],
    ['a Location that is not a URL', { status: 307, headers: { location: 'http://[bad' } }, {}],
  ])('cancels the response body on %s', async (_name, answer, init) => {
    const cancelled: string[] = [];
    // A fetch we own, whose answers record whether their body was cancelled.
    const tracking: typeof fetch = async (input) => {
      const url = String(input);
      const body = new ReadableStream({
        pull(controller) {
          controller.enqueue(new TextEncoder().encode('redirect body'));
        },
        cancel() {
          cancelled.push(url);
        },
      });
      return new Response(body, answer);
    };
    const { auth } = countingAuth();
    await expect(createAuthorizedFetch(auth, { origin, fetch: tracking })(`${origin}/a`, init)).rejects.toThrow(
      TypeError,
    );
    expect(cancelled.length).toBeGreaterThan(0);
    // Every answer it received was cancelled: none is left holding a socket.
    expect(cancelled.length).toBe(answer.headers.location === '/again' && init.redirect !== 'error' ? 21 : 1);
  });

  it('answers with an explained, non-retryable 401 when no credentials can be had', async () => {
    handler = () => ({ status: 200 });
    const failure = new KeylessError(
      'TOKEN_REQUEST_FAILED',
      'msalConfidentialClient: the token request failed (401): AADSTS7000215. The client secret is wrong.',
      { status: 401 },
    );
    const auth: RequestAuth = {
      kind: 'msalConfidentialClient',
      getRequestHeaders: () => Promise.reject(failure),
      invalidate: () => false,
    };
    const response = await createAuthorizedFetch(auth, { origin })(`${origin}/x`);
    expect(seen).toHaveLength(0);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-keyless-error-code')).toBe('TOKEN_REQUEST_FAILED');
    expect(response.headers.get('x-should-retry')).toBe('false');
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(body.error.message).toContain('AADSTS7000215');
    expect(keylessErrorOf(response)).toBe(failure);
    expect(keylessErrorOf({ headers: response.headers })).toBe(failure);
  });

  it.each([
    ['a timeout', new KeylessError('TOKEN_REQUEST_TIMEOUT', 'managedIdentity: no answer.'), 503],
    ['a token endpoint 503', new KeylessError('TOKEN_REQUEST_FAILED', 'x: failed (503).', { status: 503 }), 503],
    ['throttling', new KeylessError('THROTTLED', 'x: throttled.', { status: 429, retryAfterMs: 7_000 }), 429],
  ])('answers %s with a retryable status', async (_name, failure, status) => {
    const auth: RequestAuth = {
      kind: 'managedIdentity',
      getRequestHeaders: () => Promise.reject(failure),
      invalidate: () => false,
    };
    const response = await createAuthorizedFetch(auth, { origin })(`${origin}/x`);
    expect(response.status).toBe(status);
    expect(response.headers.get('x-should-retry')).toBe('true');
    if (status === 429) expect(response.headers.get('retry-after')).toBe('7');
  });

  it.each([
    ['maxRetryAfterMs', { maxRetryAfterMs: Number.NaN }],
    ['maxRetryAfterMs', { maxRetryAfterMs: -1 }],
    ['otherOrigins', { otherOrigins: 'allow' }],
    ['fetch', { fetch: 'not a function' }],
  ])('refuses a bad %s at creation', (setting, extra) => {
    const { auth } = countingAuth();
    expect(() => createAuthorizedFetch(auth, { origin: 'https://x.openai.azure.com', ...(extra as object) })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(setting) }),
    );
  });

  it('does not retry an API key 401, and explains it', async () => {
    handler = () => ({
      status: 401,
      body: '{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}',
    });
    const { auth } = countingAuth('apiKey');
    const response = await createAuthorizedFetch(auth, { origin })(`${origin}/x`);
    expect(seen).toHaveLength(1);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('AZURE_OPENAI_API_KEY');
  });

  it('answers a CAE claims challenge with one request carrying those claims', async () => {
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
    handler = (_p, headers) =>
      headers.authorization === 'Bearer token-1'
        ? {
            status: 401,
            headers: {
              'www-authenticate': `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"`,
            },
          }
        : { status: 200 };
    const { auth, calls } = countingAuth();
    const response = await createAuthorizedFetch(auth, { origin })(`${origin}/x`);
    expect(response.status).toBe(200);
    expect(calls.claims).toEqual([claims]);
  });
});
