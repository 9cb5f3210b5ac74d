// The headers one attempt is sent with: the caller's, minus any auth header, plus exactly one of
// ours. Built the cheapest way that keeps that rule, since it runs once per request.

/**
 * The caller's `headers` without any `authorization`, `api-key` or header named like one of
 * `credentials` (in any letter case), with `credentials` added.
 *
 * The result is a plain object whenever it can be: fetch copies it into its own header list once,
 * where a `Headers` built here would be one more copy (a Map, a normalised name per entry, and
 * the sorted list undici builds to read it) on every request. A `Headers` (the openai SDK's) is
 * sent as it is when it already carries exactly `credentials`, and read once into a plain object
 * otherwise; only a list of pairs, where a name may repeat, is copied into a `Headers`. The
 * caller's object is never changed.
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
  if (headers instanceof Headers) {
    // An SDK given keyless's credential (the openai SDK: its apiKey or token function) has set
    // exactly the header keyless would: sent as it is, the result is the same, and fetch reads a
    // Headers' list directly where any copy made here would cost a sort and a pair per entry.
    if (carriesExactly(headers, credentials)) return headers;
    // Names come lower-cased from a Headers; a repeated name comes as one value joined by ", ".
    const result: Record<string, string> = {};
    headers.forEach((value, name) => {
      if (!isReplaced(name, credentials)) result[name] = value;
    });
    return Object.assign(result, credentials);
  }
  const copy = new Headers(headers);
  copy.delete('authorization');
  copy.delete('api-key');
  for (const name in credentials) copy.set(name, credentials[name] as string);
  return copy;
}

/**
 * Whether `headers` already hold `credentials` (each with that value, a repeated header never
 * matches) and no other auth header: then keyless's rule is already kept.
 */
function carriesExactly(headers: Headers, credentials: Readonly<Record<string, string>>): boolean {
  let setsAuthorization = false;
  let setsApiKey = false;
  for (const name in credentials) {
    if (headers.get(name) !== credentials[name]) return false;
    const lowerName = name.toLowerCase();
    if (lowerName === 'authorization') setsAuthorization = true;
    else if (lowerName === 'api-key') setsApiKey = true;
  }
  return (setsAuthorization || !headers.has('authorization')) && (setsApiKey || !headers.has('api-key'));
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
