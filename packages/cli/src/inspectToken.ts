import { decodeJwtClaims } from '@keyless/core';
import { isUserToken } from '@keyless/core/adapter';

// Azure OpenAI accepts both audiences (the scopes https://cognitiveservices.azure.com/.default and
// https://ai.azure.com/.default).
const AUDIENCES = [
  'https://cognitiveservices.azure.com',
  'https://cognitiveservices.azure.com/',
  'https://ai.azure.com',
  'https://ai.azure.com/',
];

/** The non-secret facts of a token: who it is for, for what, until when. Never the token. */
export interface TokenFacts {
  aud?: string | string[] | undefined;
  iss?: string | undefined;
  tid?: string | undefined;
  oid?: string | undefined;
  appid?: string | undefined;
  roles?: string[] | undefined;
  scp?: string | undefined;
  /** A user's (delegated) token, and the user's name. */
  user: boolean;
  upn?: string | undefined;
  expiresOn?: string | undefined;
  secondsLeft?: number | undefined;
  audienceOk: boolean;
}

/** Decodes a token's claims (without trusting them) and checks its audience. */
export function inspectToken(token: string, now = Date.now()): TokenFacts | undefined {
  const claims = decodeJwtClaims(token);
  if (claims === undefined) return undefined;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  return {
    aud: claims.aud,
    iss: claims.iss,
    tid: claims.tid,
    oid: claims.oid,
    appid: claims.appid ?? claims.azp,
    roles: claims.roles,
    scp: claims.scp,
    user: isUserToken(claims),
    upn: claims.upn ?? claims.preferred_username,
    expiresOn: claims.exp === undefined ? undefined : new Date(claims.exp * 1000).toISOString(),
    secondsLeft: claims.exp === undefined ? undefined : Math.round(claims.exp - now / 1000),
    audienceOk: audiences.some((aud) => typeof aud === 'string' && AUDIENCES.includes(aud)),
  };
}
