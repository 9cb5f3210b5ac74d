import { ManualClock } from '@keyless/testing';
import { KeylessError } from '../../src/errors.js';
import { type AuthEvent, EventHub } from '../../src/events.js';
import { TokenCache, type TokenRequest } from '../../src/tokenCache/tokenCache.js';
import type { AccessToken } from '../../src/tokenCredential.js';

export const MINUTE = 60_000;

/** A scripted credential: each call returns the next outcome, or a fresh token for `lifetimeMs`. */
export function harness(options: { lifetimeMs?: number; refreshAfterMs?: number; timeoutMs?: number } = {}) {
  const clock = new ManualClock();
  const events = new EventHub();
  const seen: AuthEvent[] = [];
  events.on((e) => seen.push(e));
  const requests: TokenRequest[] = [];
  const queue: Array<'fail' | 'throttle' | 'hang' | 'expired'> = [];
  let pending: Array<() => void> = [];
  let issued = 0;
  const fetcher = async (request: TokenRequest): Promise<AccessToken> => {
    requests.push(request);
    const next = queue.shift();
    if (next === 'hang') await new Promise<void>((resolve) => pending.push(resolve));
    if (next === 'fail') throw new Error('token endpoint answered 503');
    if (next === 'throttle')
      throw new KeylessError('THROTTLED', 'test: throttled.', { retryAfterMs: 45_000, status: 429 });
    issued += 1;
    const now = clock.now();
    // A VM whose clock runs an hour fast sees every token as already expired.
    if (next === 'expired') return { token: `token-${issued}`, expiresOnTimestamp: now - 60 * MINUTE };
    return {
      token: `token-${issued}`,
      expiresOnTimestamp: now + (options.lifetimeMs ?? 60 * MINUTE),
      refreshAfterTimestamp: options.refreshAfterMs === undefined ? undefined : now + options.refreshAfterMs,
    };
  };
  const toError = (e: unknown) =>
    new KeylessError('TOKEN_REQUEST_FAILED', `test: ${(e as Error).message}.`, { cause: e });
  const cache = new TokenCache(fetcher, {
    clock,
    events,
    toError,
    random: () => 0.5,
    tokenRequestTimeoutMs: options.timeoutMs,
  });
  const release = () => {
    for (const resolve of pending) resolve();
    pending = [];
  };
  return { clock, cache, requests, queue, seen, release };
}
