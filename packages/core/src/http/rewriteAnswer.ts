import { decodeJwtClaims } from '../decodeJwtClaims.js';
import type { KeylessErrorCode } from '../errors.js';
import { parseRetryAfter } from '../internal/parseRetryAfter.js';
import { readLimitedText } from '../internal/readLimitedText.js';
import {
  type AuthFailure,
  classifyAuthFailure,
  type ExplainContext,
  explainAuthFailure,
} from './classifyAuthFailure.js';

// The answers the authorized fetch hands back rewritten: Azure's own, with keyless's explanation
// added to the error message and `x-keyless-error-code` set, so code can branch on it through any
// SDK (openai's APIError keeps the response headers). Nothing here sends a request.

// The KeylessError code each explained failure corresponds to, sent as `x-keyless-error-code` so
// code can branch on it through any SDK (openai's APIError keeps the response headers).
const ERROR_CODES: Record<AuthFailure['kind'], KeylessErrorCode> = {
  permissionDenied: 'PERMISSION_DENIED',
  invalidToken: 'INVALID_TOKEN',
  claimsChallenge: 'INVALID_TOKEN',
  invalidKey: 'INVALID_API_KEY',
  keyAuthDisabled: 'KEY_AUTH_DISABLED',
  other: 'INVALID_TOKEN',
};

export function isAuthFailure(response: Response): boolean {
  return response.status === 401 || response.status === 403;
}

/** How keyless reads the failure; a body over 1 MiB is not read (nor explained): it passes as it is. */
export async function classify(response: Response): Promise<AuthFailure> {
  const text = await readLimitedText(response.clone());
  if (text === undefined) return { kind: 'other' };
  return classifyAuthFailure(response.status, response.headers.get('www-authenticate'), text);
}

/** Whether the resource named an audience other than the token's own. */
export function isWrongAudience(wanted: string | undefined, token: string): wanted is string {
  const aud = decodeJwtClaims(token)?.aud;
  return wanted !== undefined && typeof aud === 'string' && aud.replace(/\/$/, '') !== wanted;
}

export async function explain(
  response: Response,
  failure: AuthFailure,
  token: string | undefined,
  context: ExplainContext,
): Promise<Response> {
  const explanation = explainAuthFailure(failure, token, context);
  if (explanation === '') return response;
  const headers = withoutLength(response.headers);
  const wrongAudience =
    failure.kind === 'invalidToken' && token !== undefined && isWrongAudience(failure.audience, token);
  headers.set('x-keyless-error-code', wrongAudience ? 'WRONG_AUDIENCE' : ERROR_CODES[failure.kind]);
  return new Response(explainBody(await response.text(), explanation), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

export async function capRetryAfter(response: Response, maxMs: number): Promise<Response> {
  const waitMs = parseRetryAfter((name) => response.headers.get(name));
  if (waitMs === undefined || waitMs <= maxMs) return response;
  const headers = withoutLength(response.headers);
  headers.set('x-should-retry', 'false');
  headers.set('x-keyless-error-code', 'THROTTLED');
  const explanation = `keyless: Azure OpenAI asked to wait ${Math.round(waitMs / 1000)} s, more than the ${Math.round(maxMs / 1000)} s keyless lets a client sleep; failing now instead. Raise the deployment's quota, spread the load, or retry later.`;
  const text = await readLimitedText(response.clone());
  if (text === undefined) {
    // Too large to explain in place: the headers still stop the SDK from sleeping.
    return new Response(response.body, { status: 429, statusText: response.statusText, headers });
  }
  await response.body?.cancel();
  return new Response(explainBody(text, explanation), {
    status: 429,
    statusText: response.statusText,
    headers,
  });
}

function explainBody(text: string, explanation: string): string {
  try {
    const body = JSON.parse(text) as {
      error?: { code?: string; message?: string };
      message?: string;
      statusCode?: unknown;
    };
    if (body.error !== undefined && typeof body.error === 'object') {
      body.error.message = `${body.error.message ?? ''} ${explanation}`.trim();
    } else {
      // Azure's token 401 is `{ statusCode, message }`. SDKs that read only the OpenAI shape
      // (`error.message`: the AI SDK) would show just the status text: give them that shape too.
      body.message = `${body.message ?? ''} ${explanation}`.trim();
      body.error = { code: String(body.statusCode ?? 'Unauthorized'), message: body.message };
    }
    return JSON.stringify(body);
  } catch {
    return `${text} ${explanation}`.trim();
  }
}

function withoutLength(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.delete('content-length');
  copy.delete('content-encoding');
  return copy;
}
