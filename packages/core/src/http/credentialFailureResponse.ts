import { isKeylessError, KeylessError } from '../errors.js';
import { redactText } from '../redact.js';

/**
 * The KeylessError behind each synthetic answer, keyed by the answer's `Headers`: SDKs keep that
 * object on the errors they throw (openai's `APIError.headers`), so {@link keylessErrorOf} finds
 * the original error, `cause` and all, from what the user caught.
 */
const ORIGINS = new WeakMap<Headers, KeylessError>();

/**
 * The same, keyed by the answer's body text, for SDKs that copy headers into a plain object and
 * keep the body as text (the AI SDK's `APICallError.responseBody`). Bounded: the latest 100.
 */
const BY_BODY = new Map<string, KeylessError>();
const BY_BODY_LIMIT = 100;

/**
 * The answer an authorized fetch gives when it cannot get credentials (a wrong secret, a token
 * endpoint that is down, a missing package). Throwing instead would reach users of the openai
 * SDK and LangChain as "Connection error.", retried as if the network had failed. The answer:
 *
 * - status 401 for what only a change of settings fixes, with `x-should-retry: false` (openai
 *   and LangChain do not retry it); 503 for a retryable failure (timeout, token endpoint 5xx or
 *   unreachable), 429 with `retry-after` when the token endpoint throttled: the SDK may retry
 *   those within its own limits, each retry through the same single flight and backoff;
 * - a JSON body in Azure's error shape, `{ error: { code, type: 'keyless_error', message } }`:
 *   the SDK's `err.message` is keyless's explanation and `err.code` its stable code;
 * - headers `x-keyless-error-code` (the code) and `x-keyless-synthetic: 1` (no server sent it).
 */
export function credentialFailureResponse(error: unknown): Response {
  const failure = isKeylessError(error)
    ? error
    : new KeylessError(
        'TOKEN_REQUEST_FAILED',
        `authorizedFetch: the credentials could not be obtained: ${redactText(error instanceof Error ? error.message : String(error))}. Check the credential settings.`,
        { cause: error },
      );
  const status = failure.code === 'THROTTLED' ? 429 : failure.retryable ? 503 : 401;
  const headers = new Headers({
    'content-type': 'application/json',
    'x-keyless-error-code': failure.code,
    'x-keyless-synthetic': '1',
    'x-should-retry': String(failure.retryable),
  });
  if (failure.code === 'THROTTLED' && failure.retryAfterMs !== undefined) {
    headers.set('retry-after', String(Math.ceil(failure.retryAfterMs / 1000)));
  }
  const body = JSON.stringify({ error: { code: failure.code, type: 'keyless_error', message: failure.message } });
  const response = new Response(body, { status, statusText: 'keyless: no credentials', headers });
  ORIGINS.set(response.headers, failure);
  BY_BODY.delete(body);
  BY_BODY.set(body, failure);
  if (BY_BODY.size > BY_BODY_LIMIT) BY_BODY.delete(BY_BODY.keys().next().value as string);
  return response;
}

/**
 * The {@link KeylessError} behind whatever an SDK threw or returned: the error itself, one in its
 * `cause` chain, or the one behind a synthetic answer (found through the `headers` an SDK error
 * or a Response carries, or the `responseBody` text of the AI SDK's `APICallError`). Undefined
 * when keyless had no part in it.
 *
 * @example
 * try { await client.chat.completions.create(...) }
 * catch (err) { if (keylessErrorOf(err)?.code === 'TOKEN_REQUEST_FAILED') ... }
 */
export function keylessErrorOf(value: unknown): KeylessError | undefined {
  let current = value;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (isKeylessError(current)) return current;
    const headers = (current as { headers?: unknown }).headers;
    if (headers instanceof Headers) {
      const found = ORIGINS.get(headers);
      if (found !== undefined) return found;
    }
    const body = (current as { responseBody?: unknown }).responseBody;
    if (typeof body === 'string') {
      const found = BY_BODY.get(body);
      if (found !== undefined) return found;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
