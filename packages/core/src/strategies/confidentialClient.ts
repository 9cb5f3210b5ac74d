import type { AuthenticationResult, ConfidentialClientApplication, Configuration } from '@azure/msal-node';
import { isKeylessError, KeylessError } from '../errors.js';
import { loadPeer, preloadPeer } from '../internal/loadPeer.js';
import { loadTokenRuntime, preloadTokenRuntime, type TokenRuntime } from '../internal/loadTokenRuntime.js';
import { parseRetryAfter } from '../internal/parseRetryAfter.js';
import { readCertificate } from '../internal/readCertificate.js';
import { untrustedCertificateCode, untrustedCertificateError } from '../internal/tlsTrust.js';
import type { MsalConfidentialClientStrategy } from '../strategy.js';
import type { AccessToken } from '../tokenCredential.js';
import { requireEndpoint, requireTenantId, requireText } from '../validate.js';
import { type FederatedSource, federatedSourceOf } from './federatedAssertion.js';

type MsalModule = typeof import('@azure/msal-node');

/** The settings of a confidential client: {@link MsalConfidentialClientStrategy} without its `kind`. */
export type ConfidentialClientSettings = MsalConfidentialClientStrategy extends infer S
  ? S extends MsalConfidentialClientStrategy
    ? Omit<S, 'kind'>
    : never
  : never;

const PUBLIC_CLOUD = 'https://login.microsoftonline.com';

/**
 * One msal-node ConfidentialClientApplication, validated at creation and loaded on first use:
 * the app's own tokens (client credentials) and tokens on behalf of a user (OBO) both come
 * through {@link ConfidentialClient.acquire}, with the same secrets, network client, errors and
 * fixes.
 */
export interface ConfidentialClient {
  /** Values that must be redacted from every message; the latest client assertion joins them. */
  readonly secrets: string[];
  /**
   * Runs one msal request and turns its result (or failure) into keyless's. `keepCache: false`
   * empties msal's own cache afterwards: where keyless holds the tokens (per user), msal's copy
   * would only grow.
   */
  acquire(
    request: (app: ConfidentialClientApplication) => Promise<AuthenticationResult | null>,
    options?: { keepCache?: boolean | undefined; fix?: ((upstream: string) => string | undefined) | undefined },
  ): Promise<AccessToken>;
}

/**
 * Validates `settings` now (a KeylessError naming `component` and the setting) and returns the
 * client. The application is rebuilt after a failed request that kept its cache: msal otherwise
 * keeps failing identical requests for up to 60 s after a 5xx, and keyless's own backoff (which
 * serves the still-valid token meanwhile) is the one policy that should decide when to try again.
 */
