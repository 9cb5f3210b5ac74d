import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RecordingServer, startRecordingServer } from '@keyless/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthorizedFetch, type RequestAuth } from '../src/http/authorizedFetch.js';

/** An auth we own: hands out token-1, token-2… and records what it was asked. */
function countingAuth(kind: RequestAuth['kind'] = 'managedIdentity') {
  let current = 1;
  const calls = { headers: 0, invalidated: [] as string[], claims: [] as string[] };
  const auth: RequestAuth = {
    kind,
    async getRequestHeaders(options) {
      calls.headers += 1;
      if (options?.claims !== undefined) {
        calls.claims.push(options.claims);
        current += 1;
      }
      return kind === 'apiKey' ? { 'api-key': 'canary-key-123456' } : { authorization: `Bearer token-${current}` };
    },
    invalidate(token) {
      calls.invalidated.push(token);
      if (token === `token-${current}`) current += 1;
      return true;
    },
  };
  return { auth, calls };
}

type Handler = (
  path: string,
  headers: IncomingHttpHeaders,
  method: string,
) => { status: number; body?: string; headers?: Record<string, string> };

describe('createAuthorizedFetch', () => {
  let server: Server;
  let origin: string;
  let recorder: RecordingServer;
  let handler: Handler;
  const seen: Array<{ path: string; headers: IncomingHttpHeaders; method: string; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, method: req.method ?? '', body });
        const answer = handler(req.url ?? '', req.headers, req.method ?? '');
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    recorder = await startRecordingServer();
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await recorder.close();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const expired = {
    status: 401,
    body: '{"statusCode":401,"message":"Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired."}',
  };
  const firstCallExpired: Handler = (_p, headers) =>
    headers.authorization === 'Bearer token-1' ? expired : { status: 200, body: 'ok' };

  it('replaces caller auth headers with exactly one of its own', async () => {
    handler = () => ({ status: 200 });
    const { auth } = countingAuth();
    await createAuthorizedFetch(auth, { origin })(`${origin}/x`, {
      headers: { 'api-key': 'caller-key', authorization: 'Bearer caller' },
    });
    expect(seen[0]?.headers.authorization).toBe('Bearer token-1');
    expect(seen[0]?.headers['api-key']).toBeUndefined();
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
    expect(calls.invalidated).toEqual([]);
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

  it('leaves requests to other origins untouched, or refuses them', async () => {
    const { auth, calls } = countingAuth();
    await createAuthorizedFetch(auth, { origin })(`${recorder.url}/elsewhere`, { headers: { 'x-trace': '1' } });
    expect(recorder.requests.at(-1)?.headers.authorization).toBeUndefined();
    expect(calls.headers).toBe(0);
    await expect(
      createAuthorizedFetch(auth, { origin, otherOrigins: 'refuse' })(`${recorder.url}/elsewhere`),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
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
