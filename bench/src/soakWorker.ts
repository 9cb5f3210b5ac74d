import { Session } from 'node:inspector/promises';
import { createAuth } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { report } from './lib/worker.js';

// Scenario 5: steady load for a bounded time with short-lived tokens from an emulator in another
// process. Counts failures and refreshes, and RSS growth after a forced GC at both ends.
const settings = JSON.parse(process.env.KEYLESS_BENCH_EMULATOR ?? '{}') as {
  openaiEndpoint: string;
  apiKey: string;
  apiVersion: string;
  deployment: string;
  env: Record<string, string>;
};
Object.assign(process.env, settings.env);
const [durationText = '150', rateText = '50', lifetimeText = '60', subject = 'keyless'] = process.argv.slice(2);
// The peer: the same load through plain fetch with a static api-key header (nothing to refresh).
const baseline = subject === 'static-key';
const durationMs = Number(durationText) * 1000;
const rate = Number(rateText);
const lifetimeS = Number(lifetimeText);

const auth = createAuth({ kind: 'managedIdentity' });
let acquired = 0;
let refreshFailures = 0;
auth.on((e) => {
  if (e.type === 'token-acquired') acquired += 1;
  if (e.type === 'refresh-failed') refreshFailures += 1;
});
const azureFetch = createAuthorizedFetch(auth, { origin: settings.openaiEndpoint });
const url = `${settings.openaiEndpoint}/openai/deployments/${settings.deployment}/chat/completions?api-version=${settings.apiVersion}`;
const body = JSON.stringify({ messages: [{ role: 'user', content: 'soak' }] });
const call = async () => {
  const response = baseline
    ? await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': settings.apiKey },
        body,
      })
    : await azureFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  return response.status;
};

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
// Warm-up at the same rate until the heap, the JIT and the connection pool have settled.
const warmUntil = performance.now() + Math.min(10_000, durationMs / 4);
while (performance.now() < warmUntil) {
  await Promise.all(Array.from({ length: 5 }, () => call()));
  await new Promise((resolve) => setTimeout(resolve, 100));
}
gc();
// V8's sampling heap profiler from here on: at the end, what is still live of what was allocated
// during the soak, by the function that allocated it, names any growth.
const inspector = new Session();
inspector.connect();
await inspector.post('HeapProfiler.startSampling', { samplingInterval: 16_384 });
const rssStart = process.memoryUsage().rss;
const heapStart = process.memoryUsage().heapUsed;
let ok = 0;
let failed = 0;
const started = performance.now();
const pending = new Set<Promise<void>>();
const maxRequests = Math.ceil((durationMs / 1000) * rate);
for (let sent = 0; sent < maxRequests && performance.now() - started < durationMs + 5_000; sent++) {
  const p: Promise<void> = call().then(
    (status) => {
      if (status === 200) ok += 1;
      else failed += 1;
    },
    () => {
      failed += 1;
    },
  );
  pending.add(p);
  void p.finally(() => pending.delete(p));
  const next = started + ((sent + 1) * 1000) / rate;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
}
await Promise.all(pending);
const seconds = (performance.now() - started) / 1000;
gc();
const rssEnd = process.memoryUsage().rss;
const heapEnd = process.memoryUsage().heapUsed;
const { profile } = (await inspector.post('HeapProfiler.getSamplingProfile')) as unknown as {
  profile: { head: SampledNode };
};
await inspector.post('HeapProfiler.stopSampling');
inspector.disconnect();
const expectedRefreshes = Math.round(seconds / (lifetimeS / 2));
report({
  seconds,
  ok,
  failed,
  refreshes: acquired - 1,
  expectedRefreshes,
  refreshFailures,
  rssGrowthMb: (rssEnd - rssStart) / 2 ** 20,
  heapGrowthMb: (heapEnd - heapStart) / 2 ** 20,
  retained: topRetained(profile.head, 3),
});

interface SampledNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampledNode[];
}

/** The functions holding the most live sampled bytes at the end, as "name (file) KiB". */
function topRetained(head: SampledNode, count: number): string[] {
  const bySite = new Map<string, number>();
  const visit = (node: SampledNode) => {
    if (node.selfSize > 0) {
      const file = node.callFrame.url.split('/').slice(-2).join('/') || 'native';
      const site = `${node.callFrame.functionName || '(anonymous)'} (${file}:${node.callFrame.lineNumber + 1})`;
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    }
    for (const child of node.children) visit(child);
  };
  visit(head);
  return [...bySite]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([site, bytes]) => `${site} ${(bytes / 1024).toFixed(0)} KiB`);
}
