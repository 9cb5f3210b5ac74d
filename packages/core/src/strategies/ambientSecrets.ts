import { proxyCredentials } from '../redact.js';
import type { TokenSource } from './tokenSource.js';

/**
 * A source whose secrets also hold what the environment and options add: the proxy's
 * credentials (a library's error may quote them, decoded or alone) and the gateway key.
 */
export function withAmbientSecrets(
  source: TokenSource,
  gateway: Readonly<Record<string, string>> | undefined,
): TokenSource {
  const secrets = source.secrets;
  // The source's array stays the one it updates (a client assertion joins it per request).
  const extra = [...proxyCredentials(), ...(gateway === undefined ? [] : Object.values(gateway))];
  return {
    fetch: source.fetch,
    get secrets() {
      return extra.length === 0 ? secrets : [...secrets, ...extra];
    },
  };
}
