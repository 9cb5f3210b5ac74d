import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { EmulatorEnvKind } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../src/diagnosis.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const JWT = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]+/;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A loopback port nothing listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs the real CLI in a child process with only the given environment. */
function keyless(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
      },
    );
  });
}

describe('keyless doctor', () => {
  const emulator = useEmulator();
  let secrets: string[];
  beforeAll(async () => {
    secrets = [emulator.client.clientSecret, emulator.apiKey, emulator.managedIdentity.header];
  });
  beforeEach(() => {
    emulator.settings.audience = 'https://cognitiveservices.azure.com';
  });

  async function doctor(
    kind: EmulatorEnvKind,
    extraEnv: Record<string, string> = {},
    args: string[] = [],
  ): Promise<{ run: Run; report: Diagnosis }> {
    const run = await keyless(['doctor', '--json', ...args], { ...emulator.env(kind), ...extraEnv });
    for (const secret of secrets) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
    expect(run.stdout).not.toMatch(JWT);
    expect(run.stderr).not.toMatch(JWT);
    return { run, report: JSON.parse(run.stdout) as Diagnosis };
  }

  it('a Foundry project endpoint: takes the https://ai.azure.com audience and reports ok', async () => {
    const { run, report } = await doctor('msalSecret', { AZURE_OPENAI_ENDPOINT: emulator.foundryProjectEndpoint });
    expect(report.outcome).toBe('ok');
    expect(run.code).toBe(0);
    expect(report.steps.find((step) => step.name === 'audience')?.detail).toBe('https://ai.azure.com');
  });

  it('the developer chain signed out: leads with az login, one line per credential', async () => {
    emulator.developer.session = 'signed-out';
    emulator.faults.add('imds', {
      status: 400,
      body: { error: 'invalid_request', error_description: 'Identity not found' },
      times: 100,
    });
    try {
      const { report } = await doctor('default', {
        IDENTITY_ENDPOINT: '',
        IDENTITY_HEADER: '',
        AZURE_POD_IDENTITY_AUTHORITY_HOST: emulator.managedIdentity.imdsHost,
        PATH: `${emulator.developer.cliPath}:${process.env.PATH ?? ''}`,
      });
      const token = report.steps.find((step) => step.name === 'token');
      expect(report.outcome).toBe('credential');
      expect(token?.detail).toMatch(/^DefaultAzureCredential: no credential is available here\. Run az login/);
      expect(token?.detail).toContain('  - Azure CLI: installed, not signed in');
      expect(token?.detail).toContain('  - managed identity: ');
    } finally {
      emulator.developer.session = 'signed-in';
    }
  });

  it.each<EmulatorEnvKind>(['msalSecret', 'managedIdentity', 'apiKey'])(
    'reports ok with %s, exit 0, and says which strategy and why',
    async (kind) => {
      const { run, report } = await doctor(kind);
      expect(run.code).toBe(0);
      expect(report).toMatchObject({ ok: true, outcome: 'ok' });
      expect(report.steps[0]).toMatchObject({
        name: 'configuration',
        ok: true,
        detail: expect.stringContaining('KEYLESS_STRATEGY='),
      });
    },
  );

  it('shows the decoded claims, never the token', async () => {
    const { report } = await doctor('msalSecret');
    const token = report.steps.find((s) => s.name === 'token');
    expect(token?.data).toMatchObject({
      oid: emulator.client.objectId,
      tid: emulator.tenantId,
      appid: emulator.client.clientId,
      audienceOk: true,
    });
  });

  it('classifies a missing role and prints the principal and the az command', async () => {
    emulator.removeRole(emulator.client.objectId);
    try {
      const { run, report } = await doctor('msalSecret');
      expect(run.code).toBe(1);
      expect(report.outcome).toBe('permission-denied');
      expect(report.fix).toContain(
        `az role assignment create --role "Cognitive Services OpenAI User" --assignee-object-id ${emulator.client.objectId}`,
      );
    } finally {
      emulator.grantRole(emulator.client.objectId);
    }
  });

  it('catches a wrong-audience token before calling', async () => {
    emulator.settings.audience = 'https://management.azure.com';
    const { run, report } = await doctor('msalSecret');
    expect(run.code).toBe(1);
    expect(report.outcome).toBe('wrong-audience');
  });

  it('classifies an invalid token', async () => {
    emulator.faults.add('dataPlane', {
      status: 401,
      body: {
        statusCode: 401,
        message:
          'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
      },
    });
    const { report } = await doctor('managedIdentity');
    expect(report.outcome).toBe('invalid-token');
  });

  it('classifies a bad key', async () => {
    const { run, report } = await doctor('apiKey', { AZURE_OPENAI_API_KEY: 'not-the-right-key-123456' });
    expect(run.code).toBe(1);
    expect(report.outcome).toBe('bad-key');
    expect(run.stdout).not.toContain('not-the-right-key-123456');
  });

  it('classifies an unknown deployment', async () => {
    const { report } = await doctor('apiKey', {}, ['--deployment', 'no-such-deployment']);
    expect(report.outcome).toBe('deployment-not-found');
  });

  it('classifies throttling', async () => {
    emulator.faults.add('dataPlane', { status: 429, retryAfter: 30 });
    const { report } = await doctor('apiKey');
    expect(report.outcome).toBe('throttled');
    expect(report.steps.at(-1)?.detail).toContain('30 s');
  });

  it('classifies an endpoint that is down, naming ECONNREFUSED and the fix', async () => {
    const { run, report } = await doctor('apiKey', { AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${await closedPort()}` });
    expect(run.code).toBe(1);
    expect(report.outcome).toBe('network');
    expect(report.steps.at(-1)?.detail).toContain('(ECONNREFUSED)');
    expect(report.fix).toContain('Nothing listens');
  });

  it.each<EmulatorEnvKind>(['workloadIdentity', 'githubActions'])(
    'shows the federated subject and issuer with %s, and passes',
    async (kind) => {
      const { run, report } = await doctor(kind);
      expect(run.code).toBe(0);
      const step = report.steps.find((s) => s.name === 'federated credential');
      const federation = emulator.federation;
      const expected = kind === 'workloadIdentity' ? federation.kubernetes : federation.github;
      expect(step?.ok).toBe(true);
      expect(step?.detail).toContain(`issuer ${expected.issuer}, subject ${expected.subject}`);
      expect(report.ok).toBe(true);
    },
  );

  it('names AZURE_FEDERATED_TOKEN_FILE when the file is missing', async () => {
    const { report } = await doctor('workloadIdentity', { AZURE_FEDERATED_TOKEN_FILE: '/nonexistent/token' });
    expect(report.outcome).toBe('credential');
    expect(report.steps.find((s) => s.name === 'federated credential')?.detail).toContain(
      'AZURE_FEDERATED_TOKEN_FILE points at /nonexistent/token',
    );
  });

  it('names a TLS certificate it does not trust, and NODE_EXTRA_CA_CERTS as the fix', async () => {
    // The emulator's authority speaks https with its own CA, which this process is not told of.
    const { report } = await doctor('apiKey', {
      AZURE_OPENAI_ENDPOINT: emulator.authorityHost,
      NODE_EXTRA_CA_CERTS: '',
    });
    expect(report.outcome).toBe('network');
    expect(report.steps.at(-1)?.detail).toMatch(
      /\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT)\)/,
    );
    expect(report.fix).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('refuses an endpoint pasted with the API path, with the corrected value, before asking for a token', async () => {
    const before = emulator.counters.tokenRequests.entra;
    const pasted = `${emulator.openaiEndpoint}/openai/deployments/${emulator.deployments.chat}/chat/completions?api-version=${emulator.apiVersion}`;
    const { run, report } = await doctor('msalSecret', { AZURE_OPENAI_ENDPOINT: pasted });
    expect(run.code).toBe(1);
    expect(report.outcome).toBe('config');
    expect(report.steps.map((s) => s.name)).toEqual(['configuration', 'endpoint']);
    expect(report.steps[1]?.detail).toContain(`Use ${emulator.openaiEndpoint};`);
    expect(emulator.counters.tokenRequests.entra).toBe(before);
  });

  it('says the same, before any token request, whether the endpoint is empty or unset', async () => {
    const before = emulator.counters.tokenRequests.entra;
    const { AZURE_OPENAI_ENDPOINT: _unset, ...withoutEndpoint } = emulator.env('msalSecret');
    const unset = JSON.parse((await keyless(['doctor', '--json'], withoutEndpoint)).stdout) as Diagnosis;
    const { report: empty } = await doctor('msalSecret', { AZURE_OPENAI_ENDPOINT: '' });
    expect(unset).toEqual(empty);
    expect(empty.outcome).toBe('config');
    expect(empty.steps.at(-1)).toMatchObject({ name: 'endpoint', ok: false });
    expect(emulator.counters.tokenRequests.entra).toBe(before);
  });

  it('accepts the endpoint with a trailing slash and calls the URL the adapters would', async () => {
    const { report } = await doctor('apiKey', { AZURE_OPENAI_ENDPOINT: `${emulator.openaiEndpoint}/` });
    expect(report.ok).toBe(true);
    expect(report.steps.find((s) => s.name === 'call')?.data).toMatchObject({ endpoint: emulator.openaiEndpoint });
  });

  it.each([
    ['Owner', 'permission-denied'],
    ['Contributor', 'permission-denied'],
    ['Cognitive Services User', 'ok'],
    ['Cognitive Services OpenAI User', 'ok'],
  ])('with only the %s role, reports %s', async (role, outcome) => {
    const oid = emulator.client.objectId;
    emulator.removeRole(oid);
    emulator.grantRole(oid, role);
    try {
      const { report } = await doctor('msalSecret');
      expect(report.outcome).toBe(outcome);
      if (outcome !== 'ok') {
        const detail = report.steps.at(-1)?.detail ?? '';
        expect(detail).toContain('"Cognitive Services OpenAI User" (least privilege, recommended)');
        expect(detail).toContain('"Cognitive Services User" also works');
        expect(detail).toContain('Owner and Contributor are not enough');
      }
    } finally {
      emulator.removeRole(oid);
      emulator.grantRole(oid);
    }
  });

  it('prints its version', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-v']) {
      const run = await keyless([flag], {});
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(manifest.version);
    }
  });

  it('classifies a token endpoint failure as a credential problem', async () => {
    emulator.faults.add('token', {
      status: 401,
      times: 5,
      body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' },
    });
    const { report } = await doctor('msalSecret');
    expect(report.outcome).toBe('credential');
    expect(report.steps.at(-1)?.detail).toContain('AADSTS7000215');
  });

  it('reports a configuration conflict without printing either secret', async () => {
    const { run, report } = await doctor('msalSecret', { KEYLESS_STRATEGY: '', AZURE_OPENAI_API_KEY: emulator.apiKey });
    expect(run.code).toBe(1);
    expect(report.outcome).toBe('config');
    expect(report.steps[0]?.detail).toContain('AZURE_OPENAI_API_KEY and AZURE_CLIENT_SECRET');
  });

  it('prints a readable report without --json, and keyless token prints claims only', async () => {
    const human = await keyless(['doctor'], emulator.env('msalSecret'));
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('✓ configuration');
    expect(human.stdout).toContain('result: ok');
    expect(human.stdout).not.toMatch(/\x1b\[/); // no colours when not a TTY
    const claims = await keyless(['token', '--decode'], emulator.env('msalSecret'));
    expect(JSON.parse(claims.stdout)).toMatchObject({ oid: emulator.client.objectId });
    expect(claims.stdout).not.toMatch(JWT);
    const raw = await keyless(['token', '--show-token'], emulator.env('msalSecret'));
    expect(raw.stdout).toMatch(JWT);
    expect(raw.stderr).toContain('warning');
  });
});
