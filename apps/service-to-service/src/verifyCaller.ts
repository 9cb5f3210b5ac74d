import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';

/**
 * Who may call the service: tokens from one tenant, for this service's audience; app-only callers
 * with an app role, or (acting for users) signed-in users with a delegated scope.
 */
export interface InboundAuth {
  /** The tenant whose tokens are accepted (its id). */
  tenantId: string;
  /** This service's audience, `api://<app id>` (the bare app id is accepted too, as Entra may issue it). */
  audience: string;
  /** The app role a caller must carry in `roles`. Default "Summarize.Invoke". */
  requiredRole?: string | undefined;
  /**
   * `apps` (default): app-only callers with {@link requiredRole}. `users`: signed-in users' tokens
   * (`idtyp: user`) carrying the delegated scope {@link requiredScope}, which the service then
   * exchanges to call Azure OpenAI as that user (on-behalf-of).
   */
  callers?: 'apps' | 'users' | undefined;
  /** With `callers: 'users'`: the scope a user's token must carry in `scp`. Default "access_as_user". */
  requiredScope?: string | undefined;
  /** The tenant's signing keys: `createRemoteJWKSet(new URL(jwksUri))` from jose. */
  keys: JWTVerifyGetKey;
  /** Accepted issuers. Default Entra's v1 and v2 issuers of the tenant. */
  issuers?: string[] | undefined;
}

/**
 * A verified caller, or the refusal to send: status and `WWW-Authenticate`. `reason` is for the
 * service's log only: a 401 tells the caller nothing more than that its token is not valid here.
 */
export type CallerVerdict =
  | { ok: true; caller: { oid: string; appId: string; upn?: string | undefined }; token: string }
  | { ok: false; status: 401 | 403; wwwAuthenticate: string; reason: string; message: string };

/** What every 401 says to the caller, whatever the reason (expired, foreign, tampered…). */
export const INVALID_TOKEN_TEXT = 'the bearer token is not valid for this service';

/**
 * Validates the bearer token of an inbound request, the way an API protected by Entra ID must:
 * signature against the tenant's keys, issuer, audience, expiry and not-before (jose), the
 * tenant, then an app-only caller (no `scp`, `idtyp` app where present) with the app role, or with
 * `callers: 'users'` a user's token with the delegated scope; `exp` is
 * required. Refusals follow RFC 6750: 401 without a token or with an invalid one (one text for
 * every cause), 403 (`insufficient_scope`) for a user's token or without the role.
 */
export async function verifyCaller(authorization: string | undefined, inbound: InboundAuth): Promise<CallerVerdict> {
  const realm = `Bearer realm="${inbound.audience}"`;
  // The reason goes to the log; the caller learns only what it can act on (RFC 6750): an
  // invalid token (one text for every cause), or the role it lacks.
  const refuse = (status: 401 | 403, error: string | undefined, reason: string, told = INVALID_TOKEN_TEXT) => {
    const verdict: CallerVerdict = {
      ok: false,
      status,
      reason,
      message: error === undefined ? 'send a bearer token for this service' : told,
      wwwAuthenticate: error === undefined ? realm : `${realm}, error="${error}", error_description="${told}"`,
    };
    return verdict;
  };
  const token = /^Bearer ([^\s]+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) return refuse(401, undefined, 'no bearer token');
  const role = inbound.requiredRole ?? 'Summarize.Invoke';
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, inbound.keys, {
      algorithms: ['RS256'],
      issuer: inbound.issuers ?? [
        `https://sts.windows.net/${inbound.tenantId}/`,
        `https://login.microsoftonline.com/${inbound.tenantId}/v2.0`,
      ],
      audience: [inbound.audience, inbound.audience.replace(/^api:\/\//, '')],
      // A token without an expiry would be good forever.
      requiredClaims: ['exp'],
      clockTolerance: 60,
    }));
  } catch (error) {
    return refuse(401, 'invalid_token', reasonOf(error));
  }
  if (claims.tid !== inbound.tenantId) return refuse(401, 'invalid_token', 'the token is from another tenant');
  const user = claims.scp !== undefined || (claims.idtyp !== undefined && claims.idtyp !== 'app');
  const caller = {
    oid: String(claims.oid ?? ''),
    appId: String(claims.azp ?? claims.appid ?? ''),
    ...(typeof claims.upn === 'string' ? { upn: claims.upn } : {}),
  };
  if (inbound.callers === 'users') {
    // Acting for a user: only a user's own delegated token, with this API's scope, is exchanged.
    const scope = inbound.requiredScope ?? 'access_as_user';
    const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
    if (!user) {
      const text = 'this API acts for signed-in users: send a user token for its scope';
      return refuse(403, 'insufficient_scope', 'an app-only token: this API takes users', text);
    }
    if (!scopes.includes(scope)) {
      const text = `the user token lacks the scope ${scope}`;
      return refuse(403, 'insufficient_scope', text, text);
    }
    return { ok: true, caller, token };
  }
  // The role is an application permission: only app-only tokens may carry it here. A user's
  // (delegated) token has `scp`, and `idtyp: user` where Entra adds the optional claim; an app
  // role assigned to a user would otherwise let any signed-in user call as a service.
  if (user) {
    return refuse(
      403,
      'insufficient_scope',
      'a delegated (user) token: this API takes app-only callers',
      'this API accepts only app-only (client credential) tokens',
    );
  }
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  if (!roles.includes(role)) {
    const text = `the caller lacks the app role ${role}`;
    return refuse(403, 'insufficient_scope', text, text);
  }
  return { ok: true, caller, token };
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `the token has no ${error.claim} claim`;
    return error.claim === 'aud'
      ? 'the token is for another audience'
      : error.claim === 'iss'
        ? 'the token is from another issuer (tenant)'
        : `the token's ${error.claim} claim is not acceptable`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token was not signed by a key of the tenant';
  return 'the token is malformed';
}
