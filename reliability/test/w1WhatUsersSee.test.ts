import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuth, keylessErrorOf, type Strategy } from '@keyless/core';
import type { RequestAuth } from '@keyless/core/adapter';
import { strategyFor, tokenRequests } from '@keyless/test-suites';
import { createServerCertificate, type Emulator } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../src/adapters.js';
import { recordFigure } from '../src/figures.js';

// What a user of each adapter sees, with the SDK's default retry settings, when no credentials
// can be had. Non-retryable failures must make one token request, one SDK attempt, and read as
// their cause and fix; retryable ones may be retried by the SDK within its limits.
const ADAPTER_NAMES = ['openai', 'langchain', 'ai-sdk', 'fetch'] as const;
type AdapterName = (typeof ADAPTER_NAMES)[number];

interface Seen {
  outcome: 'failed' | 'succeeded';
  message: string;
  attempts: number;
  tokenRequests: number;
  ms: number;
  errorCode: string | undefined;
}

/** An auth that counts how often the SDK asked for credentials: one call per SDK attempt. */
function counted(auth: RequestAuth): { auth: RequestAuth; attempts: () => number } {
  let attempts = 0;
  return {
    auth: {
      kind: auth.kind,
      invalidate: (token) => auth.invalidate(token),
      getRequestHeaders: (options) => {
        attempts += 1;
        return auth.getRequestHeaders(options);
      },
    },
    attempts: () => attempts,
  };
}

const dataPlaneCalls = (emulator: Emulator) => emulator.counters.dataPlane.bearer + emulator.counters.dataPlane.apiKey;

const closedPort = async () => {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
};

