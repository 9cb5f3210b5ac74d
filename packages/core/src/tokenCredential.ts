/**
 * The extension point: anything shaped like `@azure/core-auth`'s `TokenCredential` plugs into
 * keyless, including every credential class of `@azure/identity`. Types only (plus a guard), so
 * importing it loads nothing.
 */

/** A token and when it stops working. The shape `@azure/core-auth` uses. */
export interface AccessToken {
  /** The bearer token. Secret: never log it. */
  token: string;
  /** Expiry as epoch milliseconds. keyless also accepts seconds, a numeric string or a date string. */
  expiresOnTimestamp: number | string;
  /** When the issuer suggests refreshing (epoch ms), if it said (`refresh_in`). */
  refreshAfterTimestamp?: number | string | undefined;
  /** Token type, `Bearer` when absent. */
  tokenType?: string | undefined;
}

/** Options passed to {@link TokenCredential.getToken}. A structural subset of core-auth's. */
export interface GetTokenOptions {
  /** Cancels the token request. */
  abortSignal?: AbortSignal;
  /** Additional claims from a `WWW-Authenticate: Bearer error="insufficient_claims"` challenge. */
  claims?: string;
  /** Tenant to request the token from, when the credential allows it. */
  tenantId?: string;
  /** Ask for a continuous-access-evaluation capable token. */
  enableCae?: boolean;
}

/** Anything that can produce a token for a scope: `@azure/identity` credentials and your own. */
export interface TokenCredential {
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null>;
}

/** Duck-typed guard: true for any object with a `getToken` function (works across package copies). */
export function isTokenCredential(value: unknown): value is TokenCredential {
  return (
    typeof value === 'object' && value !== null && typeof (value as { getToken?: unknown }).getToken === 'function'
  );
}
