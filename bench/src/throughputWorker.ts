import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { getHeapSpaceStatistics } from 'node:v8';
import { createAuth } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { createAzureOpenAI } from '@keyless/openai';
import { AzureOpenAI } from 'openai';
import { sampleAllocations } from './lib/allocationProfile.js';
import { chatCompletion, chatPost, emulatorSettings, sdkOptions, staticBearer } from './lib/chatClients.js';
import { profile } from './lib/cpuProfile.js';
import { report } from './lib/worker.js';

// Scenario 3: chat completions at fixed concurrency through one client, measured in windows the
// parent asks for on stdin ("run <ms>"; "profile <ms>" under the CPU profiler; "alloc <requests>"
// under the heap sampler), so that two clients can be interleaved in many short
// rounds while each process stays warm. Each window reports throughput, latency and the client
// process's own CPU time per request (user + system), which does not depend on the server's speed.
/** The openai + managedIdentity client built before its first requests (see BENCHMARKS.md, section 3). */
const BUILT_BEFORE_TRAFFIC = '@keyless/openai, managedIdentity, built before traffic';
const settings = emulatorSettings();
const [subject = '', concurrencyText = '32'] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const post = (f: typeof fetch, headers: Record<string, string>) => chatPost(settings, f, headers);
const sdk = (client: AzureOpenAI) => chatCompletion(settings, client);
const common = sdkOptions(settings);

let call: () => Promise<unknown>;
switch (subject) {
  case 'fetch, static api-key header':
    call = post(fetch, { 'api-key': settings.apiKey });
    break;
  case '@keyless/fetch, apiKey':
    call = post(
      createAuthorizedFetch(createAuth({ kind: 'apiKey', key: settings.apiKey }), {
        origin: settings.openaiEndpoint,
      }),
      {},
    );
    break;
  case 'fetch, static bearer header':
    call = post(fetch, { authorization: `Bearer ${await staticBearer()}` });
    break;
  // Section 3's second control: the static bearer client in a process that imported msal-node
  // before its traffic (as a managedIdentity client's process has), sending nothing through it.
  case 'fetch, static bearer header, msal-node loaded before traffic':
    await import('@azure/msal-node');
    call = post(fetch, { authorization: `Bearer ${await staticBearer()}` });
    break;
  // Experiments (bench/dist/pairExperiment.js): keyless's token path serving the baseline's own
  // token, with no msal-node; the static client beside a managedIdentity Auth that fetched a token.
  case '@keyless/fetch, credential serving the static bearer': {
    const token = await staticBearer();
    const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
    call = post(
      createAuthorizedFetch(createAuth({ kind: 'credential', credential }), { origin: settings.openaiEndpoint }),
      {},
    );
    break;
  }
  case 'fetch, static bearer header, beside a managedIdentity Auth with its token': {
    const auth = createAuth({ kind: 'managedIdentity' });
    call = post(fetch, { authorization: `Bearer ${await auth.getToken()}` });
    break;
  }
  case '@keyless/fetch, managedIdentity':
    call = post(
      createAuthorizedFetch(createAuth({ kind: 'managedIdentity' }), { origin: settings.openaiEndpoint }),
      {},
    );
    break;
  case 'AzureOpenAI, static apiKey':
    call = sdk(new AzureOpenAI({ ...common, apiKey: settings.apiKey }));
    break;
  case '@keyless/openai, apiKey':
    call = sdk(createAzureOpenAI({ ...common, auth: createAuth({ kind: 'apiKey', key: settings.apiKey }) }));
    break;
  case 'AzureOpenAI, static bearer provider': {
    const token = await staticBearer();
    call = sdk(new AzureOpenAI({ ...common, azureADTokenProvider: async () => token }));
    break;
  }
  case '@keyless/openai, managedIdentity':
    call = sdk(createAzureOpenAI({ ...common, auth: createAuth({ kind: 'managedIdentity' }) }));
    break;
  case BUILT_BEFORE_TRAFFIC: {
    // As a service builds its client at startup: the first requests come after the msal-node
    // import that building the Auth started (awaited here as that same, cached, import).
    call = sdk(createAzureOpenAI({ ...common, auth: createAuth({ kind: 'managedIdentity' }) }));
    await import('@azure/msal-node');
    break;
  }
  default:
    throw new Error(`unknown subject ${subject}`);
}

