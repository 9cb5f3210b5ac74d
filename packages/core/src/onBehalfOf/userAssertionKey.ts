import { nodeCrypto } from '../internal/nodeBuiltins.js';

/**
 * The cache key of a user: a SHA-256 hash of the whole assertion (as msal-node keys its OBO
 * cache), with the scope. Never a claim read from the token: claims are whatever the sender
 * wrote until Entra ID has checked the signature, and one user's `oid` in a forged token must
 * not find that user's cached token.
 */
export function userAssertionKey(assertion: string, scope: string): string {
  return `${scope} ${nodeCrypto().createHash('sha256').update(assertion).digest('base64url')}`;
}
