import { randomUUID } from 'node:crypto';
import { errors, exportJWK, generateKeyPair, type JWTPayload, jwtVerify, type KeyObject, SignJWT } from 'jose';

/** Who a token is for. */
export interface Principal {
  /** Object id: what role assignments are keyed by. */
  oid: string;
  /** Application (client) id: the app's own, or for a user the client the user signed in with. */
  appId: string;
  /** A signed-in user's name: their tokens are delegated (`idtyp: user`, `upn`, `scp`). */
  upn?: string | undefined;
  /** A user token's delegated scopes (`scp`). Default `user_impersonation`. */
  scp?: string | undefined;
}

/** Why a presented token was refused (mirrors what Azure checks). */
export type TokenVerdict =
  | { ok: true; claims: JWTPayload & { oid: string } }
  | { ok: false; reason: 'malformed' | 'signature' | 'audience' | 'expired' | 'revoked' }
  /** A CAE critical event: the token must be replaced by one requested with these claims. */
  | { ok: false; reason: 'challenged'; claims: string };

export const AUDIENCE = 'https://cognitiveservices.azure.com';
/** The audience of `https://ai.azure.com/.default` tokens, which Azure OpenAI accepts too. */
export const AI_AUDIENCE = 'https://ai.azure.com';

/** Mints and verifies the emulator's RS256 access tokens. */
export class TokenIssuer {
  readonly #revoked = new Set<string>();
  readonly #issued = new Set<string>();
  #challenged = new Set<string>();
  #challengeClaims = '';

  private constructor(
    private readonly privateKey: KeyObject | CryptoKey,
    private readonly publicKey: KeyObject | CryptoKey,
    readonly jwk: Record<string, unknown>,
    readonly tenantId: string,
    /** The emulator's clock (epoch ms): what `iat`, `exp` and the expiry check read. */
    readonly now: () => number = Date.now,
  ) {}

  static async create(tenantId: string, now: () => number = Date.now): Promise<TokenIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
    return new TokenIssuer(privateKey, publicKey, jwk, tenantId, now);
  }

  get issuer(): string {
    return `https://sts.windows.net/${this.tenantId}/`;
  }

  /** A token for `principal`, valid `lifetimeSeconds` (shortened by `expireEarlySeconds` in `exp`). */
  mint(
    principal: Principal,
    lifetimeSeconds: number,
    audience = AUDIENCE,
    expireEarlySeconds = 0,
    roles: readonly string[] = [],
  ): Promise<string> {
    const now = Math.floor(this.now() / 1000);
    const jti = randomUUID();
    this.#issued.add(jti);
    const identity =
      principal.upn === undefined
        ? { idtyp: 'app', roles: [...roles] }
        : {
            idtyp: 'user',
            upn: principal.upn,
            name: principal.upn.split('@')[0],
            scp: principal.scp ?? 'user_impersonation',
          };
    return new SignJWT({
      tid: this.tenantId,
      oid: principal.oid,
      appid: principal.appId,
      azp: principal.appId,
      ...identity,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: String(this.jwk.kid) })
      .setIssuer(this.issuer)
      .setAudience(audience)
      .setSubject(principal.oid)
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + lifetimeSeconds - expireEarlySeconds)
      .setJti(jti)
      .sign(this.privateKey);
  }

  /** An ID token for a signed-in user, as the v2 endpoint issues with `openid` (audience: the client). */
  mintIdToken(user: { oid: string; upn: string }, clientId: string, lifetimeSeconds: number): Promise<string> {
    const now = Math.floor(this.now() / 1000);
    return new SignJWT({
      tid: this.tenantId,
      oid: user.oid,
      preferred_username: user.upn,
      name: user.upn.split('@')[0],
      ver: '2.0',
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: String(this.jwk.kid) })
      .setIssuer(`https://login.microsoftonline.com/${this.tenantId}/v2.0`)
      .setAudience(clientId)
      .setSubject(user.oid)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.privateKey);
  }

  /** Answers every token issued so far with a claims challenge; tokens issued later pass. */
  challenge(claims: string): void {
    this.#challenged = new Set(this.#issued);
    this.#challengeClaims = claims;
  }

  /** Revokes one token (by its jti), or every token issued so far. */
  revoke(token?: string): void {
    if (token === undefined) {
      for (const jti of this.#issued) this.#revoked.add(jti);
      this.#issued.clear();
      return;
    }
    const jti = decodePayload(token)?.jti;
    if (typeof jti === 'string') this.#revoked.add(jti);
  }

  /** Verifies a token of ours for one of `audiences` (default Azure AI's two). */
  async verify(token: string, audiences: readonly string[] = [AUDIENCE, AI_AUDIENCE]): Promise<TokenVerdict> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: ['RS256'],
        currentDate: new Date(this.now()),
        issuer: this.issuer,
        audience: audiences.flatMap((audience) => [audience, `${audience}/`]),
      });
      if (typeof payload.oid !== 'string') return { ok: false, reason: 'malformed' };
      if (payload.jti !== undefined && this.#revoked.has(payload.jti)) {
        return { ok: false, reason: 'revoked' };
      }
      if (payload.jti !== undefined && this.#challenged.has(payload.jti)) {
        return { ok: false, reason: 'challenged', claims: this.#challengeClaims };
      }
      return { ok: true, claims: payload as JWTPayload & { oid: string } };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud')
        return { ok: false, reason: 'audience' };
      if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'signature' };
      return { ok: false, reason: 'malformed' };
    }
  }
}

function decodePayload(token: string): JWTPayload | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as JWTPayload;
  } catch {
    return undefined;
  }
}
