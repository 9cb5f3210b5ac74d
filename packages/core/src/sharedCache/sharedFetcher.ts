import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { AuthEvent, EventHub } from '../events.js';
import { parseTimestamp } from '../internal/parseTimestamp.js';
import { redactText } from '../redact.js';
import type { TokenFetcher, TokenRequest } from '../tokenCache.js';
import type { AccessToken } from '../tokenCredential.js';
import { cacheKeyOf, deriveSharedCacheKeys, openEntry, type SharedEntry, sealEntry } from './sealing.js';
import type { SharedTokenStore } from './sharedTokenStore.js';

/** Bounds and pacing of the shared cache. */
export interface SharedCacheSettings {
  /** Longest one store call may take before the store is skipped. */
  timeoutMs: number;
  /** How long the instance asking the token endpoint holds the lease. */
  leaseMs: number;
  /** How long the others wait for the lease holder's token before asking themselves. */
  waitMs: number;
  /** Polling interval while waiting. */
  pollMs: number;
  /** After a store failure, how long it is skipped before being tried again. */
  cooldownMs: number;
  /** The token cache's refresh margin, to stamp entries with when they are due. */
  refreshMarginMs: number;
}

/**
 * Puts a shared store between the token cache and the token endpoint. On a token request: a fresh
 * entry in the store is used as it is; otherwise one instance takes a short lease and asks the
 * token endpoint (writing what it gets), while the others poll the store for a bounded time and
 * then ask themselves. Every store call is bounded; a failing store is skipped (with an event) for
 * `cooldownMs`, and never fails a request the token endpoint could serve.
 */
export function sharedFetcher(
  fetcher: TokenFetcher,
  store: SharedTokenStore,
  identity: readonly string[],
  events: EventHub,
  clock: Required<Pick<Clock, 'now' | 'monotonic' | 'setTimer'>> & {
    /** A timer that keeps the process alive (the system's); default `setTimer`. */
    sleepTimer?: (delayMs: number, callback: () => void) => void;
  },
  settings: SharedCacheSettings,
): { fetch: TokenFetcher; invalidated(token: string): void } {
  const keys = deriveSharedCacheKeys(store.encryptionKey);
  const key = cacheKeyOf(identity, keys);
  const leaseKey = `${key}:lease`;
  let skipUntil = 0;
  // The last entry read or written: what a 401's invalidate() removes from the store.
  let last: { token: string; sealed: string } | undefined;
  let refused: string | undefined;

  const emit = (outcome: SharedOutcome, extra: { message?: string; retryInMs?: number } = {}) =>
    events.emit({ type: 'shared-cache', outcome, ...extra });
  const bounded = <T>(call: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const cancel = clock.setTimer(settings.timeoutMs, () =>
        reject(new Error(`${store.description} did not answer within ${settings.timeoutMs} ms`)),
      );
      call().then(
        (value) => {
          cancel();
          resolve(value);
        },
        (error: unknown) => {
          cancel();
          reject(error);
        },
      );
    });
  const unavailable = (error: unknown) => {
    skipUntil = clock.monotonic() + settings.cooldownMs;
    emit('unavailable', {
      message: redactText(`${store.description}: ${error instanceof Error ? error.message : String(error)}`),
      retryInMs: settings.cooldownMs,
    });
  };
  // A caller waits on this (at most waitMs in all): it may keep the process alive meanwhile.
  const sleep = (ms: number) => new Promise<void>((resolve) => (clock.sleepTimer ?? clock.setTimer)(ms, resolve));

  /** A fresh entry from the store; undefined for a miss. Throws when the store fails. */
  async function read(): Promise<SharedEntry | undefined> {
    const sealed = await bounded(() => store.get(key));
    if (sealed === undefined) return undefined;
    const entry = openEntry(sealed, keys, key);
    if (entry === undefined) {
      emit('unreadable');
      return undefined;
    }
    if (entry.token === refused || clock.now() >= entry.refreshAfterTimestamp) return undefined;
    last = { token: entry.token, sealed };
    return entry;
  }

  async function askAndShare(request: TokenRequest, holder: string | undefined): Promise<AccessToken> {
    const token = await fetcher(request);
    const now = clock.now();
    // Only a token whose expiry reads clearly is shared; the cache itself judges every other one.
    const expiresOn = parseTimestamp(token.expiresOnTimestamp);
    if (expiresOn === undefined) return token;
    const lifetime = expiresOn - now;
    const entry: SharedEntry = {
      token: token.token,
      expiresOnTimestamp: expiresOn,
      refreshAfterTimestamp:
        parseTimestamp(token.refreshAfterTimestamp) ?? expiresOn - Math.min(settings.refreshMarginMs, lifetime / 2),
    };
    if (lifetime > 0 && clock.monotonic() >= skipUntil) {
      const sealed = sealEntry(entry, keys, key);
      try {
        await bounded(() => store.set(key, sealed, Math.ceil(lifetime)));
        last = { token: entry.token, sealed };
        emit('stored');
        if (holder !== undefined) await bounded(() => store.deleteIfEquals(leaseKey, holder));
      } catch (error) {
        unavailable(error);
      }
    }
    return token;
  }

  const asAccessToken = (entry: SharedEntry): AccessToken => ({
    token: entry.token,
    expiresOnTimestamp: entry.expiresOnTimestamp,
    refreshAfterTimestamp: entry.refreshAfterTimestamp,
  });

  return {
    async fetch(request) {
      // A claims token answers one challenge: it is neither read from nor written to the store.
      if (request.claims !== undefined || clock.monotonic() < skipUntil) return fetcher(request);
      try {
        const found = await read();
        if (found !== undefined) {
          emit('hit');
          return asAccessToken(found);
        }
        const holder = randomUUID();
        if (await bounded(() => store.acquireLease(leaseKey, holder, settings.leaseMs))) {
          emit('miss');
          return await askAndShare(request, holder);
        }
        // Another instance is asking: wait for its token, for a bounded time.
        for (const end = clock.monotonic() + settings.waitMs; clock.monotonic() < end && !request.signal.aborted; ) {
          await sleep(settings.pollMs);
          const shared = await read();
          if (shared !== undefined) {
            emit('waited');
            return asAccessToken(shared);
          }
        }
        emit('lease-timeout');
      } catch (error) {
        if (request.signal.aborted) throw error;
        unavailable(error);
      }
      return askAndShare(request, undefined);
    },
    invalidated(token) {
      refused = token;
      const stored = last;
      if (stored?.token !== token || clock.monotonic() < skipUntil) return;
      // Only that same token is removed: another instance may have stored a newer one meanwhile.
      bounded(() => store.deleteIfEquals(key, stored.sealed)).then(
        (removed) => {
          if (removed) emit('removed');
        },
        (error: unknown) => unavailable(error),
      );
    },
  };
}

/** What happened at the shared cache, as the `shared-cache` event reports it. */
export type SharedOutcome = Extract<AuthEvent, { type: 'shared-cache' }>['outcome'];
