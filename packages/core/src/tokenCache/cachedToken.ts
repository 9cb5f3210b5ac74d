import type { Clock } from '../clock.js';
import { TOKEN_CACHE_DEFAULTS } from '../defaults.js';
import { KeylessError } from '../errors.js';
import { parseTimestamp } from '../internal/parseTimestamp.js';
import type { AccessToken } from '../tokenCredential.js';
import { bearerHeaders } from './bearerHeaders.js';
import { type RefreshWindows, refreshWindows } from './refreshWindows.js';

/** A token the cache holds, with when it is due and what every caller of it is handed. */
export interface CachedToken extends RefreshWindows {
  value: string;
  /** Settled once per token and handed to every caller: a cache hit allocates nothing. */
  promise: Promise<string>;
  headers: Promise<Readonly<Record<string, string>>>;
  /** The same headers, for a caller that can use them without awaiting (see readyHeaders). */
  headerValues: Readonly<Record<string, string>>;
  expiresOn: number;
  acquiredWall: number;
  acquiredMono: number;
  /** How far the wall clock's elapsed time ran ahead of the monotonic clock's at the last look (never less). */
  wallLead: number;
  /** Monotonic time of the next look at the wall clock (rule 7). */
  wallCheckAtMono: number;
  /** Won by a forced refresh (after a 401 or a claims challenge): its rejection grows the pacing interval. */
  forced: boolean;
}

// A token must be safe to put in a header as it is: visible ASCII, no spaces or control characters.
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/**
 * What a fetcher returned, checked and made ready to serve; throws (a failed refresh, rule 5)
 * when it cannot be used: empty, unsafe in a header, an unreadable or past expiry.
 */
export function cachedToken(
  raw: AccessToken,
  clock: Clock,
  settings: {
    refreshMarginMs: number;
    hardWindowMs: number;
    label: string;
    extraHeaders: Readonly<Record<string, string>> | undefined;
    forced: boolean;
  },
): CachedToken {
  if (typeof raw?.token !== 'string' || !HEADER_SAFE.test(raw.token)) {
    throw new KeylessError(
      'TOKEN_REQUEST_FAILED',
      `${settings.label}: the credential returned an empty token or one with whitespace or control characters. Check the credential or token endpoint; such a token is never put in a header.`,
    );
  }
  const expiresOn = parseTimestamp(raw.expiresOnTimestamp);
  const wall = clock.now();
  if (expiresOn === undefined || expiresOn <= wall) {
    throw new KeylessError(
      'TOKEN_REQUEST_FAILED',
      `${settings.label}: the credential returned a token whose expiry (${String(raw.expiresOnTimestamp)}) is unreadable or already past. Check the token endpoint's expires_on/expires_in and this machine's clock (it may run fast).`,
      { secrets: [raw.token] },
    );
  }
  const hinted = parseTimestamp(raw.refreshAfterTimestamp);
  const headerValues = bearerHeaders(raw.token, settings.extraHeaders);
  return {
    ...refreshWindows(expiresOn - wall, hinted === undefined ? undefined : hinted - wall, settings),
    value: raw.token,
    promise: Promise.resolve(raw.token),
    headers: Promise.resolve(headerValues),
    headerValues,
    expiresOn,
    acquiredWall: wall,
    acquiredMono: clock.monotonic(),
    wallLead: 0,
    wallCheckAtMono: 0,
    forced: settings.forced,
  };
}

/**
 * Time since `entry` was acquired (rule 7): the monotonic clock's, plus however far the wall
 * clock ever ran ahead of it (a suspended machine, whose monotonic clock stopped). One clock
 * read per call; the wall clock is read at most once per `wallCheckMs` of monotonic time, and a
 * wall clock moved back never lowers the lead, so it never makes an expired token look valid.
 */
export function elapsedSince(clock: Clock, entry: CachedToken): number {
  const mono = clock.monotonic();
  const monoElapsed = mono - entry.acquiredMono;
  if (mono >= entry.wallCheckAtMono) {
    entry.wallLead = Math.max(entry.wallLead, clock.now() - entry.acquiredWall - monoElapsed);
    entry.wallCheckAtMono = mono + TOKEN_CACHE_DEFAULTS.wallCheckMs;
  }
  return monoElapsed + entry.wallLead;
}
