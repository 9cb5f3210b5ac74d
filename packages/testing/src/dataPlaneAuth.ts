import type { IncomingHttpHeaders } from 'node:http';
import { type EmulatorState, mayInfer } from './emulatorState.js';

/** Which credential a data-plane request carried. */
export type DataPlaneAuth = 'bearer' | 'api-key' | 'both' | 'none';

/** A refusal, in Azure's words: status, JSON body, extra headers. */
export interface Refusal {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const INVALID_TOKEN_BODY = {
  statusCode: 401,
  message:
    'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
};
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
  action: string,
  operation: string,
  path: string,
): Promise<Refusal | undefined> {
  const auth = authOf(headers);
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
  if (auth === 'none') return { status: 401, body: INVALID_TOKEN_BODY };
  if (auth === 'api-key')
    return headers['api-key'] === state.apiKey ? undefined : { status: 401, body: INVALID_KEY_BODY };
  const bearer = String(headers.authorization).replace(/^Bearer /i, '');
  if (bearer === state.apiKey && path.startsWith('/openai/v1/')) return undefined;
  const verdict = await state.issuer.verify(bearer);
  if (!verdict.ok) {
    if (verdict.reason === 'expired') state.counters.expiredTokensReceived += 1;
    if (verdict.reason === 'challenged') {
      state.counters.claimsChallengesSent += 1;
      const claims = Buffer.from(verdict.claims).toString('base64');
      return {
        status: 401,
        body: INVALID_TOKEN_BODY,
        headers: {
          'www-authenticate': `Bearer realm="", authorization_uri="${state.authorityHost}/${state.tenantId}/oauth2/authorize", error="insufficient_claims", claims="${claims}"`,
        },
      };
    }
    return { status: 401, body: INVALID_TOKEN_BODY };
  }
  if (!mayInfer(state, verdict.claims.oid)) {
    return {
      status: 401,
      body: {
        error: {
          code: 'PermissionDenied',
          message: `The principal \`${verdict.claims.oid}\` lacks the required data action \`Microsoft.CognitiveServices/accounts/OpenAI/${action}\` to perform \`${operation}\` operation.`,
        },
      },
    };
  }
  return undefined;
}

/** The `jti` of a bearer token, if it is one of ours: tells tokens apart in the log, grants nothing. */
export function tokenIdOf(headers: IncomingHttpHeaders): string | undefined {
  if (authOf(headers) !== 'bearer') return undefined;
  try {
    const payload = JSON.parse(
      Buffer.from(String(headers.authorization).split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { jti?: unknown };
    return typeof payload.jti === 'string' ? payload.jti : undefined;
  } catch {
    return undefined;
  }
}
