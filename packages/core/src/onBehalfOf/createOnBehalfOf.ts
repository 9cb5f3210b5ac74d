import type { Auth } from '../auth.js';
import { type Clock, systemClock } from '../clock.js';
import { COGNITIVE_SERVICES_SCOPE } from '../createAuth.js';
import { ON_BEHALF_OF_DEFAULTS, TOKEN_CACHE_DEFAULTS } from '../defaults.js';
import { isKeylessError, KeylessError } from '../errors.js';
import { type AuthEventListener, EventHub } from '../events.js';
import { parseTimestamp } from '../internal/parseTimestamp.js';
import { redactText } from '../redact.js';
import { withAmbientSecrets } from '../strategies/ambientSecrets.js';
import { type ConfidentialClientSettings, confidentialClient } from '../strategies/confidentialClient.js';
import type { TokenSource } from '../strategies/tokenSource.js';
import { tokenAuth } from '../tokenAuth.js';
import { TOKEN_CACHE_DURATIONS, type TokenCacheOptions } from '../tokenCache/tokenCacheOptions.js';
import { requireDuration, requireText } from '../validate.js';
import { userAssertionKey } from './userAssertionKey.js';

/**
 * Options of {@link createOnBehalfOf}: the API's own app registration (a confidential client, as
 * for the msalConfidentialClient strategy: exactly one of a client secret, a certificate or a
 * client-assertion callback, workload identity and GitHub Actions OIDC included), the downstream
 * scope, the bound on users held, and the token cache's settings (applied per user).
 */
export type OnBehalfOfOptions = ConfidentialClientSettings &
  TokenCacheOptions & {
    /** Scope of the tokens asked on the user's behalf. Default {@link COGNITIVE_SERVICES_SCOPE}. */
    scope?: string | undefined;
    /**
     * Most users whose tokens are held at once; beyond it the least recently used is dropped
     * (its next request asks Entra ID again). Default 1,000.
     */
    maxUsers?: number | undefined;
    /** Time source; inject one in tests. Default the process clock. */
    clock?: Clock | undefined;
  };

/** What {@link createOnBehalfOf} returns: one bounded cache of users, each with an {@link Auth}. */
export interface OnBehalfOf {
  /**
   * The Auth that acts as the user whose access token (the bearer your API received) is
   * `userAssertion`: pass it to any adapter. The same assertion gives the same Auth (one token
   * request however many requests that user makes at once); users are told apart by a SHA-256
   * hash of the whole assertion, never by claims read from it, so a forged token naming another
   * user's `oid` can never get that user's token. Entra ID checks the assertion; keyless does not
   * (validate it in your API first, as you would anyway).
   */
  forUser(userAssertion: string): Auth;
  /** Users whose Auth is held now (at most `maxUsers`). */
  readonly size: number;
  /** Subscribes to the {@link AuthEvent}s of every user's Auth (none names a user or carries a secret). */
  on(listener: AuthEventListener): () => void;
  /** Redacts this client's secrets (and any token-shaped text) from `text`. */
  redact(text: string): string;
  /** Drops every user's Auth (their next requests ask Entra ID again). */
  clear(): void;
}

interface UserEntry {
  auth: Auth;
  /** Wall-clock expiry of the user's token; Infinity until the first one arrives. */
  expiresAt: number;
}

/**
 * On-behalf-of (OAuth 2.0 OBO): a web API that received a user's token calls Azure OpenAI as that
 * user, so role assignments, quotas and audit logs see the person. Settings are validated now;
 * msal-node is loaded on the first token request.
 *
 * @example
 * const obo = createOnBehalfOf({ tenantId, clientId, clientSecret });
 * app.post('/summarize', async (req, res) => {
 *   const client = createAzureOpenAI({ auth: obo.forUser(bearerOf(req)), endpoint, deployment });
 *   ...
 * });
 */
