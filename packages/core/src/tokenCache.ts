import { type Clock, systemClock } from './clock.js';
import { isKeylessError, KeylessError } from './errors.js';
import type { EventHub, RefreshReason } from './events.js';
import { parseTimestamp } from './internal/parseTimestamp.js';
import type { AccessToken } from './tokenCredential.js';

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

/** What the cache needs beyond its options: names in messages, headers beside the bearer. */
interface CacheWiring {
  /** Names the strategy in messages. */
  label?: string | undefined;
  /** Headers every request carries beside `authorization` (a gateway's subscription key). */
  extraHeaders?: Readonly<Record<string, string>> | undefined;
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

interface Entry {
  value: string;
  /** Settled once per token and handed to every caller: a cache hit allocates nothing. */
  promise: Promise<string>;
  headers: Promise<Readonly<Record<string, string>>>;
  expiresOn: number;
  acquiredWall: number;
  acquiredMono: number;
  /** How far the wall clock's elapsed time ran ahead of the monotonic clock's at the last look (never less). */
  wallLead: number;
  /** Monotonic time of the next look at the wall clock (rule 7). */
  wallCheckAtMono: number;
  lifetimeMs: number;
  softAtMs: number;
  hardAtMs: number;
  /** Won by a forced refresh (after a 401 or a claims challenge): its rejection grows the pacing interval. */
  forced: boolean;
}

/** How often (monotonic ms) a cache hit also looks at the wall clock. */
const WALL_CHECK_MS = 1_000;

const DEFAULTS = {
  refreshMarginMs: 5 * 60_000,
  hardWindowMs: 30_000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
  tokenRequestTimeoutMs: 30_000,
  forcedRefreshIntervalMs: 10_000,
};

/** The longest the pacing interval of forced refreshes grows to (rule 8). */
const MAX_FORCED_INTERVAL_MS = 5 * 60_000;

// A token must be safe to put in a header as it is: visible ASCII, no spaces or control characters.
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** The single-flight, proactively refreshing token cache described in the block comment above. */
export class TokenCache {
  #entry: Entry | undefined;
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
  readonly #settings: typeof DEFAULTS & { random: () => number };

  constructor(
    private readonly fetcher: TokenFetcher,
    private readonly clock: Clock,
    private readonly events: EventHub,
    private readonly toError: (error: unknown) => KeylessError,
    options: TokenCacheOptions & CacheWiring = {},
    private readonly label = options.label ?? 'token cache',
    private readonly extraHeaders = options.extraHeaders,
  ) {
    this.#settings = {
      refreshMarginMs: options.refreshMarginMs ?? DEFAULTS.refreshMarginMs,
      hardWindowMs: options.hardWindowMs ?? DEFAULTS.hardWindowMs,
      backoffInitialMs: options.backoffInitialMs ?? DEFAULTS.backoffInitialMs,
      backoffMaxMs: options.backoffMaxMs ?? DEFAULTS.backoffMaxMs,
      tokenRequestTimeoutMs: options.tokenRequestTimeoutMs ?? DEFAULTS.tokenRequestTimeoutMs,
      forcedRefreshIntervalMs: options.forcedRefreshIntervalMs ?? DEFAULTS.forcedRefreshIntervalMs,
      random: options.random ?? Math.random,
    };
    this.#setTimer = clock.setTimer?.bind(clock) ?? systemClock.setTimer;
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

  /** The cached entry when it may be served without waiting (starting a background refresh if due). */
  #servable(): Entry | undefined {
    const entry = this.#entry;
    if (entry === undefined) return undefined;
    const elapsed = this.#elapsed(entry);
    if (elapsed < entry.softAtMs) return entry;
    if (elapsed >= entry.hardAtMs) return undefined;
    if (this.#mayAttempt()) this.#background('background');
    return entry;
  }

