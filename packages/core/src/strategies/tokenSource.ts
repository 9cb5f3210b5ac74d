import type { TokenFetcher } from '../tokenCache/tokenCacheOptions.js';

/** What a strategy gives the token cache: how to fetch a token, and which values are secret. */
export interface TokenSource {
  fetch: TokenFetcher;
  /** Values that must be redacted from every message (secrets, keys, private keys). */
  secrets: readonly string[];
}

/** What every strategy is built with besides its own settings. */
export interface SourceContext {
  /** The token scope. */
  scope: string;
  /** Deadline of one token request (ms): keyless's network client destroys the socket then. */
  timeoutMs: number;
}
