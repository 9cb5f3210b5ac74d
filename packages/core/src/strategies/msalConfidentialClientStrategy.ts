import type { ConfidentialClientApplication, Configuration } from '@azure/msal-node';
import { isKeylessError, KeylessError } from '../errors.js';
import { federatedFix } from '../internal/federatedFailure.js';
import { loadPeer } from '../internal/loadPeer.js';
import { networkClient } from '../internal/networkClient.js';
import { parseRetryAfter } from '../internal/parseRetryAfter.js';
import { readCertificate } from '../internal/readCertificate.js';
import { untrustedCertificateCode, untrustedCertificateError } from '../internal/tlsTrust.js';
import { tokenRequestError } from '../internal/tokenRequestError.js';
import { requireEndpoint, requireTenantId, requireText } from '../internal/validate.js';
import type { MsalConfidentialClientStrategy } from '../strategy.js';
import { type FederatedSource, federatedSourceOf } from './federatedAssertion.js';
import type { SourceContext, TokenSource } from './tokenSource.js';

type MsalModule = typeof import('@azure/msal-node');

const COMPONENT = 'msalConfidentialClient';
const PUBLIC_CLOUD = 'https://login.microsoftonline.com';

/**
 * A service principal through msal-node's ConfidentialClientApplication. Everything is validated
 * here, at createAuth() time; the library is loaded on the first token request.
 *
 * The application is rebuilt after a failed request: msal otherwise keeps failing identical
 * requests for up to 60 s after a 5xx, and keyless's own backoff (which serves the still-valid
 * token meanwhile) is the one policy that should decide when to try again.
 */
export function msalConfidentialClientSource(
  strategy: MsalConfidentialClientStrategy,
  { scope, timeoutMs }: SourceContext,
): TokenSource {
  const tenantId = requireTenantId(COMPONENT, 'tenantId', strategy.tenantId);
  const clientId = requireText(COMPONENT, 'clientId', strategy.clientId);
  const host = requireEndpoint(COMPONENT, 'authorityHost', strategy.authorityHost ?? PUBLIC_CLOUD);
  const given = (['clientSecret', 'certificate', 'clientAssertion'] as const).filter(
    (key) => strategy[key] !== undefined,
  );
  if (given.length !== 1) {
    throw new KeylessError(
      given.length === 0 ? 'CONFIG_INVALID' : 'CONFIG_CONFLICT',
      given.length === 0
        ? `${COMPONENT}: no client credential was given. Pass exactly one of clientSecret, certificate or clientAssertion.`
        : `${COMPONENT}: ${given.join(' and ')} were both given. Pass exactly one of clientSecret, certificate or clientAssertion.`,
      { secrets: secretValues(strategy) },
    );
  }
  const auth: Configuration['auth'] = {
    clientId,
    authority: `${host.origin}${host.pathname.replace(/\/$/, '')}/${tenantId}`,
    knownAuthorities: [host.host],
  };
  const secrets: string[] = [];
  let lastAssertion: string | undefined;
  let callbackError: unknown;
  let federated: FederatedSource | undefined;
  if (strategy.clientSecret !== undefined) {
    auth.clientSecret = requireText(COMPONENT, 'clientSecret', strategy.clientSecret);
    secrets.push(auth.clientSecret);
  } else if (strategy.certificate !== undefined) {
    const certificate = readCertificate(COMPONENT, 'certificate', strategy.certificate);
    auth.clientCertificate = certificate;
    secrets.push(certificate.privateKey);
    if (strategy.certificate.privateKey !== undefined) secrets.push(strategy.certificate.privateKey);
    if (strategy.certificate.password !== undefined) secrets.push(strategy.certificate.password);
  } else if (typeof strategy.clientAssertion === 'function') {
    const callback = strategy.clientAssertion;
    federated = federatedSourceOf(callback);
    auth.clientAssertion = async () => {
      callbackError = undefined;
      try {
        lastAssertion = requireText(COMPONENT, 'clientAssertion()', await callback());
      } catch (error) {
        // Kept as it is (msal-node would wrap it): the callback's own error says what to fix.
        callbackError = error;
        throw error;
      }
      // Redacted from every message, like a secret; only the latest is kept.
      secrets.length = fixedSecrets;
      secrets.push(lastAssertion);
      return lastAssertion;
    };
  } else {
    throw new KeylessError(
      'CONFIG_INVALID',
      `${COMPONENT}: clientAssertion must be a function returning a fresh assertion. A fixed string expires (AADSTS700024); wrap it: () => readFile(...).`,
      { secrets: secretValues(strategy) },
    );
  }
  // A proxy URL with user:password in it is a secret like any other.
  if (typeof strategy.proxy === 'string' && strategy.proxy.includes('@')) secrets.push(strategy.proxy);
  const fixedSecrets = secrets.length;
  let retryAfterMs: number | undefined;
  const system: Configuration['system'] = {
    networkClient: networkClient({
      timeoutMs,
      ca: strategy.ca,
      proxy: validProxy(strategy.proxy),
      onResponse: (status, header) => {
        retryAfterMs = status === 429 || status >= 500 ? parseRetryAfter(header) : undefined;
      },
      // msal turns it into a bare network_error: keep what it was, and where.
      onTransportError: (error, url) => {
        const code = untrustedCertificateCode(error);
        if (code !== undefined) untrusted = untrustedCertificateError(COMPONENT, new URL(url).host, code, error);
      },
    }),
  };
  let untrusted: KeylessError | undefined;
  let app: ConfidentialClientApplication | undefined;
  const scopes = [scope];

  return {
    secrets,
    fetch: async ({ forceRefresh, claims }) => {
      if (app === undefined) {
        const msal = await loadPeer<MsalModule>('@azure/msal-node', COMPONENT);
        app = new msal.ConfidentialClientApplication({ auth, system });
      }
      retryAfterMs = undefined;
      untrusted = undefined;
      try {
        const result = await app.acquireTokenByClientCredential({
          scopes,
          skipCache: forceRefresh,
          ...(claims === undefined ? {} : { claims }),
        });
        if (result === null) throw new Error('msal-node returned no token');
        return {
          token: result.accessToken,
          expiresOnTimestamp: result.expiresOn?.getTime() ?? Number.NaN,
          refreshAfterTimestamp: result.refreshOn?.getTime(),
        };
      } catch (error) {
        app = undefined;
        if (isKeylessError(callbackError)) throw callbackError;
        if (untrusted !== undefined) throw untrusted;
        throw tokenRequestError(COMPONENT, error, secrets, retryAfterMs, (upstream) =>
          federatedFix(upstream, lastAssertion, federated),
        );
      }
    },
  };
}

function secretValues(strategy: MsalConfidentialClientStrategy): string[] {
  const values = [strategy.clientSecret, strategy.certificate?.privateKey, strategy.certificate?.password];
  return values.filter((value): value is string => typeof value === 'string');
}

function validProxy(proxy: unknown): string | false | undefined {
  if (proxy === undefined || proxy === false) return proxy;
  if (typeof proxy !== 'string' || !/^https?:\/\/[^/]/i.test(proxy)) {
    throw new KeylessError(
      'CONFIG_INVALID',
      `${COMPONENT}: proxy must be a URL such as http://proxy.corp:3128 (or false for none), not ${JSON.stringify(String(proxy)).slice(0, 60)}.`,
    );
  }
  return proxy;
}
