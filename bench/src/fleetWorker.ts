import { createInterface } from 'node:readline';
import { authFromEnv } from '@keyless/core';
import { createRedisTokenStore } from '@keyless/redis';
import { report } from './lib/worker.js';

// Scenario 6a: one instance of a fleet. It gets ready (its Auth built), waits for "go" on stdin
// so that every instance starts together, then times its first token: from the shared cache (a
// hit, or after waiting for the instance holding the lease) or from the token endpoint.
const [mode = 'alone', url = '', keyHex = '', quick] = process.argv.slice(2);
const store = mode === 'shared' ? createRedisTokenStore({ url, encryptionKey: keyHex }) : undefined;
// The quick run (CI, beside other tests on two cores) checks behaviour: a generous store deadline
// there; the full run measures the default (250 ms).
const deadline = quick === '--quick' ? { timeoutMs: 2_000 } : {};
const auth = authFromEnv(store === undefined ? {} : { sharedCache: { store, ...deadline } });
const outcomes: string[] = [];
auth.on((event) => {
  if (event.type === 'shared-cache') outcomes.push(event.outcome);
});
// Started as a service starts: the connection to Redis is opened at startup, not per request.
await store?.connect().catch(() => undefined);
report({ ready: true });
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line !== 'go') continue;
  const started = performance.now();
  await auth.getToken();
  const ms = performance.now() - started;
  const source = outcomes.includes('hit')
    ? 'hit'
    : outcomes.includes('waited')
      ? 'waited'
      : outcomes.includes('miss')
        ? 'token request (lease)'
        : 'token request';
  report({ ms, source });
  break;
}
lines.close();
await store?.close();
