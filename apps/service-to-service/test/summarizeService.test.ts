import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAuth } from '@keyless/core';
import { type Emulator, startEmulator } from '@keyless/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSummarizeService } from '../src/createSummarizeService.js';

let emulator: Emulator;
let server: Server;
let base: string;
const logs: string[] = [];
let auth: ReturnType<typeof createAuth>;

beforeAll(async () => {
  emulator = await startEmulator();
  Object.assign(process.env, emulator.env('managedIdentity'));
  auth = createAuth({ kind: 'managedIdentity' });
  server = createSummarizeService({
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

const summarize = (body: string | undefined, contentType = 'application/json') =>
  fetch(`${base}/summarize`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    ...(body === undefined ? {} : { body }),
  });

describe('service-to-service', () => {
  it('answers health checks without calling Azure', async () => {
    const before = emulator.counters.dataPlane.bearer;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
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
