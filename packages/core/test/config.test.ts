import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authFromEnv, strategyFromEnv } from '../src/authFromEnv.js';
import type { Clock } from '../src/clock.js';
import { createAuth } from '../src/createAuth.js';
import { explainEnvStrategy } from '../src/explainEnvStrategy.js';
import { resolveSettings } from '../src/settings/resolveSettings.js';
import type { Strategy } from '../src/strategy.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const SECRET = 'canary-client-secret-9f8e7d';
const KEY = 'canary-api-key-0a1b2c3d4e';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  throw new Error('expected a KeylessError');
};

describe('createAuth validates settings up front', () => {
  it.each<[string, unknown, string]>([
    ['an empty key', { kind: 'apiKey', key: '' }, 'CONFIG_INVALID'],
    ['a key with a newline', { kind: 'apiKey', key: `${KEY}\n` }, 'CONFIG_INVALID'],
    [
      'a malformed tenant id',
      { kind: 'msalConfidentialClient', tenantId: 'not a tenant!', clientId: CLIENT, clientSecret: SECRET },
      'CONFIG_INVALID',
    ],
    ['two managed-identity ids', { kind: 'managedIdentity', clientId: CLIENT, objectId: CLIENT }, 'CONFIG_CONFLICT'],
    [
      'a secret and a certificate',
      {
        kind: 'msalConfidentialClient',
        tenantId: TENANT,
        clientId: CLIENT,
        clientSecret: SECRET,
        certificate: { path: '/nope.pem' },
      },
      'CONFIG_CONFLICT',
    ],
    ['no client credential', { kind: 'msalConfidentialClient', tenantId: TENANT, clientId: CLIENT }, 'CONFIG_INVALID'],
    [
      'a missing certificate file',
      {
        kind: 'msalConfidentialClient',
        tenantId: TENANT,
        clientId: CLIENT,
        certificate: { path: '/does/not/exist.pem' },
      },
      'CONFIG_INVALID',
    ],
    [
      'a static client assertion',
      { kind: 'msalConfidentialClient', tenantId: TENANT, clientId: CLIENT, clientAssertion: 'eyJ.static.assertion' },
      'CONFIG_INVALID',
    ],
    [
      'an http authority',
      {
        kind: 'msalConfidentialClient',
        tenantId: TENANT,
        clientId: CLIENT,
        clientSecret: SECRET,
        authorityHost: 'http://login.example.com',
      },
      'CONFIG_INVALID',
    ],
    ['an unknown kind', { kind: 'magic' }, 'CONFIG_INVALID'],
    ['a credential without getToken', { kind: 'credential', credential: {} }, 'CONFIG_INVALID'],
  ])('refuses %s', (_name, strategy, code) => {
    const failure = codeOf(() => createAuth(strategy as Strategy));
    expect(failure.code).toBe(code);
    expect(failure.message).not.toContain(SECRET);
    expect(failure.message).not.toContain(KEY);
  });

  it('refuses a certificate file that is not PEM, naming the fix', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'keyless-')), 'cert.pfx');
    writeFileSync(path, Buffer.from([0x30, 0x82, 0x01, 0x02]));
    const failure = codeOf(() =>
      createAuth({ kind: 'msalConfidentialClient', tenantId: TENANT, clientId: CLIENT, certificate: { path } }),
    );
    expect(failure).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(failure.message).toContain('openssl pkcs12');
  });

  it.each([
    ['refreshMarginMs', Number.NaN],
    ['hardWindowMs', -1],
    ['backoffInitialMs', Number.POSITIVE_INFINITY],
    ['backoffMaxMs', '60000'],
    ['tokenRequestTimeoutMs', 0],
    ['tokenRequestTimeoutMs', Number(process.env.KEYLESS_SURELY_UNSET_VARIABLE)],
  ])('refuses %s = %s, naming the option', (setting, value) => {
    const failure = codeOf(() =>
      createAuth({ kind: 'managedIdentity' }, { [setting]: value } as Parameters<typeof createAuth>[1]),
    );
    expect(failure.code).toBe('CONFIG_INVALID');
    expect(failure.message).toContain(setting);
  });

  it('refuses a clock without now() and monotonic()', () => {
    const clock = { now: () => 0 } as unknown as Clock;
    expect(codeOf(() => createAuth({ kind: 'managedIdentity' }, { clock }))).toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('accepts a verified domain as tenant and a scope override', () => {
    const auth = createAuth(
      { kind: 'msalConfidentialClient', tenantId: 'contoso.onmicrosoft.com', clientId: CLIENT, clientSecret: SECRET },
      { scope: 'https://ai.azure.com/.default' },
    );
    expect(auth.scope).toBe('https://ai.azure.com/.default');
  });
});

