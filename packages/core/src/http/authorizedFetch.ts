import type { GetTokenCallOptions, RequestAuth } from '../auth.js';

export type { RequestAuth };

import { decodeJwtClaims } from '../decodeJwtClaims.js';
import { KeylessError, type KeylessErrorCode } from '../errors.js';
import { parseRetryAfter } from '../internal/parseRetryAfter.js';
import { readLimitedText } from '../internal/readLimitedText.js';
import { untrustedCertificateCode, untrustedCertificateError } from '../internal/tlsTrust.js';
import { AZURE_AI_AUDIENCES } from '../scopeForEndpoint.js';
import { recordAuthDenied, recordAuthRetry } from '../telemetry/tokenTelemetry.js';
import { requireDuration, requireEndpoint } from '../validate.js';
import { authForEndpoint } from './authForEndpoint.js';
import {
  type AuthFailure,
  classifyAuthFailure,
  type ExplainContext,
  explainAuthFailure,
} from './classifyAuthFailure.js';
import { credentialFailureResponse } from './credentialFailureResponse.js';
import { followRedirects, type SentRequest, withoutCredentials } from './followRedirects.js';

/** Options of {@link createAuthorizedFetch}. */
export interface AuthorizedFetchOptions {
  /**
   * The only origin credentials are sent to, e.g. `https://my-resource.openai.azure.com`. Given
   * with a path (a Foundry project endpoint, `…/api/projects/<name>`), credentials still go to
   * the whole origin, and the path picks the scope when the auth has none of its own.
   */
  origin: string | URL;
  /** The fetch to wrap. Default `globalThis.fetch`, read at call time. */
  fetch?: typeof fetch | undefined;
  /**
   * What to do with a request for another origin: `passthrough` (default) sends it without any
   * credential header (`authorization`, `api-key`, `proxy-authorization`, `cookie`,
   * `ocp-apim-subscription-key` are removed, whoever set them: the caller or an SDK holding
   * keyless's credential); `refuse` rejects it with a KeylessError naming the origin.
   */
  otherOrigins?: 'passthrough' | 'refuse' | undefined;
  /**
   * Longest wait a 429's Retry-After may ask for (ms). Above it the answer is marked
   * `x-should-retry: false` (the openai SDK then fails fast with its RateLimitError instead of
   * sleeping) and explained. Default 60 s, the cap openai-node applies to its own waits.
   */
  maxRetryAfterMs?: number | undefined;
}

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

const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/**
 * A `fetch` that attaches `auth`'s credentials to requests for one origin only:
 * - exactly one auth header per attempt (any `authorization`/`api-key` the caller set is replaced);
 * - a request for another origin leaves without any credential header, whoever set it (an SDK
 *   that holds keyless's credential sets its own `Authorization`/`api-key` on absolute URLs too);
 * - redirects are followed by keyless: within the origin with credentials, to another origin
 *   without any (undici would forward `api-key` there); answers from another origin are returned
 *   untouched, never read as Azure's;
 * - a 401 saying the token is invalid or expired invalidates it and, when the body can be sent
 *   again, retries once with a new one; a CAE claims challenge retries once with those claims;
 *   when the cache paces the refresh (a fresh token was rejected moments ago), the 401 goes to
 *   the caller explained, without another token request or attempt;
 * - a missing role (PermissionDenied) is never retried: the answer is returned with keyless's
 *   explanation (principal, role, fix) added to Azure's error message;
 * - when no credentials can be had (a wrong secret, a token endpoint down), the answer is a
 *   synthetic one marked `x-keyless-error-code` carrying keyless's explanation (see
 *   {@link credentialFailureResponse}), so SDKs show it instead of "Connection error." and do
 *   not retry what a retry cannot fix.
 */
