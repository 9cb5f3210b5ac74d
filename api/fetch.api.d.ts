import { AuthorizedFetchOptions, RequestAuth } from '@keyless/core/adapter';
export { AuthorizedFetchOptions } from '@keyless/core/adapter';

/**
 * A drop-in `fetch` that adds `auth`'s credentials (bearer token or api-key) to requests for
 * `options.origin` and to nothing else. Credentials never follow a redirect to another origin; a
 * 401 for an invalid or expired token is retried once with a fresh token when the body can be
 * replayed; a missing role comes back with an explanation instead of being retried.
 *
 * @example
 * const auth = createAuth({ kind: 'managedIdentity' });
 * const azureFetch = createAuthorizedFetch(auth, { origin: 'https://my-resource.openai.azure.com' });
 * const res = await azureFetch(`${origin}/openai/v1/chat/completions`, { method: 'POST', body });
 */
declare function createAuthorizedFetch(auth: RequestAuth, options: AuthorizedFetchOptions): typeof fetch;
/** @deprecated Renamed {@link createAuthorizedFetch}, its name everywhere in keyless; this alias goes in the next major. */
declare const createAuthenticatedFetch: typeof createAuthorizedFetch;
/** @deprecated Renamed {@link AuthorizedFetchOptions}. */
type AuthenticatedFetchOptions = AuthorizedFetchOptions;

export { type AuthenticatedFetchOptions, createAuthenticatedFetch, createAuthorizedFetch };
