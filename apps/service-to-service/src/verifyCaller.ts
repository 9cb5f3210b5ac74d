import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** Who may call the service: tokens from one tenant, for this service's audience, with an app role. */
export interface InboundAuth {
  /** The tenant whose tokens are accepted (its id). */
  tenantId: string;
  /** This service's audience, `api://<app id>` (the bare app id is accepted too, as Entra may issue it). */
  audience: string;
  /** The app role a caller must carry in `roles`. Default "Summarize.Invoke". */
  requiredRole?: string | undefined;
  /** The tenant's signing keys: `createRemoteJWKSet(new URL(jwksUri))` from jose. */
  keys: JWTVerifyGetKey;
  /** Accepted issuers. Default Entra's v1 and v2 issuers of the tenant. */
  issuers?: string[] | undefined;
}

/** A verified caller, or the refusal to send: status and `WWW-Authenticate`. */
export type CallerVerdict =
  | { ok: true; caller: { oid: string; appId: string } }
  | { ok: false; status: 401 | 403; wwwAuthenticate: string; reason: string };

/**
 * Validates the bearer token of an inbound request, the way an API protected by Entra ID must:
 * signature against the tenant's keys, issuer, audience, expiry and not-before (jose), the
 * tenant, and the app role. Refusals follow RFC 6750: 401 without a token or with an invalid one,
 * 403 (`insufficient_scope`) without the role.
 */
export async function verifyCaller(authorization: string | undefined, inbound: InboundAuth): Promise<CallerVerdict> {
  const realm = `Bearer realm="${inbound.audience}"`;
  const refuse = (status: 401 | 403, error: string | undefined, reason: string): CallerVerdict => ({
    ok: false,
    status,
    reason,
    wwwAuthenticate: error === undefined ? realm : `${realm}, error="${error}", error_description="${reason}"`,
  });
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
      clockTolerance: 60,
    }));
  } catch (error) {
    return refuse(401, 'invalid_token', reasonOf(error));
  }
  if (claims.tid !== inbound.tenantId) return refuse(401, 'invalid_token', 'the token is from another tenant');
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  if (!roles.includes(role)) return refuse(403, 'insufficient_scope', `the caller lacks the app role ${role}`);
  return { ok: true, caller: { oid: String(claims.oid ?? ''), appId: String(claims.azp ?? claims.appid ?? '') } };
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
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
