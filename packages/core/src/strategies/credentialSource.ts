import { KeylessError } from '../errors.js';
import { tokenRequestError } from '../internal/tokenRequestError.js';
import type { TokenCredential } from '../tokenCredential.js';
import type { TokenSource } from './tokenSource.js';

/**
 * A token source over any `TokenCredential`. Library caches inside the credential cannot be
 * bypassed through this interface; keyless's own cache sits in front of them.
 */
export function credentialSource(
  component: string,
  getCredential: (forceRefresh: boolean) => Promise<TokenCredential>,
  scope: string,
): TokenSource {
  return {
    secrets: [],
    fetch: async ({ claims, forceRefresh }) => {
      const credential = await getCredential(forceRefresh);
      let token: Awaited<ReturnType<TokenCredential['getToken']>>;
      try {
        token = await credential.getToken(scope, claims === undefined ? {} : { claims });
      } catch (error) {
        throw tokenRequestError(component, error, []);
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
