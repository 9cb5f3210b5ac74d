import type { Auth } from '../createAuth.js';
import { KeylessError, type KeylessErrorCode } from '../errors.js';
import { parseRetryAfter } from '../internal/parseRetryAfter.js';
import { type AuthFailure, classifyAuthFailure, explainAuthFailure } from './classifyAuthFailure.js';

/** The slice of an {@link Auth} that authorized requests need: any object of this shape plugs in. */
export type RequestAuth = Pick<Auth, 'kind' | 'getRequestHeaders' | 'invalidate'>;

/** Options of {@link createAuthorizedFetch}. */
export interface AuthorizedFetchOptions {
  /** The only origin credentials are sent to, e.g. `https://my-resource.openai.azure.com`. */
  origin: string | URL;
  /** The fetch to wrap. Default `globalThis.fetch`, read at call time. */
  fetch?: typeof fetch | undefined;
  /**
   * What to do with a request for another origin: `passthrough` (default) sends it untouched,
   * without credentials; `refuse` rejects it with a KeylessError.
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
  other: 'INVALID_TOKEN',
};

const CREDENTIAL_HEADERS = ['authorization', 'api-key', 'cookie', 'proxy-authorization'] as const;
const MAX_REDIRECTS = 20;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/**
 * A `fetch` that attaches `auth`'s credentials to requests for one origin only:
 * - exactly one auth header per attempt (any `authorization`/`api-key` the caller set is replaced);
 * - redirects are followed by keyless: within the origin with credentials, to another origin
 *   without any (undici would forward `api-key` there);
 * - a 401 saying the token is invalid or expired invalidates it and retries once with a new one,
 *   a CAE claims challenge retries once with those claims, when the body can be replayed;
 * - a missing role (PermissionDenied) is never retried: the answer is returned with keyless's
 *   explanation (principal, role, fix) added to Azure's error message.
 */
export function createAuthorizedFetch(auth: RequestAuth, options: AuthorizedFetchOptions): typeof fetch {
  const origin = new URL(String(options.origin)).origin;
  const refuseOthers = options.otherOrigins === 'refuse';
  const base = (input: string | URL | Request, init?: RequestInit) => (options.fetch ?? globalThis.fetch)(input, init);

  const originSlash = `${origin}/`;
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
      return base(input, init);
    }
    const request = input instanceof Request ? requestInit(input, init) : (init ?? {});
    const replayable = isReplayable(request.body);

    let credentials = await auth.getRequestHeaders();
    let response = await send(base, href, origin, request, credentials);
    if (response.status === 429) return capRetryAfter(response, options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
    if (response.status !== 401 && response.status !== 403) return response;

    const failure = classifyAuthFailure(
      response.status,
      response.headers.get('www-authenticate'),
      await response.clone().text(),
    );
    const retry = replayable && auth.kind !== 'apiKey';
    if (retry && failure.kind === 'invalidToken') {
      auth.invalidate(bearer(credentials));
      await response.body?.cancel();
      credentials = await auth.getRequestHeaders();
      response = await send(base, href, origin, request, credentials);
    } else if (retry && failure.kind === 'claimsChallenge') {
      await response.body?.cancel();
      credentials = await auth.getRequestHeaders({ claims: failure.claims });
      response = await send(base, href, origin, request, credentials);
    }
    if (response.status !== 401 && response.status !== 403) return response;
    const final = classifyAuthFailure(
      response.status,
      response.headers.get('www-authenticate'),
      await response.clone().text(),
    );
    return explain(response, final, bearer(credentials));
  };
}

async function send(
  base: (input: string | URL, init?: RequestInit) => Promise<Response>,
  href: string,
  origin: string,
  request: RequestInit,
  credentials: Readonly<Record<string, string>>,
): Promise<Response> {
  // One Headers per attempt: the caller's, minus any auth header, plus exactly one of ours.
  const headers = new Headers(request.headers);
  headers.delete('authorization');
  headers.delete('api-key');
  for (const name in credentials) headers.set(name, credentials[name] as string);
  const mode = request.redirect ?? 'follow';
  let target: string | URL = href;
  let init: RequestInit = { ...request, headers, redirect: 'manual' };
  for (let hop = 0; ; hop++) {
    const response = await base(target, init);
    if (mode === 'manual' || !isRedirect(response.status)) return response;
    const location = response.headers.get('location');
    if (location === null) return response;
    const next: URL = new URL(location, target);
    if (mode === 'error') throw new TypeError(`fetch: redirect to ${next.origin} refused (redirect: "error")`);
    if (hop >= MAX_REDIRECTS) throw new TypeError('fetch: too many redirects');
    await response.body?.cancel();
    const changeToGet =
      response.status === 303 || ((response.status === 301 || response.status === 302) && init.method === 'POST');
    const nextHeaders = new Headers(init.headers);
    if (next.origin !== origin) {
      for (const name of CREDENTIAL_HEADERS) nextHeaders.delete(name);
    }
    if (changeToGet) nextHeaders.delete('content-type');
    init = { ...init, headers: nextHeaders, ...(changeToGet ? { method: 'GET', body: null } : {}) };
    target = next;
  }
}

async function explain(response: Response, failure: AuthFailure, token: string | undefined): Promise<Response> {
  const explanation = explainAuthFailure(failure, token);
  if (explanation === '') return response;
  const headers = withoutLength(response.headers);
  headers.set('x-keyless-error-code', ERROR_CODES[failure.kind]);
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
  return new Response(explainBody(await response.text(), explanation), {
    status: 429,
    statusText: response.statusText,
    headers,
  });
}

function explainBody(text: string, explanation: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string }; message?: string };
    if (body.error !== undefined && typeof body.error === 'object') {
      body.error.message = `${body.error.message ?? ''} ${explanation}`.trim();
    } else {
      body.message = `${body.message ?? ''} ${explanation}`.trim();
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

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
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

function requestInit(request: Request, init: RequestInit | undefined): RequestInit {
  return {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    redirect: request.redirect,
    ...(request.body === null ? {} : { duplex: 'half' }),
    ...init,
  } as RequestInit;
}
