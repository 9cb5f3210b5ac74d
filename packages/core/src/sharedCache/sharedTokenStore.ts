/**
 * A store many processes share (Redis, in `@keyless/redis`), seen by keyless as opaque values:
 * keyless seals every entry (AES-256-GCM, with the store's `encryptionKey`) before it leaves the
 * process and names entries by an HMAC, so a store never holds a token or an id in clear.
 * Every call is bounded by keyless (`sharedCacheTimeoutMs`); a store should fail fast when it is
 * down rather than queue.
 */
export interface SharedTokenStore {
  /** For messages and events, e.g. `redis://cache:6379`. Never holds a password. */
  readonly description: string;
  /** The 32-byte key entries are sealed with (AES-256-GCM) and named with (HMAC-SHA256). */
  readonly encryptionKey: Uint8Array;
  /** The value under `key`, or undefined. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets `key` to `holder` for `ttlMs` only if it is absent (Redis `SET NX PX`). True: this caller holds it. */
  acquireLease(key: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Deletes `key` only if it still holds `value` (compare-and-delete). True: it was deleted. */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
}
