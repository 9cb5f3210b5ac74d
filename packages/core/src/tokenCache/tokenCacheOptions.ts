import type { Clock } from '../clock.js';
import type { KeylessError } from '../errors.js';
import type { EventHub, RefreshReason } from '../events.js';
import type { AccessToken } from '../tokenCredential.js';

/** Backoff, window and deadline settings of the token cache. All durations in milliseconds. */
export interface TokenCacheOptions {
  /** Start background refresh this long before expiry (capped at half the lifetime). Default 5 min. */
  refreshMarginMs?: number | undefined;
  /** Callers wait for a refresh when this little is left (capped at a quarter of the lifetime). Default 30 s. */
  hardWindowMs?: number | undefined;
  /** First backoff delay after a failed refresh. Default 1 s. */
  backoffInitialMs?: number | undefined;
  /** Longest backoff delay, and the cap on a Retry-After the credential reports. Default 60 s. */
  backoffMaxMs?: number | undefined;
  /**
   * Longest a token request may take before it is abandoned and counted as a failure
   * (`TOKEN_REQUEST_TIMEOUT`). Default 30 s.
   */
  tokenRequestTimeoutMs?: number | undefined;
  /**
   * Shortest time between two forced refreshes (after a 401 or a claims challenge); doubles while
   * fresh tokens keep being rejected, up to 5 min. Default 10 s.
   */
  forcedRefreshIntervalMs?: number | undefined;
  /** Random source in [0, 1) for jitter. Default Math.random. */
  random?: (() => number) | undefined;
}

/** The numeric settings of {@link TokenCacheOptions}, for validation. */
export const TOKEN_CACHE_DURATIONS = [
  'refreshMarginMs',
  'hardWindowMs',
  'backoffInitialMs',
  'backoffMaxMs',
  'tokenRequestTimeoutMs',
  'forcedRefreshIntervalMs',
] as const;

/** What the cache asks its strategy for. */
export interface TokenRequest {
  /** True for every refresh but a cold start: the strategy must not answer from its library's cache. */
  forceRefresh: boolean;
  /** Why the token is asked for; `invalidated` means a 401 said the last one is no good. */
  reason: RefreshReason;
  /** Claims from an `insufficient_claims` challenge, when retrying one. */
  claims?: string | undefined;
  /** Aborted when the deadline passes: hand it to the library where it takes one. */
  signal: AbortSignal;
}

/** Fetches a fresh token; implemented by each strategy. */
export type TokenFetcher = (request: TokenRequest) => Promise<AccessToken>;

/**
 * Wraps each token request (never a cache hit): telemetry runs `run` inside its span. `run`
 * settles with the token, or rejects with the KeylessError the cache reports.
 */
export type TokenRequestObserver = (
  info: { reason: RefreshReason; attempt: number },
  run: () => Promise<string>,
) => Promise<string>;

/** A secret-free snapshot of the cache, for health and readiness endpoints. */
export interface TokenCacheStatus {
  /** Whether a token that has not expired is cached. */
  tokenCached: boolean;
  /** Whole seconds left on that token. */
  expiresInSeconds: number | undefined;
  /** The last token request's outcome, and when it ended (epoch ms). */
  lastRefresh: { outcome: 'ok'; at: number } | { outcome: 'error'; at: number; errorCode: string } | undefined;
  /** Token requests that failed in a row (0 after a success). */
  consecutiveFailures: number;
  /** When keyless will try again after a failure (epoch ms); undefined when it may try now. */
  nextAttemptAt: number | undefined;
  /** Until when the token endpoint asked not to be called (its Retry-After), epoch ms. */
  throttledUntil: number | undefined;
}

/** What a cache that holds no token and was never asked says: an API key's, or an Auth not yet built. */
export const NO_TOKEN_STATUS: Readonly<TokenCacheStatus> = Object.freeze({
  tokenCached: false,
  expiresInSeconds: undefined,
  lastRefresh: undefined,
  consecutiveFailures: 0,
  nextAttemptAt: undefined,
  throttledUntil: undefined,
});

/** What the cache is joined to besides its fetcher; everything has a default but `toError`. */
export interface TokenCacheWiring {
  /** Time and timers. Default the process clock. */
  clock?: Clock | undefined;
  /** Where the cache reports refreshes, failures and pacing. Default a hub of its own. */
  events?: EventHub | undefined;
  /** Turns what a fetcher threw into the KeylessError callers see. */
  toError: (error: unknown) => KeylessError;
  /** Names the strategy in messages. */
  label?: string | undefined;
  /** Headers every request carries beside `authorization` (a gateway's subscription key). */
  extraHeaders?: Readonly<Record<string, string>> | undefined;
}
