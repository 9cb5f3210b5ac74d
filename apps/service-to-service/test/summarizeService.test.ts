import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAuth } from '@keyless/core';
import { type Emulator, startEmulator } from '@keyless/testing';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSummarizeService } from '../src/createSummarizeService.js';
import { inboundFromEnv } from '../src/inboundFromEnv.js';

let emulator: Emulator;
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
  emulator = await startEmulator();
  Object.assign(process.env, emulator.env('managedIdentity'));
  auth = createAuth({ kind: 'managedIdentity' });
  await auth.getToken();
  server = createSummarizeService({
    inbound: await inboundFromEnv(emulator.env('managedIdentity'), emulator.caCertificate),
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
  await emulator.close();
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
  it('answers health checks from auth.status() without calling Azure', async () => {
    const before = emulator.counters.dataPlane.bearer;
    const health = await fetch(`${base}/healthz`);
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

  it.each<[string, () => Promise<string | null>, 401 | 403, RegExp]>([
    ['no token', async () => null, 401, /^Bearer realm="api:\/\/[^"]+"$/],
    ['an expired token', expired, 401, /error="invalid_token", error_description="the token has expired"/],
    [
      'a token for Azure OpenAI (wrong audience)',
      () => callerToken('https://cognitiveservices.azure.com/.default'),
      401,
      /another audience/,
    ],
    ['a token from another tenant', foreignToken, 401, /error="invalid_token"/],
    ['a token without the app role', withoutRole, 403, /error="insufficient_scope".*Summarize\.Invoke/],
    ['a tampered signature', tampered, 401, /signature is not valid/],
  ])('refuses %s before calling Azure OpenAI', async (_name, token, status, challenge) => {
    const value = await token();
    const before = emulator.counters.dataPlane.bearer + emulator.counters.dataPlane.apiKey;
    const response = await summarize(JSON.stringify({ text: 'refused' }), 'application/json', value);
    expect(response.status).toBe(status);
    expect(response.headers.get('www-authenticate')).toMatch(challenge);
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
