import { decodeJwtClaims } from '../decodeJwtClaims.js';
import { type FederatedSource, TOKEN_EXCHANGE_AUDIENCE } from '../strategies/federatedAssertion.js';

/**
 * The fix for a rejected federated assertion (AADSTS70021, 700212, 700024), from the assertion's
 * own claims (issuer, subject, audience, expiry: decoded, never the assertion itself) and where it
 * came from. Undefined when the failure is not one of these.
 */
export function federatedFix(
  upstream: string,
  assertion: string | undefined,
  source: FederatedSource | undefined,
): string | undefined {
  const claims = assertion === undefined ? undefined : decodeJwtClaims(assertion);
  if (claims === undefined) return undefined;
  const subject = String(claims.sub ?? '?');
  const issuer = String(claims.iss ?? '?');
  const audience = Array.isArray(claims.aud) ? claims.aud.join(', ') : String(claims.aud ?? '?');
  const expired = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : 'an unknown time';
  if (upstream.includes('AADSTS700212')) {
    return `The token's audience is "${audience}", and federated credentials expect ${TOKEN_EXCHANGE_AUDIENCE}. ${
      source?.kind === 'githubActions'
        ? `Request the OIDC token with audience=${TOKEN_EXCHANGE_AUDIENCE}`
        : `Project the service-account token with audience ${TOKEN_EXCHANGE_AUDIENCE} (the workload identity webhook does), or add that audience to the federated credential`
    }`;
  }
  if (/AADSTS70021\b/.test(upstream)) {
    const pattern =
      source?.kind === 'workloadIdentity'
        ? ' On Kubernetes the subject is system:serviceaccount:<namespace>:<service account>.'
        : source?.kind === 'githubActions'
          ? ' GitHub subjects look like repo:<owner>/<repo>:ref:refs/heads/<branch> or repo:<owner>/<repo>:environment:<name>.'
          : '';
    return `No federated credential of the app registration matches the token: its subject is "${subject}", its issuer ${issuer}, its audience ${audience}.${pattern} Add a federated credential with exactly this issuer and subject (az ad app federated-credential create, or az identity federated-credential create for a user-assigned identity)`;
  }
  if (upstream.includes('AADSTS700024')) {
    if (source?.kind === 'workloadIdentity') {
      return `The token read from ${source.variable} expired at ${expired}. keyless re-reads the file for every token request, so the file itself was not rotated: check that the kubelet refreshes the projected token (the pod's azure-identity-token volume) and the node's clock`;
    }
    if (source?.kind === 'githubActions') {
      return `The GitHub Actions OIDC token expired at ${expired} (they live about 5 minutes). keyless asks for a fresh one for every token request, so check the runner's clock, or a step that hands out a cached token`;
    }
    return `The client assertion expired at ${expired}: pass a callback that returns a fresh one for every request`;
  }
  return undefined;
}
