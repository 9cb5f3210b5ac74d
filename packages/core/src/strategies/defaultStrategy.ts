import { loadPeer, preloadPeer } from '../internal/loadPeer.js';
import type { DefaultStrategy } from '../strategy.js';
import type { TokenCredential } from '../tokenCredential.js';
import { requireEndpoint } from '../validate.js';
import { credentialSource } from './credentialSource.js';
import type { TokenSource } from './tokenSource.js';

type IdentityModule = {
  DefaultAzureCredential: new (options?: Record<string, unknown>) => TokenCredential;
};

const COMPONENT = 'DefaultAzureCredential';

/** `DefaultAzureCredential`, created once on first use (it probes its chain lazily). */
export function defaultSource(strategy: DefaultStrategy, scope: string): TokenSource {
  if (strategy.authorityHost !== undefined) {
    requireEndpoint(COMPONENT, 'authorityHost', strategy.authorityHost);
  }
  const options: Record<string, unknown> = { ...strategy.credentialOptions };
  for (const key of ['tenantId', 'managedIdentityClientId', 'workloadIdentityClientId', 'authorityHost'] as const) {
    if (strategy[key] !== undefined) options[key] = strategy[key];
  }
  preloadPeer('@azure/identity');
  let credential: Promise<TokenCredential> | undefined;
  return credentialSource(
    COMPONENT,
    (renew) => {
      // A new instance has empty caches: after a 401 this gets a new token for the
      // service-principal and workload-identity links of the chain. (Managed identity's cache in
      // msal-node is process-wide and cannot be bypassed through @azure/identity.) Only then:
      // each new instance walks the chain again (an IMDS probe, spawning `az`), and a scheduled
      // refresh gets a fresh token anyway, as the credential's own cache refreshes ahead of expiry.
      if (renew) credential = undefined;
      credential ??= loadPeer<IdentityModule>('@azure/identity', COMPONENT).then(
        (identity) => new identity.DefaultAzureCredential(options),
      );
      credential.catch(() => {
        credential = undefined;
      });
      return credential;
    },
    scope,
  );
}
