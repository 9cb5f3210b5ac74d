/** The non-secret claims of an access token that explain who it is for and until when. */
export interface TokenClaims {
  aud?: string | string[];
  iss?: string;
  tid?: string;
  oid?: string;
  appid?: string;
  azp?: string;
  roles?: string[];
  scp?: string;
  /** `user` or `app`, where the tenant adds the optional claim. */
  idtyp?: string;
  /** A user's sign-in name (delegated tokens). */
  upn?: string;
  preferred_username?: string;
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

/**
 * Reads the claims of a JWT without verifying it: for explaining failures (which principal, which
 * audience), never for trusting a token. Returns undefined for anything that is not a JWT.
 */
export function decodeJwtClaims(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as TokenClaims) : undefined;
  } catch {
    return undefined;
  }
}
