import { delimiter } from 'node:path';
import { adapters, tokenRequests } from '@keyless/test-suites';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuth } from '../src/createAuth.js';

// The seed's own scenario: a developer who ran `az login`, with the role granted to their user,
// through the REAL DefaultAzureCredential (its AzureCliCredential and AzureDeveloperCliCredential
// run the stand-in `az` / `azd` the emulator writes). Managed identity is pointed at a closed
// IMDS that answers "Identity not found" (a VM without an identity), so the chain's managed
// identity link fails fast and never leaves this machine.
const emulator = useEmulator();
beforeAll(async () => {
  for (const name of [
    'AZURE_CLIENT_ID',
    'AZURE_TENANT_ID',
    'AZURE_CLIENT_SECRET',
    'IDENTITY_ENDPOINT',
    'MSI_ENDPOINT',
  ]) {
    delete process.env[name];
  }
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = emulator.managedIdentity.imdsHost;
  process.env.PATH = `${emulator.developer.cliPath}${delimiter}${process.env.PATH ?? ''}`;
});
beforeEach(() => {
  emulator.faults.add('imds', {
    status: 400,
    body: { error: 'invalid_request', error_description: 'Identity not found' },
    times: 1_000,
  });
  emulator.developer.session = 'signed-in';
});

const call = (auth = createAuth({ kind: 'default' })) => adapters.openai(auth, emulator).chat('as the developer');

describe('the developer chain, through the real DefaultAzureCredential', () => {
  it('signed in with az: the call is made as the user, who holds the role', async () => {
    expect(await call()).toBe('Echo: as the developer');
    expect(emulator.counters.tokenRequests.developerCli).toBe(1);
    // The IMDS probe (answered "Identity not found") and the one token request, from az.
    expect(tokenRequests(emulator) - emulator.counters.tokenRequests.imds).toBe(1);
    expect(emulator.log.filter((e) => e.endpoint === 'dataPlane').map((e) => e.status)).toEqual([200]);
  });

  it('signed in with azd: AzureDeveloperCliCredential gets the same user a token', async () => {
    const { AzureDeveloperCliCredential } = await import('@azure/identity');
    const auth = createAuth({ kind: 'credential', credential: new AzureDeveloperCliCredential() });
    expect(await call(auth)).toBe('Echo: as the developer');
    expect(emulator.counters.tokenRequests.developerCli).toBe(1);
  });

  it('a user without the role: names the user and the az line with --assignee-principal-type User', async () => {
    emulator.removeRole(emulator.developer.oid);
    try {
      const error = await call().then(
        () => expect.unreachable('the user has no role'),
        (e: unknown) => e as Error,
      );
      expect(error.message).toContain(`user ${emulator.developer.upn} (oid ${emulator.developer.oid})`);
      expect(error.message).toContain('--assignee-principal-type User');
    } finally {
      emulator.grantRole(emulator.developer.oid, 'Cognitive Services User');
    }
  });

  it.each([
    [
      'signed-out',
      /^DefaultAzureCredential: no credential is available here\. Run az login \(the Azure CLI is installed but not signed in\)/,
    ],
    [
      'expired',
      /^DefaultAzureCredential: no credential is available here\. Your Azure CLI sign-in expired: run az login --scope https:\/\/cognitiveservices\.azure\.com\/\.default again/,
    ],
  ] as const)('%s: the fix that applies comes first, then one line per credential tried', async (session, first) => {
    emulator.developer.session = session;
    const error = await createAuth({ kind: 'default' })
      .getToken()
      .then(
        () => expect.unreachable('nobody is signed in'),
        (e: unknown) => e as Error,
      );
    expect(error.message).toMatch(first);
    const lines = error.message.split('\n').filter((line) => line.startsWith('  - '));
    expect(lines.map((line) => line.slice(4).split(':')[0])).toEqual(
      expect.arrayContaining(['environment', 'managed identity', 'Azure CLI', 'azd']),
    );
    expect(lines.find((line) => line.startsWith('  - Azure CLI'))).toMatch(/not signed in|expired/);
    expect(error.message).not.toContain('ChainedTokenCredential authentication failed');
  });
});
