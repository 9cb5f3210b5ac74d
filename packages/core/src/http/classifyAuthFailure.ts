import { decodeJwtClaims } from '../decodeJwtClaims.js';

/** How keyless reads a 401/403 from Azure OpenAI. */
export type AuthFailure =
  /** Invalid, expired or wrong-audience token: worth one refresh and one retry. */
  | { kind: 'invalidToken' }
  /** A CAE challenge: retry once with a token carrying these claims. */
  | { kind: 'claimsChallenge'; claims: string }
  /** The principal lacks the data-plane role. A new token never fixes it. */
  | { kind: 'permissionDenied' }
  /** The API key is wrong, or for another resource. */
  | { kind: 'invalidKey' }
  /** Not an auth failure keyless knows how to help with. */
  | { kind: 'other' };

/** The role a caller needs for Azure OpenAI inference. Owner and Contributor are not enough. */
export const OPENAI_USER_ROLE = 'Cognitive Services OpenAI User';

/**
 * Classifies an auth failure by its body and `WWW-Authenticate` header, not by its status: Azure
 * answers both a missing role and an expired token with 401, and only one of them is worth a retry.
 */
export function classifyAuthFailure(status: number, wwwAuthenticate: string | null, body: string): AuthFailure {
  if (status !== 401 && status !== 403) return { kind: 'other' };
  const challenge = wwwAuthenticate ?? '';
  if (/error="?insufficient_claims/i.test(challenge)) {
    const claims = /claims="([^"]+)"/i.exec(challenge)?.[1];
    if (claims !== undefined) return { kind: 'claimsChallenge', claims: decodeClaims(claims) };
  }
  if (/PermissionDenied|lacks the required data action|does not have access to API\/Operation/i.test(body)) {
    return { kind: 'permissionDenied' };
  }
  if (/invalid subscription key|wrong API endpoint/i.test(body)) return { kind: 'invalidKey' };
  if (status === 401) return { kind: 'invalidToken' };
  return { kind: 'other' };
}

/** A sentence that says what is wrong and how to fix it, for a failure and the token that met it. */
export function explainAuthFailure(failure: AuthFailure, token: string | undefined): string {
  switch (failure.kind) {
    case 'permissionDenied': {
      const claims = token === undefined ? undefined : decodeJwtClaims(token);
      const oid = claims?.oid ?? '<principal object id>';
      return `keyless: the token is valid but its principal (oid ${oid}) lacks the "${OPENAI_USER_ROLE}" role on this Azure OpenAI resource; a new token will not help. Grant it: az role assignment create --role "${OPENAI_USER_ROLE}" --assignee-object-id ${oid} --assignee-principal-type ServicePrincipal --scope <resource id> (role assignments take up to 5 minutes to apply).`;
    }
    case 'invalidToken':
      return "keyless: Azure OpenAI rejected the token even after a refresh (invalid, expired or wrong audience). Check that the token is for https://cognitiveservices.azure.com and that this machine's clock is right.";
    case 'invalidKey':
      return 'keyless: Azure OpenAI rejected the API key. Check that AZURE_OPENAI_API_KEY belongs to the resource named by the endpoint, or switch to Entra ID auth.';
    case 'claimsChallenge':
      return 'keyless: Azure OpenAI asked for a token with additional claims and rejected the one carrying them.';
    case 'other':
      return '';
  }
}

// Claims in a challenge are base64 (per the CAE spec); be lenient with plain JSON.
function decodeClaims(value: string): string {
  if (value.trimStart().startsWith('{')) return value;
  try {
    return Buffer.from(value, 'base64').toString('utf8');
  } catch {
    return value;
  }
}
