/**
 * A fetch that lets at most `limit` requests onto the network at once, as a production agent's
 * connection pool would. Herds of thousands of concurrent requests still reach the code under
 * test all at once; only the sockets are pooled, so loopback listen backlogs do not overflow.
 */
export function limitConcurrency(
  limit: number,
  base: typeof fetch = (input, init) => fetch(input, init),
): typeof fetch {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (input, init) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      const response = await base(input, init);
      // Read the body inside the slot, so the slot is released only when the socket is free.
      const body = await response.arrayBuffer();
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}
