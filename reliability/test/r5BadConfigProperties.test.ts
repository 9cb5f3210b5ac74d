import { inspect } from 'node:util';
import { type AuthEvent, authFromEnv, createAuth, isKeylessError, type Strategy } from '@keyless/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordFigure } from '../src/figures.js';

const CODES = new Set(['CONFIG_INVALID', 'CONFIG_CONFLICT']);
const RUNS = 400;

// Canary secrets: random, long enough to be unmistakable, planted in every secret-bearing setting.
const canary = fc.stringMatching(/^[A-Za-z0-9~._-]{12,40}$/).map((s) => `cnry${s}`);
const badTenant = fc.constantFrom('', ' ', 'not a tenant', 'contoso', '../etc', 'a'.repeat(300), 'tenant\n');
const goodTenant = fc.constantFrom('72f988bf-86f1-41af-91ab-2d7cd011db47', 'contoso.onmicrosoft.com');
const clientId = fc.uuid();
const badKey = fc.tuple(canary, fc.constantFrom(' ', '\n', '\r\n', '\t', '\u0000')).map(([c, ws]) => `${c}${ws}`);
const httpRemote = fc.constantFrom('http://x.openai.azure.com', 'ftp://x', 'not a url', 'http://10.0.0.1');

/** Bad strategies, each paired with the secrets planted in it. */
const badStrategies: fc.Arbitrary<{ strategy: unknown; secrets: string[] }> = fc.oneof(
  fc.tuple(badKey).map(([key]) => ({ strategy: { kind: 'apiKey', key }, secrets: [key.trim()] })),
  fc.tuple(badTenant, clientId, canary).map(([tenantId, id, secret]) => ({
    strategy: { kind: 'msalConfidentialClient', tenantId, clientId: id, clientSecret: secret },
    secrets: [secret],
  })),
  fc.tuple(goodTenant, clientId, canary, canary).map(([tenantId, id, secret, key]) => ({
    strategy: {
      kind: 'msalConfidentialClient',
      tenantId,
      clientId: id,
      clientSecret: secret,
      certificate: { privateKey: `-----BEGIN PRIVATE KEY-----\n${key}\n-----END PRIVATE KEY-----` },
    },
    secrets: [secret, key],
  })),
  fc.tuple(goodTenant, clientId, canary, canary).map(([tenantId, id, key, password]) => ({
    strategy: {
      kind: 'msalConfidentialClient',
      tenantId,
      clientId: id,
      certificate: {
        privateKey: `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${key}\n-----END ENCRYPTED PRIVATE KEY-----`,
        password,
      },
    },
    secrets: [key, password],
  })),
  fc.tuple(goodTenant, clientId, canary, httpRemote).map(([tenantId, id, secret, authorityHost]) => ({
    strategy: { kind: 'msalConfidentialClient', tenantId, clientId: id, clientSecret: secret, authorityHost },
    secrets: [secret],
  })),
  fc.tuple(goodTenant, clientId, canary).map(([tenantId, id, assertion]) => ({
    strategy: { kind: 'msalConfidentialClient', tenantId, clientId: id, clientAssertion: assertion },
    secrets: [assertion],
  })),
  fc
    .tuple(clientId, clientId)
    .map(([a, b]) => ({ strategy: { kind: 'managedIdentity', clientId: a, objectId: b }, secrets: [] })),
  fc.tuple(canary).map(([s]) => ({ strategy: { kind: s }, secrets: [] })),
);

