import { KeylessError } from '../errors.js';
import { redactText } from '../redact.js';
import { explainCredentialChain } from './explainCredentialChain.js';
import { untrustedCertificateCode, untrustedCertificateError } from './tlsTrust.js';

// The AADSTS codes users meet most, with the fix. Matched in the upstream message.
const AADSTS_FIXES: ReadonlyArray<readonly [string, string]> = [
  ['AADSTS7000215', 'The client secret is wrong: copy the secret VALUE (not its id) from the app registration'],
  ['AADSTS7000222', 'The client secret has expired: create a new one in the app registration'],
  ['AADSTS700024', 'The client assertion has expired: pass a callback that signs a fresh assertion per request'],
  [
    'AADSTS700212',
    'The token audience matches no federated credential: federated credentials expect api://AzureADTokenExchange',
  ],
  [
    'AADSTS70021',
    'No federated credential matches the token: check the issuer, subject and audience of the federated credential',
  ],
  ['AADSTS50196', 'Entra ID detected a request loop: reuse one Auth per process instead of creating one per request'],
  ['AADSTS700016', 'The application was not found in the tenant: check AZURE_CLIENT_ID and AZURE_TENANT_ID'],
  ['AADSTS90002', 'The tenant was not found: check AZURE_TENANT_ID and the authority host'],
  [
    'AADSTS700027',
    'The certificate assertion was rejected: check that the certificate is uploaded to the app registration and its thumbprint matches',
  ],
];

/**
 * On-behalf-of refusals: the user's token, not keyless's settings, is what is wrong (or a consent
 * nobody gave). Their own codes, so a service answers its caller 401 (or asks for consent).
 */
const OBO_REFUSALS: ReadonlyArray<readonly [string, 'USER_ASSERTION_REJECTED' | 'CONSENT_REQUIRED', string]> = [
  [
    'AADSTS500133',
    'USER_ASSERTION_REJECTED',
    "The user's token has expired: answer the caller 401 so it signs in again or sends a fresh token (keyless does not retry it)",
  ],
  [
    'AADSTS500131',
    'USER_ASSERTION_REJECTED',
    "The user's token is for another app: the caller must ask for a token for this API (audience: this app's client id or Application ID URI, e.g. api://<client id>/access_as_user), not for Azure OpenAI or another API",
  ],
  [
    'AADSTS50013',
    'USER_ASSERTION_REJECTED',
    "The user's token failed Entra ID's validation (forged, altered, or issued by another tenant or cloud): refuse the caller with 401",
  ],
  [
    'AADSTS65001',
    'CONSENT_REQUIRED',
    'This API has no consent to call Azure OpenAI for the user: in its app registration add the delegated API permission user_impersonation of Azure Cognitive Services (https://cognitiveservices.azure.com), then grant admin consent (az ad app permission admin-consent --id <client id>) or list the client app in knownClientApplications so users consent once',
  ],
];

/**
 * Turns whatever a credential library threw into a typed, redacted {@link KeylessError}, with the
 * fix when the failure is a known one.
 */
