import { KeylessError } from '../errors.js';
import type { Strategy } from '../strategy.js';
import { isTokenCredential } from '../tokenCredential.js';
import { credentialSource } from './credentialSource.js';
import { defaultSource } from './defaultStrategy.js';
import { managedIdentitySource } from './managedIdentityStrategy.js';
import { msalConfidentialClientSource } from './msalConfidentialClientStrategy.js';
import type { SourceContext, TokenSource } from './tokenSource.js';

/** Where a token strategy's tokens come from: the one switch over strategy kinds. */
export function tokenSourceFor(strategy: Exclude<Strategy, { kind: 'apiKey' }>, context: SourceContext): TokenSource {
  const { scope } = context;
  switch (strategy.kind) {
    case 'default':
      return defaultSource(strategy, scope);
    case 'managedIdentity':
      return managedIdentitySource(strategy, context);
    case 'msalConfidentialClient':
      return msalConfidentialClientSource(strategy, context);
    case 'credential': {
      const credential = strategy.credential;
      if (!isTokenCredential(credential)) {
        throw new KeylessError(
          'CONFIG_INVALID',
          'credential: the object has no getToken(scopes, options) method. Pass a TokenCredential, e.g. new ManagedIdentityCredential() from @azure/identity.',
        );
      }
      return credentialSource('credential', async () => credential, scope);
    }
    default: {
      const unknown: never = strategy;
      throw new KeylessError(
        'CONFIG_INVALID',
        `createAuth: unknown strategy kind "${String((unknown as { kind?: unknown }).kind)}". Use one of default, managedIdentity, msalConfidentialClient, apiKey or credential.`,
      );
    }
  }
}
