import { KeylessError } from '../errors.js';
import { loadTokenRuntime } from '../internal/loadTokenRuntime.js';
import type { TokenCredential } from '../tokenCredential.js';
import type { TokenSource } from './tokenSource.js';

/**
 * A token source over any `TokenCredential`. Library caches inside the credential cannot be
 * bypassed through this interface; keyless's own cache sits in front of them.
 */
export function credentialSource(
  component: string,
  /** `renew` is true after a 401: a credential that caches tokens should be built anew. */
  getCredential: (renew: boolean) => Promise<TokenCredential>,
  scope: string,
): TokenSource {
  return {
    secrets: [],
    fetch: async ({ claims, reason, signal }) => {
      const credential = await getCredential(reason === 'invalidated');
      let token: Awaited<ReturnType<TokenCredential['getToken']>>;
      try {
        // The deadline's signal: @azure/identity credentials abort their request with it.
        token = await credential.getToken(scope, { abortSignal: signal, ...(claims === undefined ? {} : { claims }) });
      } catch (error) {
        throw (await loadTokenRuntime()).tokenRequestError(component, error, []);
      }
      if (token === null || token === undefined) {
        throw new KeylessError(
          'TOKEN_REQUEST_FAILED',
          `${component}: the credential returned no token. Check that it supports the scope ${scope}.`,
        );
      }
      return token;
    },
  };
}
