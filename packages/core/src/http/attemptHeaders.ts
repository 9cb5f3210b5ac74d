// The headers one attempt is sent with: the caller's, minus any auth header, plus exactly one of
// ours. Built the cheapest way that keeps that rule, since it runs once per request.

/**
 * The caller's `headers` without any `authorization`, `api-key` or header named like one of
 * `credentials` (in any letter case), with `credentials` added.
 *
 * No headers, or a plain object, give a plain object: fetch copies it into its own header list
 * once, where a `Headers` built here would be a second copy (a Map, and a normalised name per
 * entry) on every request. A `Headers` or a list of pairs are copied into a `Headers`.
 */
export function attemptHeaders(
  headers: HeadersInit | undefined,
  credentials: Readonly<Record<string, string>>,
): HeadersInit {
  if (headers === undefined || headers === null) return { ...credentials };
  if (isPlainRecord(headers)) {
    const result: Record<string, string> = {};
    for (const name in headers) {
      if (!isReplaced(name.toLowerCase(), credentials)) result[name] = headers[name] as string;
    }
    return Object.assign(result, credentials);
  }
  const copy = new Headers(headers);
  copy.delete('authorization');
  copy.delete('api-key');
  for (const name in credentials) copy.set(name, credentials[name] as string);
  return copy;
}

/** Whether a caller's header (its name in lower case) gives way to keyless's credentials. */
function isReplaced(lowerName: string, credentials: Readonly<Record<string, string>>): boolean {
  if (lowerName === 'authorization' || lowerName === 'api-key') return true;
  for (const name in credentials) if (name.toLowerCase() === lowerName) return true;
  return false;
}

function isPlainRecord(headers: HeadersInit): headers is Record<string, string> {
  const prototype = Object.getPrototypeOf(headers);
  return prototype === Object.prototype || prototype === null;
}
