import { KeylessError } from '../errors.js';
import { preloadPeer } from '../internal/loadPeer.js';
import { loadTokenRuntime, preloadTokenRuntime } from '../internal/loadTokenRuntime.js';
import type { ManagedIdentityStrategy } from '../strategy.js';
import type { TokenFetcher } from '../tokenCache/tokenCacheOptions.js';
import { requireText } from '../validate.js';
import type { SourceContext, TokenSource } from './tokenSource.js';

const COMPONENT = 'managedIdentity';

/**
 * Managed identity through msal-node's ManagedIdentityApplication, which detects the host
 * (App Service, IMDS, Arc, Cloud Shell, Service Fabric, Machine Learning) from the environment.
 * Used directly rather than through `@azure/identity`'s ManagedIdentityCredential because only
 * msal exposes `forceRefresh`: after a 401, keyless must get a new token, not the cached one.
 * The settings are validated here, when the Auth is created; the requests are
 * `managedIdentityFetcher`'s, in the token runtime.
 */
export function managedIdentitySource(
  strategy: ManagedIdentityStrategy,
  { scope, timeoutMs }: SourceContext,
): TokenSource {
  const ids = (['clientId', 'resourceId', 'objectId'] as const).filter((key) => strategy[key] !== undefined);
  if (ids.length > 1) {
    throw new KeylessError(
      'CONFIG_CONFLICT',
      `${COMPONENT}: ${ids.join(' and ')} were both given. A user-assigned identity is named by exactly one of clientId, resourceId or objectId; remove the others (or all of them for the system-assigned identity).`,
    );
  }
  const idKey = ids[0];
  const idValue = idKey === undefined ? undefined : requireText(COMPONENT, idKey, strategy[idKey]);
  const resource = scope.replace(/\/\.default$/, '');
  preloadPeer('@azure/msal-node');
  preloadTokenRuntime();
  let fetcher: TokenFetcher | undefined;
  return {
    secrets: [],
    // The requests themselves are the token runtime's (loaded by the time a token is asked for).
    fetch: async (request) => {
      fetcher ??= (await loadTokenRuntime()).managedIdentityFetcher({ idKey, idValue, resource, timeoutMs });
      return fetcher(request);
    },
  };
}
