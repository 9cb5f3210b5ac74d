import { request } from 'node:https';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { useEmulator } from '../src/vitest.js';

// Expired tokens and both headers are sent on purpose here: the data plane must refuse them.
const emulator = useEmulator({ invariants: { oneAuthHeader: false, noExpiredTokens: false } });
beforeEach(() => {
  emulator.settings.audience = 'https://cognitiveservices.azure.com';
  emulator.settings.expiresOnFormat = 'epoch-string';
});

/** HTTPS to the authority, trusting the emulator's certificate. */
function authority(
  path: string,
  form?: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const body = form === undefined ? undefined : new URLSearchParams(form).toString();
    const req = request(
      `${emulator.authorityHost}${path}`,
      {
        method: body ? 'POST' : 'GET',
        ca: emulator.caCertificate,
        headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const clientCredentials = (extra: Record<string, string>) => ({
  grant_type: 'client_credentials',
  client_id: emulator.client.clientId,
  scope: 'https://cognitiveservices.azure.com/.default',
  ...extra,
});

async function secretToken(): Promise<string> {
  const { body } = await authority(
    `/${emulator.tenantId}/oauth2/v2.0/token`,
    clientCredentials({ client_secret: emulator.client.clientSecret }),
  );
  return String(body.access_token);
}

const chatUrl = (deployment = emulator.deployments.chat, version = `?api-version=${emulator.apiVersion}`) =>
  `${emulator.openaiEndpoint}/openai/deployments/${deployment}/chat/completions${version}`;
const chat = (
  headers: Record<string, string>,
  url = chatUrl(),
  body: unknown = { messages: [{ role: 'user', content: 'hi' }] },
) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('Entra ID', () => {
  it('refuses an unknown env kind with the list of kinds', () => {
    expect(() => emulator.env('workload' as Parameters<Emulator['env']>[0])).toThrow(
      /unknown kind "workload".*msalSecret/,
    );
  });

  it('serves OIDC metadata, instance discovery and a JWKS that verifies its tokens', async () => {
    const oidc = await authority(`/${emulator.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(oidc.body.token_endpoint).toBe(`${emulator.authorityHost}/${emulator.tenantId}/oauth2/v2.0/token`);
    const discovery = await authority('/common/discovery/instance?api-version=1.1');
    expect(discovery.body.metadata).toEqual([
      expect.objectContaining({ preferred_network: new URL(emulator.authorityHost).host }),
    ]);
    const jwks = await authority(`/${emulator.tenantId}/discovery/v2.0/keys`);
    expect((jwks.body.keys as unknown[]).length).toBe(1);
    const token = await secretToken();
    expect(oidc.body.jwks_uri).toBe(`${emulator.authorityHost}/${emulator.tenantId}/discovery/v2.0/keys`);
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks.body as never));
    expect(payload).toMatchObject({
      aud: 'https://cognitiveservices.azure.com',
      oid: emulator.client.objectId,
      tid: emulator.tenantId,
      appid: emulator.client.clientId,
    });
  });

  it.each<[string, Record<string, string>, number, string]>([
    ['a wrong client secret', { client_secret: 'wrong' }, 401, 'AADSTS7000215'],
    ['no client credential', {}, 401, 'AADSTS7000218'],
    [
      'a malformed assertion',
      {
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: 'not-a-jwt',
      },
      401,
      'AADSTS50027',
    ],
  ])('rejects %s with an AADSTS body', async (_name, extra, status, code) => {
    const { status: got, body } = await authority(`/${emulator.tenantId}/oauth2/v2.0/token`, clientCredentials(extra));
    expect(got).toBe(status);
    expect(String(body.error_description)).toMatch(new RegExp(`^${code}:`));
  });

  it('rejects an unknown client and a scope without /.default', async () => {
    const unknown = await authority(`/${emulator.tenantId}/oauth2/v2.0/token`, {
      ...clientCredentials({ client_secret: 'x' }),
      client_id: 'nobody',
    });
    expect(String(unknown.body.error_description)).toMatch(/^AADSTS700016/);
    const scope = await authority(`/${emulator.tenantId}/oauth2/v2.0/token`, {
      ...clientCredentials({ client_secret: emulator.client.clientSecret }),
      scope: 'https://cognitiveservices.azure.com',
    });
    expect(scope.status).toBe(400);
  });

  it('returns refresh_in when configured, and counts requests', async () => {
    emulator.settings.refreshInSeconds = 1800;
    const before = emulator.counters.tokenRequests.entra;
    const { body } = await authority(
      `/${emulator.tenantId}/oauth2/v2.0/token`,
      clientCredentials({ client_secret: emulator.client.clientSecret }),
    );
    emulator.settings.refreshInSeconds = undefined;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, refresh_in: 1800 });
    expect(emulator.counters.tokenRequests.entra).toBe(before + 1);
  });
});

describe('managed identity', () => {
  const appService = (query: string, header = emulator.managedIdentity.header) =>
    fetch(
      `${emulator.managedIdentity.endpoint}?api-version=2019-08-01&resource=https%3A%2F%2Fcognitiveservices.azure.com${query}`,
      { headers: { 'x-identity-header': header } },
    );
  const imds = (query: string, headers: Record<string, string> = { metadata: 'true' }) =>
    fetch(
      `${emulator.managedIdentity.imdsHost}/metadata/identity/oauth2/token/?api-version=2018-02-01&resource=https%3A%2F%2Fcognitiveservices.azure.com${query}`,
      { headers },
    );

  it('answers the App Service protocol with expires_on as epoch seconds in a string', async () => {
    const response = await appService('');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', resource: 'https://cognitiveservices.azure.com' });
    expect(String(body.expires_on)).toMatch(/^\d{10}$/);
  });

  it('refuses a wrong identity header and IMDS calls without Metadata: true, with a body', async () => {
    const wrong = await appService('', 'nope');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('IDENTITY_HEADER');
    const bare = await imds('', {});
    expect(bare.status).toBe(400);
    expect(await bare.json()).toMatchObject({ error_description: 'Required metadata header not specified' });
  });

  it('selects user-assigned identities by client id, resource id or object id', async () => {
    const user = emulator.managedIdentity.userAssigned;
    for (const query of [
      `&client_id=${user.clientId}`,
      `&msi_res_id=${encodeURIComponent(user.resourceId)}`,
      `&object_id=${user.objectId}`,
    ]) {
      const body = (await (await imds(query)).json()) as { access_token: string };
      expect(JSON.parse(Buffer.from(body.access_token.split('.')[1] ?? '', 'base64url').toString())).toMatchObject({
        oid: user.objectId,
      });
    }
    expect((await imds('&client_id=unknown')).status).toBe(400);
  });

  it.each(['epoch-number', 'iso', 'date'] as const)('can write expires_on as %s', async (format) => {
    emulator.settings.expiresOnFormat = format;
    const body = (await (await appService('')).json()) as { expires_on: unknown };
    const ms = typeof body.expires_on === 'number' ? body.expires_on * 1000 : Date.parse(String(body.expires_on));
    expect(Math.abs(ms - (Date.now() + 3600_000))).toBeLessThan(5_000);
  });
});

describe('Azure OpenAI data plane', () => {
  it('answers chat deterministically with a key or a token', async () => {
    const withKey = (await (await chat({ 'api-key': emulator.apiKey })).json()) as {
      choices: Array<{ message: { content: string } }>;
    };
    expect(withKey.choices[0]?.message.content).toBe('Echo: hi');
    expect((await chat({ authorization: `Bearer ${await secretToken()}` })).status).toBe(200);
  });

  it('streams SSE chunks ending with [DONE]', async () => {
    const text = await (
      await chat({ 'api-key': emulator.apiKey }, chatUrl(), {
        stream: true,
        messages: [{ role: 'user', content: 'a b' }],
      })
    ).text();
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    const deltas = text
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? '');
    expect(deltas.join('')).toBe('Echo: a b');
  });

  it('returns base64 float32 embeddings when asked, floats otherwise', async () => {
    const url = `${emulator.openaiEndpoint}/openai/deployments/${emulator.deployments.embeddings}/embeddings?api-version=${emulator.apiVersion}`;
    const floats = (await (await chat({ 'api-key': emulator.apiKey }, url, { input: 'x' })).json()) as {
      data: Array<{ embedding: number[] }>;
    };
    const base64 = (await (
      await chat({ 'api-key': emulator.apiKey }, url, { input: 'x', encoding_format: 'base64' })
    ).json()) as { data: Array<{ embedding: string }> };
    const bytes = Buffer.from(base64.data[0]?.embedding ?? '', 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded[0]).toBeCloseTo(floats.data[0]?.embedding[0] ?? Number.NaN, 5);
  });

  it('serves the /openai/v1 path with the deployment as model', async () => {
    const response = await chat(
      { 'api-key': emulator.apiKey },
      `${emulator.openaiEndpoint}/openai/v1/chat/completions`,
      { model: emulator.deployments.chat, messages: [{ role: 'user', content: 'v1' }] },
    );
    expect(response.status).toBe(200);
  });

  it('rejects what Azure rejects, with Azure bodies', async () => {
    const token = await secretToken();
    const both = await chat({ 'api-key': emulator.apiKey, authorization: `Bearer ${token}` });
    expect(both.status).toBe(400);
    const badKey = await chat({ 'api-key': 'wrong' });
    expect(await badKey.json()).toMatchObject({
      error: { code: '401', message: expect.stringContaining('invalid subscription key') },
    });
    const badToken = await chat({ authorization: `Bearer ${token.slice(0, -4)}AAAA` });
    expect(await badToken.json()).toMatchObject({
      statusCode: 401,
      message: expect.stringContaining('audience is incorrect'),
    });
    emulator.settings.audience = 'https://management.azure.com';
    const wrongAudience = await chat({ authorization: `Bearer ${await secretToken()}` });
    expect(wrongAudience.status).toBe(401);
    const missing = await chat({ 'api-key': emulator.apiKey }, chatUrl('no-such-deployment'));
    expect(await missing.json()).toMatchObject({ error: { code: 'DeploymentNotFound' } });
    expect((await chat({ 'api-key': emulator.apiKey }, chatUrl(undefined, ''))).status).toBe(404);
  });

  it('answers PermissionDenied for a principal without the role, naming its oid', async () => {
    const token = await secretToken();
    emulator.removeRole(emulator.client.objectId);
    const denied = await chat({ authorization: `Bearer ${token}` });
    emulator.grantRole(emulator.client.objectId);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({
      error: { code: 'PermissionDenied', message: expect.stringContaining(emulator.client.objectId) },
    });
  });

  it('counts expired tokens it receives', async () => {
    emulator.settings.expireEarlySeconds = 3600 + 60;
    const expired = await secretToken();
    emulator.settings.expireEarlySeconds = 0;
    const before = emulator.counters.expiredTokensReceived;
    expect((await chat({ authorization: `Bearer ${expired}` })).status).toBe(401);
    expect(emulator.counters.expiredTokensReceived).toBe(before + 1);
  });
});

describe('fault scripting', () => {
  it('plays queued faults in order, each a bounded number of times', async () => {
    emulator.faults.add('dataPlane', { status: 429, retryAfter: 45, retryAfterMs: 45_000, times: 2 });
    emulator.faults.add('dataPlane', { status: 503 });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const response = await chat({ 'api-key': emulator.apiKey });
      statuses.push(response.status);
      retryAfter ??= response.headers.get('retry-after');
    }
    expect(statuses).toEqual([429, 429, 503, 200]);
    expect(retryAfter).toBe('45');
  });

  it('applies a fault to every Nth request only', async () => {
    emulator.faults.add('dataPlane', { status: 500, every: 2, times: 1 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await chat({ 'api-key': emulator.apiKey })).status);
    expect(statuses).toEqual([200, 500, 200]);
  });

  it('resets connections and delays answers', async () => {
    emulator.faults.add('dataPlane', { reset: true });
    await expect(chat({ 'api-key': emulator.apiKey })).rejects.toThrow();
    emulator.faults.add('dataPlane', { delayMs: 150 });
    const started = performance.now();
    expect((await chat({ 'api-key': emulator.apiKey })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('revokes tokens', async () => {
    const token = await secretToken();
    emulator.revokeTokens(token);
    expect((await chat({ authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await chat({ authorization: `Bearer ${await secretToken()}` })).status).toBe(200);
  });
});

describe('Realtime WebSocket', () => {
  /** Opens a wss:// handshake; resolves with the first server event, or the refusal's status and body. */
  async function handshake(
    path: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const { WebSocket } = await import('ws');
    const url = `${emulator.openaiEndpoint.replace('http://', 'wss://')}${path}`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, ca: emulator.caCertificate });
      ws.once('message', (data) => {
        ws.close();
        resolve({ status: 101, body: JSON.parse(String(data)) as Record<string, unknown> });
      });
      ws.once('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
      });
      ws.once('error', reject);
    });
  }
  const v1 = () => `/openai/v1/realtime?model=${emulator.deployments.chat}`;

  it('accepts a valid token or key on the v1 and the deployment paths, and sends session.created', async () => {
    const token = await secretToken();
    const opened = await handshake(v1(), { authorization: `Bearer ${token}` });
    expect(opened.status).toBe(101);
    expect(opened.body.type).toBe('session.created');
    const versioned = await handshake(
      `/openai/realtime?api-version=${emulator.apiVersion}&deployment=${emulator.deployments.chat}`,
      { 'api-key': emulator.apiKey },
    );
    expect(versioned.body.type).toBe('session.created');
  });

  it('refuses the handshake like the HTTP data plane: bad token, both headers, no role, unknown deployment', async () => {
    const token = await secretToken();
    expect((await handshake(v1(), { authorization: 'Bearer not-a-token' })).status).toBe(401);
    expect((await handshake(v1(), { 'api-key': 'wrong' })).status).toBe(401);
    const both = await handshake(v1(), { authorization: `Bearer ${token}`, 'api-key': emulator.apiKey });
    expect(both.status).toBe(400);
    emulator.removeRole(emulator.client.objectId);
    try {
      const denied = await handshake(v1(), { authorization: `Bearer ${token}` });
      expect(denied.status).toBe(401);
      expect(JSON.stringify(denied.body)).toContain('PermissionDenied');
    } finally {
      emulator.grantRole(emulator.client.objectId);
    }
    expect((await handshake('/openai/v1/realtime?model=nope', { authorization: `Bearer ${token}` })).status).toBe(404);
  });

  it('refuses an expired token', async () => {
    emulator.settings.expireEarlySeconds = 3_600;
    try {
      const expired = await secretToken();
      expect((await handshake(v1(), { authorization: `Bearer ${expired}` })).status).toBe(401);
    } finally {
      emulator.settings.expireEarlySeconds = 0;
    }
  });
});
