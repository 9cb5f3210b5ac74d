import {
  type AuthorizedFetchOptions,
  createAuthorizedFetch as coreAuthorizedFetch,
  type RequestAuth,
} from '@keyless/core/adapter';

export type { AuthorizedFetchOptions };

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
export function createAuthorizedFetch(auth: RequestAuth, options: AuthorizedFetchOptions): typeof fetch {
  return coreAuthorizedFetch(auth, options);
}

/** @deprecated Renamed {@link createAuthorizedFetch}, its name everywhere in keyless; this alias goes in the next major. */
export const createAuthenticatedFetch: typeof createAuthorizedFetch = createAuthorizedFetch;

/** @deprecated Renamed {@link AuthorizedFetchOptions}. */
export type AuthenticatedFetchOptions = AuthorizedFetchOptions;
