import { KeylessError } from '../errors.js';

// Node's codes for a certificate chain it does not trust: what a TLS-inspecting proxy causes.
const UNTRUSTED_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);
// Node's and Bun's messages, and Deno's (its fetch reports rustls's verdict in the message only).
const UNTRUSTED_TEXT =
  /self[- ]signed certificate|unable to get local issuer certificate|unable to verify the first certificate|invalid peer certificate: (?:UnknownIssuer|.*CaUsedAsEndEntity)/i;

/** The Node code of an untrusted-certificate failure anywhere in `error`'s cause chain, if it is one. */
export function untrustedCertificateCode(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNTRUSTED_CODES.has(code)) return code;
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && UNTRUSTED_TEXT.test(message)) return 'UNTRUSTED_CERTIFICATE';
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The error for a TLS connection to `host` whose certificate is not trusted here: almost always a
 * company proxy that inspects TLS and presents its own certificate. Not retryable: only trust fixes it.
 */
export function untrustedCertificateError(component: string, host: string, code: string, cause: unknown): KeylessError {
  return new KeylessError(
    'TLS_UNTRUSTED',
    `${component}: the TLS certificate of ${host} is not trusted here (${code}): a proxy that inspects TLS presents its own certificate. Give Node that proxy's CA: NODE_EXTRA_CA_CERTS=/path/to/corporate-ca.pem, set before the process starts (or the strategy's ca option).`,
    { cause },
  );
}
