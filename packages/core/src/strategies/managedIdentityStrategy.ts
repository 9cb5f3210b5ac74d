import type { ManagedIdentityApplication } from '@azure/msal-node';
import { KeylessError } from '../errors.js';
import { loadPeer } from '../internal/loadPeer.js';
import { networkClient } from '../internal/networkClient.js';
import { parseRetryAfter } from '../internal/parseRetryAfter.js';
import { parseTimestamp } from '../internal/parseTimestamp.js';
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
  let retryAfterMs: number | undefined;
  const client = networkClient({
    onResponse: (status, header) => {
      retryAfterMs = status === 429 || status >= 500 ? parseRetryAfter(header) : undefined;
    },
    transformBody: normalizeExpiresOn,
  });

  return {
    secrets: [],
    fetch: async ({ forceRefresh, claims }) => {
      if (app === undefined) {
        const msal = await loadPeer<MsalModule>('@azure/msal-node', COMPONENT);
        app = new msal.ManagedIdentityApplication({
          system: { networkClient: client },
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
      retryAfterMs = undefined;
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
        throw tokenRequestError(COMPONENT, error, [], retryAfterMs);
      }
    },
  };
}

/**
 * Managed-identity hosts write `expires_on` as epoch seconds (a number or a string), an ISO date,
 * or an HTTP date. msal-node reads the first three; turn the others into epoch seconds.
 */
function normalizeExpiresOn(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const expiresOn = (body as { expires_on?: unknown }).expires_on;
  if (typeof expiresOn !== 'string' || /^\d+$/.test(expiresOn) || /^\d{4}-\d{2}-\d{2}T/.test(expiresOn)) return body;
  const ms = parseTimestamp(expiresOn);
  return ms === undefined ? body : { ...body, expires_on: String(Math.floor(ms / 1000)) };
}
