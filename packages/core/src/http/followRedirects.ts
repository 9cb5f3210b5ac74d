import { AUTHORIZED_FETCH_DEFAULTS } from '../defaults.js';
import { attemptHeaders } from './attemptHeaders.js';
import { isReplayable } from './requestBody.js';

/** What one attempt ended with: the final answer and the origin that gave it. */
export interface SentRequest {
  response: Response;
  origin: string;
}

/** The headers that carry a credential: none of them ever leaves for an origin other than the configured one. */
export const CREDENTIAL_HEADERS = [
  'authorization',
  'api-key',
  'cookie',
  'proxy-authorization',
  // Azure API Management's subscription key: a credential for the gateway.
  'ocp-apim-subscription-key',
] as const;

/**
 * The arguments of a request for another origin, without any credential header, whoever set it
 * (the caller, or an SDK holding keyless's credential that sets its own header on every request).
 * A request with none of them passes as it was, with no copy made.
 */
export function withoutCredentials(
  input: string | URL | Request,
  init: RequestInit | undefined,
): [string | URL | Request, RequestInit | undefined] {
  const inInit = init?.headers !== undefined && hasCredential(new Headers(init.headers));
  const inRequest = input instanceof Request && hasCredential(input.headers);
  if (!inInit && !inRequest) return [input, init];
  let request = input;
  if (inRequest) {
    // A new Request over the old one keeps its body, method and signal; only the headers change.
    const headers = new Headers(input.headers);
    for (const name of CREDENTIAL_HEADERS) headers.delete(name);
    request = new Request(input, { headers });
  }
  if (!inInit) return [request, init];
  const headers = new Headers(init?.headers);
  for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  return [request, { ...init, headers }];
}

function hasCredential(headers: Headers): boolean {
  return CREDENTIAL_HEADERS.some((name) => headers.has(name));
}

/**
 * Sends one attempt with `credentials` as its only auth header, following redirects the way
 * fetch does (mode, method changes, 20 hops) but deciding itself what each hop carries: within
 * `origin` the credentials, to any other origin none (undici forwards `api-key` there). Every
 * response body it leaves behind is cancelled, on every exit path.
 *
 * Built of three parts that the authorized fetch's common path also uses on its own, so that a
 * request suspends no async function in keyless: {@link attemptInit}, {@link leadsOn} and, only
 * for a redirect, {@link followHops}. (A suspended async function keeps its whole frame: one holding
 * every local of the redirect path cost each request a kilobyte.)
 */
export async function followRedirects(
  base: (input: string | URL, init?: RequestInit) => Promise<Response>,
  href: string,
  origin: string,
  request: RequestInit,
  credentials: Readonly<Record<string, string>>,
): Promise<SentRequest> {
  const init = attemptInit(request, credentials);
  const response = await base(href, init);
  if (!leadsOn(request, response)) return { response, origin };
  return followHops(base, response, href, origin, init, credentials, request.redirect);
}

/** The first hop's init: the caller's, with exactly keyless's credentials, redirects left to keyless. */
export function attemptInit(request: RequestInit, credentials: Readonly<Record<string, string>>): RequestInit {
  // Copied key by key: a spread followed by a key the caller did not set (`redirect`, mostly)
  // costs V8 a new property backing store, about 300 bytes a request; this costs about 100.
  const init: RequestInit = {};
  for (const key in request) (init as Record<string, unknown>)[key] = request[key as keyof RequestInit];
  init.headers = attemptHeaders(request.headers, credentials);
  init.redirect = 'manual';
  return init;
}

/** Whether the first hop's answer is a redirect keyless follows (the caller did not ask for `manual`). */
export function leadsOn(request: RequestInit, response: Response): boolean {
  return request.redirect !== 'manual' && isRedirect(response.status);
}

/**
 * The hops after a first answer that {@link leadsOn}: `firstInit` is what the first hop was sent
 * with ({@link attemptInit}), `mode` the caller's redirect mode (fetch's default, `follow`, when
 * undefined).
 */
export async function followHops(
  base: (input: string | URL, init?: RequestInit) => Promise<Response>,
  first: Response,
  href: string,
  origin: string,
  firstInit: RequestInit,
  credentials: Readonly<Record<string, string>>,
  mode: RequestRedirect | undefined,
): Promise<SentRequest> {
  const replayableBody = isReplayable(firstInit.body);
  let response = first;
  let target: URL | string = href;
  let targetOrigin = origin;
  let init = firstInit;
  for (let hop = 0; ; hop++) {
    const location = response.headers.get('location');
    if (location === null) return { response, origin: targetOrigin };
    const answer = response;
    const fail = async (message: string): Promise<never> => {
      await answer.body?.cancel();
      throw new TypeError(message);
    };
    let next: URL;
    try {
      next = new URL(location, target);
    } catch {
      return fail(`fetch: the redirect location of ${targetOrigin} is not a URL`);
    }
    if (mode === 'error') return fail(`fetch: redirect to ${next.origin} refused (redirect: "error")`);
    if (hop >= AUTHORIZED_FETCH_DEFAULTS.maxRedirects) return fail('fetch: too many redirects');
    const method = (init.method ?? 'GET').toUpperCase();
    const changeToGet =
      (response.status === 303 && method !== 'HEAD') ||
      ((response.status === 301 || response.status === 302) && method === 'POST');
    if (!changeToGet && init.body != null && !replayableBody) {
      return fail(`fetch: cannot follow a ${response.status} redirect with a one-shot stream body`);
    }
    await response.body?.cancel();
    const nextHeaders = new Headers(init.headers);
    if (next.origin !== origin) {
      for (const name of CREDENTIAL_HEADERS) nextHeaders.delete(name);
      // keyless's own, whatever their names (a gateway key under a header of the user's choosing).
      for (const name in credentials) nextHeaders.delete(name);
    }
    if (changeToGet) {
      for (const name of [
        'content-type',
        'content-length',
        'content-encoding',
        'content-language',
        'content-location',
      ]) {
        nextHeaders.delete(name);
      }
    }
    init = { ...init, headers: nextHeaders, ...(changeToGet ? { method: 'GET', body: null } : {}) };
    target = next;
    targetOrigin = next.origin;
    response = await base(target, init);
    if (!isRedirect(response.status)) return { response, origin: targetOrigin };
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}
