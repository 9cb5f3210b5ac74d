import { describe, expect, it } from 'vitest';
import { authFromEnv, strategyFromEnv } from '../src/authFromEnv.js';
import { createAuth } from '../src/createAuth.js';
import { explainEnvStrategy } from '../src/explainEnvStrategy.js';
import { resolveSettings } from '../src/settings/resolveSettings.js';
import type { Strategy } from '../src/strategy.js';

import { CLIENT, codeOf, KEY, SECRET, TENANT } from './support/settingsFixtures.js';

// authFromEnv, explainEnvStrategy and resolveSettings: one resolution of the environment, three views.
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