describe('authFromEnv precedence', () => {
  const sp = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET };

  it('uses KEYLESS_STRATEGY when set', () => {
    expect(strategyFromEnv({ ...sp, AZURE_OPENAI_API_KEY: KEY, KEYLESS_STRATEGY: 'apiKey' }).kind).toBe('apiKey');
    expect(strategyFromEnv({ ...sp, AZURE_OPENAI_API_KEY: KEY, KEYLESS_STRATEGY: 'msalConfidentialClient' }).kind).toBe(
      'msalConfidentialClient',
    );
  });

  it('refuses an API key beside a service principal, naming both variables and the choice', () => {
    const failure = codeOf(() => authFromEnv({ ...sp, AZURE_OPENAI_API_KEY: KEY }));
    expect(failure.code).toBe('CONFIG_CONFLICT');
    expect(failure.message).toContain('AZURE_OPENAI_API_KEY');
    expect(failure.message).toContain('AZURE_CLIENT_SECRET');
    expect(failure.message).toContain('KEYLESS_STRATEGY');
    expect(failure.message).not.toContain(SECRET);
    expect(failure.message).not.toContain(KEY);
  });

  it('refuses a secret beside a certificate', () => {
    expect(codeOf(() => authFromEnv({ ...sp, AZURE_CLIENT_CERTIFICATE_PATH: '/x.pem' })).code).toBe('CONFIG_CONFLICT');
  });

  it.each([
    ['a client secret', { AZURE_CLIENT_SECRET: SECRET }, 'AZURE_CLIENT_SECRET'],
    ['a certificate', { AZURE_CLIENT_CERTIFICATE_PATH: '/x.pem' }, 'AZURE_CLIENT_CERTIFICATE_PATH'],
  ])('refuses a federated token file beside %s, naming both', (_name, extra, variable) => {
    const failure = codeOf(() =>
      authFromEnv({
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: CLIENT,
        AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token',
        ...extra,
      }),
    );
    expect(failure.code).toBe('CONFIG_CONFLICT');
    expect(failure.message).toContain('AZURE_FEDERATED_TOKEN_FILE');
    expect(failure.message).toContain(variable);
    expect(failure.message).not.toContain(SECRET);
  });

  it.each([
    [' managedIdentity\n', 'managedIdentity', undefined],
    ['managed_identity', undefined, 'managedIdentity'],
    ['ManagedIdentity', undefined, 'managedIdentity'],
    ['msi', undefined, 'managedIdentity'],
    ['api-key', undefined, 'apiKey'],
    ['serviceprincipal', undefined, 'msalConfidentialClient'],
  ])('reads KEYLESS_STRATEGY %j trimmed, and suggests the strategy meant', (value, kind, suggestion) => {
    const env = {
      KEYLESS_STRATEGY: value,
      IDENTITY_ENDPOINT: 'http://127.0.0.1:1/msi/token',
      AZURE_OPENAI_API_KEY: KEY,
      ...sp,
    };
    if (kind !== undefined) {
      expect(strategyFromEnv(env).kind).toBe(kind);
      return;
    }
    const failure = codeOf(() => strategyFromEnv(env));
    expect(failure.code).toBe('CONFIG_INVALID');
    expect(failure.message).toContain(`Did you mean ${suggestion}?`);
  });

  it.each<[string, Record<string, string>, string]>([
    ['an API key alone', { AZURE_OPENAI_API_KEY: KEY }, 'apiKey'],
    ['a service principal', sp, 'msalConfidentialClient'],
    [
      'workload identity',
      { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_FEDERATED_TOKEN_FILE: '/var/run/token' },
      'msalConfidentialClient',
    ],
    [
      'App Service managed identity',
      { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/msi/token', IDENTITY_HEADER: 'h' },
      'managedIdentity',
    ],
    ['nothing', {}, 'default'],
  ])('infers the strategy from %s', (_name, env, kind) => {
    expect(strategyFromEnv(env).kind).toBe(kind);
  });

  it('makes AZURE_CLIENT_ID the user-assigned identity for managed identity', () => {
    expect(strategyFromEnv({ KEYLESS_STRATEGY: 'managedIdentity', AZURE_CLIENT_ID: CLIENT })).toEqual({
      kind: 'managedIdentity',
      clientId: CLIENT,
    });
  });

  it.each<[string, Record<string, string>]>([
    ['an unknown KEYLESS_STRATEGY', { KEYLESS_STRATEGY: 'magic' }],
    [
      'an http endpoint that is not loopback',
      { AZURE_OPENAI_ENDPOINT: 'http://my-resource.openai.azure.com', AZURE_OPENAI_API_KEY: KEY },
    ],
    [
      'an endpoint with credentials in it',
      { AZURE_OPENAI_ENDPOINT: `https://user:${KEY}@x.openai.azure.com`, AZURE_OPENAI_API_KEY: KEY },
    ],
    ['apiKey chosen without a key', { KEYLESS_STRATEGY: 'apiKey' }],
    [
      'a service principal without a tenant',
      { KEYLESS_STRATEGY: 'msalConfidentialClient', AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET },
    ],
  ])('refuses %s with CONFIG_INVALID and no secret', (_name, env) => {
    const failure = codeOf(() => authFromEnv(env));
    expect(failure.code).toBe('CONFIG_INVALID');
    expect(failure.message).not.toContain(KEY);
    expect(failure.message).not.toContain(SECRET);
  });

  it('refuses managed-identity variables that only the env object holds: msal-node reads process.env', () => {
    const failure = codeOf(() =>
      authFromEnv({ IDENTITY_ENDPOINT: 'http://127.0.0.1:1/msi/token', IDENTITY_HEADER: 'header-value' }),
    );
    expect(failure.code).toBe('CONFIG_INVALID');
    expect(failure.message).toContain('IDENTITY_ENDPOINT, IDENTITY_HEADER');
    expect(failure.message).toContain('process.env');
    expect(failure.message).not.toContain('header-value');
  });

  it('accepts an env object for strategies keyless reads itself', () => {
    expect(
      authFromEnv({ ...{ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET } }).kind,
    ).toBe('msalConfidentialClient');
  });

  it('allows http on localhost for local emulators', () => {
    expect(authFromEnv({ AZURE_OPENAI_ENDPOINT: 'http://127.0.0.1:8080', AZURE_OPENAI_API_KEY: KEY }).kind).toBe(
      'apiKey',
    );
  });
});

