/**
 * The one redaction helper. Every error message, stack, event and log line keyless produces goes
 * through it, so a token, key, secret, assertion or private key never reaches output.
 *
 * Two layers: values the caller knows are secret (the configured key, client secret…) are replaced
 * wherever they appear, and shapes that are secret whatever their value (JWTs, bearer headers, PEM
 * private keys, `client_secret=…` form fields) are replaced by pattern, which catches secrets
 * keyless never saw, such as a token quoted back in an upstream error.
 */

const REDACTED = '[REDACTED]';

const SECRET_SHAPES: readonly RegExp[] = [
  // PEM blocks: private keys and certificates (a certificate is not secret, but never useful in a log).
  /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g,
  // JWTs (access tokens, client assertions, federated tokens): header.payload[.signature]
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g,
  // Authorization header values.
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];

// The userinfo of a URL (`redis://:key@host`, `http://user:pass@proxy:3128`): kept is the scheme.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

// `name=value`, `name: value`, `"name":"value"` for fields that always carry secrets.
const SECRET_FIELDS =
  /((?:client_secret|clientSecret|client_assertion|clientAssertion|api[-_]?key|apiKey|ocp-apim-subscription-key|password|passphrase|access_token|accessToken|refresh_token|x-identity-header|identity_header|secret)["']?\s*[:=]\s*["']?)([^"'&\s,;}]+)/gi;

/** Secret values shorter than this are not replaced by value: they would shred ordinary text. */
const MIN_SECRET_LENGTH = 6;

/**
 * Returns `text` with every known secret value and every secret-shaped substring replaced by
 * `[REDACTED]`.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  }
  for (const shape of SECRET_SHAPES) {
    out = out.replace(shape, (_match, scheme: unknown) =>
      typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED,
    );
  }
  return out.replace(URL_USERINFO, `$1${REDACTED}@`).replace(SECRET_FIELDS, `$1${REDACTED}`);
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

/**
 * The credentials in the environment's proxy URLs (`http://user:pass@proxy`), as they may appear
 * decoded or alone in a library's message: secrets like any other.
 */
export function proxyCredentials(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const found: string[] = [];
  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (value === undefined || !value.includes('@')) continue;
    found.push(value);
    try {
      const { username, password } = new URL(value);
      for (const part of [username, password]) {
        if (part !== '') found.push(part, decodeURIComponent(part));
      }
    } catch {
      // Not a URL: the whole value is already a secret.
    }
  }
  return found;
}

// Scalar properties worth keeping from an upstream error: they explain it and carry no secret
// (their string values are still redacted).
const KEPT_PROPERTIES = ['code', 'errorCode', 'subError', 'statusCode', 'status', 'correlationId'] as const;

const MAX_CAUSE_DEPTH = 5;

/**
 * Copies an error (or any thrown value) into a plain `Error` whose message, stack and kept
 * properties are redacted, with its cause chain sanitized the same way. The copy holds no
 * reference to the original, so `util.inspect(err, { depth: null })` cannot reach a secret that
 * the original carried in a field we do not know about (a request object, headers, a config).
 */
export function sanitizeError(value: unknown, secrets: readonly string[] = [], depth = 0): Error {
  if (!(value instanceof Error)) {
    return new Error(redactText(safeString(value), secrets));
  }
  const cause = (value as { cause?: unknown }).cause;
  const copy =
    cause === undefined || depth >= MAX_CAUSE_DEPTH
      ? new Error(redactText(value.message, secrets))
      : new Error(redactText(value.message, secrets), {
          cause: sanitizeError(cause, secrets, depth + 1),
        });
  copy.name = value.name;
  copy.stack = redactText(value.stack ?? '', secrets);
  for (const key of KEPT_PROPERTIES) {
    const prop = (value as unknown as Record<string, unknown>)[key];
    if (typeof prop === 'number' || typeof prop === 'boolean') {
      Object.defineProperty(copy, key, { value: prop, enumerable: true });
    } else if (typeof prop === 'string') {
      Object.defineProperty(copy, key, { value: redactText(prop, secrets), enumerable: true });
    }
  }
  return copy;
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}
