import type { INetworkModule, ManagedIdentityApplication } from '@azure/msal-node';
import { KeylessError } from '../errors.js';
import { loadPeer } from '../internal/loadPeer.js';
import { networkClient } from '../internal/networkClient.js';
import { parseRetryAfter } from '../internal/parseRetryAfter.js';
import { parseTimestamp } from '../internal/parseTimestamp.js';
import { tokenRequestError } from '../internal/tokenRequestError.js';
import type { TokenFetcher } from '../tokenCache/tokenCacheOptions.js';

type MsalModule = typeof import('@azure/msal-node');

const COMPONENT = 'managedIdentity';

/** A managed identity's settings, validated by `managedIdentitySource`. */
export interface ManagedIdentitySettings {
  /** Which of a user-assigned identity's ids names it; undefined for the system-assigned one. */
  idKey: 'clientId' | 'resourceId' | 'objectId' | undefined;
  idValue: string | undefined;
  /** The scope without `/.default`: what managed-identity endpoints are asked for. */
  resource: string;
  /** Deadline of one token request (ms). */
  timeoutMs: number;
}

/**
 * The token requests of a managed identity, through msal-node's ManagedIdentityApplication (made
 * on the first one). Part of the token runtime: the strategy's settings were validated when the
 * Auth was created.
 */
export function managedIdentityFetcher({ idKey, idValue, resource, timeoutMs }: ManagedIdentitySettings): TokenFetcher {
  let app: ManagedIdentityApplication | undefined;
  let retryAfterMs: number | undefined;
  const client = networkClient({
    timeoutMs,
    // Off Azure IMDS's address is often black-holed: not connecting within 1 s means no identity
    // here (DefaultAzureCredential's own probe waits as long). On Azure it connects at once.
    connectTimeoutMs: 1_000,
    onResponse: (status, header) => {
      retryAfterMs = status === 429 || status >= 500 ? parseRetryAfter(header) : undefined;
    },
    transformBody: normalizeExpiresOn,
  });

  let imdsAnswers: Promise<void> | undefined;

  return async ({ forceRefresh, claims }) => {
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
    const source = app.getManagedIdentitySource();
    let result: Awaited<ReturnType<ManagedIdentityApplication['acquireToken']>>;
    try {
      // Off Azure nothing answers at IMDS's address: find out in under 1 s, once, rather than at
      // the token request's deadline (as DefaultAzureCredential's own probe does).
      if (source === 'Imds' || source === 'DefaultToImds') imdsAnswers ??= probeImds(client);
      await imdsAnswers;
      result = await app.acquireToken({ resource, forceRefresh, ...(claims === undefined ? {} : { claims }) });
    } catch (error) {
      // A probe that failed is asked again next time (the host may have been starting).
      if (
        imdsAnswers !== undefined &&
        (await imdsAnswers.then(
          () => false,
          () => true,
        ))
      )
        imdsAnswers = undefined;
      throw identityMissing(source, error, idKey) ?? tokenRequestError(COMPONENT, error, [], retryAfterMs);
    }
    if (typeof result?.accessToken !== 'string' || result.accessToken === '') {
      throw identityMissing(source, new Error('the endpoint answered without a token'), idKey, true);
    }
    return {
      token: result.accessToken,
      expiresOnTimestamp: result.expiresOn?.getTime() ?? Number.NaN,
      refreshAfterTimestamp: result.refreshOn?.getTime(),
    };
  };
}

/** How long IMDS may take to answer the probe: a present IMDS answers it at once. */
const IMDS_PROBE_MS = 800;

/**
 * Asks IMDS a question it answers at once when present (a request without the `Metadata` header:
 * 400), within {@link IMDS_PROBE_MS}. Rejects when nothing answers in time: not on Azure.
 */
async function probeImds(client: INetworkModule): Promise<void> {
  // msal-node reads the host from process.env; so does this (IMDS's address when unset).
  const host = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST?.replace(/\/+$/, '') || 'http://169.254.169.254';
  await client.sendGetRequestAsync(`${host}/metadata/identity/oauth2/token?api-version=2018-02-01`, {}, IMDS_PROBE_MS);
}

const WHERE_IT_WORKS =
  'Managed identity works on App Service, Functions and Container Apps (the platform sets IDENTITY_ENDPOINT and IDENTITY_HEADER once an identity is enabled), and on VMs, scale sets and AKS nodes (IMDS at 169.254.169.254; on AKS prefer workload identity). Anywhere else choose another strategy: KEYLESS_STRATEGY=msalConfidentialClient with AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, or default after az login';

/**
 * A CREDENTIAL_UNAVAILABLE error when the failure means there is no managed identity here: IMDS
 * (the fallback when no managed-identity variable is set) cannot be reached, or an endpoint
 * answers that no such identity is assigned, or answers without a token. Undefined otherwise.
 */
function identityMissing(
  source: string,
  error: unknown,
  idKey: 'clientId' | 'resourceId' | 'objectId' | undefined,
  emptyAnswer = false,
): KeylessError | undefined {
  const text =
    error instanceof Error
      ? `${error.message} ${String((error as { errorCode?: unknown }).errorCode ?? '')}`
      : String(error);
  const notAssigned = /identity not found|not found|no managed identity|identity.*not.*(assigned|enabled)/i.test(text);
  const unreachable = /network_error|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|timed out/i.test(text);
  const viaImds = source === 'Imds' || source === 'DefaultToImds';
  // msal-node reads these from process.env, so this does too.
  const imdsHost = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  const detected =
    source !== 'DefaultToImds'
      ? `the ${source} managed-identity endpoint was asked`
      : imdsHost
        ? `IMDS was asked at AZURE_POD_IDENTITY_AUTHORITY_HOST (${imdsHost})`
        : 'no managed-identity variable is set (IDENTITY_ENDPOINT, MSI_ENDPOINT, IMDS_ENDPOINT…), so IMDS was asked';
  if (notAssigned) {
    const which = idKey === undefined ? 'a system-assigned identity' : `the user-assigned identity given by ${idKey}`;
    return new KeylessError(
      'CREDENTIAL_UNAVAILABLE',
      `${COMPONENT}: ${detected} and answered that ${which} is not assigned to this resource. Enable the system-assigned identity or assign that user-assigned identity to the resource${idKey === undefined ? '' : `, and check ${idKey} (AZURE_CLIENT_ID)`}. ${WHERE_IT_WORKS}.`,
      { cause: error },
    );
  }
  if (emptyAnswer || (viaImds && unreachable)) {
    return new KeylessError(
      'CREDENTIAL_UNAVAILABLE',
      `${COMPONENT}: no managed identity is available here: ${detected}${emptyAnswer ? ', which answered without a token' : ', which did not answer'}. ${WHERE_IT_WORKS}.`,
      { cause: error },
    );
  }
  return undefined;
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
