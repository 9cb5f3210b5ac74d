import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { type Auth, type AuthEvent, createAuth, decodeJwtClaims, type SharedTokenStore } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/core/adapter';
import { createRedisTokenStore, type RedisTokenStore } from '@keyless/redis';
import { type Emulator, type RedisServer, startEmulator, startRedisServer, startTcpRelay } from '@keyless/testing';
import { createClient } from '@redis/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { strategyFor } from './strategyFor.js';

/**
 * `@keyless/redis` against a real redis-server and the emulator, with the real msal-node: a fleet
 * of instances (each its own Auth) sharing one encrypted cache; what Redis holds; tampered and
 * foreign entries; a revoked token; Redis down, paused, back; the strategies it refuses.
 */
export function describeSharedTokenCache(): void {
  describe('@keyless/redis: a shared token cache for a fleet', () => {
    let emulator: Emulator;
    let redis: RedisServer;
    let raw: ReturnType<typeof createClient>;
    const key = randomBytes(32);
    const stores: RedisTokenStore[] = [];

    beforeAll(async () => {
      [emulator, redis] = await Promise.all([startEmulator(), startRedisServer()]);
      raw = createClient({ url: redis.url });
      raw.on('error', () => {});
      await raw.connect();
    });
    afterAll(async () => {
      await raw.close().catch(() => undefined);
      await Promise.all([emulator.close(), redis.close()]);
    });
    beforeEach(async () => {
      await raw.flushAll();
      emulator.resetCounters();
    });
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
    });

    const store = (encryptionKey: Uint8Array = key, url = redis.url) => {
      const created = createRedisTokenStore({ url, encryptionKey });
      stores.push(created);
      return created;
    };

    /** One instance of the fleet: its own Auth (its own process-level cache), the shared store. */
    function instance(
      shared: SharedTokenStore = store(),
      extra: { timeoutMs?: number; waitMs?: number } = {},
    ): { auth: Auth; events: AuthEvent[] } {
      const auth = createAuth(
        strategyFor('msalSecret', emulator),
        // A generous store deadline by default: two compatibility cells share two cores, and a
        // first call also connects. The tests about the deadline set their own.
        { sharedCache: { store: shared, retryMs: 200, timeoutMs: 2_000, ...extra } },
      );
      const events: AuthEvent[] = [];
      auth.on((event) => events.push(event));
      return { auth, events };
    }
    const outcomes = (events: AuthEvent[]) => events.flatMap((e) => (e.type === 'shared-cache' ? [e.outcome] : []));

    async function everything(): Promise<string> {
      const keys = await raw.keys('*');
      const values = await Promise.all(keys.map((k) => raw.get(k)));
      return `${keys.join('\n')}\n${values.join('\n')}`;
    }

    it('serves a second instance from Redis: 1 token request for 2 cold instances', async () => {
      const first = instance();
      const second = instance();
      const token = await first.auth.getToken();
      expect(await second.auth.getToken()).toBe(token);
      expect(emulator.counters.tokenRequests.entra).toBe(1);
      expect(outcomes(first.events)).toEqual(['miss', 'stored']);
      expect(outcomes(second.events)).toEqual(['hit']);
    });

    it('makes one token request for 16 instances starting together (a lease, the others wait)', async () => {
      const fleet = Array.from({ length: 16 }, () => instance());
      const tokens = await Promise.all(fleet.map((member) => member.auth.getToken()));
      expect(new Set(tokens).size).toBe(1);
      expect(emulator.counters.tokenRequests.entra).toBe(1);
      expect(fleet.flatMap((member) => outcomes(member.events)).filter((o) => o === 'waited')).toHaveLength(15);
    });

    it('stores no token, secret or readable id: every key and value in Redis is sealed', async () => {
      const token = await instance().auth.getToken();
      // The token and its lease were written (so the absences below say something).
      expect((await raw.keys('*')).length).toBeGreaterThan(0);
      const stored = await everything();
      for (const secret of [
        token,
        token.split('.')[1] ?? '',
        emulator.client.clientSecret,
        emulator.client.clientId,
        emulator.tenantId,
      ]) {
        expect(stored).not.toContain(secret);
      }
      expect(stored).toMatch(/^keyless:[\w-]{43}\n/);
    });

    it('reads an entry that fails authentication (tampered, or sealed with another key) as a miss, with an event', async () => {
      const first = instance();
      await first.auth.getToken();
      const [name] = (await raw.keys('keyless:*')).filter((k) => !k.endsWith(':lease'));
      const sealed = String(await raw.get(String(name)));
      // One character of the authentication tag changed (always to a different one).
      const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.slice(-1)}`;
      await raw.set(String(name), flipped);
      const second = instance();
      expect(await second.auth.getToken()).toMatch(/^eyJ/);
      expect(outcomes(second.events)).toEqual(['unreadable', 'miss', 'stored']);
      expect(emulator.counters.tokenRequests.entra).toBe(2);
      // A fleet member with another key does not even find the entry (names are keyed too).
      const stranger = instance(store(randomBytes(32)));
      await stranger.auth.getToken();
      expect(outcomes(stranger.events)).toEqual(['miss', 'stored']);
    });

    it('reads an entry whose tag was cut short (12, 8, 4 bytes) as a miss, with an event', async () => {
      const first = instance();
      const token = await first.auth.getToken();
      const [name] = (await raw.keys('keyless:*')).filter((k) => !k.endsWith(':lease'));
      const sealed = String(await raw.get(String(name)));
      const [version, iv, body, tag] = sealed.split('.') as [string, string, string, string];
      for (const bytes of [12, 8, 4]) {
        const cut = Buffer.from(tag, 'base64url').subarray(0, bytes).toString('base64url');
        await raw.set(String(name), [version, iv, body, cut].join('.'));
        const reader = instance();
        // A token it asked for itself, never one read from the forged entry.
        expect(await reader.auth.getToken()).not.toBe(token);
        expect(outcomes(reader.events)).toEqual(['unreadable', 'miss', 'stored']);
        await raw.set(String(name), sealed);
      }
      expect(emulator.counters.tokenRequests.entra).toBe(4);
    });

    it('never prints the encryption key: not in inspect or JSON of the store or of an Auth using it', () => {
      const secret = randomBytes(32);
      const sharedCache = store(secret);
      const { auth } = instance(sharedCache);
      const shown = [
        inspect(sharedCache, { depth: null, showHidden: true }),
        inspect({ sharedCache }, { depth: null }),
        inspect(auth, { depth: null, showHidden: true }),
        JSON.stringify(sharedCache),
        JSON.stringify({ auth }),
      ].join('\n');
      expect(shown).toContain(redis.url.replace(/^redis:\/\//, '').split('/')[0]); // the store was printed
      for (const encoding of ['hex', 'base64', 'base64url'] as const) {
        expect(shown).not.toContain(secret.toString(encoding).slice(0, 12));
      }
      // inspect's own form of a Buffer: `<Buffer 3a 4f …>`.
      expect(shown).not.toContain([...secret.subarray(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join(' '));
    });

    it('refuses redis:// to a host that is not loopback, unless told the network is private', () => {
      const encryptionKey = randomBytes(32);
      expect(() => createRedisTokenStore({ url: 'redis://:pw@cache.internal:6379', encryptionKey })).toThrow(
        /redis:\/\/ to cache\.internal.*rediss:\/\/.*privateNetwork: true/,
      );
      const sidecar = createRedisTokenStore({
        url: 'redis://cache.internal:6379',
        encryptionKey,
        privateNetwork: true,
      });
      expect(sidecar.description).toBe('redis://cache.internal:6379');
      expect(createRedisTokenStore({ url: 'redis://localhost:6379', encryptionKey }).description).toBe(
        'redis://localhost:6379',
      );
      expect(createRedisTokenStore({ url: 'rediss://cache.example:6380', encryptionKey }).description).toBe(
        'rediss://cache.example:6380',
      );
    });

    it('removes a revoked token from Redis after a 401, and only that token', async () => {
      const first = instance();
      const api = createAuthorizedFetch(first.auth, { origin: emulator.openaiEndpoint });
      const chat = () =>
        api(
          `${emulator.openaiEndpoint}/openai/deployments/${emulator.deployments.chat}/chat/completions?api-version=${emulator.apiVersion}`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"messages":[{"role":"user","content":"hi"}]}',
          },
        );
      expect((await chat()).status).toBe(200);
      const revoked = await first.auth.getToken();
      emulator.revokeTokens();
      expect((await chat()).status).toBe(200);
      expect(outcomes(first.events)).toContain('removed');
      const second = instance();
      const shared = await second.auth.getToken();
      expect(shared).not.toBe(revoked);
      expect(decodeJwtClaims(shared)?.jti).not.toBe(decodeJwtClaims(revoked)?.jti);
    });

    it('never fails a call while Redis is down, skips it with an event, and uses it again once it is back', async () => {
      const member = instance(store(), { timeoutMs: 200 });
      await member.auth.getToken();
      await redis.kill();
      const down = instance(store(), { timeoutMs: 200 });
      expect(await down.auth.getToken()).toMatch(/^eyJ/);
      expect(outcomes(down.events)).toContain('unavailable');
      await redis.restart();
      await new Promise((resolve) => setTimeout(resolve, 300)); // the 200 ms retry delay
      const back = down.auth;
      back.invalidate(await back.getToken());
      await back.getToken();
      expect(outcomes(down.events).at(-1)).toBe('stored');
    });

    it('bounds a store call on a Redis that stops answering (CLIENT PAUSE), and falls back', async () => {
      const connected = store();
      await connected.connect();
      const member = instance(connected, { timeoutMs: 100, waitMs: 400 });
      await raw.sendCommand(['CLIENT', 'PAUSE', '1500', 'ALL']);
      expect(await member.auth.getToken()).toMatch(/^eyJ/);
      const skipped = member.events.find((e) => e.type === 'shared-cache' && e.outcome === 'unavailable');
      // Every call ended by the store deadline for the whole wait (the pause lasts 1.5 s), and said so.
      expect(skipped).toMatchObject({ message: expect.stringContaining('did not answer within 100 ms') });
      expect(emulator.counters.tokenRequests.entra).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1_600)); // the pause ends by itself
    });

    it('waits out a Redis slower than the store deadline instead of skipping it: still 1 token request for 8', async () => {
      const connected = Array.from({ length: 8 }, () => store());
      await Promise.all(connected.map((opened) => opened.connect()));
      const fleet = connected.map((opened) => instance(opened, { timeoutMs: 100 }));
      // Every answer takes 300 ms, three store deadlines: slow, not down.
      await raw.sendCommand(['CLIENT', 'PAUSE', '300', 'ALL']);
      await Promise.all(fleet.map((member) => member.auth.getToken()));
      expect(emulator.counters.tokenRequests.entra).toBe(1);
      const all = fleet.flatMap((member) => outcomes(member.events));
      expect(all).not.toContain('unavailable');
      expect(all.filter((outcome) => outcome === 'miss')).toHaveLength(1);
      expect(all.filter((outcome) => outcome === 'waited' || outcome === 'hit')).toHaveLength(7);
    });

    it('reads again after taking the lease: a token stored (and its lease let go) since its read is used, not asked for again', async () => {
      // The race a busy machine opens: the second instance reads (a miss), then the first stores its
      // token and lets the lease go, then the second takes the free lease. Held here, not left to timing.
      const first = instance();
      const redisStore = store();
      let secondMissed = () => {};
      const missed = new Promise<void>((resolve) => {
        secondMissed = resolve;
      });
      let firstShared = () => {};
      const shared = new Promise<void>((resolve) => {
        firstShared = resolve;
      });
      const late: SharedTokenStore = {
        ...redisStore,
        async get(entryKey) {
          const value = await redisStore.get(entryKey);
          if (value === undefined) secondMissed();
          return value;
        },
        async acquireLease(...lease) {
          await shared;
          return redisStore.acquireLease(...lease);
        },
      };
      const second = instance(late);
      const secondToken = second.auth.getToken();
      await missed;
      const token = await first.auth.getToken();
      expect(outcomes(first.events)).toEqual(['miss', 'stored']);
      expect(await raw.keys('*')).toHaveLength(1); // the token; its lease was let go
      firstShared();
      expect(await secondToken).toBe(token);
      expect(emulator.counters.tokenRequests.entra).toBe(1);
      expect(outcomes(second.events)).toEqual(['hit']);
    });

    it('makes 1 token request for 16 instances starting together when the connection takes 300 ms to open', async () => {
      // A relay that holds every new connection 300 ms, as TLS to a Redis across a network does:
      // more than the store deadline (250 ms), less than the connect deadline (5 s).
      const relay = await startTcpRelay({ targetPort: redis.port, connectDelayMs: 300 });
      try {
        const fleet = Array.from({ length: 16 }, () =>
          instance(store(key, `redis://127.0.0.1:${relay.port}`), { timeoutMs: 250 }),
        );
        const tokens = await Promise.all(fleet.map((member) => member.auth.getToken()));
        expect(new Set(tokens).size).toBe(1);
        expect(emulator.counters.tokenRequests.entra).toBe(1);
        expect(relay.connections).toBe(16);
        const all = fleet.flatMap((member) => outcomes(member.events));
        expect(all).not.toContain('unavailable');
        expect(all.filter((outcome) => outcome === 'stored')).toHaveLength(1);
      } finally {
        await Promise.all(stores.splice(0).map((opened) => opened.close()));
        await relay.close();
      }
    });

    it('works over TLS with a password (rediss://, as Azure Cache for Redis with its access key), never showing it', async () => {
      const password = `access-key-${randomBytes(12).toString('hex')}`;
      const secure = await startRedisServer({ tls: true, password });
      const tlsStore = (url = secure.url) => {
        const created = createRedisTokenStore({ url, encryptionKey: key, ca: secure.ca });
        stores.push(created);
        return created;
      };
      try {
        const first = instance(tlsStore());
        const second = instance(tlsStore());
        const token = await first.auth.getToken();
        expect(await second.auth.getToken()).toBe(token);
        expect(outcomes(first.events)).toEqual(['miss', 'stored']);
        expect(outcomes(second.events)).toEqual(['hit']);
        expect(tlsStore().description).not.toContain(password);
        // A wrong access key: the store is skipped, the call still succeeds, the key is not shown.
        const wrong = instance(tlsStore(secure.url.replace(password, 'wrong-key')));
        expect(await wrong.auth.getToken()).toMatch(/^eyJ/);
        expect(outcomes(wrong.events)).toContain('unavailable');
        expect(JSON.stringify(wrong.events)).not.toContain('wrong-key');
      } finally {
        await Promise.all(stores.splice(0).map((store) => store.close()));
        await secure.close();
      }
    });

    it("leaves nothing that keeps a finished process alive (the Redis connection is unref'd)", async () => {
      const script = `
      const core = await import(${JSON.stringify(import.meta.resolve('@keyless/core'))});
      const { createRedisTokenStore } = await import(${JSON.stringify(import.meta.resolve('@keyless/redis'))});
      const sharedCache = createRedisTokenStore({ url: process.env.URL, encryptionKey: process.env.KEY });
      const auth = core.createAuth(JSON.parse(process.env.STRATEGY), { sharedCache });
      // The Auth opened the connection already (not holding the process); awaiting it does hold it.
      await sharedCache.connect();
      console.log('connected');
      await auth.getToken();
      console.log('token acquired');`;
      const strategy = strategyFor('msalSecret', emulator);
      const output = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          // The runtime running this suite (Node, Bun or Deno), evaluating an ES module.
          'Deno' in globalThis ? ['eval', script] : ['--input-type=module', '-e', script],
          {
            env: {
              PATH: process.env.PATH ?? '',
              URL: redis.url,
              KEY: key.toString('hex'),
              STRATEGY: JSON.stringify(strategy),
            },
            timeout: 20_000,
          },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
        );
      });
      expect(output).toContain('connected\ntoken acquired');
    });

    it('refuses a shared cache for managed identity, naming Microsoft guidance', () => {
      process.env.IDENTITY_ENDPOINT = emulator.managedIdentity.endpoint;
      process.env.IDENTITY_HEADER = emulator.managedIdentity.header;
      expect(() => createAuth({ kind: 'managedIdentity' }, { sharedCache: store() })).toThrow(
        /sharedCache.*managed identity/i,
      );
      expect(() => createAuth({ kind: 'default' }, { sharedCache: store() })).toThrow(/CONFIG_INVALID|sharedCache/);
    });

    it('refuses an encryption key that is not 32 bytes, saying how to make one', () => {
      expect(() => createRedisTokenStore({ url: redis.url, encryptionKey: 'short' })).toThrow(
        /openssl rand -base64 32/,
      );
    });
  });
}
