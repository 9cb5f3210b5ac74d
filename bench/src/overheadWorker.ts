import { createAuth } from '@keyless/core';
import { createAuthenticatedFetch } from '@keyless/fetch';
import { createAzureOpenAI } from '@keyless/openai';
import { measure } from 'mitata';
import { AzureOpenAI } from 'openai';
import { report } from './lib/worker.js';

// Scenario 3b: the CPU keyless adds to one request, with the network stubbed out (a fetch that
// answers at once). End-to-end runs on 2 loopback-bound cores swing by ±10%; this does not.
const quick = process.argv.includes('--quick');
const origin = 'https://stub.openai.azure.com';
const url = `${origin}/openai/deployments/d/chat/completions?api-version=2024-10-21`;
const completion = JSON.stringify({
  id: 'x',
  object: 'chat.completion',
  created: 0,
  model: 'd',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
});
const stub: typeof fetch = async () =>
  new Response(completion, { status: 200, headers: { 'content-type': 'application/json' } });
const init = () => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', 'api-key': 'static-key-0123456789' },
  body: '{"messages":[]}',
});

const keyAuth = createAuth({ kind: 'apiKey', key: 'static-key-0123456789' });
const tokenAuth = createAuth({
  kind: 'credential',
  credential: {
    getToken: async () => ({ token: 'header.payload.signature', expiresOnTimestamp: Date.now() + 3_600_000 }),
  },
});
await tokenAuth.getToken();
const keylessKeyFetch = createAuthenticatedFetch(keyAuth, { origin, fetch: stub });
const keylessTokenFetch = createAuthenticatedFetch(tokenAuth, { origin, fetch: stub });
const sdkOptions = { endpoint: origin, apiVersion: '2024-10-21', maxRetries: 0 };
const staticSdk = new AzureOpenAI({ ...sdkOptions, apiKey: 'static-key-0123456789', fetch: stub });
const keylessSdk = createAzureOpenAI({ ...sdkOptions, auth: tokenAuth, fetch: stub });
const messages = [{ role: 'user' as const, content: 'x' }];

const subjects: Array<[string, () => Promise<unknown>]> = [
  ['fetch (stub), static api-key header', () => stub(url, init())],
  ['@keyless/fetch (stub), apiKey', () => keylessKeyFetch(url, init())],
  ['@keyless/fetch (stub), token', () => keylessTokenFetch(url, init())],
  ['AzureOpenAI (stub), static apiKey', () => staticSdk.chat.completions.create({ model: 'd', messages })],
  ['@keyless/openai (stub), token', () => keylessSdk.chat.completions.create({ model: 'd', messages })],
];
const options = quick ? { min_cpu_time: 50e6, max_samples: 2_000 } : { min_cpu_time: 1_000e6 };
const results: Array<{ name: string; p50: number }> = [];
for (const [name, fn] of subjects) {
  await fn();
  results.push({ name, p50: (await measure(fn, options)).p50 });
}
report({ results });
