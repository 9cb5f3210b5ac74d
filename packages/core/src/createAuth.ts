import { assembleAuth, withAmbientSecrets } from './assembleAuth.js';
import type { Auth } from './auth.js';
import { type Clock, systemClock } from './clock.js';
import { KeylessError } from './errors.js';
import { EventHub } from './events.js';
import { registerApiKey } from './internal/apiKeyRegistry.js';
import { redactText } from './redact.js';
import { sharedFetcher } from './sharedCache/sharedFetcher.js';
import type { SharedTokenStore } from './sharedCache/sharedTokenStore.js';
import { credentialSource } from './strategies/credentialSource.js';
import { defaultSource } from './strategies/defaultStrategy.js';
import { managedIdentitySource } from './strategies/managedIdentityStrategy.js';
import { msalConfidentialClientSource } from './strategies/msalConfidentialClientStrategy.js';
import type { SourceContext, TokenSource } from './strategies/tokenSource.js';
import type { Strategy } from './strategy.js';
import { TOKEN_CACHE_DURATIONS, type TokenCacheOptions } from './tokenCache.js';
import { isTokenCredential } from './tokenCredential.js';
import { requireDuration, requireText } from './validate.js';

export type { Auth, AuthKind, AuthStatus, GetTokenCallOptions } from './auth.js';

