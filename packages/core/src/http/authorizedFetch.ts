import type { GetTokenCallOptions, RequestAuth } from '../auth.js';

export type { RequestAuth };

import { AUTHORIZED_FETCH_DEFAULTS } from '../defaults.js';
import { KeylessError } from '../errors.js';
import { readyHeaders } from '../internal/readyHeaders.js';
import { untrustedCertificateCode, untrustedCertificateError } from '../internal/tlsTrust.js';
import { AZURE_AI_AUDIENCES } from '../scopeForEndpoint.js';
import { recordAuthDenied, recordAuthRetry } from '../telemetry/tokenTelemetry.js';
import { requireDuration, requireEndpoint } from '../validate.js';
import { authForEndpoint } from './authForEndpoint.js';
import type { AuthFailure, ExplainContext } from './classifyAuthFailure.js';
import { credentialFailureResponse } from './credentialFailureResponse.js';
import {
  attemptInit,
  followHops,
  followRedirects,
  leadsOn,
  type SentRequest,
  withoutCredentials,
} from './followRedirects.js';
import { isReplayable, requestInit } from './requestBody.js';
import { capRetryAfter, classify, explain, isAuthFailure, isWrongAudience } from './rewriteAnswer.js';

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
    requireDuration('authorizedFetch', 'maxRetryAfterMs', options.maxRetryAfterMs) ??
    AUTHORIZED_FETCH_DEFAULTS.maxRetryAfterMs;
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
  /** The retry's attempt (see afterAuthFailure); an untrusted certificate becomes its explained answer. */
  const attempt = async (
    href: string,
    request: RequestInit,
    credentials: Readonly<Record<string, string>>,
  ): Promise<SentRequest> => {
    try {
      return await followRedirects(base, href, origin, request, credentials);
    } catch (error) {
      return certificateAnswer(error, href);
    }
  };

  /**
   * The request for this origin, as most requests go: credentials, one attempt, the answer. It
   * runs on every request, so it is written with promise callbacks rather than as an async
   * function (a suspended async function keeps its whole frame, and each `await` adds a reaction),
   * and on a cache hit it takes the credentials at hand instead of awaiting them.
   */
  const send = (href: string, request: RequestInit): Promise<Response> => {
    const current = active;
    const ready = readyHeaders(current);
    if (ready !== undefined) return sendWith(href, request, current, ready);
    let pending: Promise<Readonly<Record<string, string>>>;
    try {
      pending = current.getRequestHeaders();
    } catch (error) {
      return Promise.resolve(credentialFailureResponse(error));
    }
    return pending.then((credentials) => sendWith(href, request, current, credentials), credentialFailureResponse);
  };

  /** The first hop with `credentials`; a redirect continues in followHops. */
  const sendWith = (
    href: string,
    request: RequestInit,
    current: RequestAuth,
    credentials: Readonly<Record<string, string>>,
  ): Promise<Response> => {
    const init = attemptInit(request, credentials);
    return base(href, init).then(
      (response) => {
        if (!leadsOn(request, response)) return judge(href, request, current, credentials, response, origin);
        return followHops(base, response, href, origin, init, credentials, request.redirect).then(
          (sent) => judge(href, request, current, credentials, sent.response, sent.origin),
          (error: unknown) => certificateAnswer(error, href).response,
        );
      },
      (error: unknown) => certificateAnswer(error, href).response,
    );
  };

  /** What the answer calls for: as it is, its Retry-After capped (429), or the 401/403 path. */
  const judge = (
    href: string,
    request: RequestInit,
    current: RequestAuth,
    credentials: Readonly<Record<string, string>>,
    response: Response,
    from: string,
  ): Response | Promise<Response> => {
    // Only the configured origin speaks for Azure: a login page elsewhere says nothing about our token.
    if (from !== origin) return response;
    if (response.status === 429) return capRetryAfter(response, maxRetryAfterMs);
    if (!isAuthFailure(response)) return response;
    return afterAuthFailure(href, request, current, credentials, response);
  };

  /** A 401 or 403 from this origin: retried once when a retry can help, explained either way. */
  const afterAuthFailure = async (
    href: string,
    request: RequestInit,
    current: RequestAuth,
    rejectedCredentials: Readonly<Record<string, string>>,
    response: Response,
  ): Promise<Response> => {
    const failure = await classify(response);
    const rejected = bearer(rejectedCredentials);
    const context = { scope: scopeOf(current) };
    const retry = auth.kind === 'apiKey' ? undefined : retryFor(failure, current, auth, rejected);
    if (retry === undefined) {
      if (failure.kind === 'permissionDenied') recordAuthDenied(auth.kind);
      return explain(response, failure, rejected, { ...context, retried: true });
    }
    // For this origin from now on: the next requests use the audience it accepts.
    if (retry.switchTo !== undefined) active = retry.switchTo;
    if (retry.with === undefined || !isReplayable(request.body)) {
      return explain(response, failure, rejected, { ...context, retried: false });
    }
    const next = await credentialsOf(retry.with, retry.call);
    if (next instanceof Response) {
      await response.body?.cancel();
      return next;
    }
    // The same token again, though nobody dropped it just now: the cache paced the refresh (a
    // fresh token was rejected moments ago). Another attempt with it would meet the same 401.
    if (retry.reason !== 'audience' && !retry.dropped && bearer(next) === rejected) {
      return explain(response, failure, rejected, { ...context, retried: false, paced: true });
    }
    await response.body?.cancel();
    recordAuthRetry(auth.kind, retry.reason);
    const sent = await attempt(href, request, next);
    if (sent.origin !== origin || !isAuthFailure(sent.response)) return sent.response;
    const final = await classify(sent.response);
    if (final.kind === 'permissionDenied') recordAuthDenied(auth.kind);
    return explain(sent.response, final, bearer(next), { scope: scopeOf(active), retried: true });
  };

  // Not async itself, nor is `send`: a request for this origin suspends no async function in
  // keyless. A bad URL or a refused origin is still a rejected promise, as from fetch.
  return function authorizedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    try {
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
      if (input instanceof Request) return requestInit(input, init).then((request) => send(href, request));
      return send(href, init ?? {});
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/**
 * An untrusted certificate (a TLS-inspecting proxy) would reach the SDK as "Connection error."
 * and be retried: answer with the explanation instead, as for any credential failure. Its origin
 * is none: the answer is returned as it is, never read as Azure's. Any other error is rethrown.
 */
function certificateAnswer(error: unknown, href: string): SentRequest {
  const code = untrustedCertificateCode(error);
  if (code === undefined) throw error;
  const explained = untrustedCertificateError('authorizedFetch', new URL(href).host, code, error);
  return { response: credentialFailureResponse(explained), origin: '' };
}

/** How a 401 is retried: with which auth and call options, and why (the telemetry's reason). */
interface Retry {
  reason: 'audience' | 'invalid_token' | 'claims';
  /** The auth to retry with; undefined when a retry cannot help (the failure is explained instead). */
  with: RequestAuth | undefined;
  call?: GetTokenCallOptions | undefined;
  /** The auth this origin uses from now on (another audience). */
  switchTo?: RequestAuth | undefined;
  /** Whether the rejected token was dropped from the cache just now. */
  dropped: boolean;
}

/**
 * The one retry a failure calls for, if any. A wrong audience: the resource names the audience
 * it wants, so a refresh cannot help, another scope can; only Azure AI's own audiences are asked
 * for by keyless (a server must not make it mint a token for Graph, management or any other
 * resource), and only when the caller chose no scope. An invalid or expired token: dropped (so
 * the next request does not reuse it, retried or not) and asked for again. A claims challenge:
 * asked for with those claims.
 */
function retryFor(failure: AuthFailure, current: RequestAuth, root: RequestAuth, rejected: string): Retry | undefined {
  if (failure.kind === 'invalidToken' && isWrongAudience(failure.audience, rejected)) {
    const switched = switchedAuth(root, failure.audience);
    return { reason: 'audience', with: switched, switchTo: switched, dropped: false };
  }
  if (failure.kind === 'invalidToken') {
    return { reason: 'invalid_token', with: current, dropped: current.invalidate(rejected) };
  }
  if (failure.kind === 'claimsChallenge') {
    const call = { claims: failure.claims, challengedToken: rejected };
    return { reason: 'claims', with: current, call, dropped: false };
  }
  return undefined;
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

function bearer(credentials: Record<string, string>): string {
  return credentials.authorization?.replace(/^Bearer /, '') ?? '';
}