export function confidentialClient(
  component: string,
  settings: ConfidentialClientSettings,
  timeoutMs: number,
): ConfidentialClient {
  const tenantId = requireTenantId(component, 'tenantId', settings.tenantId);
  const clientId = requireText(component, 'clientId', settings.clientId);
  const host = requireEndpoint(component, 'authorityHost', settings.authorityHost ?? PUBLIC_CLOUD);
  const given = (['clientSecret', 'certificate', 'clientAssertion'] as const).filter(
    (key) => settings[key] !== undefined,
  );
  if (given.length !== 1) {
    throw new KeylessError(
      given.length === 0 ? 'CONFIG_INVALID' : 'CONFIG_CONFLICT',
      given.length === 0
        ? `${component}: no client credential was given. Pass exactly one of clientSecret, certificate or clientAssertion.`
        : `${component}: ${given.join(' and ')} were both given. Pass exactly one of clientSecret, certificate or clientAssertion.`,
      { secrets: secretValues(settings) },
    );
  }
  preloadPeer('@azure/msal-node');
  preloadTokenRuntime();
  const auth: Configuration['auth'] = {
    clientId,
    authority: `${host.origin}${host.pathname.replace(/\/$/, '')}/${tenantId}`,
    knownAuthorities: [host.host],
  };
  const secrets: string[] = [];
  let lastAssertion: string | undefined;
  let callbackError: unknown;
  let federated: FederatedSource | undefined;
  if (settings.clientSecret !== undefined) {
    auth.clientSecret = requireText(component, 'clientSecret', settings.clientSecret);
    secrets.push(auth.clientSecret);
  } else if (settings.certificate !== undefined) {
    const certificate = readCertificate(component, 'certificate', settings.certificate);
    auth.clientCertificate = certificate;
    secrets.push(certificate.privateKey);
    if (settings.certificate.privateKey !== undefined) secrets.push(settings.certificate.privateKey);
    if (settings.certificate.password !== undefined) secrets.push(settings.certificate.password);
  } else if (typeof settings.clientAssertion === 'function') {
    const callback = settings.clientAssertion;
    federated = federatedSourceOf(callback);
    auth.clientAssertion = async () => {
      callbackError = undefined;
      try {
        lastAssertion = requireText(component, 'clientAssertion()', await callback());
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
      `${component}: clientAssertion must be a function returning a fresh assertion. A fixed string expires (AADSTS700024); wrap it: () => readFile(...).`,
      { secrets: secretValues(settings) },
    );
  }
  // A proxy URL with user:password in it is a secret like any other.
  if (typeof settings.proxy === 'string' && settings.proxy.includes('@')) secrets.push(settings.proxy);
  const fixedSecrets = secrets.length;
  let retryAfterMs: number | undefined;
  let untrusted: KeylessError | undefined;
  const proxy = validProxy(component, settings.proxy);
  // Made with the first application, from the token runtime (loaded by then); a rebuilt
  // application keeps it, and with it the open connections.
  let system: NonNullable<Configuration['system']> | undefined;
  const systemOf = (runtime: TokenRuntime): NonNullable<Configuration['system']> => {
    system ??= {
      networkClient: runtime.networkClient({
        timeoutMs,
        ca: settings.ca,
        proxy,
        onResponse: (status, header) => {
          retryAfterMs = status === 429 || status >= 500 ? parseRetryAfter(header) : undefined;
        },
        // msal turns it into a bare network_error: keep what it was, and where.
        onTransportError: (error, url) => {
          const code = untrustedCertificateCode(error);
          if (code !== undefined) untrusted = untrustedCertificateError(component, new URL(url).host, code, error);
        },
      }),
    };
    return system;
  };
  let app: ConfidentialClientApplication | undefined;

  return {
    secrets,
    acquire: async (request, { keepCache = true, fix } = {}) => {
      const runtime = await loadTokenRuntime();
      if (app === undefined) {
        const msal = await loadPeer<MsalModule>('@azure/msal-node', component);
        app ??= new msal.ConfidentialClientApplication({ auth, system: systemOf(runtime) });
      }
      const current = app;
      retryAfterMs = undefined;
      untrusted = undefined;
      try {
        const result = await request(current);
        if (result === null) throw new Error('msal-node returned no token');
        return {
          token: result.accessToken,
          expiresOnTimestamp: result.expiresOn?.getTime() ?? Number.NaN,
          refreshAfterTimestamp: result.refreshOn?.getTime(),
        };
      } catch (error) {
        // Clearing the cache (below) also clears msal's throttling entries: no rebuild needed.
        if (keepCache && app === current) app = undefined;
        if (isKeylessError(callbackError)) throw callbackError;
        if (untrusted !== undefined) throw untrusted;
        throw runtime.tokenRequestError(
          component,
          error,
          secrets,
          retryAfterMs,
          (upstream) => fix?.(upstream) ?? runtime.federatedFix(upstream, lastAssertion, federated),
        );
      } finally {
        // Authority metadata survives clearCache(): no rediscovery per request.
        if (!keepCache) current.clearCache();
      }
    },
  };
}

function secretValues(settings: ConfidentialClientSettings): string[] {
  const values = [settings.clientSecret, settings.certificate?.privateKey, settings.certificate?.password];
  return values.filter((value): value is string => typeof value === 'string');
}

function validProxy(component: string, proxy: unknown): string | false | undefined {
  if (proxy === undefined || proxy === false) return proxy;
  if (typeof proxy !== 'string' || !/^https?:\/\/[^/]/i.test(proxy)) {
    throw new KeylessError(
      'CONFIG_INVALID',
      `${component}: proxy must be a URL such as http://proxy.corp:3128 (or false for none), not ${JSON.stringify(String(proxy)).slice(0, 60)}.`,
    );
  }
  return proxy;
}
