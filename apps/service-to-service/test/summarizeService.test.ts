import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAuth, onBehalfOfFromEnv } from '@keyless/core';
import { useEmulator } from '@keyless/testing/vitest';
import { createLocalJWKSet, decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSummarizeService } from '../src/createSummarizeService.js';
import { inboundFromEnv } from '../src/inboundFromEnv.js';
import { summarizerEnvOf } from '../src/summarizerEnv.js';
import { verifyCaller } from '../src/verifyCaller.js';

const emulator = useEmulator({ reset: false });
let server: Server;
let base: string;
const logs: string[] = [];
let auth: ReturnType<typeof createAuth>;
/** The calling service: the emulator's confidential client, asking for the summarizer's audience. */
const callerToken = (scope = emulator.apiApp.scope) =>
  createAuth(
    {
      kind: 'msalConfidentialClient',
      tenantId: emulator.tenantId,
      clientId: emulator.client.clientId,
      clientSecret: emulator.client.clientSecret,
      authorityHost: emulator.authorityHost,
      ca: emulator.caCertificate,
    },
    { scope },
  ).getToken();

beforeAll(async () => {
  Object.assign(process.env, emulator.env('managedIdentity'));
  auth = createAuth({ kind: 'managedIdentity' });
  await auth.getToken();
  server = createSummarizeService({
    inbound: await inboundFromEnv(
      { ...emulator.env('managedIdentity'), ...summarizerEnvOf(emulator) },
      emulator.caCertificate,
    ),
    auth,
    endpoint: emulator.openaiEndpoint,
    deployment: emulator.deployments.chat,
    apiVersion: emulator.apiVersion,
    log: (line) => logs.push(line),
    maxBodyBytes: 1024,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
});
beforeEach(() => {
  logs.length = 0;
});

const summarize = async (body: string | undefined, contentType = 'application/json', token?: string | null) =>
  fetch(`${base}/summarize`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      ...(token === null ? {} : { authorization: `Bearer ${token ?? (await callerToken())}` }),
    },
    ...(body === undefined ? {} : { body }),
  });

describe('service-to-service', () => {
  it('answers health checks from auth.status() without calling Azure, details only to an accepted caller', async () => {
    const before = emulator.counters.dataPlane.bearer;
    const anonymous = await fetch(`${base}/healthz`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'ok' });
    const stranger = await fetch(`${base}/healthz`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(await stranger.json()).toEqual({ status: 'ok' });
    const health = await fetch(`${base}/healthz`, { headers: { authorization: `Bearer ${await callerToken()}` } });
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; auth: Record<string, unknown> };
    expect(body.status).toBe('ok');
    expect(body.auth).toMatchObject({ strategy: 'managedIdentity', ready: true, tokenCached: true });
    expect(JSON.stringify(body)).not.toMatch(/eyJ[\w-]{10,}/);
    expect(emulator.counters.dataPlane.bearer).toBe(before);
  });

  it('summarizes through Azure OpenAI with managed identity', async () => {
    const response = await summarize(JSON.stringify({ text: 'tokens beat keys' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ summary: 'Echo: tokens beat keys' });
  });

  it.each<[string, string | undefined, string, number]>([
    ['no body', undefined, 'application/json', 400],
    ['the wrong content type', 'text', 'text/plain', 415],
    ['invalid JSON', '{nope', 'application/json', 400],
    ['no text', '{"text":""}', 'application/json', 422],
    ['an oversized body', JSON.stringify({ text: 'x'.repeat(2048) }), 'application/json', 413],
  ])('refuses %s with a clear 4xx', async (_name, body, contentType, status) => {
    const response = await summarize(body, contentType);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error.length).toBeGreaterThan(5);
  });

  it('turns an upstream auth failure into a 502, with the explanation in the log and no token', async () => {
    const token = await auth.getToken();
    emulator.removeRole(emulator.managedIdentity.systemObjectId);
    try {
      const response = await summarize(JSON.stringify({ text: 'denied' }));
      expect(response.status).toBe(502);
      expect(JSON.stringify(await response.json())).not.toContain(token);
    } finally {
      emulator.grantRole(emulator.managedIdentity.systemObjectId);
    }
    expect(logs.join('\n')).toContain('Cognitive Services OpenAI User');
    expect(logs.join('\n')).toContain(emulator.managedIdentity.systemObjectId);
    expect(logs.join('\n')).not.toContain(token);
  });
});

