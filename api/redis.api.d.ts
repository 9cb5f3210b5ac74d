import { KeyObject } from 'node:crypto';
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
interface RedisTokenStore extends SharedTokenStore {
    /**
     * Connects now rather than on the first token request (keyless calls it when the Auth is made,
     * with `keepAlive: false`). Rejects when Redis cannot be reached; keyless works without it all
     * the same. The process is kept alive while it connects unless `keepAlive` is false.
     */
    connect(options?: {
        keepAlive?: boolean | undefined;
    }): Promise<void>;
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
 * const auth = authFromEnv({ sharedCache });
 */
declare function createRedisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore;

export { type RedisTokenStore, type RedisTokenStoreOptions, createRedisTokenStore };
