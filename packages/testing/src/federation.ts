import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import {
  decodeJwt,
  errors,
  exportJWK,
  generateKeyPair,
  type JWTPayload,
  jwtVerify,
  type KeyObject,
  SignJWT,
} from 'jose';

/** The audience Entra expects in every federated assertion. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** An external OIDC issuer: a cluster's service-account issuer, or GitHub's token service. */
export class FederatedIssuer {
  private constructor(
    readonly url: string,
    private readonly privateKey: KeyObject | CryptoKey,
    private readonly publicKey: KeyObject | CryptoKey,
    readonly jwk: Record<string, unknown>,
    /** The emulator's clock (epoch ms). */
    readonly now: () => number,
  ) {}

  static async create(url: string, now: () => number = Date.now): Promise<FederatedIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: randomUUID(), use: 'sig', alg: 'RS256' };
    return new FederatedIssuer(url, privateKey, publicKey, jwk, now);
  }

  /** The OIDC discovery document, as a cluster or GitHub publishes it. */
  discovery(): Record<string, unknown> {
    return {
      issuer: this.url,
      jwks_uri: `${this.url}/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }

  /** A signed assertion; `notBeforeSeconds` moves `nbf` (and `iat`) into the future. */
  mint(claims: {
    subject: string;
    audience: string;
    lifetimeSeconds: number;
    notBeforeSeconds?: number;
  }): Promise<string> {
    const now = Math.floor(this.now() / 1000);
    const from = now + (claims.notBeforeSeconds ?? 0);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: String(this.jwk.kid) })
      .setIssuer(this.url)
      .setSubject(claims.subject)
      .setAudience(claims.audience)
      .setIssuedAt(from)
      .setNotBefore(from)
      .setExpirationTime(now + claims.lifetimeSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  /** Verifies signature and issuer; the time checks are Entra's (see {@link checkFederatedAssertion}). */
  async verify(assertion: string): Promise<JWTPayload | 'signature' | 'expired' | 'not-yet-valid'> {
    try {
      return (
        await jwtVerify(assertion, this.publicKey, {
          issuer: this.url,
          algorithms: ['RS256'],
          currentDate: new Date(this.now()),
        })
      ).payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) return 'expired';
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') return 'not-yet-valid';
      return 'signature';
    }
  }
}

/** A federated identity credential on the app registration: whose tokens it trusts. */
export interface FederatedCredential {
  issuer: string;
  subject: string;
  audiences: string[];
}

/** The federation side of the emulator: two issuers, the app's federated credentials, a token file. */
export interface FederationState {
  kubernetes: FederatedIssuer;
  github: FederatedIssuer;
  credentials: FederatedCredential[];
  /** Lifetime of the service-account token written to the token file (seconds). Default 3600. */
  kubernetesLifetimeSeconds: number;
  /** Lifetime of each GitHub Actions OIDC token (seconds). Default 300, as on GitHub. */
  githubLifetimeSeconds: number;
  kubernetesSubject: string;
  githubSubject: string;
  tokenFile: string;
  /** The bearer GitHub's token service expects (ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
  githubRequestToken: string;
}

/** Creates the federation: issuers under `{authority}/oidc/…`, one credential for each. */
export async function createFederation(
  authorityHost: string,
  tokenFile: string,
  now: () => number = Date.now,
): Promise<FederationState> {
  const [kubernetes, github] = await Promise.all([
    FederatedIssuer.create(`${authorityHost}/oidc/kubernetes`, now),
    FederatedIssuer.create(`${authorityHost}/oidc/github`, now),
  ]);
  const kubernetesSubject = 'system:serviceaccount:keyless:summarizer';
  const githubSubject = 'repo:keyless/keyless:ref:refs/heads/main';
  return {
    kubernetes,
    github,
    credentials: [
      { issuer: kubernetes.url, subject: kubernetesSubject, audiences: [TOKEN_EXCHANGE_AUDIENCE] },
      { issuer: github.url, subject: githubSubject, audiences: [TOKEN_EXCHANGE_AUDIENCE] },
    ],
    kubernetesLifetimeSeconds: 3600,
    githubLifetimeSeconds: 300,
    kubernetesSubject,
    githubSubject,
    tokenFile,
    githubRequestToken: randomBytes(24).toString('base64url'),
  };
}

/** Writes a fresh projected service-account token to the token file, as the kubelet does. */
export async function rotateTokenFile(
  federation: FederationState,
  overrides: { subject?: string; audience?: string; lifetimeSeconds?: number } = {},
): Promise<void> {
  const token = await federation.kubernetes.mint({
    subject: overrides.subject ?? federation.kubernetesSubject,
    audience: overrides.audience ?? TOKEN_EXCHANGE_AUDIENCE,
    lifetimeSeconds: overrides.lifetimeSeconds ?? federation.kubernetesLifetimeSeconds,
  });
  // Written whole, then renamed over by the kubelet; a plain write is atomic enough at this size.
  await writeFile(federation.tokenFile, token, { mode: 0o600 });
}

/**
 * Entra's checks of a federated client assertion, with its error codes and texts: a known issuer
 * and a valid signature, the time window (AADSTS700024), then a federated credential matching
 * issuer and subject (AADSTS70021) and audience (AADSTS700212). Undefined: accepted.
 * Returns `false` when the assertion is not from a federated issuer (a certificate assertion).
 */
export async function checkFederatedAssertion(
  federation: FederationState,
  assertion: string,
): Promise<{ code: number; text: string } | undefined | false> {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(assertion);
  } catch {
    return false;
  }
  const issuer = [federation.kubernetes, federation.github].find((candidate) => candidate.url === claims.iss);
  if (issuer === undefined) return false;
  const verified = await issuer.verify(assertion);
  const now = new Date(issuer.now()).toISOString();
  if (verified === 'expired' || verified === 'not-yet-valid') {
    const from = new Date((claims.nbf ?? 0) * 1000).toISOString();
    const to = new Date((claims.exp ?? 0) * 1000).toISOString();
    return {
      code: 700_024,
      text: `Client assertion is not within its valid time range. Current time: ${now}, assertion valid from ${from}, expiry time of assertion ${to}.`,
    };
  }
  if (verified === 'signature') return { code: 700_027, text: 'Client assertion failed signature validation.' };
  const audiences = Array.isArray(verified.aud) ? verified.aud : [String(verified.aud ?? '')];
  const matching = federation.credentials.filter((c) => c.issuer === verified.iss && c.subject === verified.sub);
  if (matching.length === 0) {
    return {
      code: 70_021,
      text: `No matching federated identity record found for presented assertion. Assertion Issuer: '${verified.iss}'. Assertion Subject: '${verified.sub}'. Assertion Audience: '${audiences.join(',')}'.`,
    };
  }
  if (!matching.some((c) => c.audiences.some((a) => audiences.includes(a)))) {
    return {
      code: 700_212,
      text: `No matching federated identity record found for presented assertion audience '${audiences.join(',')}'.`,
    };
  }
  return undefined;
}
