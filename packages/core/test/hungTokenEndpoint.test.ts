import { spawn } from 'node:child_process';
import type { Emulator, FaultTarget } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../src/createAuth.js';
import type { Strategy } from '../src/strategy.js';

const dist = new URL('../dist/index.js', import.meta.url).href;

// In a fresh process (managed identity's endpoint is fixed per process in msal-node): one token
// request that hangs, then one that works, then nothing. The process must end by itself: a timer
// or socket left behind by the abandoned request would keep it alive.
const CHILD = `
const core = await import(${JSON.stringify(dist)});
const auth = core.createAuth(JSON.parse(process.env.KEYLESS_TEST_STRATEGY), { tokenRequestTimeoutMs: 500 });
const started = performance.now();
const first = await auth.getToken().then(() => 'ok', (e) => e.code);
const failedAfterMs = Math.round(performance.now() - started);
const second = await auth.getToken().then(() => 'ok', (e) => e.code);
process.stdout.write(JSON.stringify({ first, failedAfterMs, second }));
`;

interface ChildResult {
  output: { first: string; failedAfterMs: number; second: string };
  exitCode: number | null;
  /** From the child's last output to its exit, by itself. */
  lingeredMs: number;
}

function runChild(env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    let printedAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      printedAt = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Bounded: a child still alive after 15 s is killed, and the test fails on its exit code.
    const limit = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (exitCode) => {
      clearTimeout(limit);
      try {
        resolve({ output: JSON.parse(stdout), exitCode, lingeredMs: Math.round(performance.now() - printedAt) });
      } catch {
        reject(new Error(`child failed (exit ${exitCode}): ${stderr.slice(0, 2000)}`));
      }
    });
  });
}

describe('a token endpoint that accepts the request and never answers', () => {
  const emulator = useEmulator({ reset: false });

  const cases: Array<[string, FaultTarget, (e: Emulator) => { strategy: unknown; env: Record<string, string> }]> = [
    [
      'Entra ID (msalConfidentialClient)',
      'token',
      (e) => ({
        strategy: {
          kind: 'msalConfidentialClient',
          tenantId: e.tenantId,
          clientId: e.client.clientId,
          clientSecret: e.client.clientSecret,
          authorityHost: e.authorityHost,
          ca: e.caCertificate,
        },
        env: {},
      }),
    ],
    [
      'App Service managed identity',
      'appService',
      (e) => ({
        strategy: { kind: 'managedIdentity' },
        env: { IDENTITY_ENDPOINT: e.managedIdentity.endpoint, IDENTITY_HEADER: e.managedIdentity.header },
      }),
    ],
    [
      'IMDS',
      'imds',
      (e) => ({
        strategy: { kind: 'managedIdentity', clientId: e.managedIdentity.userAssigned.clientId },
        env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: e.managedIdentity.imdsHost },
      }),
    ],
  ];

  it.each(cases)('%s: fails at the deadline, recovers, and leaves nothing running', async (_name, target, setup) => {
    const { strategy, env } = setup(emulator);
    emulator.faults.add(target, { hang: true });
    const hungBefore = emulator.counters.hungRequests;
    const result = await runChild({ ...env, KEYLESS_TEST_STRATEGY: JSON.stringify(strategy) });
    expect(emulator.counters.hungRequests - hungBefore).toBe(1);
    expect(result.output.first).toBe('TOKEN_REQUEST_TIMEOUT');
    expect(result.output.failedAfterMs).toBeGreaterThanOrEqual(500);
    expect(result.output.failedAfterMs).toBeLessThan(5_000);
    expect(result.output.second).toBe('ok');
    expect(result.exitCode).toBe(0); // exited by itself, not killed at 15 s
    expect(result.lingeredMs).toBeLessThan(5_000);
  });

  it('sends token POSTs with a Content-Length, never chunked', async () => {
    const before = emulator.counters.tokenRequests.entra;
    await createAuth(cases[0]?.[2](emulator).strategy as Strategy).getToken();
    expect(emulator.counters.tokenRequests.entra).toBe(before + 1);
    expect(emulator.counters.chunkedTokenRequests).toBe(0);
  });
});
