import { createAuth } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { measure } from 'mitata';
import { report } from './lib/worker.js';

// Scenario 3b: the CPU keyless adds to one request, with the network stubbed out (a fetch that
// answers at once). End-to-end runs on 2 loopback-bound cores swing by ±10%; this does not.
// @keyless/openai and @keyless/langchain add this same wrapper to their SDK's fetch; measured
// through the SDK, the SDK's own ~60-150 µs and its GC swings hide it.
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
const keylessKeyFetch = createAuthorizedFetch(keyAuth, { origin, fetch: stub });
const keylessTokenFetch = createAuthorizedFetch(tokenAuth, { origin, fetch: stub });

const subjects: Array<[string, () => Promise<unknown>]> = [
  ['fetch (stub), static api-key header', () => stub(url, init())],
  ['@keyless/fetch (stub), apiKey', () => keylessKeyFetch(url, init())],
  ['@keyless/fetch (stub), token', () => keylessTokenFetch(url, init())],
];
const options = quick ? { min_cpu_time: 50e6, max_samples: 2_000 } : { min_cpu_time: 1_000e6 };
// Two passes, keeping the second: the first warms the JIT for every subject, so measuring order
// does not decide which one looks faster.
let results: Array<{ name: string; p50: number }> = [];
for (let pass = 0; pass < 2; pass++) {
  results = [];
  for (const [name, fn] of subjects) results.push({ name, p50: (await measure(fn, options)).p50 });
}
report({ results });
