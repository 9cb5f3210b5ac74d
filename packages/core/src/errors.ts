import { redactText, sanitizeError } from './redact.js';

/**
 * Stable error codes. Match on `code` (never on message text): codes do not change between
 * minor versions, messages may.
 */
export type KeylessErrorCode =
  /** A setting is missing, malformed or out of range. */
  | 'CONFIG_INVALID'
  /** Two settings that cannot be combined were both given. */
  | 'CONFIG_CONFLICT'
  /** An optional peer dependency (`@azure/identity`, `@azure/msal-node`) is not installed. */
  | 'MISSING_PEER_DEPENDENCY'
  /** The credential cannot work in this environment (no managed identity, no developer login…). */
  | 'CREDENTIAL_UNAVAILABLE'
  /** The token endpoint answered with an error or could not be reached. */
  | 'TOKEN_REQUEST_FAILED'
  /** The token endpoint did not answer within `tokenRequestTimeoutMs`; the request was abandoned. */
  | 'TOKEN_REQUEST_TIMEOUT'
  /** The token endpoint asked us to slow down for longer than keyless is willing to wait. */
  | 'THROTTLED'
  /** The token was accepted but the principal lacks the data-plane role. Refreshing never fixes it. */
  | 'PERMISSION_DENIED'
  /** Azure OpenAI rejected the token (invalid, expired, wrong audience) even after a refresh. */
  | 'INVALID_TOKEN'
  /** Azure OpenAI rejected the API key. */
  | 'INVALID_API_KEY'
  /** The resource has key authentication disabled (`disableLocalAuth`): only Entra ID tokens work. */
  | 'KEY_AUTH_DISABLED'
  /** The token is for another audience than the resource accepts; a refresh cannot help. */
  | 'WRONG_AUDIENCE'
  /** A TLS certificate is not trusted here (a TLS-inspecting proxy): NODE_EXTRA_CA_CERTS fixes it. */
  | 'TLS_UNTRUSTED'
  /**
   * Entra ID refused the user's token offered for on-behalf-of (expired, forged, from another
   * tenant, or for another app): answer the caller 401. keyless never retries it.
   */
  | 'USER_ASSERTION_REJECTED'
  /** On-behalf-of needs consent the user or an admin has not given (AADSTS65001). */
  | 'CONSENT_REQUIRED'
  /** The operation does not apply to this strategy (e.g. asking an API-key auth for a bearer token). */
  | 'UNSUPPORTED_OPERATION';

/** The troubleshooting guide shipped inside this package; every error message names its section. */
export const TROUBLESHOOTING_DOC = '@keyless/core/TROUBLESHOOTING.md';

/** Options for {@link KeylessError}. */
export interface KeylessErrorOptions {
  /** The underlying error. It is kept, with every secret redacted from it. */
  cause?: unknown;
  /** Secret values known to the caller that must never appear in this error. */
  secrets?: readonly string[] | undefined;
  /** HTTP status, when the error came from an HTTP answer. */
  status?: number | undefined;
  /** Milliseconds the server asked us to wait before trying again, if it said so. */
  retryAfterMs?: number | undefined;
}

/**
 * The one error class keyless throws. `message` reads `<component>: <problem>. <fix>.`, `code` is
 * stable, `cause` is chained (and redacted). `name` is set so that code which cannot rely on
 * `instanceof` (two copies of the package loaded) can use {@link isKeylessError}.
 */
export class KeylessError extends Error {
  override readonly name = 'KeylessError';
  readonly code: KeylessErrorCode;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /**
   * Whether trying again later may succeed: a timeout, a network failure, a 5xx or 429 of the
   * token endpoint. False for what only a change of settings fixes (a wrong secret, an unknown
   * client or tenant, a missing package, a bad setting).
   */
  readonly retryable: boolean;

  constructor(code: KeylessErrorCode, message: string, options: KeylessErrorOptions = {}) {
    const secrets = options.secrets ?? [];
    const text = redactText(message, secrets);
    super(
      `${text} (${TROUBLESHOOTING_DOC}#${code.toLowerCase().replaceAll('_', '-')})`,
      options.cause === undefined ? undefined : { cause: sanitizeError(options.cause, secrets) },
    );
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = isRetryable(code, options.status);
    if (this.stack) this.stack = redactText(this.stack, secrets);
  }

  /** What `JSON.stringify` shows: the code, message and status, never the cause's internals. */
  toJSON(): { name: string; code: KeylessErrorCode; message: string; retryable: boolean; status?: number } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.status === undefined ? {} : { status: this.status }),
    };
  }
}

/** True for a {@link KeylessError}, even one thrown by another copy of this package. */
export function isKeylessError(value: unknown): value is KeylessError {
  return (
    value instanceof KeylessError ||
    (value instanceof Error && value.name === 'KeylessError' && typeof (value as { code?: unknown }).code === 'string')
  );
}

function isRetryable(code: KeylessErrorCode, status: number | undefined): boolean {
  switch (code) {
    case 'TOKEN_REQUEST_TIMEOUT':
    case 'THROTTLED':
      return true;
    case 'TOKEN_REQUEST_FAILED':
      // No status: the endpoint could not be reached (or answered nothing usable).
      return status === undefined || status === 408 || status >= 500;
    default:
      return false;
  }
}
