import { SharedTokenStore } from '@keyless/core';
import { RedisClientType } from '@redis/client';

/** Options of {@link createRedisTokenStore}. */
interface RedisTokenStoreOptions {
    /**
     * `redis://[[user]:password@]host:6379[/db]` or `rediss://…` for TLS (Azure Cache for Redis:
     * `rediss://:<access key>@<name>.redis.cache.windows.net:6380`). Or pass `client`.
     */
    url?: string | undefined;
    /** A node-redis client you built and own (keyless never closes it). Instead of `url`. */
    client?: RedisClientType<any, any, any, any, any> | undefined;
    /**
     * 32 bytes (a Buffer/Uint8Array, or 64 hex characters, or base64 of 32 bytes): entries are sealed
     * with AES-256-GCM and named with HMAC-SHA256 under it. Every instance of the fleet needs the
     * same key; keep it where you keep secrets.
     */
    encryptionKey: Uint8Array | string;
    /** Prefix of every key keyless writes. Default `keyless:`. */
    keyPrefix?: string | undefined;
    /** Longest a connection attempt may take (ms). Default 1,000. */
    connectTimeoutMs?: number | undefined;
    /** Extra CA certificates (PEM) to trust for a `rediss://` server (a private CA; Azure's need none). */
    ca?: string | undefined;
}
/** A {@link SharedTokenStore} on Redis, with `close()` for the connection it opened. */
interface RedisTokenStore extends SharedTokenStore {
    /**
     * Connects now (at startup, say) rather than on the first token request. Rejects when Redis
     * cannot be reached; keyless works without it all the same.
     */
    connect(): Promise<void>;
    /** Closes the connection this store opened (not a `client` you passed). */
    close(): Promise<void>;
}
/**
 * The shared token cache of `createAuth(strategy, { sharedCache })` on a Redis (or Valkey)
 * server, with the official node-redis client. The connection is opened on first use, never
 * keeps the process alive, and fails fast while Redis is down (no offline queue): keyless then
 * asks the token endpoint itself and tries Redis again later.
 *
 * @example
 * const sharedCache = createRedisTokenStore({ url: process.env.REDIS_URL, encryptionKey: process.env.KEYLESS_CACHE_KEY });
 * const auth = authFromEnv(process.env, { sharedCache });
 */
declare function createRedisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore;

export { type RedisTokenStore, type RedisTokenStoreOptions, createRedisTokenStore };