/** Bad environments, each paired with the secrets planted in it. */
const badEnvs: fc.Arbitrary<{ env: Record<string, string>; secrets: string[] }> = fc.oneof(
  fc.tuple(canary, canary, goodTenant, clientId).map(([key, secret, tenant, id]) => ({
    env: { AZURE_OPENAI_API_KEY: key, AZURE_CLIENT_SECRET: secret, AZURE_TENANT_ID: tenant, AZURE_CLIENT_ID: id },
    secrets: [key, secret],
  })),
  fc.tuple(canary, goodTenant, clientId).map(([secret, tenant, id]) => ({
    env: {
      AZURE_CLIENT_SECRET: secret,
      AZURE_CLIENT_CERTIFICATE_PATH: '/nope.pem',
      AZURE_TENANT_ID: tenant,
      AZURE_CLIENT_ID: id,
    },
    secrets: [secret],
  })),
  fc
    .tuple(
      canary,
      fc
        .string({ minLength: 1, maxLength: 20 })
        .filter(
          (s) =>
            !['default', 'managedIdentity', 'msalConfidentialClient', 'apiKey'].includes(s.trim()) && s.trim() !== '',
        ),
    )
    .map(([key, strategy]) => ({
      env: { AZURE_OPENAI_API_KEY: key, KEYLESS_STRATEGY: strategy },
      secrets: [key],
    })),
  fc.tuple(canary, httpRemote).map(([key, endpoint]) => ({
    env: { AZURE_OPENAI_API_KEY: key, AZURE_OPENAI_ENDPOINT: endpoint },
    secrets: [key],
  })),
  fc.tuple(canary, canary).map(([key, password]) => ({
    env: {
      KEYLESS_STRATEGY: 'msalConfidentialClient',
      AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
      AZURE_CLIENT_ID: 'x',
      AZURE_CLIENT_CERTIFICATE_PATH: `/missing/${key}.pem`,
      AZURE_CLIENT_CERTIFICATE_PASSWORD: password,
    },
    secrets: [password],
  })),
  fc
    .tuple(badKey)
    .map(([key]) => ({ env: { KEYLESS_STRATEGY: 'apiKey', AZURE_OPENAI_API_KEY: key }, secrets: [key.trim()] })),
);

describe('R5: bad configurations never leak a planted secret', () => {
  let printed = '';
  beforeEach(() => {
    printed = '';
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed += String(chunk);
        return true;
      });
    }
  });
  afterEach(() => vi.restoreAllMocks());

  function assertClean(run: () => unknown, secrets: string[]): void {
    const events: AuthEvent[] = [];
    let error: unknown;
    try {
      const auth = run() as { on(listener: (e: AuthEvent) => void): void };
      auth.on((e) => events.push(e));
    } catch (e) {
      error = e;
    }
    expect(isKeylessError(error)).toBe(true);
    expect(CODES.has((error as { code: string }).code)).toBe(true);
    const surfaces = [
      String((error as Error).message),
      String((error as Error).stack),
      inspect(error, { depth: null }),
      JSON.stringify(error),
      JSON.stringify(events),
      printed,
    ];
    for (const secret of secrets) for (const surface of surfaces) expect(surface).not.toContain(secret);
  }

  it('for strategy objects', () => {
    let cases = 0;
    fc.assert(
      fc.property(badStrategies, ({ strategy, secrets }) => {
        cases += 1;
        assertClean(() => createAuth(strategy as Strategy), secrets);
      }),
      { numRuns: RUNS, seed: 20261129 },
    );
    recordFigure({
      id: 'R5',
      check: 'generated bad strategy objects with planted canary secrets (fast-check)',
      measured: `${cases} cases: each a KeylessError with a code; 0 canaries in message, stack, inspect(depth: null), JSON, events or captured stdout/stderr`,
    });
  });

  it('for environments', () => {
    let cases = 0;
    fc.assert(
      fc.property(badEnvs, ({ env, secrets }) => {
        cases += 1;
        assertClean(() => authFromEnv({ env }), secrets);
      }),
      { numRuns: RUNS, seed: 20261129 },
    );
    recordFigure({
      id: 'R5',
      check: 'generated bad environments with planted canary secrets (fast-check)',
      measured: `${cases} cases: each a KeylessError with a code; 0 canaries in message, stack, inspect(depth: null), JSON, events or captured stdout/stderr`,
    });
  });
});
