import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { audienceFor, type EmulatorState } from './emulatorState.js';

/** The grant type of on-behalf-of requests (and of other JWT-bearer grants). */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** An Entra error to send: status, OAuth error, AADSTS code, text (and a suberror where Entra gives one). */
export interface GrantFailure {
  status: number;
  error: string;
  code: number;
  text: string;
  suberror?: string;
}

/**
 * The OAuth 2.0 on-behalf-of grant, after the client authenticated: checks the user's token (the
 * `assertion`) as Entra does (our signature, not expired, its audience this very client) and the
 * user's consent, then issues a delegated token for the requested resource, for the same user.
 */
export async function onBehalfOfGrant(
  state: EmulatorState,
  form: URLSearchParams,
  resource: string,
): Promise<{ token: string; extra: Record<string, string> } | GrantFailure> {
  const refuse = (failure: GrantFailure) => {
    state.counters.onBehalfOf.refused += 1;
    return failure;
  };
  if (form.get('requested_token_use') !== 'on_behalf_of') {
    return refuse({
      status: 400,
      error: 'invalid_request',
      code: 900_144,
      text: "The request body must contain the following parameter: 'requested_token_use'.",
    });
  }
  const assertion = form.get('assertion') ?? '';
  if (assertion === '') {
    return refuse({
      status: 400,
      error: 'invalid_request',
      code: 900_144,
      text: "The request body must contain the following parameter: 'assertion'.",
    });
  }
  const client = state.client;
  const verdict = await state.issuer.verify(assertion, [client.clientId, client.appIdUri]);
  if (!verdict.ok) {
    if (verdict.reason === 'expired' || verdict.reason === 'revoked') {
      const exp = safeClaims(assertion)?.exp;
      return refuse({
        status: 400,
        error: 'invalid_grant',
        code: 500_133,
        text: `Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: ${new Date(state.now()).toISOString()}, expiry time of assertion ${typeof exp === 'number' ? new Date(exp * 1000).toISOString() : 'unknown'}.`,
      });
    }
    if (verdict.reason === 'audience') {
      return refuse({
        status: 400,
        error: 'invalid_grant',
        code: 500_131,
        text: `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${String(safeClaims(assertion)?.aud)}' and the expected audience is '${client.clientId}' or one of the Application Uris of this application with App ID '${client.clientId}'. The downstream client must request a token for the expected audience (the application that made the OBO request) and this application should use that token as the assertion.`,
      });
    }
    return refuse({
      status: 400,
      error: 'invalid_grant',
      code: 50_013,
      text: 'Assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: unknown]',
    });
  }
  const user = state.users.get(verdict.claims.oid);
  if (user === undefined || verdict.claims.idtyp !== 'user') {
    return refuse({
      status: 400,
      error: 'invalid_grant',
      code: 50_013,
      text: 'Assertion failed signature validation. [Reason - The assertion names no user of this tenant.]',
    });
  }
  if (!user.consented) {
    return refuse({
      status: 400,
      error: 'invalid_grant',
      suberror: 'consent_required',
      code: 65_001,
      text: `The user or administrator has not consented to use the application with ID '${client.clientId}' named 'keyless-api'. Send an interactive authorization request for this user and resource.`,
    });
  }
  const { audience } = audienceFor(state, resource, user.oid);
  const token = await state.issuer.mint(
    { oid: user.oid, appId: client.clientId, upn: user.upn },
    state.settings.lifetimeSeconds,
    audience,
    state.settings.expireEarlySeconds,
  );
  state.counters.onBehalfOf.issued += 1;
  // As Entra answers a v2 OBO request: the scopes granted, a refresh token, and with `openid` an
  // ID token, with `client_info=1` the account's ids (msal keys its cache by that account).
  const requested = (form.get('scope') ?? '').split(' ');
  const extra: Record<string, string> = {
    scope: requested.filter((scope) => !['openid', 'profile', 'offline_access'].includes(scope)).join(' '),
  };
  if (requested.includes('offline_access')) extra.refresh_token = randomBytes(48).toString('base64url');
  if (requested.includes('openid')) {
    extra.id_token = await state.issuer.mintIdToken(user, client.clientId, state.settings.lifetimeSeconds);
  }
  if (form.get('client_info') === '1') {
    extra.client_info = Buffer.from(JSON.stringify({ uid: user.oid, utid: state.tenantId })).toString('base64url');
  }
  return { token, extra };
}

function safeClaims(token: string): { exp?: unknown; aud?: unknown } | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}
