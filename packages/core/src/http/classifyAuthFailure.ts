import { decodeJwtClaims } from '../decodeJwtClaims.js';
import { AI_AUDIENCE } from '../scopeForEndpoint.js';

/** How keyless reads a 401/403 from Azure OpenAI. */
export type AuthFailure =
  /**
   * Invalid, expired or wrong-audience token: worth one refresh and one retry. `audience` is the
   * one the resource names in its message ("audience is incorrect (https://ai.azure.com)").
   */
  | { kind: 'invalidToken'; audience?: string | undefined }
  /** A CAE challenge: retry once with a token carrying these claims. */
  | { kind: 'claimsChallenge'; claims: string }
  /**
   * The principal lacks the data-plane role. A new token never fixes it. `action` is the data
   * action the resource names, when it does.
   */
  | { kind: 'permissionDenied'; action?: string | undefined }
  /** The API key is wrong, or for another resource. */
  | { kind: 'invalidKey' }
  /** The resource refuses keys altogether (`disableLocalAuth`): a token strategy is needed. */
  | { kind: 'keyAuthDisabled' }
  /** Not an auth failure keyless knows how to help with. */
  | { kind: 'other' };

/** The least-privilege role for Azure OpenAI inference (recommended). */
export const OPENAI_USER_ROLE = 'Cognitive Services OpenAI User';

/** A broader role that also grants inference (and more of Azure AI services). */
export const COGNITIVE_SERVICES_USER_ROLE = 'Cognitive Services User';

/** The Foundry role for agents and the other AIServices data actions. */
export const AZURE_AI_USER_ROLE = 'Azure AI User';

/**
 * What every explanation of a missing role says about roles: which to assign, which also works,
 * and why the ones people try first do not.
 */
export const ROLE_ADVICE: string = `Assign "${OPENAI_USER_ROLE}" (least privilege, recommended); "${COGNITIVE_SERVICES_USER_ROLE}" also works but grants more. Owner and Contributor are not enough: they manage the resource but carry no data actions, so they cannot call the model`;

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
    const action = /required data action `?([A-Za-z0-9./*_-]+)`?/i.exec(body)?.[1];
    return { kind: 'permissionDenied', ...(action === undefined ? {} : { action }) };
  }
  if (/AuthenticationTypeDisabled|Key based authentication is disabled/i.test(body)) return { kind: 'keyAuthDisabled' };
  if (/invalid subscription key|wrong API endpoint/i.test(body)) return { kind: 'invalidKey' };
  if (status === 401) {
    const audience = /audience is incorrect \((https?:\/\/[^)\s]+|api:\/\/[^)\s]+|[0-9a-f-]{36})\)/i.exec(body)?.[1];
    return { kind: 'invalidToken', ...(audience === undefined ? {} : { audience: audience.replace(/\/$/, '') }) };
  }
  return { kind: 'other' };
}

/**
 * The least-privilege built-in role that grants a data action: "Cognitive Services OpenAI User"
 * for the OpenAI ones (chat, embeddings, files…), "Azure AI User" for Foundry's AIServices ones
 * (agents, threads…), which the OpenAI roles do not grant; "Cognitive Services User" otherwise.
 */
export function roleForDataAction(action: string | undefined): string {
  if (action === undefined || /\/accounts\/OpenAI\//i.test(action)) return OPENAI_USER_ROLE;
  if (/\/accounts\/AIServices\//i.test(action)) return AZURE_AI_USER_ROLE;
  return COGNITIVE_SERVICES_USER_ROLE;
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
  /** The scope the token was asked for, and whether the caller set it (for wrong-audience advice). */
  scope?: { value: string; explicit: boolean } | undefined;
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
  const claims = token === undefined ? undefined : decodeJwtClaims(token);
  switch (failure.kind) {
    case 'permissionDenied': {
      const oid = claims?.oid ?? '<principal object id>';
      const user = isUserToken(claims);
      const name = claims?.upn ?? claims?.preferred_username;
      const who = user ? `user ${name === undefined ? '' : `${name} `}(oid ${oid})` : `principal (oid ${oid})`;
      const role = roleForDataAction(failure.action);
      const action = failure.action === undefined ? '' : ` It lacks the data action ${failure.action}.`;
      const advice =
        role === OPENAI_USER_ROLE
          ? ROLE_ADVICE
          : role === AZURE_AI_USER_ROLE
            ? `Assign "${AZURE_AI_USER_ROLE}" on the Foundry resource (it grants the AIServices data actions such as agents; "${OPENAI_USER_ROLE}" does not). Owner and Contributor carry no data actions`
            : `Assign "${COGNITIVE_SERVICES_USER_ROLE}" (it grants the Cognitive Services data actions). Owner and Contributor carry no data actions`;
      return `keyless: the token is valid but its ${who} has no role that allows this call; a new token will not help.${action} ${advice}. Grant it: az role assignment create --role "${role}" --assignee-object-id ${oid} --assignee-principal-type ${user ? 'User' : 'ServicePrincipal'} --scope <resource id> (role assignments take up to 5 minutes to apply).`;
    }
    case 'invalidToken': {
      const wrongAudience = wrongAudienceAdvice(failure.audience, claims?.aud, context.scope);
      if (wrongAudience !== undefined) return wrongAudience;
      return context.retried
        ? `keyless: Azure OpenAI rejected the token even after a refresh (invalid, expired or wrong audience). Check that the token is for ${failure.audience ?? 'the audience the resource expects'} (the scope setting) and that this machine's clock is right.`
        : `keyless: Azure OpenAI rejected the token (invalid, expired or wrong audience); ${notRetried}`;
    }
    case 'keyAuthDisabled':
      return 'keyless: this resource has key authentication disabled (disableLocalAuth), so no API key works on it. Use a token strategy instead: managedIdentity, msalConfidentialClient, or default after az login (remove AZURE_OPENAI_API_KEY or set KEYLESS_STRATEGY), and give its principal the "Cognitive Services OpenAI User" role.';
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

/** A user's (delegated) token, not an app's: `idtyp: user`, or a `scp`/`upn` claim. */
export function isUserToken(claims: Record<string, unknown> | undefined): boolean {
  if (claims === undefined) return false;
  if (claims.idtyp !== undefined) return claims.idtyp === 'user';
  return claims.scp !== undefined || claims.upn !== undefined;
}

/**
 * Advice when the resource names an audience the token does not carry: a refresh cannot help,
 * only another scope. Undefined when the audiences agree (or are not known).
 */
export function wrongAudienceAdvice(
  wanted: string | undefined,
  tokenAudience: unknown,
  scope: ExplainContext['scope'],
): string | undefined {
  const have = typeof tokenAudience === 'string' ? tokenAudience.replace(/\/$/, '') : undefined;
  if (wanted === undefined || have === undefined || wanted === have) return undefined;
  const set = scope?.explicit ? `You set scope "${scope.value}"; set it to` : 'Set scope to';
  return `keyless: the resource accepts tokens for ${wanted} only, and this token is for ${have}; a refresh will not help. ${set} "${wanted}/.default" (createAuth's scope option)${wanted === AI_AUDIENCE ? ': Foundry project endpoints accept only that audience' : ''}.`;
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
