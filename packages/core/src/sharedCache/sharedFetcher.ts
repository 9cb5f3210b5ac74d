import { type Clock, timerOf } from '../clock.js';
import type { AuthEvent, EventHub } from '../events.js';
import { parseTimestamp } from '../internal/parseTimestamp.js';
import { withDeadline } from '../internal/withDeadline.js';
import { redactText } from '../redact.js';
import type { TokenFetcher, TokenRequest } from '../tokenCache/tokenCacheOptions.js';
import type { AccessToken } from '../tokenCredential.js';
import { cacheKeyOf, deriveSharedCacheKeys, openEntry, type SharedEntry, sealEntry } from './sealing.js';
import type { SharedTokenStore } from './sharedTokenStore.js';

/** Bounds and pacing of the shared cache (ms). */
export interface SharedCacheSettings {
  /** Longest one store call may take, once connected. */
  timeoutMs: number;
  /** Longest opening the store's connection may take (its own bound: TLS across a network is slow). */
  connectTimeoutMs: number;
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

/** What {@link sharedFetcher} joins. */
export interface SharedFetcherParts {
  /** Asks the token endpoint (the strategy's fetcher). */
  fetcher: TokenFetcher;
  store: SharedTokenStore;
  /** What makes the token what it is (authority, tenant, client, scope): names the entry. */
  identity: readonly string[];
  events: EventHub;
  clock: Clock;
  settings: SharedCacheSettings;
}

/** A store call that did not answer in time: the store is slow, which is not the same as down. */
class StoreTooSlow extends Error {}

/**
 * Puts a shared store between the token cache and the token endpoint. On a token request: a fresh
 * entry in the store is used as it is; otherwise one instance takes a short lease, reads once more
 * (the last holder may have just let it go) and asks the token endpoint (writing what it gets),
 * while the others poll the store (for `waitMs`, as long as the holder's request may take) and
 * take its token, or the lease if the holder let it go; then they ask themselves. The connection is opened when the Auth is made, under its own deadline; each
 * call after it is bounded by `timeoutMs`. A slow answer is retried within the wait; a store that
 * fails, or never answers in time, is skipped (with an event) for `cooldownMs`, and never fails a
 * request the token endpoint could serve.
 */
export function sharedFetcher({ fetcher, store, identity, events, clock, settings }: SharedFetcherParts): {
  fetch: TokenFetcher;
  invalidated(token: string): void;
} {
  const keys = deriveSharedCacheKeys(store.encryptionKey);
  const key = cacheKeyOf(identity, keys);
  const leaseKey = `${key}:lease`;
  const setTimer = timerOf(clock);
  let skipUntil = 0;
  // The last entry read or written: what a 401's invalidate() removes from the store.
  let last: { token: string; sealed: string } | undefined;
  let refused: string | undefined;
  let unreadable: string | undefined;

  const emit = (outcome: SharedOutcome, extra: { message?: string; retryInMs?: number } = {}) =>
    events.emit({ type: 'shared-cache', outcome, ...extra });
  const unavailable = (error: unknown) => {
    skipUntil = clock.monotonic() + settings.cooldownMs;
    // Connect again when the store is next tried (a store that reconnects by itself answers at once).
    open = store.connect === undefined;
    emit('unavailable', {
      message: redactText(`${store.description}: ${error instanceof Error ? error.message : String(error)}`),
      retryInMs: settings.cooldownMs,
    });
  };

  // The store's connection, opened now (at startup, not by the first token request) without
  // keeping the process alive: nobody waits on it yet. A caller that needs it before it is open
  // waits for it under the same connect deadline, whose timer then keeps the process alive.
  let open = store.connect === undefined;
  const connect = (keepAlive: boolean): Promise<void> =>
    withDeadline(
      setTimer,
      settings.connectTimeoutMs,
      async () => {
        await store.connect?.({ keepAlive });
        open = true;
      },
      () => new Error(`${store.description} did not connect within ${settings.connectTimeoutMs} ms`),
      { keepAlive },
    );
  if (!open) connect(false).catch(unavailable);

  /** One store call: after the connection (its own deadline), bounded by `timeoutMs`. */
  const call = async <T>(operation: () => Promise<T>): Promise<T> => {
    if (!open) await connect(true);
    return withDeadline(
      setTimer,
      settings.timeoutMs,
      operation,
      () => new StoreTooSlow(`${store.description} did not answer within ${settings.timeoutMs} ms`),
    );
  };
  // A caller waits through this pause: it keeps the process alive, as a pending request would.
  const pause = (ms: number) => new Promise<void>((resolve) => setTimer(ms, resolve, { keepAlive: true }));

  /** Lets the lease go now, not when it runs out, without waiting: another instance may take it. */
  const letGo = (holder: string) => {
    call(() => store.deleteIfEquals(leaseKey, holder)).catch(() => {});
  };

  /** A fresh entry from the store; undefined for a miss. Throws when the store fails. */
  async function read(): Promise<SharedEntry | undefined> {
    const sealed = await call(() => store.get(key));
    if (sealed === undefined) return undefined;
    const entry = openEntry(sealed, keys, key);
    if (entry === undefined) {
      // Once per entry: the read after taking the lease finds the same one.
      if (sealed !== unreadable) emit('unreadable');
      unreadable = sealed;
      return undefined;
    }
    if (entry.token === refused || clock.now() >= entry.refreshAfterTimestamp) return undefined;
    last = { token: entry.token, sealed };
    return entry;
  }

  /** Asks the token endpoint and writes the token for the others; the lease, if held, is let go. */
  async function askAndShare(request: TokenRequest, holder: string | undefined): Promise<AccessToken> {
    let token: AccessToken;
    try {
      token = await fetcher(request);
    } catch (error) {
      // Failed: let another instance try now rather than when the lease runs out.
      if (holder !== undefined) letGo(holder);
      throw error;
    }
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
        await call(() => store.set(key, sealed, Math.ceil(lifetime)));
        last = { token: entry.token, sealed };
        emit('stored');
        if (holder !== undefined) await call(() => store.deleteIfEquals(leaseKey, holder));
      } catch (error) {
        unavailable(error);
      }
    }
    return token;
  }

  /**
   * The store's answer for this request: a token (read, or won through the lease), or undefined
   * when this instance must ask by itself. Slow answers are retried until `waitMs` has passed.
   */
  async function throughStore(request: TokenRequest): Promise<AccessToken | undefined> {
    // One holder name for the whole request: a lease taken by an answer that came too late is
    // still this request's (acquireLease is true again for the same holder).
    const holder = globalThis.crypto.randomUUID();
    const end = clock.monotonic() + settings.waitMs;
    let waited = false;
    let answered = false;
    let slow: StoreTooSlow | undefined;
    for (;;) {
      try {
        const found = await read();
        answered = true;
        if (found !== undefined) {
          emit(waited ? 'waited' : 'hit');
          return asAccessToken(found);
        }
        if (await call(() => store.acquireLease(leaseKey, holder, settings.leaseMs))) {
          // The lease may be free because its last holder has just stored its token and let it go
          // (after this instance read): read once more, or a busy machine makes two token requests.
          const stored = await read();
          if (stored !== undefined) {
            letGo(holder);
            emit(waited ? 'waited' : 'hit');
            return asAccessToken(stored);
          }
          emit('miss');
          return askAndShare(request, holder);
        }
      } catch (error) {
        if (request.signal.aborted) throw error;
        if (!(error instanceof StoreTooSlow)) {
          unavailable(error);
          return undefined;
        }
        slow = error;
      }
      if (clock.monotonic() >= end || request.signal.aborted) break;
      waited = true;
      await pause(settings.pollMs);
    }
    if (answered) emit('lease-timeout');
    else unavailable(slow);
    return undefined;
  }

  return {
    async fetch(request) {
      // A claims token answers one challenge: it is neither read from nor written to the store.
      if (request.claims !== undefined || clock.monotonic() < skipUntil) return fetcher(request);
      return (await throughStore(request)) ?? askAndShare(request, undefined);
    },
    invalidated(token) {
      refused = token;
      const stored = last;
      if (stored?.token !== token || clock.monotonic() < skipUntil) return;
      // Only that same token is removed: another instance may have stored a newer one meanwhile.
      call(() => store.deleteIfEquals(key, stored.sealed)).then(
        (removed) => {
          if (removed) emit('removed');
        },
        (error: unknown) => unavailable(error),
      );
    },
  };
}

function asAccessToken(entry: SharedEntry): AccessToken {
  return {
    token: entry.token,
    expiresOnTimestamp: entry.expiresOnTimestamp,
    refreshAfterTimestamp: entry.refreshAfterTimestamp,
  };
}

/** What happened at the shared cache, as the `shared-cache` event reports it. */
export type SharedOutcome = Extract<AuthEvent, { type: 'shared-cache' }>['outcome'];
