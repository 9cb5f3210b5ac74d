import type { RecordingServer } from '@keyless/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizedFetch } from '../src/http/authorizedFetch.js';
import { countingAuth, type Handler, useScriptedOrigin } from './support/scriptedOrigin.js';

// Requests for other origins and redirects: credentials belong to the configured origin only.
describe('createAuthorizedFetch and other origins', () => {
  let handler: Handler = () => ({ status: 200 });
  const site = useScriptedOrigin((path, headers, method) => handler(path, headers, method));
  let origin = '';
  let recorder: RecordingServer;
  const seen = site.seen;
  beforeAll(() => {
    ({ origin, recorder } = site);
  });

  it('leaves requests to other origins untouched, or refuses them', async () => {
    const { auth, calls } = countingAuth();
    await createAuthorizedFetch(auth, { origin })(`${recorder.url}/elsewhere`, { headers: { 'x-trace': '1' } });
    expect(recorder.requests.at(-1)?.headers.authorization).toBeUndefined();
    expect(calls.headers).toBe(0);
    await expect(
      createAuthorizedFetch(auth, { origin, otherOrigins: 'refuse' })(`${recorder.url}/elsewhere`),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('strips every credential header from a request for another origin, whoever set it', async () => {
    const { auth, calls } = countingAuth();
    const authorized = createAuthorizedFetch(auth, { origin });
    const credentials = {
      authorization: 'Bearer canary-token-set-by-an-sdk',
      'api-key': 'canary-key-set-by-an-sdk',
      cookie: 'session=canary-cookie',
      'proxy-authorization': 'Basic canary-proxy',
      'x-trace': 'kept',
    };
    const before = recorder.requests.length;
    await authorized(`${recorder.url}/init`, { method: 'POST', headers: credentials, body: 'one' });
    await authorized(new Request(`${recorder.url}/request`, { method: 'POST', headers: credentials, body: 'two' }));
    await authorized(new URL(`${recorder.url}/url`), { headers: new Headers(credentials) });
    const arrived = recorder.requests.slice(before);
    // The positive side: every request arrived, with its body and its other headers.
    expect(arrived.map((r) => [r.path, r.body, r.headers['x-trace']])).toEqual([
      ['/init', 'one', 'kept'],
      ['/request', 'two', 'kept'],
      ['/url', '', 'kept'],
    ]);
    for (const request of arrived) {
      for (const name of ['authorization', 'api-key', 'cookie', 'proxy-authorization']) {
        expect(request.headers[name]).toBeUndefined();
      }
    }
    expect(JSON.stringify(arrived)).not.toContain('canary');
    expect(calls.headers).toBe(0);
  });

  it('keeps credentials on a same-origin redirect and drops them on a cross-origin one', async () => {
    handler = (path) =>
      path === '/start'
        ? { status: 307, headers: { location: '/moved' } }
        : path === '/moved'
          ? { status: 302, headers: { location: `${recorder.url}/stolen` } }
          : { status: 404 };
    const { auth } = countingAuth('apiKey');
    const before = recorder.requests.length;
    const response = await createAuthorizedFetch(auth, { origin })(`${origin}/start`, {
      method: 'POST',
      body: 'x',
      headers: { cookie: 'session=canary-cookie' },
    });
    expect(response.status).toBe(200);
    expect(seen.map((s) => [s.path, s.headers['api-key']])).toEqual([
      ['/start', 'canary-key-123456'],
      ['/moved', 'canary-key-123456'],
    ]);
    const leaked = recorder.requests.slice(before);
    expect(leaked).toHaveLength(1);
    expect(leaked[0]?.method).toBe('GET'); // 302 after POST becomes GET, as browsers do
    expect(JSON.stringify(leaked)).not.toMatch(/canary-key|canary-cookie|authorization|api-key/i);
  });

  it('honours redirect: "manual" and "error"', async () => {
    handler = () => ({ status: 307, headers: { location: `${recorder.url}/x` } });
    const { auth } = countingAuth();
    expect((await createAuthorizedFetch(auth, { origin })(`${origin}/a`, { redirect: 'manual' })).status).toBe(307);
    await expect(createAuthorizedFetch(auth, { origin })(`${origin}/a`, { redirect: 'error' })).rejects.toThrow(
      TypeError,
    );
  });
});
