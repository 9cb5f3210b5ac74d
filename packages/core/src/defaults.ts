/**
 * Every default of the engine, in one table: what a setting is when it is not given. The TSDoc of
 * each option says the same number in words; this is where the code reads it.
 */

/** The token cache's windows, backoff, deadline and pacing (ms); see `TokenCacheOptions`. */
export const TOKEN_CACHE_DEFAULTS = {
  refreshMarginMs: 5 * 60_000,
  hardWindowMs: 30_000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
  tokenRequestTimeoutMs: 30_000,
  forcedRefreshIntervalMs: 10_000,
  /** The longest the pacing interval of forced refreshes grows to (rule 8). Not an option. */
  maxForcedRefreshIntervalMs: 5 * 60_000,
  /** How often (monotonic ms) a cache hit also looks at the wall clock (rule 7). Not an option. */
  wallCheckMs: 1_000,
} as const;

/** The shared (fleet) cache's bounds (ms); see `SharedCacheOptions`. */
export const SHARED_CACHE_DEFAULTS = {
  /** One store call, once connected. */
  timeoutMs: 250,
  /** Opening the store's connection (TLS across a network takes longer than a command). */
  connectTimeoutMs: 5_000,
  /** How long the instance asking the token endpoint holds the lease. */
  leaseMs: 10_000,
  /** After a store failure, how long it is skipped. */
  retryMs: 5_000,
  /** Polling interval while another instance asks. Not an option. */
  pollMs: 50,
} as const;

/**
 * How long the others wait for the lease holder's token, when `sharedCache.waitMs` is not given:
 * as long as the holder's token request may take, less the time left for their own request if
 * the holder never answers (both within this Auth's `tokenRequestTimeoutMs`).
 */
export function sharedCacheWaitMs(tokenRequestTimeoutMs: number): number {
  return Math.max(SHARED_CACHE_DEFAULTS.pollMs, Math.floor(tokenRequestTimeoutMs / 2));
}

/** On-behalf-of's per-user cache; see `OnBehalfOfOptions`. */
export const ON_BEHALF_OF_DEFAULTS = {
  maxUsers: 1_000,
  /**
   * How long a refused assertion is answered from memory, without asking Entra ID again: an
   * expired or forged token stays refused, and a client that keeps sending it must not cost a
   * token request per call. Consent granted meanwhile is seen after this. Not an option.
   */
  refusalMemoryMs: 30_000,
  /** Expired entries looked at (oldest first) each time a user is added. Not an option. */
  sweepPerInsert: 4,
} as const;

/** The authorized fetch's bounds; see `AuthorizedFetchOptions`. */
export const AUTHORIZED_FETCH_DEFAULTS = {
  /** The cap openai-node applies to its own waits. */
  maxRetryAfterMs: 60_000,
  /** Redirects followed before giving up, as fetch does. Not an option. */
  maxRedirects: 20,
} as const;
