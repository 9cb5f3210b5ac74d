import type { Auth, AuthKind, GetTokenCallOptions } from './auth.js';
import { type Clock, systemClock } from './clock.js';
import { isKeylessError } from './errors.js';
import type { EventHub } from './events.js';
import { withReadyHeaders } from './internal/readyHeaders.js';
import { tokenRequestError } from './internal/tokenRequestError.js';
import { redactText } from './redact.js';
import type { TokenSource } from './strategies/tokenSource.js';
import { nextAuthInstance, type ObservedAuth, observeTokenRequest } from './telemetry/tokenTelemetry.js';
import { bearerHeaders, TokenCache, type TokenCacheOptions } from './tokenCache/tokenCache.js';

/** What {@link assembleAuth} joins into one Auth. */
export interface AuthParts {
  kind: AuthKind;
  /** Where tokens come from, and the secrets to redact (ambient ones included: see `withAmbientSecrets`). */
  source: TokenSource;
  scope: string;
  scopeExplicit: boolean;
  options: TokenCacheOptions & { clock?: Clock | undefined };
  events: EventHub;
  /** Headers every request carries beside the bearer (a gateway's subscription key). */
  gateway?: Readonly<Record<string, string>> | undefined;
  /** The Auth's {@link Auth.forScope}. */
  forScope: (scope: string) => Auth;
  /** Told when invalidate() dropped the cached token (the shared cache removes its copy). */
  onDropped?: ((token: string) => void) | undefined;
}

/**
 * One token cache, its telemetry and the Auth facade over them: what every token Auth is,
 * whether made by createAuth for a strategy or by createOnBehalfOf for a user.
 */
export function assembleAuth({
  kind,
  source,
  scope,
  scopeExplicit,
  options,
  events,
  gateway,
  forScope,
  onDropped,
}: AuthParts): Auth {
  const clock = options.clock ?? systemClock;
  const cache = new TokenCache(source.fetch, {
    ...options,
    clock,
    events,
    toError: (error) => tokenRequestError(kind, error, source.secrets),
    label: kind,
    extraHeaders: gateway,
  });
  const observed: ObservedAuth = {
    strategy: kind,
    scope,
    instance: nextAuthInstance(),
    expiresInSeconds: () => cache.status().expiresInSeconds,
  };
  cache.observeRequests((info, run) =>
    observeTokenRequest({ strategy: kind, ...info }, observed, run, (result) =>
      'value' in result
        ? { ok: true, expiresInSeconds: cache.status().expiresInSeconds }
        : { ok: false, errorType: isKeylessError(result.error) ? result.error.code : 'UNKNOWN' },
    ),
  );
  const getToken = (call?: GetTokenCallOptions) =>
    call?.claims === undefined ? cache.get() : cache.getWithClaims(call.claims, call.challengedToken);
  const auth: Auth = {
    kind,
    scope,
    scopeExplicit,
    forScope,
    getToken,
    tokenProvider: () => cache.get(),
    getRequestHeaders: (call) =>
      call?.claims === undefined
        ? cache.getHeaders()
        : cache.getWithClaims(call.claims, call.challengedToken).then((token) => bearerHeaders(token, gateway)),
    invalidate: (token) => {
      const dropped = cache.invalidate(token);
      if (dropped) onDropped?.(token);
      return dropped;
    },
    on: (listener) => events.on(listener),
    redact: (text) => redactText(text, source.secrets),
    status: () => {
      const status = cache.status();
      return { strategy: kind, ...status, ready: status.tokenCached || status.lastRefresh?.outcome === 'ok' };
    },
  };
  return withReadyHeaders(auth, () => cache.readyHeaders());
}
