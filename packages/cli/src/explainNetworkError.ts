/** The errno of a failed fetch, and what to do about it. */
export interface NetworkExplanation {
  /** `ECONNREFUSED`, `ENOTFOUND`, `CERT_HAS_EXPIRED`…, or the error's name when there is none. */
  errno: string;
  fix: string;
}

const FIXES: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^ECONNREFUSED$/,
    'Nothing listens at that address and port: check the endpoint URL (scheme, host, port); with a private endpoint, check that this machine resolves the host to it.',
  ],
  [
    /^(ENOTFOUND|EAI_AGAIN)$/,
    "The host name does not resolve: check the resource name in the endpoint for typos, this machine's DNS, and the private DNS zone (privatelink.openai.azure.com) if the resource uses a private endpoint.",
  ],
  [
    /^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|TimeoutError|EHOSTUNREACH|ENETUNREACH)$/,
    "No answer: a firewall, the resource's network rules (Networking: selected networks or private endpoint only) or a proxy is in the way.",
  ],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET)$/, 'The connection was cut: a proxy or firewall in between may be closing it.'],
  [
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/,
    'The TLS certificate was not trusted: a proxy that inspects TLS presents its own; give Node its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.',
  ],
];

/** Reads the errno undici hides in `cause` (or in an AggregateError's first error) and explains it. */
export function explainNetworkError(error: unknown): NetworkExplanation {
  const errno = errnoOf(error) ?? (error instanceof Error ? error.name : 'unknown error');
  const fix =
    FIXES.find(([pattern]) => pattern.test(errno))?.[1] ??
    'Check AZURE_OPENAI_ENDPOINT, DNS, the firewall and private endpoints: the resource must be reachable from here.';
  return { errno, fix };
}

function errnoOf(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = errnoOf(errors[0]);
      if (inner !== undefined) return inner;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
