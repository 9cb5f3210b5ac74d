import { createSecretKey, KeyObject } from 'node:crypto';
import { KeylessError, type SharedTokenStore } from '@keyless/core';
import { createClient, type RedisClientType } from '@redis/client';

/** The commands keyless sends, as node-redis's client has them (any modules, RESP 2 or 3). */
interface RedisClient {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { PX: number }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
  unref(): void;
}

/** Options of {@link createRedisTokenStore}. */
export interface RedisTokenStoreOptions {
  /**
   * `redis://[[user]:password@]host:6379[/db]` or `rediss://…` for TLS (Azure Cache for Redis:
   * `rediss://:<access key>@<name>.redis.cache.windows.net:6380`). Or pass `client`.
   */
  url?: string | undefined;
  /** A node-redis client you built and own (keyless never closes it). Instead of `url`. */
  // biome-ignore lint/suspicious/noExplicitAny: any client, whatever its modules, scripts and RESP version.
  client?: RedisClientType<any, any, any, any, any> | undefined;
  /**
   * 32 bytes (a secret KeyObject, a Buffer/Uint8Array, 64 hex characters or base64 of 32 bytes):
   * keyless derives from it one key that seals entries (AES-256-GCM) and one that names them
   * (HMAC-SHA256). Every instance of the fleet needs the same secret, and each application its
   * own; keep it where you keep secrets. It is held as a KeyObject, never printed.
   */
  encryptionKey: KeyObject | Uint8Array | string;
  /** Prefix of every key keyless writes. Default `keyless:`. */
  keyPrefix?: string | undefined;
  /** Longest a connection attempt may take (ms). Default 5,000 (TLS across a network, a busy machine). */
  connectTimeoutMs?: number | undefined;
  /** Extra CA certificates (PEM) to trust for a `rediss://` server (a private CA; Azure's need none). */
  ca?: string | undefined;
  /**
   * `true` lets a plain `redis://` URL name a host other than loopback: say so only when the
   * network between the fleet and Redis is private (a sidecar, a pod network), since the password
   * and every command travel in clear. Default: `redis://` is for localhost only; use `rediss://`.
   */
  privateNetwork?: boolean | undefined;
}

/** A {@link SharedTokenStore} on Redis, with `close()` for the connection it opened. */
export interface RedisTokenStore extends SharedTokenStore {
  /**
   * Connects now rather than on the first token request (keyless calls it when the Auth is made,
   * with `keepAlive: false`). Rejects when Redis cannot be reached; keyless works without it all
   * the same. The process is kept alive while it connects unless `keepAlive` is false.
   */
  connect(options?: { keepAlive?: boolean | undefined }): Promise<void>;
  /** Closes the connection this store opened (not a `client` you passed). */
  close(): Promise<void>;
}

