import type { RequestAuth } from '../auth.js';
import { scopeForEndpoint } from '../scopeForEndpoint.js';

/**
 * The auth an adapter should use for `endpoint`: `auth` itself when its scope was set by the
 * caller (never overridden) or already fits, else its sibling for the scope the endpoint calls for
 * (`https://ai.azure.com/.default` for a Foundry project endpoint). An auth without `forScope`
 * (one of the caller's own making) is used as it is.
 */
export function authForEndpoint<A extends RequestAuth>(auth: A, endpoint: string): A {
  if (auth.kind === 'apiKey' || auth.scopeExplicit !== false || auth.forScope === undefined) return auth;
  const { scope } = scopeForEndpoint(endpoint);
  // forScope gives an Auth: of the same shape as `auth` wherever `auth` is one.
  return scope === auth.scope ? auth : (auth.forScope(scope) as unknown as A);
}