export function tokenRequestError(
  component: string,
  error: unknown,
  secrets: readonly string[],
  /** Retry-After the token endpoint sent, when the strategy saw it (msal-node's errors drop it). */
  retryAfterHint?: number,
  /** A fix more precise than the generic one for this failure (from what the strategy knows). */
  specificFix?: (upstream: string) => string | undefined,
): KeylessError {
  const upstream = concise(redactText(error instanceof Error ? error.message : String(error), secrets));
  const status = statusOf(error);
  const retryAfterMs = retryAfterHint ?? retryAfterOf(error);
  const name = error instanceof Error ? error.name : '';
  // An untrusted certificate (a TLS-inspecting proxy) anywhere in the chain: its own code and fix.
  const untrusted = untrustedCertificateCode(error);
  if (untrusted !== undefined) {
    return untrustedCertificateError(component, hostIn(upstream) ?? 'the token endpoint', untrusted, error);
  }
  const chain = explainCredentialChain(error);
  if (chain !== undefined) {
    // The fix that applies first, then one short line per link: not seven stacked paragraphs.
    return new KeylessError(
      'CREDENTIAL_UNAVAILABLE',
      `${component}: no credential is available here. ${chain.fix}. Tried, in order:\n${chain.lines.map((line) => `  - ${line}`).join('\n')}\n`,
      { cause: error, secrets, status },
    );
  }
  if (name === 'CredentialUnavailableError' || name === 'AggregateAuthenticationError') {
    return new KeylessError(
      'CREDENTIAL_UNAVAILABLE',
      `${component}: no credential is available here (${upstream}). Choose an explicit strategy (KEYLESS_STRATEGY) or sign in (az login) for local development.`,
      { cause: error, secrets, status },
    );
  }
  if (status === 429) {
    return new KeylessError(
      'THROTTLED',
      `${component}: the token endpoint throttled the request (429). keyless retries after the Retry-After it gave; reuse one Auth per process to request fewer tokens.`,
      { cause: error, secrets, status, retryAfterMs: retryAfterMs ?? 0 },
    );
  }
  const refusal = OBO_REFUSALS.find(([aadsts]) => new RegExp(`${aadsts}\\b`).test(upstream));
  if (refusal !== undefined) {
    return new KeylessError(
      refusal[1],
      `${component}: Entra ID refused the on-behalf-of request${status === undefined ? '' : ` (${status})`}: ${upstream.replace(/\.+$/, '')}. ${refusal[2]}.`,
      { cause: error, secrets, status },
    );
  }
  const known = AADSTS_FIXES.find(([code]) => upstream.includes(code));
  const fix =
    specificFix?.(upstream) ??
    known?.[1] ??
    (status !== undefined && (status >= 500 || status === 408)
      ? 'The token endpoint is failing for now: keyless backs off and tries again, and a retry may succeed'
      : 'Check the credential settings and that the token endpoint is reachable');
  return new KeylessError(
    'TOKEN_REQUEST_FAILED',
    `${component}: the token request failed${status === undefined ? '' : ` (${status})`}: ${upstream.replace(/\.+$/, '')}. ${fix}.`,
    { cause: error, secrets, status, retryAfterMs },
  );
}

/**
 * msal's messages repeat timestamps, trace and correlation ids around Entra's one useful sentence
 * (`AADSTS7000215: Invalid client secret provided…`): keep the error name and that sentence.
 */
function concise(message: string): string {
  const sentence = /AADSTS\d+:.*?(?=\s+Trace ID:|\s+-\s+Correlation ID:|$)/s.exec(message)?.[0]?.replace(/\.+$/, '');
  if (sentence === undefined) return message;
  const name = /^([a-z_]+):/.exec(message)?.[1];
  return name === undefined ? sentence : `${name}: ${sentence}`;
}

/** The first `https://host` a library's message names, for messages. */
function hostIn(text: string): string | undefined {
  return /https:\/\/([^/\s'"]+)/.exec(text)?.[1];
}

function statusOf(error: unknown): number | undefined {
  for (const value of chain(error)) {
    const candidate = value.statusCode ?? value.status ?? value.httpStatus;
    if (typeof candidate === 'number') return candidate;
    if (typeof candidate === 'string' && /^\d{3}$/.test(candidate)) return Number(candidate);
  }
  return undefined;
}

function retryAfterOf(error: unknown): number | undefined {
  for (const value of chain(error)) {
    const ms = value.retryAfterMs ?? value.retryAfterInMs;
    if (typeof ms === 'number' && Number.isFinite(ms)) return Math.max(0, ms);
  }
  return undefined;
}

type Loose = Record<string, unknown>;

function* chain(error: unknown): Generator<Loose> {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    yield current as Loose;
    current = (current as Loose).cause;
  }
}