  /** The slow path: hard window (wait, but keep a valid token on failure), expired, or cold. */
  #wait(): Promise<string> {
    const entry = this.#entry;
    if (entry !== undefined && this.#elapsed(entry) < entry.lifetimeMs) return this.#blocking(entry);
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
  #mayForce(entry: Entry, reason: 'invalidated' | 'claims'): boolean {
    const now = this.clock.monotonic();
    if (now < this.#forcedAllowedMono) {
      this.events.emit({ type: 'refresh-paced', reason, retryInMs: Math.ceil(this.#forcedAllowedMono - now) });
      return false;
    }
    this.#forcedStreak = entry.forced ? this.#forcedStreak + 1 : 0;
    const interval = this.#settings.forcedRefreshIntervalMs * 2 ** this.#forcedStreak;
    this.#forcedAllowedMono = now + Math.min(MAX_FORCED_INTERVAL_MS, interval);
    return true;
  }

  /** Expiry (epoch ms) of the cached token, if any. For diagnostics; never the token. */
  get expiresOn(): number | undefined {
    return this.#entry?.expiresOn;
  }

  async #blocking(entry: Entry): Promise<string> {
    if (this.#inflight === undefined && !this.#mayAttempt()) return entry.value;
    try {
      return await this.#refresh('blocking');
    } catch (error) {
      if (this.#elapsed(entry) < entry.lifetimeMs) return entry.value;
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
    const run = () =>
      this.#withDeadline((signal) =>
        this.fetcher({ forceRefresh, reason, signal, ...(claims === undefined ? {} : { claims }) }),
      )
        .then((raw) => this.#toEntry(raw, reason === 'invalidated' || reason === 'claims'))
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
    const elapsed = entry === undefined ? undefined : this.#elapsed(entry);
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

  /** Runs `request`, rejecting with TOKEN_REQUEST_TIMEOUT (and aborting it) when the deadline passes. */
  #withDeadline(request: (signal: AbortSignal) => Promise<AccessToken>): Promise<AccessToken> {
    const controller = new AbortController();
    const timeoutMs = this.#settings.tokenRequestTimeoutMs;
    return new Promise<AccessToken>((resolve, reject) => {
      const cancel = this.#setTimer(timeoutMs, () => {
        const error = new KeylessError(
          'TOKEN_REQUEST_TIMEOUT',
          `${this.label}: the token endpoint did not answer within ${formatSeconds(timeoutMs)}; the request was abandoned. Check that the token endpoint (or managed-identity endpoint) is reachable from here and any proxy in between; raise tokenRequestTimeoutMs if it is just slow.`,
        );
        controller.abort(error);
        reject(error);
      });
      request(controller.signal).then(
        (token) => {
          cancel();
          resolve(token);
        },
        (error: unknown) => {
          cancel();
          reject(error);
        },
      );
    });
  }

  #onSuccess(entry: Entry, generation: number, claims: boolean): string {
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
    const { backoffInitialMs, backoffMaxMs, random } = this.#settings;
    const exponential = Math.min(backoffMaxMs, backoffInitialMs * 2 ** (this.#failures - 1));
    const jittered = exponential * (0.5 + random() / 2);
    const retryAfter = Math.min(error.retryAfterMs ?? 0, backoffMaxMs);
    const retryInMs = Math.max(jittered, retryAfter);
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
      servingCachedToken: entry !== undefined && this.#elapsed(entry) < entry.lifetimeMs,
      retryInMs: Math.round(retryInMs),
    });
    throw error;
  }

  /** Checks a token before it is cached; throws (a failed refresh) when it cannot be used. */
  #toEntry(raw: AccessToken, forced: boolean): Entry {
    if (typeof raw?.token !== 'string' || !HEADER_SAFE.test(raw.token)) {
      throw new KeylessError(
        'TOKEN_REQUEST_FAILED',
        `${this.label}: the credential returned an empty token or one with whitespace or control characters. Check the credential or token endpoint; such a token is never put in a header.`,
      );
    }
    const expiresOn = parseTimestamp(raw.expiresOnTimestamp);
    const wall = this.clock.now();
    if (expiresOn === undefined || expiresOn <= wall) {
      throw new KeylessError(
        'TOKEN_REQUEST_FAILED',
        `${this.label}: the credential returned a token whose expiry (${String(raw.expiresOnTimestamp)}) is unreadable or already past. Check the token endpoint's expires_on/expires_in and this machine's clock (it may run fast).`,
        { secrets: [raw.token] },
      );
    }
    const lifetimeMs = expiresOn - wall;
    const margin = Math.min(this.#settings.refreshMarginMs, lifetimeMs / 2);
    const hardAtMs = lifetimeMs - Math.min(this.#settings.hardWindowMs, lifetimeMs / 4);
    const hinted = parseTimestamp(raw.refreshAfterTimestamp);
    const softAtMs = Math.min(hinted === undefined ? lifetimeMs - margin : Math.max(0, hinted - wall), hardAtMs);
    return {
      value: raw.token,
      promise: Promise.resolve(raw.token),
      headers: Promise.resolve(bearerHeaders(raw.token, this.extraHeaders)),
      expiresOn,
      acquiredWall: wall,
      acquiredMono: this.clock.monotonic(),
      wallLead: 0,
      wallCheckAtMono: 0,
      lifetimeMs,
      softAtMs,
      hardAtMs,
      forced,
    };
  }

  /**
   * Time since the entry was acquired (rule 7): the monotonic clock's, plus however far the wall
   * clock ever ran ahead of it (a suspended machine, whose monotonic clock stopped). One clock
   * read per call; the wall clock is read at most once per WALL_CHECK_MS of monotonic time, and a
   * wall clock moved back never lowers the lead, so it never makes an expired token look valid.
   */
  #elapsed(entry: Entry): number {
    const mono = this.clock.monotonic();
    const monoElapsed = mono - entry.acquiredMono;
    if (mono >= entry.wallCheckAtMono) {
      entry.wallLead = Math.max(entry.wallLead, this.clock.now() - entry.acquiredWall - monoElapsed);
      entry.wallCheckAtMono = mono + WALL_CHECK_MS;
    }
    return monoElapsed + entry.wallLead;
  }
}

/** `{ authorization: 'Bearer …' }` (and `extra`), frozen: shared by every caller of one token. */
export function bearerHeaders(
  token: string,
  extra?: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  return Object.freeze({ ...extra, authorization: `Bearer ${token}` });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
