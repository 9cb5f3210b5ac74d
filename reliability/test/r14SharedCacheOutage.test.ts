import { randomBytes } from 'node:crypto';
import { type AuthEvent, createAuth } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { createRedisTokenStore } from '@keyless/redis';
import { type Emulator, type RedisServer, startEmulator, startRedisServer } from '@keyless/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../src/figures.js';
import { chatVia, msalSecret } from '../src/setup.js';

// Real time: a real Redis killed and restarted while 4 instances call Azure OpenAI.
const RUN_MS = 12_000;
const KILL_AT_MS = 3_000;
const RESTART_AT_MS = 7_000;
const INSTANCES = 4;

describe('R14: the shared cache (Redis) killed under load', () => {
  let emulator: Emulator;
  let redis: RedisServer;
  beforeAll(async () => {
    // 10 s tokens: each instance refreshes every ~5 s, through the shared cache when it can.
    [emulator, redis] = await Promise.all([startEmulator({ tokenLifetimeSeconds: 10 }), startRedisServer()]);
  });
  afterAll(() => Promise.all([emulator.close(), redis.close()]));

  it('fails 0 calls while Redis dies and comes back, and uses it again', { timeout: RUN_MS + 20_000 }, async () => {
    const encryptionKey = randomBytes(32);
    const events: AuthEvent[] = [];
    const stores = Array.from({ length: INSTANCES }, () => createRedisTokenStore({ url: redis.url, encryptionKey }));
    const fleet = stores.map((store) => {
      const auth = createAuth(msalSecret(emulator), { sharedCache: { store, timeoutMs: 100, retryMs: 500 } });
      auth.on((event) => events.push(event));
      return createAuthorizedFetch(auth, { origin: emulator.openaiEndpoint });
    });
    const started = performance.now();
    const phase = () => {
      const t = performance.now() - started;
      return t < KILL_AT_MS ? 'before' : t < RESTART_AT_MS ? 'down' : 'after';
    };
    const timers = [
      setTimeout(() => void redis.kill(), KILL_AT_MS),
      setTimeout(() => void redis.restart(), RESTART_AT_MS),
    ];
    const tally = { calls: 0, failed: 0, duringOutage: 0 };
    const stored = { before: 0, after: 0 };
    events.length = 0;
    try {
      await Promise.all(
        fleet.map(async (api) => {
          while (performance.now() - started < RUN_MS) {
            const at = phase();
            const response = await chatVia(api, emulator);
            await response.arrayBuffer();
            tally.calls += 1;
            if (at === 'down') tally.duringOutage += 1;
            if (response.status !== 200) tally.failed += 1;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }),
      );
    } finally {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(stores.map((store) => store.close()));
    }
    const outcomes = events.flatMap((e) => (e.type === 'shared-cache' ? [e.outcome] : []));
    const unavailable = outcomes.filter((o) => o === 'unavailable').length;
    const lastUnavailable = outcomes.lastIndexOf('unavailable');
    stored.after = outcomes
      .slice(lastUnavailable + 1)
      .filter((o) => o === 'stored' || o === 'hit' || o === 'waited').length;
    expect(tally.failed).toBe(0);
    expect(unavailable).toBeGreaterThan(0);
    expect(stored.after).toBeGreaterThan(0);
    recordFigure({
      id: 'R14',
      check: `${INSTANCES} instances sharing a Redis token cache, 10 s tokens, a call every 50 ms each for ${RUN_MS / 1000} s; Redis killed (SIGKILL) at ${KILL_AT_MS / 1000} s and restarted empty at ${RESTART_AT_MS / 1000} s (real time)`,
      measured: `${tally.calls} calls (${tally.duringOutage} while Redis was down), ${tally.failed} failed; ${unavailable} store skips reported (shared-cache unavailable, each call bounded at 100 ms); ${emulator.counters.tokenRequests.entra} token requests in all; after the restart the store was used again (${stored.after} hits or writes)`,
    });
  });
});