describe('explainEnvStrategy', () => {
  it('says which rule decided, which variables are used, and which are ignored', () => {
    const explained = explainEnvStrategy({
      KEYLESS_STRATEGY: 'managedIdentity',
      IDENTITY_ENDPOINT: 'http://127.0.0.1:1/msi/token',
      IDENTITY_HEADER: 'h',
      AZURE_CLIENT_SECRET: SECRET,
      AZURE_TENANT_ID: TENANT,
    });
    expect(explained.kind).toBe('managedIdentity');
    expect(explained.reason).toBe('KEYLESS_STRATEGY=managedIdentity');
    expect(explained.used).toEqual(['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']);
    expect(explained.ignored.map((i) => i.name)).toEqual(['AZURE_TENANT_ID', 'AZURE_CLIENT_SECRET']);
    expect(JSON.stringify(explained)).not.toContain(SECRET);
  });

  it('explains an inferred choice', () => {
    expect(explainEnvStrategy({ AZURE_OPENAI_API_KEY: KEY }).reason).toContain('AZURE_OPENAI_API_KEY is set');
  });

  // Every environment shape authFromEnv accepts, each value a canary that must never come back.
  const CANARY = 'canary-value-that-must-not-appear';
  it.each<[string, Record<string, string>]>([
    ['an API key', { AZURE_OPENAI_API_KEY: `${CANARY}-key` }],
    ['a client secret', { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: `${CANARY}-secret` }],
    [
      'a certificate with a password',
      {
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: CLIENT,
        AZURE_CLIENT_CERTIFICATE_PATH: `/certs/${CANARY}-path.pem`,
        AZURE_CLIENT_CERTIFICATE_PASSWORD: `${CANARY}-password`,
      },
    ],
    [
      'a federated token file',
      { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_FEDERATED_TOKEN_FILE: `/var/run/${CANARY}-token` },
    ],
    ['managed identity', { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/msi/token', IDENTITY_HEADER: `${CANARY}-header` }],
    ['the default chain', { AZURE_TENANT_ID: TENANT, IDENTITY_HEADER: `${CANARY}-header` }],
    [
      'an explicit choice with other credentials ignored',
      { KEYLESS_STRATEGY: 'apiKey', AZURE_OPENAI_API_KEY: `${CANARY}-key`, AZURE_CLIENT_SECRET: `${CANARY}-secret` },
    ],
  ])('returns names and sources only, never values: %s', (_name, env) => {
    const explained = explainEnvStrategy(env);
    const text = JSON.stringify(explained);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(TENANT);
    expect(text).not.toContain(CLIENT);
    for (const { source } of explained.settings) expect(source).toMatch(/^[A-Z_]+|the ca option|environment/);
  });
});

describe('one resolution of settings', () => {
  const sp = {
    AZURE_TENANT_ID: '00000000-0000-0000-0000-000000000001',
    AZURE_CLIENT_ID: 'client',
    AZURE_CLIENT_SECRET: 'secret-value',
  };

  it('authFromEnv takes the environment as an option; the two-argument form still works', () => {
    expect(authFromEnv({ env: sp }).kind).toBe('msalConfidentialClient');
    expect(authFromEnv(sp).kind).toBe('msalConfidentialClient');
    expect(authFromEnv({ env: { AZURE_OPENAI_API_KEY: 'k' }, scope: 'api://x/.default' }).scope).toBe(
      'api://x/.default',
    );
  });

  it('the endpoint by the adapters rule: a portal Target URI is refused by authFromEnv too, with the value to use', () => {
    const env = {
      ...sp,
      AZURE_OPENAI_ENDPOINT:
        'https://r.openai.azure.com/openai/deployments/gpt/chat/completions?api-version=2024-10-21',
    };
    expect(() => authFromEnv({ env })).toThrow(/Use https:\/\/r\.openai\.azure\.com/);
  });

  it('resolves endpoint, deployment, api-version and scope once, for every view', () => {
    const resolved = resolveSettings({
      ...sp,
      AZURE_OPENAI_ENDPOINT: 'https://r.services.ai.azure.com/api/projects/p/',
      AZURE_OPENAI_API_DEPLOYMENT_NAME: 'gpt',
      OPENAI_API_VERSION: '2024-10-21',
    });
    expect(resolved).toMatchObject({
      kind: 'msalConfidentialClient',
      endpoint: 'https://r.services.ai.azure.com/api/projects/p',
      deployment: 'gpt',
      apiVersion: '2024-10-21',
      scope: { scope: 'https://ai.azure.com/.default' },
      used: ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'],
    });
    expect(resolved.reason).toBe(
      'AZURE_TENANT_ID, AZURE_CLIENT_ID and a client credential (AZURE_CLIENT_SECRET) are set',
    );
    expect(explainEnvStrategy({ ...sp }).reason).toBe(resolved.reason);
  });

  it('sharedCache is one option ({ store, timeoutMs, … }); the flat settings are still read and checked', () => {
    const store = {
      description: 'a test store',
      encryptionKey: new Uint8Array(32),
      get: async () => undefined,
      set: async () => undefined,
      acquireLease: async () => true,
      deleteIfEquals: async () => false,
    };
    const strategy: Strategy = {
      kind: 'msalConfidentialClient',
      tenantId: sp.AZURE_TENANT_ID,
      clientId: 'c',
      clientSecret: 's',
    };
    expect(() => createAuth(strategy, { sharedCache: { store, timeoutMs: 0 } })).toThrow(
      /^createAuth: sharedCache\.timeoutMs/,
    );
    expect(() => createAuth(strategy, { sharedCache: store, sharedCacheTimeoutMs: 0 })).toThrow(
      /^createAuth: sharedCacheTimeoutMs/,
    );
    expect(createAuth(strategy, { sharedCache: { store, timeoutMs: 500 } }).kind).toBe('msalConfidentialClient');
  });
});