/** Requests at fixed concurrency until `ms` have passed, or until `requests` have been sent. */
async function load(
  limit: { ms: number } | { requests: number },
  latencies: number[] | undefined,
): Promise<{ ok: number; failed: number }> {
  const deadline = 'ms' in limit ? performance.now() + limit.ms : Number.POSITIVE_INFINITY;
  let left = 'requests' in limit ? limit.requests : Number.POSITIVE_INFINITY;
  let ok = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0 && performance.now() < deadline) {
        const started = performance.now();
        try {
          await call();
          ok += 1;
          latencies?.push(performance.now() - started);
        } catch {
          failed += 1;
        }
      }
    }),
  );
  return { ok, failed };
}

// Garbage collections seen in the current window (kind: V8's flags; 1 scavenge, 4 mark-compact).
const collections = { count: 0, ms: 0, major: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    collections.count += 1;
    collections.ms += entry.duration;
    if ((entry as { detail?: { kind?: number } }).detail?.kind !== 1) collections.major += 1;
  }
}).observe({ entryTypes: ['gc'] });

async function window(ms: number) {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  Object.assign(collections, { count: 0, ms: 0, major: 0 });
  const { ok, failed } = await load({ ms }, latencies);
  const used = process.cpuUsage(cpu);
  const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    subject,
    requestsPerSecond: ok / (ms / 1000),
    p50: at(0.5),
    p99: at(0.99),
    failed,
    cpuMicrosPerRequest: ok === 0 ? Number.NaN : (used.user + used.system) / ok,
    gcPerThousandRequests: (collections.count * 1000) / Math.max(1, ok),
    majorGcInWindow: collections.major,
    gcMicrosPerRequest: (collections.ms * 1000) / Math.max(1, ok),
    newSpaceBytes: newSpace,
  };
}

/**
 * A window under V8's CPU profiler: where this client's CPU went, per request. The profile is
 * also written as `<subject>.cpuprofile` to KEYLESS_BENCH_PROFILE_DIR (open it in DevTools).
 */
async function profiledWindow(ms: number) {
  const { result, breakdown, cpuprofile } = await profile(() => window(ms));
  const requests = result.requestsPerSecond * (ms / 1000);
  const dir = process.env.KEYLESS_BENCH_PROFILE_DIR;
  if (dir) writeFileSync(join(dir, `${subject.replace(/[^\w@.-]+/g, '_')}.cpuprofile`), JSON.stringify(cpuprofile));
  return {
    ...result,
    requests,
    microsPerRequest: Object.fromEntries(Object.entries(breakdown).map(([k, v]) => [k, v / requests])),
  };
}

/**
 * Bytes allocated per request over `requests` requests (V8's sampling heap profiler, collected
 * objects included), and the sites that allocated most, per request.
 */
async function allocationWindow(requests: number) {
  const { result, bytes, sites } = await sampleAllocations(() => load({ requests }, undefined));
  const per = (n: number) => n / Math.max(1, result.ok);
  return {
    requests: result.ok,
    failed: result.failed,
    bytesPerRequest: per(bytes),
    sites: sites.slice(0, 200).map((s) => ({ site: s.site, bytesPerRequest: per(s.bytes) })),
  };
}

await load({ ms: 1_000 }, undefined); // warm-up: connections, JIT, token
report({ ready: subject });
// Bounded: the parent sends a fixed number of windows, then closes stdin, which ends this loop.
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const [command, ms] = line.split(' ');
  const bounded = Math.min(Number(ms), 60_000);
  if (command === 'run') report(await window(bounded));
  else if (command === 'profile') report(await profiledWindow(bounded));
  else if (command === 'alloc') report(await allocationWindow(Math.min(Number(ms), 100_000)));
}