export function createAuthorizedFetch(auth: RequestAuth, options: AuthorizedFetchOptions): typeof fetch {
  // https anywhere, http only on loopback: credentials are never sent in clear.
  const origin = requireEndpoint('authorizedFetch', 'origin', String(options.origin)).origin;
  const maxRetryAfterMs =
    requireDuration('authorizedFetch', 'maxRetryAfterMs', options.maxRetryAfterMs) ?? DEFAULT_MAX_RETRY_AFTER_MS;
  if (
    options.otherOrigins !== undefined &&
    options.otherOrigins !== 'passthrough' &&
    options.otherOrigins !== 'refuse'
  ) {
    throw new KeylessError(
      'CONFIG_INVALID',
      `authorizedFetch: otherOrigins must be "passthrough" or "refuse", not ${JSON.stringify(String(options.otherOrigins)).slice(0, 40)}.`,
    );
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new KeylessError(
      'CONFIG_INVALID',
      'authorizedFetch: fetch must be a function. Remove it to use globalThis.fetch.',
    );
  }
  const refuseOthers = options.otherOrigins === 'refuse';
  const base = (input: string | URL | Request, init?: RequestInit) => (options.fetch ?? globalThis.fetch)(input, init);

  const originSlash = `${origin}/`;
  // The auth this origin's requests use: the one the endpoint calls for (an origin given with a
  // Foundry project's path takes ai.azure.com), or its sibling for the Azure AI audience the
  // resource named in a 401 (then kept, so one wrong-audience answer is met once, not per call).
  let active: RequestAuth = authForEndpoint(auth, String(options.origin));
  return async function authorizedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    // The prefix test settles the common case without parsing a URL per request; anything else
    // (other case, default port spelled out…) is parsed. `origin/` cannot match another port or a userinfo trick.
    if (!href.startsWith(originSlash) && new URL(href).origin !== origin) {
      if (refuseOthers) {
        throw new KeylessError(
          'CONFIG_INVALID',
          `authorizedFetch: refused a request to ${new URL(href).origin}, which is not the configured origin ${origin}. Send it with a plain fetch, or configure this origin.`,
        );
      }
      return base(...withoutCredentials(input, init));
    }
    const request = input instanceof Request ? await requestInit(input, init) : (init ?? {});
    const replayable = isReplayable(request.body);
    const attempt = async (credentials: Readonly<Record<string, string>>): Promise<SentRequest> => {
      try {
        return await followRedirects(base, href, origin, request, credentials, replayable);
      } catch (error) {
        // An untrusted certificate (a TLS-inspecting proxy) would reach the SDK as "Connection
        // error." and be retried: answer with the explanation instead, as for any credential
        // failure. Its origin is none: the answer is returned as it is, never read as Azure's.
        const code = untrustedCertificateCode(error);
        if (code === undefined) throw error;
        const explained = untrustedCertificateError('authorizedFetch', new URL(href).host, code, error);
        return { response: credentialFailureResponse(explained), origin: '' };
      }
    };

    const current = active;
    let credentials = await credentialsOf(current);
    if (credentials instanceof Response) return credentials;
    let sent = await attempt(credentials);
    // Only the configured origin speaks for Azure: a login page elsewhere says nothing about our token.
    if (sent.origin !== origin) return sent.response;
    if (sent.response.status === 429) return capRetryAfter(sent.response, maxRetryAfterMs);
    if (!isAuthFailure(sent.response)) return sent.response;

    const failure = await classify(sent.response);
    const tokenAuth = auth.kind !== 'apiKey';
    const rejected = bearer(credentials);
    const context = { scope: scopeOf(current) };
    if (tokenAuth && failure.kind === 'invalidToken' && isWrongAudience(failure.audience, rejected)) {
      // The resource names the audience it wants: a refresh cannot help, another scope can. Only
      // Azure AI's own audiences are asked for by keyless (a server must not make it mint a token
      // for Graph, management or any other resource), and only when the caller chose no scope.
      const switched = switchedAuth(auth, failure.audience);
      // For this origin from now on: the next requests use the audience it accepts.
      if (switched !== undefined) active = switched;
      if (switched === undefined || !replayable)
        return explain(sent.response, failure, rejected, { ...context, retried: false });
      const next = await credentialsOf(switched);
      await sent.response.body?.cancel();
      if (next instanceof Response) return next;
      recordAuthRetry(auth.kind, 'audience');
      credentials = next;
      sent = await attempt(credentials);
    } else if (tokenAuth && (failure.kind === 'invalidToken' || failure.kind === 'claimsChallenge')) {
      // Dropped whether or not this request can be retried: the next one must not reuse it.
      const dropped = failure.kind === 'invalidToken' && current.invalidate(rejected);
      if (!replayable) return explain(sent.response, failure, rejected, { ...context, retried: false });
      const next = await credentialsOf(
        current,
        failure.kind === 'claimsChallenge' ? { claims: failure.claims, challengedToken: rejected } : undefined,
      );
      if (next instanceof Response) {
        await sent.response.body?.cancel();
        return next;
      }
      // The same token again, though nobody dropped it just now: the cache paced the refresh (a
      // fresh token was rejected moments ago). Another attempt with it would meet the same 401.
      if (!dropped && bearer(next) === rejected) {
        return explain(sent.response, failure, rejected, { ...context, retried: false, paced: true });
      }
      await sent.response.body?.cancel();
      recordAuthRetry(auth.kind, failure.kind === 'invalidToken' ? 'invalid_token' : 'claims');
      credentials = next;
      sent = await attempt(credentials);
    }
    if (sent.origin !== origin || !isAuthFailure(sent.response)) return sent.response;
    const final = await classify(sent.response);
    if (final.kind === 'permissionDenied') recordAuthDenied(auth.kind);
    return explain(sent.response, final, bearer(credentials), { scope: scopeOf(active), retried: true });
  };
}

