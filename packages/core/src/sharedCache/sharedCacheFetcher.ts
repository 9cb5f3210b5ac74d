import type { Clock } from '../clock.js';
import { SHARED_CACHE_DEFAULTS, sharedCacheWaitMs } from '../defaults.js';
import type { EventHub } from '../events.js';
import type { TokenFetcher } from '../tokenCache/tokenCacheOptions.js';
import type { SharedCacheOptions } from './sharedCacheOption.js';
import { sharedFetcher } from './sharedFetcher.js';

/**
 * The strategy's fetcher behind the shared store, with every bound filled from the defaults.
 * Part of the token runtime: `createAuth` validates the option (`sharedCacheOf`) and names the
 * entry (`sharedIdentity`) when it is called; this runs when the runtime has loaded.
 */
export function sharedCacheFetcher(
  shared: SharedCacheOptions,
  parts: {
    fetcher: TokenFetcher;
    /** What names the entry: see `sharedIdentity`. */
    identity: readonly string[];
    events: EventHub;
    clock: Clock;
    tokenRequestTimeoutMs: number;
    refreshMarginMs: number;
  },
): ReturnType<typeof sharedFetcher> {
  return sharedFetcher({
    fetcher: parts.fetcher,
    store: shared.store,
    identity: parts.identity,
    events: parts.events,
    clock: parts.clock,
    settings: {
      timeoutMs: shared.timeoutMs ?? SHARED_CACHE_DEFAULTS.timeoutMs,
      connectTimeoutMs: shared.connectTimeoutMs ?? SHARED_CACHE_DEFAULTS.connectTimeoutMs,
      waitMs: shared.waitMs ?? sharedCacheWaitMs(parts.tokenRequestTimeoutMs),
      leaseMs: shared.leaseMs ?? SHARED_CACHE_DEFAULTS.leaseMs,
      cooldownMs: shared.retryMs ?? SHARED_CACHE_DEFAULTS.retryMs,
      pollMs: SHARED_CACHE_DEFAULTS.pollMs,
      refreshMarginMs: parts.refreshMarginMs,
    },
  });
}
