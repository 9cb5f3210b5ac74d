import type { ManagedIdentityApplication } from '@azure/msal-node';
import { KeylessError } from '../errors.js';
import { loadPeer } from '../internal/loadPeer.js';
import { tokenRequestError } from '../internal/tokenRequestError.js';
import { requireText } from '../internal/validate.js';
import type { ManagedIdentityStrategy } from '../strategy.js';
import type { TokenSource } from './tokenSource.js';

type MsalModule = typeof import('@azure/msal-node');

const COMPONENT = 'managedIdentity';

/**
 * Managed identity through msal-node's ManagedIdentityApplication, which detects the host
 * (App Service, IMDS, Arc, Cloud Shell, Service Fabric, Machine Learning) from the environment.
 * Used directly rather than through `@azure/identity`'s ManagedIdentityCredential because only
 * msal exposes `forceRefresh`: after a 401, keyless must get a new token, not the cached one.
 */
export function managedIdentitySource(strategy: ManagedIdentityStrategy, scope: string): TokenSource {
  const ids = (['clientId', 'resourceId', 'objectId'] as const).filter((key) => strategy[key] !== undefined);
  if (ids.length > 1) {
    throw new KeylessError(
      'CONFIG_CONFLICT',
      `${COMPONENT}: ${ids.join(' and ')} were both given. A user-assigned identity is named by exactly one of clientId, resourceId or objectId; remove the others (or all of them for the system-assigned identity).`,
    );
  }
  const idKey = ids[0];
  const idValue = idKey === undefined ? undefined : requireText(COMPONENT, idKey, strategy[idKey]);
  const resource = scope.replace(/\/\.default$/, '');
  let app: ManagedIdentityApplication | undefined;

  return {
    secrets: [],
    fetch: async ({ forceRefresh, claims }) => {
      if (app === undefined) {
        const msal = await loadPeer<MsalModule>('@azure/msal-node', COMPONENT);
        app = new msal.ManagedIdentityApplication({
          managedIdentityIdParams:
            idKey === 'clientId'
              ? { userAssignedClientId: idValue as string }
              : idKey === 'resourceId'
                ? { userAssignedResourceId: idValue as string }
                : idKey === 'objectId'
                  ? { userAssignedObjectId: idValue as string }
                  : {},
        });
      }
      try {
        const result = await app.acquireToken({
          resource,
          forceRefresh,
          ...(claims === undefined ? {} : { claims }),
        });
        return {
          token: result.accessToken,
          expiresOnTimestamp: result.expiresOn?.getTime() ?? Number.NaN,
          refreshAfterTimestamp: result.refreshOn?.getTime(),
        };
      } catch (error) {
        throw tokenRequestError(COMPONENT, error, []);
      }
    },
  };
}