/** The scope of Azure OpenAI (and every Azure AI service) data-plane calls. */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** Options of {@link createAuth}. */
export interface AuthOptions extends TokenCacheOptions {
  /** Token scope. Default {@link COGNITIVE_SERVICES_SCOPE}. */
  scope?: string | undefined;
  /**
   * A gateway's subscription key, sent beside the one credential (Azure API Management in front
   * of Azure OpenAI): the key, or `{ key, header }` (default header `Ocp-Apim-Subscription-Key`).
   * Sent to the configured origin only, and redacted like any secret. With a token strategy set
   * `scope` to the gateway app's audience too.
   */
  gatewayKey?: string | { key: string; header?: string | undefined } | undefined;
  /** Time source for the token cache; inject one in tests. Default the process clock. */
  clock?: Clock | undefined;
  /**
   * A store the instances of a fleet share (`createRedisTokenStore` from `@keyless/redis`), or
   * `{ store, timeoutMs?, waitMs?, leaseMs?, retryMs? }`: one token request for many processes.
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

/** The shared cache with its settings: {@link AuthOptions.sharedCache}. All durations in ms. */
export interface SharedCacheOptions {
  /** The store, e.g. `createRedisTokenStore({ url, encryptionKey })` from `@keyless/redis`. */
  store: SharedTokenStore;
  /** Longest one store call may take before the store is skipped. Default 250. */
  timeoutMs?: number | undefined;
  /** How long other instances wait for the one holding the lease. Default 3,000. */
  waitMs?: number | undefined;
  /** How long the instance asking the token endpoint holds the lease. Default 10,000. */
  leaseMs?: number | undefined;
  /** After a store failure, how long it is skipped before being tried again. Default 5,000. */
  retryMs?: number | undefined;
}

const SHARED_CACHE_DURATIONS = ['timeoutMs', 'waitMs', 'leaseMs', 'retryMs'] as const;

/** `sharedCache` in its one shape, the deprecated flat settings folded in (the grouped ones win). */
function sharedCacheOf(options: AuthOptions): SharedCacheOptions | undefined {
  const given = options.sharedCache;
  if (given === undefined) return undefined;
  const grouped = typeof given === 'object' && given !== null && 'store' in given ? given : undefined;
  const shared: SharedCacheOptions = {
    store: grouped?.store ?? (given as SharedTokenStore),
    timeoutMs: grouped?.timeoutMs ?? options.sharedCacheTimeoutMs,
    waitMs: grouped?.waitMs ?? options.sharedCacheWaitMs,
    leaseMs: grouped?.leaseMs ?? options.sharedCacheLeaseMs,
    retryMs: grouped?.retryMs ?? options.sharedCacheRetryMs,
  };
  for (const setting of SHARED_CACHE_DURATIONS)
    requireDuration('createAuth', `sharedCache.${setting}`, shared[setting], 1);
  return shared;
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

  const timeoutMs = options.tokenRequestTimeoutMs ?? DEFAULT_TOKEN_REQUEST_TIMEOUT_MS;
  const created = tokenSource(strategy, { scope, timeoutMs });
  const clock = options.clock ?? systemClock;
  const source = withAmbientSecrets(created, gateway);
  const sharedCache = sharedCacheOf(options);
  const shared =
    sharedCache === undefined
      ? undefined
      : sharedFetcher(
          source.fetch,
          requireSharedStore(sharedCache.store),
          sharedIdentity(strategy, scope),
          events,
          {
            now: () => clock.now(),
            monotonic: () => clock.monotonic(),
            setTimer: clock.setTimer?.bind(clock) ?? systemClock.setTimer,
            // With the process clock, waiting for another instance's token keeps the process alive.
            ...(clock === systemClock
              ? { sleepTimer: (ms: number, done: () => void) => void setTimeout(done, ms) }
              : {}),
          },
          {
            timeoutMs: sharedCache.timeoutMs ?? 250,
            waitMs: sharedCache.waitMs ?? 3_000,
            leaseMs: sharedCache.leaseMs ?? 10_000,
            cooldownMs: sharedCache.retryMs ?? 5_000,
            pollMs: 50,
            refreshMarginMs: options.refreshMarginMs ?? 5 * 60_000,
          },
        );
  const auth = assembleAuth({
    kind: strategy.kind,
    source: shared === undefined ? source : { ...source, fetch: shared.fetch },
    scope,
    scopeExplicit: options.scope !== undefined,
    options: { ...options, tokenRequestTimeoutMs: timeoutMs },
    events,
    gateway,
    forScope,
    ...(shared === undefined ? {} : { onDropped: (token: string) => shared.invalidated(token) }),
  });
  return auth;
}

/** The deadline of one token request when `tokenRequestTimeoutMs` is not given. */
export const DEFAULT_TOKEN_REQUEST_TIMEOUT_MS = 30_000;

/**
 * What makes a token what it is, for the shared cache's entry name: authority, tenant, client id
 * and scope. Only a service principal's tokens may be shared: a managed identity's belong to its
 * machine (Microsoft's guidance), a credential object's origin is unknown, a key has no token.
 */
function sharedIdentity(strategy: Strategy, scope: string): string[] {
  if (strategy.kind !== 'msalConfidentialClient') {
    throw new KeylessError(
      'CONFIG_INVALID',
      `createAuth: sharedCache works with the msalConfidentialClient strategy (a secret, a certificate, a client assertion, workload identity or GitHub Actions OIDC), not ${strategy.kind}. ${
        strategy.kind === 'managedIdentity' || strategy.kind === 'default'
          ? 'Managed identity tokens must not be shared between machines (Microsoft guidance): remove sharedCache, each instance asks its own identity endpoint.'
          : 'Remove sharedCache.'
      }`,
    );
  }
  return [strategy.authorityHost ?? 'https://login.microsoftonline.com', strategy.tenantId, strategy.clientId, scope];
}

function requireSharedStore(store: SharedTokenStore): SharedTokenStore {
  const methods = ['get', 'set', 'acquireLease', 'deleteIfEquals'] as const;
  if (typeof store !== 'object' || store === null || methods.some((name) => typeof store[name] !== 'function')) {
    throw new KeylessError(
      'CONFIG_INVALID',
      'createAuth: sharedCache must be a shared token store, such as createRedisTokenStore({ url, encryptionKey }) from @keyless/redis.',
    );
  }
  const key = store.encryptionKey as unknown;
  const size = key instanceof Uint8Array ? key.length : isSecretKeyObject(key) ? key.symmetricKeySize : undefined;
  if (size !== 32) {
    throw new KeylessError(
      'CONFIG_INVALID',
      'createAuth: sharedCache.encryptionKey must be a 32-byte secret: createSecretKey(bytes) from node:crypto, or the bytes. Make one with `openssl rand -base64 32`.',
    );
  }
  return store;
}

function isSecretKeyObject(value: unknown): value is { symmetricKeySize: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'secret' &&
    typeof (value as { symmetricKeySize?: unknown }).symmetricKeySize === 'number'
  );
}

