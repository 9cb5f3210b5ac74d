import { type Clock, systemClock, timerOf } from '../clock.js';
import { TOKEN_CACHE_DEFAULTS } from '../defaults.js';
import { isKeylessError, KeylessError } from '../errors.js';
import { EventHub, type RefreshReason } from '../events.js';
import { withDeadline } from '../internal/withDeadline.js';
import { backoffDelayMs, cappedRetryAfterMs, forcedRefreshPauseMs } from './backoff.js';
import { bearerHeaders } from './bearerHeaders.js';
import { type CachedToken, cachedToken, elapsedSince } from './cachedToken.js';
import type {
  TokenCacheOptions,
  TokenCacheStatus,
  TokenCacheWiring,
  TokenFetcher,
  TokenRequestObserver,
} from './tokenCacheOptions.js';

export { bearerHeaders } from './bearerHeaders.js';
export {
  TOKEN_CACHE_DURATIONS,
  type TokenCacheOptions,
  type TokenCacheStatus,
  type TokenCacheWiring,
  type TokenFetcher,
  type TokenRequest,
  type TokenRequestObserver,
} from './tokenCacheOptions.js';

/*
 * The token cache. One per Auth; every adapter goes through it. The rules:
 *
 * 1. Soft window. From the issuer's refresh hint (`refresh_in`, as refreshAfterTimestamp) or else
 *    `refreshMarginMs` before expiry (5 min, or half the lifetime for short tokens), one call
 *    starts a background refresh and every caller keeps getting the cached, still valid token.
 * 2. Hard window. With no token, or `hardWindowMs` (30 s, or a quarter of the lifetime for short
 *    tokens) or less left, callers wait for the refresh.
 * 3. Single flight. At most one refresh is in flight whatever the concurrency: 10,000 cold
 *    callers cause one token request. A claims challenge is a flight of its own, one per claims
 *    value, under the same rules.
 * 4. Generations. invalidate(token) acts only if `token` is the cached one, and bumps a
 *    generation; a refresh that started before it and lands after it is dropped. A token won by
 *    a claims challenge bumps the generation too, so an older refresh cannot overwrite it. Every
 *    refresh but a cold start asks the credential to bypass its own cache.
 * 5. Failures. A failed refresh backs off (exponential, jittered, at least the Retry-After the
 *    credential reported, capped) and is reported as an event. A token the cache cannot use
 *    (already expired, unreadable expiry, unsafe characters) is a failed refresh like any other.
 *    While a valid token is held no caller sees the failure. Without one, the error surfaces
 *    typed and the next call starts a new attempt (nothing is cached but an explicit
 *    Retry-After, which fails fast until it passes).
 * 6. Deadline. Every token request ends within `tokenRequestTimeoutMs`: then it is abandoned
 *    (its signal aborts the library's request where it can), counted as a failure with code
 *    TOKEN_REQUEST_TIMEOUT, and a late answer is ignored. The timer never holds the process open.
 * 7. Time. Elapsed time is the larger of the wall clock's and the monotonic clock's, so a wall
 *    clock moved backwards never makes an expired token look valid. A hit reads one clock: the
 *    monotonic one; the wall clock's lead over it (a machine that slept) is looked at once a
 *    second of monotonic time, and a lead once seen is kept.
 * 8. Pacing. A forced refresh (invalidate() after a 401, or a claims challenge) is allowed once
 *    per `forcedRefreshIntervalMs` (10 s). One asked for sooner keeps the cached token and emits
 *    `refresh-paced`: a resource that rejects every token (another audience, a gateway) costs
 *    the token endpoint one request per interval, not one per call. The interval doubles each
 *    time the token a forced refresh won is itself rejected (up to 5 min), and starts again
 *    from 10 s once a rejected token was not a forced one.
 */

