import { authFromEnv } from '@keyless/core';
import { createRedisTokenStore } from '@keyless/redis';
import { report } from './lib/worker.js';

// Scenario 6b: a multi-tenant service, one Auth per customer (here one per scope: the emulator
// has one tenant, so distinct scopes stand for distinct tenants' cache entries), all with the
// shared cache. Reports the heap each Auth holds with its token, and how long getting them took.
const [countText = '1000', url = '', keyHex = '', quick] = process.argv.slice(2);
// As in fleetWorker: a generous store deadline in the quick (CI) run, the default in the full one.
const deadline = quick === '--quick' ? { timeoutMs: 2_000 } : {};
const count = Number(countText);
const store = createRedisTokenStore({ url, encryptionKey: keyHex });
await store.connect();
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
gc();
const before = process.memoryUsage().heapUsed;
const started = performance.now();
const auths = Array.from({ length: count }, (_, i) =>
  authFromEnv({ sharedCache: { store, ...deadline }, scope: `api://tenant-${i}/.default` }),
);
let next = 0;
await Promise.all(
  Array.from({ length: 64 }, async () => {
    while (next < auths.length) {
      const auth = auths[next];
      next += 1;
      await auth?.getToken();
    }
  }),
);
const ms = performance.now() - started;
gc();
const bytesPerAuth = (process.memoryUsage().heapUsed - before) / count;
report({ count, ms, bytesPerAuth, held: auths.length });
await store.close();
