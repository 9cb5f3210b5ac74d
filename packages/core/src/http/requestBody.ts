// How the authorized fetch holds a request's body so that it can be sent again (after a 401, or
// through a same-origin redirect).

// Bodies that fetch can send twice. A ReadableStream (or an async iterable) is consumed by the
// first attempt, so a request carrying one is never retried.
export function isReplayable(body: RequestInit['body']): boolean {
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
export async function requestInit(request: Request, init: RequestInit | undefined): Promise<RequestInit> {
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
