import { authForEndpoint } from './authForEndpoint.js';
import { createAuthorizedFetch, type RequestAuth } from './authorizedFetch.js';
import { resourceEndpoint } from './resourceEndpoint.js';

/** What an adapter hands its SDK: the checked endpoint, the Auth for its scope, the fetch. */
export interface AuthorizedEndpoint {
  /** The resource endpoint without a trailing slash (the endpoint rule: see `resourceEndpoint`). */
  endpoint: string;
  /** `auth`, or its sibling for the scope the endpoint calls for (a Foundry project: ai.azure.com). */
  auth: RequestAuth;
  /** keyless's authorized fetch for that endpoint's origin, over `fetch` when given. */
  fetch: typeof fetch;
}

/**
 * The `{ endpoint, fetch }` pair every adapter builds its SDK client from, in one call: the
 * endpoint checked by the one rule (named `component`.`setting` in errors), the scope it calls
 * for, and the authorized fetch that gives credentials to its origin only.
 *
 * @example
 * const target = authorizedEndpoint('createAzureOpenAI', { auth, endpoint, fetch });
 * return new AzureOpenAI({ endpoint: target.endpoint, fetch: target.fetch, ... });
 */
export function authorizedEndpoint(
  component: string,
  options: { auth: RequestAuth; endpoint: unknown; fetch?: typeof fetch | undefined; setting?: string | undefined },
): AuthorizedEndpoint {
  const endpoint = resourceEndpoint(component, options.setting ?? 'endpoint', options.endpoint);
  const auth = authForEndpoint(options.auth, endpoint);
  return { endpoint, auth, fetch: createAuthorizedFetch(auth, { origin: endpoint, fetch: options.fetch }) };
}