describe('who may call: only tokens for the summarizer, from its tenant, with its app role', () => {
  /** A token signed by another authority (another tenant's keys and issuer). */
  async function foreignToken(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = (await exportJWK(publicKey)).n?.slice(0, 8) ?? 'k';
    const other = '00000000-0000-0000-0000-00000000beef';
    return new SignJWT({ tid: other, roles: ['Summarize.Invoke'], oid: 'x', azp: emulator.client.clientId })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(`https://sts.windows.net/${other}/`)
      .setAudience(emulator.apiApp.appIdUri)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
  }
  const tampered = async () => {
    const [header, payload, signature] = (await callerToken()).split('.');
    const claims = { ...decodeJwt(`${header}.${payload}.${signature}`), roles: ['Summarize.Invoke', 'Admin'] };
    return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  };
  const expired = async () => {
    emulator.settings.expireEarlySeconds = 7_200;
    try {
      return await callerToken();
    } finally {
      emulator.settings.expireEarlySeconds = 0;
    }
  };
  const withoutRole = async () => {
    emulator.removeAppRole(emulator.client.objectId);
    try {
      return await callerToken();
    } finally {
      emulator.grantAppRole(emulator.client.objectId);
    }
  };

  // Every 401 tells the caller the same thing; the reason is in the service's log only.
  const invalid =
    /^Bearer realm="api:\/\/[^"]+", error="invalid_token", error_description="the bearer token is not valid for this service"$/;
  it.each<[string, () => Promise<string | null>, 401 | 403, RegExp, string]>([
    ['no token', async () => null, 401, /^Bearer realm="api:\/\/[^"]+"$/, 'no bearer token'],
    ['an expired token', expired, 401, invalid, 'the token has expired'],
    [
      'a token for Azure OpenAI (wrong audience)',
      () => callerToken('https://cognitiveservices.azure.com/.default'),
      401,
      invalid,
      'another audience',
    ],
    ['a token from another tenant', foreignToken, 401, invalid, 'not signed by a key of the tenant'],
    [
      'a token without the app role',
      withoutRole,
      403,
      /error="insufficient_scope".*Summarize\.Invoke/,
      'lacks the app role',
    ],
    ['a tampered signature', tampered, 401, invalid, 'signature is not valid'],
  ])('refuses %s before calling Azure OpenAI', async (_name, token, status, challenge, logged) => {
    const value = await token();
    const before = emulator.counters.dataPlane.bearer + emulator.counters.dataPlane.apiKey;
    const response = await summarize(JSON.stringify({ text: 'refused' }), 'application/json', value);
    expect(response.status).toBe(status);
    expect(response.headers.get('www-authenticate')).toMatch(challenge);
    const sent = JSON.stringify(await response.json());
    expect(logs.join('\n')).toContain(logged);
    if (status === 401) expect(sent).not.toContain(logged);
    expect(emulator.counters.dataPlane.bearer + emulator.counters.dataPlane.apiKey).toBe(before);
  });

  it('accepts the caller with the role, and calls Azure OpenAI with its own identity', async () => {
    const before = emulator.log.length;
    const response = await summarize(JSON.stringify({ text: 'both hops' }));
    expect(await response.json()).toEqual({ summary: 'Echo: both hops' });
    const calls = emulator.log.slice(before).filter((entry) => entry.endpoint === 'dataPlane');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.auth).toBe('bearer');
  });
});

describe('who may call, at the edges: app-only callers, an expiry, keys over https', () => {
  // Tokens signed by a key of the test's own, verified against it: claims the emulator never issues.
  async function signer() {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'RS256', use: 'sig' };
    const inbound = {
      tenantId: emulator.tenantId,
      audience: emulator.apiApp.appIdUri,
      keys: createLocalJWKSet({ keys: [jwk] }),
      issuers: ['https://issuer.test/'],
    };
    const sign = (claims: Record<string, unknown>, expires = true) => {
      const jwt = new SignJWT({ tid: emulator.tenantId, oid: 'caller', roles: ['Summarize.Invoke'], ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'test' })
        .setIssuer('https://issuer.test/')
        .setAudience(emulator.apiApp.appIdUri)
        .setIssuedAt();
      return (expires ? jwt.setExpirationTime('1h') : jwt).sign(privateKey);
    };
    return { inbound, sign };
  }

  it('accepts an app-only token, refuses a user (delegated) token that carries the app role', async () => {
    const { inbound, sign } = await signer();
    expect(await verifyCaller(`Bearer ${await sign({ idtyp: 'app' })}`, inbound)).toMatchObject({ ok: true });
    for (const delegated of [{ scp: 'user_impersonation' }, { idtyp: 'user' }, { scp: 'x', idtyp: 'user' }]) {
      const verdict = await verifyCaller(`Bearer ${await sign(delegated)}`, inbound);
      expect(verdict).toMatchObject({ ok: false, status: 403, reason: expect.stringContaining('delegated') });
    }
  });

  it('refuses a token without an expiry', async () => {
    const { inbound, sign } = await signer();
    const verdict = await verifyCaller(`Bearer ${await sign({ idtyp: 'app' }, false)}`, inbound);
    expect(verdict).toMatchObject({ ok: false, status: 401, reason: 'the token has no exp claim' });
  });

  it('refuses an http JWKS URI, loopback excepted, naming the setting', async () => {
    const env = { SUMMARIZER_AUDIENCE: emulator.apiApp.appIdUri, SUMMARIZER_TENANT_ID: emulator.tenantId };
    await expect(inboundFromEnv({ ...env, SUMMARIZER_JWKS_URI: 'http://keys.example/jwks' })).rejects.toThrow(
      /^SUMMARIZER_JWKS_URI must be https/,
    );
    await expect(inboundFromEnv({ ...env, SUMMARIZER_JWKS_URI: 'http://127.0.0.1:1/jwks' })).resolves.toMatchObject({
      audience: emulator.apiApp.appIdUri,
    });
  });
});