/** The single-flight, proactively refreshing token cache described in the block comment above. */
export class TokenCache {
  #entry: CachedToken | undefined;
  #inflight: Promise<string> | undefined;
  readonly #claimsFlights = new Map<string, Promise<string>>();
  #generation = 0;
  #forceNext = false;
  #failures = 0;
  #nextAttemptMono = 0;
  #throttledUntilMono = 0;
  /** Before this (monotonic ms), no forced refresh is made (rule 8). */
  #forcedAllowedMono = 0;
  /** Forced refreshes in a row whose token was rejected in turn. */
  #forcedStreak = 0;
  #lastRefresh: TokenCacheStatus['lastRefresh'];
  #observer: TokenRequestObserver | undefined;
  #lastThrottle: KeylessError | undefined;
  readonly #setTimer: NonNullable<Clock['setTimer']>;
  readonly #settings: { [K in keyof TokenCacheOptions]-?: NonNullable<TokenCacheOptions[K]> };
  private readonly clock: Clock;
  private readonly events: EventHub;
  private readonly toError: (error: unknown) => KeylessError;
  private readonly label: string;
  private readonly extraHeaders: Readonly<Record<string, string>> | undefined;

  /** A cache over `fetcher`, with the settings (defaults: `TOKEN_CACHE_DEFAULTS`) and the wiring. */
  constructor(
    private readonly fetcher: TokenFetcher,
    options: TokenCacheOptions & TokenCacheWiring,
  ) {
    this.#settings = {
      refreshMarginMs: options.refreshMarginMs ?? TOKEN_CACHE_DEFAULTS.refreshMarginMs,
      hardWindowMs: options.hardWindowMs ?? TOKEN_CACHE_DEFAULTS.hardWindowMs,
      backoffInitialMs: options.backoffInitialMs ?? TOKEN_CACHE_DEFAULTS.backoffInitialMs,
      backoffMaxMs: options.backoffMaxMs ?? TOKEN_CACHE_DEFAULTS.backoffMaxMs,
      tokenRequestTimeoutMs: options.tokenRequestTimeoutMs ?? TOKEN_CACHE_DEFAULTS.tokenRequestTimeoutMs,
      forcedRefreshIntervalMs: options.forcedRefreshIntervalMs ?? TOKEN_CACHE_DEFAULTS.forcedRefreshIntervalMs,
      random: options.random ?? Math.random,
    };
    this.clock = options.clock ?? systemClock;
    this.events = options.events ?? new EventHub();
    this.toError = options.toError;
    this.label = options.label ?? 'token cache';
    this.extraHeaders = options.extraHeaders;
    this.#setTimer = timerOf(this.clock);
  }

  /** The current token, refreshing as the rules say. */
  get(): Promise<string> {
    return this.#servable()?.promise ?? this.#wait();
  }

  /**
   * `{ authorization: 'Bearer …' }` for the current token. The object is frozen and shared by
   * every caller of the same token (copy it to add headers): a cache hit allocates nothing.
   */
  getHeaders(): Promise<Readonly<Record<string, string>>> {
    return this.#servable()?.headers ?? this.#wait().then((token) => bearerHeaders(token, this.extraHeaders));
  }

  /**
   * The headers {@link getHeaders} would resolve to, when it would not wait (a cache hit, which
   * starts a background refresh when one is due, as any hit does); undefined when it would.
   */
  readyHeaders(): Readonly<Record<string, string>> | undefined {
    return this.#servable()?.headerValues;
  }

  /** The cached entry when it may be served without waiting (starting a background refresh if due). */
  #servable(): CachedToken | undefined {
    const entry = this.#entry;
    if (entry === undefined) return undefined;
    const elapsed = elapsedSince(this.clock, entry);
    if (elapsed < entry.softAtMs) return entry;
    if (elapsed >= entry.hardAtMs) return undefined;
    if (this.#mayAttempt()) this.#background('background');
    return entry;
  }

  /** The slow path: hard window (wait, but keep a valid token on failure), expired, or cold. */
  #wait(): Promise<string> {
    const entry = this.#entry;
    if (entry !== undefined && elapsedSince(this.clock, entry) < entry.lifetimeMs) return this.#blocking(entry);
    return this.#acquireWithoutValidToken(entry === undefined ? 'cold' : 'expired');
  }

  /**
   * A token carrying `claims` (a CAE challenge). Concurrent challenges with the same claims share
   * one request; the token won replaces the cached one. When `challenged` (the token the
   * challenge answered) is no longer the cached one, another request already replaced it: the
   * cached token is returned without asking again.
   */
  getWithClaims(claims: string, challenged?: string): Promise<string> {
    const running = this.#claimsFlights.get(claims);
    if (running !== undefined) return running;
    const entry = this.#entry;
    if (challenged !== undefined && entry !== undefined && entry.value !== challenged) return this.get();
    const throttled = this.#throttled();
    if (throttled !== undefined) return Promise.reject(throttled);
    if (entry !== undefined && !this.#mayForce(entry, 'claims')) return this.get();
    // Bumped now, so that a refresh already in flight (for the challenged token) is discarded.
    this.#generation += 1;
    this.#inflight = undefined;
    const flight = this.#attempt('claims', claims).finally(() => {
      this.#claimsFlights.delete(claims);
    });
    this.#claimsFlights.set(claims, flight);
    return flight;
  }

  /**
   * Drops `token` if it is the cached one. Returns whether it was. Many requests failing with
   * the same stale token cause one refresh, not one each.
   */
  invalidate(token: string): boolean {
    if (this.#entry === undefined || this.#entry.value !== token) return false;
    if (!this.#mayForce(this.#entry, 'invalidated')) return false;
    this.#entry = undefined;
    this.#generation += 1;
    this.#inflight = undefined;
    this.#forceNext = true;
    this.events.emit({ type: 'invalidated' });
    return true;
  }

  /**
   * Whether a forced refresh replacing `entry` may be made now (rule 8); if so, the next one is
   * paced from now. If not, says so in a `refresh-paced` event.
   */
  #mayForce(entry: CachedToken, reason: 'invalidated' | 'claims'): boolean {
    const now = this.clock.monotonic();
    if (now < this.#forcedAllowedMono) {
      this.events.emit({ type: 'refresh-paced', reason, retryInMs: Math.ceil(this.#forcedAllowedMono - now) });
      return false;
    }
    this.#forcedStreak = entry.forced ? this.#forcedStreak + 1 : 0;
    this.#forcedAllowedMono =
      now +
      forcedRefreshPauseMs(
        this.#settings.forcedRefreshIntervalMs,
        this.#forcedStreak,
        TOKEN_CACHE_DEFAULTS.maxForcedRefreshIntervalMs,
      );
    return true;
  }

  /** Expiry (epoch ms) of the cached token, if any. For diagnostics; never the token. */
  get expiresOn(): number | undefined {
    return this.#entry?.expiresOn;
  }

  async #blocking(entry: CachedToken): Promise<string> {
    if (this.#inflight === undefined && !this.#mayAttempt()) return entry.value;
    try {
      return await this.#refresh('blocking');
    } catch (error) {
      if (elapsedSince(this.clock, entry) < entry.lifetimeMs) return entry.value;
      throw error;
    }
  }

  #acquireWithoutValidToken(reason: RefreshReason): Promise<string> {
    const throttled = this.#inflight === undefined ? this.#throttled() : undefined;
    if (throttled !== undefined) return Promise.reject(throttled);
    return this.#refresh(this.#forceNext ? 'invalidated' : reason);
  }

  /** The token endpoint's last 429, while its Retry-After has not passed. */
  #throttled(): KeylessError | undefined {
    return this.#lastThrottle !== undefined && this.clock.monotonic() < this.#throttledUntilMono
      ? this.#lastThrottle
      : undefined;
  }

  #background(reason: RefreshReason): void {
    this.#refresh(reason).catch(() => {
      // Reported as a 'refresh-failed' event; callers keep the valid token.
    });
  }

  #mayAttempt(): boolean {
    return this.clock.monotonic() >= this.#nextAttemptMono;
  }

  #refresh(reason: RefreshReason): Promise<string> {
    if (this.#inflight !== undefined) return this.#inflight;
    const inflight = this.#attempt(reason).finally(() => {
      if (this.#inflight === inflight) this.#inflight = undefined;
    });
    this.#inflight = inflight;
    return inflight;
  }

  /** One token request, bounded by the deadline, with its outcome applied to the cache. */
  #attempt(reason: RefreshReason, claims?: string): Promise<string> {
    const generation = this.#generation;
    // This cache decides when a token is due; the library's own cache would hand back the token
    // being replaced. Only a cold start may take a token the library already holds (another Auth
    // in this process, or msal-node's process-wide managed-identity cache).
    const forceRefresh = this.#forceNext || reason !== 'cold';
    const attempt = this.#failures + 1;
    this.events.emit({ type: 'refresh-started', reason, attempt });
    const timeoutMs = this.#settings.tokenRequestTimeoutMs;
    const run = () =>
      withDeadline(
        this.#setTimer,
        timeoutMs,
        (signal) => this.fetcher({ forceRefresh, reason, signal, ...(claims === undefined ? {} : { claims }) }),
        () => tokenRequestTimeout(this.label, timeoutMs),
      )
        .then((raw) =>
          cachedToken(raw, this.clock, {
            ...this.#settings,
            label: this.label,
            extraHeaders: this.extraHeaders,
            forced: reason === 'invalidated' || reason === 'claims',
          }),
        )
        .then(
          (entry) => this.#onSuccess(entry, generation, reason === 'claims'),
          (error: unknown) => this.#onFailure(error, reason),
        );
    return this.#observer === undefined ? run() : this.#observer({ reason, attempt }, run);
  }

  /** Sets the wrapper of every token request (telemetry); see {@link TokenRequestObserver}. */
  observeRequests(observer: TokenRequestObserver): void {
    this.#observer = observer;
  }

  /** A secret-free snapshot: see {@link TokenCacheStatus}. Synchronous, allocation only. */
  status(): TokenCacheStatus {
    const entry = this.#entry;
    const elapsed = entry === undefined ? undefined : elapsedSince(this.clock, entry);
    const valid = entry !== undefined && elapsed !== undefined && elapsed < entry.lifetimeMs;
    const nowMono = this.clock.monotonic();
    const wallAt = (mono: number) => this.clock.now() + (mono - nowMono);
    return {
      tokenCached: valid,
      expiresInSeconds: valid ? Math.floor((entry.lifetimeMs - elapsed) / 1000) : undefined,
      lastRefresh: this.#lastRefresh,
      consecutiveFailures: this.#failures,
      nextAttemptAt: this.#failures > 0 && this.#nextAttemptMono > nowMono ? wallAt(this.#nextAttemptMono) : undefined,
      throttledUntil: this.#throttled() === undefined ? undefined : wallAt(this.#throttledUntilMono),
    };
  }

  #onSuccess(entry: CachedToken, generation: number, claims: boolean): string {
    const discarded = generation !== this.#generation;
    this.#lastRefresh = { outcome: 'ok', at: this.clock.now() };
    if (!discarded) {
      this.#entry = entry;
      this.#forceNext = false;
      this.#failures = 0;
      this.#nextAttemptMono = 0;
      this.#lastThrottle = undefined;
      // A claims token must not be overwritten by a refresh that started for the challenged one.
      if (claims) this.#generation += 1;
    }
    this.events.emit({
      type: 'token-acquired',
      expiresOn: entry.expiresOn,
      refreshAfter: entry.acquiredWall + entry.softAtMs,
      discarded,
    });
    // The caller that asked still gets the token it waited for: it is valid, just not cached.
    return entry.value;
  }

  #onFailure(cause: unknown, reason: RefreshReason): never {
    const error = isKeylessError(cause) ? cause : this.toError(cause);
    this.#failures += 1;
    this.#lastRefresh = { outcome: 'error', at: this.clock.now(), errorCode: error.code };
    const retryInMs = backoffDelayMs(this.#failures, error.retryAfterMs, this.#settings);
    const retryAfter = cappedRetryAfterMs(error.retryAfterMs, this.#settings.backoffMaxMs);
    const now = this.clock.monotonic();
    this.#nextAttemptMono = now + retryInMs;
    if (error.retryAfterMs !== undefined) {
      this.#throttledUntilMono = now + retryAfter;
      this.#lastThrottle = error;
    }
    const entry = this.#entry;
    this.events.emit({
      type: 'refresh-failed',
      reason,
      attempt: this.#failures,
      code: error.code,
      message: error.message,
      servingCachedToken: entry !== undefined && elapsedSince(this.clock, entry) < entry.lifetimeMs,
      retryInMs: Math.round(retryInMs),
    });
    throw error;
  }
}

/** The failure of a token request that did not answer within its deadline (rule 6). */
function tokenRequestTimeout(label: string, timeoutMs: number): KeylessError {
  const seconds = timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${(timeoutMs / 1000).toFixed(1)} s`;
  return new KeylessError(
    'TOKEN_REQUEST_TIMEOUT',
    `${label}: the token endpoint did not answer within ${seconds}; the request was abandoned. Check that the token endpoint (or managed-identity endpoint) is reachable from here and any proxy in between; raise tokenRequestTimeoutMs if it is just slow.`,
  );
}
