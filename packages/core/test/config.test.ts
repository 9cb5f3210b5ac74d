import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { createAuth } from '../src/createAuth.js';
import type { Strategy } from '../src/strategy.js';

import { CLIENT, codeOf, KEY, SECRET, TENANT } from './support/settingsFixtures.js';

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