export function createOnBehalfOf(options: OnBehalfOfOptions): OnBehalfOf {
  if (typeof options !== 'object' || options === null) {
    throw new KeylessError(
      'CONFIG_INVALID',
      'onBehalfOf: the options are missing. Pass { tenantId, clientId, clientSecret } (or certificate, or clientAssertion) of the API app registration.',
    );
  }
  const scope = requireText('onBehalfOf', 'scope', options.scope ?? COGNITIVE_SERVICES_SCOPE);
  const maxUsers = options.maxUsers ?? ON_BEHALF_OF_DEFAULTS.maxUsers;
  if (!Number.isInteger(maxUsers) || maxUsers < 1) {
    throw new KeylessError(
      'CONFIG_INVALID',
      `onBehalfOf: maxUsers must be a whole number of at least 1, not ${String(maxUsers).slice(0, 20)}. Remove it for the default (1,000).`,
    );
  }
  for (const setting of TOKEN_CACHE_DURATIONS) {
    requireDuration('onBehalfOf', setting, options[setting], setting === 'tokenRequestTimeoutMs' ? 1 : 0);
  }
  const timeoutMs = options.tokenRequestTimeoutMs ?? TOKEN_CACHE_DEFAULTS.tokenRequestTimeoutMs;
  const client = confidentialClient('onBehalfOf', options, timeoutMs);
  const clock = options.clock ?? systemClock;
  const events = new EventHub();
  const cacheOptions = { ...options, tokenRequestTimeoutMs: timeoutMs, clock };
  /** Least recently used first (a Map keeps insertion order; a hit moves the entry to the end). */
  const users = new Map<string, UserEntry>();
  const refusals = new Map<string, { error: KeylessError; until: number }>();

  const remember = (key: string, entry: UserEntry) => {
    users.delete(key);
    users.set(key, entry);
    let looked = 0;
    for (const [oldKey, old] of users) {
      if (looked++ >= ON_BEHALF_OF_DEFAULTS.sweepPerInsert) break;
      if (old.expiresAt <= clock.now()) users.delete(oldKey);
    }
    while (users.size > maxUsers) users.delete(users.keys().next().value as string);
  };

  const userAuth = (assertion: string, wanted: string): Auth => {
    const key = userAssertionKey(assertion, wanted);
    const held = users.get(key);
    if (held !== undefined && held.expiresAt > clock.now()) {
      users.delete(key);
      users.set(key, held);
      return held.auth;
    }
    const scopes = [wanted];
    const source: TokenSource = {
      get secrets() {
        return [...client.secrets, assertion];
      },
      fetch: async ({ claims }) => {
        const refused = refusals.get(key);
        if (refused !== undefined && refused.until > clock.now()) throw refused.error;
        refusals.delete(key);
        try {
          const token = await client.acquire(
            (app) =>
              app.acquireTokenOnBehalfOf({
                oboAssertion: assertion,
                scopes,
                // keyless holds the user's token; msal's cache is emptied after every request.
                skipCache: true,
                ...(claims === undefined ? {} : { claims }),
              }),
            { keepCache: false },
          );
          const current = users.get(key);
          if (current?.auth === auth) current.expiresAt = parseTimestamp(token.expiresOnTimestamp) ?? 0;
          return token;
        } catch (error) {
          // Never cached: a refused assertion leaves the cache, and is answered from memory a while.
          if (isKeylessError(error) && !error.retryable) {
            if (users.get(key)?.auth === auth) users.delete(key);
            refusals.delete(key);
            refusals.set(key, { error, until: clock.now() + ON_BEHALF_OF_DEFAULTS.refusalMemoryMs });
            if (refusals.size > maxUsers) refusals.delete(refusals.keys().next().value as string);
          }
          throw error;
        }
      },
    };
    const own = new EventHub();
    own.on((event) => events.emit(event));
    const ambient = withAmbientSecrets(source, undefined);
    const facts = {
      kind: 'onBehalfOf' as const,
      scope: wanted,
      scopeExplicit: options.scope !== undefined,
      events: own,
      forScope: (other: string) =>
        other === wanted ? auth : userAuth(assertion, requireText('forScope', 'scope', other)),
    };
    const auth: Auth = tokenAuth({ ...facts, secrets: () => ambient.secrets }, (runtime) =>
      runtime.assembleAuth({ ...facts, source: ambient, options: cacheOptions }),
    );
    remember(key, { auth, expiresAt: Number.POSITIVE_INFINITY });
    return auth;
  };

  return {
    forUser: (userAssertion) => userAuth(requireAssertion(userAssertion), scope),
    get size() {
      return users.size;
    },
    on: (listener) => events.on(listener),
    redact: (text) => redactText(text, client.secrets),
    clear: () => {
      users.clear();
      refusals.clear();
    },
  };
}

function requireAssertion(value: unknown): string {
  if (typeof value !== 'string' || !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(value.trim())) {
    throw new KeylessError(
      'USER_ASSERTION_REJECTED',
      "onBehalfOf: forUser needs the user's access token, the bearer your API received (Authorization: Bearer <token>, without the word Bearer); this is not a JWT. Answer the caller 401.",
      { status: 401, ...(typeof value === 'string' ? { secrets: [value] } : {}) },
    );
  }
  return value.trim();
}
