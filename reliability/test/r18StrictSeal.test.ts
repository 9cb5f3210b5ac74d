import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { type Auth, type AuthEvent, createAuth } from '@keyless/core';
import { createRedisTokenStore, type RedisTokenStore } from '@keyless/redis';
import { type Emulator, type RedisServer, startEmulator, startRedisServer } from '@keyless/testing';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../src/figures.js';
import { msalSecret } from '../src/setup.js';

// What a writer of the shared Redis (another tenant's process, a compromised sidecar) can do to
// the entries: cut the tag, swap IVs, move an entry under another name. Each must read as a miss.
describe('R18: the shared cache seal, against forged entries in a real Redis', () => {
  let emulator: Emulator;
  let redis: RedisServer;
  let raw: ReturnType<typeof createClient>;
  const secret = randomBytes(32);
  const stores: RedisTokenStore[] = [];
  beforeAll(async () => {
    [emulator, redis] = await Promise.all([startEmulator(), startRedisServer()]);
    raw = createClient({ url: redis.url });
    raw.on('error', () => {});
    await raw.connect();
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await raw.close();
    await Promise.all([emulator.close(), redis.close()]);
  });

  /** A fleet member: its own Auth over the shared store, with its events; `scope` names the entry. */
  function member(scope?: string): { auth: Auth; events: AuthEvent[] } {
    const sharedCache = createRedisTokenStore({ url: redis.url, encryptionKey: secret });
    stores.push(sharedCache);
    const auth = createAuth(msalSecret(emulator), { sharedCache: { store: sharedCache, timeoutMs: 2_000 }, scope });
    const events: AuthEvent[] = [];
    auth.on((event) => events.push(event));
    return { auth, events };
  }
  const entryNames = async () => (await raw.keys('keyless:*')).filter((name) => !name.endsWith(':lease')).sort();

  it('reads a cut tag, a swapped IV and a moved entry as misses, each with an event', async () => {
    const first = member();
    const token = await first.auth.getToken();
    const [name] = await entryNames();
    const sealed = String(await raw.get(String(name)));
    const [version, iv, body, tag] = sealed.split('.') as [string, string, string, string];
    const other = member('api://another-resource/.default');
    await other.auth.getToken();
    const otherName = (await entryNames()).find((n) => n !== name) as string;
    const otherSealed = String(await raw.get(otherName));
    const cut = (bytes: number) => Buffer.from(tag, 'base64url').subarray(0, bytes).toString('base64url');
    const forgeries: Record<string, string> = {
      'tag cut to 12 bytes': [version, iv, body, cut(12)].join('.'),
      'tag cut to 8 bytes': [version, iv, body, cut(8)].join('.'),
      'tag cut to 4 bytes': [version, iv, body, cut(4)].join('.'),
      "another entry's IV": [version, otherSealed.split('.')[1], body, tag].join('.'),
      'the entry of another identity moved under this name': otherSealed,
    };
    const outcomes: string[] = [];
    for (const [forgery, value] of Object.entries(forgeries)) {
      await raw.set(String(name), value);
      const reader = member();
      const got = await reader.auth.getToken();
      expect(got, forgery).not.toBe(token);
      const seen = reader.events.flatMap((e) => (e.type === 'shared-cache' ? [e.outcome] : []));
      expect(seen, forgery).toEqual(['unreadable', 'miss', 'stored']);
      outcomes.push(`${forgery}: ${seen[0]}`);
    }
    // The untouched entry does open (the check can pass): a member reads it without a token request.
    await raw.set(String(name), sealed);
    const before = emulator.counters.tokenRequests.entra;
    expect(await member().auth.getToken()).toBe(token);
    expect(emulator.counters.tokenRequests.entra).toBe(before);
    recordFigure({
      id: 'R18',
      check: 'forged entries in a real Redis 7 (cut tags, a swapped IV, an entry moved under another name)',
      measured: `${outcomes.length} of ${Object.keys(forgeries).length} forgeries read as a miss with an "unreadable" event, none served (${outcomes.join('; ')}); the untouched entry served with 0 token requests`,
    });
  });

  it('prints no byte of the key in inspect or JSON of the store or of an Auth using it', () => {
    const { auth } = member();
    const [store] = stores;
    const printed = [
      inspect(store, { depth: null, showHidden: true }),
      inspect({ sharedCache: store }, { depth: null }),
      inspect(auth, { depth: null, showHidden: true }),
      JSON.stringify(store),
    ].join('\n');
    const forms = [
      secret.toString('hex'),
      secret.toString('base64'),
      secret.toString('base64url'),
      [...secret].map((b) => b.toString(16).padStart(2, '0')).join(' '),
    ];
    const found = forms.filter((form) => printed.includes(form.slice(0, 12)));
    expect(printed).toContain('redis://127.0.0.1'); // the store was printed
    expect(found).toEqual([]);
    recordFigure({
      id: 'R18',
      check: 'the encryption key in inspect()/JSON.stringify of the store and of an Auth with sharedCache',
      measured: `${printed.length} characters printed (the store's description among them); ${found.length} of 4 encodings of the key (hex, base64, base64url, inspect's byte list) found`,
    });
  });
});
