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

/** The least-privilege role for Azure OpenAI inference (recommended). */
export const OPENAI_USER_ROLE = 'Cognitive Services OpenAI User';

/** A broader role that also grants inference (and more of Azure AI services). */
export const COGNITIVE_SERVICES_USER_ROLE = 'Cognitive Services User';

/**
 * What every explanation of a missing role says about roles: which to assign, which also works,
 * and why the ones people try first do not.
 */
export const ROLE_ADVICE = `Assign "${OPENAI_USER_ROLE}" (least privilege, recommended); "${COGNITIVE_SERVICES_USER_ROLE}" also works but grants more. Owner and Contributor are not enough: they manage the resource but carry no data actions, so they cannot call the model`;

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

/** How the request that met the failure was handled. */
export interface ExplainContext {
  /** True when keyless already refreshed the token and retried; false when it could not retry (a one-shot body). */
  retried: boolean;
  /**
   * True when keyless did not refresh because a fresh token was rejected moments before (the
   * token cache's pacing): the resource rejects every token it is given.
   */
  paced?: boolean | undefined;
}

/** A sentence that says what is wrong and how to fix it, for a failure and the token that met it. */
export function explainAuthFailure(
  failure: AuthFailure,
  token: string | undefined,
  context: ExplainContext = { retried: true },
): string {
  const notRetried =
    'keyless dropped the token (the next request gets a new one) but did not retry this request: its body is a one-shot stream that cannot be sent twice. Pass the body as a string, bytes, Blob or FormData to have it retried.';
  if (context.paced === true && (failure.kind === 'invalidToken' || failure.kind === 'claimsChallenge')) {
    return "keyless: a fresh token was rejected too: the resource or gateway expects another audience or role than this token carries, so keyless stopped asking the token endpoint for new ones (one forced refresh per forcedRefreshIntervalMs, growing while they are rejected). Check the scope setting against the audience the resource names, any gateway's expected audience, and this machine's clock.";
  }
  switch (failure.kind) {
    case 'permissionDenied': {
      const claims = token === undefined ? undefined : decodeJwtClaims(token);
      const oid = claims?.oid ?? '<principal object id>';
      return `keyless: the token is valid but its principal (oid ${oid}) has no role that allows calling this Azure OpenAI resource; a new token will not help. ${ROLE_ADVICE}. Grant it: az role assignment create --role "${OPENAI_USER_ROLE}" --assignee-object-id ${oid} --assignee-principal-type ServicePrincipal --scope <resource id> (role assignments take up to 5 minutes to apply).`;
    }
    case 'invalidToken':
      return context.retried
        ? "keyless: Azure OpenAI rejected the token even after a refresh (invalid, expired or wrong audience). Check that the token is for https://cognitiveservices.azure.com and that this machine's clock is right."
        : `keyless: Azure OpenAI rejected the token (invalid, expired or wrong audience); ${notRetried}`;
    case 'invalidKey':
      return 'keyless: Azure OpenAI rejected the API key. Check that AZURE_OPENAI_API_KEY belongs to the resource named by the endpoint, or switch to Entra ID auth.';
    case 'claimsChallenge':
      return context.retried
        ? 'keyless: Azure OpenAI asked for a token with additional claims and rejected the one carrying them.'
        : `keyless: Azure OpenAI asked for a token with additional claims (a claims challenge); ${notRetried}`;
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
