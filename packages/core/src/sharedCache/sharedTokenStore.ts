import type { KeyObject } from 'node:crypto';

/**
 * A store many processes share (Redis, in `@keyless/redis`), seen by keyless as opaque values:
 * keyless seals every entry (AES-256-GCM, with the store's `encryptionKey`) before it leaves the
 * process and names entries by an HMAC, so a store never holds a token or an id in clear.
 * Every call is bounded by keyless (`sharedCache.timeoutMs`, and `sharedCache.connectTimeoutMs`
 * while the connection opens); a store should fail fast when it is down rather than queue.
 */
export interface SharedTokenStore {
  /** For messages and events, e.g. `redis://cache:6379`. Never holds a password. */
  readonly description: string;
  /**
   * The fleet's 32-byte secret: keyless derives from it (HKDF-SHA256) one key that seals entries
   * (AES-256-GCM, 16-byte tag) and another that names them (HMAC-SHA256). Hold it as a secret
   * `KeyObject` (`createSecretKey(bytes)`), which `inspect` and `JSON.stringify` never print; raw
   * bytes are accepted too. One secret per application: two applications sharing a Redis must
   * not share a secret.
   */
  readonly encryptionKey: KeyObject | Uint8Array;
  /** The value under `key`, or undefined. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Sets `key` to `holder` for `ttlMs` if it is absent, or already `holder`'s (then only its time
   * is renewed). True: this holder holds it. A lease taken by a call whose answer came too late
   * is then still the same holder's when it asks again.
   */
  acquireLease(key: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Deletes `key` only if it still holds `value` (compare-and-delete). True: it was deleted. */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  /**
   * Opens the connection, if the store has one to open. keyless calls it when the Auth is made
   * (under `sharedCache.connectTimeoutMs`), so the first token request finds it open; with
   * `keepAlive: false` the attempt must not keep the process alive. Optional.
   */
  connect?(options?: { keepAlive?: boolean | undefined }): Promise<void>;
}
