import type { Clock } from '../clock.js';
import { isKeylessError, KeylessError } from '../errors.js';
import { registeredApiKey } from '../internal/apiKeyRegistry.js';
import { readyHeaders } from '../internal/readyHeaders.js';
import type { RequestAuth } from './authorizedFetch.js';

/** Options of {@link sdkCredential}. */
export interface SdkCredentialOptions {
  /**
   * Retries of a retryable token failure (endpoint unreachable, 5xx, throttled, deadline), each
   * after the failure's Retry-After or 0.5 s, 1 s, …, never more than 8 s: what an SDK's own
   * retries would do had the failure reached it as an answer. Default 2 (openai's default).
   */
  retries?: number | undefined;
  /** Where the waits between retries come from; inject one in tests. Default real timers. */
  clock?: Pick<Clock, 'setTimer'> | undefined;
}

const MAX_WAIT_MS = 8_000;

/**
 * What to give an SDK as its own `apiKey` when it opens connections that keyless's authorized
 * fetch never sees (the openai SDK's Realtime WebSocket handshake):
 *
 * - the apiKey strategy: the key itself (the SDK sends it as `api-key`); for an apiKey auth that
 *   createAuth did not build (a wrapper), a function returning it;
 * - token strategies: a function returning the current bearer token from the Auth's cache,
 *   called by the SDK before every request and every (re)connect, so a connection opened after
 *   a refresh or an invalidation carries the new token. It never returns a placeholder: when no
 *   token can be had it rejects with the KeylessError (after `retries` for a retryable one).
 *
 * HTTP requests still go through {@link createAuthorizedFetch}, which sets the one auth header.
 */
export function sdkCredential(auth: RequestAuth, options: SdkCredentialOptions = {}): string | (() => Promise<string>) {
  if (auth.kind === 'apiKey') {
    const key = registeredApiKey(auth);
    if (key !== undefined) return key;
    // An apiKey auth of the user's own making (a wrapper): its key, read when the SDK asks.
    return async () => {
      const value = (await auth.getRequestHeaders())['api-key'];
      if (value === undefined) {
        throw new KeylessError('CONFIG_INVALID', 'sdkCredential: this apiKey auth gave no api-key header.');
      }
      return value;
    };
  }
  const retries = options.retries ?? 2;
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      // A caller is waiting on this: the timer may keep the process alive, for at most 8 s.
      if (options.clock?.setTimer !== undefined) options.clock.setTimer(ms, resolve);
      else setTimeout(resolve, ms);
    });
  const withRetries = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        return bearerOf(await auth.getRequestHeaders());
      } catch (error) {
        if (!isKeylessError(error) || !error.retryable || attempt >= retries) throw error;
        await wait(Math.min(MAX_WAIT_MS, error.retryAfterMs ?? 500 * 2 ** attempt));
      }
    }
  };
  // Called by the SDK before every request: a cached token is answered without suspending an
  // async function (its frame and reactions are most of what this call would allocate).
  return () => {
    const ready = readyHeaders(auth);
    if (ready === undefined) return withRetries();
    try {
      return Promise.resolve(bearerOf(ready));
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

function bearerOf(headers: Readonly<Record<string, string>>): string {
  const authorization = headers.authorization ?? headers.Authorization;
  if (authorization === undefined || !/^Bearer /i.test(authorization)) {
    throw new KeylessError(
      'CONFIG_INVALID',
      'sdkCredential: the auth gave no bearer token (no Authorization header). Use a token strategy, or the apiKey strategy from createAuth.',
    );
  }
  return authorization.slice(7);
}