describe('W: what users see when no credentials can be had, through each SDK with its default retries', () => {
  const emulator = useEmulator();
  let strangerCertificatePath: string;
  beforeAll(async () => {
    // A certificate the app registration does not know.
    const stranger = await createServerCertificate();
    strangerCertificatePath = join(tmpdir(), `keyless-stranger-${process.pid}.pem`);
    writeFileSync(strangerCertificatePath, `${stranger.key}\n${stranger.cert}`);
    // Managed identity off Azure: IMDS does not answer (here: a loopback port nothing listens on).
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = `http://127.0.0.1:${await closedPort()}`;
  });

  const sp = (emulator: Emulator) =>
    strategyFor('msalSecret', emulator) as Extract<Strategy, { kind: 'msalConfidentialClient' }>;
  const scenarios: Array<{
    name: string;
    retryable: boolean;
    strategy: (e: Emulator) => Strategy;
    arm?: (e: Emulator) => void;
    /** Undoes what `arm` changed beyond the emulator (the environment). */
    disarm?: (e: Emulator) => void;
    timeoutMs?: number;
    /** Where the adapter calls. Default the emulator's resource endpoint. */
    endpoint?: (e: Emulator) => string;
    /** Token requests the failure may cost. Default at most 1. */
    tokenRequests?: number;
    /** The stable code it ends with. Default a credential failure's. */
    code?: RegExp;
    /**
     * Where SDK attempts are counted: `dataPlane` for failures Azure OpenAI answers (the openai
     * client asks keyless for credentials twice per attempt once a token is had); by default, how
     * often the SDK asked keyless for credentials.
     */
    attemptsAt?: 'dataPlane';
    expect: RegExp;
  }> = [
    {
      name: 'wrong client secret',
      retryable: false,
      strategy: (e) => ({ ...sp(e), clientSecret: 'not-the-secret-value~0123456789abcdef' }) as Strategy,
      expect: /AADSTS7000215.*secret VALUE/,
    },
    {
      name: 'certificate not registered',
      retryable: false,
      strategy: (e) => {
        const { clientSecret: _secret, ...rest } = sp(e);
        return { ...rest, certificate: { path: strangerCertificatePath } } as Strategy;
      },
      expect: /AADSTS700027.*certificate/,
    },
    {
      name: 'unknown client id',
      retryable: false,
      strategy: (e) => ({ ...sp(e), clientId: '00000000-0000-0000-0000-00000000c11e' }) as Strategy,
      expect: /AADSTS700016.*AZURE_CLIENT_ID/,
    },
    {
      name: 'unknown tenant',
      retryable: false,
      strategy: (e) => ({ ...sp(e), tenantId: '00000000-0000-0000-0000-0000000007e4' }) as Strategy,
      expect: /AADSTS90002.*AZURE_TENANT_ID/,
    },
    {
      name: 'no managed identity here',
      retryable: false,
      strategy: () => ({ kind: 'managedIdentity' }),
      expect: /no managed identity is available here.*App Service/,
    },
    {
      name: 'wrong audience on a Foundry project endpoint (scope set to cognitiveservices)',
      attemptsAt: 'dataPlane',
      retryable: false,
      strategy: (e) => sp(e),
      endpoint: (e) => e.foundryProjectEndpoint,
      code: /WRONG_AUDIENCE|^$/,
      expect: /accepts tokens for https:\/\/ai\.azure\.com only.*https:\/\/ai\.azure\.com\/\.default/,
    },
    {
      name: 'a missing data action (no role on the resource)',
      attemptsAt: 'dataPlane',
      retryable: false,
      strategy: (e) => sp(e),
      arm: (e) => e.removeRole(e.client.objectId),
      disarm: (e) => e.grantRole(e.client.objectId),
      code: /PERMISSION_DENIED|^$/,
      expect:
        /lacks the data action Microsoft\.CognitiveServices\/accounts\/OpenAI\/.*Cognitive Services OpenAI User.*--assignee-principal-type ServicePrincipal/,
    },
    {
      name: 'key authentication disabled on the resource',
      attemptsAt: 'dataPlane',
      retryable: false,
      strategy: (e) => ({ kind: 'apiKey', key: e.apiKey }),
      arm: (e) => {
        e.settings.localAuthDisabled = true;
      },
      disarm: (e) => {
        e.settings.localAuthDisabled = false;
      },
      tokenRequests: 0,
      code: /KEY_AUTH_DISABLED|^$/,
      expect: /key authentication disabled.*Use a token strategy/,
    },
    {
      name: 'not signed in to az (DefaultAzureCredential, developer links)',
      retryable: false,
      strategy: () => ({ kind: 'default' }),
      arm: (e) => {
        e.developer.session = 'signed-out';
        process.env.AZURE_TOKEN_CREDENTIALS = 'dev';
        process.env.PATH = e.env('developerCli').PATH;
      },
      disarm: (e) => {
        e.developer.session = 'signed-in';
        delete process.env.AZURE_TOKEN_CREDENTIALS;
      },
      code: /CREDENTIAL_UNAVAILABLE/,
      expect: /DefaultAzureCredential: no credential is available here\. Run az login/,
    },
    {
      name: 'TLS interception (the authority presents a certificate not trusted here)',
      retryable: false,
      strategy: (e) => {
        const { ca: _trusted, ...untrusting } = sp(e);
        return untrusting as Strategy;
      },
      code: /TLS_UNTRUSTED/,
      tokenRequests: 0,
      expect: /TLS certificate of 127\.0\.0\.1:\d+ is not trusted.*NODE_EXTRA_CA_CERTS/,
    },
    {
      name: 'token endpoint 503 once, then recovers',
      retryable: true,
      strategy: (e) => sp(e),
      arm: (e) => e.faults.add('token', { status: 503 }),
      expect: /^$/,
    },
    {
      name: 'token endpoint never answers once (deadline 1 s), then recovers',
      retryable: true,
      strategy: (e) => sp(e),
      arm: (e) => e.faults.add('token', { hang: true }),
      timeoutMs: 1_000,
      expect: /^$/,
    },
  ];

  async function see(adapter: AdapterName, scenario: (typeof scenarios)[number]): Promise<Seen> {
    emulator.faults.clear();
    scenario.arm?.(emulator);
    const before = tokenRequests(emulator);
    const callsBefore = dataPlaneCalls(emulator);
    const base = createAuth(scenario.strategy(emulator), {
      tokenRequestTimeoutMs: scenario.timeoutMs,
      // The wrong-audience scenario: a scope the user set, which keyless never overrides.
      ...(scenario.endpoint === undefined ? {} : { scope: 'https://cognitiveservices.azure.com/.default' }),
    });
    const { auth, attempts } = counted(base);
    const chat = ADAPTERS[adapter](auth, emulator, { endpoint: scenario.endpoint?.(emulator) });
    const started = performance.now();
    const result = await chat('hello').then(
      () => ({ outcome: 'succeeded' as const, message: '', errorCode: undefined }),
      (error: unknown) => ({
        outcome: 'failed' as const,
        message: (error as Error).message,
        errorCode:
          keylessErrorOf(error)?.code ??
          (error as { headers?: Headers }).headers?.get?.('x-keyless-error-code') ??
          (error as { responseHeaders?: Record<string, string> }).responseHeaders?.['x-keyless-error-code'] ??
          undefined,
      }),
    );
    scenario.disarm?.(emulator);
    return {
      ...result,
      attempts: scenario.attemptsAt === 'dataPlane' ? dataPlaneCalls(emulator) - callsBefore : attempts(),
      tokenRequests: tokenRequests(emulator) - before,
      ms: Math.round(performance.now() - started),
    };
  }

  for (const scenario of scenarios) {
    for (const adapter of ADAPTER_NAMES) {
      it(`${scenario.name}, through ${adapter}`, async () => {
        const seen = await see(adapter, scenario);
        expect(seen.message).not.toMatch(/Connection error|azureOpenAIApiInstanceName/);
        if (scenario.retryable && adapter === 'fetch') {
          // Plain fetch retries nothing: the answer says what happened and that a retry may work.
          expect(seen.outcome).toBe('failed');
          expect(seen.message).toMatch(/^503 .*(temporarily unavailable|did not answer)/);
          expect(seen.attempts).toBe(1);
          expect(await ADAPTERS.fetch(createAuth(scenario.strategy(emulator)), emulator)('again')).toContain('again');
        } else if (scenario.retryable) {
          expect(seen.outcome).toBe('succeeded');
          expect(seen.attempts).toBeGreaterThanOrEqual(2); // the SDK retried, through keyless
        } else {
          expect(seen.outcome).toBe('failed');
          expect(seen.message).toMatch(scenario.expect);
          expect(seen.attempts).toBe(1); // not retried by the SDK
          expect(seen.tokenRequests).toBeLessThanOrEqual(scenario.tokenRequests ?? 1);
          expect(seen.errorCode ?? '').toMatch(scenario.code ?? /TOKEN_REQUEST_FAILED|CREDENTIAL_UNAVAILABLE/);
        }
        recordUserRow(adapter, scenario.name, seen);
      });
    }
  }

  it('a missing optional peer (@azure/msal-node not installed), through each adapter', async () => {
    const rows = await missingPeerRun(emulator);
    for (const adapter of ADAPTER_NAMES) {
      const seen = rows[adapter];
      expect(seen.outcome).toBe('failed');
      expect(seen.message).toMatch(/@azure\/msal-node is not installed.*npm install @azure\/msal-node/);
      expect(seen.attempts).toBe(1);
      expect(seen.tokenRequests).toBe(0);
      recordUserRow(adapter, 'missing peer package', seen);
    }
  });
});