function validateOptions(options: AuthOptions): void {
  for (const setting of [
    'sharedCacheTimeoutMs',
    'sharedCacheWaitMs',
    'sharedCacheLeaseMs',
    'sharedCacheRetryMs',
  ] as const) {
    requireDuration('createAuth', setting, options[setting], 1);
  }
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

function tokenSource(strategy: Exclude<Strategy, { kind: 'apiKey' }>, context: SourceContext): TokenSource {
  const { scope } = context;
  switch (strategy.kind) {
    case 'default':
      return defaultSource(strategy, scope);
    case 'managedIdentity':
      return managedIdentitySource(strategy, context);
    case 'msalConfidentialClient':
      return msalConfidentialClientSource(strategy, context);
    case 'credential': {
      const credential = strategy.credential;
      if (!isTokenCredential(credential)) {
        throw new KeylessError(
          'CONFIG_INVALID',
          'credential: the object has no getToken(scopes, options) method. Pass a TokenCredential, e.g. new ManagedIdentityCredential() from @azure/identity.',
        );
      }
      return credentialSource('credential', async () => credential, scope);
    }
    default: {
      const unknown: never = strategy;
      throw new KeylessError(
        'CONFIG_INVALID',
        `createAuth: unknown strategy kind "${String((unknown as { kind?: unknown }).kind)}". Use one of default, managedIdentity, msalConfidentialClient, apiKey or credential.`,
      );
    }
  }
}

/** The gateway's subscription-key header, validated; undefined without one. */
function gatewayHeader(option: AuthOptions['gatewayKey']): Readonly<Record<string, string>> | undefined {
  if (option === undefined) return undefined;
  const key = requireText('createAuth', 'gatewayKey', typeof option === 'string' ? option : option?.key);
  const header =
    typeof option === 'string' || option.header === undefined ? 'ocp-apim-subscription-key' : option.header;
  if (!/^[a-z0-9-]+$/i.test(header) || ['authorization', 'api-key', 'cookie', 'host'].includes(header.toLowerCase())) {
    throw new KeylessError(
      'CONFIG_INVALID',
      `createAuth: gatewayKey.header must be a header name of its own such as Ocp-Apim-Subscription-Key, not ${JSON.stringify(header).slice(0, 40)}. The credential header is keyless's to set.`,
    );
  }
  return Object.freeze({ [header.toLowerCase()]: key });
}

function apiKeyAuth(
  key: unknown,
  scope: string,
  events: EventHub,
  gateway: Readonly<Record<string, string>> | undefined,
): Auth {
  const value = requireText('apiKey', 'key', key);
  const headers = Promise.resolve(Object.freeze({ ...gateway, 'api-key': value }));
  const refuse = () =>
    Promise.reject(
      new KeylessError(
        'UNSUPPORTED_OPERATION',
        'apiKey: an API-key auth has no bearer token. Use getRequestHeaders(), or a token strategy such as managedIdentity.',
      ),
    );
  const auth: Auth = {
    kind: 'apiKey',
    scope,
    scopeExplicit: false,
    // A key has no audience: the same key whatever the scope.
    forScope: () => auth,
    getRequestHeaders: () => headers,
    getToken: refuse,
    tokenProvider: refuse,
    invalidate: () => false,
    on: (listener) => events.on(listener),
    redact: (text) => redactText(text, [value, ...(gateway === undefined ? [] : Object.values(gateway))]),
    status: () => ({
      strategy: 'apiKey',
      ready: true,
      tokenCached: false,
      expiresInSeconds: undefined,
      lastRefresh: undefined,
      consecutiveFailures: 0,
      nextAttemptAt: undefined,
      throttledUntil: undefined,
    }),
  };
  registerApiKey(auth, value);
  return auth;
}
