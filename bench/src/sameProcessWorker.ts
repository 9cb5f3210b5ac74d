import { createAuth } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { createAzureOpenAI } from '@keyless/openai';
import { AzureOpenAI } from 'openai';
import { chatCompletion, chatPost, emulatorSettings, sdkOptions, staticBearer } from './lib/chatClients.js';
import { meanInterval } from './lib/stats.js';
import { report } from './lib/worker.js';

// Scenario 3d: section 3's clients, baselines and keyless, in ONE process, window by window (the
// order reversed every round). Whatever a process's history does to its speed (what it loaded,
// when, what V8 compiled under which load) is then the same for every client, and the ratio
// left is the clients' own per-request work. Reports, per pair, the mean of the per-round
// throughput ratios and client-CPU differences with their 95% intervals.
const settings = emulatorSettings();
const rounds = Number(process.argv[2] ?? 30);
const windowMs = Number(process.argv[3] ?? 500);
const token = await staticBearer();
const origin = settings.openaiEndpoint;
const post = (f: typeof fetch, headers: Record<string, string>) => chatPost(settings, f, headers);
const sdk = (client: AzureOpenAI) => chatCompletion(settings, client);
const common = sdkOptions(settings);

/** [baseline, keyless] pairs, as in section 3. */
const pairs: Array<[[string, () => Promise<unknown>], [string, () => Promise<unknown>]]> = [
  [
    ['fetch, static api-key header', post(fetch, { 'api-key': settings.apiKey })],
    [
      '@keyless/fetch, apiKey',
      post(createAuthorizedFetch(createAuth({ kind: 'apiKey', key: settings.apiKey }), { origin }), {}),
    ],
  ],
  [
    ['fetch, static bearer header', post(fetch, { authorization: `Bearer ${token}` })],
    [
      '@keyless/fetch, managedIdentity',
      post(createAuthorizedFetch(createAuth({ kind: 'managedIdentity' }), { origin }), {}),
    ],
  ],
  [
    ['AzureOpenAI, static apiKey', sdk(new AzureOpenAI({ ...common, apiKey: settings.apiKey }))],
    [
      '@keyless/openai, apiKey',
      sdk(createAzureOpenAI({ ...common, auth: createAuth({ kind: 'apiKey', key: settings.apiKey }) })),
    ],
  ],
  [
    [
      'AzureOpenAI, static bearer provider',
      sdk(new AzureOpenAI({ ...common, azureADTokenProvider: async () => token })),
    ],
    [
      '@keyless/openai, managedIdentity',
      sdk(createAzureOpenAI({ ...common, auth: createAuth({ kind: 'managedIdentity' }) })),
    ],
  ],
];

/** Requests at concurrency 32 for `ms`: throughput and this process's CPU per request. */
async function window(call: () => Promise<unknown>, ms: number) {
  const cpu = process.cpuUsage();
  const deadline = performance.now() + ms;
  let ok = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < deadline) {
        try {
          await call();
          ok += 1;
        } catch {
          failed += 1;
        }
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    requestsPerSecond: ok / (ms / 1000),
    cpuMicrosPerRequest: (used.user + used.system) / Math.max(1, ok),
    failed,
  };
}

const clients = pairs.flat();
for (const [, call] of clients) await window(call, 1_000); // warm-up: connections, JIT, tokens
const measured = new Map<string, Array<Awaited<ReturnType<typeof window>>>>();
for (let round = 0; round < rounds; round++) {
  for (const [name, call] of round % 2 === 0 ? clients : [...clients].reverse()) {
    measured.set(name, [...(measured.get(name) ?? []), await window(call, windowMs)]);
  }
}
report({
  rounds,
  windowMs,
  pairs: pairs.map(([[base], [keyless]]) => {
    const a = measured.get(base) ?? [];
    const b = measured.get(keyless) ?? [];
    return {
      baseline: base,
      keyless,
      throughput: meanInterval(b.map((w, i) => w.requestsPerSecond / (a[i]?.requestsPerSecond ?? Number.NaN))),
      cpu: meanInterval(b.map((w, i) => w.cpuMicrosPerRequest / (a[i]?.cpuMicrosPerRequest ?? Number.NaN) - 1)),
      failed: [...a, ...b].reduce((n, w) => n + w.failed, 0),
    };
  }),
});
