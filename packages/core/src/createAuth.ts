import type { Auth } from './auth.js';
import { type Clock, systemClock } from './clock.js';
import { TOKEN_CACHE_DEFAULTS } from './defaults.js';
import { KeylessError } from './errors.js';
import { EventHub } from './events.js';
import { type GatewayKeyOption, gatewayHeader } from './gatewayHeader.js';
import {
  type FlatSharedCacheOptions,
  type SharedCacheOptions,
  sharedCacheOf,
  sharedIdentity,
} from './sharedCache/sharedCacheOption.js';
import type { SharedTokenStore } from './sharedCache/sharedTokenStore.js';
import { withAmbientSecrets } from './strategies/ambientSecrets.js';
import { apiKeyAuth } from './strategies/apiKeyAuth.js';
import { tokenSourceFor } from './strategies/tokenSourceFor.js';
import type { Strategy } from './strategy.js';
import { tokenAuth } from './tokenAuth.js';
import { TOKEN_CACHE_DURATIONS, type TokenCacheOptions } from './tokenCache/tokenCacheOptions.js';
import { requireDuration, requireText } from './validate.js';

export type { Auth, AuthKind, AuthStatus, GetTokenCallOptions } from './auth.js';
export type { SharedCacheOptions } from './sharedCache/sharedCacheOption.js';

/** The scope of Azure OpenAI (and every Azure AI service) data-plane calls. */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** Options of {@link createAuth}. */
export interface AuthOptions extends TokenCacheOptions, FlatSharedCacheOptions {
  /** Token scope. Default {@link COGNITIVE_SERVICES_SCOPE}. */
  scope?: string | undefined;
  /**
   * A gateway's subscription key, sent beside the one credential (Azure API Management in front
   * of Azure OpenAI): the key, or `{ key, header }` (default header `Ocp-Apim-Subscription-Key`).
   * Sent to the configured origin only, and redacted like any secret. With a token strategy set
   * `scope` to the gateway app's audience too.
   */
  gatewayKey?: GatewayKeyOption;
  /** Time source for the token cache; inject one in tests. Default the process clock. */
  clock?: Clock | undefined;
  /**
   * A store the instances of a fleet share (`createRedisTokenStore` from `@keyless/redis`), or
   * `{ store, timeoutMs?, connectTimeoutMs?, waitMs?, leaseMs?, retryMs? }`: one token request for many processes.
   * msalConfidentialClient only (managed identity tokens are never shared between machines). See
   * the README, "Running many instances".
   */
  sharedCache?: SharedTokenStore | SharedCacheOptions | undefined;
  /** @deprecated Use `sharedCache: { store, timeoutMs }`. */
  sharedCacheTimeoutMs?: number | undefined;
  /** @deprecated Use `sharedCache: { store, waitMs }`. */
  sharedCacheWaitMs?: number | undefined;
  /** @deprecated Use `sharedCache: { store, leaseMs }`. */
  sharedCacheLeaseMs?: number | undefined;
  /** @deprecated Use `sharedCache: { store, retryMs }`. */
  sharedCacheRetryMs?: number | undefined;
}

/**
 * Creates an {@link Auth} for a strategy. Settings are validated now: a bad setting throws a
 * {@link KeylessError} here, not at the first request.
 *
 * @example
 * const auth = createAuth({ kind: 'managedIdentity', clientId: process.env.AZURE_CLIENT_ID });
 * const headers = await auth.getRequestHeaders();
 */
export function createAuth(strategy: Strategy, options: AuthOptions = {}): Auth {
  if (typeof strategy !== 'object' || strategy === null) {
    throw new KeylessError(
      'CONFIG_INVALID',
      'createAuth: the strategy is missing. Pass an object such as { kind: "managedIdentity" }.',
    );
  }
  const scope = requireText('createAuth', 'scope', options.scope ?? COGNITIVE_SERVICES_SCOPE);
  validateOptions(options);
  const sharedCache = sharedCacheOf(options);
  const events = new EventHub();
  const gateway = gatewayHeader(options.gatewayKey);
  if (strategy.kind === 'apiKey') return apiKeyAuth(strategy.key, scope, events, gateway);
  const scopes = new Map<string, Auth>();
  /** This Auth's sibling for another scope; see Auth.forScope. */
  const forScope = (other: string): Auth => {
    const wanted = requireText('forScope', 'scope', other);
    if (wanted === scope) return auth;
    let sibling = scopes.get(wanted);
    if (sibling === undefined) {
      // Who chose the scope stays the root's business: a sibling made for an endpoint may still
      // switch audience on a 401, and its own forScope is the root's.
      sibling = { ...createAuth(strategy, { ...options, scope: wanted }), scopeExplicit: auth.scopeExplicit, forScope };
      sibling.on((event) => events.emit(event));
      scopes.set(wanted, sibling);
      events.emit({ type: 'scope-selected', scope: wanted });
    }
    return sibling;
  };

  const timeoutMs = options.tokenRequestTimeoutMs ?? TOKEN_CACHE_DEFAULTS.tokenRequestTimeoutMs;
  const clock = options.clock ?? systemClock;
  const source = withAmbientSecrets(tokenSourceFor(strategy, { scope, timeoutMs }), gateway);
  const identity = sharedCache === undefined ? undefined : sharedIdentity(strategy, scope);
  const scopeExplicit = options.scope !== undefined;
  const auth = tokenAuth(
    { kind: strategy.kind, scope, scopeExplicit, forScope, events, secrets: () => source.secrets },
    (runtime) => {
      const shared =
        sharedCache === undefined || identity === undefined
          ? undefined
          : runtime.sharedCacheFetcher(sharedCache, {
              fetcher: source.fetch,
              identity,
              events,
              clock,
              tokenRequestTimeoutMs: timeoutMs,
              refreshMarginMs: options.refreshMarginMs ?? TOKEN_CACHE_DEFAULTS.refreshMarginMs,
            });
      return runtime.assembleAuth({
        kind: strategy.kind,
        source: shared === undefined ? source : { ...source, fetch: shared.fetch },
        scope,
        scopeExplicit,
        options: { ...options, tokenRequestTimeoutMs: timeoutMs },
        events,
        gateway,
        forScope,
        ...(shared === undefined ? {} : { onDropped: (token: string) => shared.invalidated(token) }),
      });
    },
  );
  return auth;
}

function validateOptions(options: AuthOptions): void {
  for (const setting of TOKEN_CACHE_DURATIONS) {
    requireDuration('createAuth', setting, options[setting], setting === 'tokenRequestTimeoutMs' ? 1 : 0);
  }
  if (options.random !== undefined && typeof options.random !== 'function') {
    throw new KeylessError('CONFIG_INVALID', 'createAuth: random must be a function returning a number in [0, 1).');
  }
  const clock = options.clock;
  if (clock !== undefined && (typeof clock.now !== 'function' || typeof clock.monotonic !== 'function')) {
    throw new KeylessError(
      'CONFIG_INVALID',
      'createAuth: clock must have now() and monotonic() methods. Remove it to use the process clock.',
    );
  }
}
