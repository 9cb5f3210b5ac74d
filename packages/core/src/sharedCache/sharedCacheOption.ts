import { KeylessError } from '../errors.js';
import type { Strategy } from '../strategy.js';
import { requireDuration } from '../validate.js';
import type { SharedTokenStore } from './sharedTokenStore.js';

/** The shared cache with its settings: `AuthOptions.sharedCache`. All durations in ms. */
export interface SharedCacheOptions {
  /** The store, e.g. `createRedisTokenStore({ url, encryptionKey })` from `@keyless/redis`. */
  store: SharedTokenStore;
  /**
   * Longest one store call may take, once connected; a slower answer is asked again while the
   * instance waits, and a store that never answers in time is skipped. Default 250.
   */
  timeoutMs?: number | undefined;
  /**
   * Longest opening the store's connection may take (it is opened when the Auth is made). Default
   * 5,000: TLS across a network, or a machine busy starting a fleet, takes longer than a command.
   */
  connectTimeoutMs?: number | undefined;
  /**
   * How long other instances wait for the one holding the lease before asking themselves.
   * Default half of `tokenRequestTimeoutMs` (15 s): as long as the holder's token request may
   * take, leaving time for their own.
   */
  waitMs?: number | undefined;
  /** How long the instance asking the token endpoint holds the lease. Default 10,000. */
  leaseMs?: number | undefined;
  /** After a store failure, how long it is skipped before being tried again. Default 5,000. */
  retryMs?: number | undefined;
}

/** The deprecated flat settings of `AuthOptions`, folded into `sharedCache`. */
export interface FlatSharedCacheOptions {
  sharedCache?: SharedTokenStore | SharedCacheOptions | undefined;
  sharedCacheTimeoutMs?: number | undefined;
  sharedCacheWaitMs?: number | undefined;
  sharedCacheLeaseMs?: number | undefined;
  sharedCacheRetryMs?: number | undefined;
}

const SHARED_CACHE_DURATIONS = ['timeoutMs', 'connectTimeoutMs', 'waitMs', 'leaseMs', 'retryMs'] as const;
const FLAT_DURATIONS = [
  'sharedCacheTimeoutMs',
  'sharedCacheWaitMs',
  'sharedCacheLeaseMs',
  'sharedCacheRetryMs',
] as const;

/** `sharedCache` in its one shape, validated, the deprecated flat settings folded in (the grouped ones win). */
export function sharedCacheOf(options: FlatSharedCacheOptions): SharedCacheOptions | undefined {
  for (const setting of FLAT_DURATIONS) requireDuration('createAuth', setting, options[setting], 1);
  const given = options.sharedCache;
  if (given === undefined) return undefined;
  const grouped = typeof given === 'object' && given !== null && 'store' in given ? given : undefined;
  const shared: SharedCacheOptions = {
    store: requireSharedStore(grouped?.store ?? (given as SharedTokenStore)),
    timeoutMs: grouped?.timeoutMs ?? options.sharedCacheTimeoutMs,
    connectTimeoutMs: grouped?.connectTimeoutMs,
    waitMs: grouped?.waitMs ?? options.sharedCacheWaitMs,
    leaseMs: grouped?.leaseMs ?? options.sharedCacheLeaseMs,
    retryMs: grouped?.retryMs ?? options.sharedCacheRetryMs,
  };
  for (const setting of SHARED_CACHE_DURATIONS)
    requireDuration('createAuth', `sharedCache.${setting}`, shared[setting], 1);
  return shared;
}

/**
 * What makes a token what it is, for the shared cache's entry name: authority, tenant, client id
 * and scope. Only a service principal's tokens may be shared: a managed identity's belong to its
 * machine (Microsoft's guidance), a credential object's origin is unknown, a key has no token.
 */
export function sharedIdentity(strategy: Strategy, scope: string): string[] {
  if (strategy.kind !== 'msalConfidentialClient') {
    throw new KeylessError(
      'CONFIG_INVALID',
      `createAuth: sharedCache works with the msalConfidentialClient strategy (a secret, a certificate, a client assertion, workload identity or GitHub Actions OIDC), not ${strategy.kind}. ${
        strategy.kind === 'managedIdentity' || strategy.kind === 'default'
          ? 'Managed identity tokens must not be shared between machines (Microsoft guidance): remove sharedCache, each instance asks its own identity endpoint.'
          : 'Remove sharedCache.'
      }`,
    );
  }
  return [strategy.authorityHost ?? 'https://login.microsoftonline.com', strategy.tenantId, strategy.clientId, scope];
}

function requireSharedStore(store: SharedTokenStore): SharedTokenStore {
  const methods = ['get', 'set', 'acquireLease', 'deleteIfEquals'] as const;
  if (typeof store !== 'object' || store === null || methods.some((name) => typeof store[name] !== 'function')) {
    throw new KeylessError(
      'CONFIG_INVALID',
      'createAuth: sharedCache must be a shared token store, such as createRedisTokenStore({ url, encryptionKey }) from @keyless/redis.',
    );
  }
  const key = store.encryptionKey as unknown;
  const size = key instanceof Uint8Array ? key.length : isSecretKeyObject(key) ? key.symmetricKeySize : undefined;
  if (size !== 32) {
    throw new KeylessError(
      'CONFIG_INVALID',
      'createAuth: sharedCache.encryptionKey must be a 32-byte secret: createSecretKey(bytes) from node:crypto, or the bytes. Make one with `openssl rand -base64 32`.',
    );
  }
  return store;
}

function isSecretKeyObject(value: unknown): value is { symmetricKeySize: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'secret' &&
    typeof (value as { symmetricKeySize?: unknown }).symmetricKeySize === 'number'
  );
}