// Compare-and-delete in one step: a 401's invalidate() must not remove a newer token, nor an
// instance release another's lease.
const DELETE_IF_EQUALS =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
// Take the lease if free, or renew it if this holder has it already (its earlier answer came too late).
const ACQUIRE_LEASE = `local held = redis.call('GET', KEYS[1])
if held == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if held then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/**
 * The shared token cache of `createAuth(strategy, { sharedCache })` on a Redis (or Valkey)
 * server, with the official node-redis client. The connection is opened on first use, never
 * keeps the process alive, and fails fast while Redis is down (no offline queue): keyless then
 * asks the token endpoint itself and tries Redis again later.
 *
 * @example
 * const sharedCache = createRedisTokenStore({ url: process.env.REDIS_URL, encryptionKey: process.env.KEYLESS_CACHE_KEY });
 * const auth = authFromEnv({ sharedCache });
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore {
  const encryptionKey = secretKey(options.encryptionKey);
  const prefix = options.keyPrefix ?? 'keyless:';
  if (typeof prefix !== 'string') throw configError('keyPrefix must be a string such as "keyless:".');
  const owned = options.client === undefined;
  if (owned && (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url))) {
    throw configError(
      'url must be a redis:// or rediss:// URL (e.g. redis://localhost:6379, or rediss://:<access key>@<name>.redis.cache.windows.net:6380 for Azure Cache for Redis), or pass client.',
    );
  }
  if (owned && options.privateNetwork !== true) requireTlsOffLoopback(options.url as string);
  const description = owned ? describeUrl(options.url ?? '') : 'a node-redis client';
  let client = options.client as RedisClient | undefined;
  // The process is kept alive only while someone waits on the store (a command in flight, or an
  // awaited connect), by a timer of the store's own: an idle cache must not hold a finished
  // process open, and a pending command must not be dropped by an exit. The socket itself is
  // always unref'd (node-redis cannot ref a socket that is still connecting).
  let waiting = 0;
  let keepingAlive: ReturnType<typeof setInterval> | undefined;
  const held = async <T>(work: () => Promise<T>): Promise<T> => {
    if (waiting++ === 0) keepingAlive = setInterval(() => {}, 60_000);
    try {
      return await work();
    } finally {
      if (--waiting === 0) clearInterval(keepingAlive);
    }
  };
  const run = <T>(command: (redis: RedisClient) => Promise<T>): Promise<T> =>
    held(async () => command(await connected()));
  let connecting: Promise<RedisClient> | undefined;
  const connected = (): Promise<RedisClient> => {
    if (client?.isReady) return Promise.resolve(client);
    if (!owned) return Promise.resolve(client as RedisClient);
    // A connection that dropped reconnects by itself: fail fast meanwhile (disableOfflineQueue).
    if (client?.isOpen === true && connecting === undefined) return Promise.resolve(client);
    connecting ??= (async () => {
      const created = createClient({
        url: options.url as string,
        // Fail fast while disconnected: keyless bounds each call and falls back to the endpoint.
        disableOfflineQueue: true,
        socket: {
          ...(options.ca === undefined ? {} : { tls: true as const, ca: options.ca }),
          connectTimeout: options.connectTimeoutMs ?? 5_000,
          reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
        },
      });
      // Without a listener an 'error' event would crash the process; keyless reports failures itself.
      created.on('error', () => {});
      client = created as unknown as RedisClient;
      created.unref();
      try {
        await created.connect();
      } catch (error) {
        // Never connected: drop this client (no retries left behind); the next call makes a new one.
        if (client === (created as unknown as RedisClient)) client = undefined;
        created.destroy();
        throw error;
      }
      return created as unknown as RedisClient;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };
  return {
    description,
    encryptionKey,
    async get(key) {
      const value = await run((redis) => redis.get(prefix + key));
      return typeof value === 'string' ? value : undefined;
    },
    async set(key, value, ttlMs) {
      await run((redis) => redis.set(prefix + key, value, { PX: Math.max(1, Math.ceil(ttlMs)) }));
    },
    async acquireLease(key, holder, ttlMs) {
      const reply = await run((redis) =>
        redis.eval(ACQUIRE_LEASE, { keys: [prefix + key], arguments: [holder, String(Math.max(1, Math.ceil(ttlMs)))] }),
      );
      return reply === 1;
    },
    async deleteIfEquals(key, value) {
      const reply = await run((redis) => redis.eval(DELETE_IF_EQUALS, { keys: [prefix + key], arguments: [value] }));
      return reply === 1;
    },
    async connect(connectOptions) {
      if (connectOptions?.keepAlive === false) await connected();
      else await held(connected);
    },
    async close() {
      if (owned && client !== undefined) {
        const closing = client;
        client = undefined;
        // A client that is not connected (Redis down, a wrong password) may be retrying: stop it.
        if (!closing.isReady) closing.destroy();
        else await closing.close().catch(() => closing.destroy());
      }
    },
  };
}

/**
 * The secret as a KeyObject: its bytes are not an enumerable property anywhere, so
 * `inspect(store)` and `JSON.stringify(store)` never show them. The caller's Buffer is not kept.
 */
function secretKey(key: KeyObject | Uint8Array | string | undefined): KeyObject {
  if (key instanceof KeyObject) {
    if (key.type === 'secret' && key.symmetricKeySize === 32) return key;
  } else if (key instanceof Uint8Array) {
    if (key.length === 32) return createSecretKey(Buffer.from(key));
  } else if (typeof key === 'string') {
    const trimmed = key.trim();
    const bytes = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
    if (bytes.length === 32) {
      const secret = createSecretKey(bytes);
      bytes.fill(0);
      return secret;
    }
  }
  throw configError(
    'encryptionKey must be 32 bytes: a secret KeyObject, a Buffer, 64 hex characters or base64 of 32 bytes. Make one with `openssl rand -base64 32` and give every instance the same.',
  );
}

/** A plain redis:// URL may name only a loopback host: anywhere else the password goes in clear. */
function requireTlsOffLoopback(url: string): void {
  if (!url.startsWith('redis://')) return;
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    throw configError('url is not a URL. Use redis://localhost:6379, or rediss://<host>:6380 for TLS.');
  }
  const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  if (!loopback) {
    throw configError(
      `url is redis:// to ${host}, so the password and every command would cross the network in clear. Use rediss:// (TLS; Azure Cache for Redis listens on 6380), or pass privateNetwork: true if the network to Redis is private.`,
    );
  }
}

/** The URL without its password, for messages. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.username = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'redis';
  }
}

function configError(text: string): KeylessError {
  return new KeylessError('CONFIG_INVALID', `createRedisTokenStore: ${text}`);
}