/** Whether the resource named an audience other than the token's own. */
function isWrongAudience(wanted: string | undefined, token: string): wanted is string {
  const aud = decodeJwtClaims(token)?.aud;
  return wanted !== undefined && typeof aud === 'string' && aud.replace(/\/$/, '') !== wanted;
}

/** The Auth for `audience`, when keyless may switch to it by itself; see the call site. */
function switchedAuth(auth: RequestAuth, audience: string): RequestAuth | undefined {
  if (!AZURE_AI_AUDIENCES.includes(audience) || auth.scopeExplicit !== false || auth.forScope === undefined) {
    return undefined;
  }
  return auth.forScope(`${audience}/.default`);
}

function scopeOf(auth: RequestAuth): ExplainContext['scope'] {
  return auth.scope === undefined ? undefined : { value: auth.scope, explicit: auth.scopeExplicit === true };
}

/** The request's credentials, or the answer that explains why there are none. */
async function credentialsOf(
  auth: RequestAuth,
  call?: GetTokenCallOptions,
): Promise<Readonly<Record<string, string>> | Response> {
  try {
    return await auth.getRequestHeaders(call);
  } catch (error) {
    return credentialFailureResponse(error);
  }
}

function isAuthFailure(response: Response): boolean {
  return response.status === 401 || response.status === 403;
}

/** How keyless reads the failure; a body over 1 MiB is not read (nor explained): it passes as it is. */
async function classify(response: Response): Promise<AuthFailure> {
  const text = await readLimitedText(response.clone());
  if (text === undefined) return { kind: 'other' };
  return classifyAuthFailure(response.status, response.headers.get('www-authenticate'), text);
}

async function explain(
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

async function capRetryAfter(response: Response, maxMs: number): Promise<Response> {
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

function bearer(credentials: Record<string, string>): string {
  return credentials.authorization?.replace(/^Bearer /, '') ?? '';
}

// Bodies that fetch can send twice. A ReadableStream (or an async iterable) is consumed by the
// first attempt, so a request carrying one is never retried.
function isReplayable(body: RequestInit['body']): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof FormData
  );
}

/**
 * A Request's parts as a RequestInit. Its body is read once into bytes: a Request exposes every
 * body, even a string, as a stream that can be sent only once (no retry after a 401, and a
 * same-origin 307 would re-send a drained stream). The cost: a Request built over a stream is
 * sent buffered; pass the stream as `init.body` to send it as a stream (then it is not retried).
 */
async function requestInit(request: Request, init: RequestInit | undefined): Promise<RequestInit> {
  const body = init?.body !== undefined || request.body === null ? undefined : await request.arrayBuffer();
  return {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    redirect: request.redirect,
    ...(body === undefined ? {} : { body }),
    ...init,
  };
}
