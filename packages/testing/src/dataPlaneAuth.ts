import type { IncomingHttpHeaders } from 'node:http';
import { type EmulatorState, mayPerform } from './emulatorState.js';
import { AI_AUDIENCE, AUDIENCE } from './tokenIssuer.js';

/** Which credential a data-plane request carried. */
export type DataPlaneAuth = 'bearer' | 'api-key' | 'both' | 'none';

/** A refusal, in Azure's words: status, JSON body, extra headers. */
export interface Refusal {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Azure's 401 for a token it does not accept, naming the audience the endpoint wants. */
export function invalidTokenBody(audience: string): { statusCode: number; message: string } {
  return {
    statusCode: 401,
    message: `Unauthorized. Access token is missing, invalid, audience is incorrect (${audience}), or have expired.`,
  };
}

export const INVALID_TOKEN_BODY = invalidTokenBody(AUDIENCE);

const KEY_AUTH_DISABLED_BODY = {
  error: { code: 'AuthenticationTypeDisabled', message: 'Key based authentication is disabled for this resource.' },
};

/**
 * Whether `url` is under a Foundry project endpoint (`/api/projects/{project}/…`); if so the prefix
 * is taken off `url.pathname`, so the rest routes as on the resource itself.
 */
export function underProject(url: URL): boolean {
  const match = /^\/api\/projects\/[^/]+(\/.*)?$/.exec(url.pathname);
  if (match === null) return false;
  url.pathname = match[1] ?? '/';
  return true;
}

/** Where a data-plane request landed: a classic resource path, or a Foundry project's. */
export interface DataPlaneTarget {
  /** The full data action, e.g. `Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action`. */
  action: string;
  /** The operation as Azure names it in a PermissionDenied message. */
  operation: string;
  /** The request path (after a Foundry project prefix). */
  path: string;
  /** True under `/api/projects/{project}`: only `https://ai.azure.com` tokens are accepted there. */
  project?: boolean;
}
const INVALID_KEY_BODY = {
  error: {
    code: '401',
    message:
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
  },
};

/** The credential a request carried, from its headers. */
export function authOf(headers: IncomingHttpHeaders): DataPlaneAuth {
  const key = headers['api-key'] !== undefined;
  const bearer = typeof headers.authorization === 'string' && /^Bearer /i.test(headers.authorization);
  return key && bearer ? 'both' : key ? 'api-key' : bearer ? 'bearer' : 'none';
}

/**
 * Azure's auth rules for one data-plane call, shared by HTTP requests and the Realtime WebSocket
 * handshake: exactly one of `api-key` and `Authorization`; a key must be the resource's; a token
 * must verify (signature, issuer, audience, expiry, revocation, CAE challenge) and its principal
 * must hold a role with the data action `action` to perform `operation`. On the `/openai/v1/`
 * paths the resource key is also accepted as a bearer (what the plain OpenAI client sends, as
 * Microsoft's v1 samples use it). Undefined: allowed.
 */
export async function refusalOf(
  state: EmulatorState,
  headers: IncomingHttpHeaders,
  { action, operation, path, project = false }: DataPlaneTarget,
): Promise<Refusal | undefined> {
  const auth = authOf(headers);
  const invalid = { status: 401, body: invalidTokenBody(project ? AI_AUDIENCE : AUDIENCE) };
  if (auth === 'both') {
    return {
      status: 400,
      body: {
        error: {
          code: 'BadRequest',
          message: 'Only one of the api-key header or the Authorization header may be provided.',
        },
      },
    };
  }
  if (auth === 'none') return invalid;
  if (auth === 'api-key') {
    if (state.settings.localAuthDisabled) return { status: 403, body: KEY_AUTH_DISABLED_BODY };
    return headers['api-key'] === state.apiKey ? undefined : { status: 401, body: INVALID_KEY_BODY };
  }
  const bearer = String(headers.authorization).replace(/^Bearer /i, '');
  if (bearer === state.apiKey && path.startsWith('/openai/v1/')) {
    return state.settings.localAuthDisabled ? { status: 403, body: KEY_AUTH_DISABLED_BODY } : undefined;
  }
  const verdict = await state.issuer.verify(bearer);
  if (!verdict.ok) {
    if (verdict.reason === 'expired') state.counters.expiredTokensReceived += 1;
    if (verdict.reason === 'challenged') {
      state.counters.claimsChallengesSent += 1;
      const claims = Buffer.from(verdict.claims).toString('base64');
      return {
        ...invalid,
        headers: {
          'www-authenticate': `Bearer realm="", authorization_uri="${state.authorityHost}/${state.tenantId}/oauth2/authorize", error="insufficient_claims", claims="${claims}"`,
        },
      };
    }
    return invalid;
  }
  // A Foundry project accepts only tokens for https://ai.azure.com; a classic resource both.
  if (project && String(verdict.claims.aud).replace(/\/$/, '') !== AI_AUDIENCE) return invalid;
  if (!mayPerform(state, verdict.claims.oid, action)) {
    const principal = typeof verdict.claims.upn === 'string' ? verdict.claims.upn : verdict.claims.oid;
    return {
      status: 401,
      body: {
        error: {
          code: 'PermissionDenied',
          message: `The principal \`${principal}\` lacks the required data action \`${action}\` to perform \`${operation}\` operation.${project ? ' For instructions on granting the necessary permissions, see https://aka.ms/FoundryPermissions.' : ''}`,
        },
      },
    };
  }
  return undefined;
}

/**
 * The `jti` and `oid` of a bearer token, if it is one of ours: tell tokens and principals apart in
 * the log (the `oid` of an answered request is the verified one), grant nothing.
 */
export function presentedTokenOf(headers: IncomingHttpHeaders): { tokenId?: string; oid?: string } {
  if (authOf(headers) !== 'bearer') return {};
  try {
    const payload = JSON.parse(
      Buffer.from(String(headers.authorization).split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { jti?: unknown; oid?: unknown };
    return {
      ...(typeof payload.jti === 'string' ? { tokenId: payload.jti } : {}),
      ...(typeof payload.oid === 'string' ? { oid: payload.oid } : {}),
    };
  } catch {
    return {};
  }
}
