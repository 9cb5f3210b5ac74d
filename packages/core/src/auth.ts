import type { AuthEventListener } from './events.js';
import type { StrategyKind } from './strategy.js';
import type { TokenCacheStatus } from './tokenCache/tokenCacheOptions.js';

/**
 * What made an {@link Auth}: a strategy's kind, or `onBehalfOf` for a user's Auth from
 * `createOnBehalfOf(...).forUser(assertion)`.
 */
export type AuthKind = StrategyKind | 'onBehalfOf';

/** Options of a single token request. */
export interface GetTokenCallOptions {
  /** Claims from a `WWW-Authenticate: Bearer error="insufficient_claims"` challenge. */
  claims?: string | undefined;
  /**
   * With `claims`: the token the challenge answered. When it is no longer the cached one (another
   * request already got a token for the challenge), the cached token is returned, no new request.
   */
  challengedToken?: string | undefined;
}

/**
 * What adapters consume: the credentials a request needs, from one cached, single-flight source.
 * Create one per process (or per identity) and share it.
 */
export interface Auth {
  /** The strategy in use. */
  readonly kind: AuthKind;
  /** The token scope. */
  readonly scope: string;
  /**
   * Whether `scope` was set by the caller. When it was not, adapters take the scope the endpoint
   * calls for (a Foundry project wants `https://ai.azure.com/.default`), and a 401 naming another
   * Azure AI audience may switch to it once; an explicit scope is never overridden.
   */
  readonly scopeExplicit: boolean;
  /**
   * The same strategy and options for another scope: one Auth per scope, made on first use and
   * kept, its events delivered to this Auth's listeners too. Returns this Auth for its own scope
   * (and always for the apiKey strategy, which has no scope).
   */
  forScope(scope: string): Auth;
  /**
   * Headers to add to a request: `{ authorization: 'Bearer …' }` or `{ 'api-key': … }`. The object
   * is frozen and shared by every caller (a cache hit costs no allocation): spread it to add more.
   */
  getRequestHeaders(options?: GetTokenCallOptions): Promise<Readonly<Record<string, string>>>;
  /** The bearer token (cached). Rejects with UNSUPPORTED_OPERATION for the apiKey strategy. */
  getToken(options?: GetTokenCallOptions): Promise<string>;
  /** `getToken` as a standalone function, for SDKs that take a token provider. */
  readonly tokenProvider: () => Promise<string>;
  /**
   * Drops `token` if it is the cached one (a 401 said it is no good); the next call fetches a new
   * one, bypassing the credential library's cache. Returns whether anything was dropped.
   */
  invalidate(token: string): boolean;
  /** Subscribes to {@link AuthEvent}s (none carries a secret). Returns the unsubscribe function. */
  on(listener: AuthEventListener): () => void;
  /** Redacts this auth's secrets (and any token-shaped text) from `text`, for your own logs. */
  redact(text: string): string;
  /**
   * A synchronous, secret-free snapshot for health and readiness endpoints: whether a valid token
   * is cached and for how long, the last refresh's outcome, failures in a row, when keyless will
   * try again, and until when the token endpoint throttled it.
   */
  status(): AuthStatus;
}

/** What {@link Auth.status} returns. Holds no token, key or secret. */
export interface AuthStatus extends TokenCacheStatus {
  /** The strategy in use. */
  strategy: AuthKind;
  /**
   * Ready to serve: a valid token is cached, or the last token request succeeded. Always true for
   * the apiKey strategy (there is nothing to fetch); false before the first token request.
   */
  ready: boolean;
}

/**
 * The slice of an {@link Auth} that authorized requests need: any object of this shape plugs in.
 * With `scope`, `scopeExplicit` and `forScope` (every Auth from createAuth has them), keyless
 * can take the scope an endpoint calls for and follow a 401 that names another Azure AI audience.
 */
export type RequestAuth = Pick<Auth, 'kind' | 'getRequestHeaders' | 'invalidate'> &
  Partial<Pick<Auth, 'scope' | 'scopeExplicit' | 'forScope'>>;
