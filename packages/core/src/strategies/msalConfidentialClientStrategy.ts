import type { MsalConfidentialClientStrategy } from '../strategy.js';
import { confidentialClient } from './confidentialClient.js';
import type { SourceContext, TokenSource } from './tokenSource.js';

/**
 * A service principal's own tokens (client credentials) through msal-node. Everything is
 * validated here, at createAuth() time; the library is loaded on the first token request.
 */
export function msalConfidentialClientSource(
  strategy: MsalConfidentialClientStrategy,
  { scope, timeoutMs }: SourceContext,
): TokenSource {
  const client = confidentialClient('msalConfidentialClient', strategy, timeoutMs);
  const scopes = [scope];
  return {
    secrets: client.secrets,
    fetch: ({ forceRefresh, claims }) =>
      client.acquire((app) =>
        app.acquireTokenByClientCredential({
          scopes,
          skipCache: forceRefresh,
          ...(claims === undefined ? {} : { claims }),
        }),
      ),
  };
}