describe('the service started as users start it', () => {
  it('refuses to start without AZURE_OPENAI_ENDPOINT, saying what to set', async () => {
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [cli],
        { env: { PATH: process.env.PATH ?? '' }, timeout: 20_000 },
        (_e, _out, stderr) => resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('AZURE_OPENAI_ENDPOINT is not set');
    expect(run.stderr).toContain('--emulator');
  });
});

describe('acting for its callers (on-behalf-of): each call as the signed-in user', () => {
  let userServer: Server;
  let userBase: string;
  const env = () => ({
    ...emulator.env('msalSecret'),
    ...summarizerEnvOf(emulator),
    SUMMARIZER_ON_BEHALF_OF: 'true',
    SUMMARIZER_AUDIENCE: emulator.client.appIdUri,
  });
  beforeAll(async () => {
    userServer = createSummarizeService({
      inbound: await inboundFromEnv(env(), emulator.caCertificate),
      onBehalfOf: onBehalfOfFromEnv({ env: env(), ca: emulator.caCertificate }),
      endpoint: emulator.openaiEndpoint,
      deployment: emulator.deployments.chat,
      apiVersion: emulator.apiVersion,
      log: (line) => logs.push(line),
    });
    await new Promise<void>((resolve) => userServer.listen(0, '127.0.0.1', resolve));
    userBase = `http://127.0.0.1:${(userServer.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    userServer.close();
  });
  const asUser = (token: string) =>
    fetch(`${userBase}/summarize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ text: 'acting for a person' }),
    });
  const answeredAs = (oid: string) =>
    emulator.log.filter((entry) => entry.endpoint === 'dataPlane' && entry.status === 200 && entry.oid === oid).length;

  it('calls Azure OpenAI as the user who holds the role: the data plane sees their oid', async () => {
    const ada = await emulator.signInUser('ada');
    emulator.grantRole(ada.oid);
    const response = await asUser(ada.token);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { summary: string }).summary).toContain('acting for a person');
    expect(answeredAs(ada.oid)).toBe(1);
  });

  it('tells a user without the role which assignment to ask for, for their own oid; nothing answered as them', async () => {
    const grace = await emulator.signInUser('grace');
    const response = await asUser(grace.token);
    expect(response.status).toBe(403);
    const { error } = (await response.json()) as { error: string };
    expect(error).toContain(`you (${grace.upn}, oid ${grace.oid})`);
    expect(error).toContain(`--assignee-object-id ${grace.oid} --assignee-principal-type User`);
    expect(answeredAs(grace.oid)).toBe(0);
    expect(logs.join('\n')).toContain('upstream 401');
  });

  it('answers 403 when consent is missing, and refuses app-only tokens before any exchange', async () => {
    const erin = await emulator.signInUser('erin', { consented: false });
    const before = emulator.counters.onBehalfOf.refused;
    const noConsent = await asUser(erin.token);
    expect(noConsent.status).toBe(403);
    expect(((await noConsent.json()) as { error: string }).error).toContain('no consent');
    expect(emulator.counters.onBehalfOf.refused).toBe(before + 1);
    const issued = emulator.counters.onBehalfOf.issued;
    const appOnly = await asUser(await callerToken(`${emulator.client.appIdUri}/.default`));
    expect(appOnly.status).toBe(403);
    expect(appOnly.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect(emulator.counters.onBehalfOf.issued).toBe(issued);
  });
});
