import { AuthorizedFetchOptions, RequestAuth } from '@keyless/core';

/** Options of {@link createAuthenticatedFetch}. */
type AuthenticatedFetchOptions = AuthorizedFetchOptions;
/**
 * A drop-in `fetch` that adds `auth`'s credentials (bearer token or api-key) to requests for
 * `options.origin` and to nothing else. Credentials never follow a redirect to another origin; a
 * 401 for an invalid or expired token is retried once with a fresh token when the body can be
 * replayed; a missing role comes back with an explanation instead of being retried.
 *
 * @example
 * const auth = createAuth({ kind: 'managedIdentity' });
 * const azureFetch = createAuthenticatedFetch(auth, { origin: 'https://my-resource.openai.azure.com' });
 * const res = await azureFetch(`${origin}/openai/v1/chat/completions`, { method: 'POST', body });
 */
declare function createAuthenticatedFetch(auth: RequestAuth, options: AuthenticatedFetchOptions): typeof fetch;

export { type AuthenticatedFetchOptions, createAuthenticatedFetch };
