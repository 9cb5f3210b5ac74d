import { createInterface } from 'node:readline';
import { type Auth, authFromEnv } from '@keyless/core';
import { createRedisTokenStore, type RedisTokenStore } from '@keyless/redis';
import { report } from './lib/worker.js';

// Scenario 6a: one instance of a fleet. It gets ready, waits for "go" on stdin so that every
// instance starts together, then times its first token: from the shared cache (a hit, or after
// waiting for the instance holding the lease) or from the token endpoint.
//   alone     no shared cache
//   shared    the Auth built and the Redis connection open before "go" (a warm service)
//   starting  the store and the Auth built at "go", the first token asked for at once: a process
//             that starts and serves its first request, its Redis connection still opening
const [mode = 'alone', url = '', keyHex = '', quick] = process.argv.slice(2);
// The quick run (CI, beside other tests on two cores) checks behaviour: a generous store deadline
// there; the full run measures the defaults (250 ms a call, 5 s to connect).
const deadline = quick === '--quick' ? { timeoutMs: 2_000 } : {};
const outcomes: string[] = [];

function build(): { auth: Auth; store: RedisTokenStore | undefined } {
  const store = mode === 'alone' ? undefined : createRedisTokenStore({ url, encryptionKey: keyHex });
  const auth = authFromEnv(store === undefined ? {} : { sharedCache: { store, ...deadline } });
  auth.on((event) => {
    if (event.type === 'shared-cache') outcomes.push(event.outcome);
  });
  return { auth, store };
}

let built = mode === 'starting' ? undefined : build();
if (mode === 'shared') await built?.store?.connect();
report({ ready: true });
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line !== 'go') continue;
  const started = performance.now();
  built ??= build();
  await built.auth.getToken();
  const ms = performance.now() - started;
  const source = outcomes.includes('hit')
    ? 'hit'
    : outcomes.includes('waited')
      ? 'waited'
      : outcomes.includes('miss')
        ? 'token request (lease)'
        : outcomes.includes('unavailable')
          ? 'token request (store skipped)'
          : 'token request';
  report({ ms, source, outcomes });
  break;
}
lines.close();
await built?.store?.close();