function recordUserRow(adapter: AdapterName, scenario: string, seen: Seen): void {
  recordFigure({
    id: 'W',
    table: 'users',
    check: `${scenario} | ${adapter}`,
    measured: [
      seen.outcome === 'failed'
        ? `\`${seen.message.replace(/\s+/g, ' ').slice(0, 220).replaceAll('|', '\\|')}${seen.message.length > 220 ? '…' : ''}\``
        : 'the call succeeded',
      String(seen.tokenRequests),
      `${seen.ms} ms`,
      seen.attempts > 1 ? `yes (${seen.attempts} attempts)` : 'no',
    ].join(' | '),
  });
}

// The missing peer needs a process where @azure/msal-node cannot be resolved: module hooks
// refuse it there, as an install without it would.
const HOOKS = fileURLToPath(new URL('../src/refusePeer.mjs', import.meta.url));
const MISSING_PEER_CHILD = fileURLToPath(new URL('../src/missingPeerChild.mjs', import.meta.url));

function missingPeerRun(emulator: Emulator): Promise<Record<AdapterName, Seen>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', HOOKS, MISSING_PEER_CHILD], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { PATH: process.env.PATH ?? '', ...emulator.env('msalSecret'), KEYLESS_REFUSE_PEER: '@azure/msal-node' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const limit = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(limit);
      if (code !== 0) reject(new Error(`child exited ${code}: ${stderr.slice(0, 2000)}`));
      else resolve(JSON.parse(stdout) as Record<AdapterName, Seen>);
    });
  });
}
