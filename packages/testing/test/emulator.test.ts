import { createLocalJWKSet, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { useEmulator } from '../src/vitest.js';
import { requestsTo } from './support/emulatorRequests.js';

// Expired tokens and both headers are sent on purpose here: the data plane must refuse them.
const emulator = useEmulator({ invariants: { oneAuthHeader: false, noExpiredTokens: false } });
beforeEach(() => {
  emulator.settings.audience = 'https://cognitiveservices.azure.com';
  emulator.settings.expiresOnFormat = 'epoch-string';
});

const { authority, clientCredentials, secretToken, chat } = requestsTo(emulator);

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
